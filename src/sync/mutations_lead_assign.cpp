// lead.assign {"id", "owner_id", "base":{"owner_id": seen}} — R1 assignment by hand through sync, R33:
// a manager assigns or reassigns the leads of the team (also unassigned ones the team imported) to a
// member of the team; an admin any lead to anyone active; a rep never (leads come to reps by assignment).
// The owner is a guarded field (conflict_rule.h): reassigning a lead someone else moved meanwhile is a
// conflict, not a silent overwrite.
#include "core/leads.h"
#include "sync/conflict_rule.h"
#include "sync/mutation_support.h"

namespace cl::sync::detail {

Result<MutationOutcome> apply_lead_assign(const Mutation& m, const Actor& actor, const RecordView& view,
                                          const Settings&, Instant now) {
  auto l = load<Lead>(view, kTypeLead, arg_text(m.args, "id"), actor);
  if (!l.ok()) return Result<MutationOutcome>::failure(std::move(l.problems));
  const Id new_owner = arg_text(m.args, "owner_id");
  if (actor.role == Role::Rep)
    return Result<MutationOutcome>::failure({forbidden("owner_id", "A rep cannot assign leads", "销售不能分配线索")});
  if (new_owner.empty()) return Result<MutationOutcome>::failure({invalid_args("owner_id", "owner_id is required")});
  if (!actor_may_touch(actor, new_owner, view))
    return Result<MutationOutcome>::failure(
        {forbidden("owner_id", "The new owner is outside your scope", "新负责人不在您的管理范围内")});

  MutationOutcome out;
  const Json server_owner = l.value.stored.owner_id;
  const Json empty = Json::object();
  const Json& base = m.args.contains("base") && m.args["base"].is_object() ? m.args["base"] : empty;
  const Json* seen = base.contains("owner_id") ? &base["owner_id"] : nullptr;
  if (decide_field(kTypeLead, "owner_id", l.value.stored.version, m.base_version, seen, server_owner, Json(new_owner)) ==
      FieldDecision::KeepServer) {
    out.conflicts.push_back(Conflict{std::string(kTypeLead), l.value.stored.id, "owner_id", server_owner, Json(new_owner), "server_kept"});
    return Result<MutationOutcome>::success(std::move(out));
  }
  if (l.value.value.meta.owner_id == new_owner) return Result<MutationOutcome>::success(std::move(out));  // nothing to do

  // core leads.h decides who may hold a lead (an active rep or manager). A replica does not know the
  // company's users: it assumes an active rep and the server, which does, decides.
  User assignee;
  if (view.knows_users()) {
    auto u = view.find_user(new_owner);
    if (!u) return Result<MutationOutcome>::failure({forbidden("owner_id", "The new owner is outside your scope", "新负责人不在您的管理范围内")});
    assignee = *u;
  } else {
    assignee.id = new_owner;
    assignee.role = Role::Rep;
    assignee.active = true;
  }
  Result<Lead> assigned = assign_lead(l.value.value, assignee, now);
  if (!assigned.ok()) return Result<MutationOutcome>::failure(std::move(assigned.problems));
  out.writes.push_back(store(kTypeLead, std::move(assigned.value), l.value.stored.version, now));
  return Result<MutationOutcome>::success(std::move(out));
}

}  // namespace cl::sync::detail

// opportunity.create / update / advance / move_back / close (R9, R10; stage, amount and owner are
// guarded fields under the conflict rule).
#include "sync/conflict_rule.h"
#include "sync/core_rules.h"
#include "sync/mutation_support.h"

namespace cl::sync::detail {

namespace {

int current_stage(const Opportunity& o) { return o.stages.empty() ? 0 : o.stages.back().stage; }

// A stage move is a guarded change: the client says which stage it saw ("from_stage"); when the server's
// stage differs, the move is not applied and the user sees the conflict (R32).
std::optional<Conflict> stage_conflict(const Mutation& m, const Loaded<Opportunity>& l, const Json& client_value) {
  if (!m.args.contains("from_stage") || !m.args["from_stage"].is_number_integer()) return std::nullopt;
  const Json seen = m.args["from_stage"];
  const Json server = current_stage(l.value);
  // A stale from_stage is a conflict even when the version did not move: the client's view was wrong.
  if (seen == server) return std::nullopt;
  return Conflict{std::string(kTypeOpportunity), l.value.meta.id, "stage", server, client_value, "server_kept"};
}

Result<MutationOutcome> finish(Result<Opportunity> r, const Loaded<Opportunity>& l, Instant now) {
  if (!r.ok()) return Result<MutationOutcome>::failure(std::move(r.problems));
  MutationOutcome out;
  out.writes.push_back(store(kTypeOpportunity, std::move(r.value), l.stored.version, now));
  return Result<MutationOutcome>::success(std::move(out));
}

bool has_from_stage(const Mutation& m) { return m.args.contains("from_stage") && m.args["from_stage"].is_number_integer(); }
Problem missing_from_stage() { return invalid_args("from_stage", "from_stage (the stage the client saw) is required"); }

}  // namespace

Result<MutationOutcome> apply_opportunity_create(const Mutation& m, const Actor& actor, const RecordView& view,
                                                 const Settings& settings, Instant now) {
  Result<Opportunity> r = read_new_record<Opportunity>(m, "opportunity", kTypeOpportunity, actor, view);
  if (!r.ok()) return Result<MutationOutcome>::failure(std::move(r.problems));
  Opportunity o = std::move(r.value);
  Problems problems;
  if (o.title.empty()) problems.push_back(Problem{"required_field_missing", "opportunity.title", "缺少商机名称", "The title is missing"});
  if (o.expected_amount.fen < 0)
    problems.push_back(Problem{"out_of_range", "opportunity.expected_amount_fen", "金额不能为负", "The amount cannot be negative"});
  auto customer = view.find_meta(kTypeCustomer, o.customer_id);
  if (!customer || customer->deleted || !actor_may_touch_record(actor, *customer, view))
    problems.push_back(Problem{"not_found", "opportunity.customer_id", "客户不存在", "No such customer"});
  if (!problems.empty()) return Result<MutationOutcome>::failure(std::move(problems));
  // R9: every opportunity starts open in stage one, entered now — whatever the client sent.
  o.status = OpportunityStatus::Open;
  o.closed_at = 0;
  o.close_reason.clear();
  o.stages.clear();
  Result<Opportunity> opened = open_stage_one(std::move(o), settings, actor.user_id, now);
  if (!opened.ok()) return Result<MutationOutcome>::failure(std::move(opened.problems));
  o = std::move(opened.value);
  MutationOutcome out;
  out.writes.push_back(store(kTypeOpportunity, std::move(o), 0, now));
  return Result<MutationOutcome>::success(std::move(out));
}

Result<MutationOutcome> apply_opportunity_update(const Mutation& m, const Actor& actor, const RecordView& view,
                                                 const Settings&, Instant now) {
  auto l = load<Opportunity>(view, kTypeOpportunity, arg_text(m.args, "id"), actor, WithData::Yes);
  if (!l.ok()) return Result<MutationOutcome>::failure(std::move(l.problems));
  static const std::vector<std::string_view> kAllowed = {"title", "expected_amount_fen", "product_ids", "owner_id"};
  Json data = std::move(l.value.stored.data);  // no copy: apply_patch reads only the id and version of `stored`
  MutationOutcome out;
  Problems problems;
  apply_patch(m, kTypeOpportunity, l.value.stored, kAllowed, data, out.conflicts, problems);
  if (!problems.empty()) return Result<MutationOutcome>::failure(std::move(problems));
  Result<Opportunity> next = decode<Opportunity>(data);
  if (!next.ok()) return Result<MutationOutcome>::failure(std::move(next.problems));
  Opportunity o = std::move(next.value);
  if (o.meta.owner_id != l.value.value.meta.owner_id &&
      (actor.role == Role::Rep || !actor_may_touch(actor, o.meta.owner_id, view)))
    return Result<MutationOutcome>::failure({forbidden("owner_id", "You may not reassign this opportunity", "不能变更该商机的负责人")});
  if (o.expected_amount.fen < 0)
    return Result<MutationOutcome>::failure({Problem{"out_of_range", "expected_amount_fen", "金额不能为负", "The amount cannot be negative"}});
  if (encode(o) == encode(l.value.value)) return Result<MutationOutcome>::success(std::move(out));
  out.writes.push_back(store(kTypeOpportunity, std::move(o), l.value.stored.version, now));
  return Result<MutationOutcome>::success(std::move(out));
}

Result<MutationOutcome> apply_opportunity_advance(const Mutation& m, const Actor& actor, const RecordView& view,
                                                  const Settings& settings, Instant now) {
  auto l = load<Opportunity>(view, kTypeOpportunity, arg_text(m.args, "id"), actor);
  if (!l.ok()) return Result<MutationOutcome>::failure(std::move(l.problems));
  if (!has_from_stage(m)) return Result<MutationOutcome>::failure({missing_from_stage()});
  if (auto c = stage_conflict(m, l.value, m.args["from_stage"].get<int>() + 1)) {
    MutationOutcome out;
    out.conflicts.push_back(*c);
    return Result<MutationOutcome>::success(std::move(out));
  }
  Result<std::vector<EvidenceRef>> evidence = decode_list<EvidenceRef>(m.args.contains("evidence") ? m.args["evidence"] : Json::array());
  if (!evidence.ok()) return Result<MutationOutcome>::failure(std::move(evidence.problems));
  for (auto& e : evidence.value) {
    if (e.uploaded_by.empty()) e.uploaded_by = actor.user_id;
    if (e.uploaded_at == 0) e.uploaded_at = now;
  }
  return finish(advance_stage(l.value.value, evidence.value, settings, actor.user_id, now), l.value, now);
}

Result<MutationOutcome> apply_opportunity_move_back(const Mutation& m, const Actor& actor, const RecordView& view,
                                                    const Settings& settings, Instant now) {
  auto l = load<Opportunity>(view, kTypeOpportunity, arg_text(m.args, "id"), actor);
  if (!l.ok()) return Result<MutationOutcome>::failure(std::move(l.problems));
  if (!has_from_stage(m)) return Result<MutationOutcome>::failure({missing_from_stage()});
  const Json& to = m.args.contains("to_stage") ? m.args["to_stage"] : Json();
  if (!to.is_number_integer()) return Result<MutationOutcome>::failure({invalid_args("to_stage", "to_stage must be an integer")});
  if (auto c = stage_conflict(m, l.value, to)) {
    MutationOutcome out;
    out.conflicts.push_back(*c);
    return Result<MutationOutcome>::success(std::move(out));
  }
  const auto reason = arg_text(m.args, "reason");
  return finish(move_back_stage(l.value.value, to.get<int>(), reason, settings, actor.user_id, now), l.value, now);
}

Result<MutationOutcome> apply_opportunity_close(const Mutation& m, const Actor& actor, const RecordView& view,
                                                const Settings& settings, Instant now) {
  auto l = load<Opportunity>(view, kTypeOpportunity, arg_text(m.args, "id"), actor, WithData::Yes);
  if (!l.ok()) return Result<MutationOutcome>::failure(std::move(l.problems));
  const Json outcome = m.args.contains("outcome") ? m.args["outcome"] : Json();
  if (outcome != "won" && outcome != "lost")
    return Result<MutationOutcome>::failure({invalid_args("outcome", "outcome must be \"won\" or \"lost\"")});
  // Status is guarded: closing an opportunity someone else closed meanwhile is a conflict, not a rewrite.
  const Json server_status = l.value.stored.data.value("status", Json("open"));
  if (server_status != "open" && server_status != outcome) {
    MutationOutcome out;
    out.conflicts.push_back(Conflict{std::string(kTypeOpportunity), l.value.value.meta.id, "status", server_status, outcome, "server_kept"});
    return Result<MutationOutcome>::success(std::move(out));
  }
  const auto reason = arg_text(m.args, "reason");
  std::vector<EvidenceRef> evidence;  // winning completes the last stage, so it needs that stage's proof
  if (m.args.contains("evidence")) {
    auto ev = decode_list<EvidenceRef>(m.args["evidence"]);
    if (!ev.ok()) return Result<MutationOutcome>::failure(std::move(ev.problems));
    evidence = std::move(ev.value);
    for (auto& e : evidence) {
      if (e.uploaded_by.empty()) e.uploaded_by = actor.user_id;
      if (e.uploaded_at == 0) e.uploaded_at = now;
    }
  }
  return finish(close_opportunity(l.value.value, outcome == "won", reason, evidence, settings, actor.user_id, now), l.value, now);
}

}  // namespace cl::sync::detail

// activity.log / activity.delete (R8: two taps in the field) and lead.touch / lead.convert (R2, core
// leads.h rules).
#include "core/leads.h"
#include "sync/core_rules.h"
#include "sync/mutation_support.h"

namespace cl::sync::detail {

namespace {

// A link from an activity to another record must point at a record the actor may touch (R33).
void check_link(const RecordView& view, const Actor& actor, std::string_view type, const Id& id,
                std::string_view field, Problems& out) {
  if (id.empty()) return;
  auto r = view.find_meta(type, id);
  if (!r || r->deleted || !actor_may_touch_record(actor, *r, view))
    out.push_back(Problem{"not_found", std::string(field), "关联记录不存在", "The linked record does not exist"});
}

}  // namespace

Result<MutationOutcome> apply_activity_log(const Mutation& m, const Actor& actor, const RecordView& view,
                                           const Settings&, Instant now) {
  Result<Activity> r = read_new_record<Activity>(m, "activity", kTypeActivity, actor, view);
  if (!r.ok()) return Result<MutationOutcome>::failure(std::move(r.problems));
  Activity a = std::move(r.value);
  Problems problems;
  check_link(view, actor, kTypeCustomer, a.customer_id, "activity.customer_id", problems);
  check_link(view, actor, kTypeOpportunity, a.opportunity_id, "activity.opportunity_id", problems);
  check_link(view, actor, kTypeLead, a.lead_id, "activity.lead_id", problems);
  if (a.customer_id.empty() && a.opportunity_id.empty() && a.lead_id.empty())
    problems.push_back(Problem{"required_field_missing", "activity.customer_id", "活动需关联客户、商机或线索",
                               "An activity belongs to a customer, an opportunity or a lead"});
  // Offline entries may be logged late, but never in the future (R25 reports count them by day).
  if (a.at <= 0) a.at = m.at > 0 ? m.at : now;
  if (a.at > now + 5 * kMinute)
    problems.push_back(Problem{"out_of_range", "activity.at", "活动时间不能晚于现在", "The activity cannot be in the future"});
  if (!problems.empty()) return Result<MutationOutcome>::failure(std::move(problems));
  MutationOutcome out;
  out.writes.push_back(store_for(view, kTypeActivity, std::move(a), 0, now));
  return Result<MutationOutcome>::success(std::move(out));
}

Result<MutationOutcome> apply_activity_delete(const Mutation& m, const Actor& actor, const RecordView& view,
                                              const Settings&, Instant now) {
  auto l = load<Activity>(view, kTypeActivity, arg_text(m.args, "id"), actor);
  if (!l.ok()) return Result<MutationOutcome>::failure(std::move(l.problems));
  Activity a = std::move(l.value.value);
  a.meta.deleted = true;  // a tombstone: pulled by every replica that had it
  MutationOutcome out;
  out.writes.push_back(store(kTypeActivity, std::move(a), l.value.stored.version, now));
  return Result<MutationOutcome>::success(std::move(out));
}

Result<MutationOutcome> apply_lead_touch(const Mutation& m, const Actor& actor, const RecordView& view,
                                         const Settings&, Instant now) {
  auto l = load<Lead>(view, kTypeLead, arg_text(m.args, "id"), actor);
  if (!l.ok()) return Result<MutationOutcome>::failure(std::move(l.problems));
  Instant at = m.args.contains("at") && m.args["at"].is_number_integer() ? m.args["at"].get<Instant>() : 0;
  if (at <= 0) at = m.at > 0 ? m.at : now;
  if (at > now + 5 * kMinute) at = now;  // a fast device clock must not put the touch in the future (R2)
  Result<Lead> touched = record_touch(l.value.value, actor.user_id, at, arg_text(m.args, "outcome"));
  if (!touched.ok()) return Result<MutationOutcome>::failure(std::move(touched.problems));
  MutationOutcome out;
  out.writes.push_back(store(kTypeLead, std::move(touched.value), l.value.stored.version, now));
  return Result<MutationOutcome>::success(std::move(out));
}

Result<MutationOutcome> apply_lead_convert(const Mutation& m, const Actor& actor, const RecordView& view,
                                           const Settings& settings, Instant now) {
  auto l = load<Lead>(view, kTypeLead, arg_text(m.args, "id"), actor);
  if (!l.ok()) return Result<MutationOutcome>::failure(std::move(l.problems));
  LeadConversionInput in;
  in.customer_id = arg_text(m.args, "customer_id");
  in.customer_code = arg_text(m.args, "customer_code");
  in.opportunity_id = arg_text(m.args, "opportunity_id");
  in.decision_maker_title = arg_text(m.args, "decision_maker_title");
  in.main_business = arg_text(m.args, "main_business");
  in.opportunity_title = arg_text(m.args, "opportunity_title");
  in.converted_by = actor.user_id;
  Problems problems;
  if (m.args.contains("tags")) {
    const Json& tags = m.args["tags"];
    if (!tags.is_object()) problems.push_back(invalid_args("tags", "tags must be an object of strings"));
    else
      for (const auto& [k, v] : tags.items()) {
        if (v.is_string()) in.tags[k] = v.get<std::string>();
        else problems.push_back(invalid_args("tags." + k, "tag values must be strings"));
      }
  }
  if (m.args.contains("expected_amount_fen")) {
    const Json& amount = m.args["expected_amount_fen"];
    if (!amount.is_number_integer() || amount.get<std::int64_t>() < 0)
      problems.push_back(invalid_args("expected_amount_fen", "expected_amount_fen must be a non-negative integer"));
    else in.expected_amount = Money{amount.get<std::int64_t>()};
  }
  if (!valid_id(in.customer_id)) problems.push_back(invalid_args("customer_id", "customer_id must be a valid id"));
  if (!valid_id(in.opportunity_id)) problems.push_back(invalid_args("opportunity_id", "opportunity_id must be a valid id"));
  if (problems.empty() && (view.find_meta(kTypeCustomer, in.customer_id) || view.find_meta(kTypeOpportunity, in.opportunity_id)))
    problems.push_back(Problem{"record_exists", "customer_id", "记录编号已存在", "A record with this id already exists"});
  if (!problems.empty()) return Result<MutationOutcome>::failure(std::move(problems));

  Result<LeadConversion> conv = convert_lead(l.value.value, in, settings, now);
  if (!conv.ok()) return Result<MutationOutcome>::failure(std::move(conv.problems));
  LeadConversion c = std::move(conv.value);
  const Id owner = l.value.value.meta.owner_id.empty() ? actor.user_id : l.value.value.meta.owner_id;
  if (c.customer.meta.owner_id.empty()) c.customer.meta.owner_id = owner;
  if (c.opportunity.meta.owner_id.empty()) c.opportunity.meta.owner_id = owner;
  c.customer.meta.id = in.customer_id;
  c.opportunity.meta.id = in.opportunity_id;
  for (auto& p : check_customer(c.customer, settings)) problems.push_back(std::move(p));
  for (auto& p : check_new_customer_code(c.customer.code, c.customer.meta.id, "customer_code", view))
    problems.push_back(std::move(p));
  if (!problems.empty()) return Result<MutationOutcome>::failure(std::move(problems));
  problems = check_duplicate_customers(c.customer, actor, view);
  if (!problems.empty()) return Result<MutationOutcome>::failure(std::move(problems));
  MutationOutcome out;
  out.writes.push_back(store(kTypeLead, std::move(c.lead), l.value.stored.version, now));
  out.writes.push_back(store(kTypeCustomer, std::move(c.customer), 0, now));
  out.writes.push_back(store(kTypeOpportunity, std::move(c.opportunity), 0, now));
  return Result<MutationOutcome>::success(std::move(out));
}

}  // namespace cl::sync::detail

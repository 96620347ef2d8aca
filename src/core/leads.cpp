#include "core/leads.h"

#include <algorithm>

#include "core/customer_validation.h"
#include "core/money.h"

namespace cl {

namespace {

const char* status_zh(LeadStatus s) {
  switch (s) {
    case LeadStatus::Imported: return "已导入";
    case LeadStatus::Assigned: return "已分配";
    case LeadStatus::Touched: return "已触达";
    case LeadStatus::Qualified: return "已确认有效";
    case LeadStatus::Converted: return "已转化";
    case LeadStatus::Dropped: return "已放弃";
  }
  return "";
}

const char* status_en(LeadStatus s) {
  switch (s) {
    case LeadStatus::Imported: return "imported";
    case LeadStatus::Assigned: return "assigned";
    case LeadStatus::Touched: return "touched";
    case LeadStatus::Qualified: return "qualified";
    case LeadStatus::Converted: return "converted";
    case LeadStatus::Dropped: return "dropped";
  }
  return "";
}

Problem bad_transition(const Lead& lead, const char* action_zh, const char* action_en) {
  return {"lead_bad_transition", "status",
          std::string("线索当前状态为「") + status_zh(lead.status) + "」，不能" + action_zh,
          std::string("a lead that is ") + status_en(lead.status) + " cannot be " + action_en};
}

int count_ratio_bp(int part, int whole) {
  return whole == 0 ? 0 : static_cast<int>(mul_div_round(part, 10000, whole));
}

bool is_rep(const User& u) { return u.active && u.role == Role::Rep; }

const User* find_user(const std::vector<User>& users, const Id& id) {
  for (const auto& u : users)
    if (u.id == id) return &u;
  return nullptr;
}

}  // namespace

bool lead_is_open(const Lead& lead) {
  return lead.status != LeadStatus::Converted && lead.status != LeadStatus::Dropped;
}

Result<Lead> assign_lead(Lead lead, const User& rep, Instant now) {
  Problems p;
  if (!lead_is_open(lead)) p.push_back(bad_transition(lead, "分配", "assigned"));
  if (rep.id.empty() || !rep.active || rep.role == Role::Admin)
    p.push_back({"assignee_not_active_rep", "owner_id", "只能分配给在职的销售或主管",
                 "leads can only be assigned to an active rep or manager"});
  if (!p.empty()) return Result<Lead>::failure(std::move(p));
  lead.meta.owner_id = rep.id;
  lead.assigned_at = now;
  lead.meta.updated_at = now;
  if (lead.status == LeadStatus::Imported) lead.status = LeadStatus::Assigned;
  return Result<Lead>::success(std::move(lead));
}

AssignmentPlan plan_round_robin(const std::vector<Lead>& leads, const std::vector<User>& users,
                                std::size_t cursor) {
  AssignmentPlan plan;
  std::vector<const User*> reps;
  for (const auto& u : users)
    if (is_rep(u)) reps.push_back(&u);
  plan.next_cursor = cursor;
  for (const auto& lead : leads) {
    if (lead.status != LeadStatus::Imported || lead.meta.deleted) continue;
    if (reps.empty()) {
      plan.problems.push_back({"no_active_reps", lead.meta.id, "没有在职销售可以分配",
                               "there is no active rep to assign to"});
      continue;
    }
    plan.assignments.push_back({lead.meta.id, reps[plan.next_cursor % reps.size()]->id});
    plan.next_cursor = (plan.next_cursor + 1) % reps.size();
  }
  return plan;
}

AssignmentPlan plan_by_region(const std::vector<Lead>& leads, const std::vector<Team>& teams,
                              const std::vector<User>& users, std::map<Id, std::size_t>& cursors) {
  AssignmentPlan plan;
  for (const auto& lead : leads) {
    if (lead.status != LeadStatus::Imported || lead.meta.deleted) continue;
    const Team* team = nullptr;
    for (const auto& t : teams)
      if (!lead.region.empty() && t.region == lead.region) { team = &t; break; }
    if (!team) {
      plan.problems.push_back({"no_team_for_region", lead.meta.id,
                               "没有负责区域「" + lead.region + "」的团队",
                               "no team covers region \"" + lead.region + "\""});
      continue;
    }
    std::vector<const User*> reps;
    for (const auto& u : users)
      if (is_rep(u) && u.team_id == team->id) reps.push_back(&u);
    if (reps.empty()) {
      plan.problems.push_back({"no_active_reps", lead.meta.id, "团队「" + team->name + "」没有在职销售",
                               "team \"" + team->name + "\" has no active rep"});
      continue;
    }
    std::size_t& c = cursors[team->id];
    plan.assignments.push_back({lead.meta.id, reps[c % reps.size()]->id});
    c = (c + 1) % reps.size();
  }
  return plan;
}

std::vector<Lead> apply_assignments(const std::vector<Lead>& leads, const AssignmentPlan& plan,
                                    const std::vector<User>& users, Instant now) {
  std::map<Id, Id> rep_of;
  for (const auto& a : plan.assignments) rep_of[a.lead_id] = a.rep_id;
  std::vector<Lead> changed;
  for (const auto& lead : leads) {
    auto it = rep_of.find(lead.meta.id);
    if (it == rep_of.end()) continue;
    const User* rep = find_user(users, it->second);
    if (!rep) continue;
    auto r = assign_lead(lead, *rep, now);
    if (r) changed.push_back(std::move(r.value));
  }
  return changed;
}

Result<Lead> record_touch(Lead lead, const Id& rep_id, Instant at, const std::string& outcome) {
  if (!lead_is_open(lead)) return Result<Lead>::failure({bad_transition(lead, "记录触达", "touched")});
  if (rep_id.empty())
    return Result<Lead>::failure({{"touch_without_rep", "first_touched_by", "触达必须记录是谁做的",
                                   "a touch must say who made it"}});
  // R2: the first touch is a fact kept forever; offline entries may arrive late, so an earlier
  // touch logged afterwards still becomes the first one.
  if (lead.first_touched_at == 0 || at < lead.first_touched_at) {
    lead.first_touched_at = at;
    lead.first_touched_by = rep_id;
  }
  if (!outcome.empty()) lead.last_outcome = outcome;
  if (lead.status == LeadStatus::Imported || lead.status == LeadStatus::Assigned)
    lead.status = LeadStatus::Touched;
  if (at > lead.meta.updated_at) lead.meta.updated_at = at;
  return Result<Lead>::success(std::move(lead));
}

Result<Lead> qualify_lead(Lead lead, Instant now) {
  if (lead.status != LeadStatus::Touched) {
    if (lead.status == LeadStatus::Imported || lead.status == LeadStatus::Assigned)
      return Result<Lead>::failure({{"lead_not_touched", "status", "线索还没有触达，不能确认有效",
                                     "a lead must be touched before it can be qualified"}});
    return Result<Lead>::failure({bad_transition(lead, "确认有效", "qualified")});
  }
  lead.status = LeadStatus::Qualified;
  lead.qualified_at = now;
  lead.meta.updated_at = now;
  return Result<Lead>::success(std::move(lead));
}

Result<Lead> drop_lead(Lead lead, const std::string& reason, Instant now) {
  Problems p;
  if (!lead_is_open(lead)) p.push_back(bad_transition(lead, "放弃", "dropped"));
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
    p.push_back({"reason_required", "drop_reason", "放弃线索必须填写原因", "dropping a lead needs a reason"});
  if (!p.empty()) return Result<Lead>::failure(std::move(p));
  lead.status = LeadStatus::Dropped;
  lead.drop_reason = reason;
  lead.meta.updated_at = now;
  return Result<Lead>::success(std::move(lead));
}

std::vector<Reminder> untouched_lead_alerts(const std::vector<Lead>& leads, const Settings& settings,
                                            Instant now) {
  std::vector<Reminder> out;
  const Instant threshold = static_cast<Instant>(settings.untouched_lead_hours) * kHour;
  for (const auto& lead : leads) {
    if (lead.meta.deleted || lead.status != LeadStatus::Assigned || lead.first_touched_at != 0) continue;
    if (lead.meta.owner_id.empty() || now - lead.assigned_at < threshold) continue;
    Reminder r;
    r.kind = ReminderKind::UntouchedLead;
    r.recipient_id = lead.meta.owner_id;
    r.subject_type = "lead";
    r.subject_id = lead.meta.id;
    r.due_at = lead.assigned_at + threshold;
    r.dedupe_key = "untouched_lead:" + lead.meta.id;
    const std::string hours = std::to_string((now - lead.assigned_at) / kHour);
    r.text_zh = "线索「" + lead.company + "」分配已 " + hours + " 小时仍未触达";
    r.text_en = "lead \"" + lead.company + "\" assigned " + hours + " h ago is still untouched";
    out.push_back(std::move(r));
  }
  return out;
}

Result<LeadConversion> convert_lead(const Lead& lead, const LeadConversionInput& input,
                                    const Settings& settings, Instant now) {
  if (lead.status != LeadStatus::Touched && lead.status != LeadStatus::Qualified) {
    if (lead.status == LeadStatus::Imported || lead.status == LeadStatus::Assigned)
      return Result<LeadConversion>::failure({{"lead_not_touched", "status", "线索还没有触达，不能转化",
                                               "a lead must be touched before it can be converted"}});
    return Result<LeadConversion>::failure({bad_transition(lead, "转化", "converted")});
  }
  const Id owner = lead.meta.owner_id.empty() ? input.converted_by : lead.meta.owner_id;
  LeadConversion out;
  Customer& c = out.customer;
  c.meta.id = input.customer_id;
  c.meta.owner_id = owner;
  c.meta.created_at = c.meta.updated_at = now;
  c.code = input.customer_code;
  c.name = lead.company;
  c.decision_maker = lead.contact_name;
  c.decision_maker_title = input.decision_maker_title;
  c.phone = lead.phone;
  c.main_business = input.main_business;
  c.tags = input.tags;
  if (!lead.region.empty() && !c.tags.count("region")) c.tags["region"] = lead.region;
  c.source_lead_id = lead.meta.id;

  // R2: report every required field / tag still missing (R4's checks, all at once). Value checks
  // (tag values, phone format) stay with the caller's validate_customer before saving, as for any
  // customer edit — the sync layer runs it on the converted customer.
  Problems p;
  for (auto& problem : validate_customer(c, settings))
    if (problem.code == "required_field_missing" || problem.code == "required_tag_missing") p.push_back(std::move(problem));
  if (input.customer_id.empty() || input.opportunity_id.empty())
    p.push_back({"id_missing", "id", "缺少新记录的编号", "ids for the new records are missing"});
  if (!p.empty()) return Result<LeadConversion>::failure(std::move(p));

  Opportunity& o = out.opportunity;
  o.meta.id = input.opportunity_id;
  o.meta.owner_id = owner;
  o.meta.created_at = o.meta.updated_at = now;
  o.customer_id = c.meta.id;
  o.title = input.opportunity_title.empty() ? lead.company + " 商机" : input.opportunity_title;
  o.expected_amount = input.expected_amount;
  StageVisit first;
  first.stage = 0;
  first.entered_at = now;
  first.entered_by = input.converted_by;
  o.stages.push_back(std::move(first));

  out.lead = lead;
  out.lead.status = LeadStatus::Converted;
  if (out.lead.qualified_at == 0) out.lead.qualified_at = now;  // an opportunity is a qualified lead
  out.lead.converted_at = now;
  out.lead.converted_customer_id = c.meta.id;
  out.lead.converted_opportunity_id = o.meta.id;
  out.lead.meta.updated_at = now;
  return Result<LeadConversion>::success(std::move(out));
}

LeadFunnel lead_funnel(const std::vector<Lead>& leads) {
  LeadFunnel f;
  std::map<std::string, LeadFunnelRow> by_source, by_rep;
  auto add = [](LeadFunnelRow& row, const Lead& l) {
    ++row.imported;
    const bool converted = l.status == LeadStatus::Converted;
    if (l.first_touched_at != 0 || l.status == LeadStatus::Touched || l.status == LeadStatus::Qualified ||
        converted)
      ++row.touched;
    if (l.qualified_at != 0 || l.status == LeadStatus::Qualified || converted) ++row.qualified;
    if (converted) ++row.converted;
    if (l.status == LeadStatus::Dropped) ++row.dropped;
  };
  for (const auto& l : leads) {
    if (l.meta.deleted) continue;
    add(f.total, l);
    add(by_source[l.source], l);
    add(by_rep[l.meta.owner_id], l);
  }
  auto finish = [](LeadFunnelRow& r) {
    r.touch_rate_bp = count_ratio_bp(r.touched, r.imported);
    r.conversion_rate_bp = count_ratio_bp(r.converted, r.imported);
  };
  finish(f.total);
  for (auto& [k, r] : by_source) { r.key = k; finish(r); f.by_source.push_back(r); }
  for (auto& [k, r] : by_rep) { r.key = k; finish(r); f.by_rep.push_back(r); }
  return f;
}

}  // namespace cl

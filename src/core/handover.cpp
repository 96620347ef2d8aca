#include "core/handover.h"

#include <map>
#include <set>

#include "core/money.h"

namespace cl {

namespace {

const User* find_user(const std::vector<User>& users, const Id& id) {
  for (const auto& u : users)
    if (u.id == id) return &u;
  return nullptr;
}

bool open_lead(const Lead& l) { return l.status != LeadStatus::Converted && l.status != LeadStatus::Dropped; }
bool open_opp(const Opportunity& o) { return o.status == OpportunityStatus::Open; }
bool open_quote(const Quote& q) {
  return q.status == QuoteStatus::Draft || q.status == QuoteStatus::PendingApproval || q.status == QuoteStatus::Approved ||
         q.status == QuoteStatus::Sent;
}
bool open_invoice(const Invoice& i) { return i.status == InvoiceStatus::Requested || i.status == InvoiceStatus::Issued; }
bool open_reminder(const Reminder& r) { return r.acknowledged_at == 0; }

const char* const kTypes[] = {"customer", "lead", "opportunity", "quote", "invoice", "reminder"};

// Calls f(type, id, label, owner, open, deleted) for every record of the data.
template <class F>
void each_record(const HandoverData& d, F&& f) {
  for (const auto& c : d.customers) f("customer", c.meta.id, c.name, c.meta.owner_id, true, c.meta.deleted);
  for (const auto& l : d.leads) f("lead", l.meta.id, l.company, l.meta.owner_id, open_lead(l), l.meta.deleted);
  for (const auto& o : d.opportunities) f("opportunity", o.meta.id, o.title, o.meta.owner_id, open_opp(o), o.meta.deleted);
  for (const auto& q : d.quotes) f("quote", q.meta.id, q.code, q.meta.owner_id, open_quote(q), q.meta.deleted);
  for (const auto& i : d.invoices) f("invoice", i.meta.id, i.code, i.meta.owner_id, open_invoice(i), i.meta.deleted);
  for (const auto& r : d.reminders) f("reminder", r.id, r.text_zh, r.recipient_id, open_reminder(r), false);
}

}  // namespace

Id suggest_handover_target(const std::vector<User>& users, const std::vector<Customer>& customers, const Id& from_rep) {
  const User* from = find_user(users, from_rep);
  if (!from) return {};
  std::map<Id, int> load;
  for (const auto& c : customers) ++load[c.meta.owner_id];
  const User* best = nullptr;
  for (const auto& u : users) {
    if (u.id == from_rep || !u.active || u.role != Role::Rep || u.team_id != from->team_id) continue;
    if (!best || load[u.id] < load[best->id]) best = &u;
  }
  return best ? best->id : Id{};
}

HandoverPlan plan_handover(const HandoverData& data, const std::vector<User>& users, const Id& from_rep,
                           const Id& to_rep, const Id& by, bool allow_other_team) {
  HandoverPlan plan;
  plan.from_rep = from_rep;
  plan.to_rep = to_rep;
  plan.by = by;
  const User* from = find_user(users, from_rep);
  const User* to = find_user(users, to_rep);
  if (!from) plan.problems.push_back({"user_not_found", "from_rep", "找不到离职销售", "the leaving rep does not exist"});
  if (!to) plan.problems.push_back({"user_not_found", "to_rep", "找不到接手人", "the receiving rep does not exist"});
  if (from && to) {
    if (from->id == to->id)
      plan.problems.push_back({"same_user", "to_rep", "接手人不能是离职人本人", "the receiver cannot be the leaver"});
    if (!to->active || to->role == Role::Admin)
      plan.problems.push_back({"receiver_not_active", "to_rep", "接手人必须是在职的销售或主管",
                               "the receiver must be an active rep or manager"});
    if (to->team_id != from->team_id && !allow_other_team)
      plan.problems.push_back({"other_team", "to_rep", "接手人不在同一团队；如确需跨团队移交请明确选择",
                               "the receiver is in another team; choose cross-team handover explicitly"});
  }
  each_record(data, [&](const char* type, const Id& id, const std::string& label, const Id& owner, bool open, bool deleted) {
    if (owner != from_rep || !open) return;
    HandoverItem item{type, id, label, true, "", ""};
    if (deleted) {
      item.moves = false;
      item.reason_zh = "记录已删除（墓碑），无需移交";
      item.reason_en = "the record is deleted (tombstone); nothing to hand over";
    }
    plan.items.push_back(std::move(item));
  });
  return plan;
}

Result<HandoverResult> apply_handover(const HandoverData& data, const HandoverPlan& plan,
                                      const std::vector<User>& users, Instant now) {
  if (!plan.ok()) return Result<HandoverResult>::failure(plan.problems);
  std::set<std::pair<std::string, Id>> moving;
  for (const auto& i : plan.items)
    if (i.moves) moving.insert({i.record_type, i.record_id});
  HandoverResult r;
  r.data = data;
  auto moves = [&](const char* type, const Id& id) { return moving.count({type, id}) > 0; };
  for (auto& c : r.data.customers)
    if (moves("customer", c.meta.id)) {
      c.owner_history.push_back({plan.from_rep, plan.to_rep, now, plan.by, "handover"});
      c.meta.owner_id = plan.to_rep;
      c.meta.updated_at = now;
      r.changed_customers.push_back(c.meta.id);
    }
  auto move_meta = [&](RecordMeta& m, const char* type, std::vector<Id>& changed) {
    if (!moves(type, m.id)) return;
    m.owner_id = plan.to_rep;
    m.updated_at = now;
    changed.push_back(m.id);
  };
  for (auto& l : r.data.leads) move_meta(l.meta, "lead", r.changed_leads);
  for (auto& o : r.data.opportunities) move_meta(o.meta, "opportunity", r.changed_opportunities);
  for (auto& q : r.data.quotes) move_meta(q.meta, "quote", r.changed_quotes);
  for (auto& i : r.data.invoices) move_meta(i.meta, "invoice", r.changed_invoices);
  for (auto& rem : r.data.reminders)
    if (moves("reminder", rem.id)) {
      rem.recipient_id = plan.to_rep;
      r.changed_reminders.push_back(rem.id);
    }
  if (const User* from = find_user(users, plan.from_rep)) {
    r.deactivated = *from;
    r.deactivated.active = false;
  }
  r.report = handover_report(data, r.data, plan);
  return Result<HandoverResult>::success(std::move(r));
}

HandoverReport handover_report(const HandoverData& before, const HandoverData& after, const HandoverPlan& plan) {
  HandoverReport rep;
  rep.from_rep = plan.from_rep;
  rep.to_rep = plan.to_rep;
  std::map<std::string, HandoverTypeRow> rows;
  for (const char* t : kTypes) rows[t].record_type = t;
  std::set<std::pair<std::string, Id>> in_scope;
  each_record(before, [&](const char* type, const Id& id, const std::string&, const Id& owner, bool open, bool deleted) {
    if (owner != plan.from_rep) return;
    HandoverTypeRow& row = rows[type];
    ++row.owned_before;
    if (!open) ++row.kept_closed;
    else if (!deleted) { ++row.in_scope; in_scope.insert({type, id}); }
  });
  each_record(after, [&](const char* type, const Id& id, const std::string&, const Id& owner, bool open, bool deleted) {
    HandoverTypeRow& row = rows[type];
    if (!in_scope.count({type, id})) return;
    if (owner == plan.to_rep) ++row.moved;
    else if (owner == plan.from_rep && open && !deleted) ++row.open_left_after;
  });
  for (const auto& item : plan.items)
    if (!item.moves) rep.not_moved.push_back(item);
  int total_scope = 0, total_moved = 0;
  rep.complete = true;
  for (const char* t : kTypes) {
    HandoverTypeRow& row = rows[t];
    row.not_moved = row.in_scope - row.moved;
    row.moved_bp = row.in_scope ? static_cast<int>(mul_div_round(row.moved, 10000, row.in_scope)) : 10000;
    if (row.not_moved != 0 || row.open_left_after != 0) rep.complete = false;
    total_scope += row.in_scope;
    total_moved += row.moved;
    rep.rows.push_back(row);
  }
  rep.moved_bp = total_scope ? static_cast<int>(mul_div_round(total_moved, 10000, total_scope)) : 10000;
  return rep;
}

}  // namespace cl

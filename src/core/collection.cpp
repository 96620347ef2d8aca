#include "core/collection.h"

#include <algorithm>
#include <map>

#include "core/money.h"
#include "core/time.h"

namespace cl {

Money collected_in_month(const std::vector<Payment>& payments, const std::string& month, const Id& rep_id) {
  Money sum;
  for (const auto& p : payments)
    if (!p.meta.deleted && p.meta.owner_id == rep_id && month_key(p.received_on) == month) sum += p.amount;
  return sum;
}

CollectionDashboard collection_dashboard(const std::string& month, const std::vector<Payment>& payments,
                                         const std::vector<CollectionTarget>& targets,
                                         const std::vector<User>& users, const std::vector<Team>& teams) {
  CollectionDashboard d;
  d.month = month;
  std::map<Id, Money> by_rep;
  for (const auto& p : payments)
    if (!p.meta.deleted && month_key(p.received_on) == month) by_rep[p.meta.owner_id] += p.amount;
  std::map<Id, Money> rep_target, team_target;
  for (const auto& t : targets) {
    if (t.month != month) continue;
    if (!t.rep_id.empty()) rep_target[t.rep_id] += t.amount;
    else if (!t.team_id.empty()) team_target[t.team_id] += t.amount;
  }
  auto finish = [](CollectionRow& r) { r.achievement_bp = r.has_target ? ratio_bp(r.collected, r.target) : 0; };
  for (const auto& u : users) {
    if (u.role != Role::Rep || (!u.active && !by_rep.count(u.id))) continue;
    CollectionRow r{u.id, u.display_name, u.team_id, by_rep[u.id], {}, false, 0};
    if (auto it = rep_target.find(u.id); it != rep_target.end()) { r.target = it->second; r.has_target = true; }
    finish(r);
    d.reps.push_back(r);
  }
  for (const auto& t : teams) {
    CollectionRow r{t.id, t.name, t.id, {}, {}, false, 0};
    Money reps_target;
    bool any_rep_target = false;
    for (const auto& rep : d.reps) {
      if (rep.team_id != t.id) continue;
      r.collected += rep.collected;
      if (rep.has_target) { reps_target += rep.target; any_rep_target = true; }
    }
    if (auto it = team_target.find(t.id); it != team_target.end()) { r.target = it->second; r.has_target = true; }
    else if (any_rep_target) { r.target = reps_target; r.has_target = true; }
    finish(r);
    if (r.has_target) { d.company.target += r.target; d.company.has_target = true; }
    d.teams.push_back(r);
  }
  for (const auto& [rep, money] : by_rep) d.company.collected += money;  // incl. reps outside any team
  d.company.name = "全公司";
  finish(d.company);
  std::stable_sort(d.reps.begin(), d.reps.end(),
                   [](const CollectionRow& a, const CollectionRow& b) { return a.achievement_bp > b.achievement_bp; });
  return d;
}

}  // namespace cl

#include "core/scorecard_facts.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "core/scorecard_counts.h"
#include "core/time.h"

namespace cl {

namespace {

template <class T, class V>
void grow(std::vector<T>& v, std::size_t n, V fill) {
  if (v.size() < n) v.resize(n, static_cast<T>(fill));
}

// Open-addressing set of 64-bit keys for #9's distinct (rep, week, customer) triples: one flat
// table instead of a node per entry. Key ~0 marks an empty slot (never a real key: customer and
// owner keys are < kNone).
class KeySet {
 public:
  explicit KeySet(std::size_t expected) {
    std::size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    slots_.assign(cap, kEmpty);
  }
  bool insert(std::uint64_t key) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t h = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 20) & mask;
    while (true) {
      if (slots_[h] == key) return false;
      if (slots_[h] == kEmpty) {
        slots_[h] = key;
        return true;
      }
      h = (h + 1) & mask;
    }
  }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  std::vector<std::uint64_t> slots_;
};

}  // namespace

ScorecardFacts::ScorecardFacts(const ScorecardData& data) {
  set_people(data.users ? *data.users : std::vector<User>{}, data.teams ? *data.teams : std::vector<Team>{});
  if (data.customers) {
    const auto& v = *data.customers;
    customer_index_.reserve(v.size());
    for (std::size_t i = v.size(); i-- > 0;) update_customer(i, v[i]);  // last first: one resize
  }
  if (data.opportunities) {
    const auto& v = *data.opportunities;
    for (std::size_t i = v.size(); i-- > 0;) update_opportunity(i, v[i]);
  }
  if (data.activities) {
    const auto& v = *data.activities;
    for (std::size_t i = v.size(); i-- > 0;) update_activity(i, v[i]);
  }
  if (data.contracts) {
    const auto& v = *data.contracts;
    for (std::size_t i = v.size(); i-- > 0;) update_contract(i, v[i]);
  }
  if (data.leads) {
    const auto& v = *data.leads;
    for (std::size_t i = v.size(); i-- > 0;) update_lead(i, v[i]);
  }
}

std::uint32_t ScorecardFacts::find_owner(const Id& id) const {
  auto it = owner_index_.find(id);
  return it == owner_index_.end() ? kNone : it->second;
}

std::uint32_t ScorecardFacts::find_customer(const Id& id) const {
  auto it = customer_index_.find(id);
  return it == customer_index_.end() ? kNone : it->second;
}

std::uint32_t ScorecardFacts::intern_customer(const Id& id) {
  auto [it, inserted] = customer_index_.try_emplace(id, static_cast<std::uint32_t>(customer_ids_.size()));
  if (inserted) customer_ids_.push_back(id);
  return it->second;
}

std::uint32_t ScorecardFacts::intern_owner(const Id& id) {
  auto [it, inserted] = owner_index_.try_emplace(id, static_cast<std::uint32_t>(owner_ids_.size()));
  if (inserted) {
    owner_ids_.push_back(id);
    open_by_owner_.push_back(0);
    pending_leads_by_owner_.push_back(0);
  }
  return it->second;
}

void ScorecardFacts::set_people(const std::vector<User>& users, const std::vector<Team>& teams) {
  users_ = users;
  teams_ = teams;
}

void ScorecardFacts::update_customer(std::size_t i, const Customer& c) {
  grow(cust_key_, i + 1, kNone);  // placeholders: deleted, owned by nobody
  grow(cust_owner_, i + 1, kNone);
  grow(cust_created_, i + 1, 0);
  grow(cust_deleted_, i + 1, 1);
  if (cust_handover_from_.size() < i + 1) cust_handover_from_.resize(i + 1);
  cust_key_[i] = intern_customer(c.meta.id);
  cust_owner_[i] = intern_owner(c.meta.owner_id);
  cust_created_[i] = c.meta.created_at;
  cust_deleted_[i] = c.meta.deleted ? 1 : 0;
  auto& from = cust_handover_from_[i];
  from.clear();
  for (const auto& h : c.owner_history)
    if (h.reason == "handover") from.push_back(intern_owner(h.from_owner));
}

void ScorecardFacts::update_opportunity(std::size_t i, const Opportunity& o) {
  if (i < opp_owner_.size()) {  // take the old facts back out of the running totals
    stage_changes_ -= opp_changes_[i];
    stage_changes_evidenced_ -= opp_evidenced_[i];
    if (opp_open_[i]) {
      --open_by_owner_[opp_owner_[i]];
      --open_total_;
    }
  }
  grow(opp_owner_, i + 1, 0);
  grow(opp_changes_, i + 1, 0);
  grow(opp_evidenced_, i + 1, 0);
  grow(opp_open_, i + 1, 0);
  std::uint32_t changes = 0, evidenced = 0;
  if (!o.meta.deleted) {  // #2, the same rule as over the records
    for (std::size_t k = 0; k < o.stages.size(); ++k) {
      const StageVisit& v = o.stages[k];
      if (v.left_at == 0) continue;
      const bool last = k + 1 == o.stages.size();
      if (last && o.status == OpportunityStatus::Lost) continue;
      ++changes;
      const bool back = !last && o.stages[k + 1].stage < v.stage;
      if (back ? !o.stages[k + 1].reason.empty() : !v.evidence.empty()) ++evidenced;
    }
  }
  const bool open = !o.meta.deleted && o.status == OpportunityStatus::Open;
  opp_owner_[i] = intern_owner(o.meta.owner_id);
  opp_changes_[i] = changes;
  opp_evidenced_[i] = evidenced;
  opp_open_[i] = open ? 1 : 0;
  stage_changes_ += changes;
  stage_changes_evidenced_ += evidenced;
  if (open) {
    ++open_by_owner_[opp_owner_[i]];
    ++open_total_;
  }
}

void ScorecardFacts::update_activity(std::size_t i, const Activity& a) {
  grow(act_at_, i + 1, 0);
  grow(act_kind_, i + 1, 0);
  grow(act_customer_, i + 1, kNone);  // placeholders count for nothing
  grow(act_owner_, i + 1, kNone);
  act_at_[i] = a.at;
  act_kind_[i] = static_cast<std::uint8_t>(a.kind);
  act_customer_[i] = a.customer_id.empty() ? kNone : intern_customer(a.customer_id);
  act_owner_[i] = intern_owner(a.meta.owner_id);
}

void ScorecardFacts::update_contract(std::size_t i, const Contract& k) {
  grow(con_customer_, i + 1, kNone);
  grow(con_owner_, i + 1, kNone);
  grow(con_created_, i + 1, 0);
  if (con_signed_on_.size() < i + 1) con_signed_on_.resize(i + 1);
  grow(con_signed_, i + 1, 0);
  con_customer_[i] = intern_customer(k.customer_id);
  con_owner_[i] = intern_owner(k.meta.owner_id);
  con_created_[i] = k.meta.created_at;
  con_signed_on_[i] = k.signed_on;
  con_signed_[i] = !k.meta.deleted && k.status == ContractStatus::Signed ? 1 : 0;
}

void ScorecardFacts::update_lead(std::size_t i, const Lead& l) {
  if (i < lead_owner_.size() && lead_pending_[i]) --pending_leads_by_owner_[lead_owner_[i]];
  grow(lead_owner_, i + 1, 0);
  grow(lead_pending_, i + 1, 0);
  const bool pending = !l.meta.deleted && l.status != LeadStatus::Converted && l.status != LeadStatus::Dropped;
  lead_owner_[i] = intern_owner(l.meta.owner_id);
  lead_pending_[i] = pending ? 1 : 0;
  if (pending) ++pending_leads_by_owner_[lead_owner_[i]];
}

Scorecard compute_scorecard(const ScorecardFacts& f, const ScorecardManualInputs& manual, Instant now,
                            int period_days) {
  const Instant period_start = now - static_cast<Instant>(period_days) * kDay;
  const std::size_t n_customers = f.customer_ids_.size(), n_owners = f.owner_ids_.size();
  const std::uint32_t empty_owner = f.find_owner(Id{});
  ScorecardCounts sc;

  // #1 customers in scope: the first in-scope record per id wins (as the record path's emplace)
  enum : std::uint8_t { kOut = 0, kInScope = 1, kContacted = 2 };
  std::vector<std::uint8_t> scope(n_customers, kOut);
  std::vector<Instant> created(n_customers, 0);
  for (std::size_t i = 0; i < f.cust_key_.size(); ++i) {
    const Instant c = f.cust_created_[i];
    if (f.cust_deleted_[i] || c < period_start || c > now - kDay) continue;
    const std::uint32_t k = f.cust_key_[i];
    if (scope[k] != kOut) continue;
    scope[k] = kInScope;
    created[k] = c;
    ++sc.first_contact.den;
  }
  // #3 (owner, Beijing day) cells over the period, dense when small enough
  const std::int64_t day0 = (period_start + kBeijingOffset) / kDay;
  const std::int64_t n_days = now >= period_start ? (now + kBeijingOffset) / kDay - day0 + 1 : 0;
  const bool dense_days = n_days > 0 && static_cast<std::uint64_t>(n_days) * n_owners <= (std::uint64_t{1} << 26);
  std::vector<std::uint8_t> day_cells(dense_days ? static_cast<std::size_t>(n_days) * n_owners : 0, 0);
  std::unordered_set<std::uint64_t> sparse_days, sparse_objective;  // only for huge periods
  // #9 distinct (rep, week, customer)
  const Instant touch_start = now - 28 * kDay;
  std::vector<std::uint64_t> touch_keys;
  // one pass over the activities for #1, #3 and #9
  const std::size_t n_act = f.act_at_.size();
  for (std::size_t i = 0; i < n_act; ++i) {
    const Instant at = f.act_at_[i];
    if (at < period_start && at < touch_start) continue;
    const auto kind = static_cast<ActivityKind>(f.act_kind_[i]);
    const std::uint32_t cust = f.act_customer_[i], owner = f.act_owner_[i];
    if (at >= period_start && cust != ScorecardFacts::kNone && scope[cust] == kInScope && at >= created[cust] &&
        at <= created[cust] + kDay && scorecard_outbound(kind)) {
      scope[cust] = kContacted;
      ++sc.first_contact.num;
    }
    if (at >= period_start && at <= now && owner != ScorecardFacts::kNone && owner != empty_owner) {
      const std::int64_t day = (at + kBeijingOffset) / kDay;
      const bool objective = kind != ActivityKind::Note;
      if (dense_days) {
        std::uint8_t& cell = day_cells[static_cast<std::size_t>(owner) * static_cast<std::size_t>(n_days) +
                                       static_cast<std::size_t>(day - day0)];
        cell |= objective ? 3 : 1;
      } else {
        const std::uint64_t key = (static_cast<std::uint64_t>(owner) << 32) | static_cast<std::uint32_t>(day);
        sparse_days.insert(key);
        if (objective) sparse_objective.insert(key);
      }
    }
    if (at >= touch_start && at <= now && cust != ScorecardFacts::kNone && scorecard_effective_touch(kind)) {
      const std::uint64_t week = static_cast<std::uint64_t>((now - at) / (7 * kDay));  // 0..4
      touch_keys.push_back(((static_cast<std::uint64_t>(owner) * 5 + week) << 32) | cust);
    }
  }
  if (dense_days) {
    for (const std::uint8_t cell : day_cells) {
      if (cell) ++sc.objective_days.den;
      if (cell & 2) ++sc.objective_days.num;
    }
  } else {
    sc.objective_days = {static_cast<std::int64_t>(sparse_objective.size()), static_cast<std::int64_t>(sparse_days.size())};
  }
  // #2 kept as running totals
  sc.evidence = {f.stage_changes_evidenced_, f.stage_changes_};
  // #4 repurchase: flags per customer key
  {
    const Date today = beijing_date(now);
    const Date cutoff = add_months(today, -6);
    std::vector<std::uint8_t> deals(n_customers, 0);
    for (std::size_t i = 0; i < f.con_signed_.size(); ++i) {
      if (!f.con_signed_[i]) continue;
      const Date& on = f.con_signed_on_[i];
      if (on < cutoff) deals[f.con_customer_[i]] |= 1;
      else if (!(today < on)) deals[f.con_customer_[i]] |= 2;
    }
    for (const std::uint8_t d : deals) {
      if (!(d & 1)) continue;
      ++sc.repurchase.den;
      if (d & 2) ++sc.repurchase.num;
    }
  }
  // People, per owner key: the user record that owner id resolves to (the last with that id, as the
  // record path's map), and who has left
  std::vector<const User*> user_of(n_owners, nullptr);
  std::vector<std::uint8_t> gone(n_owners, 0);
  for (const auto& u : f.users_) {
    if (!u.active) sc.anyone_left = true;
    const std::uint32_t k = f.find_owner(u.id);
    if (k == ScorecardFacts::kNone) continue;  // owns nothing in the data
    user_of[k] = &u;
    if (!u.active) gone[k] = 1;
  }
  // #6 open opportunities whose owner a manager sees
  {
    std::unordered_map<Id, const User*> user_by_id;
    for (const auto& u : f.users_) user_by_id[u.id] = &u;
    std::unordered_set<Id> managed_teams;
    for (const auto& t : f.teams_) {
      auto it = user_by_id.find(t.manager_id);
      if (!t.manager_id.empty() && it != user_by_id.end() && it->second->active) managed_teams.insert(t.id);
    }
    sc.managed_open.den = f.open_total_;
    for (std::size_t k = 0; k < n_owners; ++k) {
      const User* u = user_of[k];
      if (f.open_by_owner_[k] && u && u->active && (u->role != Role::Rep || managed_teams.count(u->team_id)))
        sc.managed_open.num += f.open_by_owner_[k];
    }
  }
  // #8 hires past day 30 with a customer and a contract for it of their own
  if (!manual.hired_at.empty()) {
    std::vector<std::uint32_t> mark(n_customers, 0);
    std::uint32_t stamp = 0;
    for (const auto& [rep, hired] : manual.hired_at) {
      if (hired + 30 * kDay > now) continue;  // not at day 30 yet
      ++sc.hires.den;
      ++stamp;
      const Instant deadline = hired + 30 * kDay;
      const std::uint32_t rk = f.find_owner(rep);
      if (rk == ScorecardFacts::kNone) continue;
      for (std::size_t i = 0; i < f.cust_key_.size(); ++i)
        if (f.cust_owner_[i] == rk && f.cust_created_[i] >= hired && f.cust_created_[i] <= deadline) mark[f.cust_key_[i]] = stamp;
      for (std::size_t i = 0; i < f.con_owner_.size(); ++i)
        if (f.con_owner_[i] == rk && mark[f.con_customer_[i]] == stamp && f.con_created_[i] <= deadline) {
          ++sc.hires.num;
          break;
        }
    }
  }
  // #9 distinct touches per owner, summed over active reps
  {
    KeySet seen(touch_keys.size());
    std::vector<std::int64_t> per_owner(n_owners, 0);
    for (const std::uint64_t key : touch_keys)
      if (seen.insert(key)) ++per_owner[(key >> 32) / 5];
    for (const auto& u : f.users_) {
      if (u.role != Role::Rep || !u.active) continue;
      ++sc.reps;
      const std::uint32_t k = f.find_owner(u.id);
      if (k != ScorecardFacts::kNone) sc.touches += per_owner[k];
    }
  }
  // #10 handover
  if (sc.anyone_left) {
    for (std::size_t i = 0; i < f.cust_key_.size(); ++i) {
      if (f.cust_deleted_[i]) continue;
      if (gone[f.cust_owner_[i]]) ++sc.left_behind;
      for (const std::uint32_t from : f.cust_handover_from_[i])
        if (gone[from]) {
          ++sc.moved;
          break;
        }
    }
    for (std::size_t k = 0; k < n_owners; ++k)
      if (gone[k]) sc.left_behind += f.open_by_owner_[k] + f.pending_leads_by_owner_[k];
  }
  return assemble_scorecard(sc, manual, period_days);
}

}  // namespace cl

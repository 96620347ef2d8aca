#include "core/lifecycle.h"

#include <algorithm>
#include <unordered_set>

#include "core/funnel.h"
#include "core/time.h"

namespace cl {

Lifecycle derive_lifecycle(const LifecycleFacts& f, const Settings& s, Instant now) {
  Instant last = std::max({f.created_at, f.last_activity_at, f.last_deal_at});
  bool quiet = now - last >= static_cast<Instant>(s.dormant_days) * kDay;
  if (quiet && f.open_opportunities == 0 && !f.in_repurchase_window) return Lifecycle::Dormant;
  if (f.in_repurchase_window) return Lifecycle::RepurchasePrep;
  if (f.open_opportunities > 0) return Lifecycle::Opportunity;
  if (f.signed_contracts > 0) return Lifecycle::Customer;
  if (f.has_activity) return Lifecycle::Contacted;
  return Lifecycle::New;
}

std::string lifecycle_name_zh(Lifecycle l) {
  switch (l) {
    case Lifecycle::New: return "新客户";
    case Lifecycle::Contacted: return "已接触";
    case Lifecycle::Opportunity: return "商机中";
    case Lifecycle::Customer: return "成交客户";
    case Lifecycle::RepurchasePrep: return "复购预备期";
    case Lifecycle::Dormant: return "休眠";
  }
  return "";
}

std::string lifecycle_name_en(Lifecycle l) {
  switch (l) {
    case Lifecycle::New: return "New";
    case Lifecycle::Contacted: return "Contacted";
    case Lifecycle::Opportunity: return "Opportunity";
    case Lifecycle::Customer: return "Customer";
    case Lifecycle::RepurchasePrep: return "Repurchase prep";
    case Lifecycle::Dormant: return "Dormant";
  }
  return "";
}

std::unordered_map<Id, LifecycleFacts> collect_lifecycle_facts(std::span<const Customer> customers,
                                                               std::span<const Activity> activities,
                                                               std::span<const Opportunity> opportunities,
                                                               std::span<const Contract> contracts,
                                                               const std::vector<Id>& repurchase_window_customer_ids) {
  std::unordered_map<Id, LifecycleFacts> facts;
  facts.reserve(customers.size());
  for (const auto& c : customers)
    if (!c.meta.deleted) facts[c.meta.id].created_at = c.meta.created_at;
  auto find = [&](const Id& id) -> LifecycleFacts* {
    auto it = facts.find(id);
    return it == facts.end() ? nullptr : &it->second;
  };
  for (const auto& a : activities) {
    if (a.meta.deleted || !is_objective_activity(a.kind)) continue;
    if (LifecycleFacts* f = find(a.customer_id)) {
      f->has_activity = true;
      f->last_activity_at = std::max(f->last_activity_at, a.at);
    }
  }
  for (const auto& o : opportunities) {
    if (o.meta.deleted) continue;
    LifecycleFacts* f = find(o.customer_id);
    if (!f) continue;
    if (o.status == OpportunityStatus::Open) ++f->open_opportunities;
    if (o.status == OpportunityStatus::Won) {
      ++f->signed_contracts;
      f->last_deal_at = std::max(f->last_deal_at, o.closed_at);
    }
    // Stage moves are objective actions too (R14's definition).
    if (!o.stages.empty()) {
      f->has_activity = true;
      f->last_activity_at = std::max(f->last_activity_at, o.stages.back().entered_at);
    }
  }
  for (const auto& k : contracts) {
    if (k.meta.deleted || k.status != ContractStatus::Signed) continue;
    if (LifecycleFacts* f = find(k.customer_id)) {
      ++f->signed_contracts;
      f->last_deal_at = std::max(f->last_deal_at, beijing_midnight(k.signed_on));
    }
  }
  for (const auto& id : repurchase_window_customer_ids)
    if (LifecycleFacts* f = find(id)) f->in_repurchase_window = true;
  return facts;
}

bool matches(const Customer& c, const LifecycleFilter& filter) {
  if (!filter.owner_id.empty() && c.meta.owner_id != filter.owner_id) return false;
  auto tag_is = [&](const std::string& key, const std::string& value) {
    auto it = c.tags.find(key);
    return it != c.tags.end() && it->second == value;
  };
  if (!filter.region.empty() && !tag_is("region", filter.region)) return false;
  for (const auto& [k, v] : filter.tags)
    if (!v.empty() && !tag_is(k, v)) return false;
  return true;
}

LifecycleBoard lifecycle_board(std::span<const Customer> customers, const std::unordered_map<Id, LifecycleFacts>& facts,
                               const LifecycleFilter& filter, const Settings& s, Instant now) {
  LifecycleBoard b;
  const Lifecycle order[] = {Lifecycle::New,      Lifecycle::Contacted,      Lifecycle::Opportunity,
                             Lifecycle::Customer, Lifecycle::RepurchasePrep, Lifecycle::Dormant};
  for (size_t i = 0; i < 6; ++i) {
    b.columns[i].stage = order[i];
    b.columns[i].name_zh = lifecycle_name_zh(order[i]);
    b.columns[i].name_en = lifecycle_name_en(order[i]);
  }
  for (const auto& c : customers) {
    if (c.meta.deleted || !matches(c, filter)) continue;
    LifecycleFacts f;
    if (auto it = facts.find(c.meta.id); it != facts.end()) f = it->second;
    else f.created_at = c.meta.created_at;
    b.columns[static_cast<size_t>(derive_lifecycle(f, s, now))].customer_ids.push_back(c.meta.id);
    ++b.total;
  }
  return b;
}

}  // namespace cl

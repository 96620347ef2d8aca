#include "app/vm/lifecycle_board_vm.h"

#include <vector>

namespace cl::app {

const LifecycleBoard& LifecycleBoardVM::load(const LocalReplica& replica, const Settings& settings,
                                             const LifecycleFilter& filter, Instant now) {
  const bool same_filter = filter.tags == filter_.tags && filter.owner_id == filter_.owner_id && filter.region == filter_.region;
  // Dormancy depends on time: recompute hourly even when nothing changed.
  if (revision_ == replica.revision() && same_filter && now - computed_at_ < kHour) return board_;
  std::vector<Customer> customers;
  customers.reserve(replica.customers().size());
  std::vector<Id> repurchase;
  for (const auto& [id, c] : replica.customers()) {
    customers.push_back(c);
    auto it = c.tags.find("repurchase");
    if (it != c.tags.end() && it->second == "复购预备期") repurchase.push_back(id);  // R15 tag, derived server-side
  }
  std::vector<Activity> activities;
  activities.reserve(replica.activities().size());
  for (const auto& [id, a] : replica.activities()) activities.push_back(a);
  std::vector<Opportunity> opportunities;
  opportunities.reserve(replica.opportunities().size());
  for (const auto& [id, o] : replica.opportunities()) opportunities.push_back(o);
  const std::vector<Contract> contracts;  // not replicated to the field app; won opportunities count as deals
  auto facts = collect_lifecycle_facts(customers, activities, opportunities, contracts, repurchase);
  board_ = lifecycle_board(customers, facts, filter, settings, now);
  revision_ = replica.revision();
  filter_ = filter;
  computed_at_ = now;
  return board_;
}

}  // namespace cl::app

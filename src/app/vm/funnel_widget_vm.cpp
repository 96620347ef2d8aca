#include "app/vm/funnel_widget_vm.h"

#include <vector>

namespace cl::app {

const Funnel& FunnelWidgetVM::load(const LocalReplica& replica, const Settings& settings, const Id& owner_id,
                                   Instant now) {
  // Dwell of open stays grows with time: refresh at least every minute even without changes.
  if (revision_ == replica.revision() && owner_ == owner_id && now - computed_at_ < kMinute) return funnel_;
  std::vector<const Opportunity*> mine;
  for (const auto& [id, o] : replica.opportunities())
    if (owner_id.empty() || o.meta.owner_id == owner_id) mine.push_back(&o);
  funnel_ = compute_funnel(std::span<const Opportunity* const>(mine.data(), mine.size()), settings, FunnelPeriod{}, now,
                           scratch_);
  revision_ = replica.revision();
  owner_ = owner_id;
  computed_at_ = now;
  return funnel_;
}

}  // namespace cl::app

// Funnel widget (R13) for "me": count per stage and average dwell per stage, from core's funnel over
// the rep's opportunities in the local replica — live, recomputed only when the replica changes.
#pragma once

#include "app/vm/local_replica.h"
#include "core/funnel.h"

namespace cl::app {

class FunnelWidgetVM {
 public:
  // owner_id "" = every opportunity in the replica (a manager's replica holds the team's).
  const Funnel& load(const LocalReplica& replica, const Settings& settings, const Id& owner_id, Instant now);
  const Funnel& funnel() const { return funnel_; }

 private:
  Funnel funnel_;
  std::uint64_t revision_ = ~0ull;
  Id owner_;
  Instant computed_at_ = 0;
  FunnelScratch scratch_;
};

}  // namespace cl::app

// Lifecycle board (R7): customers by derived lifecycle stage (core/lifecycle.h — never typed), with
// filters by tag, owner and region, over the local replica. Recomputed only when the replica or the
// filter changes (the copy into core's spans is the cost, not the derivation).
#pragma once

#include "app/vm/local_replica.h"
#include "core/lifecycle.h"

namespace cl::app {

class LifecycleBoardVM {
 public:
  const LifecycleBoard& load(const LocalReplica& replica, const Settings& settings, const LifecycleFilter& filter,
                             Instant now);
  const LifecycleBoard& board() const { return board_; }

 private:
  LifecycleBoard board_;
  std::uint64_t revision_ = ~0ull;
  LifecycleFilter filter_;
  Instant computed_at_ = 0;
};

}  // namespace cl::app

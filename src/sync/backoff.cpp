// Exponential backoff with equal jitter (backoff.h).
#include "sync/backoff.h"

#include <algorithm>

namespace cl::sync {

Instant backoff_delay(int attempt, double jitter, const BackoffPolicy& policy) {
  attempt = std::clamp(attempt, 0, 30);  // 2^30 s is far past any cap; avoids overflow
  jitter = std::clamp(jitter, 0.0, 1.0);
  Instant d = policy.base_ms;
  for (int i = 0; i < attempt && d < policy.max_ms; ++i) d *= 2;
  d = std::min(d, policy.max_ms);
  const Instant half = d / 2;
  return half + static_cast<Instant>(static_cast<double>(d - half) * jitter);
}

}  // namespace cl::sync

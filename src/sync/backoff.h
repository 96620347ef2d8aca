// Retry timing for the sync client (SYNC.md §3): after a failed push or pull (offline, 503, timeout)
// the client retries on a timer — not only on the next write — with exponential backoff and jitter so
// 28 tablets coming back online together do not hammer the server in lockstep.
#pragma once

#include <cstdint>

#include "core/model.h"

namespace cl::sync {

struct BackoffPolicy {
  Instant base_ms = 1000;       // first retry after ~1 s
  Instant max_ms = 5 * kMinute; // never wait longer than this
};

// Delay before retry number `attempt` (0 = first retry): d = min(max, base·2^attempt), then "equal
// jitter": d/2 + jitter·d/2 with jitter ∈ [0,1) supplied by the caller (core and sync hold no randomness).
Instant backoff_delay(int attempt, double jitter, const BackoffPolicy& policy = {});

}  // namespace cl::sync

// Where the app's new ids and customer codes come from (R5, core/ids.h): UUIDv7 record ids from
// injected randomness (crypto.getRandomValues in the browser, a fixed sequence in tests) and
// customer codes from this device's number (POST /api/v1/sync/register) + a per-device sequence.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "app/vm/local_replica.h"
#include "core/ids.h"

namespace cl::app {

class IdSource {
 public:
  IdSource(std::uint32_t device_number, std::function<RandomBytes10()> random)
      : device_number_(device_number), random_(std::move(random)) {}
  std::string new_id(Instant now) { return uuid_v7(now, random_(), state_); }
  // Next "KH-<device>-<seq>" not yet in the replica (codes of this device only grow).
  std::string next_customer_code(const LocalReplica& replica);
  std::uint32_t device_number() const { return device_number_; }
  void set_device_number(std::uint32_t n) { device_number_ = n; }

 private:
  std::uint32_t device_number_;
  std::function<RandomBytes10()> random_;
  UuidV7State state_;
  std::uint64_t last_sequence_ = 0;
};

}  // namespace cl::app

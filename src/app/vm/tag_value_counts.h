// How many customers in the replica carry each value of one tag group (the customer-type filter's
// drop-down lists values the company didn't configure but imported data has, issue 5 / R7).
// Kept up to date from the replica's change journal: the screens asked for the values after every
// replica change and rescanned all 50k customers each time (several ms per synced record, in the
// frames a rep may be typing in).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

#include "app/vm/local_replica.h"

namespace cl::app {

class TagValueCounts {
 public:
  explicit TagValueCounts(std::string group) : group_(std::move(group)) {}
  // Applies the replica's changes since the last call (everything again after a clear()).
  void sync(const LocalReplica& replica);
  // value -> number of customers with it (values no customer carries any more are removed).
  const std::map<std::string, int>& counts() const { return counts_; }

 private:
  void rebuild(const LocalReplica& replica);
  void set(const Id& id, const Customer* c);

  std::string group_;
  std::unordered_map<Id, std::string> value_of_;  // customer -> its value (only non-empty ones)
  std::map<std::string, int> counts_;
  const LocalReplica* replica_ = nullptr;
  std::uint64_t generation_ = ~0ull;
  std::uint64_t seen_revision_ = ~0ull;
  std::size_t journal_pos_ = 0;
};

}  // namespace cl::app

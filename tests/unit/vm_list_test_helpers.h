// What the customer-list tests read back and type in, shared by the search tests.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "app/vm/customer_list_vm.h"
#include "app/vm/local_replica.h"

namespace cl::app::test {

// The ids the list shows, in display order.
inline std::vector<Id> shown(const CustomerListVM& vm) {
  std::vector<Id> ids;
  for (std::size_t i = 0; i < vm.count(); ++i) ids.push_back(vm.id_at(i));
  return ids;
}

// Every customer in the list's display order (most recently changed first, then id): what the
// reference filters of the search tests walk.
inline std::vector<const Customer*> in_display_order(const LocalReplica& r) {
  std::vector<const Customer*> all;
  for (const auto& [id, c] : r.customers()) all.push_back(&c);
  std::sort(all.begin(), all.end(), [](const Customer* a, const Customer* b) {
    if (a->meta.updated_at != b->meta.updated_at) return a->meta.updated_at > b->meta.updated_at;
    return a->meta.id < b->meta.id;
  });
  return all;
}

// The UTF-8 prefixes of `s`, one more character each (what typing it produces).
inline std::vector<std::string> typed(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 1; i <= s.size(); ++i)
    if (i == s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) out.push_back(s.substr(0, i));
  return out;
}

}  // namespace cl::app::test

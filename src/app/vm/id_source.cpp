#include "app/vm/id_source.h"

#include <algorithm>
#include <vector>

namespace cl::app {

std::string IdSource::next_customer_code(const LocalReplica& replica) {
  if (last_sequence_ == 0) {
    // First code this session: resume after the highest code of this device already replicated.
    std::vector<std::string> codes;
    codes.reserve(replica.customers().size());
    for (const auto& [id, c] : replica.customers()) codes.push_back(c.code);
    last_sequence_ = next_sequence(codes, "KH", device_number_) - 1;
  }
  std::string code;
  do {
    code = customer_code(device_number_, ++last_sequence_);
  } while (replica.customer_code_taken(code));
  return code;
}

}  // namespace cl::app

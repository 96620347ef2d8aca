// The pipeline settings a sync push applies (R4 required fields and tags, R9 stages, R10 evidence
// kinds), decoded once per stored version instead of once per push: the settings record is read in
// the push's transaction as before (so a push sees exactly the settings committed before it), but its
// text is parsed and decoded only when it differs from the text last decoded.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/model.h"

namespace cl::server {

class Store;

class SettingsCache {
 public:
  // The admin's saved settings when there is a live record, else the seed's defaults — what
  // sync_settings answers — shared, never copied. Call inside a store transaction or read.
  std::shared_ptr<const Settings> get(Store& store);

 private:
  std::mutex mutex_;
  std::string text_;                        // the stored text `decoded_` came from
  std::shared_ptr<const Settings> decoded_;
};

}  // namespace cl::server

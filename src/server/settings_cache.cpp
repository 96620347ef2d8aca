#include "server/settings_cache.h"

#include "core/codec.h"
#include "core/settings.h"
#include "server/store.h"

namespace cl::server {

namespace {

const std::shared_ptr<const Settings>& defaults() {
  static const auto kDefaults = std::make_shared<const Settings>(cl::default_settings());  // core is pure: the same every call
  return kDefaults;
}

}  // namespace

std::shared_ptr<const Settings> SettingsCache::get(Store& store) {
  auto row = store.get_record("settings", "global");
  if (!row || row->deleted) return defaults();
  {
    std::lock_guard lock(mutex_);
    if (decoded_ && text_ == row->body) return decoded_;  // the text decides, not a version number
  }
  auto s = decode_text<Settings>(row->body);
  auto value = s.ok() ? std::make_shared<const Settings>(std::move(s.value)) : defaults();
  std::lock_guard lock(mutex_);
  text_ = std::move(row->body);
  decoded_ = value;
  return value;
}

}  // namespace cl::server

#include "app/vm/company_settings.h"

#include <nlohmann/json.hpp>

#include "app/vm/field_app.h"
#include "core/codec.h"
#include "core/settings.h"

namespace cl::app {

Result<Settings> parse_company_settings(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Result<Settings>::failure({Problem{"bad_settings", "settings", "公司设置无法读取", "Company settings are unreadable"}});
  if (j.contains("settings") && j["settings"].is_object()) j = j["settings"];
  auto r = decode<Settings>(j);
  if (!r.ok()) return r;
  if (r.value.stages.empty()) r.value.stages = default_settings().stages;
  return r;
}

const char* settings_source_name(SettingsSource s) {
  switch (s) {
    case SettingsSource::DeviceCache: return "cache";
    case SettingsSource::Server: return "server";
    default: return "defaults";
  }
}

void apply_company_settings(FieldApp& app, const Settings& s) {
  app.settings = s;
  app.sync.set_settings(s);
  app.form.set_settings(s);
}

}  // namespace cl::app

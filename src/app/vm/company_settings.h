// Company settings in the field app (R4 required fields and tags, R9 stages, …, issue 5): the admin
// configures them on the server ("zero-code"); the app takes them from GET /api/v1/settings when
// online, keeps the last copy on the device for offline starts, and falls back to core's
// default_settings() (the seed's rules) when it has never seen the server's.
#pragma once

#include <string>

#include "core/model.h"
#include "core/problem.h"

namespace cl::app {

struct FieldApp;

// The body of GET /api/v1/settings: core's Settings codec, bare or wrapped as {"settings": {…}}.
// A settings object without stages gets the seed's five (the sync client's rule for stage moves).
Result<Settings> parse_company_settings(const std::string& body);

// Where the app's settings came from (shown on the settings screen, checked by browser tests).
enum class SettingsSource { Defaults, DeviceCache, Server };
const char* settings_source_name(SettingsSource s);   // "defaults" | "cache" | "server"

// Puts `s` into every part of the field app that reads settings: the app, the sync client's
// optimistic replay (same rules as the server) and the new-customer form.
void apply_company_settings(FieldApp& app, const Settings& s);

}  // namespace cl::app

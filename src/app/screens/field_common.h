// Shared bits of the field screens (customers, opportunities — issue 5): the running FieldApp,
// the sync-issue banner (rejections with reason + fix + dismiss), small formatters. Wasm only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/screens/screen.h"
#include "app/vm/field_app.h"

namespace cl::app::field {

Instant now();
// The FieldApp, or nullptr after drawing a "loading the local data" line.
FieldApp* require(ScreenContext& ctx);
// R32: rejected / locally refused mutations, each with its reason, a fix action and dismiss.
void issues_banner(ScreenContext& ctx, FieldApp& app);
// The problem text in the current language.
const std::string& problem_text(const Problem& p);
std::string format_datetime(Instant t);    // Beijing "2026-11-27 13:05"
std::string format_dwell(Instant ms);      // "3天4小时" / "3d 4h"
const char* activity_kind_label(ActivityKind k);
// A filter drop-down over `values` with an "all" entry; true on change. `target` names the combo and
// its items ("<target>.all", "<target>.<i>") for the browser tests.
bool filter_combo(const char* id, const char* all_label, const std::vector<std::string>& values, std::string& value,
                  const std::string& target);
// The same with the values asked for only while the drop-down is open: counting a tag's values over
// 50k customers is work the first frame after a cold start need not do (issue 5 cold start).
bool filter_combo(const char* id, const char* all_label, const std::function<const std::vector<std::string>&()>& values,
                  std::string& value, const std::string& target);
// The values of tag group `group` for a filter: the company's configured ones first, then any other
// value customers in the replica carry (imported data predates a settings change). Cached per revision.
const std::vector<std::string>& tag_values(const FieldApp& app, const std::string& group);
// Where the field app's company settings came from (GET /api/v1/settings, device cache, defaults).
const char* settings_source();
// Error text in red under a field.
void field_error(const Problem* p);
// The toast after a change that went into the outbox: `key` ("…正在同步"/"Saved") while online,
// `key`_offline ("…联网后同步") while offline.
void toast_queued(const FieldApp& app, const char* key);

}  // namespace cl::app::field

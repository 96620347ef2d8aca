// Shared bits of the field screens (customers, opportunities — issue 5): the running FieldApp,
// the sync-issue banner (rejections with reason + fix + dismiss), small formatters. Wasm only.
#pragma once

#include <string>

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
// Error text in red under a field.
void field_error(const Problem* p);

}  // namespace cl::app::field

#include "app/screens/field_common.h"

#include <imgui.h>

#include <cstdio>

#include "app/i18n.h"
#include "app/ui/widgets.h"
#include "core/enum_names.h"
#include "core/time.h"
#include "platform/browser.h"

namespace cl::app::field {

Instant now() { return static_cast<Instant>(platform::now_ms()); }

FieldApp* require(ScreenContext&) {
  FieldApp* app = field_app();
  if (!app) ImGui::TextDisabled("%s", tr("field.loading_replica"));
  return app;
}

const std::string& problem_text(const Problem& p) {
  return current_lang() == Lang::En ? p.message_en : p.message_zh;
}

void issues_banner(ScreenContext& ctx, FieldApp& app) {
  auto issues = app.sync.issues();
  if (issues.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1.0f, 0.93f, 0.90f, 1.0f));
  const float h = ImGui::GetTextLineHeightWithSpacing() * 2.2f * static_cast<float>(std::min<std::size_t>(issues.size(), 3)) +
                  ImGui::GetStyle().WindowPadding.y * 2 + ui::row_height();
  ImGui::BeginChild("##sync_issues", ImVec2(0, h), ImGuiChildFlags_Borders);
  ImGui::TextColored(ImVec4(0.7f, 0.1f, 0.1f, 1), "%s (%d)", tr("sync.issues_title"), static_cast<int>(issues.size()));
  for (const auto& issue : issues) {
    ImGui::PushID(static_cast<int>(issue.mid));
    std::string label = std::string(tr(("mutation." + issue.mutation_name).c_str()));
    std::string reason;
    for (const auto& p : issue.problems) reason += (reason.empty() ? "" : "；") + problem_text(p);
    ImGui::TextWrapped("%s%s: %s", label.c_str(), issue.local_only ? tr("sync.local_only_suffix") : "", reason.c_str());
    if (!issue.fix_route.empty()) {
      if (ui::touch_button(tr("sync.fix"))) ctx.navigate(issue.fix_route);
      ui::mark_target("sync.fix." + std::to_string(issue.mid));
      ImGui::SameLine();
    }
    if (!issue.local_only) {
      if (ui::touch_button(tr("sync.dismiss"))) app.sync.dismiss(issue.mid, now());
      ui::mark_target("sync.dismiss." + std::to_string(issue.mid));
    }
    ImGui::PopID();
  }
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

std::string format_datetime(Instant t) {
  if (t <= 0) return "-";
  Date d = beijing_date(t);
  Instant into = t + kBeijingOffset - (beijing_midnight(d) + kBeijingOffset);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", d.year, d.month, d.day, static_cast<int>(into / kHour),
                static_cast<int>((into % kHour) / kMinute));
  return buf;
}

std::string format_dwell(Instant ms) {
  if (ms < 0) ms = 0;
  const long long days = ms / kDay, hours = (ms % kDay) / kHour;
  char buf[48];
  std::snprintf(buf, sizeof buf, tr("field.dwell_fmt"), days, hours);
  return buf;
}

const char* activity_kind_label(ActivityKind k) {
  static std::string key;
  key = "activity.kind." + std::string(enum_name(k));
  return tr(key);
}

void field_error(const Problem* p) {
  if (!p) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.80f, 0.10f, 0.10f, 1.0f));
  ImGui::TextWrapped("%s", problem_text(*p).c_str());
  ImGui::PopStyleColor();
}

}  // namespace cl::app::field

// 商机 Opportunities (R13, issue 5): my funnel widget — count and average dwell per stage — and the
// list of my opportunities (open first), each opening its card.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "app/i18n.h"
#include "app/screens/field_common.h"
#include "app/screens/screen.h"
#include "app/ui/widgets.h"
#include "core/money.h"

namespace cl::app {
namespace {

void funnel_widget(ScreenContext& ctx, FieldApp& app) {
  const Funnel& f = app.funnel.load(app.replica, app.settings, app.user_id, field::now());
  ImGui::SeparatorText(tr("funnel.title"));
  const int n = static_cast<int>(f.stages.size());
  if (n == 0) return;
  std::int64_t max_count = 1;
  for (const auto& s : f.stages) max_count = std::max(max_count, s.open_now);
  const float avail = ImGui::GetContentRegionAvail().x;
  // Wide enough for the longest stage name in the current language ("5. First payment received").
  float widest = 0.0f;
  for (const auto& st : f.stages)
    widest = std::max(widest, ImGui::CalcTextSize((std::to_string(st.stage + 1) + ". " + (current_lang() == Lang::En ? st.name_en : st.name_zh)).c_str()).x);
  const float label_w = ctx.compact ? std::max(avail * 0.38f, std::min(widest + 12.0f, avail * 0.5f))
                                    : std::max(180.0f, widest + 16.0f);
  const float bar_w = std::max(40.0f, avail - label_w - (ctx.compact ? 90.0f : 220.0f));
  for (const auto& s : f.stages) {
    ImGui::PushID(s.stage);
    ImGui::TextUnformatted((std::to_string(s.stage + 1) + ". " + (current_lang() == Lang::En ? s.name_en : s.name_zh)).c_str());
    ImGui::SameLine(label_w);
    const float frac = static_cast<float>(s.open_now) / static_cast<float>(max_count);
    ImGui::ProgressBar(frac, ImVec2(bar_w, 0), std::to_string(s.open_now).c_str());
    ImGui::SameLine();
    if (s.dwell_samples > 0) ImGui::TextDisabled("%s %s", tr("funnel.avg_dwell"), field::format_dwell(s.mean_dwell_ms).c_str());
    else ImGui::TextDisabled("%s -", tr("funnel.avg_dwell"));
    ImGui::PopID();
  }
  ui::mark_target("funnel.widget");
}

void draw_opportunities(ScreenContext& ctx) {
  FieldApp* app = field::require(ctx);
  if (!app) return;
  field::issues_banner(ctx, *app);
  funnel_widget(ctx, *app);
  ImGui::SeparatorText(tr("opportunities.mine"));
  auto rows = opportunity_rows(app->replica, app->settings, app->user_id);
  if (rows.empty()) ImGui::TextDisabled("%s", tr("opportunities.none"));
  const float row_h = ui::row_height() * (ctx.compact ? 1.6f : 1.0f);
  ImGui::BeginChild("##opp_rows", ImVec2(0, 0), ImGuiChildFlags_Borders);
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows.size()), row_h);
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const auto& r = rows[static_cast<std::size_t>(i)];
      ImGui::PushID(i);
      const ImVec2 pos = ImGui::GetCursorPos();
      if (ImGui::Selectable("##opp", false, 0, ImVec2(0, row_h - 2))) ctx.navigate("opportunities/" + r.id);
      if (i == 0) ui::mark_target("opportunities.row0");
      ImGui::SetCursorPos(ImVec2(pos.x + 4, pos.y + 2));
      const char* status = r.status == OpportunityStatus::Open ? "" : tr(r.status == OpportunityStatus::Won ? "opportunities.won" : "opportunities.lost");
      const bool pending = app->sync.is_pending_record("opportunity", r.id);
      const std::string stage = current_lang() == Lang::En ? r.stage_name_en : r.stage_name_zh;
      if (ctx.compact) {
        ImGui::Text("%s%s", r.title.c_str(), pending ? "  ·" : "");
        ImGui::SetCursorPos(ImVec2(pos.x + 4, pos.y + 2 + ImGui::GetTextLineHeightWithSpacing()));
        ImGui::TextDisabled("%s · %d/5 %s · %s %s", r.customer_name.c_str(), r.stage + 1, stage.c_str(),
                            format_yuan(r.expected_amount).c_str(), status);
      } else {
        // Columns by position, each clipped to its width so long titles never run into the next one.
        const float w = ImGui::GetContentRegionAvail().x;
        const ImVec2 origin = ImGui::GetCursorScreenPos();
        const float x0 = ImGui::GetCursorPosX();  // SameLine offsets are window-local
        ImGui::PushClipRect(origin, ImVec2(origin.x + w * 0.40f - 8, origin.y + row_h), true);
        ImGui::Text("%s%s", r.title.c_str(), pending ? "  ·" : "");
        ImGui::PopClipRect();
        ImGui::SameLine(x0 + w * 0.40f);
        ImGui::PushClipRect(ImVec2(origin.x + w * 0.40f, origin.y), ImVec2(origin.x + w * 0.68f - 8, origin.y + row_h), true);
        ImGui::TextUnformatted(r.customer_name.c_str());
        ImGui::PopClipRect();
        ImGui::SameLine(x0 + w * 0.68f);
        ImGui::Text("%d/5 %s", r.stage + 1, stage.c_str());
        ImGui::SameLine(x0 + w * 0.86f);
        ImGui::Text("%s %s", format_yuan(r.expected_amount).c_str(), status);
      }
      ImGui::SetCursorPos(ImVec2(pos.x, pos.y + row_h));
      ImGui::PopID();
    }
  }
  ImGui::EndChild();
}

}  // namespace
}  // namespace cl::app

CL_SCREEN("opportunities", "opportunities", "title.opportunities", cl::app::draw_opportunities);

// 客户生命周期看板 Lifecycle board (R7): six columns (new → contacted → opportunity → customer →
// repurchase-prep → dormant), derived from facts by core; filters by region and owner. On compact
// layouts the columns become sections of one scrolling list.
#include <imgui.h>

#include <string>

#include "app/i18n.h"
#include "app/screens/field_common.h"
#include "app/screens/screen.h"
#include "app/ui/widgets.h"

namespace cl::app {
namespace {

void column_items(ScreenContext& ctx, FieldApp& app, const LifecycleColumn& col, int max_rows) {
  int shown = 0;
  for (const auto& id : col.customer_ids) {
    if (shown++ >= max_rows) {
      ImGui::TextDisabled(tr("board.more_fmt"), static_cast<int>(col.customer_ids.size()) - max_rows);
      break;
    }
    const Customer* c = app.replica.customer(id);
    if (!c) continue;
    ImGui::PushID(id.c_str());
    if (ImGui::Selectable(c->name.c_str(), false, 0, ImVec2(0, ui::row_height()))) ctx.navigate("customers/" + id);
    ImGui::PopID();
  }
}

void draw_board(ScreenContext& ctx) {
  FieldApp* app = field::require(ctx);
  if (!app) return;
  LifecycleFilter& f = app->board_filter;
  ImGui::SetNextItemWidth(200);
  ui::input_text_with_hint("##board_region", tr("board.region_hint"), f.region);
  ImGui::SameLine();
  bool mine = f.owner_id == app->user_id;
  if (ImGui::Checkbox(tr("board.only_mine"), &mine)) f.owner_id = mine ? app->user_id : "";
  const LifecycleBoard& b = app->board.load(app->replica, app->settings, f, field::now());
  ImGui::TextDisabled(tr("board.total_fmt"), static_cast<int>(b.total));
  const int max_rows = 200;  // a column is a summary; the customers list is the place to search
  if (ctx.compact) {
    ImGui::BeginChild("##board_list");
    for (const auto& col : b.columns) {
      std::string head = (current_lang() == Lang::En ? col.name_en : col.name_zh) + " (" + std::to_string(col.customer_ids.size()) + ")";
      if (ImGui::CollapsingHeader(head.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) column_items(ctx, *app, col, 20);
    }
    ImGui::EndChild();
    return;
  }
  if (ImGui::BeginTable("##board", 6, ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY, ImVec2(0, 0))) {
    for (const auto& col : b.columns) {
      std::string head = (current_lang() == Lang::En ? col.name_en : col.name_zh) + " (" + std::to_string(col.customer_ids.size()) + ")";
      ImGui::TableSetupColumn(head.c_str());
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableHeadersRow();
    ImGui::TableNextRow();
    for (const auto& col : b.columns) {
      ImGui::TableNextColumn();
      ImGui::PushID(static_cast<int>(col.stage));
      column_items(ctx, *app, col, max_rows);
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
}

}  // namespace
}  // namespace cl::app

CL_SCREEN("customers/board", "customers", "title.lifecycle_board", cl::app::draw_board);

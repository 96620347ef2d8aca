// 客户生命周期看板 Lifecycle board (R7): six columns (new → contacted → opportunity → customer →
// repurchase-prep → dormant), derived from facts by core; filters by region and owner. On compact
// layouts the columns become sections of one scrolling list.
#include <imgui.h>

#include <string>
#include <vector>

#include "app/i18n.h"
#include "app/screens/field_common.h"
#include "app/screens/screen.h"
#include "app/ui/widgets.h"

namespace cl::app {
namespace {

void column_items(ScreenContext& ctx, FieldApp& app, const LifecycleColumn& col, int max_rows) {
  ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));
  struct Pop { ~Pop() { ImGui::PopStyleVar(); } } pop;
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
    if (shown == 1) ui::mark_target("board.col" + std::to_string(static_cast<int>(col.stage)) + ".first");
    ImGui::PopID();
  }
}

void draw_board(ScreenContext& ctx) {
  FieldApp* app = field::require(ctx);
  if (!app) return;
  LifecycleFilter& f = app->board_filter;
  // R7 filters: region (typed or picked), customer type (the company's tag values), owner.
  const float combo_w = ctx.compact ? (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 2) / 3 : 170.0f;
  const auto regions = [app]() -> const std::vector<std::string>& {
    app->customer_list.refresh(app->replica, app->customer_filter);   // the list may not have been drawn yet
    return app->customer_list.regions(app->replica);
  };
  const auto owners = [app]() -> const std::vector<std::string>& {
    app->customer_list.refresh(app->replica, app->customer_filter);
    return app->customer_list.owners(app->replica);
  };
  ImGui::SetNextItemWidth(combo_w);
  field::filter_combo("##board_region", tr("customers.filter_region_all"), regions, f.region, "board.filter.region");
  ImGui::SameLine();
  const auto types = [app]() -> const std::vector<std::string>& { return field::tag_values(*app, "customer_type"); };
  std::string type = f.tags.count("customer_type") ? f.tags["customer_type"] : std::string();
  ImGui::SetNextItemWidth(combo_w);
  if (field::filter_combo("##board_type", tr("customers.filter_type_all"), types, type, "board.filter.type")) {
    if (type.empty()) f.tags.erase("customer_type");
    else f.tags["customer_type"] = type;
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(combo_w);
  field::filter_combo("##board_owner", tr("board.filter_owner_all"), owners, f.owner_id, "board.filter.owner");
  if (!ctx.compact) ImGui::SameLine();
  bool mine = f.owner_id == app->user_id;
  if (ImGui::Checkbox(tr("board.only_mine"), &mine)) f.owner_id = mine ? app->user_id : "";
  ui::mark_target("board.only_mine");
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

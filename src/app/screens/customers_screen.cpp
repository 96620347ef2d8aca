// 客户 Customers (issue 5): search-as-you-type over the local replica (name, code, phone, decision
// maker), filters by region, owner and customer type, a clipped list (ImGuiListClipper: 50k rows cost
// what the visible ones cost), and the way to the new-customer form. Works offline.
#include <imgui.h>

#include <string>
#include <vector>

#include "app/i18n.h"
#include "app/screens/field_common.h"
#include "app/screens/screen.h"
#include "app/ui/widgets.h"

namespace cl::app {
namespace {

// A combo over `values` with an "all" entry; returns true on change.
bool filter_combo(const char* id, const char* all_label, const std::vector<std::string>& values, std::string& value) {
  bool changed = false;
  if (ImGui::BeginCombo(id, value.empty() ? all_label : value.c_str())) {
    if (ImGui::Selectable(all_label, value.empty())) { value.clear(); changed = true; }
    for (const auto& v : values)
      if (ImGui::Selectable(v.c_str(), v == value)) { value = v; changed = true; }
    ImGui::EndCombo();
  }
  return changed;
}

void draw_customers(ScreenContext& ctx) {
  FieldApp* app = field::require(ctx);
  if (!app) return;
  field::issues_banner(ctx, *app);
  CustomerFilter& f = app->customer_filter;

  // Search box + new button on one row; filters below (wrapping on narrow screens).
  const float new_w = ImGui::CalcTextSize(tr("customers.new")).x + ImGui::CalcTextSize(tr("customers.board")).x +
                      ImGui::GetStyle().FramePadding.x * 8 + ImGui::GetStyle().ItemSpacing.x;
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - new_w - ImGui::GetStyle().ItemSpacing.x);
  ui::input_text_with_hint("##customer_search", tr("customers.search_hint"), f.query);
  ui::mark_target("customers.search");
  ImGui::SameLine();
  if (ui::touch_button(tr("customers.new"))) ctx.navigate("customers/new");
  ui::mark_target("customers.new_button");
  ImGui::SameLine();
  if (ui::touch_button(tr("customers.board"))) ctx.navigate("customers/board");
  ui::mark_target("customers.board_button");

  const float combo_w = ctx.compact ? (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 2) / 3
                                    : 160.0f;
  static std::vector<std::string> regions, owners;
  static std::uint64_t lists_revision = ~0ull;
  if (lists_revision != app->replica.revision()) {
    app->customer_list.refresh(app->replica, f);
    regions = app->customer_list.regions();
    owners = app->customer_list.owners();
    lists_revision = app->replica.revision();
  }
  ImGui::SetNextItemWidth(combo_w);
  filter_combo("##region", tr("customers.filter_region_all"), regions, f.region);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(combo_w);
  filter_combo("##owner", tr("customers.filter_owner_all"), owners, f.owner_id);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(combo_w);
  static const std::vector<std::string> types = {"三甲医院", "民营诊所", "经销商"};
  if (filter_combo("##type", tr("customers.filter_type_all"), types, f.tag_value))
    f.tag_group = f.tag_value.empty() ? "" : "customer_type";

  app->customer_list.refresh(app->replica, f);
  ImGui::TextDisabled(tr("customers.count_fmt"), static_cast<int>(app->customer_list.count()),
                      static_cast<int>(app->customer_list.total()));
  if (app->customer_list.total() == 0 && app->sync.status().first_sync)
    ImGui::TextDisabled("%s", tr("customers.first_sync"));

  const float row_h = ui::row_height() * (ctx.compact ? 1.6f : 1.0f);
  ImGui::BeginChild("##customer_rows", ImVec2(0, 0), ImGuiChildFlags_Borders);
  const bool wide = !ctx.compact && ImGui::GetContentRegionAvail().x > 700;
  if (wide && ImGui::BeginTable("##customers", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn(tr("customers.col_name"), ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn(tr("customers.col_code"), ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn(tr("customers.col_decision_maker"), ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn(tr("customers.col_phone"), ImGuiTableColumnFlags_WidthStretch, 1.5f);
    ImGui::TableSetupColumn(tr("customers.col_region"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(app->customer_list.count()), row_h);
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        CustomerRow r = app->customer_list.row(app->replica, static_cast<std::size_t>(i));
        ImGui::TableNextRow(0, row_h);
        ImGui::TableNextColumn();
        ImGui::PushID(i);
        const bool pending = app->sync.is_pending_record("customer", r.id);
        std::string label = r.name + (pending ? std::string("  · ") + tr("sync.pending") : "");
        if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_SpanAllColumns, ImVec2(0, row_h)))
          ctx.navigate("customers/" + r.id);
        if (i == 0) ui::mark_target("customers.row0");
        ImGui::PopID();
        ImGui::TableNextColumn(); ImGui::TextUnformatted(r.code.c_str());
        ImGui::TableNextColumn(); ImGui::TextUnformatted(r.decision_maker.c_str());
        ImGui::TableNextColumn(); ImGui::TextUnformatted(r.phone.c_str());
        ImGui::TableNextColumn(); ImGui::TextUnformatted(r.region.c_str());
      }
    }
    ImGui::EndTable();
  } else if (!wide) {
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(app->customer_list.count()), row_h);
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        CustomerRow r = app->customer_list.row(app->replica, static_cast<std::size_t>(i));
        ImGui::PushID(i);
        const ImVec2 pos = ImGui::GetCursorPos();
        if (ImGui::Selectable("##row", false, 0, ImVec2(0, row_h - 2))) ctx.navigate("customers/" + r.id);
        if (i == 0) ui::mark_target("customers.row0");
        ImGui::SetCursorPos(ImVec2(pos.x + 4, pos.y + 2));
        const bool pending = app->sync.is_pending_record("customer", r.id);
        ImGui::Text("%s%s", r.name.c_str(), pending ? "  ·" : "");
        ImGui::SetCursorPos(ImVec2(pos.x + 4, pos.y + 2 + ImGui::GetTextLineHeightWithSpacing()));
        ImGui::TextDisabled("%s · %s · %s · %s", r.code.c_str(), r.decision_maker.c_str(), r.phone.c_str(), r.region.c_str());
        ImGui::SetCursorPos(ImVec2(pos.x, pos.y + row_h));
        ImGui::PopID();
      }
    }
  }
  ImGui::EndChild();
}

}  // namespace
}  // namespace cl::app

CL_SCREEN("customers", "customers", "title.customers", cl::app::draw_customers);

// 客户 Customers (issue 5): search-as-you-type over the local replica (name, code, phone, decision
// maker), filters by region, owner and customer type, a clipped list (ImGuiListClipper: 50k rows cost
// what the visible ones cost), and the way to the new-customer form. Works offline.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "app/i18n.h"
#include "app/screens/field_common.h"
#include "app/screens/screen.h"
#include "app/ui/widgets.h"
#include "app/vm/customer_export.h"
#include "platform/browser.h"
#include "platform/files.h"

namespace cl::app {
namespace {

// Long-press (touch) or right click on a row: the quick actions where the rep already is (R8).
void row_context_menu(ScreenContext& ctx, FieldApp& app, const CustomerRow& r, int i) {
  if (!ImGui::BeginPopupContextItem("##row_ctx")) return;
  const std::string prefix = i == 0 ? "customers.ctx." : "";
  ImGui::TextDisabled("%s", r.name.c_str());
  ImGui::Separator();
  const ImVec2 size(std::max(220.0f, ImGui::CalcTextSize(r.name.c_str()).x), ui::row_height());
  if (ImGui::Selectable(tr("customers.ctx_open"), false, 0, size)) ctx.navigate("customers/" + r.id);
  if (!prefix.empty()) ui::mark_target(prefix + "open");
  if (!r.phone.empty()) {
    if (ImGui::Selectable((std::string(tr("customers.ctx_dial")) + "  " + r.phone).c_str(), false, 0, size)) platform::open_tel(r.phone);
    if (!prefix.empty()) ui::mark_target(prefix + "dial");
    if (ImGui::Selectable(tr("customers.ctx_copy_phone"), false, 0, size)) {
      platform::copy_to_clipboard(r.phone);
      ui::toast(tr("common.copied"));
    }
    if (!prefix.empty()) ui::mark_target(prefix + "copy_phone");
  }
  if (ImGui::Selectable(tr("customers.ctx_log_visit"), false, 0, size)) {
    auto res = app.quick_log.handle(QuickLog{r.id, "", ActivityKind::Visit, ""}, tr(quick_log_default_key(ActivityKind::Visit)),
                                    app.sync, app.ids, app.user_id, field::now());
    ui::toast(res.ok() ? tr("profile.quick_log_saved") : field::problem_text(res.problems.front()).c_str());
  }
  if (!prefix.empty()) ui::mark_target(prefix + "log_visit");
  ImGui::EndPopup();
}

// R35 / issue 5: the list as filtered on screen, as a CSV download (inside the tap's gesture frame).
void export_csv(FieldApp& app) {
  const std::string csv = customers_csv(app.replica, app.customer_list, current_lang());
  platform::download_file(customers_csv_name(field::now(), current_lang()), "text/csv;charset=utf-8", csv.data(), csv.size());
  static std::string msg;
  char buf[96];
  std::snprintf(buf, sizeof buf, tr("customers.exported_fmt"), static_cast<int>(app.customer_list.count()));
  msg = buf;
  ui::toast(msg.c_str());
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
  // The drop-downs' values only while one is open: after a start they are read lazily (customer_list_vm.h).
  const auto regions = [app]() -> const std::vector<std::string>& { return app->customer_list.regions(app->replica); };
  const auto owners = [app]() -> const std::vector<std::string>& { return app->customer_list.owners(app->replica); };
  ImGui::SetNextItemWidth(combo_w);
  field::filter_combo("##region", tr("customers.filter_region_all"), regions, f.region, "customers.filter.region");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(combo_w);
  field::filter_combo("##owner", tr("customers.filter_owner_all"), owners, f.owner_id, "customers.filter.owner");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(combo_w);
  // R7 tag filter: the customer-type values the company configured (settings), not a fixed list.
  const auto types = [app]() -> const std::vector<std::string>& { return field::tag_values(*app, "customer_type"); };
  if (field::filter_combo("##type", tr("customers.filter_type_all"), types, f.tag_value, "customers.filter.type"))
    f.tag_group = f.tag_value.empty() ? "" : "customer_type";
  if (!ctx.compact) {
    ImGui::SameLine();
    if (ui::touch_button(tr("customers.export_csv"))) export_csv(*app);
    ui::mark_target("customers.export_csv");
  }

  app->customer_list.refresh(app->replica, f);
  if (ctx.compact) {
    if (ui::touch_button(tr("customers.export_csv"))) export_csv(*app);
    ui::mark_target("customers.export_csv");
    ImGui::SameLine();
  }
  ImGui::AlignTextToFramePadding();
  ImGui::TextDisabled(tr("customers.count_fmt"), static_cast<int>(app->customer_list.count()),
                      static_cast<int>(app->customer_list.total()));
  if (ctx.touch) {
    ImGui::SameLine();
    ImGui::TextDisabled("· %s", tr("customers.ctx_hint"));
  }
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
        row_context_menu(ctx, *app, r, i);
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
        row_context_menu(ctx, *app, r, i);
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

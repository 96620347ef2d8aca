// 新建客户 New customer (R4, R5, issue 5): the configured required fields and tags with the problem
// under each field, the duplicate warning before saving, and saving offline (the sync client queues
// customer.create; the code comes from this device's number). Also the "fix" target of a rejected
// customer.create: the form opens filled with what was refused.
#include <imgui.h>

#include <cstdlib>
#include <string>

#include "app/i18n.h"
#include "app/screens/field_common.h"
#include "app/screens/screen.h"
#include "app/ui/widgets.h"

namespace cl::app {
namespace {

std::int64_t g_loaded_retry = 0;

// Label, required star and — on the same line, to keep the form on one tablet screen — the problem.
void label_for(const char* zh, const char* en, bool required, const Problem* problem) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(current_lang() == Lang::En ? en : zh);
  if (required) {
    ImGui::SameLine(0, 2);
    ImGui::TextColored(ImVec4(0.85f, 0.15f, 0.15f, 1), "*");
  }
  if (problem) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.80f, 0.10f, 0.10f, 1), "%s", field::problem_text(*problem).c_str());
  }
}

void tag_chips(NewCustomerFormVM& form, const TagGroup& group, float width) {
  label_for(group.name_zh.c_str(), group.name_en.c_str(), group.required, form.problem_for("tags." + group.key));
  std::string& chosen = form.tags[group.key];
  const float x0 = ImGui::GetCursorPosX();
  for (std::size_t i = 0; i < group.values.size(); ++i) {
    const std::string& v = group.values[i];
    const float w = ImGui::CalcTextSize(v.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
    if (i > 0) {
      const float next = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetStyle().ItemSpacing.x + w;
      if (next < x0 + width) ImGui::SameLine();
    }
    const bool on = chosen == v;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.16f, 0.43f, 0.78f, 1));
    if (on) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
    std::string label = v + "##" + group.key + std::to_string(i);
    if (ui::touch_button(label.c_str())) chosen = on ? "" : v;
    ui::mark_target("customer_form.tag." + group.key + "." + std::to_string(i));
    if (on) ImGui::PopStyleColor(2);
  }
  ImGui::Dummy(ImVec2(0, 4));
}

void draw_new_customer(ScreenContext& ctx) {
  FieldApp* app = field::require(ctx);
  if (!app) return;
  NewCustomerFormVM& form = app->form;

  // "customers/new/retry/<mid>": refill from the rejected mutation once.
  const std::string retry = ctx.route.param("mid");
  if (!retry.empty() && std::atoll(retry.c_str()) != g_loaded_retry) {
    g_loaded_retry = std::atoll(retry.c_str());
    for (const auto& issue : app->sync.issues())
      if (issue.mid == g_loaded_retry && issue.args.contains("customer"))
        form.load_from_args(issue.args["customer"], issue.mid);
  }

  const float avail = ImGui::GetContentRegionAvail().x;
  const float footer_h = ui::row_height() + ImGui::GetStyle().ItemSpacing.y * 3 + 8;
  const bool two_columns = !ctx.compact && avail > 760.0f;
  const float col_w = two_columns ? (avail - 24.0f) / 2 : avail;
  const float field_w = std::min(col_w - ImGui::GetStyle().ItemSpacing.x, 560.0f);   // inside the column clip

  ImGui::BeginChild("##new_customer_form", ImVec2(0, -footer_h), ImGuiChildFlags_None);
  // Tight rows: the whole form fits a tablet screen in both orientations (issue 5 layouts).
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 4.0f));
  for (const auto& p : form.problems())
    if (p.field.empty() || p.code == "possible_duplicate") field::field_error(&p);
  if (two_columns) {
    ImGui::Columns(2, "##form_cols", false);
    ImGui::SetColumnWidth(0, col_w + 12);
  }
  for (const auto& field : form.fields()) {
    std::string* value = form.value_of(field.key);
    if (!value) continue;
    label_for(field.label_zh.c_str(), field.label_en.c_str(), field.required, form.problem_for(field.key));
    ImGui::SetNextItemWidth(field_w);
    std::string id = "##f_" + field.key;
    ui::input_text(id.c_str(), *value);
    ui::mark_target("customer_form." + field.key);
    ImGui::Dummy(ImVec2(0, 4));
  }
  if (two_columns) ImGui::NextColumn();
  // R4 tags: one group of choice chips per tag group.
  for (const auto& group : form.tag_groups()) tag_chips(form, group, col_w);
  if (two_columns) ImGui::Columns(1);

  // R5: duplicates, live while typing.
  form.check_duplicates(app->replica);
  if (!form.duplicates().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.45f, 0.0f, 1));
    ImGui::TextWrapped("%s", tr("customer_form.duplicate_warning"));
    ImGui::PopStyleColor();
    for (const auto& d : form.duplicates()) {
      ImGui::PushID(d.id.c_str());
      const std::string line = d.code + "  " + d.name + "  " + d.phone + "  (" +
                               (current_lang() == Lang::En ? d.reason_en : d.reason_zh) + ")";
      if (ImGui::Selectable(line.c_str())) ctx.navigate("customers/" + d.id);
      ImGui::PopID();
    }
    if (ui::touch_button(tr("customer_form.not_duplicate"))) form.handle(AcknowledgeDuplicate{form.duplicates()[0].id});
    ui::mark_target("customer_form.not_duplicate");
  }
  ImGui::PopStyleVar();
  ImGui::EndChild();

  // Footer: always visible, whatever the keyboard and the scroll position.
  ImGui::Separator();
  ImGui::Spacing();
  if (form.attempted() && !form.problems().empty()) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), tr("customer_form.problem_count_fmt"),
                       static_cast<int>(form.problems().size()));
    ImGui::SameLine();
  }
  if (ui::touch_button(tr("customer_form.save"), ImVec2(ctx.compact ? 240.0f : 200.0f, 0))) {
    auto r = form.handle(SubmitNewCustomer{}, app->replica, app->sync, app->ids, app->user_id, field::now());
    if (r.ok()) {
      field::toast_queued(*app, "customer_form.saved");
      g_loaded_retry = 0;
      ctx.replace("customers/" + r.value);
    }
  }
  ui::mark_target("customer_form.save");
  ImGui::SameLine();
  if (ui::touch_button(tr("common.cancel"))) {
    form.reset();
    ctx.navigate("customers");
  }
}

}  // namespace
}  // namespace cl::app

CL_SCREEN("customers/new", "customers", "title.customer_new", cl::app::draw_new_customer);
CL_SCREEN("customers/new/retry/:mid", "customers", "title.customer_new", cl::app::draw_new_customer);

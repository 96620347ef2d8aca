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

void label_for(const char* zh, const char* en, bool required) {
  ImGui::TextUnformatted(current_lang() == Lang::En ? en : zh);
  if (required) {
    ImGui::SameLine(0, 2);
    ImGui::TextColored(ImVec4(0.85f, 0.15f, 0.15f, 1), "*");
  }
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
  const float field_w = ctx.compact ? avail : std::min(avail, 560.0f);
  ImGui::BeginChild("##new_customer_form", ImVec2(0, 0), ImGuiChildFlags_None);
  if (!form.problems().empty() && form.attempted()) {
    ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), tr("customer_form.problem_count_fmt"),
                       static_cast<int>(form.problems().size()));
    for (const auto& p : form.problems())
      if (p.field.empty()) field::field_error(&p);
  }
  for (const auto& field : form.fields()) {
    label_for(field.label_zh.c_str(), field.label_en.c_str(), field.required);
    ImGui::SetNextItemWidth(field_w);
    std::string* value = form.value_of(field.key);
    if (!value) continue;
    std::string id = "##f_" + field.key;
    ui::input_text(id.c_str(), *value);
    ui::mark_target("customer_form." + field.key);
    field::field_error(form.problem_for(field.key));
    ImGui::Spacing();
  }
  // R4 tags: one row of choice chips per tag group.
  for (const auto& group : form.tag_groups()) {
    label_for(group.name_zh.c_str(), group.name_en.c_str(), group.required);
    std::string& chosen = form.tags[group.key];
    for (std::size_t i = 0; i < group.values.size(); ++i) {
      const std::string& v = group.values[i];
      if (i > 0) {
        const float next = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(v.c_str()).x + 24;
        if (next < ImGui::GetWindowPos().x + field_w) ImGui::SameLine();
      }
      const bool on = chosen == v;
      if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
      std::string label = v + "##" + group.key + std::to_string(i);
      if (ui::touch_button(label.c_str())) chosen = on ? "" : v;
      ui::mark_target("customer_form.tag." + group.key + "." + std::to_string(i));
      if (on) ImGui::PopStyleColor();
    }
    field::field_error(form.problem_for("tags." + group.key));
    ImGui::Spacing();
  }

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
  ImGui::Spacing();
  if (ui::touch_button(tr("customer_form.save"), ImVec2(ctx.compact ? avail : 200.0f, 0))) {
    auto r = form.handle(SubmitNewCustomer{}, app->replica, app->sync, app->ids, app->user_id, field::now());
    if (r.ok()) {
      ui::toast(app->sync.status().connectivity == Connectivity::Offline ? tr("customer_form.saved_offline")
                                                                         : tr("customer_form.saved"));
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
  ImGui::EndChild();
}

}  // namespace
}  // namespace cl::app

CL_SCREEN("customers/new", "customers", "title.customer_new", cl::app::draw_new_customer);
CL_SCREEN("customers/new/retry/:mid", "customers", "title.customer_new", cl::app::draw_new_customer);

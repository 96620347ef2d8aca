// 客户档案 Customer profile (R6, R8): contact with one-tap dial (tel:) and copy; quick log of a
// visit / call / message in two taps; the last three interactions, open opportunities, quotes, the
// payment timeline, repurchase status and owner history — all from the local replica, offline too.
#include <imgui.h>

#include <string>

#include "app/i18n.h"
#include "app/screens/field_common.h"
#include "app/screens/screen.h"
#include "app/ui/widgets.h"
#include "core/enum_names.h"
#include "core/money.h"
#include "core/time.h"
#include "platform/browser.h"

namespace cl::app {
namespace {

void section(const char* key) {
  ImGui::Spacing();
  ImGui::SeparatorText(tr(key));
}

void quick_log(ScreenContext&, FieldApp& app, const Id& customer_id) {
  section("profile.quick_log");
  QuickLogVM& q = app.quick_log;
  int idx = 0;
  for (ActivityKind k : quick_log_kinds()) {
    if (idx++) ImGui::SameLine();
    const bool on = q.has_choice() && q.chosen() == k;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    std::string label = std::string(field::activity_kind_label(k)) + "##ql" + std::to_string(idx);
    if (ui::touch_button(label.c_str())) q.choose(k);  // tap 1
    ui::mark_target(std::string("profile.quick_log.") + std::string(enum_name(k)));
    if (on) ImGui::PopStyleColor();
  }
  if (!q.has_choice()) return;
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 480.0f));
  ui::input_text_with_hint("##ql_summary", tr("profile.quick_log_hint"), q.summary);
  ImGui::SameLine();
  if (ui::touch_button(tr("profile.quick_log_save"))) {  // tap 2
    const std::string def = tr(quick_log_default_key(q.chosen()));
    auto r = q.handle(QuickLog{customer_id, "", q.chosen(), q.summary}, def, app.sync, app.ids, app.user_id, field::now());
    ui::toast(r.ok() ? tr("profile.quick_log_saved") : field::problem_text(r.problems.front()).c_str());
  }
  ui::mark_target("profile.quick_log.save");
}

void draw_customer_profile(ScreenContext& ctx) {
  FieldApp* app = field::require(ctx);
  if (!app) return;
  field::issues_banner(ctx, *app);
  const Id id = ctx.route.param("id");
  const CustomerProfile& p = app->profile.load(app->replica, id);
  if (!p.found) {
    ImGui::TextDisabled("%s", tr("profile.not_found"));
    if (ui::touch_button(tr("common.back"))) ctx.navigate("customers");
    return;
  }
  const Customer& c = p.customer;
  ImGui::BeginChild("##profile", ImVec2(0, 0));
  ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.3f);
  ImGui::TextWrapped("%s", c.name.c_str());
  ImGui::PopFont();
  ImGui::TextDisabled("%s%s", c.code.c_str(), app->sync.is_pending_record("customer", c.meta.id)
                                                  ? (std::string("  · ") + tr("sync.pending")).c_str() : "");
  for (const auto& [group, value] : c.tags) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.2f, 0.45f, 0.75f, 1), "[%s]", value.c_str());
  }
  if (p.repurchase_prep) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.8f, 0.4f, 0.0f, 1), "%s", tr("profile.repurchase_prep"));
  }

  // Contact + R8 quick actions.
  ImGui::Text("%s: %s %s", tr("profile.decision_maker"), c.decision_maker.c_str(), c.decision_maker_title.c_str());
  if (!c.phone.empty()) {
    if (ui::touch_button((std::string(tr("common.dial")) + " " + c.phone).c_str())) platform::open_tel(c.phone);
    ui::mark_target("profile.dial");
    ImGui::SameLine();
    ui::copy_button("##copy_phone", c.phone);
    ui::mark_target("profile.copy_phone");
  }
  if (!c.main_business.empty()) ImGui::TextWrapped("%s: %s", tr("profile.main_business"), c.main_business.c_str());
  if (!c.address.empty()) ImGui::TextWrapped("%s: %s", tr("profile.address"), c.address.c_str());

  quick_log(ctx, *app, id);

  section("profile.last_interactions");
  if (p.last_interactions.empty()) ImGui::TextDisabled("%s", tr("profile.none"));
  for (const auto& a : p.last_interactions)
    ImGui::TextWrapped("%s  %s  %s", field::format_datetime(a.at).c_str(), field::activity_kind_label(a.kind),
                       a.summary.c_str());

  section("profile.open_opportunities");
  if (p.open_opportunities.empty()) ImGui::TextDisabled("%s", tr("profile.none"));
  for (const auto& o : p.open_opportunities) {
    ImGui::PushID(o.meta.id.c_str());
    const int stage = o.stages.empty() ? 0 : o.stages.back().stage;
    std::string line = o.title + "  " + format_yuan(o.expected_amount) + "  (" + std::to_string(stage + 1) + "/5)";
    ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));
    if (ImGui::Selectable(line.c_str(), false, 0, ImVec2(0, ui::row_height()))) ctx.navigate("opportunities/" + o.meta.id);
    ImGui::PopStyleVar();
    ImGui::PopID();
  }

  section("profile.quotes");
  if (p.quotes.empty()) ImGui::TextDisabled("%s", tr("profile.none"));
  for (const auto& q : p.quotes)
    ImGui::Text("%s  %s  %s", q.code.c_str(), to_iso_date(q.quote_date).c_str(), tr(("quote.status." + std::string(enum_name(q.status))).c_str()));

  section("profile.payments");
  ImGui::Text(tr("profile.paid_fmt"), format_yuan(p.paid).c_str(), format_yuan(p.invoiced).c_str());
  for (const auto& t : p.payment_timeline)
    ImGui::Text("%s  %s  %s  %s", to_iso_date(t.date).c_str(), tr(("profile.timeline." + t.what).c_str()),
                format_yuan(t.amount).c_str(), t.code.c_str());

  section("profile.owner_history");
  if (p.owner_history.empty()) ImGui::TextDisabled(tr("profile.owner_fmt"), c.meta.owner_id.c_str());
  for (const auto& h : p.owner_history)
    ImGui::Text("%s  %s → %s  %s", field::format_datetime(h.at).c_str(), h.from_owner.c_str(), h.to_owner.c_str(), h.reason.c_str());
  ImGui::EndChild();
}

}  // namespace
}  // namespace cl::app

CL_SCREEN("customers/:id", "customers", "title.customer_profile", cl::app::draw_customer_profile);

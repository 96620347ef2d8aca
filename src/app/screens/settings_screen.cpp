// 设置 Settings: the language choice (also in the top bar) and facts about this device that help
// support ("what does the tablet report?").
#include <imgui.h>

#include <string>

#include "app/app_state.h"
#include "app/i18n.h"
#include "app/screens/field_common.h"
#include "app/screens/screen.h"
#include "app/ui/widgets.h"
#include "platform/browser.h"

namespace cl::app {
namespace {

void draw_settings(ScreenContext& ctx) {
  ImGui::TextUnformatted(tr("settings.language"));
  int lang = current_lang() == Lang::En ? 1 : 0;
  bool changed = ImGui::RadioButton(tr("settings.lang_zh"), &lang, 0);
  ImGui::SameLine();
  changed |= ImGui::RadioButton(tr("settings.lang_en"), &lang, 1);
  if (changed) {
    const Lang l = lang == 1 ? Lang::En : Lang::Zh;
    set_current_lang(l);
    platform::local_storage_set("closeloop.lang", lang_code(l));
    platform::set_page_language(lang_code(l));
  }
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::TextUnformatted(tr("settings.device"));
  ImGui::Text("%s: %.2f", tr("settings.pixel_ratio"), ImGui::GetIO().DisplayFramebufferScale.x);
  ImGui::Text("%s: %s", tr("settings.pointer"), ctx.touch ? tr("settings.pointer_touch") : tr("settings.pointer_mouse"));

  // The company's rules this device works with (GET /api/v1/settings, cached for offline starts).
  if (FieldApp* app = field_app()) {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted(tr("settings.company"));
    ImGui::Text("%s: %s", tr("settings.source"), tr(std::string("settings.source.") + field::settings_source()));
    std::string fields;
    for (const auto& f : app->form.fields())
      if (f.required) fields += (fields.empty() ? "" : "、") + (current_lang() == Lang::En ? f.label_en : f.label_zh);
    ImGui::TextWrapped("%s: %s", tr("settings.required_fields"), fields.c_str());
    std::string stages;
    for (const auto& st : app->settings.stages) stages += (stages.empty() ? "" : " → ") + (current_lang() == Lang::En ? st.name_en : st.name_zh);
    ImGui::TextWrapped("%s: %s", tr("settings.stages"), stages.c_str());
  }
}

}  // namespace
}  // namespace cl::app

CL_SCREEN("settings", "settings", "title.settings", cl::app::draw_settings);

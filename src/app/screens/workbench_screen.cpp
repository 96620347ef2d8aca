// 工作台 Workbench: proves the shell talks to the server (GET /api/v1/me, GET /api/v1/health) and
// hosts a quick note field that browser tests type Chinese into through the IME.
#include <imgui.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

#include "app/app_state.h"
#include "app/i18n.h"
#include "app/screens/screen.h"
#include "app/ui/widgets.h"
#include "platform/http.h"

namespace cl::app {
namespace {

struct WorkbenchData {
  std::string token_loaded;     // /me fetched for this session token
  bool loading = false;
  int status = -1;              // HTTP status of /me (0 = network failure)
  std::string username, display_name, role, team;
  std::string server_version;
  std::string quick_note;
};

WorkbenchData g_wb;

std::string text_of(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return {};
  if (j[key].is_string()) return j[key].get<std::string>();
  return j[key].dump();
}

void load(const std::string& token) {
  g_wb.token_loaded = token;
  g_wb.loading = true;
  platform::http_get_json("/api/v1/me", [token](const platform::HttpResponse& r) {
    if (token != g_wb.token_loaded) return;   // a newer session replaced this one
    g_wb.loading = false;
    g_wb.status = r.status;
    const auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (!r.ok() || !j.is_object()) return;
    const nlohmann::json& u = j.contains("user") && j["user"].is_object() ? j["user"] : j;
    g_wb.username = text_of(u, "username");
    g_wb.display_name = text_of(u, "display_name");
    g_wb.role = text_of(u, "role");
    g_wb.team = u.contains("team_name") ? text_of(u, "team_name") : text_of(u, "team_id");
  });
  platform::http_get_json("/api/v1/health", [](const platform::HttpResponse& r) {
    const auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (r.ok() && j.is_object()) g_wb.server_version = text_of(j, "version");
  });
}

const char* role_label(const std::string& role) {
  if (role == "admin") return tr("role.admin");
  if (role == "manager") return tr("role.manager");
  return tr("role.rep");
}

void row(const char* key, const std::string& value) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%s", tr(key));
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(value.c_str());
}

void draw_workbench(ScreenContext& ctx) {
  const Session& s = ctx.app.session;
  if (s.valid() && s.token != g_wb.token_loaded) load(s.token);

  const std::string name = !g_wb.display_name.empty() ? g_wb.display_name
                           : (!s.user.display_name.empty() ? s.user.display_name : s.user.username);
  ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.2f);
  ImGui::Text("%s%s", tr("workbench.greeting"), name.c_str());
  ImGui::PopFont();
  ImGui::Spacing();

  const float card_w = ctx.compact ? 0.0f : std::min(520.0f, ImGui::GetContentRegionAvail().x);
  ImGui::BeginChild("##me", ImVec2(card_w, 0), ImGuiChildFlags_Borders | ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_AlwaysUseWindowPadding);
  ImGui::TextUnformatted(tr("workbench.profile"));
  ImGui::Separator();
  if (g_wb.loading) {
    ImGui::TextDisabled("%s", tr("workbench.loading_me"));
  } else if (g_wb.status == 0) {
    ImGui::TextDisabled("%s", tr("workbench.offline_cached"));   // offline is normal in the field
    if (ui::touch_button(tr("workbench.retry"))) load(s.token);
  } else if (g_wb.status != 200 && g_wb.status != -1) {
    ImGui::TextColored(ImVec4(0.75f, 0.2f, 0.1f, 1), "%s (HTTP %d)", tr("workbench.me_failed"), g_wb.status);
    if (ui::touch_button(tr("workbench.retry"))) load(s.token);
  }
  if (ImGui::BeginTable("##me_table", 2, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed, 110.0f);
    ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch);
    const bool fresh = g_wb.status == 200;
    row("workbench.username", fresh ? g_wb.username : s.user.username);
    row("workbench.display_name", name);
    const char* roles[] = {"rep", "manager", "admin"};
    row("workbench.role", role_label(fresh ? g_wb.role : roles[static_cast<int>(s.user.role)]));
    const std::string team = fresh ? g_wb.team : s.user.team_id;
    row("workbench.team", team.empty() ? std::string(tr("workbench.no_team")) : team);
    if (!g_wb.server_version.empty()) row("workbench.server_version", g_wb.server_version);
    ImGui::EndTable();
  }
  ImGui::EndChild();

  ImGui::Spacing();
  ImGui::TextUnformatted(tr("workbench.quick_note"));
  ImGui::SetNextItemWidth(card_w > 0 ? card_w : -1.0f);
  ui::input_text_with_hint("##quick_note", tr("workbench.quick_note_hint"), g_wb.quick_note);
  ui::mark_target("workbench.quick_note");
  if (!g_wb.quick_note.empty()) {
    ImGui::SameLine();
    ui::copy_button("copy_note", g_wb.quick_note);
    ui::mark_target("workbench.copy_note");
  }
}

}  // namespace
}  // namespace cl::app

CL_SCREEN("workbench", "workbench", "title.workbench", cl::app::draw_workbench);

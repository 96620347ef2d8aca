// The workspace shell (issue 2): top bar (name, user, sync indicator, language, logout), side
// navigation on desktop or a bottom tab bar on phones / tablets in portrait, the content area where
// the routed screen draws, URL hash routing with back/forward and a document title per screen.
//
// [SECTION] Session, language, routing (app_entry.h)
// [SECTION] Top bar
// [SECTION] Navigation: side nav, bottom tab bar
// [SECTION] Content
// [SECTION] Frame
#include <imgui.h>
#include <nlohmann/json.hpp>

#include <string>

#include "app/app_state.h"
#include "app/i18n.h"
#include "app/screens/screen.h"
#include "app/shell/app_entry.h"
#include "app/shell/nav_table.h"
#include "app/shell/style.h"
#include "app/ui/widgets.h"
#include "platform/browser.h"

namespace cl::app {
namespace {

struct ShellState {
  Route route;
  const ScreenDef* screen = nullptr;
  std::string title_shown;     // last document.title set (set only on change)
  int style_touch = -1;        // style applied for touch (1) / mouse (0)
  bool compact = false;
};

ShellState g_shell;

// ============================================================================================
// [SECTION] Session, language, routing
// ============================================================================================

Role role_from(const std::string& s) {
  if (s == "admin") return Role::Admin;
  if (s == "manager") return Role::Manager;
  return Role::Rep;
}

const char* role_key(Role r) {
  switch (r) {
    case Role::Admin: return "role.admin";
    case Role::Manager: return "role.manager";
    default: return "role.rep";
  }
}

std::string json_id(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  return {};
}

void resolve_route(const std::string& path) {
  g_shell.route = Route::parse(path);
  if (g_shell.route.parts.empty()) g_shell.route = Route::parse("workbench");
  g_shell.screen = match_screen(g_shell.route);
  state().route = g_shell.route.path;
  if (g_shell.screen) {
    state().screen = g_shell.screen->pattern;
  } else if (!g_shell.route.parts.empty()) {
    bool is_area = false;
    for (const auto& a : nav_areas()) is_area |= (g_shell.route.parts[0] == a.id);
    state().screen = is_area && g_shell.route.parts.size() == 1 ? g_shell.route.parts[0] + ":placeholder" : "not-found";
  }
}

const char* current_area() {
  if (g_shell.screen) return g_shell.screen->area;
  return g_shell.route.parts.empty() ? "workbench" : g_shell.route.parts[0].c_str();
}

std::string current_title_key() {
  if (g_shell.screen) return g_shell.screen->title_key;
  if (state().screen == "not-found") return "title.not_found";
  return "title." + g_shell.route.parts[0];
}

void update_document_title() {
  std::string t = tr(current_title_key());
  t += " · ";
  t += tr("app.name_full");
  if (t != g_shell.title_shown) {
    platform::set_document_title(t);
    platform::announce(t);
    g_shell.title_shown = t;
  }
}

void toggle_language() {
  const Lang next = current_lang() == Lang::Zh ? Lang::En : Lang::Zh;
  set_current_lang(next);
  platform::local_storage_set("closeloop.lang", lang_code(next));
  platform::set_page_language(lang_code(next));
}

// ============================================================================================
// [SECTION] Top bar
// ============================================================================================

void sync_indicator() {
  const SyncIndicator& s = state().sync;
  const bool offline = !state().browser_online || s.state == SyncIndicator::State::Offline;
  const char* key = offline ? "sync.offline" : (s.state == SyncIndicator::State::Syncing ? "sync.syncing" : "sync.online");
  const ImU32 dot = offline ? IM_COL32(251, 191, 36, 255)
                            : (s.state == SyncIndicator::State::Syncing ? IM_COL32(147, 197, 253, 255) : IM_COL32(134, 239, 172, 255));
  const float h = ImGui::GetTextLineHeight();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + h * 0.35f, p.y + h * 0.5f), h * 0.3f, dot);
  ImGui::Dummy(ImVec2(h * 0.8f, h));
  ImGui::SameLine(0, 4);
  std::string label = tr(key);
  if (s.pending > 0) label += " · " + std::to_string(s.pending) + " " + tr("sync.pending");
  ImGui::TextUnformatted(label.c_str());
  if (s.storage_problem != 0) {  // issue 5: the user must know their change is not on the device yet
    ImGui::SameLine(0, 8);
    ImGui::TextColored(ImVec4(0.98f, 0.75f, 0.14f, 1.0f), "%s", tr(s.storage_problem == 1 ? "sync.storage_full" : "sync.storage_error"));
  }
}

void top_bar(float height) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  dl->AddRectFilled(p0, ImVec2(p0.x + width, p0.y + height), brand_color());
  ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 255, 255, 255));
  ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32(255, 255, 255, 30));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, IM_COL32(255, 255, 255, 60));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, IM_COL32(255, 255, 255, 90));
  ImGui::PushStyleColor(ImGuiCol_Border, IM_COL32(255, 255, 255, 90));
  const float pad_x = 14.0f;
  const float text_y = p0.y + (height - ImGui::GetFontSize() * 1.25f) * 0.5f;
  // App name, a little bigger.
  ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.25f);
  dl->AddText(ImVec2(p0.x + pad_x, text_y), IM_COL32(255, 255, 255, 255), g_shell.compact ? tr("app.name") : tr("app.name_full"));
  const float name_w = ImGui::CalcTextSize(g_shell.compact ? tr("app.name") : tr("app.name_full")).x;
  ImGui::PopFont();

  // Right side, laid out from the right edge: [logout] [lang] | user · role | sync
  const ImGuiStyle& st = ImGui::GetStyle();
  const char* logout = tr("topbar.logout");
  const char* lang = tr("lang.toggle");
  const float btn_h = ImGui::GetFrameHeight();
  const float logout_w = ImGui::CalcTextSize(logout).x + st.FramePadding.x * 2;
  const float lang_w = ImGui::CalcTextSize(lang).x + st.FramePadding.x * 2;
  const float btn_y = p0.y + (height - btn_h) * 0.5f;
  float x = p0.x + width - pad_x - logout_w;
  ImGui::SetCursorScreenPos(ImVec2(x, btn_y));
  if (ImGui::Button(logout)) {
    platform::logout_to_login_form();
  }
  ui::mark_target("logout");
  x -= lang_w + st.ItemSpacing.x;
  ImGui::SetCursorScreenPos(ImVec2(x, btn_y));
  if (ImGui::Button(lang)) toggle_language();
  ui::mark_target("lang_toggle");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("lang.toggle_hint"));

  const float line_y = p0.y + (height - ImGui::GetTextLineHeight()) * 0.5f;
  const User& u = state().session.user;
  if (!g_shell.compact || width > 700) {
    std::string who = u.display_name.empty() ? u.username : u.display_name;
    who += " · ";
    who += tr(role_key(u.role));
    const float who_w = ImGui::CalcTextSize(who.c_str()).x;
    x -= who_w + st.ItemSpacing.x * 2;
    if (x > p0.x + pad_x + name_w + 160) {
      dl->AddText(ImVec2(x, line_y), IM_COL32(255, 255, 255, 255), who.c_str());
    } else {
      x += who_w + st.ItemSpacing.x * 2;
    }
  }
  // Sync indicator right after the app name.
  ImGui::SetCursorScreenPos(ImVec2(p0.x + pad_x + name_w + 24.0f, line_y));
  sync_indicator();
  // The bar between the sync indicator and the user's name: where toasts cover nothing.
  ui::set_toast_area(ImVec2(ImGui::GetItemRectMax().x + 16.0f, p0.y), ImVec2(x - 16.0f, p0.y + height));
  ImGui::PopStyleColor(5);
  ImGui::SetCursorScreenPos(ImVec2(p0.x, p0.y + height));
  ImGui::Dummy(ImVec2(0, 0));
}

// ============================================================================================
// [SECTION] Navigation
// ============================================================================================

void go(const std::string& path) {
  if (path == g_shell.route.path) return;
  platform::push_route(path);
  resolve_route(path);
}

void side_nav(float width) {
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 10));
  ImGui::BeginChild("##sidenav", ImVec2(width, 0), ImGuiChildFlags_AlwaysUseWindowPadding, ImGuiWindowFlags_NoScrollbar);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 4));
  const float h = ui::row_height();
  const std::string area = current_area();
  for (const auto& a : nav_areas()) {
    const bool active = area == a.id;
    ImGui::PushID(a.id);
    if (active) {
      ImGui::PushStyleColor(ImGuiCol_Header, brand_color());
      ImGui::PushStyleColor(ImGuiCol_HeaderHovered, brand_color_dark());
      ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 255, 255, 255));
    }
    const std::string label = std::string(a.glyph) + "  " + tr(a.label_key);
    ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));
    if (ImGui::Selectable(label.c_str(), active, 0, ImVec2(0, h))) go(a.id);
    ui::mark_target(std::string("nav.") + a.id);
    ImGui::PopStyleVar();
    if (active) ImGui::PopStyleColor(3);
    ImGui::PopID();
  }
  ImGui::PopStyleVar();
  ImGui::EndChild();
  ImGui::PopStyleVar();
}

constexpr int kTabCount = 5;   // five comfortable targets on a phone; the rest under "更多"

void bottom_tabs(float height) {
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::BeginChild("##tabbar", ImVec2(0, height), ImGuiChildFlags_Borders, ImGuiWindowFlags_NoScrollbar);
  const auto areas = nav_areas();
  const float w = ImGui::GetContentRegionAvail().x / static_cast<float>(kTabCount + 1);
  const std::string area = current_area();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  auto tab = [&](const char* id, const char* glyph, const char* label, bool active) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::PushID(id);
    const bool clicked = ImGui::InvisibleButton("##tab", ImVec2(w, height));
    ui::mark_target(std::string("nav.") + id);
    ImGui::PopID();
    const ImU32 col = active ? brand_color() : IM_COL32(90, 98, 110, 255);
    if (ImGui::IsItemActive()) dl->AddRectFilled(p, ImVec2(p.x + w, p.y + height), IM_COL32(0, 0, 0, 15));
    const float fs = ImGui::GetFontSize();
    const ImVec2 gs = ImGui::CalcTextSize(glyph);
    const ImVec2 ls = ImGui::CalcTextSize(label);
    const float top = p.y + (height - gs.y - ls.y - 2) * 0.5f;
    dl->AddText(ImVec2(p.x + (w - gs.x) * 0.5f, top), col, glyph);
    dl->AddText(ImVec2(p.x + (w - ls.x) * 0.5f, top + gs.y + 2), col, label);
    (void)fs;
    ImGui::SameLine(0, 0);
    return clicked;
  };
  bool more_active = true;
  for (int i = 0; i < kTabCount && i < static_cast<int>(areas.size()); ++i) {
    const bool active = area == areas[i].id;
    more_active &= !active;
    if (tab(areas[i].id, areas[i].glyph, tr(areas[i].label_key), active)) go(areas[i].id);
  }
  if (tab("more", "…", tr("topbar.more"), more_active)) ImGui::OpenPopup("##more");
  if (ImGui::BeginPopup("##more")) {
    for (std::size_t i = kTabCount; i < areas.size(); ++i) {
      const std::string label = std::string(areas[i].glyph) + "  " + tr(areas[i].label_key);
      if (ImGui::Selectable(label.c_str(), area == areas[i].id, 0, ImVec2(200, ui::row_height()))) go(areas[i].id);
    }
    ImGui::EndPopup();
  }
  ImGui::EndChild();
  ImGui::PopStyleVar();
}

// ============================================================================================
// [SECTION] Content
// ============================================================================================

void placeholder_screen() {
  ImGui::Spacing();
  ImGui::TextDisabled("%s", tr(state().screen == "not-found" ? "app.not_found" : "app.coming_soon"));
  ImGui::Spacing();
  if (ui::touch_button(tr("app.back_home"))) go("workbench");
}

void content() {
  ImGui::BeginChild("##content", ImVec2(0, 0), ImGuiChildFlags_AlwaysUseWindowPadding);
  ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.4f);
  ImGui::TextUnformatted(tr(current_title_key()));
  ImGui::PopFont();
  ImGui::Separator();
  ImGui::Spacing();
  if (g_shell.screen) {
    ScreenContext ctx{state(), g_shell.route, g_shell.compact, g_shell.style_touch == 1};
    g_shell.screen->draw(ctx);
  } else {
    placeholder_screen();
  }
  ImGui::EndChild();
}

void splash(const FrameFacts& f) {
  // Behind the HTML login form: a calm branded background (the form covers the middle). The form
  // already carries the product name, so the backdrop says what the product is for instead.
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  dl->AddRectFilled(ImVec2(0, 0), ImVec2(f.width, f.height), brand_color());
  ImGui::PushFont(nullptr, f.width < 600 ? 20.0f : 28.0f);
  const char* name = tr("app.tagline");
  const ImVec2 ts = ImGui::CalcTextSize(name);
  dl->AddText(ImVec2((f.width - ts.x) * 0.5f, f.height * 0.12f), IM_COL32(255, 255, 255, 235), name);
  ImGui::PopFont();
}

}  // namespace

// ============================================================================================
// [SECTION] Frame and entry points
// ============================================================================================

void ScreenContext::navigate(const std::string& path) const { go(path); }
void ScreenContext::replace(const std::string& path) const {
  platform::replace_route(path);
  resolve_route(path);
}

void app_init(const FrameFacts& f) {
  const std::string lang = platform::local_storage_get("closeloop.lang");
  set_current_lang(lang == "en" ? Lang::En : Lang::Zh);
  state().browser_online = platform::is_online();
  apply_style(f.coarse_pointer);
  g_shell.style_touch = f.coarse_pointer ? 1 : 0;
  resolve_route(platform::current_route());
}

void app_draw(const FrameFacts& f) {
  if ((f.coarse_pointer ? 1 : 0) != g_shell.style_touch) {
    apply_style(f.coarse_pointer);
    g_shell.style_touch = f.coarse_pointer ? 1 : 0;
  }
  state().targets.clear();
  state().active_target.clear();
  if (!state().session.valid()) {
    splash(f);
    return;
  }
  // Side nav on desktop and tablet landscape; bottom tabs on phones and tablets in portrait.
  g_shell.compact = f.width < 820.0f || (f.height > f.width && f.width < 1100.0f);
  update_document_title();

  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(f.width, f.height));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
  ImGui::Begin("##workspace", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PopStyleVar(2);
  const bool touch = g_shell.style_touch == 1;
  top_bar(touch ? 56.0f : 48.0f);
  if (g_shell.compact) {
    const float tab_h = touch ? 64.0f : 56.0f;
    // Leave exactly the tab bar's height plus the spacing before it, so the bar sits on the bottom edge.
    ImGui::BeginChild("##main", ImVec2(0, -(tab_h + ImGui::GetStyle().ItemSpacing.y)), ImGuiChildFlags_None, ImGuiWindowFlags_NoScrollbar);
    content();
    ImGui::EndChild();
    bottom_tabs(tab_h);
  } else {
    side_nav(touch ? 220.0f : 200.0f);
    ImGui::SameLine(0, 0);
    content();
  }
  ImGui::End();
  ui::draw_toast();
}

void app_login(const std::string& token, const std::string& user_json) {
  Session s;
  s.token = token;
  const auto j = nlohmann::json::parse(user_json, nullptr, false);
  if (j.is_object()) {
    s.user.id = json_id(j.value("id", nlohmann::json()));
    s.user.username = j.value("username", "");
    s.user.display_name = j.value("display_name", "");
    s.user.role = role_from(j.value("role", "rep"));
    s.user.team_id = json_id(j.value("team_id", nlohmann::json()));
  }
  state().session = std::move(s);
  const std::string hash = platform::current_route();
  if (Route::parse(hash).parts.empty()) {
    platform::replace_route("workbench");
    resolve_route("workbench");
  } else {
    resolve_route(hash);   // deep link survives the login
  }
}

void app_logout_local() {
  state().session = Session{};
  g_shell.title_shown.clear();
}

void app_route_changed(const std::string& hash) { resolve_route(hash); }
void app_navigate(const std::string& path) { go(path); }
void app_set_lang_code(const std::string& code) { set_current_lang(code == "en" ? Lang::En : Lang::Zh); }
void app_set_online(bool online) { state().browser_online = online; }
bool app_logged_in() { return state().session.valid(); }

std::string app_state_json(const std::string& platform_json) {
  const AppState& s = state();
  nlohmann::json j = nlohmann::json::parse("{" + platform_json + "}", nullptr, false);
  if (!j.is_object()) j = nlohmann::json::object();
  j["screen"] = s.session.valid() ? s.screen : "login";
  j["route"] = s.route;
  j["lang"] = lang_code(current_lang());
  j["online"] = s.browser_online && s.sync.state != SyncIndicator::State::Offline;
  j["syncState"] = s.sync.state == SyncIndicator::State::Syncing ? "syncing"
                   : (s.sync.state == SyncIndicator::State::Offline ? "offline" : "online");
  j["pending"] = s.sync.pending;
  j["lastEdited"] = s.last_edited_text;
  j["compact"] = g_shell.compact;
  j["touchStyle"] = g_shell.style_touch == 1;
  j["title"] = g_shell.title_shown;
  j["missingI18nKeys"] = i18n_missing_keys();
  nlohmann::json targets = nlohmann::json::object();
  for (const auto& [name, r] : s.targets) targets[name] = {{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}, {"vy", r.vy}, {"vh", r.vh}};
  j["targets"] = targets;
  j["activeTarget"] = s.active_target;
  if (s.session.valid()) {
    const char* roles[] = {"rep", "manager", "admin"};
    j["user"] = {{"id", s.session.user.id},
                 {"username", s.session.user.username},
                 {"display_name", s.session.user.display_name},
                 {"role", roles[static_cast<int>(s.session.user.role)]},
                 {"team_id", s.session.user.team_id}};
  } else {
    j["user"] = nullptr;
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace cl::app

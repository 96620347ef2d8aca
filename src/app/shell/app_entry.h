// What the platform layer calls in the app (the app never calls emscripten; the platform never
// knows about screens). One frame = platform NewFrame → app_draw() → platform Render.
#pragma once

#include <string>

namespace cl::app {

struct FrameFacts {
  float width = 0, height = 0;   // CSS px
  float pixel_ratio = 1;         // devicePixelRatio
  bool coarse_pointer = false;   // (pointer: coarse)
};

void app_init(const FrameFacts& facts);   // after the ImGui context exists: style, start route
void app_draw(const FrameFacts& facts);   // between ImGui::NewFrame() and ImGui::Render()
void app_login(const std::string& token, const std::string& user_json);
void app_logout_local();                  // the HTML shell logged out: drop the session
void app_route_changed(const std::string& hash_or_path);  // popstate, deep links
void app_navigate(const std::string& path);
void app_set_lang_code(const std::string& code);
void app_set_online(bool online);
bool app_logged_in();
// JSON for window.closeloop.state(); `platform_json` holds the platform's own fields (glyphs, dpr).
std::string app_state_json(const std::string& platform_json);

}  // namespace cl::app

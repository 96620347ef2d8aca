// Pointer and keyboard input → ImGui. Touch gets its own small state machine (WEB_PLATFORM.md
// "Touch"): a short tap is a click, a drag scrolls the window under the finger with inertia
// (ImGui 1.92.2b has no drag-to-scroll), a long press is a right click (context menus), and after a
// touch the cursor is parked off-screen so hover doesn't stick. Clicks run a frame inside the
// gesture so focus/keyboard, clipboard, file picker and downloads are allowed by the browser.
#include <emscripten.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <deque>
#include <string_view>

#include <imgui.h>
#include <imgui_internal.h>

#include "platform/platform_internal.h"

namespace cl::platform::detail {
namespace {

enum class TouchMode { None, Undecided, Scroll, LongPressed };

struct TouchState {
  TouchMode mode = TouchMode::None;
  float start_x = 0, start_y = 0, last_x = 0, last_y = 0;
  double start_ms = 0;
  ImGuiID scroll_window = 0;
  std::deque<std::pair<double, ImVec2>> samples;   // recent positions for the release velocity
  bool park_cursor_next_frame = false;
  // inertia after release
  bool inertia = false;
  ImVec2 velocity{0, 0};   // px/s
  double inertia_last_ms = 0;
};

TouchState g_touch;
constexpr float kTapSlopPx = 10.0f;
constexpr double kLongPressMs = 550.0;

int imgui_button(int dom_button) { return dom_button == 1 ? 2 : (dom_button == 2 ? 1 : dom_button); }

// Run frames until ImGui has consumed the queued events (down+up in one gesture are trickled over
// two frames), so the click lands while the browser still considers us inside the gesture.
void run_gesture_frames() {
  ImGuiContext* ctx = ImGui::GetCurrentContext();
  for (int i = 0; i < 4; ++i) {
    run_frame_now();
    if (!ctx || ctx->InputEventsQueue.Size == 0) break;
  }
}

ImGuiWindow* scrollable_ancestor(ImGuiWindow* w) {
  while (w && w->ScrollMax.y <= 0.0f && w->ScrollMax.x <= 0.0f) w = w->ParentWindow;
  return w;
}

void scroll_by(ImGuiID window_id, float dx, float dy) {
  ImGuiWindow* w = ImGui::FindWindowByID(window_id);
  if (!w) return;
  if (dy != 0.0f && w->ScrollMax.y > 0.0f) ImGui::SetScrollY(w, ImClamp(w->Scroll.y - dy, 0.0f, w->ScrollMax.y));
  if (dx != 0.0f && w->ScrollMax.x > 0.0f) ImGui::SetScrollX(w, ImClamp(w->Scroll.x - dx, 0.0f, w->ScrollMax.x));
}

void touch_event(int type, float x, float y, double t) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
  if (type == 1) {  // down
    g_touch = TouchState{};
    g_touch.mode = TouchMode::Undecided;
    g_touch.start_x = g_touch.last_x = x;
    g_touch.start_y = g_touch.last_y = y;
    g_touch.start_ms = t;
    g_touch.samples.push_back({t, ImVec2(x, y)});
    io.AddMousePosEvent(x, y);   // lets ImGui find the window under the finger
    wake();
    return;
  }
  if (g_touch.mode == TouchMode::None) return;
  if (type == 0) {  // move
    const float dx = x - g_touch.last_x, dy = y - g_touch.last_y;
    if (g_touch.mode == TouchMode::Undecided &&
        std::hypot(x - g_touch.start_x, y - g_touch.start_y) > kTapSlopPx) {
      // The window under where the finger went down, looked up now: HoveredWindow is only as fresh
      // as the last frame, and a quick flick's first move can arrive before any frame saw the touch.
      ImGuiWindow* under = nullptr;
      ImGuiWindow* under_moving = nullptr;
      ImGui::FindHoveredWindowEx(ImVec2(g_touch.start_x, g_touch.start_y), false, &under, &under_moving);
      ImGuiWindow* target = scrollable_ancestor(under);
      g_touch.mode = TouchMode::Scroll;
      g_touch.scroll_window = target ? target->ID : 0;
    }
    if (g_touch.mode == TouchMode::Scroll && g_touch.scroll_window) scroll_by(g_touch.scroll_window, dx, dy);
    g_touch.last_x = x;
    g_touch.last_y = y;
    g_touch.samples.push_back({t, ImVec2(x, y)});
    while (g_touch.samples.size() > 2 && t - g_touch.samples.front().first > 100.0) g_touch.samples.pop_front();
    wake();
    return;
  }
  // up (2) or cancel (3)
  if (type == 2 && g_touch.mode == TouchMode::Undecided) {
    io.AddMousePosEvent(x, y);
    io.AddMouseButtonEvent(0, true);
    io.AddMouseButtonEvent(0, false);
    g_touch.mode = TouchMode::None;
    g_touch.park_cursor_next_frame = true;
    run_gesture_frames();
    return;
  }
  if (type == 2 && g_touch.mode == TouchMode::Scroll && g_touch.samples.size() >= 2) {
    const auto& a = g_touch.samples.front();
    const auto& b = g_touch.samples.back();
    const double dt = (b.first - a.first) / 1000.0;
    if (dt > 0.005) {
      g_touch.velocity = ImVec2(static_cast<float>((b.second.x - a.second.x) / dt),
                                static_cast<float>((b.second.y - a.second.y) / dt));
      g_touch.inertia = std::fabs(g_touch.velocity.y) > 80.0f || std::fabs(g_touch.velocity.x) > 80.0f;
      g_touch.inertia_last_ms = t;
    }
  }
  g_touch.mode = TouchMode::None;
  g_touch.park_cursor_next_frame = true;
  wake();
}

void mouse_event(int type, float x, float y, int button, int source) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(source == 2 ? ImGuiMouseSource_Pen : ImGuiMouseSource_Mouse);
  if (type == 4) {  // left the canvas
    io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
    wake();
    return;
  }
  io.AddMousePosEvent(x, y);
  if (type == 1 || type == 2) {
    io.AddMouseButtonEvent(imgui_button(button), type == 1);
    run_gesture_frames();   // inside the gesture: focus, clipboard, picker, download allowed
    return;
  }
  if (type == 3) io.AddMouseButtonEvent(imgui_button(button), false);
  wake();
}

// KeyboardEvent.code → ImGuiKey (layout-independent, like the other backends).
ImGuiKey key_from_code(std::string_view code) {
  if (code.size() == 4 && code.substr(0, 3) == "Key" && code[3] >= 'A' && code[3] <= 'Z')
    return static_cast<ImGuiKey>(ImGuiKey_A + (code[3] - 'A'));
  if (code.size() == 6 && code.substr(0, 5) == "Digit" && code[5] >= '0' && code[5] <= '9')
    return static_cast<ImGuiKey>(ImGuiKey_0 + (code[5] - '0'));
  if (code.size() >= 2 && code[0] == 'F' && code.size() <= 3) {
    int n = 0;
    for (char c : code.substr(1)) n = (c >= '0' && c <= '9') ? n * 10 + (c - '0') : -1000;
    if (n >= 1 && n <= 12) return static_cast<ImGuiKey>(ImGuiKey_F1 + (n - 1));
  }
  struct Pair { const char* code; ImGuiKey key; };
  static const Pair kMap[] = {
      {"Tab", ImGuiKey_Tab}, {"ArrowLeft", ImGuiKey_LeftArrow}, {"ArrowRight", ImGuiKey_RightArrow},
      {"ArrowUp", ImGuiKey_UpArrow}, {"ArrowDown", ImGuiKey_DownArrow}, {"PageUp", ImGuiKey_PageUp},
      {"PageDown", ImGuiKey_PageDown}, {"Home", ImGuiKey_Home}, {"End", ImGuiKey_End},
      {"Insert", ImGuiKey_Insert}, {"Delete", ImGuiKey_Delete}, {"Backspace", ImGuiKey_Backspace},
      {"Space", ImGuiKey_Space}, {"Enter", ImGuiKey_Enter}, {"NumpadEnter", ImGuiKey_KeypadEnter},
      {"Escape", ImGuiKey_Escape}, {"ShiftLeft", ImGuiKey_LeftShift}, {"ShiftRight", ImGuiKey_RightShift},
      {"ControlLeft", ImGuiKey_LeftCtrl}, {"ControlRight", ImGuiKey_RightCtrl}, {"AltLeft", ImGuiKey_LeftAlt},
      {"AltRight", ImGuiKey_RightAlt}, {"MetaLeft", ImGuiKey_LeftSuper}, {"MetaRight", ImGuiKey_RightSuper},
      {"Minus", ImGuiKey_Minus}, {"Equal", ImGuiKey_Equal}, {"BracketLeft", ImGuiKey_LeftBracket},
      {"BracketRight", ImGuiKey_RightBracket}, {"Backslash", ImGuiKey_Backslash}, {"Semicolon", ImGuiKey_Semicolon},
      {"Quote", ImGuiKey_Apostrophe}, {"Comma", ImGuiKey_Comma}, {"Period", ImGuiKey_Period},
      {"Slash", ImGuiKey_Slash}, {"Backquote", ImGuiKey_GraveAccent},
  };
  for (const auto& p : kMap)
    if (code == p.code) return p.key;
  return ImGuiKey_None;
}

}  // namespace

void input_before_frame(double now_ms) {
  ImGuiIO& io = ImGui::GetIO();
  if (g_touch.mode == TouchMode::Undecided && now_ms - g_touch.start_ms > kLongPressMs) {
    // Long press → right click: opens context menus (BeginPopupContextItem/Window).
    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
    io.AddMousePosEvent(g_touch.start_x, g_touch.start_y);
    io.AddMouseButtonEvent(1, true);
    io.AddMouseButtonEvent(1, false);
    g_touch.mode = TouchMode::LongPressed;
  }
  if (g_touch.inertia) {
    // v(t) = v0·e^(−k·t), so the glide over dt is v·(1 − e^(−k·dt))/k whatever the frame spacing:
    // a slow or stalled frame catches up instead of losing distance, and a flick travels v0/k in all.
    constexpr double kDecel = 3.5;   // 1/s, ~ iOS-like deceleration
    const double dt = (now_ms - g_touch.inertia_last_ms) / 1000.0;
    if (dt > 0) {
      g_touch.inertia_last_ms = now_ms;
      const double decay = std::exp(-dt * kDecel);
      const double travel = (1.0 - decay) / kDecel;
      scroll_by(g_touch.scroll_window, static_cast<float>(g_touch.velocity.x * travel),
                static_cast<float>(g_touch.velocity.y * travel));
      g_touch.velocity.x *= static_cast<float>(decay);
      g_touch.velocity.y *= static_cast<float>(decay);
    }
    if (std::fabs(g_touch.velocity.x) < 20.0f && std::fabs(g_touch.velocity.y) < 20.0f) g_touch.inertia = false;
  }
}

void input_after_frame() {
  if (g_touch.park_cursor_next_frame && g_touch.mode == TouchMode::None) {
    // After a touch ends keep the position one frame (the click needs it), then park it.
    g_touch.park_cursor_next_frame = false;
    ImGui::GetIO().AddMousePosEvent(-FLT_MAX, -FLT_MAX);
  }
}

bool input_busy() { return g_touch.mode == TouchMode::Undecided || g_touch.mode == TouchMode::Scroll || g_touch.inertia; }

}  // namespace cl::platform::detail

namespace dp = cl::platform::detail;

extern "C" {

// type: 0 move, 1 down, 2 up, 3 cancel, 4 leave; source: 0 mouse, 1 touch, 2 pen.
EMSCRIPTEN_KEEPALIVE void cl_pointer(int type, float x, float y, int button, int source, int primary, double t) {
  if (!ImGui::GetCurrentContext()) return;
  if (source == 1) {
    if (primary) dp::touch_event(type, x, y, t);   // second finger: ignored (no pinch zoom)
    return;
  }
  dp::mouse_event(type, x, y, button, source);
}

EMSCRIPTEN_KEEPALIVE void cl_wheel(float dx, float dy) {
  if (!ImGui::GetCurrentContext()) return;
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
  io.AddMouseWheelEvent(dx, dy);
  dp::wake();
}

// Returns 1 when the key maps to an ImGuiKey (JS then may preventDefault non-printables).
EMSCRIPTEN_KEEPALIVE int cl_key(const char* code, const char* /*key*/, int down, int mods) {
  if (!ImGui::GetCurrentContext()) return 0;
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(ImGuiMod_Ctrl, (mods & 1) != 0);
  io.AddKeyEvent(ImGuiMod_Shift, (mods & 2) != 0);
  io.AddKeyEvent(ImGuiMod_Alt, (mods & 4) != 0);
  io.AddKeyEvent(ImGuiMod_Super, (mods & 8) != 0);
  const ImGuiKey key = dp::key_from_code(code);
  dp::wake();
  if (key == ImGuiKey_None) return 0;
  io.AddKeyEvent(key, down != 0);
  return 1;
}

// Keys that arrive only as `input` events on Android keyboards (keyCode 229): 1 Backspace, 2 Enter.
EMSCRIPTEN_KEEPALIVE void cl_key_tap(int which) {
  if (!ImGui::GetCurrentContext()) return;
  const ImGuiKey key = which == 1 ? ImGuiKey_Backspace : ImGuiKey_Enter;
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(key, true);
  io.AddKeyEvent(key, false);
  dp::wake();
}

}  // extern "C"

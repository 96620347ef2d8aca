#include "app/ui/widgets.h"

#include <algorithm>
#include <string>

#include <misc/cpp/imgui_stdlib.h>

#include "app/app_state.h"
#include "app/i18n.h"
#include "platform/browser.h"

namespace cl::app::ui {
namespace {

std::string g_toast;
double g_toast_until = 0;
ImVec2 g_toast_area_min, g_toast_area_max;  // where a toast covers nothing (set_toast_area)
bool g_toast_area_set = false;

bool record(bool changed, const std::string& text) {
  if (changed) state().last_edited_text = text;
  return changed;
}

}  // namespace

bool input_text(const char* label, std::string& text, ImGuiInputTextFlags flags) {
  return record(ImGui::InputText(label, &text, flags), text);
}

bool input_text_with_hint(const char* label, const char* hint, std::string& text, ImGuiInputTextFlags flags) {
  return record(ImGui::InputTextWithHint(label, hint, &text, flags), text);
}

bool input_multiline(const char* label, std::string& text, const ImVec2& size) {
  return record(ImGui::InputTextMultiline(label, &text, size), text);
}

void mark_target(const std::string& name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  // The visible part: clipped by the window's clip rect (tests check a field is not half hidden).
  const ImDrawList* dl = ImGui::GetWindowDrawList();
  const float vy0 = std::max(a.y, dl->GetClipRectMin().y), vy1 = std::min(b.y, dl->GetClipRectMax().y);
  state().targets[name] = AppState::Rect{a.x, a.y, b.x - a.x, b.y - a.y, vy0, std::max(0.0f, vy1 - vy0)};
  if (ImGui::IsItemActive()) state().active_target = name;
}

float row_height() {
  const bool touch = ImGui::GetIO().MouseSource == ImGuiMouseSource_TouchScreen || platform::coarse_pointer();
  return touch ? std::max(44.0f, ImGui::GetFrameHeight()) : ImGui::GetFrameHeight();
}

bool touch_button(const char* label, const ImVec2& size) {
  ImVec2 s = size;
  if (s.y <= 0) s.y = row_height();
  return ImGui::Button(label, s);
}

bool copy_button(const char* id, const std::string& text) {
  ImGui::PushID(id);
  const bool clicked = ImGui::Button(tr("common.copy"), ImVec2(0, row_height()));   // a full-height target: tablets tap it
  ImGui::PopID();
  if (clicked) {
    platform::copy_to_clipboard(text);   // runs inside the gesture frame: the browser allows it
    toast(tr("common.copied"));
  }
  return clicked;
}

bool phone_button(const std::string& phone) {
  const std::string label = std::string(tr("common.dial")) + " " + phone;
  const bool clicked = ImGui::Button(label.c_str());
  if (clicked) platform::open_tel(phone);
  return clicked;
}

void toast(const char* text) {
  g_toast = text;
  g_toast_until = ImGui::GetTime() + 1.6;
  platform::set_timeout(1700, [] {});   // wake the idle loop to take the toast down
}

void set_toast_area(ImVec2 min, ImVec2 max) {
  g_toast_area_min = min;
  g_toast_area_max = max;
  g_toast_area_set = true;
}

void draw_toast() {
  const bool area = g_toast_area_set;
  g_toast_area_set = false;  // the shell offers the area again next frame
  if (g_toast.empty()) return;
  if (ImGui::GetTime() > g_toast_until) {
    g_toast.clear();
    return;
  }
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const ImVec2 ts = ImGui::CalcTextSize(g_toast.c_str());
  const ImVec2 pad(16, 10);
  const ImVec2 size(ts.x + pad.x * 2, ts.y + pad.y * 2);
  // In the top bar's free middle, or at least over the bar: a toast over the work area hid what the
  // rep had just changed (the funnel's last bar after 已推进). Without a bar (splash), low and centred.
  ImVec2 p0((display.x - size.x) * 0.5f, display.y * 0.82f);
  if (area) {
    const float free_w = g_toast_area_max.x - g_toast_area_min.x;
    p0.x = free_w >= size.x ? g_toast_area_min.x + (free_w - size.x) * 0.5f : (display.x - size.x) * 0.5f;
    p0.y = g_toast_area_min.y + (g_toast_area_max.y - g_toast_area_min.y - size.y) * 0.5f;
  }
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  dl->AddRectFilled(p0, p1, IM_COL32(40, 44, 52, 230), 8.0f);
  dl->AddText(ImVec2(p0.x + pad.x, p0.y + pad.y), IM_COL32(255, 255, 255, 255), g_toast.c_str());
}

}  // namespace cl::app::ui

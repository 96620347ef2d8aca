// Text agent: the hidden <textarea> in web_glue.js receives the on-screen keyboard and the Chinese
// IME; this file feeds its text into ImGui, draws the IME preedit at the caret (ImGui doesn't), and
// moves the textarea to the caret through Platform_SetImeDataFn so the candidate window follows.
// Clipboard: the paste listener caches the text; copies go to navigator.clipboard (WEB_PLATFORM.md).
#include <emscripten.h>

#include <string>

#include <imgui.h>
#include <imgui_internal.h>

#include "platform/platform_internal.h"

namespace cl::platform::detail {
namespace {

std::string g_preedit;            // IME composition string (pinyin being typed / candidate)
ImVec2 g_caret{0, 0};
float g_caret_line_h = 0;
bool g_text_wanted = false;
std::string g_clipboard;

EM_JS(void, js_set_text_input, (int want, float x, float y, float h), {
  Module.clPlatform.setTextInput(want, x, y, h);
});
EM_JS(char*, js_clipboard_text, (), {
  const s = Module.clPlatform.clipboardText() || "";
  const n = lengthBytesUTF8(s) + 1;
  const p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});
EM_JS(void, js_set_clipboard, (const char* text), { Module.clPlatform.setClipboard(UTF8ToString(text)); });

float g_caret_scroll = 0;         // the active window's scroll when g_caret was measured

void set_ime_data(ImGuiContext* ctx, ImGuiViewport*, ImGuiPlatformImeData* data) {
  const bool want = data->WantVisible || data->WantTextInput;
  g_caret = data->InputPos;
  g_caret_scroll = ctx && ctx->ActiveIdWindow ? ctx->ActiveIdWindow->Scroll.y : 0.0f;
  g_caret_line_h = data->InputLineHeight;
  if (want != g_text_wanted || want) js_set_text_input(want ? 1 : 0, g_caret.x, g_caret.y, g_caret_line_h);
  g_text_wanted = want;
}

const char* get_clipboard(ImGuiContext*) {
  char* p = js_clipboard_text();
  g_clipboard = p ? p : "";
  free(p);
  return g_clipboard.c_str();
}

void set_clipboard(ImGuiContext*, const char* text) { js_set_clipboard(text ? text : ""); }

// iPad keyboard / small viewport: keep the field being typed in visible by scrolling its window.
// The limit is the visible part of the field's own window (a form's scrolling child ends above its
// footer and the tab bar), not the display: a half-clipped field is as bad as a covered one.
void keep_caret_visible() {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  if (!g_text_wanted || !g.ActiveIdWindow) return;
  // Only when the keyboard moves (display height changes) or another field becomes active, for a few
  // frames while the layout settles — so a finger scrolling the form is not fought every frame.
  static float last_h = -1.0f;
  static ImGuiID last_id = 0;
  static int follow = 0;
  if (ImGui::GetIO().DisplaySize.y != last_h || g.ActiveId != last_id) follow = 4;
  last_h = ImGui::GetIO().DisplaySize.y;
  last_id = g.ActiveId;
  if (follow <= 0) return;
  --follow;
  ImGuiWindow* w = g.ActiveIdWindow;
  const float bottom = ImMin(ImGui::GetIO().DisplaySize.y, w->InnerClipRect.Max.y);
  const float top = w->InnerClipRect.Min.y;
  const float pad = ImGui::GetStyle().FramePadding.y + 4.0f;   // the whole frame, not just the text line
  // g_caret is from the previous frame: correct it for any scroll applied since.
  const float caret_y = g_caret.y - (w->Scroll.y - g_caret_scroll);
  const float caret_top = caret_y - pad, caret_bottom = caret_y + g_caret_line_h + pad;
  if (w->ScrollMax.y <= 0.0f || bottom <= top) return;
  if (caret_bottom > bottom)
    ImGui::SetScrollY(w, ImMin(w->ScrollMax.y, w->Scroll.y + (caret_bottom - bottom)));
  else if (caret_top < top)
    ImGui::SetScrollY(w, ImMax(0.0f, w->Scroll.y - (top - caret_top)));
}

}  // namespace

void text_install(ImGuiContext*) {
  ImGuiPlatformIO& pio = ImGui::GetPlatformIO();
  pio.Platform_SetImeDataFn = set_ime_data;
  pio.Platform_GetClipboardTextFn = get_clipboard;
  pio.Platform_SetClipboardTextFn = set_clipboard;
}

bool text_composing() { return !g_preedit.empty(); }

void text_draw_preedit() {
  keep_caret_visible();
  if (g_preedit.empty() || !g_text_wanted) return;
  // Draw the composition underlined at the caret, over everything (ImGui has no preedit concept).
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  const ImVec2 size = ImGui::CalcTextSize(g_preedit.c_str());
  const float h = g_caret_line_h > 0 ? g_caret_line_h : ImGui::GetFontSize();
  const ImVec2 p0(g_caret.x, g_caret.y);
  const ImVec2 p1(g_caret.x + size.x + 4.0f, g_caret.y + h);
  dl->AddRectFilled(p0, p1, IM_COL32(255, 250, 205, 255), 2.0f);
  dl->AddText(ImVec2(p0.x + 2.0f, p0.y + (h - size.y) * 0.5f), IM_COL32(20, 20, 20, 255), g_preedit.c_str());
  dl->AddLine(ImVec2(p0.x + 2.0f, p1.y - 1.0f), ImVec2(p1.x - 2.0f, p1.y - 1.0f), IM_COL32(40, 90, 200, 255), 1.5f);
}

}  // namespace cl::platform::detail

namespace dp = cl::platform::detail;

extern "C" {

EMSCRIPTEN_KEEPALIVE void cl_text(const char* utf8) {
  if (!ImGui::GetCurrentContext() || !utf8) return;
  ImGui::GetIO().AddInputCharactersUTF8(utf8);
  dp::wake();
}

EMSCRIPTEN_KEEPALIVE void cl_preedit(const char* utf8) {
  dp::g_preedit = utf8 ? utf8 : "";
  dp::wake();
}

}  // extern "C"

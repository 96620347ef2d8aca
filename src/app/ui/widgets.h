// Small ImGui helpers shared by the screens (wasm only). They keep touch, IME and i18n right in one
// place instead of in every screen.
#pragma once

#include <string>

#include <imgui.h>

namespace cl::app::ui {

// ImGui::InputText on a std::string; records the text as AppState::last_edited_text when it changes
// (browser tests read it back through window.closeloop.state().lastEdited).
bool input_text(const char* label, std::string& text, ImGuiInputTextFlags flags = 0);
bool input_text_with_hint(const char* label, const char* hint, std::string& text, ImGuiInputTextFlags flags = 0);
bool input_multiline(const char* label, std::string& text, const ImVec2& size = ImVec2(0, 0));

// A button at least the comfortable touch height on coarse pointers (issue 5: touch targets).
bool touch_button(const char* label, const ImVec2& size = ImVec2(0, 0));
// "复制" button that copies `text` to the clipboard (tablets have no Ctrl+C) and shows a short toast.
bool copy_button(const char* id, const std::string& text);
// Phone number shown as a button: tap dials (tel:).
bool phone_button(const std::string& phone);

// One-line transient message at the bottom of the content area ("已复制").
void toast(const char* text);
void draw_toast();
// Where toasts go this frame (the shell's top bar between its left and right content); toasts fall
// back to covering the bar, never the screen's content.
void set_toast_area(ImVec2 min, ImVec2 max);

// Record the last item's rectangle under `name` for the browser tests (window.closeloop.state().targets).
void mark_target(const std::string& name);

// Height of a comfortable row (touch: 44 CSS px, mouse: frame height).
float row_height();

}  // namespace cl::app::ui

#include "app/shell/style.h"

#include <imgui.h>

namespace cl::app {

unsigned brand_color() { return IM_COL32(15, 118, 110, 255); }      // teal: 闭环 "closed loop"
unsigned brand_color_dark() { return IM_COL32(17, 94, 89, 255); }
unsigned brand_text_color() { return IM_COL32(255, 255, 255, 255); }

void apply_style(bool touch) {
  ImGuiStyle style;             // start from defaults so switching touch ↔ mouse doesn't compound
  ImGui::StyleColorsLight(&style);
  style.FontSizeBase = touch ? 18.0f : 16.0f;
  style.WindowRounding = 0.0f;
  style.ChildRounding = 6.0f;
  style.FrameRounding = 6.0f;
  style.PopupRounding = 6.0f;
  style.GrabRounding = 6.0f;
  style.TabRounding = 6.0f;
  style.WindowBorderSize = 0.0f;
  style.ChildBorderSize = 1.0f;
  style.FrameBorderSize = 1.0f;
  style.WindowPadding = touch ? ImVec2(16, 14) : ImVec2(14, 12);
  style.FramePadding = touch ? ImVec2(14, 11) : ImVec2(10, 6);
  style.ItemSpacing = touch ? ImVec2(12, 12) : ImVec2(10, 8);
  style.ItemInnerSpacing = ImVec2(8, 6);
  style.CellPadding = touch ? ImVec2(10, 10) : ImVec2(8, 6);
  style.ScrollbarSize = touch ? 18.0f : 14.0f;
  style.GrabMinSize = touch ? 24.0f : 14.0f;
  style.TouchExtraPadding = touch ? ImVec2(4, 4) : ImVec2(0, 0);
  ImVec4* c = style.Colors;
  const ImVec4 brand(15 / 255.f, 118 / 255.f, 110 / 255.f, 1.f);
  c[ImGuiCol_WindowBg] = ImVec4(0.965f, 0.97f, 0.975f, 1.f);
  c[ImGuiCol_ChildBg] = ImVec4(1.f, 1.f, 1.f, 1.f);
  c[ImGuiCol_Border] = ImVec4(0.85f, 0.87f, 0.89f, 1.f);
  c[ImGuiCol_FrameBg] = ImVec4(1.f, 1.f, 1.f, 1.f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.93f, 0.97f, 0.96f, 1.f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.88f, 0.95f, 0.94f, 1.f);
  c[ImGuiCol_Button] = ImVec4(0.90f, 0.96f, 0.95f, 1.f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.80f, 0.92f, 0.90f, 1.f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.70f, 0.87f, 0.85f, 1.f);
  c[ImGuiCol_Header] = ImVec4(0.86f, 0.94f, 0.93f, 1.f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.80f, 0.92f, 0.90f, 1.f);
  c[ImGuiCol_HeaderActive] = ImVec4(0.72f, 0.88f, 0.86f, 1.f);
  c[ImGuiCol_CheckMark] = brand;
  c[ImGuiCol_SliderGrab] = brand;
  c[ImGuiCol_SliderGrabActive] = brand;
  c[ImGuiCol_TextSelectedBg] = ImVec4(0.60f, 0.85f, 0.82f, 1.f);
  c[ImGuiCol_NavCursor] = brand;
  c[ImGuiCol_PlotHistogram] = brand;
  ImGui::GetStyle() = style;
}

}  // namespace cl::app

// The app's WebGL2 renderer for ImGui's draw data (replaces imgui_impl_opengl3; why: webgl_draw_plan.h).
// It owns the GL context: state is set once at init and remembered, never queried per frame.
#pragma once

struct ImDrawData;

namespace cl::platform::detail {

// After the WebGL2 context is current and ImGui's context exists: compiles the shader, makes the
// vertex array and buffers, sets the fixed state, and tells ImGui it handles textures and VtxOffset.
// Returns false (and logs) when the shader does not compile or link.
bool webgl_renderer_init();

// Clears the framebuffer (fb_w × fb_h pixels) to the background and draws `dd`, creating, updating
// and destroying the textures ImGui asks for (new glyphs of the dynamic font atlas) first.
void webgl_renderer_draw(ImDrawData* dd, int fb_w, int fb_h);

}  // namespace cl::platform::detail

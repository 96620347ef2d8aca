// Pure parts of the WebGL2 renderer (webgl_renderer.cpp): where a draw command's clip rectangle lands
// in the framebuffer, the display → clip-space transform, and the record of the GL state the renderer
// has set. No GL and no ImGui here, so the unit tests check them natively and as wasm.
//
// Why a renderer of our own (issue 5, typing p95 ≤ 4 ms): ImGui's GL3 backend backs up and restores
// ~25 pieces of GL state every frame with glGetIntegerv/glIsEnabled, because it expects to share the
// context with an engine. In Chromium several of those queries (GL_SCISSOR_BOX, the blend factors and
// equations) are synchronous round trips to the GPU process, and the first one waits until the GPU
// process has executed everything queued before it — under SwiftShader, the previous frames' drawing.
// Measured while typing over 50k customers: GL_SCISSOR_BOX alone took 1.9 ms per frame on average and
// up to 178 ms, the six blend queries 0.15–0.25 ms each. This app owns its context, so the renderer
// sets its state once and remembers what it set (StateCache) instead of asking.
#pragma once

#include <cstddef>

namespace cl::platform::webgl {

struct ScissorBox {
  int x = 0, y = 0, w = 0, h = 0;
  bool operator==(const ScissorBox& o) const { return x == o.x && y == o.y && w == o.w && h == o.h; }
  bool operator!=(const ScissorBox& o) const { return !(*this == o); }
};

// An ImGui clip rectangle (display coordinates, y down: x0,y0 top-left, x1,y1 bottom-right) → the GL
// scissor box in framebuffer pixels (y up), clamped to the framebuffer. Returns false when nothing of
// it is on screen: the command draws nothing and is skipped. `off` is ImDrawData::DisplayPos and
// `scale` its FramebufferScale (devicePixelRatio here). Truncation as in ImGui's own backends, so a
// clip edge lands on the same pixel column as before.
inline bool scissor_for_clip(float x0, float y0, float x1, float y1, float off_x, float off_y,
                             float scale_x, float scale_y, int fb_w, int fb_h, ScissorBox& out) {
  float min_x = (x0 - off_x) * scale_x, min_y = (y0 - off_y) * scale_y;
  float max_x = (x1 - off_x) * scale_x, max_y = (y1 - off_y) * scale_y;
  if (min_x < 0) min_x = 0;
  if (min_y < 0) min_y = 0;
  if (max_x > static_cast<float>(fb_w)) max_x = static_cast<float>(fb_w);
  if (max_y > static_cast<float>(fb_h)) max_y = static_cast<float>(fb_h);
  if (max_x <= min_x || max_y <= min_y) return false;
  out.x = static_cast<int>(min_x);
  out.y = static_cast<int>(static_cast<float>(fb_h) - max_y);
  out.w = static_cast<int>(max_x - min_x);
  out.h = static_cast<int>(max_y - min_y);
  return out.w > 0 && out.h > 0;
}

// Display coordinates → clip space: clip = pos * scale + translate, with the display's top-left at
// (-1, 1) and its bottom-right at (1, -1) (GL's y points up). Two vec2 uniforms instead of a 4×4
// matrix: the vertex shader needs nothing more for ImGui's 2-D output.
struct Transform {
  float sx = 1, sy = 1, tx = 0, ty = 0;
};
inline Transform display_to_clip(float pos_x, float pos_y, float size_x, float size_y) {
  Transform t;
  t.sx = 2.0f / size_x;
  t.sy = -2.0f / size_y;
  t.tx = -1.0f - pos_x * t.sx;
  t.ty = 1.0f - pos_y * t.sy;
  return t;
}

// The GL state the renderer last set. Each `*_changes` records the wanted value and says whether the
// GL call is needed; nothing is ever read back from GL. `forget()` after the context is restored.
struct StateCache {
  static constexpr unsigned kNone = ~0u;
  ScissorBox scissor{-1, -1, -1, -1};
  unsigned texture = kNone;
  std::size_t vertex_base = static_cast<std::size_t>(-1);
  int viewport_w = -1, viewport_h = -1;

  bool scissor_changes(const ScissorBox& b) {
    if (b == scissor) return false;
    scissor = b;
    return true;
  }
  bool texture_changes(unsigned id) {
    if (id == texture) return false;
    texture = id;
    return true;
  }
  // The byte offset the vertex attributes point at (ImDrawCmd::VtxOffset × sizeof(ImDrawVert)):
  // WebGL has no base-vertex draw, so a mesh over 64k vertices re-points the attributes instead.
  bool vertex_base_changes(std::size_t bytes) {
    if (bytes == vertex_base) return false;
    vertex_base = bytes;
    return true;
  }
  // (glBufferData replaces the buffer's contents, not the buffer object the VAO's attributes name, so
  // a pointer set for an earlier draw list stays right for the next one at the same offset.)
  bool viewport_changes(int w, int h) {
    if (w == viewport_w && h == viewport_h) return false;
    viewport_w = w;
    viewport_h = h;
    return true;
  }
  void forget() { *this = StateCache{}; }
};

}  // namespace cl::platform::webgl

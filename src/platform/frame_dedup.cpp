// Skipping the WebGL work of a frame that would draw exactly what the canvas already shows.
//
// Why: after any event the loop keeps drawing for a settle time (hover fades, tooltips), so one
// keystroke is followed by several frames whose ImGui output is byte-for-byte the previous one.
// Uploading and drawing them again costs the page's main thread the WebGL calls and — worse on a
// software GPU — makes the GPU process rasterise a full canvas per frame, which then competes for
// the cores with the frames that do change (issue 5: frame CPU p95 while typing a search).
// A canvas that is not drawn to in a frame keeps showing its last presented image (WebGL presents
// only a drawing buffer that was drawn into), so not drawing is invisible — provided nothing differs:
// the vertices, indices, commands, clip rects, textures, display size and framebuffer size are all
// compared exactly (a copy, not a hash), and any texture upload or render callback always draws.
#include <cstring>
#include <string>

#include <imgui.h>

#include "platform/platform_internal.h"

namespace cl::platform::detail {
namespace {

std::string g_last;     // the last submitted frame, serialised
std::string g_current;  // this frame's, reused to avoid an allocation per frame

template <class T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

}  // namespace

bool frame_same_as_last_drawn(const ImDrawData* dd, int fb_w, int fb_h) {
  if (!dd || !dd->Valid) return false;
  if (dd->Textures)
    for (const ImTextureData* t : *dd->Textures)
      if (t->Status != ImTextureStatus_OK) return false;  // glyph uploads happen in the draw call path
  std::string& cur = g_current;
  cur.clear();
  put(cur, fb_w);
  put(cur, fb_h);
  put(cur, dd->DisplayPos);
  put(cur, dd->DisplaySize);
  put(cur, dd->FramebufferScale);
  put(cur, dd->CmdListsCount);
  for (const ImDrawList* list : dd->CmdLists) {
    put(cur, list->VtxBuffer.Size);
    put(cur, list->IdxBuffer.Size);
    put(cur, list->CmdBuffer.Size);
    for (const ImDrawCmd& c : list->CmdBuffer) {
      if (c.UserCallback) return false;  // a callback's effect can't be compared
      put(cur, c.ClipRect);
      put(cur, c.TexRef._TexData);
      put(cur, c.TexRef.GetTexID());
      put(cur, c.VtxOffset);
      put(cur, c.IdxOffset);
      put(cur, c.ElemCount);
    }
    cur.append(reinterpret_cast<const char*>(list->VtxBuffer.Data), static_cast<std::size_t>(list->VtxBuffer.size_in_bytes()));
    cur.append(reinterpret_cast<const char*>(list->IdxBuffer.Data), static_cast<std::size_t>(list->IdxBuffer.size_in_bytes()));
  }
  if (cur == g_last) return true;
  g_last.swap(cur);
  return false;
}

void frame_forget_last_drawn() { g_last.clear(); }

}  // namespace cl::platform::detail

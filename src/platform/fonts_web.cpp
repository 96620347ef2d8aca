// Fonts: a Latin font first, the CJK first-paint subset merged into it, then the full CJK font
// (Droid Sans Fallback) fetched after the first frame and merged too (WEB_PLATFORM.md "Fonts").
// 1.92's dynamic atlas rasterises glyphs on demand at the framebuffer density, so text is crisp at
// devicePixelRatio 1, 2 and 3. A wrapped loader records every codepoint no source could provide so
// browser tests can assert that nothing rendered as "?".
#include <emscripten.h>

#include <set>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>

#include "platform/platform_internal.h"

namespace cl::platform::detail {
namespace {

ImFontLoader g_loader;                 // stb_truetype's loader with a tracking glyph hook
const ImFontLoader* g_stb = nullptr;
std::set<unsigned> g_missing;
std::set<unsigned> g_missing_first_paint;   // misses seen before the full font arrived
bool g_latin = false, g_cjk = false, g_full = false;

bool tracking_load_glyph(ImFontAtlas* atlas, ImFontConfig* src, ImFontBaked* baked, void* data, ImWchar cp,
                         ImFontGlyph* out_glyph, float* out_advance_x) {
  const bool found = g_stb->FontBakedLoadGlyph(atlas, src, baked, data, cp, out_glyph, out_advance_x);
  // Sources are tried in order: only a miss in the last one is a real miss.
  if (!found && baked->ContainerFont && !baked->ContainerFont->Sources.empty() &&
      baked->ContainerFont->Sources.back() == src && cp >= 0x20 && cp != 0x85)
    g_missing.insert(cp);
  return found;
}

void append_utf8(std::string& out, unsigned cp) {
  char buf[5] = {};
  ImTextCharToUtf8(buf, cp);
  out += buf;
}

}  // namespace

void fonts_install() {
  g_stb = ImFontAtlasGetFontLoaderForStbTruetype();
  g_loader = *g_stb;
  g_loader.Name = "stb_truetype+missing-glyph-tracker";
  g_loader.FontBakedLoadGlyph = tracking_load_glyph;
  ImGui::GetIO().Fonts->SetFontLoader(&g_loader);
}

bool fonts_ready() { return g_latin && g_cjk; }
bool full_font_loaded() { return g_full; }
int missing_glyph_count() { return static_cast<int>(g_missing.size()); }
int missing_glyph_count_first_paint() { return static_cast<int>(g_missing_first_paint.size()); }
std::string missing_glyphs_utf8() {
  std::string s;
  int n = 0;
  for (unsigned cp : g_missing) {
    if (++n > 64) break;
    append_utf8(s, cp);
  }
  return s;
}

}  // namespace cl::platform::detail

namespace dp = cl::platform::detail;

extern "C" {

// kind: 0 Latin (base font), 1 CJK first-paint subset (merged), 2 full CJK font (merged later).
// The atlas takes ownership of `data` (malloc'ed by the JS glue; ImGui frees it).
EMSCRIPTEN_KEEPALIVE void cl_add_font(int kind, void* data, int size) {
  ImGuiIO& io = ImGui::GetIO();
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = true;
  cfg.OversampleH = 1;   // 1.92 rasterises at the real density; oversampling only costs memory
  cfg.OversampleV = 1;
  if (kind == 0) {
    ImFormatString(cfg.Name, IM_ARRAYSIZE(cfg.Name), "Latin");
    // 16 is only the reference size for the merged sources' ratio below; the real size is
    // style.FontSizeBase (1.92 dynamic fonts).
    io.Fonts->AddFontFromMemoryTTF(data, size, 16.0f, &cfg);
    dp::g_latin = true;
  } else {
    if (!dp::g_latin) { free(data); return; }
    cfg.MergeMode = true;   // merge into the Latin font: "销售漏斗 42" keeps its digits
    ImFormatString(cfg.Name, IM_ARRAYSIZE(cfg.Name), kind == 1 ? "CJK common" : "CJK full");
    // Droid's hanzi look small next to DejaVu's tall Latin: draw them 12% larger (1.92 scales a
    // merged source by its SizePixels relative to the main font's).
    io.Fonts->AddFontFromMemoryTTF(data, size, 16.0f * 1.12f, &cfg);
    if (kind == 2) {
      // Glyphs already looked up as missing are cached as "not found": drop the baked data so
      // they are looked up again in the new source, and start counting misses afresh.
      for (ImFont* f : io.Fonts->Fonts) f->ClearOutputData();
      dp::g_missing_first_paint = dp::g_missing;
      dp::g_missing.clear();
      dp::g_full = true;
    } else {
      dp::g_cjk = true;
    }
  }
  dp::wake();
}

}  // extern "C"

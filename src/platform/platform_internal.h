// Shared between the platform's own .cpp files (not for src/app).
#pragma once

#include <string>

struct ImGuiContext;
struct ImGuiViewport;
struct ImGuiPlatformImeData;

namespace cl::platform::detail {

// Frame loop (main_web.cpp)
void wake();                   // resume the paused main loop for a while
void wake_foreground();   // as wake(), for the user's own doing: frames at full rate at once
void run_frame_now();          // run one frame synchronously (inside a user gesture)
bool in_frame();
double now();                  // emscripten_get_now(), ms
void perf_mark(const char* name);   // performance.mark(name): where a start went (bench/web_cold_start.js)

// Heap warm-up (heap_warmup.cpp): touch as much heap as the last start had in use, while the shell
// reads the replica; remember this start's figure at its first interactive frame.
void warm_heap_from_hint();
void note_heap_in_use();

// Input (input_web.cpp)
void input_before_frame(double now_ms);   // long-press, inertia, deferred touch release
bool input_busy();                         // a touch is down or inertia is running
void input_after_frame();

// Text agent (text_web.cpp)
void text_install(ImGuiContext* ctx);
void text_draw_preedit();                  // the IME composition string at the caret
bool text_composing();

// Fonts (fonts_web.cpp)
bool fonts_ready();
void fonts_install();
int missing_glyph_count();
int missing_glyph_count_first_paint();
std::string missing_glyphs_utf8();
bool full_font_loaded();

}  // namespace cl::platform::detail

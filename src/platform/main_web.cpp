// Browser entry point: WebGL2 context, the idle-aware main loop, HiDPI sizing, and the exported C
// functions the JS glue (web_glue.js) calls. WEB_PLATFORM.md: no rendering while nothing changes —
// the loop pauses itself and every event (input, resize, fetch, timer, IME) resumes it.
#include <emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>
#include <imgui_internal.h>

#include "app/shell/app_entry.h"
#include "app/vm/field_app.h"
#include "platform/browser.h"
#include "platform/http.h"
#include "platform/platform_internal.h"
#include "platform/replica_store.h"
#include "platform/webgl_renderer.h"

namespace cl::platform::detail {
namespace {

EMSCRIPTEN_WEBGL_CONTEXT_HANDLE g_gl = 0;
bool g_paused = false;
bool g_in_frame = false;
bool g_app_inited = false;
double g_awake_until = 0;     // keep rendering until then (tooltips, hover, settle)
int g_frames = 0;
double g_last_frame_ms = 0;
int g_fb_w = 0, g_fb_h = 0;

// Benchmarks (issue 5, bench/web_*.js). "Interactive": the first frame drawn with the signed-in
// user's replica in memory (loaded from IndexedDB), marked once per page load as the performance mark
// "closeloop-interactive" (its startTime counts from navigation start). The frame recorder keeps the
// CPU time of every frame (performance.now() around frame()) while switched on — off by default, so
// a normal session pays one branch per frame.
bool g_interactive_marked = false;
bool g_frame_log_on = false;
std::vector<float> g_frame_log;        // ms per frame, in order, while recording
// Where each recorded frame's time went (kFramePhases per frame, same order as g_frame_log): sizing,
// input + NewFrame, the screens (app_draw), ImGui::Render, the WebGL calls — so a slow frame in a
// benchmark can be attributed instead of guessed at; then how many texture rects (new glyphs) the
// frame uploaded, because a result list full of never-drawn hanzi costs rasterising and uploading.
constexpr int kFramePhases = 5;
std::vector<float> g_phase_log;
constexpr std::size_t kFrameLogMax = 100000;

EM_JS(void, js_mark_interactive, (double frame_start, double size, double input, double screens, double render, double webgl), {
  performance.mark("closeloop-interactive");
  if (window.closeloop) {
    window.closeloop.interactiveAt = performance.now();
    // Where the cold start went (bench/web_cold_start.js prints it): the interactive frame's own
    // start and its phase split, next to the "closeloop-main" and "closeloop-first-frame" marks.
    window.closeloop.interactiveFrame = { start: frame_start, size: size, input: input, screens: screens, render: render, webgl: webgl };
  }
});
EM_JS(void, js_mark, (const char* name), { performance.mark(UTF8ToString(name)); });

// Long enough for ImGui's hover delays and tooltip fades to finish before the loop pauses.
constexpr double kAwakeAfterEventMs = 1000;

// Issue 5: while a sync runs (or the replica loads after sign-in), every pulled page and IndexedDB
// commit wakes the loop, and each frame competes with the sync's own work: ~5 ms of the page's main
// thread, and on a software GPU (SwiftShader, the benchmark's) ~70 ms of the GPU process — on two
// cores that CPU comes out of the sync. Frames nobody asked for with input are spaced this far apart
// then (two a second keep the progress moving); input, a resize or a navigation draws at once, and
// at full rate for kForegroundWhileSyncingMs after it (ImGui's hover and active states settle in a
// few frames; a drag, its inertia and IME composition keep full rate on their own). A first sync of
// 100k records drew 39 frames at 250 ms spacing, 12-15 now; the GPU process's CPU 2.9 s -> 1.0-1.3 s.
constexpr double kBackgroundFrameMs = 500;
constexpr double kForegroundWhileSyncingMs = 300;
double g_last_foreground_ms = -1e9;   // last input / UI event

// While only background work runs the loop ticks on a timer, not on requestAnimationFrame: each
// animation-frame request makes the compositor run a frame (a begin-frame in the GPU process) even
// when the canvas did not change — with a software GPU that was most of its CPU during a first sync.
// The timer is short, so a tick still follows each IndexedDB commit and pulled page closely; input
// goes back to animation frames at once (wake_foreground).
// Preparation alone (no sync, nothing to wait for) ticks sooner: its slices are the only work (50k
// search keys ready about 1 s after the interactive frame; 2.5 s when every tick drew a frame).
constexpr int kBackgroundTickMs = 33;
constexpr int kPreparingTickMs = 4;
int g_timer_ms = 0;   // 0 = ticks on requestAnimationFrame
void tick_on_timer(int ms) {
  if (ms == g_timer_ms) return;
  g_timer_ms = ms;
  if (ms > 0) emscripten_set_main_loop_timing(EM_TIMING_SETTIMEOUT, ms);
  else emscripten_set_main_loop_timing(EM_TIMING_RAF, 1);
}

bool syncing() {
  const app::FieldApp* a = app::field_app();
  if (!a) return false;
  const auto& s = a->sync.status();
  // Pulled pages still being written to IndexedDB are part of the sync: after a first sync the
  // last pages commit for a second or more, and full-rate frames (SwiftShader) starved those writes.
  return s.phase != app::SyncPhase::Idle || (s.first_sync && s.leader) || platform::indexeddb_writes_pending() > 0;
}

// Preparation after a start that changes nothing on screen: a snapshot's records decoded a slice per
// tick, then the customers list's search keys (decode_deferred_slice, warm_lists_slice). Set by the
// last tick that had more of it left.
bool g_preparing = false;

// Work the user waits on while nothing but a status line moves: reading the replica after sign-in
// (the screens say "loading", ~0.5 s on a first sync's empty replica) and a sync. The preparation
// above paces frames too (a frame costs more than a slice under software compositing, and ticks that
// each drew one left 50k search keys unbuilt 2.5 s after the start), on its shorter timer.
bool waiting_on_background() { return app::field_app_loading() || syncing(); }
bool g_replica_ready_drawn = false;   // the last frame drew the screens over a loaded replica

app::FrameFacts measure() {
  app::FrameFacts f;
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  f.width = static_cast<float>(css_w);
  f.height = static_cast<float>(css_h);
  f.pixel_ratio = static_cast<float>(emscripten_get_device_pixel_ratio());
  if (f.pixel_ratio <= 0) f.pixel_ratio = 1;
  f.coarse_pointer = coarse_pointer();
  // HiDPI: backing store = CSS size × devicePixelRatio, so lines and glyphs are crisp at 1, 2 and 3.
  const int fb_w = static_cast<int>(std::lround(css_w * f.pixel_ratio));
  const int fb_h = static_cast<int>(std::lround(css_h * f.pixel_ratio));
  if (fb_w != g_fb_w || fb_h != g_fb_h) {
    emscripten_set_canvas_element_size("#canvas", fb_w, fb_h);
    g_fb_w = fb_w;
    g_fb_h = fb_h;
  }
  return f;
}

EM_JS(void, js_frame_done, (int n, double ms), { Module.clPlatform.frame(n, ms); });
EM_JS(void, js_init, (), { Module.clPlatform.init(); });
EM_JS(void, js_install_frame_times, (), {
  window.closeloop.frameTimes = {
    start: function () { Module._cl_frame_log(1); },
    stop: function () {
      Module._cl_frame_log(0);
      const n = Module._cl_frame_log_size(), p = Module._cl_frame_log_data() >> 2;
      return Array.from(HEAPF32.subarray(p, p + n));
    },
    // Per recorded frame: [size, input+NewFrame, screens, Render, WebGL] in ms, then the texture rects
    // uploaded (new glyphs; 1000 = a whole texture) — after stop().
    phases: function () {
      const n = Module._cl_frame_log_size(), p = Module._cl_frame_phase_data() >> 2, k = 6, out = [];
      for (let i = 0; i < n; i++) out.push(Array.from(HEAPF32.subarray(p + i * k, p + i * k + k)));
      return out;
    },
  };
});

// A returning user's replica is on its way from IndexedDB (the shell's early read, web/shell.js, or
// the startup load): the first frame waits for it, up to kHoldFirstFrameMs after main(), so that the
// first frame drawn is usually the list itself rather than an empty "loading" screen the next frame
// replaces — and the main thread stays free to take IndexedDB's answers meanwhile (issue 5 cold start;
// the shell's boot screen stays up). Never longer: a slow disk still gets a loading screen.
EM_JS(int, js_early_replica_read_pending, (), {
  const e = window.closeloopEarlyIdb;
  return e && e.read ? 1 : 0;
});
constexpr double kHoldFirstFrameMs = 400;
double g_main_ms = 0;

bool hold_first_frame(double t, bool replica_in_memory) {
  if (g_frames > 0 || replica_in_memory || t - g_main_ms > kHoldFirstFrameMs) return false;
  return app::field_app_loading() || js_early_replica_read_pending();
}

void frame() {
  if (g_in_frame) return;  // re-entrancy: focus() inside a frame fires events synchronously
  if (!fonts_ready()) return;
  const double t0 = now();
  double tp[kFramePhases + 1] = {t0};
  const bool replica_in_memory = app::field_app() != nullptr;
  if (hold_first_frame(t0, replica_in_memory)) return;
  g_replica_ready_drawn = replica_in_memory;
  g_in_frame = true;
  const app::FrameFacts facts = measure();
  tp[1] = now();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(facts.width, facts.height);
  // 1.92: the framebuffer scale is also the font rasterizer density → sharp text without scaling.
  io.DisplayFramebufferScale = ImVec2(facts.pixel_ratio, facts.pixel_ratio);
  io.DeltaTime = g_frames == 0 ? 1.0f / 60.0f : static_cast<float>(std::max(0.001, (t0 - g_last_frame_ms) / 1000.0));
  if (io.DeltaTime > 0.25f) io.DeltaTime = 0.25f;  // after an idle pause, don't jump animations
  g_last_frame_ms = t0;
  if (!g_app_inited) {
    app::app_init(facts);
    g_app_inited = true;
  }
  input_before_frame(t0);
  ImGui::NewFrame();
  tp[2] = now();
  app::app_draw(facts);
  tp[3] = now();
  text_draw_preedit();
  ImGui::Render();
  tp[4] = now();
  int tex_rects = 0;
  if (ImDrawData* dd = ImGui::GetDrawData(); dd && dd->Textures)
    for (ImTextureData* t : *dd->Textures)
      if (t->Status != ImTextureStatus_OK) tex_rects += t->Status == ImTextureStatus_WantUpdates ? t->Updates.Size : 1000;
  emscripten_webgl_make_context_current(g_gl);
  webgl_renderer_draw(ImGui::GetDrawData(), g_fb_w, g_fb_h);
  input_after_frame();
  g_in_frame = false;
  ++g_frames;
  tp[5] = now();
  const double frame_ms = tp[5] - t0;
  if (g_frame_log_on && g_frame_log.size() < kFrameLogMax) {
    g_frame_log.push_back(static_cast<float>(frame_ms));
    for (int k = 0; k < kFramePhases; ++k) g_phase_log.push_back(static_cast<float>(tp[k + 1] - tp[k]));
    g_phase_log.push_back(static_cast<float>(tex_rects));
  }
  if (g_frames == 1) js_mark("closeloop-first-frame");
  if (replica_in_memory && !g_interactive_marked) {
    g_interactive_marked = true;
    js_mark_interactive(t0, tp[1] - tp[0], tp[2] - tp[1], tp[3] - tp[2], tp[4] - tp[3], tp[5] - tp[4]);
  }
  js_frame_done(g_frames, frame_ms);
}

// The snapshot's customers and activities (LocalReplica::defer) are decoded a slice per tick once
// the first interactive frame is up: a few ms each, so the list answers input meanwhile; any screen
// that reads one of them first decodes the rest of that kind at once.
constexpr std::size_t kDeferredRecordsPerTick = 2500;

bool decode_deferred_slice() {
  app::FieldApp* a = app::field_app();
  if (!a || a->replica.deferred_customers() + a->replica.deferred_activities() == 0) return false;
  a->replica.decode_deferred(kDeferredRecordsPerTick);
  wake();   // keep ticking until they are all decoded
  return true;
}

// Then the customers list's search keys, drop-down values and id map (CustomerListVM::warm_idle), a
// slice per tick whether or not a frame is drawn: an idle app draws no frames, and without this the
// rep's first keystrokes would pay for the slices the frames never built.
// Slices of 250 keys for up to 6 ms a tick, and none once input is queued for the next frame: a
// keystroke that arrives meanwhile waits at most those 6 ms (events are handled between ticks).
constexpr std::size_t kListKeysPerSlice = 250;
constexpr double kListWarmMsPerTick = 6.0;

bool warm_lists_slice() {
  app::FieldApp* a = app::field_app();
  if (!a || !a->loaded) return false;   // warm_idle itself waits for the deferred customers
  const double until = now() + kListWarmMsPerTick;
  bool more = false;
  do {
    more = a->customer_list.warm_idle(a->replica, kListKeysPerSlice);
  } while (more && now() < until && !(GImGui && GImGui->InputEventsQueue.Size > 0));
  if (more) wake();
  return more;
}

void loop_tick() {
  const double t = now();
  // ImGui events queued since the last frame = the user did something (input_web/text_web push them).
  if (GImGui && GImGui->InputEventsQueue.Size > 0) g_last_foreground_ms = t;
  const bool background_only = t > g_last_foreground_ms + kForegroundWhileSyncingMs && !input_busy() && !text_composing();
  // The replica's arrival (the loading line gives way to the screens, a cold start's interactive
  // frame) is drawn at once, never held back by the spacing.
  const bool replica_arrived = (app::field_app() != nullptr) != g_replica_ready_drawn;
  const bool waiting = waiting_on_background();
  const bool paced = background_only && g_frames > 0 && (waiting || g_preparing);
  if (replica_arrived || !(paced && t - g_last_frame_ms < kBackgroundFrameMs)) frame();
  tick_on_timer(paced ? (waiting ? kBackgroundTickMs : kPreparingTickMs) : 0);
  if (g_interactive_marked) {
    if (const app::FieldApp* a = app::field_app(); a && a->loaded) note_heap_in_use();   // heap_warmup.cpp
    const bool decoding = decode_deferred_slice();
    g_preparing = warm_lists_slice() || decoding;
  }
  // Pause when nothing changes: every event source (input, resize, fetch, timer, IME, font load)
  // calls wake(), which keeps frames coming for a short settle time; touch/inertia keep it awake.
  if (fonts_ready() && g_frames > 0 && now() > g_awake_until && !input_busy() && !text_composing()) {
    emscripten_pause_main_loop();
    g_paused = true;
  }
}

}  // namespace

void perf_mark(const char* name) { js_mark(name); }

void wake() {
  g_awake_until = now() + kAwakeAfterEventMs;
  if (g_paused) {
    g_paused = false;
    emscripten_resume_main_loop();
  }
}

void wake_foreground() {
  g_last_foreground_ms = now();
  tick_on_timer(0);
  wake();
}

void run_frame_now() {
  wake_foreground();
  frame();
}

bool in_frame() { return g_in_frame; }
double now() { return emscripten_get_now(); }
int frame_count() { return g_frames; }
bool loop_paused() { return g_paused; }

}  // namespace cl::platform::detail

namespace dp = cl::platform::detail;

extern "C" {

EMSCRIPTEN_KEEPALIVE void cl_wake() { dp::wake_foreground(); }
EMSCRIPTEN_KEEPALIVE void cl_resize() { dp::wake_foreground(); }
EMSCRIPTEN_KEEPALIVE int cl_is_idle() { return dp::loop_paused() ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE void cl_online(int online) {
  cl::app::app_set_online(online != 0);
  dp::wake_foreground();
}
EMSCRIPTEN_KEEPALIVE void cl_login(const char* token, const char* user_json) {
  cl::platform::set_bearer_token(token);
  cl::app::app_login(token, user_json);
  dp::run_frame_now();
}
EMSCRIPTEN_KEEPALIVE void cl_logout_local() {
  cl::platform::set_bearer_token("");
  cl::app::app_logout_local();
  dp::wake_foreground();
}
EMSCRIPTEN_KEEPALIVE void cl_route(const char* hash) {
  cl::app::app_route_changed(hash);
  dp::wake_foreground();
}
EMSCRIPTEN_KEEPALIVE void cl_navigate(const char* path) {
  cl::app::app_navigate(path);
  dp::wake_foreground();
}
EMSCRIPTEN_KEEPALIVE void cl_set_lang(const char* code) {
  cl::app::app_set_lang_code(code);
  dp::wake_foreground();
}

// Frame recorder (benchmarks): window.closeloop.frameTimes.start() clears and starts recording,
// .stop() stops and returns the recorded frame CPU times in ms.
EMSCRIPTEN_KEEPALIVE void cl_frame_log(int on) {
  dp::g_frame_log_on = on != 0;
  if (on) {
    dp::g_frame_log.clear();
    dp::g_phase_log.clear();
  }
}
EMSCRIPTEN_KEEPALIVE int cl_frame_log_size() { return static_cast<int>(dp::g_frame_log.size()); }
EMSCRIPTEN_KEEPALIVE const float* cl_frame_log_data() { return dp::g_frame_log.data(); }
EMSCRIPTEN_KEEPALIVE const float* cl_frame_phase_data() { return dp::g_phase_log.data(); }

// window.closeloop.state(): the app's fields plus what only the platform knows.
EMSCRIPTEN_KEEPALIVE const char* cl_state_json() {
  static std::string out;
  std::string platform = "\"frameCount\":" + std::to_string(dp::frame_count()) +
                         ",\"missingGlyphs\":" + std::to_string(dp::missing_glyph_count()) +
 ",\"missingGlyphsFirstPaint\":" + std::to_string(dp::missing_glyph_count_first_paint()) +
                         ",\"fullFont\":" + (dp::full_font_loaded() ? "true" : "false") +
                         ",\"httpInFlight\":" + std::to_string(cl::platform::http_in_flight()) +
                         ",\"pixelRatio\":" + std::to_string(emscripten_get_device_pixel_ratio()) +
                         ",\"idle\":" + (dp::loop_paused() ? "true" : "false");
  // missing glyphs as text, JSON-escaped minimally (they are printable codepoints).
  std::string glyphs;
  for (char c : dp::missing_glyphs_utf8()) {
    if (c == '"' || c == '\\') glyphs += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) glyphs += c;
  }
  platform += ",\"missingGlyphText\":\"" + glyphs + "\"";
  out = cl::app::app_state_json(platform);
  return out.c_str();
}

}  // extern "C"

int main() {
  dp::js_mark("closeloop-main");
  dp::g_main_ms = dp::now();
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = 2;
  attrs.minorVersion = 0;
  attrs.alpha = false;
  attrs.depth = false;
  attrs.stencil = false;
  attrs.antialias = false;   // ImGui anti-aliases its own lines and fills
  attrs.premultipliedAlpha = true;
  dp::g_gl = emscripten_webgl_create_context("#canvas", &attrs);
  if (dp::g_gl <= 0) {
    std::fprintf(stderr, "[closeloop] WebGL2 is not available (error %d)\n", static_cast<int>(dp::g_gl));
    return 1;
  }
  emscripten_webgl_make_context_current(dp::g_gl);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;                      // layout is code, not a file
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.ConfigWindowsMoveFromTitleBarOnly = true;
  io.ConfigInputTextCursorBlink = false;         // a blinking caret would keep the loop awake
  io.BackendPlatformName = "closeloop_web";
  dp::fonts_install();
  dp::text_install(ImGui::GetCurrentContext());
  if (!dp::webgl_renderer_init()) return 1;
  dp::js_init();
  dp::js_install_frame_times();
  // A returning user's replica is being read (web/shell.js): warm the heap it will be decoded into.
  if (dp::js_early_replica_read_pending()) dp::warm_heap_from_hint();
  emscripten_set_main_loop(dp::loop_tick, 0, false);
  return 0;
}

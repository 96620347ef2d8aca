// The app-wide state the shell, the screens and the test API read. Plain data, no ImGui, no
// emscripten: the platform layer fills the browser facts, the sync client fills `sync`.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "app/i18n.h"
#include "core/model.h"

namespace cl::app {

// R-sync indicator (issue 5): online/offline/syncing with pending count, set by the sync client.
struct SyncIndicator {
  enum class State { Online, Offline, Syncing };
  State state = State::Online;
  int pending = 0;             // outbox entries not yet accepted by the server
  float first_sync_progress = -1.0f;  // 0..1 during the first sync, <0 when not syncing
  std::string last_error_zh, last_error_en;
  int storage_problem = 0;     // 0 none, 1 device storage full, 2 other storage error (issue 5)
};

struct Session {
  std::string token;   // Bearer token from POST /api/v1/auth/login (kept in localStorage by web/)
  User user;           // from the login answer, refreshed by GET /api/v1/me
  bool valid() const { return !token.empty(); }
};

struct AppState {
  Session session;
  SyncIndicator sync;
  bool browser_online = true;   // navigator.onLine, updated by the platform layer
  std::string screen;           // pattern of the screen shown ("customers/:id"), for the test API
  std::string route;            // current hash path ("customers/42")
  std::string last_edited_text; // last text typed into any ui::input_text (test API, IME test)
  int missing_glyphs = 0;       // filled by the platform font tracker
  // Where named widgets were drawn this frame (CSS px), so browser tests can click a canvas
  // (a canvas has no DOM). Filled by ui::mark_target; exposed as window.closeloop.state().targets.
  // x,y,w,h: the item; vy,vh: the part of it not clipped by its window (scrolled / covered).
  struct Rect { float x = 0, y = 0, w = 0, h = 0, vy = 0, vh = 0; };
  std::map<std::string, Rect> targets;
  // The target drawn active this frame (a text field being typed in): tests wait for the field
  // they tapped to be the active one before they type, however slow the machine.
  std::string active_target;
};

// The single instance (app layer only; core and sync stay free of globals).
AppState& state();

}  // namespace cl::app

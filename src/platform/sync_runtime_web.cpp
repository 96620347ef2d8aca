// Runs the field app's sync client in the browser (issue 5): after login it creates the FieldApp
// (local replica + sync client + view-models) over IndexedDB storage and the fetch transport
// (replica_store.h), restores the replica and the outbox from IndexedDB, registers this device for
// its customer-code number, and drives SyncClient::tick from a timer — so retries happen on a timer
// even when the user does nothing. The status is copied into state().sync for the top bar, and
// window.closeloop.field() exposes the field screens' state to the browser tests.
//
// Started from a timer set at static initialisation, so the shell needs no hook: it notices the
// session by polling state().session (cheap: no rendering unless something changed).
//
// Tabs (issue 5): every tab of the profile runs a FieldApp on the same IndexedDB database, but only
// the tab holding the Web Lock "closeloop-sync-<db>" talks to the server; the others follow storage
// (BroadcastChannel messages from replica_store_web.cpp, plus a slow timer). When the leader tab
// closes, the browser hands the lock to a waiting tab, which re-reads storage and carries on. Without
// Web Locks (not a secure context) every tab syncs: still safe, as mids come from storage and each
// push is read back from storage first (sync_client.h), just more traffic.
#include <emscripten.h>
#include <emscripten/eventloop.h>

#include <algorithm>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "app/app_state.h"
#include "app/i18n.h"
#include "app/vm/field_app.h"
#include "core/ids.h"
#include "core/settings.h"
#include "platform/browser.h"
#include "platform/http.h"
#include "platform/platform_internal.h"
#include "platform/replica_store.h"

namespace cl::app {
namespace {

void kick();

// The fetch transport, plus a tick right after each reply: the next step of the cycle (the next pull
// page of a first sync) starts at once instead of at the next 100 ms poll — a first sync of 100
// pages otherwise sat idle ~5 s between pages (issue 5).
struct KickingTransport final : SyncTransport {
  std::unique_ptr<SyncTransport> inner;
  explicit KickingTransport(std::unique_ptr<SyncTransport> t) : inner(std::move(t)) {}
  static HttpCallback wrap(HttpCallback done) {
    return [done = std::move(done)](const HttpReply& r) {
      if (done) done(r);
      kick();
    };
  }
  void get(const std::string& path, HttpCallback done) override { inner->get(path, wrap(std::move(done))); }
  void post_json(const std::string& path, const std::string& body, HttpCallback done) override {
    inner->post_json(path, body, wrap(std::move(done)));
  }
  void put_bytes(const std::string& path, const std::string& type, const std::string& bytes, HttpCallback done) override {
    inner->put_bytes(path, type, bytes, wrap(std::move(done)));
  }
};

// IndexedDB storage, plus the same prompt tick after each completion: a refused write (quota) is
// published (top bar, screen-reader announcement) at once, not at the next idle poll up to 1 s later.
struct KickingStorage final : ReplicaStorage {
  std::unique_ptr<ReplicaStorage> inner;
  explicit KickingStorage(std::unique_ptr<ReplicaStorage> s) : inner(std::move(s)) {}
  void load(const LoadRequest& r, std::function<void(StoredState, std::string)> done) override {
    inner->load(r, [done = std::move(done)](StoredState s, std::string e) {
      if (done) done(std::move(s), std::move(e));
      kick();
    });
  }
  void add_intent(const std::string& entry, const std::vector<PendingEvidence>& ev,
                  std::function<void(std::int64_t, std::string)> done) override {
    inner->add_intent(entry, ev, [done = std::move(done)](std::int64_t mid, std::string e) {
      if (done) done(mid, std::move(e));
      kick();
    });
  }
  void append_page(std::int64_t key, const std::string& changes, const std::string& cursor,
                   const OutboxChanges& outbox) override {
    inner->append_page(key, changes, cursor, outbox);
  }
  void update_outbox(const OutboxChanges& c) override { inner->update_outbox(c); }
  void drop_evidence(const std::string& sha) override { inner->drop_evidence(sha); }
  void clear_records() override { inner->clear_records(); }
  void compact_pages(const CompactionPlan& plan, std::function<void(std::string)> done) override {
    inner->compact_pages(plan, [done = std::move(done)](std::string e) {
      if (done) done(std::move(e));
      kick();
    });
  }
  void write_snapshot(const std::string& bytes, const SnapshotInfo& info, const std::string& tag) override {
    inner->write_snapshot(bytes, info, tag);
  }
};

struct Runtime {
  std::unique_ptr<ReplicaStorage> storage;
  std::unique_ptr<SyncTransport> transport;
  bool kicked = false;
  std::unique_ptr<FieldApp> app;
  std::string user_id;
  std::string client_id;
  int generation = 0;
  std::uint64_t shown_revision = 0;
  std::string shown_status;
  bool timer_armed = false;
  std::string db;
  bool leader_pending = false;   // the lock came before the stored replica was read
};
Runtime g;

Instant now_ms() { return static_cast<Instant>(platform::now_ms()); }

RandomBytes10 random10() {
  RandomBytes10 r{};
  platform::random_bytes(r.data(), static_cast<int>(r.size()));
  return r;
}

void register_device(int generation) {
  nlohmann::json body{{"client_id", g.client_id}};
  platform::http_post_json("/api/v1/sync/register", body.dump(), [generation](const platform::HttpResponse& r) {
    if (generation != g.generation || !g.app) return;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (r.ok() && j.is_object() && j.contains("device_no") && j["device_no"].is_number_integer()) {
      auto n = j["device_no"].get<std::uint32_t>();
      platform::local_storage_set("closeloop.device_no." + g.client_id, std::to_string(n));
      g.app->ids.set_device_number(n);
      platform::request_redraw();
    } else if (r.status == 409) {
      // client_id registered to another user on this browser profile: make a fresh one next start.
      platform::local_storage_remove("closeloop.client_id." + g.user_id);
    }
  });
}

EM_JS(void, js_sync_lock, (const char* name, int generation), {
  if (Module.clSyncLock) Module.clSyncLock.release();
  const lockName = UTF8ToString(name);
  if (!navigator.locks || !navigator.locks.request) { Module._cl_sync_leader(generation); return; }
  const ctl = new AbortController();
  let release = null;
  Module.clSyncLock = { release: function () { ctl.abort(); if (release) release(); } };
  navigator.locks.request(lockName, { mode: "exclusive", signal: ctl.signal }, function () {
    Module._cl_sync_leader(generation);
    return new Promise(function (res) { release = res; });   // held until this tab closes or logs out
  }).catch(function () {});
});

EM_JS(void, js_sync_unlock, (), {
  if (Module.clSyncLock) { Module.clSyncLock.release(); Module.clSyncLock = null; }
});

void stop() {
  js_sync_unlock();
  ++g.generation;
  g.app.reset();
  g.storage.reset();
  g.transport.reset();
  g.user_id.clear();
}

void start(const Session& session) {
  stop();
  const int generation = g.generation;
  g.user_id = session.user.id;
  const Instant now = now_ms();
  g.client_id = platform::local_storage_get("closeloop.client_id." + g.user_id);
  if (g.client_id.empty()) {
    g.client_id = uuid_v7(now, random10());
    platform::local_storage_set("closeloop.client_id." + g.user_id, g.client_id);
  }
  std::uint32_t device_no = 0;
  const std::string stored_no = platform::local_storage_get("closeloop.device_no." + g.client_id);
  if (!stored_no.empty()) device_no = static_cast<std::uint32_t>(std::stoul(stored_no));

  SyncClientConfig config;
  config.client_id = g.client_id;
  config.actor = {session.user.id, session.user.role, session.user.team_id};
  if (!session.user.team_id.empty()) config.user_teams[session.user.id] = session.user.team_id;
  config.settings = default_settings();
  config.clock = [] { return emscripten_get_now(); };   // pull stage timings (field().pull_timings)
  // Issue 5 first sync: 1,000 records in the first page (the list fills at once), then 2,500 a page
  // (100k records in 41 round trips instead of 100; a page is then ~35 ms of main-thread work).
  config.catch_up_pull_limit = 2500;
  const std::string db = "closeloop-" + g.user_id;
  g.storage = std::make_unique<KickingStorage>(platform::make_indexeddb_storage(db));
  g.transport = std::make_unique<KickingTransport>(platform::make_http_sync_transport());
  platform::request_persistent_storage();
  g.app = std::make_unique<FieldApp>(config, *g.transport, *g.storage, device_no, random10,
                                     [] { return platform::random_unit(); });
  g.app->user_name = session.user.display_name.empty() ? session.user.username : session.user.display_name;
  g.app->sync.set_leader(false, now);   // until the Web Lock is ours
  g.db = db;
  g.storage->load(g.app->sync.startup_request(), [generation](StoredState stored, std::string error) {
    if (generation != g.generation || !g.app) return;
    if (!error.empty()) state().sync.last_error_en = "IndexedDB: " + error;
    platform::detail::perf_mark("closeloop-replica-read");      // IndexedDB read, bytes in wasm memory
    g.app->sync.restore(std::move(stored), now_ms());
    platform::detail::perf_mark("closeloop-replica-restored");  // snapshot decoded, later pages applied
    g.app->loaded = true;
    if (g.leader_pending) g.app->sync.set_leader(true, now_ms());
    platform::request_redraw();
  });
  platform::on_indexeddb_changed_elsewhere([](const std::string& name) {
    if (!g.app || !g.app->loaded || name != g.db) return;
    const Instant t = now_ms();
    g.app->sync.storage_changed(t);
    g.app->sync.tick(t);
  });
  g.leader_pending = false;
  js_sync_lock(("closeloop-sync-" + db).c_str(), generation);
  if (device_no == 0) register_device(generation);
}

std::string status_key(const SyncStatus& s) {
  return std::to_string(static_cast<int>(s.connectivity)) + "/" + std::to_string(static_cast<int>(s.phase)) + "/" +
         std::to_string(s.pending) + "/" + std::to_string(s.rejected) + "/" + std::to_string(s.evidence_pending) + "/" +
         std::to_string(s.records_received) + "/" + s.last_error + "/" + s.storage_error + "/" +
         std::to_string(s.leader ? 1 : 0);
}

void publish(const FieldApp& app) {
  const SyncStatus& s = app.sync.status();
  SyncIndicator& ind = state().sync;
  ind.state = s.connectivity == Connectivity::Offline   ? SyncIndicator::State::Offline
              : s.connectivity == Connectivity::Syncing ? SyncIndicator::State::Syncing
                                                        : SyncIndicator::State::Online;
  ind.pending = static_cast<int>(s.pending + s.rejected);
  // First sync: pages arrive without a total from the server; show movement per page received.
  ind.first_sync_progress = s.first_sync && s.pages_received >= 0 && s.phase != SyncPhase::Idle
                                ? std::min(0.95f, 0.1f + 0.05f * static_cast<float>(s.pages_received))
                                : -1.0f;
  ind.last_error_en = s.last_error;
  ind.last_error_zh = s.last_error;
  // Storage trouble is the user's business: what they typed is not safe on the device yet.
  const int problem = s.storage_error.empty() ? 0 : (s.storage_error.find("Quota") != std::string::npos ? 1 : 2);
  if (problem != ind.storage_problem) {
    ind.storage_problem = problem;
    if (problem) platform::announce(tr(problem == 1 ? "sync.storage_full" : "sync.storage_error"));
  }
  if (!s.storage_error.empty()) ind.last_error_en = s.storage_error;
}

void poll(void*) {
  g.timer_armed = false;
  const Session& session = state().session;
  if (!session.valid()) {
    if (g.app) stop();
  } else if (!g.app || g.user_id != session.user.id) {
    start(session);
  }
  // Signed out, a sign-in is noticed within 50 ms (issue 5: at 1 s the first sync started up to a
  // second after the login answer); a timer that only reads a flag costs nothing measurable.
  int delay_ms = session.valid() ? 1000 : 50;
  if (g.app && g.app->loaded) {
    FieldApp& app = *g.app;
    const Instant now = now_ms();
    app.sync.set_browser_online(platform::is_online(), now);
    app.sync.tick(now);
    publish(app);
    const auto key = status_key(app.sync.status());
    if (app.replica.revision() != g.shown_revision || key != g.shown_status) {
      g.shown_revision = app.replica.revision();
      g.shown_status = key;
      platform::request_redraw();
    }
    const Instant wake = app.sync.next_wake_at();
    // A request in flight wakes us through its reply; poll briskly meanwhile so the next step of
    // the cycle (upload → push → pull) starts promptly, and slowly when idle.
    if (app.sync.status().phase != SyncPhase::Idle) delay_ms = 100;
    else delay_ms = static_cast<int>(std::clamp<Instant>(wake - now, 20, 1000));
  } else if (g.app) {
    delay_ms = 50;  // waiting for IndexedDB
  }
  g.timer_armed = true;
  emscripten_set_timeout([](void* p) { poll(p); }, delay_ms, nullptr);
}

// After a reply (outside the reply's own call stack): let the client start its next request now.
void kick() {
  if (g.kicked) return;
  g.kicked = true;
  emscripten_set_timeout([](void*) {
    g.kicked = false;
    if (!g.app || !g.app->loaded) return;
    g.app->sync.tick(now_ms());
    publish(*g.app);
  }, 0, nullptr);
}

nlohmann::json field_state_json() {
  nlohmann::json j;
  if (!g.app) {
    j["running"] = false;
    return j;
  }
  const FieldApp& a = *g.app;
  const SyncStatus& s = a.sync.status();
  j["running"] = true;
  j["loaded"] = a.loaded;
  j["client_id"] = g.client_id;
  j["device_no"] = a.ids.device_number();
  j["customers"] = a.replica.customers().size();
  j["opportunities"] = a.replica.opportunities().size();
  j["activities"] = a.replica.activities().size();
  j["pending"] = s.pending;
  j["rejected"] = s.rejected;
  j["evidence_pending"] = s.evidence_pending;
  j["connectivity"] = s.connectivity == Connectivity::Offline ? "offline"
                      : s.connectivity == Connectivity::Syncing ? "syncing" : "online";
  j["first_sync"] = s.first_sync;
  j["records_received"] = s.records_received;
  j["last_error"] = s.last_error;
  j["idb_error"] = platform::indexeddb_last_error();
  j["storage_error"] = s.storage_error;
  j["unsaved"] = s.unsaved;
  j["leader"] = s.leader;
  j["stored_pages"] = s.stored_pages;
  j["stored_changes"] = s.stored_changes;
  j["compactions"] = s.compactions;
  j["snapshot_loaded"] = s.snapshot_loaded;
  j["snapshots_written"] = s.snapshots_written;
  j["last_mid"] = a.sync.last_mid();
  const PullTimings& t = s.pull_timings;
  j["pull_timings"] = {{"pages", t.pages}, {"wait_ms", t.wait_ms}, {"scan_ms", t.scan_ms}, {"parse_ms", t.parse_ms},
                       {"apply_ms", t.apply_ms}, {"store_ms", t.store_ms}, {"index_ms", t.index_ms},
                       {"total_ms", t.total_ms}};
  nlohmann::json mids = nlohmann::json::array();
  for (const auto& e : a.sync.outbox().entries()) mids.push_back(e.mutation.mid);
  j["outbox_mids"] = mids;
  nlohmann::json issues = nlohmann::json::array();
  for (const auto& i : a.sync.issues()) {
    nlohmann::json p = nlohmann::json::array();
    for (const auto& pr : i.problems) p.push_back({{"code", pr.code}, {"field", pr.field}, {"message_zh", pr.message_zh}});
    issues.push_back({{"mid", i.mid}, {"name", i.mutation_name}, {"problems", p}, {"fix_route", i.fix_route},
                      {"local_only", i.local_only}});
  }
  j["issues"] = issues;
  j["list"] = {{"query", a.customer_filter.query}, {"count", a.customer_list.count()},
               {"keys_ready", a.customer_list.keys_ready()}, {"facets_ready", a.customer_list.facets_ready()}};
  const CustomerProfile& prof = a.profile.profile();
  j["profile"] = {{"found", prof.found}, {"id", prof.customer.meta.id}, {"code", prof.customer.code},
                  {"name", prof.customer.name}, {"interactions", prof.last_interactions.size()}};
  nlohmann::json fp = nlohmann::json::array();
  for (const auto& p : a.form.problems()) fp.push_back({{"code", p.code}, {"field", p.field}});
  j["form"] = {{"name", a.form.name}, {"problems", fp}, {"duplicates", a.form.duplicates().size()}};
  nlohmann::json cp = nlohmann::json::array();
  for (const auto& p : a.card.problems()) cp.push_back({{"code", p.code}, {"message_zh", p.message_zh}});
  j["card"] = {{"found", a.card.found()},
               {"id", a.card.found() ? a.card.opportunity().meta.id : ""},
               {"stage", a.card.current_stage()},
               {"attached", a.card.attached().size()},
               {"problems", cp},
               {"summary", a.card.summary_text()}};
  return j;
}

struct Bootstrap {
  Bootstrap() { emscripten_set_timeout([](void* p) { poll(p); }, 0, nullptr); }
};
Bootstrap g_bootstrap;

EM_JS(void, js_install_field_api, (), {
  function install() {
    if (!window.closeloop) { setTimeout(install, 50); return; }
    window.closeloop.field = function () {
      const p = Module._cl_field_state_json();
      return p ? JSON.parse(UTF8ToString(p)) : null;
    };
    // Ask the sync client to run now (tests after context.setOffline(false); "sync now" buttons).
    window.closeloop.syncNow = function () { Module._cl_field_sync_now(); };
  }
  install();
});

struct InstallApi {
  InstallApi() { js_install_field_api(); }
};
InstallApi g_install_api;

}  // namespace

FieldApp* field_app() { return g.app && g.app->loaded ? g.app.get() : nullptr; }
bool field_app_loading() { return g.app && !g.app->loaded; }

}  // namespace cl::app

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* cl_field_state_json() {
  static std::string out;
  out = cl::app::field_state_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return out.c_str();
}

EMSCRIPTEN_KEEPALIVE void cl_sync_leader(int generation) {
  using cl::app::g;
  if (generation != g.generation) return;   // a lock granted to a session that has ended
  if (g.app && g.app->loaded) g.app->sync.set_leader(true, static_cast<cl::Instant>(cl::platform::now_ms()));
  else g.leader_pending = true;
  cl::platform::request_redraw();
}

EMSCRIPTEN_KEEPALIVE void cl_field_sync_now() {
  if (auto* a = cl::app::field_app()) {
    const auto now = static_cast<cl::Instant>(cl::platform::now_ms());
    a->sync.set_browser_online(cl::platform::is_online(), now);
    a->sync.request_pull(now);
    a->sync.tick(now);
  }
}

}  // extern "C"

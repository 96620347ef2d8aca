// IndexedDB replica storage and the sync HTTP transport (replica_store.h), with a small EM_JS
// IndexedDB wrapper (emscripten_idb_* can't do multi-store transactions; ASYNCIFY is avoided).
#include <emscripten.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <utility>

#include "platform/http.h"
#include "platform/platform_internal.h"
#include "platform/replica_store.h"

namespace cl::platform {
namespace {

std::string g_last_error;

// --- JS side ----------------------------------------------------------------------------------
// Module.clIdb keeps one open connection per database and a queue of operations waiting for it.
EM_JS(void, js_idb_install, (), {
  if (Module.clIdb) return;
  const dbs = {};
  function open(name) {
    if (dbs[name]) return dbs[name];
    dbs[name] = new Promise(function (resolve, reject) {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = function () {
        const db = req.result;
        if (!db.objectStoreNames.contains("pages")) db.createObjectStore("pages", { autoIncrement: true });
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
        if (!db.objectStoreNames.contains("evidence")) db.createObjectStore("evidence", { keyPath: "sha256" });
      };
      req.onsuccess = function () {
        const db = req.result;
        db.onclose = function () { delete dbs[name]; };            // connection lost: reopen next time
        db.onversionchange = function () { db.close(); delete dbs[name]; };
        resolve(db);
      };
      req.onerror = function () { delete dbs[name]; reject(req.error); };
    });
    return dbs[name];
  }
  function fail(e) {
    const msg = (e && (e.name + ": " + e.message)) || "IndexedDB error";
    console.warn("[closeloop] IndexedDB", msg);
    Module.ccall("cl_idb_error", null, ["string"], [msg]);
  }
  // run(name, stores, fn(tx)): one readwrite transaction; errors (quota, abort) reported to C++.
  function run(name, stores, fn) {
    open(name).then(function (db) {
      // "strict": complete only once the data is flushed. The outbox is the user's unsent work and
      // must survive a crash or a tab killed right after "saved" (Chromium defaults to relaxed).
      const tx = db.transaction(stores, "readwrite", { durability: "strict" });
      tx.onerror = function () { fail(tx.error); };
      tx.onabort = function () { fail(tx.error); };
      fn(tx);
    }).catch(fail);
  }
  function str(ptr) { return UTF8ToString(ptr); }
  function withString(s, fn) {
    const n = lengthBytesUTF8(s) + 1, p = _malloc(n);
    stringToUTF8(s, p, n);
    try { fn(p); } finally { _free(p); }
  }
  Module.clIdb = { open: open, run: run, str: str, withString: withString, fail: fail, dbs: dbs };
});

EM_JS(void, js_idb_append_page, (const char* db, const char* changes, const char* cursor, double last_mid, const char* outbox), {
  const I = Module.clIdb;
  const c = I.str(changes), cur = I.str(cursor), ob = I.str(outbox);
  I.run(I.str(db), ["pages", "meta"], function (tx) {
    tx.objectStore("pages").add(c);
    tx.objectStore("meta").put(cur, "cursor");
    tx.objectStore("meta").put(last_mid, "last_mid");
    tx.objectStore("meta").put(ob, "outbox");
  });
});

EM_JS(void, js_idb_save_outbox, (const char* db, const char* outbox), {
  const I = Module.clIdb;
  const ob = I.str(outbox);
  const ev = Module.clIdbEvidence || [];
  Module.clIdbEvidence = [];
  I.run(I.str(db), ["meta", "evidence"], function (tx) {
    tx.objectStore("meta").put(ob, "outbox");
    ev.forEach(function (e) { tx.objectStore("evidence").put(e); });
  });
});

// Evidence bytes are staged first (copied out of the wasm heap), then written with the outbox.
EM_JS(void, js_idb_stage_evidence, (const char* sha, const char* name, const char* mime, const void* bytes, int size), {
  Module.clIdbEvidence = Module.clIdbEvidence || [];
  Module.clIdbEvidence.push({ sha256: UTF8ToString(sha), file_name: UTF8ToString(name), mime_type: UTF8ToString(mime),
                              bytes: HEAPU8.slice(bytes, bytes + size) });
});

EM_JS(void, js_idb_drop_evidence, (const char* db, const char* sha), {
  const I = Module.clIdb;
  const s = I.str(sha);
  I.run(I.str(db), ["evidence"], function (tx) { tx.objectStore("evidence").delete(s); });
});

EM_JS(void, js_idb_clear_records, (const char* db), {
  const I = Module.clIdb;
  I.run(I.str(db), ["pages", "meta"], function (tx) {
    tx.objectStore("pages").clear();
    tx.objectStore("meta").delete("cursor");
    tx.objectStore("meta").delete("last_mid");
  });
});

EM_JS(void, js_idb_load, (int req, const char* db), {
  const I = Module.clIdb;
  I.open(I.str(db)).then(function (d) {
    const tx = d.transaction(["pages", "meta", "evidence"], "readonly");
    const out = {};
    tx.objectStore("pages").getAll().onsuccess = function (e) { out.pages = e.target.result; };
    tx.objectStore("meta").get("cursor").onsuccess = function (e) { out.cursor = e.target.result; };
    tx.objectStore("meta").get("last_mid").onsuccess = function (e) { out.last_mid = e.target.result; };
    tx.objectStore("meta").get("outbox").onsuccess = function (e) { out.outbox = e.target.result; };
    tx.objectStore("evidence").getAll().onsuccess = function (e) { out.evidence = e.target.result; };
    tx.oncomplete = function () {
      (out.pages || []).forEach(function (p) { I.withString(p, function (ptr) { Module._cl_idb_loaded_page(req, ptr); }); });
      (out.evidence || []).forEach(function (ev) {
        const n = ev.bytes.length, p = _malloc(Math.max(1, n));
        HEAPU8.set(ev.bytes, p);
        Module.ccall("cl_idb_loaded_evidence", null, ["number", "string", "string", "string", "number", "number"],
                     [req, ev.sha256, ev.file_name || "", ev.mime_type || "", p, n]);
        _free(p);
      });
      I.withString(out.cursor || "", function (c) {
        I.withString(out.outbox || "", function (o) { Module._cl_idb_loaded_done(req, c, out.last_mid || 0, o, 0); });
      });
    };
    tx.onerror = function () { I.withString(String(tx.error), function (m) { Module._cl_idb_loaded_done(req, 0, 0, 0, m); }); };
  }).catch(function (e) {
    I.withString(String(e), function (m) { Module._cl_idb_loaded_done(req, 0, 0, 0, m); });
  });
});

EM_JS(void, js_idb_delete, (const char* db), {
  const name = UTF8ToString(db);
  const I = Module.clIdb;
  const p = I.dbs[name];
  if (p) p.then(function (d) { d.close(); });
  delete I.dbs[name];
  indexedDB.deleteDatabase(name);
});

EM_JS(void, js_storage_persist, (), {
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
});

// --- C++ side ---------------------------------------------------------------------------------

struct PendingLoad {
  app::StoredState state;
  std::function<void(app::StoredState, std::string)> done;
};
std::map<int, PendingLoad> g_loads;
int g_next_load = 1;

class IndexedDbStorage final : public app::ReplicaStorage {
 public:
  explicit IndexedDbStorage(std::string db) : db_(std::move(db)) { js_idb_install(); }
  void append_page(const std::string& changes_json, const std::string& cursor, std::int64_t last_mid,
                   const std::string& outbox_json) override {
    js_idb_append_page(db_.c_str(), changes_json.c_str(), cursor.c_str(), static_cast<double>(last_mid), outbox_json.c_str());
  }
  void save_outbox(const std::string& outbox_json, const std::vector<app::PendingEvidence>& new_evidence) override {
    for (const auto& e : new_evidence)
      js_idb_stage_evidence(e.sha256.c_str(), e.file_name.c_str(), e.mime_type.c_str(), e.bytes.data(), static_cast<int>(e.bytes.size()));
    js_idb_save_outbox(db_.c_str(), outbox_json.c_str());
  }
  void drop_evidence(const std::string& sha256) override { js_idb_drop_evidence(db_.c_str(), sha256.c_str()); }
  void clear_records() override { js_idb_clear_records(db_.c_str()); }

 private:
  std::string db_;
};

class HttpSyncTransport final : public app::SyncTransport {
 public:
  void get(const std::string& path, app::HttpCallback done) override {
    http_get_json(path, wrap(std::move(done)));
  }
  void post_json(const std::string& path, const std::string& body, app::HttpCallback done) override {
    http_post_json(path, body, wrap(std::move(done)));
  }
  void put_bytes(const std::string& path, const std::string& content_type, const std::string& bytes,
                 app::HttpCallback done) override {
    HttpRequest r;
    r.method = "PUT";
    r.url = path;
    r.content_type = content_type;
    r.body = bytes;
    r.timeout_ms = 120000;   // one bar of signal: a photo takes a while
    http_send(std::move(r), wrap(std::move(done)));
  }

 private:
  static HttpCallback wrap(app::HttpCallback done) {
    return [done = std::move(done)](const HttpResponse& r) {
      if (done) done(app::HttpReply{r.status, r.body});
    };
  }
};

}  // namespace

std::unique_ptr<app::ReplicaStorage> make_indexeddb_storage(const std::string& db_name) {
  return std::make_unique<IndexedDbStorage>(db_name);
}

void load_indexeddb_replica(const std::string& db_name, std::function<void(app::StoredState, std::string)> done) {
  js_idb_install();
  const int id = g_next_load++;
  g_loads[id] = PendingLoad{{}, std::move(done)};
  js_idb_load(id, db_name.c_str());
}

void delete_indexeddb_replica(const std::string& db_name) {
  js_idb_install();
  js_idb_delete(db_name.c_str());
}

const std::string& indexeddb_last_error() { return g_last_error; }
void request_persistent_storage() { js_storage_persist(); }
std::unique_ptr<app::SyncTransport> make_http_sync_transport() { return std::make_unique<HttpSyncTransport>(); }

}  // namespace cl::platform

using cl::platform::g_loads;

extern "C" {

EMSCRIPTEN_KEEPALIVE void cl_idb_error(const char* message) {
  cl::platform::g_last_error = message ? message : "IndexedDB error";
  cl::platform::detail::wake();
}

EMSCRIPTEN_KEEPALIVE void cl_idb_loaded_page(int req, const char* changes_json) {
  auto it = g_loads.find(req);
  if (it != g_loads.end() && changes_json) it->second.state.pages.emplace_back(changes_json);
}

EMSCRIPTEN_KEEPALIVE void cl_idb_loaded_evidence(int req, const char* sha, const char* name, const char* mime,
                                                 const char* bytes, int size) {
  auto it = g_loads.find(req);
  if (it == g_loads.end()) return;
  cl::app::PendingEvidence e;
  e.sha256 = sha ? sha : "";
  e.file_name = name ? name : "";
  e.mime_type = mime ? mime : "";
  e.bytes.assign(bytes, static_cast<std::size_t>(size));
  it->second.state.evidence.push_back(std::move(e));
}

EMSCRIPTEN_KEEPALIVE void cl_idb_loaded_done(int req, const char* cursor, double last_mid, const char* outbox,
                                             const char* error) {
  auto it = g_loads.find(req);
  if (it == g_loads.end()) return;
  auto load = std::move(it->second);
  g_loads.erase(it);
  std::string err = error ? error : "";
  if (err.empty()) {
    load.state.cursor = cursor ? cursor : "";
    load.state.last_mid = static_cast<std::int64_t>(last_mid);
    load.state.outbox_json = outbox ? outbox : "";
  } else {
    load.state = cl::app::StoredState{};
  }
  if (load.done) load.done(std::move(load.state), std::move(err));
  cl::platform::detail::wake();
}

}  // extern "C"

// --- self-check for the browser tests (window.closeloop.replicaSelfTest): a write and a read-back
// through the real IndexedDB code, across a page reload. No app data is touched (own database).
namespace {
std::string g_selftest_result;
std::unique_ptr<cl::app::ReplicaStorage> g_selftest_storage;
}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE void cl_replica_selftest_write(const char* db) {
  g_selftest_storage = cl::platform::make_indexeddb_storage(db);
  g_selftest_storage->append_page("[{\"n\":1},{\"n\":2}]", "cursor-1", 7, "{\"entries\":[]}");
  g_selftest_storage->append_page("[{\"n\":3}]", "cursor-2", 9, "{\"entries\":[1]}");
  cl::app::PendingEvidence ev{"sha-test", "报价单.pdf", "application/pdf", std::string("%PDF\0\xff", 6)};
  g_selftest_storage->save_outbox("{\"entries\":[1,2]}", {ev});
}

EMSCRIPTEN_KEEPALIVE void cl_replica_selftest_load(const char* db) {
  g_selftest_result.clear();
  cl::platform::load_indexeddb_replica(db, [](cl::app::StoredState s, std::string error) {
    std::string pages;
    for (const auto& p : s.pages) pages += (pages.empty() ? "" : ",") + p;
    std::string ev;
    for (const auto& e : s.evidence) {
      std::string hex;
      for (unsigned char c : e.bytes) {
        const char* d = "0123456789abcdef";
        hex += d[c >> 4];
        hex += d[c & 15];
      }
      ev += (ev.empty() ? "" : ",") + std::string("{\"sha256\":\"") + e.sha256 + "\",\"name\":\"" + e.file_name +
            "\",\"mime\":\"" + e.mime_type + "\",\"hex\":\"" + hex + "\"}";
    }
    g_selftest_result = "{\"error\":\"" + error + "\",\"pages\":[" + pages + "],\"cursor\":\"" + s.cursor +
                        "\",\"last_mid\":" + std::to_string(s.last_mid) + ",\"outbox\":" +
                        (s.outbox_json.empty() ? std::string("null") : s.outbox_json) + ",\"evidence\":[" + ev + "]}";
  });
}

EMSCRIPTEN_KEEPALIVE const char* cl_replica_selftest_result() { return g_selftest_result.c_str(); }

}  // extern "C"

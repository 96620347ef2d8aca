// IndexedDB replica storage and the sync HTTP transport (replica_store.h), with a small EM_JS
// IndexedDB wrapper (emscripten_idb_* can't do multi-store transactions; ASYNCIFY is avoided).
#include <emscripten.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "platform/http.h"
#include "platform/platform_internal.h"
#include "platform/replica_store.h"

namespace cl::platform {
namespace {

std::string g_last_error;

// --- JS side ----------------------------------------------------------------------------------
// Module.clIdb keeps one open connection per database, a BroadcastChannel per database (every
// committed write tells the other tabs: they re-read what changed), and runs each operation as ONE
// transaction. A connection that died under us (iPad "connection lost", a versionchange) is dropped
// and reopened once; a failed transaction reports its error and writes nothing.
EM_JS(void, js_idb_install, (), {
  if (Module.clIdb) return;
  const dbs = {};
  const channels = {};
  function channel(name) {
    if (typeof BroadcastChannel === "undefined") return null;
    if (!channels[name]) {
      channels[name] = new BroadcastChannel("closeloop-idb-" + name);
      channels[name].onmessage = function () { Module.ccall("cl_idb_changed", null, ["string"], [name]); };
    }
    return channels[name];
  }
  function open(name) {
    if (dbs[name]) return dbs[name];
    channel(name);
    // The shell may have opened this database while the app loaded (web/shell.js): adopt that
    // connection when it has the version and stores this code expects, else close it and open anew.
    const early = window.closeloopEarlyIdb;
    if (early && early.name === name) {
      window.closeloopEarlyIdb = null;
      dbs[name] = early.db.then(function (db) {
        const ok = db && db.version === 2 && ["pages", "meta", "evidence", "outbox"].every(function (s) {
          return db.objectStoreNames.contains(s);
        });
        if (ok) {
          db.onclose = function () { delete dbs[name]; };
          db.onversionchange = function () { db.close(); delete dbs[name]; };
          return db;
        }
        if (db) db.close();
        delete dbs[name];
        return open(name);
      });
      return dbs[name];
    }
    dbs[name] = new Promise(function (resolve, reject) {
      // v2: the outbox is one value per entry, keyed by mid, numbered from meta "next_mid" in the
      // transaction that writes it (tabs share the store and must never reuse a mid).
      const req = indexedDB.open(name, 2);
      req.onupgradeneeded = function (ev) {
        const db = req.result;
        if (!db.objectStoreNames.contains("pages")) db.createObjectStore("pages", { autoIncrement: true });
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
        if (!db.objectStoreNames.contains("evidence")) db.createObjectStore("evidence", { keyPath: "sha256" });
        if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox");
        if (ev.oldVersion === 1) {
          // v1 kept the whole outbox as one JSON value: split it, inside the upgrade transaction.
          const tx = req.transaction, meta = tx.objectStore("meta"), ob = tx.objectStore("outbox");
          meta.get("outbox").onsuccess = function (e) {
            const blob = e.target.result;
            if (typeof blob !== "string" || !blob) return;
            let box = null;
            try { box = JSON.parse(blob); } catch (_) { return; }   // unreadable: leave it where it is
            (box.entries || []).forEach(function (en) { if (en && en.mutation) ob.put(en, en.mutation.mid); });
            if (box.next_mid) meta.put(box.next_mid, "next_mid");
            if (box.conflicts) meta.put(JSON.stringify(box.conflicts), "conflicts");
            meta.delete("outbox");
          };
        }
      };
      req.onsuccess = function () {
        const db = req.result;
        db.onclose = function () { delete dbs[name]; };            // connection lost: reopen next time
        db.onversionchange = function () { db.close(); delete dbs[name]; };
        resolve(db);
      };
      req.onerror = function () { delete dbs[name]; reject(req.error); };
      req.onblocked = function () { console.warn("[closeloop] IndexedDB upgrade blocked by another tab"); };
    });
    return dbs[name];
  }
  function errText(e) { return (e && (e.name + ": " + e.message)) || "IndexedDB error"; }
  function fail(e) {
    const msg = errText(e);
    console.warn("[closeloop] IndexedDB", msg);
    Module.ccall("cl_idb_error", null, ["string"], [msg]);
  }
  // Opens a transaction, reopening once when the cached connection is closed (InvalidStateError).
  function transaction(name, stores, mode, opts) {
    return open(name).then(function (db) {
      try { return db.transaction(stores, mode, opts); } catch (e) {
        if (!e || e.name !== "InvalidStateError") throw e;
        delete dbs[name];
        return open(name).then(function (db2) { return db2.transaction(stores, mode, opts); });
      }
    });
  }
  // run(name, stores, fn(tx), done(err), durability): one readwrite transaction; done(null) once
  // committed. Durability "strict" unless told (only caches may be written "relaxed").
  function run(name, stores, fn, done, durability) {
    let finished = false;
    ++Module.clIdb.writing;
    function finish(err) {
      if (finished) return;
      finished = true;
      --Module.clIdb.writing;
      if (err) fail(err);
      if (done) done(err);
    }
    // "strict": complete only once the data is flushed. The outbox is the user's unsent work and
    // must survive a crash or a tab killed right after "saved" (Chromium defaults to relaxed).
    transaction(name, stores, "readwrite", { durability: durability || "strict" }).then(function (tx) {
      tx.oncomplete = function () {
        finish(null);
        const ch = channel(name);
        if (ch) ch.postMessage("changed");
      };
      // A write that throws inside a request callback (QuotaExceededError from put/add) records its
      // error in tx.clError and aborts: the user is told why, not just "AbortError".
      tx.onabort = function () { finish(tx.clError || tx.error || new DOMException("transaction aborted", "AbortError")); };
      try { fn(tx); } catch (e) { tx.clError = e; try { tx.abort(); } catch (_) {} finish(e); }
    }).catch(finish);
  }
  function str(ptr) { return UTF8ToString(ptr); }
  function withString(s, fn) {
    const n = lengthBytesUTF8(s) + 1, p = _malloc(n);
    stringToUTF8(s, p, n);
    try { fn(p); } finally { _free(p); }
  }
  // Outbox changes: {remove:[mid], put:[[mid, entryJson]], drop:N, last_mid:N, conflicts:string|null}.
  // Puts go first; the drop of acknowledged entries skips the rejected ones (they wait for the user).
  function applyOutbox(tx, oc) {
    const ob = tx.objectStore("outbox"), meta = tx.objectStore("meta");
    (oc.remove || []).forEach(function (mid) { ob.delete(mid); });
    (oc.put || []).forEach(function (p) { ob.put(JSON.parse(p[1]), p[0]); });
    if (oc.drop > 0) {
      ob.openCursor(IDBKeyRange.upperBound(oc.drop)).onsuccess = function (e) {
        const c = e.target.result;
        if (!c) return;
        if (!c.value || c.value.state !== "rejected") c.delete();
        c.continue();
      };
    }
    if (oc.last_mid > 0) {
      meta.get("last_mid").onsuccess = function (e) {
        if (!(e.target.result >= oc.last_mid)) meta.put(oc.last_mid, "last_mid");
      };
    }
    if (typeof oc.conflicts === "string") meta.put(oc.conflicts, "conflicts");
    if (oc.caught_up) meta.put(true, "caught_up");   // the first sync finished (sync_client.h)
  }
  function bumpGeneration(tx) {
    const meta = tx.objectStore("meta");
    meta.get("page_gen").onsuccess = function (e) { meta.put((e.target.result || 0) + 1, "page_gen"); };
  }
  // Page values: UTF-8 bytes (ArrayBuffer) since issue 5's first-sync work; strings before.
  const utf8 = typeof TextDecoder !== "undefined" ? new TextDecoder() : null;
  const utf8enc = typeof TextEncoder !== "undefined" ? new TextEncoder() : null;
  function pageText(v) { return typeof v === "string" ? v : utf8.decode(new Uint8Array(v)); }
  function pageBytes(text) { return utf8enc ? utf8enc.encode(text).buffer : text; }
  Module.clIdb = { open: open, run: run, transaction: transaction, channel: channel, str: str, withString: withString, fail: fail,
                   errText: errText, dbs: dbs, applyOutbox: applyOutbox, bumpGeneration: bumpGeneration,
                   pageText: pageText, pageBytes: pageBytes, writing: 0 };
});

EM_JS(void, js_idb_add_intent, (int req, const char* db, const char* entry_json), {
  const I = Module.clIdb;
  const entry = JSON.parse(I.str(entry_json));
  const ev = Module.clIdbEvidence || [];
  Module.clIdbEvidence = [];
  let mid = 0;
  I.run(I.str(db), ["meta", "outbox", "evidence"], function (tx) {
    const meta = tx.objectStore("meta"), ob = tx.objectStore("outbox");
    const got = {};
    let waiting = 3;
    function ready() {
      if (--waiting > 0) return;
      // The counter, never at or below what the server has seen, nor below a stored entry.
      mid = Math.max(got.next || 1, (got.last || 0) + 1, (got.top || 0) + 1);
      entry.mutation.mid = mid;
      try {
        ob.add(entry, mid);
        meta.put(mid + 1, "next_mid");
        ev.forEach(function (e) { tx.objectStore("evidence").put(e); });
      } catch (e) { tx.clError = e; tx.abort(); }
    }
    meta.get("next_mid").onsuccess = function (e) { got.next = e.target.result; ready(); };
    meta.get("last_mid").onsuccess = function (e) { got.last = e.target.result; ready(); };
    ob.openCursor(null, "prev").onsuccess = function (e) { const c = e.target.result; got.top = c ? c.key : 0; ready(); };
  }, function (err) {
    if (err) I.withString(I.errText(err), function (m) { Module._cl_idb_intent_done(req, 0, m); });
    else Module._cl_idb_intent_done(req, mid, 0);
  });
});

// Evidence bytes are staged first (copied out of the wasm heap), then written with the intent.
EM_JS(void, js_idb_stage_evidence, (const char* sha, const char* name, const char* mime, const void* bytes, int size), {
  Module.clIdbEvidence = Module.clIdbEvidence || [];
  Module.clIdbEvidence.push({ sha256: UTF8ToString(sha), file_name: UTF8ToString(name), mime_type: UTF8ToString(mime),
                              bytes: HEAPU8.slice(bytes, bytes + size) });
});

// The page is stored as its UTF-8 bytes (an ArrayBuffer), not as a JS string: issue 5's first sync
// writes 56 MB of pages, which as strings were decoded to UTF-16 on the main thread and serialized at
// two bytes a character (mostly-ASCII text with hanzi is a two-byte string) — twice the bytes for
// IndexedDB to write, and about three times the main-thread time per put. Loads and compaction read
// both forms (pages written by earlier versions are strings).
EM_JS(void, js_idb_append_page, (const char* db, double key, const char* changes, int changes_len, const char* cursor, const char* outbox), {
  const I = Module.clIdb;
  const c = HEAPU8.slice(changes, changes + changes_len).buffer;
  const cur = I.str(cursor), oc = JSON.parse(I.str(outbox));
  // Durability: a page and its cursor commit together either way (atomicity doesn't depend on it),
  // and if a crash loses a "relaxed" commit the page is simply pulled again. Only a transaction that
  // records a user-visible outcome (a rejection, a dismissal, conflicts) waits for the disk flush —
  // issue 5: 100 flushed page writes held the first sync back.
  const durable = (oc.put && oc.put.length) || (oc.remove && oc.remove.length) || typeof oc.conflicts === "string";
  I.run(I.str(db), ["pages", "meta", "outbox"], function (tx) {
    tx.objectStore("pages").add(c, key);
    tx.objectStore("meta").put(cur, "cursor");
    I.applyOutbox(tx, oc);
  }, null, durable ? "strict" : "relaxed");
});

EM_JS(void, js_idb_update_outbox, (const char* db, const char* outbox), {
  const I = Module.clIdb;
  const oc = JSON.parse(I.str(outbox));
  I.run(I.str(db), ["meta", "outbox"], function (tx) { I.applyOutbox(tx, oc); });
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
    tx.objectStore("meta").delete("caught_up");
    tx.objectStore("meta").delete("snapshot");
    tx.objectStore("meta").delete("snapshot_info");
    I.bumpGeneration(tx);
  });
});

// Compaction (page_compaction.h): read the source pages, keep the planned positions, write them
// re-chunked under the new keys, delete the sources — one transaction over pages + meta only.
EM_JS(void, js_idb_compact, (int req, const char* db, const char* plan_json), {
  const I = Module.clIdb;
  const plan = JSON.parse(I.str(plan_json));
  I.run(I.str(db), ["pages", "meta"], function (tx) {
    const pages = tx.objectStore("pages");
    const got = new Array(plan.sources.length);
    let waiting = plan.sources.length;
    plan.sources.forEach(function (key, i) {
      pages.get(key).onsuccess = function (e) {
        got[i] = e.target.result;
        if (--waiting > 0) return;
        if (got.some(function (v) { return typeof v !== "string" && !(v instanceof ArrayBuffer); })) { tx.abort(); return; }  // stale plan
        const kept = [];
        got.forEach(function (v, s) {
          const arr = JSON.parse(I.pageText(v));
          plan.keep[s].forEach(function (j) { kept.push(arr[j]); });
        });
        plan.sources.forEach(function (k) { pages.delete(k); });
        let at = 0;
        plan.new_keys.forEach(function (k, n) {
          pages.add(I.pageBytes(JSON.stringify(kept.slice(at, at + plan.new_sizes[n]))), k);
          at += plan.new_sizes[n];
        });
        I.bumpGeneration(tx);
      };
    });
  }, function (err) {
    if (err) I.withString(I.errText(err), function (m) { Module._cl_idb_compact_done(req, m); });
    else Module._cl_idb_compact_done(req, 0);
  });
});

// The replica snapshot (replica_snapshot.h) lives in meta: "snapshot" (the bytes, a Blob)
// and "snapshot_info" {tag, key, gen}. It is a cache written "relaxed"; clear_records drops it.
EM_JS(void, js_idb_write_snapshot, (const char* db, const void* bytes, int size, double key, double gen, const char* tag), {
  const I = Module.clIdb;
  // A Blob, not an ArrayBuffer: reading an ArrayBuffer value back deserializes all ~20 MB on the main
  // thread when `result` is touched (~40 ms at a cold start); a Blob's bytes arrive through
  // blob.arrayBuffer() without blocking it. Loads accept both (snapshots written before this).
  const buf = new Blob([HEAPU8.subarray(bytes, bytes + size)]);
  const info = { tag: I.str(tag), key: key, gen: gen };
  I.run(I.str(db), ["meta"], function (tx) {
    const meta = tx.objectStore("meta");
    // Written for generation `gen`: if a compaction or must_refetch moved it meanwhile, the snapshot
    // would be stale at birth — keep whatever is there (loads ignore a stale one anyway).
    meta.get("page_gen").onsuccess = function (e) {
      if ((e.target.result || 0) !== gen) return;
      meta.put(buf, "snapshot");
      meta.put(info, "snapshot_info");
    };
  }, null, "relaxed");
});

// One read transaction: pages (all, or only those after `after` when the generation is unchanged),
// cursor, last_mid, outbox entries, conflicts, evidence (bytes or only the keys). When every page
// would be read and a snapshot with `snapshot_tag` and the current generation is stored, it is read
// instead of the pages it covers.
EM_JS(void, js_idb_load, (int req, const char* db, double after, double gen, int with_evidence, const char* snapshot_tag), {
  const I = Module.clIdb;
  performance.mark("closeloop-idb-load");   // the app asks for its replica
  const tag = I.str(snapshot_tag), name = I.str(db);
  // The startup load may take what the shell read while the app loaded (web/shell.js): the same
  // stores in one readonly transaction, so one consistent view — used only if no tab has announced a
  // write since that transaction began (else it might lack it) and it holds every page or a snapshot
  // with this build's tag (else every page must be read). From here on this tab's own channel hears
  // other tabs' writes; the hand-over happens in one JS turn, so no announcement falls between the
  // two listeners.
  const shell = window.closeloopEarlyIdb;
  let early = null;
  if (shell && shell.name === name && shell.read) {
    if (tag && gen < 0 && with_evidence) early = shell.read;
    shell.read = null;
  }
  function failed(e) { I.withString(I.errText(e), function (m) { Module._cl_idb_loaded_done(req, 0, 0, 0, m); }); }
  function deliver(out) {
    performance.mark("closeloop-idb-read");   // the load's transaction (and the shell's read) done
    if (out.snapshot) {
      // Straight into the C++ string that keeps it (one 20 MB copy, not two).
      const n = out.snapshot.byteLength;
      const p = Module._cl_idb_snapshot_buffer(req, n, out.snapshotKey);
      if (p) HEAPU8.set(new Uint8Array(out.snapshot), p);
    }
    (out.pages || []).forEach(function (p, i) {
      if (p instanceof ArrayBuffer) {   // UTF-8 bytes straight into the C++ string that keeps them
        const at = Module._cl_idb_page_buffer(req, out.keys[i], p.byteLength);
        if (at) HEAPU8.set(new Uint8Array(p), at);
        return;
      }
      I.withString(typeof p === "string" ? p : "[]", function (ptr) { Module._cl_idb_loaded_page(req, out.keys[i], ptr); });
    });
    (out.evidence || []).forEach(function (ev) {
      const n = ev.bytes.length, p = _malloc(Math.max(1, n));
      HEAPU8.set(ev.bytes, p);
      Module.ccall("cl_idb_loaded_evidence", null, ["number", "string", "string", "string", "number", "number"],
                   [req, ev.sha256, ev.file_name || "", ev.mime_type || "", p, n]);
      _free(p);
    });
    I.withString(JSON.stringify(out.meta), function (m) {
      I.withString(JSON.stringify(out.outbox || []), function (o) {
        I.withString(out.conflicts, function (c) { Module._cl_idb_loaded_done(req, m, o, c, 0); });
      });
    });
  }
  function attempt() {   // this load's own transaction, through the shell's reader (web/shell.js)
    I.transaction(name, ["pages", "meta", "outbox", "evidence"], "readonly").then(function (tx) {
      window.closeloopReadReplica(tx, { after: after, gen: gen, tag: tag, evidence: !!with_evidence }, deliver, failed);
    }).catch(failed);
  }
  if (!early) { attempt(); return; }
  early.then(function (got) {
    // Every page, or a snapshot of this build's format and the pages after it.
    const fresh = got && !shell.stale && (!got.snapshot || got.snapshotTag === tag);
    shell.close();
    I.channel(name);
    // Which way the startup went (the browser tests check both).
    performance.mark(fresh ? "closeloop-idb-early-used" : "closeloop-idb-early-unused");
    if (fresh) deliver(got); else attempt();
  }, function () { shell.close(); attempt(); });
});

EM_JS(void, js_idb_delete, (const char* db), {
  const name = UTF8ToString(db);
  const I = Module.clIdb;
  const p = I.dbs[name];
  if (p) p.then(function (d) { d.close(); });
  delete I.dbs[name];
  const early = window.closeloopEarlyIdb;   // opened by the shell, never adopted: it would block the delete
  if (early && early.name === name) {
    window.closeloopEarlyIdb = null;
    early.db.then(function (d) { if (d) d.close(); });
  }
  indexedDB.deleteDatabase(name);
});

EM_JS(int, js_idb_writing, (), { return Module.clIdb ? Module.clIdb.writing : 0; });

EM_JS(void, js_storage_persist, (), {
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
});

// --- C++ side ---------------------------------------------------------------------------------
// Completions from JS find their callback by request id. The callbacks guard themselves (the sync
// client hands in ones that check it is still alive), so they may outlive the storage object.

struct PendingLoad {
  app::StoredState state;
  std::function<void(app::StoredState, std::string)> done;
};
std::map<int, PendingLoad> g_loads;
std::map<int, std::function<void(std::int64_t, std::string)>> g_intents;
std::map<int, std::function<void(std::string)>> g_compactions;
int g_next_req = 1;
std::function<void(const std::string&)> g_changed;

std::string outbox_changes_json(const app::OutboxChanges& ch) {
  nlohmann::json j;
  j["remove"] = ch.remove;
  nlohmann::json put = nlohmann::json::array();
  for (const auto& [mid, e] : ch.put) put.push_back({mid, e});
  j["put"] = put;
  j["drop"] = ch.drop_pending_through;
  j["last_mid"] = ch.last_mid;
  if (ch.conflicts_json) j["conflicts"] = *ch.conflicts_json;
  j["caught_up"] = ch.caught_up;
  return j.dump();
}

class IndexedDbStorage final : public app::ReplicaStorage {
 public:
  explicit IndexedDbStorage(std::string db) : db_(std::move(db)) { js_idb_install(); }
  void load(const app::LoadRequest& r, std::function<void(app::StoredState, std::string)> done) override {
    const int id = g_next_req++;
    g_loads[id] = PendingLoad{{}, std::move(done)};
    js_idb_load(id, db_.c_str(), static_cast<double>(r.after_page_key), static_cast<double>(r.page_generation),
                r.evidence ? 1 : 0, r.snapshot_tag.c_str());
  }
  void add_intent(const std::string& entry_json, const std::vector<app::PendingEvidence>& evidence,
                  std::function<void(std::int64_t, std::string)> done) override {
    for (const auto& e : evidence)
      js_idb_stage_evidence(e.sha256.c_str(), e.file_name.c_str(), e.mime_type.c_str(), e.bytes.data(), static_cast<int>(e.bytes.size()));
    const int id = g_next_req++;
    g_intents[id] = std::move(done);
    js_idb_add_intent(id, db_.c_str(), entry_json.c_str());
  }
  void append_page(std::int64_t key, const std::string& changes_json, const std::string& cursor,
                   const app::OutboxChanges& outbox) override {
    js_idb_append_page(db_.c_str(), static_cast<double>(key), changes_json.data(), static_cast<int>(changes_json.size()),
                       cursor.c_str(), outbox_changes_json(outbox).c_str());
  }
  void update_outbox(const app::OutboxChanges& changes) override {
    js_idb_update_outbox(db_.c_str(), outbox_changes_json(changes).c_str());
  }
  void drop_evidence(const std::string& sha256) override { js_idb_drop_evidence(db_.c_str(), sha256.c_str()); }
  void clear_records() override { js_idb_clear_records(db_.c_str()); }
  void write_snapshot(const std::string& bytes, const app::SnapshotInfo& info, const std::string& tag) override {
    js_idb_write_snapshot(db_.c_str(), bytes.data(), static_cast<int>(bytes.size()), static_cast<double>(info.page_key),
                          static_cast<double>(info.page_generation), tag.c_str());
  }
  void compact_pages(const app::CompactionPlan& plan, std::function<void(std::string)> done) override {
    nlohmann::json j{{"sources", plan.sources}, {"keep", plan.keep}, {"new_keys", plan.new_keys}, {"new_sizes", plan.new_sizes}};
    const int id = g_next_req++;
    g_compactions[id] = std::move(done);
    js_idb_compact(id, db_.c_str(), j.dump().c_str());
  }

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
  IndexedDbStorage(db_name).load(app::LoadRequest{}, std::move(done));
}

void delete_indexeddb_replica(const std::string& db_name) {
  js_idb_install();
  js_idb_delete(db_name.c_str());
}

void on_indexeddb_changed_elsewhere(std::function<void(const std::string& db_name)> f) { g_changed = std::move(f); }

const std::string& indexeddb_last_error() { return g_last_error; }
int indexeddb_writes_pending() { return js_idb_writing(); }
void request_persistent_storage() { js_storage_persist(); }
std::unique_ptr<app::SyncTransport> make_http_sync_transport() { return std::make_unique<HttpSyncTransport>(); }

}  // namespace cl::platform

using cl::platform::g_loads;

extern "C" {

EMSCRIPTEN_KEEPALIVE void cl_idb_error(const char* message) {
  cl::platform::g_last_error = message ? message : "IndexedDB error";
  cl::platform::detail::wake();
}

EMSCRIPTEN_KEEPALIVE void cl_idb_changed(const char* db) {
  if (cl::platform::g_changed) cl::platform::g_changed(db ? db : "");
  cl::platform::detail::wake();
}

EMSCRIPTEN_KEEPALIVE void cl_idb_intent_done(int req, double mid, const char* error) {
  auto it = cl::platform::g_intents.find(req);
  if (it == cl::platform::g_intents.end()) return;
  auto done = std::move(it->second);
  cl::platform::g_intents.erase(it);
  if (error) cl::platform::g_last_error = error;
  if (done) done(static_cast<std::int64_t>(mid), error ? error : "");
  cl::platform::detail::wake();
}

EMSCRIPTEN_KEEPALIVE void cl_idb_compact_done(int req, const char* error) {
  auto it = cl::platform::g_compactions.find(req);
  if (it == cl::platform::g_compactions.end()) return;
  auto done = std::move(it->second);
  cl::platform::g_compactions.erase(it);
  if (done) done(error ? error : "");
  cl::platform::detail::wake();
}

EMSCRIPTEN_KEEPALIVE void cl_idb_loaded_page(int req, double key, const char* changes_json) {
  auto it = g_loads.find(req);
  if (it != g_loads.end() && changes_json)
    it->second.state.pages.push_back({static_cast<std::int64_t>(key), changes_json});
}

// A stored page kept as UTF-8 bytes: JS copies them into the returned buffer (nullptr: no such load).
EMSCRIPTEN_KEEPALIVE char* cl_idb_page_buffer(int req, double key, int size) {
  auto it = g_loads.find(req);
  if (it == g_loads.end() || size < 0) return nullptr;
  auto& pages = it->second.state.pages;
  pages.push_back({static_cast<std::int64_t>(key), std::string(static_cast<std::size_t>(size), '\0')});
  return size > 0 ? pages.back().changes_json.data() : nullptr;
}

// The load's snapshot: JS copies the bytes into the returned buffer (nullptr: no such load).
EMSCRIPTEN_KEEPALIVE char* cl_idb_snapshot_buffer(int req, int size, double key) {
  auto it = g_loads.find(req);
  if (it == g_loads.end() || size <= 0) return nullptr;
  it->second.state.snapshot.resize(static_cast<std::size_t>(size));
  it->second.state.snapshot_page_key = static_cast<std::int64_t>(key);
  return it->second.state.snapshot.data();
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

EMSCRIPTEN_KEEPALIVE void cl_idb_loaded_done(int req, const char* meta_json, const char* outbox_json,
                                             const char* conflicts_json, const char* error) {
  auto it = g_loads.find(req);
  if (it == g_loads.end()) return;
  auto load = std::move(it->second);
  g_loads.erase(it);
  std::string err = error ? error : "";
  auto meta = nlohmann::json::parse(meta_json ? meta_json : "", nullptr, false);
  if (err.empty() && !meta.is_object()) err = "IndexedDB: unreadable load";
  if (err.empty()) {
    auto& s = load.state;
    s.cursor = meta.value("cursor", "");
    s.caught_up = meta.value("caught_up", false);
    s.last_mid = meta.value("last_mid", std::int64_t{0});
    s.page_generation = meta.value("page_generation", std::int64_t{0});
    s.all_pages = meta.value("all_pages", true);
    s.evidence_loaded = meta.value("evidence_loaded", true);
    if (meta.contains("evidence_shas") && meta["evidence_shas"].is_array())
      for (const auto& x : meta["evidence_shas"])
        if (x.is_string()) s.evidence_shas.push_back(x.get<std::string>());
    s.outbox_json = outbox_json ? outbox_json : "";
    s.conflicts_json = conflicts_json ? conflicts_json : "";
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
  cl::app::OutboxChanges first, second;
  first.last_mid = 7;
  second.last_mid = 9;
  g_selftest_storage->append_page(1, "[{\"n\":1},{\"n\":2}]", "cursor-1", first);
  g_selftest_storage->append_page(2, "[{\"n\":3}]", "cursor-2", second);
  cl::app::PendingEvidence ev{"sha-test", "报价单.pdf", "application/pdf", std::string("%PDF\0\xff", 6)};
  // Two intents: the storage numbers them above the stored last_mid (9).
  g_selftest_storage->add_intent("{\"mutation\":{\"mid\":0,\"name\":\"a\"},\"state\":\"pending\"}", {ev}, nullptr);
  g_selftest_storage->add_intent("{\"mutation\":{\"mid\":0,\"name\":\"b\"},\"state\":\"pending\"}", {}, nullptr);
}

EMSCRIPTEN_KEEPALIVE void cl_replica_selftest_load(const char* db) {
  g_selftest_result.clear();
  cl::platform::load_indexeddb_replica(db, [](cl::app::StoredState s, std::string error) {
    std::string pages;
    for (const auto& p : s.pages) pages += (pages.empty() ? "" : ",") + p.changes_json;
    std::string mids;
    auto box = nlohmann::json::parse(s.outbox_json.empty() ? "[]" : s.outbox_json, nullptr, false);
    if (box.is_array())
      for (const auto& e : box) mids += (mids.empty() ? "" : ",") + std::to_string(e["mutation"].value("mid", 0));
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
                        "\",\"last_mid\":" + std::to_string(s.last_mid) + ",\"outbox_mids\":[" + mids + "],\"evidence\":[" + ev + "]}";
  });
}

EMSCRIPTEN_KEEPALIVE const char* cl_replica_selftest_result() { return g_selftest_result.c_str(); }

}  // extern "C"

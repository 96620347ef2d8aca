// A deterministic in-memory stand-in for the server's push/pull/evidence endpoints (SYNC.md), running
// the same sync::apply_mutation, plus a transport that queues requests until the test delivers them —
// with faults: dropped responses, 503s, offline.
#pragma once

#include <deque>
#include <functional>
#include <limits>
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "app/vm/sync_client.h"
#include "core/codec.h"
#include "core/settings.h"
#include "sync/mutations.h"
#include "sync/replica.h"
#include "vm_test_fixtures.h"

namespace cl::app::test {

struct FakeServer {
  sync::RecordMap records;
  std::vector<std::pair<std::int64_t, sync::StoredRecord>> log;  // seq → change
  std::int64_t seq = 0;
  std::map<std::string, std::int64_t> last_mid;
  std::map<std::string, std::vector<sync::Rejection>> rejections;
  std::set<std::string> evidence;
  std::vector<std::string> request_log;  // "PUT /api/v1/evidence/…", "POST …push", "GET …pull"
  std::int64_t floor_seq = 0;            // cursors below this answer 409 must_refetch
  Settings settings;
  sync::Actor actor{"rep1", Role::Rep, "t1"};
  Instant now = 1'000'000;
  int applied_count = 0;

  void put(sync::StoredRecord r) {
    ++seq;
    log.push_back({seq, r});
    records[{r.type, r.id}] = std::move(r);
  }

  HttpReply handle(const std::string& method, const std::string& path, const std::string& body) {
    request_log.push_back(method + " " + path.substr(0, path.find('?')));
    if (method == "PUT") {
      evidence.insert(path.substr(path.rfind('/') + 1));
      return {201, "{}"};
    }
    if (method == "POST") {
      auto req = sync::push_request_from_json(sync::Json::parse(body));
      if (!req.ok()) return {400, R"({"error":{"code":"bad_request"}})"};
      sync::PushResponse resp;
      auto& lm = last_mid[req.value.client_id];
      for (const auto& m : req.value.mutations) {
        sync::PushResult pr;
        pr.mid = m.mid;
        if (m.mid <= lm) {
          pr.status = sync::PushStatus::Skipped;
        } else {
          sync::MapView view(records, {{"rep1", "t1"}});
          auto r = sync::apply_mutation(m, actor, view, settings, now);
          if (r.ok()) {
            for (auto& w : r.value.writes) put(w);
            pr.conflicts = r.value.conflicts;
            ++applied_count;
          } else {
            pr.status = sync::PushStatus::Rejected;
            pr.problems = r.problems;
            rejections[m.client_id].push_back({m.mid, m.name, m.args, r.problems, now});
          }
          lm = m.mid;
        }
        resp.results.push_back(pr);
      }
      resp.last_mid = lm;
      return {200, sync::to_json(resp).dump()};
    }
    // GET pull: cursor = last seq seen
    auto q = [&](const std::string& key) {
      auto p = path.find(key + "=");
      if (p == std::string::npos) return std::string();
      auto e = path.find('&', p);
      return path.substr(p + key.size() + 1, e == std::string::npos ? std::string::npos : e - p - key.size() - 1);
    };
    std::int64_t cursor = q("cursor").empty() ? 0 : std::stoll(q("cursor"));
    if (cursor < floor_seq && cursor != 0) return {409, R"({"error":{"code":"must_refetch","message":"x"}})"};
    int limit = std::stoi(q("limit"));
    sync::PullResponse resp;
    std::int64_t next = cursor;
    for (const auto& [s, rec] : log) {
      if (s <= cursor) continue;
      if (static_cast<int>(resp.changes.size()) >= limit) { resp.has_more = true; break; }
      resp.changes.push_back({rec.type, rec.id, rec.deleted, rec.version, rec.data});
      next = s;
    }
    resp.cursor = std::to_string(next);
    resp.last_mid = last_mid[q("client_id")];
    resp.rejections = rejections[q("client_id")];
    return {200, sync::to_json(resp).dump()};
  }
};

enum class Fault { None, DropResponse, ServiceUnavailable, Offline };

struct FakeTransport : SyncTransport {
  struct Request {
    std::string method, path, body;
    HttpCallback done;
  };
  std::deque<Request> queue;
  FakeServer* server = nullptr;

  void get(const std::string& path, HttpCallback done) override { queue.push_back({"GET", path, "", std::move(done)}); }
  void post_json(const std::string& path, const std::string& body, HttpCallback done) override {
    queue.push_back({"POST", path, body, std::move(done)});
  }
  void put_bytes(const std::string& path, const std::string&, const std::string& bytes, HttpCallback done) override {
    queue.push_back({"PUT", path, bytes, std::move(done)});
  }
  // Delivers the oldest request. Returns false when nothing was queued.
  bool deliver(Fault fault = Fault::None) {
    if (queue.empty()) return false;
    Request r = std::move(queue.front());
    queue.pop_front();
    HttpReply reply;
    switch (fault) {
      case Fault::None: reply = server->handle(r.method, r.path, r.body); break;
      case Fault::DropResponse: server->handle(r.method, r.path, r.body); reply = {0, ""}; break;
      case Fault::ServiceUnavailable: reply = {503, R"({"error":{"code":"busy"}})"}; break;
      case Fault::Offline: reply = {0, ""}; break;
    }
    r.done(reply);
    return true;
  }
};

// What IndexedDB holds for one user on one device: shared by every tab (FakeStorage below).
struct FakeDb {
  std::map<std::int64_t, std::string> pages;
  std::int64_t page_generation = 0;
  std::string cursor;
  bool caught_up = false;
  std::int64_t last_mid = 0;
  std::int64_t next_mid = 1;
  std::map<std::int64_t, sync::Json> outbox;
  std::string conflicts;
  std::vector<PendingEvidence> evidence;
  int transactions = 0;
  std::string fail_writes;   // non-empty: every write aborts with this error (QuotaExceededError)
  // The replica snapshot and its info (replica_store_web.cpp keeps them in meta).
  std::string snapshot;
  std::string snapshot_tag;
  SnapshotInfo snapshot_info;
};

// ReplicaStorage over a FakeDb with IndexedDB's rules: each call is one all-or-nothing transaction,
// mids come from the stored counter. `defer` queues completions (IndexedDB is asynchronous) until
// `flush()`; transactions still commit in call order.
struct FakeStorage : ReplicaStorage {
  FakeDb own;
  FakeDb* db = &own;
  bool defer = false;
  std::deque<std::function<void()>> completions;
  int commits = 0;   // "BroadcastChannel": bumped on every committed write

  void complete(std::function<void()> f) {
    if (defer) completions.push_back(std::move(f));
    else f();
  }
  void flush() {
    while (!completions.empty()) {
      auto f = std::move(completions.front());
      completions.pop_front();
      f();
    }
  }
  bool write_fails() { ++db->transactions; return !db->fail_writes.empty(); }

  StoredState snapshot(const LoadRequest& req = {}) const {
    StoredState s;
    s.page_generation = db->page_generation;
    s.all_pages = req.page_generation < 0 || req.page_generation != db->page_generation;
    // The browser's rule: a snapshot replaces the pages it covers when every page would be read,
    // its tag is the one asked for and it was written at the current page generation.
    const bool use_snapshot = s.all_pages && !req.snapshot_tag.empty() && !db->snapshot.empty() &&
                              db->snapshot_tag == req.snapshot_tag && db->snapshot_info.page_generation == db->page_generation;
    std::int64_t after = s.all_pages ? std::numeric_limits<std::int64_t>::min() : req.after_page_key;
    if (use_snapshot) {
      s.snapshot = db->snapshot;
      s.snapshot_page_key = db->snapshot_info.page_key;
      after = db->snapshot_info.page_key;
    }
    for (const auto& [k, v] : db->pages)
      if (k > after) s.pages.push_back({k, v});
    s.cursor = db->cursor;
    s.caught_up = db->caught_up;
    s.last_mid = db->last_mid;
    sync::Json arr = sync::Json::array();
    for (const auto& [mid, e] : db->outbox) arr.push_back(e);
    s.outbox_json = arr.dump();
    s.conflicts_json = db->conflicts;
    s.evidence_loaded = req.evidence;
    for (const auto& e : db->evidence) {
      s.evidence_shas.push_back(e.sha256);
      if (req.evidence) s.evidence.push_back(e);
    }
    return s;
  }

  void load(const LoadRequest& req, std::function<void(StoredState, std::string)> done) override {
    ++db->transactions;
    StoredState s = snapshot(req);
    complete([s = std::move(s), done = std::move(done)] { done(s, ""); });
  }
  void add_intent(const std::string& entry_json, const std::vector<PendingEvidence>& ev,
                  std::function<void(std::int64_t, std::string)> done) override {
    if (write_fails()) {
      complete([e = db->fail_writes, done = std::move(done)] { done(0, e); });
      return;
    }
    std::int64_t mid = std::max(db->next_mid, db->last_mid + 1);
    if (!db->outbox.empty()) mid = std::max(mid, db->outbox.rbegin()->first + 1);
    auto j = sync::Json::parse(entry_json);
    j["mutation"]["mid"] = mid;
    db->outbox[mid] = j;
    db->next_mid = mid + 1;
    for (const auto& e : ev)
      if (std::none_of(db->evidence.begin(), db->evidence.end(), [&](const PendingEvidence& x) { return x.sha256 == e.sha256; }))
        db->evidence.push_back(e);
    ++commits;
    complete([mid, done = std::move(done)] { done(mid, ""); });
  }
  void apply(const OutboxChanges& ch) {
    for (auto mid : ch.remove) db->outbox.erase(mid);
    for (const auto& [mid, e] : ch.put) db->outbox[mid] = sync::Json::parse(e);
    if (ch.drop_pending_through > 0)
      std::erase_if(db->outbox, [&](const auto& kv) {
        return kv.first <= ch.drop_pending_through && kv.second.value("state", "pending") == "pending";
      });
    db->last_mid = std::max(db->last_mid, ch.last_mid);
    if (ch.conflicts_json) db->conflicts = *ch.conflicts_json;
    if (ch.caught_up) db->caught_up = true;
  }
  void append_page(std::int64_t key, const std::string& changes_json, const std::string& cursor,
                   const OutboxChanges& outbox) override {
    if (write_fails()) return;
    if (db->pages.count(key)) return;   // add() on an existing key aborts the transaction
    db->pages[key] = changes_json;
    db->cursor = cursor;
    apply(outbox);
    ++commits;
  }
  void update_outbox(const OutboxChanges& changes) override {
    if (write_fails()) return;
    apply(changes);
    ++commits;
  }
  void drop_evidence(const std::string& sha) override {
    if (write_fails()) return;
    std::erase_if(db->evidence, [&](const PendingEvidence& e) { return e.sha256 == sha; });
    ++commits;
  }
  void clear_records() override {
    if (write_fails()) return;
    db->pages.clear();
    db->cursor.clear();
    db->caught_up = false;
    db->snapshot.clear();
    ++db->page_generation;
    ++commits;
  }
  int snapshot_writes = 0;
  void write_snapshot(const std::string& bytes, const SnapshotInfo& info, const std::string& tag) override {
    if (write_fails()) return;
    if (info.page_generation != db->page_generation) return;   // stale at birth: kept out
    db->snapshot = bytes;
    db->snapshot_info = info;
    db->snapshot_tag = tag;
    ++snapshot_writes;
  }
  // Executes a plan the way the browser does: missing source page → abort, nothing changes.
  void compact_pages(const CompactionPlan& plan, std::function<void(std::string)> done) override {
    if (write_fails()) { complete([e = db->fail_writes, done = std::move(done)] { done(e); }); return; }
    std::vector<sync::Json> kept;
    for (std::size_t s = 0; s < plan.sources.size(); ++s) {
      auto it = db->pages.find(plan.sources[s]);
      if (it == db->pages.end()) { complete([done = std::move(done)] { done("NotFoundError: page"); }); return; }
      auto arr = sync::Json::parse(it->second);
      for (auto j : plan.keep[s]) kept.push_back(arr.at(j));
    }
    for (auto k : plan.sources) db->pages.erase(k);
    std::size_t at = 0;
    for (std::size_t n = 0; n < plan.new_sizes.size(); ++n) {
      sync::Json arr = sync::Json::array();
      for (std::uint32_t i = 0; i < plan.new_sizes[n]; ++i) arr.push_back(kept.at(at++));
      db->pages[plan.new_keys[n]] = arr.dump();
    }
    ++db->page_generation;
    ++commits;
    complete([done = std::move(done)] { done(""); });
  }
};

// rep1's replica on the server: `customers` customers c0…, `activities` calls a0… spread over them.
inline void seed_rep1(FakeServer& server, int customers, int activities) {
  for (int i = 0; i < customers; ++i)
    server.put({"customer", "c" + std::to_string(i), "rep1", 1, false,
                encode(make_customer("c" + std::to_string(i), "客户" + std::to_string(i)))});
  for (int i = 0; i < activities; ++i)
    server.put({"activity", "a" + std::to_string(i), "rep1", 1, false,
                encode(make_activity("a" + std::to_string(i), "c" + std::to_string(i % customers), ActivityKind::Call,
                                     900'000))});
}

// The device every sync test drives: rep1 of team t1 on client "dev-1" with the seed's settings.
inline SyncClientConfig rep1_device(int pull_limit = 0) {
  SyncClientConfig cfg;
  cfg.client_id = "dev-1";
  cfg.actor = {"rep1", Role::Rep, "t1"};
  cfg.settings = default_settings();
  if (pull_limit > 0) cfg.pull_limit = pull_limit;
  return cfg;
}

}  // namespace cl::app::test

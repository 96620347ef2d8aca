// A deterministic in-memory stand-in for the server's push/pull/evidence endpoints (SYNC.md), running
// the same sync::apply_mutation, plus a transport that queues requests until the test delivers them —
// with faults: dropped responses, 503s, offline.
#pragma once

#include <deque>
#include <map>
#include <set>
#include <string>

#include "app/vm/sync_client.h"
#include "sync/mutations.h"
#include "sync/replica.h"

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

struct FakeStorage : ReplicaStorage {
  StoredState state;
  int transactions = 0;
  void append_page(const std::string& changes_json, const std::string& cursor, std::int64_t last_mid,
                   const std::string& outbox_json) override {
    ++transactions;
    state.pages.push_back(changes_json);
    state.cursor = cursor;
    state.last_mid = last_mid;
    state.outbox_json = outbox_json;
  }
  void save_outbox(const std::string& outbox_json, const std::vector<PendingEvidence>& ev) override {
    ++transactions;
    state.outbox_json = outbox_json;
    for (const auto& e : ev) state.evidence.push_back(e);
  }
  void drop_evidence(const std::string& sha) override {
    ++transactions;
    std::erase_if(state.evidence, [&](const PendingEvidence& e) { return e.sha256 == sha; });
  }
  void clear_records() override {
    ++transactions;
    state.pages.clear();
    state.cursor.clear();
  }
};

}  // namespace cl::app::test

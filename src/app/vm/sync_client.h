// The browser's sync client (issue 5, SYNC.md): a pure state machine. It never calls the platform
// directly — it asks through SyncTransport (HTTP) and ReplicaStorage (IndexedDB), and it is driven by
// tick(now) from a platform timer (next_wake_at() says when), so every retry happens on a timer, not
// only on the next write (SYNC.md's "connected badge while mutations sat unsent for hours").
//
// One cycle: evidence uploads (PUT /api/v1/evidence/{sha256}, before any mutation that references
// them, SYNC §7) → push the outbox (POST /api/v1/sync/push) → pull until has_more is false
// (GET /api/v1/sync/pull). Failures (offline, timeout, 5xx, 429) back off with jitter (sync/backoff.h).
//
// The replica the screens read is base (what the server sent) + the pending outbox replayed with the
// same sync::apply_mutation the server runs. The client remembers the base value of every record an
// optimistic write replaced ("shadows"), so a rebase after a pull is: put the shadows back, apply the
// page, drop acknowledged entries, replay the rest. Storage only ever holds base records plus the
// outbox, so a reload replays the outbox once and never applies a mutation twice.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/vm/local_replica.h"
#include "core/model.h"
#include "core/problem.h"
#include "sync/backoff.h"
#include "sync/outbox.h"
#include "sync/record_view.h"
#include "sync/wire.h"

namespace cl::app {

// ---- what the client asks of the platform ----------------------------------------------------

struct HttpReply {
  int status = 0;       // 0 = no answer (offline, timeout, connection reset)
  std::string body;
};
using HttpCallback = std::function<void(const HttpReply&)>;

// HTTP with the session's bearer token added by the implementation. Callbacks may run later (browser)
// or synchronously (tests); the client copes with both.
struct SyncTransport {
  virtual ~SyncTransport() = default;
  virtual void get(const std::string& path, HttpCallback done) = 0;
  virtual void post_json(const std::string& path, const std::string& body, HttpCallback done) = 0;
  virtual void put_bytes(const std::string& path, const std::string& content_type, const std::string& bytes,
                         HttpCallback done) = 0;
};

// An evidence file waiting for upload (R10). Bytes stay in storage until the server has them.
struct PendingEvidence {
  std::string sha256;
  std::string file_name;
  std::string mime_type;
  std::string bytes;
};

// IndexedDB behind an interface. Each call is ONE transaction in the browser implementation.
struct ReplicaStorage {
  virtual ~ReplicaStorage() = default;
  // A pulled page: its changes (JSON array of wire Changes), the new cursor, last_mid — and the outbox
  // as it stands after the page (acknowledged entries dropped), all in one transaction.
  virtual void append_page(const std::string& changes_json, const std::string& cursor, std::int64_t last_mid,
                           const std::string& outbox_json) = 0;
  // A local intent: the outbox with its new entry (and the evidence it needs, if any) together.
  virtual void save_outbox(const std::string& outbox_json, const std::vector<PendingEvidence>& new_evidence) = 0;
  virtual void drop_evidence(const std::string& sha256) = 0;
  // 409 must_refetch: forget every record and the cursor, keep the outbox.
  virtual void clear_records() = 0;
};

// What the platform loaded at start (see ReplicaStorage::append_page).
struct StoredState {
  std::vector<std::string> pages;   // JSON arrays of Changes, oldest first
  std::string cursor;
  std::int64_t last_mid = 0;
  std::string outbox_json;          // "" = no outbox yet
  std::vector<PendingEvidence> evidence;
};

// ---- what the client shows ------------------------------------------------------------------

enum class SyncPhase { Idle, Uploading, Pushing, Pulling };
enum class Connectivity { Online, Offline, Syncing };

// A mutation the server (or the local replay) refused, with why and what the user can do (R32).
struct SyncIssue {
  std::int64_t mid = 0;
  std::string mutation_name;
  sync::Json args;
  Problems problems;
  bool local_only = false;  // refused by the local replay, not yet by the server
  // The fix action: the record to open to correct it ("customers/<id>", "opportunities/<id>"), or ""
  // when the only action is to dismiss.
  std::string fix_route;
};

struct SyncStatus {
  Connectivity connectivity = Connectivity::Online;
  SyncPhase phase = SyncPhase::Idle;
  std::size_t pending = 0;            // outbox entries not yet accepted
  std::size_t rejected = 0;
  std::size_t evidence_pending = 0;
  bool first_sync = false;            // no cursor yet: the first full download is running
  std::size_t records_received = 0;   // during this run (first-sync progress)
  int pages_received = 0;
  int failed_attempts = 0;            // consecutive failures (backoff exponent)
  Instant next_attempt_at = 0;
  Instant last_success_at = 0;
  std::string last_error;             // short technical cause: "offline", "http 503", …
};

struct SyncClientConfig {
  std::string client_id;
  sync::Actor actor;                  // the signed-in user (scope for the optimistic replay)
  std::map<Id, Id> user_teams;        // user → team, for managers' optimistic scope checks
  Settings settings;                  // stages, required fields (same rules as the server)
  std::size_t push_batch = 100;
  int pull_limit = 1000;
  Instant poll_interval_ms = 30'000;  // pull even with nothing to push (others' changes)
  sync::BackoffPolicy backoff{};
};

class SyncClient {
 public:
  SyncClient(SyncClientConfig config, LocalReplica& replica, SyncTransport& transport, ReplicaStorage& storage,
             std::function<double()> jitter);

  // Rebuilds replica + outbox from storage (startup). Returns problems for unreadable pages/outbox.
  Problems restore(const StoredState& state);

  // A user intent: checks it with the same apply_mutation the server runs, applies it to the replica
  // optimistically, queues it and persists the outbox (+ evidence) in one storage call. Refused intents
  // change nothing and return the problems (the form shows them next to its fields).
  Result<std::int64_t> submit(const std::string& name, sync::Json args, std::int64_t base_version, Instant now,
                              std::vector<PendingEvidence> evidence = {});

  // Drive: call at next_wake_at() (or earlier: on input, on "online" events). Starts at most one request.
  void tick(Instant now);
  Instant next_wake_at() const;
  // Browser online/offline events: going online retries at once instead of waiting for the backoff.
  void set_browser_online(bool online, Instant now);
  // Ask for a pull soon (BroadcastChannel "another tab changed something", or a manual refresh).
  void request_pull(Instant now);

  // The user read a rejection and gave up on it (it leaves the outbox and the local replay).
  bool dismiss(std::int64_t mid, Instant now);

  const SyncStatus& status() const { return status_; }
  std::vector<SyncIssue> issues() const;
  const std::vector<sync::Conflict>& conflicts() const { return outbox_.conflicts(); }
  void clear_conflicts() { outbox_.clear_conflicts(); }
  const sync::Outbox& outbox() const { return outbox_; }
  const std::string& cursor() const { return cursor_; }
  std::int64_t last_mid() const { return last_mid_; }
  bool is_pending_record(std::string_view type, const Id& id) const;  // written by a pending intent
  const Settings& settings() const { return config_.settings; }
  void set_settings(Settings s) { config_.settings = std::move(s); }

 private:
  using Key = std::pair<std::string, Id>;
  void start_next(Instant now);
  void upload_next_evidence(Instant now);
  void push(Instant now);
  void pull(Instant now);
  void on_evidence_reply(const std::string& sha, const HttpReply& reply, Instant now);
  void on_push_reply(const HttpReply& reply, Instant now);
  void on_pull_reply(const HttpReply& reply, Instant now);
  void on_failure(const std::string& why, bool offline, Instant now);
  void on_success(Instant now);
  void revert_optimistic();
  void replay_pending(Instant now);
  bool apply_optimistic(const sync::Mutation& m, Instant now, Problems* problems);
  void persist_outbox(const std::vector<PendingEvidence>& new_evidence = {});
  void update_counts();

  SyncClientConfig config_;
  LocalReplica& replica_;
  SyncTransport& transport_;
  ReplicaStorage& storage_;
  std::function<double()> jitter_;

  sync::Outbox outbox_;
  std::string cursor_;
  std::int64_t last_mid_ = 0;
  std::vector<PendingEvidence> evidence_;                       // upload queue, oldest first
  std::map<Key, std::optional<sync::StoredRecord>> shadows_;    // base value before optimistic writes
  std::map<std::int64_t, Problems> local_rejections_;
  std::map<Key, std::int64_t> pending_records_;                 // record → latest pending mid writing it

  SyncStatus status_;
  bool browser_online_ = true;
  bool in_flight_ = false;
  bool pull_wanted_ = true;   // a pull is due (start, after a push, has_more, poll)
  Instant next_poll_at_ = 0;
  std::uint64_t request_seq_ = 0;  // a reply to an older request (after a reset) is ignored
};

}  // namespace cl::app

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
//
// Several tabs of one device share the storage and the client_id (issue 5, SYNC.md §9). Two tabs
// numbering mutations from their own memory would hand out the same mid, and the server skips every
// mid ≤ its last one: silent data loss. So the storage numbers each intent in the transaction that
// writes it, and the leader pushes only what it has just read back from storage — a snapshot in which
// no lower mid can still be missing (a higher mid is allocated only after the lower one committed).
// Followers never talk to the server; they re-read storage when told (BroadcastChannel) or on a timer.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/vm/local_replica.h"
#include "app/vm/page_compaction.h"
#include "app/vm/pull_page.h"
#include "app/vm/replica_snapshot.h"
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

// What a load asks for. Startup loads everything; a tab that already holds pages up to
// `after_page_key` (and the page generation `page_generation`) asks only for newer pages — the
// storage answers with everything anyway when the generation moved (compaction, must_refetch).
struct LoadRequest {
  std::int64_t after_page_key = 0;
  std::int64_t page_generation = -1;   // -1: load every page
  bool evidence = true;                // the bytes waiting for upload (only the syncing tab needs them)
  // When every page would be read: the storage may answer with its snapshot (replica_snapshot.h)
  // plus only the pages after it, if the snapshot carries this format tag and the current page
  // generation. "" = never (after a snapshot turned out unreadable).
  std::string snapshot_tag;
};

struct StoredPage {
  std::int64_t key = 0;
  std::string changes_json;            // JSON array of wire Changes
};

// What the platform loaded (one read transaction: pages, cursor and outbox are consistent).
struct StoredState {
  std::vector<StoredPage> pages;       // ascending key
  bool all_pages = true;               // false: only the pages after the requested key
  // all_pages with a snapshot: `snapshot` stands for every page with key ≤ snapshot_page_key, and
  // `pages` holds only the later ones. Empty: `pages` is everything.
  std::string snapshot;
  std::int64_t snapshot_page_key = 0;
  std::int64_t page_generation = 0;
  std::string cursor;
  // A pull has answered has_more=false since the pages were last cleared: the stored pages are the
  // whole scope as of `cursor`. A cursor alone does not say so — a first sync interrupted after page
  // 51 of 100 leaves a cursor too, and must still count (and show) as an unfinished first sync.
  bool caught_up = false;
  std::int64_t last_mid = 0;
  std::string outbox_json;             // JSON array of outbox entries (sync::Outbox::entry_to_json), "" = none
  std::string conflicts_json;          // JSON array of conflicts, "" = none
  bool evidence_loaded = true;
  std::vector<PendingEvidence> evidence;   // with bytes when evidence_loaded
  std::vector<std::string> evidence_shas;  // always: what is still waiting for upload
};

// Changes to the stored outbox, written in the same transaction as whatever they accompany.
// Acknowledged entries leave storage together with the pulled page that carries their effect
// (`drop_pending_through`), so a following tab never sees a saved change vanish and come back.
struct OutboxChanges {
  std::vector<std::int64_t> remove;                          // dismissed mids
  std::vector<std::pair<std::int64_t, std::string>> put;     // mid → entry JSON (now rejected)
  std::int64_t drop_pending_through = 0;                     // delete pending entries with mid ≤ this
  std::int64_t last_mid = 0;                                 // stored as the server's last_mid (max)
  std::optional<std::string> conflicts_json;
  // Not the outbox but written with it: the first sync has finished (StoredState::caught_up), set
  // in the transaction of the last page (or of the empty reply that said has_more=false).
  bool caught_up = false;
  bool empty() const {
    return remove.empty() && put.empty() && drop_pending_through == 0 && last_mid == 0 && !conflicts_json && !caught_up;
  }
};

// IndexedDB behind an interface. Each call is ONE transaction in the browser implementation, and the
// store is shared by every tab of the device: mids are allocated by the storage itself.
struct ReplicaStorage {
  virtual ~ReplicaStorage() = default;
  virtual void load(const LoadRequest& request, std::function<void(StoredState state, std::string error)> done) = 0;
  // A local intent: in ONE transaction the storage takes the next mid from its counter (never below
  // last_mid + 1), writes the entry with it and the evidence it needs. done(mid, "") once committed,
  // done(0, error) when nothing was written (quota exceeded, connection lost).
  virtual void add_intent(const std::string& entry_json, const std::vector<PendingEvidence>& evidence,
                          std::function<void(std::int64_t mid, std::string error)> done) = 0;
  // A pulled page under `key`, the new cursor and the outbox changes the page implies, together.
  virtual void append_page(std::int64_t key, const std::string& changes_json, const std::string& cursor,
                           const OutboxChanges& outbox) = 0;
  virtual void update_outbox(const OutboxChanges& changes) = 0;
  virtual void drop_evidence(const std::string& sha256) = 0;
  // 409 must_refetch: forget every page, the cursor and caught_up, keep the outbox; bumps the page generation.
  virtual void clear_records() = 0;
  // Rewrites pages per the plan in one transaction over the page store only (the outbox is never
  // touched); bumps the page generation. done("") when committed, else the error (nothing changed).
  virtual void compact_pages(const CompactionPlan& plan, std::function<void(std::string error)> done) = 0;
  // Replaces the snapshot (a cache of the pages with key ≤ info.page_key, replica_snapshot.h) unless
  // the stored page generation moved meanwhile. Losing it is harmless: loads fall back to the pages.
  // The default keeps none (a storage without snapshots still works, only slower to load).
  virtual void write_snapshot(const std::string& bytes, const SnapshotInfo& info, const std::string& tag) {
    (void)bytes; (void)info; (void)tag;
  }
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

// Where the pulls' main-thread time went (issue 5 first-sync benchmark), summed over this run, in ms
// of SyncClientConfig::clock (all zero without one). `wait` is the time between the client having
// finished everything before a reply and that reply being handled (network, server, other work on
// the thread such as frames); the rest is the client's own work per stage.
struct PullTimings {
  int pages = 0;
  double wait_ms = 0;
  double scan_ms = 0;      // cursor/has_more/changes located in the raw text
  double parse_ms = 0;     // text → records (JSON parse and decode)
  double apply_ms = 0;     // records into the replica (+ rebase of pending intents)
  double store_ms = 0;     // handing the page to storage (the synchronous part of the IndexedDB write)
  double index_ms = 0;     // page index for compaction
  double total_ms = 0;     // whole reply handler
};

struct SyncStatus {
  Connectivity connectivity = Connectivity::Online;
  SyncPhase phase = SyncPhase::Idle;
  std::size_t pending = 0;            // outbox entries not yet accepted
  std::size_t rejected = 0;
  std::size_t evidence_pending = 0;
  bool first_sync = false;            // no pull has said has_more=false yet: the first download runs
  std::size_t records_received = 0;   // during this run (first-sync progress)
  int pages_received = 0;
  int failed_attempts = 0;            // consecutive failures (backoff exponent)
  Instant next_attempt_at = 0;
  Instant last_success_at = 0;
  std::string last_error;             // short technical cause: "offline", "http 503", …
  // Local storage trouble (quota exceeded, connection lost): intents not yet written stay in memory
  // and are written again on a timer; "" when the last write went through.
  std::string storage_error;
  std::size_t unsaved = 0;            // intents not yet in storage (lost if the tab closes now)
  bool leader = true;                 // this tab syncs (Web Lock held); others follow
  std::size_t stored_pages = 0;       // page index size (compaction keeps it bounded)
  std::size_t stored_changes = 0;
  int compactions = 0;
  bool snapshot_loaded = false;       // the last full read came from a snapshot (+ later pages)
  int snapshots_written = 0;
  PullTimings pull_timings;
};

struct SyncClientConfig {
  std::string client_id;
  sync::Actor actor;                  // the signed-in user (scope for the optimistic replay)
  std::map<Id, Id> user_teams;        // user → team, for managers' optimistic scope checks
  Settings settings;                  // stages, required fields (same rules as the server)
  std::size_t push_batch = 100;
  int pull_limit = 1000;
  // Later pages of a pull that said has_more (a first sync, a long catch-up) ask for this many
  // (0 = pull_limit): fewer round trips, each a longer but still short task on the main thread.
  int catch_up_pull_limit = 0;
  Instant poll_interval_ms = 30'000;  // pull even with nothing to push (others' changes)
  Instant follower_refresh_ms = 10'000;  // a following tab re-reads storage even without a message
  Instant storage_retry_ms = 3'000;   // an intent storage refused is written again after this
  int compact_every_pages = 4;        // plan a compaction after this many appended pages
  // A start plans its compaction this long after restore(), not inside it: planning walks every
  // stored change (46 ms for 100k in the browser), and a start's first frame waits for restore().
  Instant compact_after_start_ms = 5'000;
  // Write a replica snapshot once this many stored changes are not covered by one (and the
  // replica has been quiet for snapshot_quiet_ms: a burst of pages is encoded once, not per page).
  std::size_t snapshot_after_changes = 2000;
  Instant snapshot_quiet_ms = 1000;
  CompactionPolicy compaction{};
  sync::BackoffPolicy backoff{};
  // A monotonic clock in ms for PullTimings only (the browser passes performance.now); none = no timings.
  std::function<double()> clock;
};

class SyncClient {
 public:
  SyncClient(SyncClientConfig config, LocalReplica& replica, SyncTransport& transport, ReplicaStorage& storage,
             std::function<double()> jitter);
  ~SyncClient() { *alive_ = false; }
  SyncClient(const SyncClient&) = delete;
  SyncClient& operator=(const SyncClient&) = delete;

  // What to ask storage for at startup (every page, or the snapshot and the pages after it).
  LoadRequest startup_request() const;
  // Rebuilds replica + outbox from storage (startup). Returns problems for unreadable pages/outbox.
  // An unreadable snapshot is reported and every page is read again at the next tick.
  Problems restore(StoredState state, Instant now = 0);

  // Several tabs (issue 5): only the leader (the tab holding the Web Lock) talks to the server; the
  // others follow storage. Becoming leader re-reads storage first (evidence included).
  void set_leader(bool leader, Instant now);
  bool leader() const { return leader_; }
  // Another tab wrote to storage (BroadcastChannel): re-read it at the next tick.
  void storage_changed(Instant now);

  // A user intent: checks it with the same apply_mutation the server runs, applies it to the replica
  // optimistically and hands it to storage, which numbers it (mid) and writes it with its evidence
  // in one transaction. Until the storage confirms, the intent carries a provisional negative id
  // (returned here). Refused intents change nothing and return the problems (the form shows them).
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
  const std::vector<StoredPageInfo>& page_index() const { return pages_; }
  void clear_conflicts() { outbox_.clear_conflicts(); }
  // R32: the user resolved conflict `index` of conflicts(); the list is persisted with the outbox.
  bool dismiss_conflict(std::size_t index);
  const sync::Outbox& outbox() const { return outbox_; }
  const std::string& cursor() const { return cursor_; }
  std::int64_t last_mid() const { return last_mid_; }
  bool is_pending_record(std::string_view type, const Id& id) const;  // written by a pending intent
  const Settings& settings() const { return config_.settings; }
  void set_settings(Settings s) { config_.settings = std::move(s); }

 private:
  using Key = std::pair<std::string, Id>;
  struct Unsaved {
    sync::Mutation mutation;                 // mid = provisional (negative)
    std::vector<PendingEvidence> evidence;
    bool writing = false;
  };
  void start_next(Instant now);
  void upload_next_evidence(Instant now);
  void push(Instant now);
  void post_push(Instant now);
  void pull(Instant now);
  void pull_from(const std::string& cursor, Instant now, bool follow_up);
  void refresh(Instant now, bool then_push);
  void on_evidence_reply(const std::string& sha, const HttpReply& reply, Instant now);
  void on_push_reply(const HttpReply& reply, Instant now);
  void on_pull_reply(const HttpReply& reply, Instant now);
  void on_failure(const std::string& why, bool offline, Instant now);
  void on_success(Instant now);
  Problems absorb(StoredState& state, Instant now);   // may take the snapshot bytes
  void revert_optimistic();
  void replay_pending(Instant now);
  bool apply_optimistic(const sync::Mutation& m, Instant now, Problems* problems);
  void save_unsaved(std::int64_t temp_mid);
  void on_saved(std::int64_t temp_mid, std::int64_t mid, const std::string& error);
  OutboxChanges outbox_changes_since(const std::vector<sync::OutboxEntry>& before) const;
  std::string conflicts_json() const;
  LoadRequest incremental(bool evidence) const;
  void index_page(std::int64_t key, const std::vector<PulledChange>& changes);
  void maybe_compact();
  void maybe_snapshot(Instant now);
  std::size_t changes_after_snapshot() const;
  bool absorb_snapshot(StoredState& state, Problems& problems);
  void update_counts();

  SyncClientConfig config_;
  LocalReplica& replica_;
  SyncTransport& transport_;
  ReplicaStorage& storage_;
  std::function<double()> jitter_;

  sync::Outbox outbox_;                                         // what storage holds (numbered)
  std::vector<Unsaved> unsaved_;                                // intents storage has not confirmed
  std::int64_t next_temp_mid_ = -1;
  std::string cursor_;
  bool caught_up_ = false;    // a pull answered has_more=false (StoredState::caught_up)
  std::int64_t last_mid_ = 0;
  std::vector<PendingEvidence> evidence_;                       // upload queue, oldest first
  std::map<Key, std::optional<sync::StoredRecord>> shadows_;    // base value before optimistic writes
  std::map<std::int64_t, Problems> local_rejections_;
  std::map<Key, std::int64_t> pending_records_;                 // record → latest pending mid writing it

  std::vector<StoredPageInfo> pages_;                           // what each stored page holds
  std::int64_t page_generation_ = 0;
  std::int64_t max_page_key_ = 0;
  int pages_since_plan_ = 0;
  bool compacting_ = false;
  bool compact_due_ = false;
  Instant compact_not_before_ = 0;   // restore() + compact_after_start_ms

  // The snapshot storage holds (as far as this tab knows): written by the leader while nothing is
  // pending, so it holds base records only.
  bool have_snapshot_ = false;
  SnapshotInfo snapshot_;
  bool snapshot_broken_ = false;      // one was unreadable: read every page, don't use snapshots
  bool full_reload_wanted_ = false;   // the next read must be of every page (after a broken snapshot)
  Instant last_change_at_ = 0;        // the replica's base last changed (pull page, load)

  SyncStatus status_;
  bool leader_ = true;
  bool browser_online_ = true;
  bool in_flight_ = false;    // a network request is out
  bool loading_ = false;      // a storage read is out
  bool refresh_wanted_ = false;
  Instant next_refresh_at_ = 0;
  Instant next_save_at_ = 0;
  Instant last_now_ = 0;
  bool pull_wanted_ = true;   // a pull is due (start, after a push, has_more, poll)
  Instant next_poll_at_ = 0;
  std::uint64_t request_seq_ = 0;  // a reply to an older request (after a reset) is ignored
  double idle_since_ = 0;          // clock: when the client last finished its own work on a pull
  bool more_ = false;              // the last page said has_more: the next pull continues it
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // storage callbacks after destruction
};

}  // namespace cl::app

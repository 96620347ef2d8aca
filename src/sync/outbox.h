// The client's outbox (R32, SYNC.md §2–3): every user action becomes a Mutation with the next mid,
// stored (by the platform layer, in the same IndexedDB transaction as the optimistic change) until the
// server acknowledges it. Nothing typed is lost: an entry leaves the outbox only when the server says it
// applied (or had already processed) that mid; a rejected entry stays, with the server's reasons, until
// the user fixes or dismisses it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sync/wire.h"

namespace cl::sync {

enum class OutboxState { Pending, Rejected };

struct OutboxEntry {
  Mutation mutation;
  OutboxState state = OutboxState::Pending;
  Problems problems;  // the server's reasons, when rejected
  friend bool operator==(const OutboxEntry&, const OutboxEntry&) = default;
};

class Outbox {
 public:
  explicit Outbox(std::string client_id = {}, std::int64_t next_mid = 1);

  // Queues an intent with the next mid. `base_version` = version of the target record shown to the user.
  const Mutation& enqueue(std::string name, Json args, std::int64_t base_version, Instant at,
                          int schema_version);

  // The oldest pending mutations, ascending mid, at most `max` (a push batch).
  std::vector<Mutation> next_batch(std::size_t max) const;

  // Applies a push response: applied/skipped entries leave; rejected ones stay with their problems;
  // conflicts are collected for the UI. Entries the response does not mention stay pending.
  void on_push_response(const PushResponse& response);
  // From a pull: everything pending with mid ≤ last_mid has been processed by the server (the push
  // response may have been lost); rejections named in the pull mark their entries rejected.
  void on_pull(std::int64_t last_mid, const std::vector<Rejection>& rejections);

  // The user gave up on a rejected entry (after reading why). Returns false if no such rejected entry.
  bool dismiss(std::int64_t mid);

  std::size_t pending_count() const;
  std::size_t rejected_count() const;
  const std::vector<OutboxEntry>& entries() const { return entries_; }
  std::vector<Mutation> pending() const { return next_batch(entries_.size()); }
  const std::vector<Conflict>& conflicts() const { return conflicts_; }
  void clear_conflicts() { conflicts_.clear(); }
  // The user resolved one conflict (kept the server's value or re-applied theirs): it leaves the list.
  bool dismiss_conflict(std::size_t index);
  const std::string& client_id() const { return client_id_; }
  std::int64_t next_mid() const { return next_mid_; }

  // Persistence (the platform stores this JSON in IndexedDB; mids survive reloads so they keep increasing).
  Json to_json() const;
  static Result<Outbox> from_json(const Json& j);

  // Shared storage (several tabs of one device, issue 5): each entry is stored on its own, keyed by
  // its mid, and the mid is allocated by the storage in the same transaction that writes the entry,
  // so two tabs never hand out the same mid. The in-memory outbox then mirrors what storage holds:
  // `adopt` takes an entry the storage has just numbered; `replace_entries` takes a fresh snapshot.
  static Json entry_to_json(const OutboxEntry& e);
  static Result<OutboxEntry> entry_from_json(const Json& j);
  void adopt(OutboxEntry e);                          // keeps ascending mid; replaces an equal mid
  void replace_entries(std::vector<OutboxEntry> entries);
  void set_conflicts(std::vector<Conflict> c) { conflicts_ = std::move(c); }

 private:
  std::string client_id_;
  std::int64_t next_mid_ = 1;
  std::vector<OutboxEntry> entries_;  // ascending mid
  std::vector<Conflict> conflicts_;
};

}  // namespace cl::sync

// The client's replica (R32, SYNC.md §5): the server's view of the caller's scope as last pulled
// ("base"), plus the optimistic view the screens show = base with the pending outbox replayed on top
// (rebase). Pure: the platform layer persists records, cursor and last_mid to IndexedDB in one
// transaction per pull page, and calls these functions to know what to write.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sync/mutations.h"
#include "sync/record_view.h"
#include "sync/wire.h"

namespace cl::sync {

using RecordKey = std::pair<std::string, Id>;  // (type, id)
using RecordMap = std::map<RecordKey, StoredRecord>;

// A RecordView over records in memory, optionally layered on another (the optimistic overlay).
class MapView : public RecordView {
 public:
  MapView(const RecordMap& records, std::map<Id, Id> user_teams, const MapView* below = nullptr)
      : records_(records), user_teams_(std::move(user_teams)), below_(below) {}
  std::optional<StoredRecord> find(std::string_view type, const Id& id) const override;
  Id team_of(const Id& user_id) const override;
  std::optional<Id> customer_with_code(const std::string& code) const override;

 private:
  const RecordMap& records_;
  std::map<Id, Id> user_teams_;
  const MapView* below_;
};

class Replica {
 public:
  // Applies one pull page: upserts replace (only when newer), tombstones remove; then cursor and last_mid.
  // Returns the keys that changed (the UI refreshes those).
  std::vector<RecordKey> apply_page(const PullResponse& page);
  // A 409 must_refetch: drop everything and pull again from the beginning (the outbox is kept).
  void reset();

  const RecordMap& records() const { return records_; }
  const std::string& cursor() const { return cursor_; }
  std::int64_t last_mid() const { return last_mid_; }
  void restore(RecordMap records, std::string cursor, std::int64_t last_mid);  // from IndexedDB

  // The records of one type, live only (tombstoned ones are never kept).
  std::vector<StoredRecord> of_type(std::string_view type) const;

 private:
  RecordMap records_;
  std::string cursor_;
  std::int64_t last_mid_ = 0;
};

// What rebase produced: the optimistic records and, per pending mutation that the local rules would
// refuse now (e.g. the opportunity moved on the server), the problems — shown before the server says so.
struct RebaseResult {
  RecordMap records;  // base ∪ optimistic writes (tombstoned records removed)
  std::map<std::int64_t, Problems> local_rejections;
  std::map<std::int64_t, std::vector<Conflict>> local_conflicts;
};

// Replays `pending` (ascending mid) on top of `base` with the same apply_mutation the server runs.
RebaseResult rebase(const RecordMap& base, const std::vector<Mutation>& pending, const Actor& actor,
                    const std::map<Id, Id>& user_teams, const Settings& settings, Instant now);

}  // namespace cl::sync

// Customers list (issue 5): search-as-you-type over the local replica with filters by tag, owner and
// region (R7's filters), fast enough for a 50k-customer replica on a tablet (issue 5: frame CPU p95
// ≤ 4 ms while typing):
//   - search keys are normalised once per record (search_key.h), kept up to date from the replica's
//     journal, and built lazily — a few thousand per refresh while the query is empty (the frames
//     after a start), so neither the cold start nor the first keystroke pays for 50k at once;
//   - all keys live in one contiguous arena, so a full scan is one memmem sweep;
//   - a query that extends the previous one only rescans the previous hits (in the arena), and
//     deleting characters (Backspace) returns the earlier, remembered result without a scan;
//   - a record re-written with the same visible fields (a re-pulled page, a rebase) changes nothing,
//     so background sync doesn't force rescans or re-sorts while the rep types;
//   - the filter drop-downs' values (regions, owners) are cached until an entry changes.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/vm/local_replica.h"

namespace cl::app {

struct CustomerFilter {
  std::string query;                          // raw text as typed (normalised inside)
  std::string owner_id;                       // "" = any owner
  std::string region;                         // tags["region"], "" = any
  std::string tag_group, tag_value;           // one more tag filter, e.g. customer_type = 三甲医院
  friend bool operator==(const CustomerFilter&, const CustomerFilter&) = default;
};

// One row as the list screen draws it.
struct CustomerRow {
  Id id;
  std::string code, name, decision_maker, phone, region, owner_id;
};

// What the last refresh did (tests and benchmarks check the fast paths are taken).
enum class ListScan { None, Full, Narrowed, Remembered, FacetsOnly };

class CustomerListVM {
 public:
  // Brings the keys up to date with the replica and applies the filter. Cheap when nothing changed.
  void refresh(const LocalReplica& replica, const CustomerFilter& filter);

  std::size_t count() const { return hits_.size(); }
  std::size_t total() const { return entries_.size(); }
  CustomerRow row(const LocalReplica& replica, std::size_t i) const;  // i < count(); for the clipper
  const Id& id_at(std::size_t i) const { return entries_[hits_[i]].id; }

  // Distinct values for the filter drop-downs (sorted), cached until an entry changes.
  const std::vector<std::string>& regions() const;
  const std::vector<std::string>& owners() const;

  ListScan last_scan() const { return last_scan_; }
  bool keys_ready() const { return keys_ready_; }

 private:
  struct Entry {
    Id id;
    std::string key;          // normalised search key ("" until keys are built)
    std::string owner_id, region;
    Instant updated_at = 0;
    bool live = true;         // false once erased from the replica (dropped at the next sort)
    bool has_key = false;
  };
  // A remembered result: the hits for a query the current one was typed from (Backspace returns here).
  struct Step {
    std::string query;
    std::vector<std::uint32_t> hits;
  };
  void sync_from(const LocalReplica& replica);
  void rebuild(const LocalReplica& replica);
  void ensure_keys(const LocalReplica& replica);
  void warm_keys(const LocalReplica& replica, std::size_t budget);
  void sort_entries();
  void rebuild_arena();
  void full_scan(const LocalReplica& replica, const CustomerFilter& f, const std::string& norm);
  void narrow(const std::string& norm);
  bool passes(const Entry& e, const Customer* c, const CustomerFilter& f) const;
  void changed() { hits_dirty_ = order_dirty_ = arena_dirty_ = facets_dirty_ = true; }

  std::vector<Entry> entries_;
  std::unordered_map<Id, std::uint32_t> slot_;  // id -> index into entries_
  std::vector<std::uint32_t> hits_;             // indexes into entries_, in display order
  // All keys in display order in one buffer ('\x1e' between records), so a full scan is one memmem
  // sweep over contiguous memory instead of 50k pointer chases.
  std::string arena_;
  std::vector<std::uint32_t> arena_offsets_;    // start of entry i's key in arena_ (+ one past the end)
  bool keys_ready_ = false;                       // every entry has its key
  std::size_t warm_pos_ = 0;                      // warm_keys' progress through entries_
  bool arena_dirty_ = true;
  std::uint64_t generation_ = ~0ull;
  std::size_t journal_pos_ = 0;
  std::uint64_t seen_revision_ = ~0ull;
  bool order_dirty_ = true;
  bool hits_dirty_ = true;
  CustomerFilter last_filter_;
  std::string last_query_norm_;
  std::vector<Step> steps_;                      // queries typed since the last full scan, oldest first
  ListScan last_scan_ = ListScan::None;
  mutable bool facets_dirty_ = true;
  mutable std::vector<std::string> regions_, owners_;
};

}  // namespace cl::app

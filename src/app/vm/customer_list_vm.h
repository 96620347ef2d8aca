// Customers list (issue 5): search-as-you-type over the local replica with filters by tag, owner and
// region (R7's filters), fast enough for a 50k-customer replica on a tablet (issue 5: frame CPU p95
// ≤ 4 ms while typing):
//   - search keys are normalised once per record (search_key.h), kept up to date from the replica's
//     journal, and built lazily — a slice per refresh while the query is empty (the frames after a
//     start), so neither the cold start nor the first keystroke pays for 50k at once;
//   - each key goes into an inverted index (search_index.h) as it is built, so a new query costs what
//     its shortest posting list costs (a few thousand customers for a hanzi), not a sweep of all keys;
//   - a query that extends the previous one narrows the previous hits (or uses the index when its
//     list is shorter than the hits), and deleting characters (Backspace) returns the earlier,
//     remembered result without a scan;
//   - records keep a stable slot; the display order is a separate permutation patched in place when a
//     few records change (a sync landing between keystrokes), not a re-sort of 50k records;
//   - a record re-written with the same visible fields (a re-pulled page, a rebase) changes nothing,
//     so background sync doesn't force rescans while the rep types;
//   - the filter drop-downs' values (regions, owners) are counted incrementally, and — like the keys —
//     filled in lazily after a rebuild: a start's first frame, with no owner or region filter, lists
//     50k customers without reading their tags.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/vm/local_replica.h"
#include "app/vm/search_index.h"
#include "app/vm/search_key.h"

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
  std::size_t total() const { return order_.size(); }
  CustomerRow row(const LocalReplica& replica, std::size_t i) const;  // i < count(); for the clipper
  const Id& id_at(std::size_t i) const { return entries_[hits_[i]].id; }

  // Distinct values for the filter drop-downs (sorted), kept up to date incrementally; the first
  // call after a rebuild reads whatever owners and regions the idle refreshes have not read yet.
  const std::vector<std::string>& regions(const LocalReplica& replica);
  const std::vector<std::string>& owners(const LocalReplica& replica);

  // Between frames (the main loop's idle ticks): builds a slice of what refreshes with an empty query
  // build lazily — search keys, the id -> slot map, owners and regions — so they are ready before the
  // rep types, even when no frame is drawn (an idle app draws none). Takes in the replica's writes
  // since the last refresh first; does nothing before the list was first shown or while the replica
  // has customers left to decode. Returns true while there is more to build.
  bool warm_idle(const LocalReplica& replica, std::size_t keys_budget);

  ListScan last_scan() const { return last_scan_; }
  bool last_used_index() const { return last_used_index_; }  // the last scan read posting lists
  bool keys_ready() const { return keys_ready_; }
  bool facets_ready() const { return facets_ready_; }

 private:
  struct Entry {
    Id id;
    std::string owner_id, region;   // read once `facets` (warm_facets)
    Instant updated_at = 0;
    bool live = true;         // false once erased from the replica
    bool facets = false;      // owner_id and region read, and counted in the drop-downs if live
    bool has_key = false;
    bool ever_indexed = false;
    bool exact = false;       // indexed once, with the current key: its posting lists are exact
    std::uint32_t key_at = 0, key_len = 0;  // normalised search key in keys_ (empty until built)
    std::uint32_t hint = 0;   // finds a customer the replica has not decoded yet (LocalReplica::peek_customer)
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
  void warm_slots(std::size_t budget);
  void warm_facets(const LocalReplica& replica, std::size_t budget);
  void set_facets(Entry& e, const Customer& c);
  void ensure_slots();
  void set_key(std::uint32_t slot, std::string_view key);
  std::string_view key_of(const Entry& e) const { return {keys_.data() + e.key_at, e.key_len}; }
  void update_order();
  bool before(std::uint32_t a, std::uint32_t b) const;
  void full_scan(const LocalReplica& replica, const CustomerFilter& f, const std::string& norm);
  void index_scan(const LocalReplica& replica, const CustomerFilter& f, const QueryMatcher& match,
                  const SearchIndex::Candidates& cand);
  void narrow(const std::string& norm, const SearchIndex::Candidates& cand);
  bool passes(const Entry& e, const LocalReplica& replica, const CustomerFilter& f) const;
  void count_facets(const Entry& e, int delta);
  void changed() { hits_dirty_ = facets_dirty_ = true; }

  std::vector<Entry> entries_;                  // by slot; slots are never reused or moved
  std::vector<LocalReplica::CustomerHead> heads_;  // rebuild()'s scratch, kept for its capacity
  std::unordered_map<Id, std::uint32_t> slot_;  // id -> slot (once slots_ready_)
  bool slots_ready_ = false;
  bool just_rebuilt_ = false;                   // rebuild() ran in this refresh: no warming in it
  std::size_t slots_pos_ = 0;                   // warm_slots' progress through the slots
  std::vector<std::uint32_t> order_;            // live slots, most recently changed first
  std::vector<std::uint32_t> rank_;             // slot -> position in order_
  std::vector<std::uint32_t> moved_;            // slots to re-place in order_ (new, re-timed, erased)
  bool resort_all_ = true;
  std::vector<std::uint32_t> hits_;             // slots, in display order
  std::vector<std::uint64_t> marks_;            // index scans: matching ranks as bits
  std::vector<std::uint64_t> in_second_;        // index scans: slots in the second-shortest list
  std::vector<std::uint64_t> sieve_;            // narrowing: slots in both shortest lists
  SearchIndex index_;
  // Every key, appended as built (a re-keyed slot appends again; rebuild() drops the old bytes): the
  // keys a scan verifies are read from one buffer, mostly in slot order, instead of one heap block
  // each — a cache miss per key was most of the cost of verifying 10k candidates.
  std::string keys_;
  std::size_t stale_ = 0;                         // erased or re-indexed slots (compaction trigger)
  bool keys_ready_ = false;                       // every live entry has its key, in the index
  std::size_t warm_pos_ = 0;                      // warm_keys' progress through the slots
  std::uint64_t generation_ = ~0ull;
  std::size_t journal_pos_ = 0;
  std::uint64_t seen_revision_ = ~0ull;
  bool hits_dirty_ = true;
  CustomerFilter last_filter_;
  std::string last_query_norm_;
  std::vector<Step> steps_;                      // queries typed since the last full scan, oldest first
  ListScan last_scan_ = ListScan::None;
  bool last_used_index_ = false;
  std::map<std::string, int> region_count_, owner_count_;   // over live entries with facets
  bool facets_ready_ = false;                     // every entry has its facets
  std::size_t facets_pos_ = 0;                    // warm_facets' progress through the slots
  mutable bool facets_dirty_ = true;
  mutable std::vector<std::string> regions_, owners_;
};

}  // namespace cl::app

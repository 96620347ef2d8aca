// Page-store compaction for the local replica (issue 5). IndexedDB keeps the records the server sent
// as pages (one value = many changes, so 100k records load as ~100 values). Every pull appends a
// page, so a record edited 50 times sits in 50 pages and a 30-second poll with one change adds a
// one-record page: without compaction the store grows without bound and the cold start slows down.
//
// This file is the pure part: from an index of what each stored page holds (a hash per record, not
// the records) it plans which pages to rewrite. The platform executes the plan in ONE IndexedDB
// transaction over the page store only — the outbox is never part of it, so a failed or interrupted
// compaction can lose nothing the user typed (at worst the old pages stay).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace cl::app {

// One change in a stored page: which record (hash of type + id) and whether it is a tombstone.
struct PageRecord {
  std::uint64_t record = 0;
  bool tombstone = false;
  friend bool operator==(const PageRecord&, const PageRecord&) = default;
};

struct StoredPageInfo {
  std::int64_t key = 0;              // IndexedDB key; later keys override earlier ones on load
  std::vector<PageRecord> changes;   // in page order
};

struct CompactionPolicy {
  std::size_t page_target = 1000;     // changes per rewritten page (the size of a full pull page)
  std::size_t small_page = 250;       // a page with fewer live changes is merged with others
  double min_live_fraction = 0.5;     // a page with a smaller live share is mostly dead copies
  std::size_t min_sources = 4;        // rewrite only when this many pages qualify (amortised cost)
};

struct CompactionPlan {
  std::vector<std::int64_t> sources;                // pages read and deleted, ascending key
  std::vector<std::vector<std::uint32_t>> keep;     // per source: positions of the changes kept
  std::vector<std::int64_t> new_keys;               // rewritten pages, keys above every existing key
  std::vector<std::uint32_t> new_sizes;             // changes per rewritten page (sum = kept changes)
  bool empty() const { return sources.empty(); }
};

// FNV-1a over "type/id": the page index holds 8 bytes per record instead of the id strings.
std::uint64_t record_hash(std::string_view type, std::string_view id);

// Live change = the last copy of its record across all pages (page key order, then position).
// A page is a source when it has fewer than `small_page` live changes or less than
// `min_live_fraction` of its changes live; a plan is made when at least `min_sources` pages qualify
// or one of them holds nothing live. A tombstone is kept only while an older copy of its record
// survives in a page that is not rewritten (else that copy would come back on the next load).
CompactionPlan plan_compaction(const std::vector<StoredPageInfo>& pages, const CompactionPolicy& policy = {});

// The page index after the plan ran: sources gone, rewritten pages appended (what storage will hold).
std::vector<StoredPageInfo> apply_compaction(const std::vector<StoredPageInfo>& pages, const CompactionPlan& plan);

// Total changes stored (a measure for tests and the state API).
std::size_t stored_changes(const std::vector<StoredPageInfo>& pages);

}  // namespace cl::app

// Page-store compaction planning (issue 5): bounded storage under updates, and a plan that never
// changes what a load of the store yields.
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <string>

#include "app/vm/page_compaction.h"

using namespace cl::app;

namespace {

// A stored change with its content (a version number) so a "load" can be compared before/after.
struct Change {
  std::uint64_t record;
  bool tombstone;
  int version;
};
using Pages = std::map<std::int64_t, std::vector<Change>>;

std::vector<StoredPageInfo> index_of(const Pages& pages) {
  std::vector<StoredPageInfo> out;
  for (const auto& [k, changes] : pages) {
    StoredPageInfo p;
    p.key = k;
    for (const auto& c : changes) p.changes.push_back({c.record, c.tombstone});
    out.push_back(p);
  }
  return out;
}

// What the app holds after loading the store: pages in key order, later copies win, tombstones delete.
std::map<std::uint64_t, int> load(const Pages& pages) {
  std::map<std::uint64_t, int> out;
  for (const auto& [k, changes] : pages)
    for (const auto& c : changes) {
      if (c.tombstone) out.erase(c.record);
      else out[c.record] = c.version;
    }
  return out;
}

// Executes a plan like the browser's transaction: read sources, keep the planned positions, write
// them re-chunked under the new keys, delete the sources.
Pages execute(Pages pages, const CompactionPlan& plan) {
  std::vector<Change> kept;
  for (std::size_t s = 0; s < plan.sources.size(); ++s) {
    const auto& src = pages.at(plan.sources[s]);
    for (auto j : plan.keep[s]) kept.push_back(src.at(j));
  }
  for (auto k : plan.sources) pages.erase(k);
  std::size_t at = 0;
  for (std::size_t n = 0; n < plan.new_keys.size(); ++n) {
    REQUIRE(pages.count(plan.new_keys[n]) == 0);
    auto& page = pages[plan.new_keys[n]];
    for (std::uint32_t i = 0; i < plan.new_sizes[n]; ++i) page.push_back(kept.at(at++));
  }
  CHECK(at == kept.size());
  return pages;
}

std::size_t total(const Pages& pages) {
  std::size_t n = 0;
  for (const auto& [k, c] : pages) n += c.size();
  return n;
}

CompactionPolicy small_policy() {
  CompactionPolicy p;
  p.page_target = 10;
  p.small_page = 3;
  p.min_live_fraction = 0.5;
  p.min_sources = 4;
  return p;
}

}  // namespace

TEST_CASE("record hashes tell records apart by type and id") {
  CHECK(record_hash("customer", "a") == record_hash("customer", "a"));
  CHECK(record_hash("customer", "a") != record_hash("opportunity", "a"));
  CHECK(record_hash("customer", "ab") != record_hash("customerab", ""));
}

TEST_CASE("one record edited in many one-change pages is folded into a single page holding its last copy") {
  Pages pages;
  for (int i = 1; i <= 8; ++i) pages[i] = {{42, false, i}};
  auto plan = plan_compaction(index_of(pages), small_policy());
  REQUIRE_FALSE(plan.empty());
  CHECK(plan.sources.size() == 8);
  auto after = execute(pages, plan);
  CHECK(after.size() == 1);
  CHECK(total(after) == 1);
  CHECK(after.begin()->first > 8);          // rewritten pages sort after every old one
  CHECK(load(after) == load(pages));
  CHECK(load(after).at(42) == 8);
}

TEST_CASE("a full page whose records are still current is left alone") {
  Pages pages;
  for (int p = 1; p <= 3; ++p)
    for (int r = 0; r < 10; ++r) pages[p].push_back({static_cast<std::uint64_t>(p * 100 + r), false, 1});
  CHECK(plan_compaction(index_of(pages), small_policy()).empty());
}

TEST_CASE("fewer small pages than the minimum wait, unless one of them holds nothing live") {
  Pages pages;
  for (int r = 0; r < 10; ++r) pages[1].push_back({static_cast<std::uint64_t>(r), false, 1});
  pages[2] = {{100, false, 1}};
  pages[3] = {{101, false, 1}};
  CHECK(plan_compaction(index_of(pages), small_policy()).empty());
  pages[4] = {{100, false, 2}};  // page 2 is now entirely superseded
  auto plan = plan_compaction(index_of(pages), small_policy());
  REQUIRE_FALSE(plan.empty());
  auto after = execute(pages, plan);
  CHECK(load(after) == load(pages));
  CHECK(after.count(2) == 0);
}

TEST_CASE("a tombstone goes only when no older copy of its record survives outside the rewrite") {
  CompactionPolicy policy = small_policy();
  Pages pages;
  // Record 7 lives in a big page that is kept; its tombstone arrives in a small page later.
  for (int r = 0; r < 10; ++r) pages[1].push_back({static_cast<std::uint64_t>(r), false, 1});
  pages[2] = {{7, true, 2}};
  pages[3] = {{50, false, 1}};
  pages[4] = {{50, true, 2}};   // created and deleted entirely inside the rewritten pages
  pages[5] = {{60, false, 1}};
  auto plan = plan_compaction(index_of(pages), policy);
  REQUIRE_FALSE(plan.empty());
  auto after = execute(pages, plan);
  CHECK(load(after) == load(pages));
  CHECK(load(after).count(7) == 0);          // the kept tombstone still hides page 1's copy
  bool tomb7 = false, any50 = false;
  for (const auto& [k, changes] : after)
    for (const auto& c : changes) {
      if (c.record == 7 && c.tombstone) tomb7 = true;
      if (c.record == 50) any50 = true;
    }
  CHECK(tomb7);
  CHECK_FALSE(any50);                         // nothing of record 50 is left to store
}

TEST_CASE("live changes are re-chunked into pages of the target size") {
  Pages pages;
  for (int p = 1; p <= 25; ++p) pages[p] = {{static_cast<std::uint64_t>(p), false, 1}};
  auto plan = plan_compaction(index_of(pages), small_policy());
  REQUIRE(plan.new_sizes.size() == 3);
  CHECK(plan.new_sizes[0] == 10);
  CHECK(plan.new_sizes[2] == 5);
  auto after = execute(pages, plan);
  CHECK(load(after) == load(pages));
  auto idx = apply_compaction(index_of(pages), plan);
  CHECK(idx.size() == after.size());
  CHECK(stored_changes(idx) == total(after));
}

TEST_CASE("under a long stream of updates the store stays bounded and every load is unchanged") {
  // Deterministic pseudo-random edits over 60 records, one pull page per round (1–6 changes),
  // compaction planned after every page like the sync client does.
  std::uint64_t seed = 12345;
  auto next = [&seed](std::uint64_t n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (seed >> 33) % n;
  };
  CompactionPolicy policy = small_policy();
  Pages pages;
  std::int64_t key = 0;
  std::map<std::uint64_t, int> versions;
  std::size_t max_pages = 0, max_changes = 0;
  for (int round = 0; round < 400; ++round) {
    auto& page = pages[++key];
    const auto n = 1 + next(6);
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t rec = next(60);
      const bool del = next(10) == 0;
      page.push_back({rec, del, ++versions[rec]});
    }
    const auto before = load(pages);
    auto plan = plan_compaction(index_of(pages), policy);
    if (!plan.empty()) {
      pages = execute(pages, plan);
      for (auto k : plan.new_keys) key = std::max(key, k);
    }
    REQUIRE(load(pages) == before);
    max_pages = std::max(max_pages, pages.size());
    max_changes = std::max(max_changes, total(pages));
  }
  // 60 records at most live: without compaction this would be 400 pages and ~1400 changes.
  CHECK(max_pages <= 60 / policy.small_page + policy.min_sources + 2);
  CHECK(max_changes <= 3 * 60);
}

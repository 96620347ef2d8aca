#include "app/vm/page_compaction.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace cl::app {

std::uint64_t record_hash(std::string_view type, std::string_view id) {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ull;
  };
  for (char c : type) mix(static_cast<unsigned char>(c));
  mix('/');
  for (char c : id) mix(static_cast<unsigned char>(c));
  return h;
}

std::size_t stored_changes(const std::vector<StoredPageInfo>& pages) {
  std::size_t n = 0;
  for (const auto& p : pages) n += p.changes.size();
  return n;
}

CompactionPlan plan_compaction(const std::vector<StoredPageInfo>& input, const CompactionPolicy& policy) {
  CompactionPlan plan;
  if (input.empty()) return plan;
  // Work in key order (the order a load applies pages in).
  std::vector<const StoredPageInfo*> pages;
  pages.reserve(input.size());
  for (const auto& p : input) pages.push_back(&p);
  std::stable_sort(pages.begin(), pages.end(), [](auto* a, auto* b) { return a->key < b->key; });

  // The last copy of each record: (page index, position).
  std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>> last;
  last.reserve(stored_changes(input));
  for (std::uint32_t i = 0; i < pages.size(); ++i)
    for (std::uint32_t j = 0; j < pages[i]->changes.size(); ++j) last[pages[i]->changes[j].record] = {i, j};

  auto is_last = [&](std::uint32_t i, std::uint32_t j) {
    auto it = last.find(pages[i]->changes[j].record);
    return it != last.end() && it->second.first == i && it->second.second == j;
  };

  std::vector<std::uint32_t> sources;
  bool any_empty = false;
  for (std::uint32_t i = 0; i < pages.size(); ++i) {
    std::size_t live = 0;
    for (std::uint32_t j = 0; j < pages[i]->changes.size(); ++j) live += is_last(i, j) ? 1 : 0;
    const std::size_t total = pages[i]->changes.size();
    const bool small = live < policy.small_page;
    const bool sparse = static_cast<double>(live) < policy.min_live_fraction * static_cast<double>(total);
    if (small || sparse) {
      sources.push_back(i);
      if (live == 0) any_empty = true;
    }
  }
  if (sources.empty() || (sources.size() < policy.min_sources && !any_empty)) return plan;

  // Records that keep a copy in a page that is not rewritten: their tombstones must stay.
  std::unordered_set<std::uint32_t> source_set(sources.begin(), sources.end());
  std::unordered_set<std::uint64_t> outside;
  bool need_outside = false;
  for (std::uint32_t i : sources)
    for (std::uint32_t j = 0; j < pages[i]->changes.size(); ++j)
      if (pages[i]->changes[j].tombstone && is_last(i, j)) need_outside = true;
  if (need_outside)
    for (std::uint32_t i = 0; i < pages.size(); ++i)
      if (!source_set.count(i))
        for (const auto& c : pages[i]->changes) outside.insert(c.record);

  std::size_t kept = 0;
  std::int64_t max_key = pages.back()->key;
  for (std::uint32_t i : sources) {
    std::vector<std::uint32_t> keep;
    for (std::uint32_t j = 0; j < pages[i]->changes.size(); ++j) {
      if (!is_last(i, j)) continue;
      const auto& c = pages[i]->changes[j];
      if (c.tombstone && !outside.count(c.record)) continue;  // nothing older left to hide
      keep.push_back(j);
    }
    kept += keep.size();
    plan.sources.push_back(pages[i]->key);
    plan.keep.push_back(std::move(keep));
  }
  const std::size_t target = std::max<std::size_t>(1, policy.page_target);
  for (std::size_t left = kept; left > 0;) {
    const std::size_t n = std::min(left, target);
    plan.new_sizes.push_back(static_cast<std::uint32_t>(n));
    plan.new_keys.push_back(++max_key);
    left -= n;
  }
  return plan;
}

std::vector<StoredPageInfo> apply_compaction(const std::vector<StoredPageInfo>& pages, const CompactionPlan& plan) {
  std::map<std::int64_t, const StoredPageInfo*> by_key;
  for (const auto& p : pages) by_key[p.key] = &p;
  std::vector<PageRecord> kept;
  for (std::size_t s = 0; s < plan.sources.size(); ++s) {
    auto it = by_key.find(plan.sources[s]);
    if (it == by_key.end()) continue;
    for (auto j : plan.keep[s])
      if (j < it->second->changes.size()) kept.push_back(it->second->changes[j]);
  }
  std::vector<StoredPageInfo> out;
  for (const auto& [key, p] : by_key)
    if (!std::binary_search(plan.sources.begin(), plan.sources.end(), key)) out.push_back(*p);
  std::size_t at = 0;
  for (std::size_t n = 0; n < plan.new_sizes.size(); ++n) {
    StoredPageInfo page;
    page.key = plan.new_keys[n];
    const std::size_t end = std::min(kept.size(), at + plan.new_sizes[n]);
    page.changes.assign(kept.begin() + static_cast<std::ptrdiff_t>(at), kept.begin() + static_cast<std::ptrdiff_t>(end));
    at = end;
    out.push_back(std::move(page));
  }
  return out;
}

}  // namespace cl::app

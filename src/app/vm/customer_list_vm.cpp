#include "app/vm/customer_list_vm.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <unordered_map>

#include "app/vm/search_key.h"

namespace cl::app {
namespace {

constexpr std::size_t kMaxSteps = 32;  // Backspace memory: one step per typed character
// Keys built (and indexed) per refresh while nobody searches: about 1–2 ms in the browser. Most are
// built between frames (warm_idle, from the main loop's idle ticks); the frames only help, and a
// frame drawn for a keystroke (a pinyin preedit leaves the query empty) stays cheap.
constexpr std::size_t kWarmKeysPerRefresh = 250;
constexpr std::uint32_t kNoRank = ~0u;

std::string region_of(const Customer& c) {
  auto it = c.tags.find("region");
  return it == c.tags.end() ? std::string() : it->second;
}

}  // namespace

bool CustomerListVM::before(std::uint32_t a, std::uint32_t b) const {
  // Most recently changed first (what a rep touched last is what they seek), then by id.
  const Entry& x = entries_[a];
  const Entry& y = entries_[b];
  if (x.updated_at != y.updated_at) return x.updated_at > y.updated_at;
  return x.id < y.id;
}

void CustomerListVM::count_facets(const Entry& e, int delta) {
  if (!e.facets) return;   // not counted yet: warm_facets counts it when it reads it
  if (!e.region.empty()) region_count_[e.region] += delta;
  if (!e.owner_id.empty()) owner_count_[e.owner_id] += delta;
  facets_dirty_ = true;
}

void CustomerListVM::rebuild(const LocalReplica& replica) {
  entries_.clear();
  slot_.clear();
  index_.clear();
  keys_.clear();
  region_count_.clear();
  owner_count_.clear();
  just_rebuilt_ = true;
  slots_ready_ = false;   // id -> slot: built by idle refreshes or the first change (warm_slots)
  slots_pos_ = 0;
  // Ids and update times only, which a snapshot's load lists without decoding the customers
  // (LocalReplica::defer): the first frame of a cold start draws from them. Owner and region (each
  // customer's tags map) are read later, by warm_facets: listing needs neither unless a filter by
  // them is on.
  replica.customer_heads(heads_);
  entries_.reserve(heads_.size());
  for (const auto& h : heads_) {
    entries_.push_back({Id(h.id), {}, {}, h.updated_at});
    entries_.back().hint = h.hint;
  }
  heads_.clear();
  facets_ready_ = entries_.empty();
  facets_pos_ = 0;
  facets_dirty_ = true;
  moved_.clear();
  resort_all_ = true;
  stale_ = 0;
  keys_ready_ = false;  // built by warm_keys / the first search, not by a start that only lists
  warm_pos_ = 0;
  generation_ = replica.generation();
  journal_pos_ = replica.journal().size();
  changed();
}

// The id -> slot map serves only changes after a rebuild, so a cold start's first frame lists 50k
// customers without it (an id copy and a hash insert each). Idle refreshes build it a slice at a
// time, like the search keys; the first change finishes whatever is left (ensure_slots).
void CustomerListVM::warm_slots(std::size_t budget) {
  if (slots_ready_) return;
  if (slot_.empty()) slot_.reserve(entries_.size());
  for (; slots_pos_ < entries_.size() && budget > 0; ++slots_pos_, --budget)
    slot_.emplace(entries_[slots_pos_].id, static_cast<std::uint32_t>(slots_pos_));
  slots_ready_ = slots_pos_ == entries_.size();
}

void CustomerListVM::ensure_slots() { warm_slots(entries_.size()); }

void CustomerListVM::set_facets(Entry& e, const Customer& c) {
  e.owner_id = c.meta.owner_id;
  e.region = region_of(c);
  e.facets = true;
  if (e.live) count_facets(e, +1);
}

// Owners and regions after a rebuild, a slice per idle refresh; all at once for a filter by them or
// the drop-downs. Counted per distinct value: a hash of a short string beats a walk down the ordered
// map for each customer (the views point into entries_, which does not move meanwhile).
void CustomerListVM::warm_facets(const LocalReplica& replica, std::size_t budget) {
  if (facets_ready_) return;
  std::unordered_map<std::string_view, int> regions, owners;
  for (; facets_pos_ < entries_.size() && budget > 0; ++facets_pos_) {
    Entry& e = entries_[facets_pos_];
    if (e.facets || !e.live) continue;   // an erased entry is read if it comes back (sync_from)
    const Customer* c = replica.customer(e.id);
    if (!c) continue;
    e.owner_id = c->meta.owner_id;
    e.region = region_of(*c);
    e.facets = true;
    if (!e.region.empty()) ++regions[e.region];
    if (!e.owner_id.empty()) ++owners[e.owner_id];
    --budget;
  }
  for (const auto& [v, n] : regions) region_count_[std::string(v)] += n;
  for (const auto& [v, n] : owners) owner_count_[std::string(v)] += n;
  facets_dirty_ = true;
  facets_ready_ = facets_pos_ == entries_.size();
}

void CustomerListVM::set_key(std::uint32_t slot, std::string_view key) {
  Entry& e = entries_[slot];
  e.key_at = static_cast<std::uint32_t>(keys_.size());
  e.key_len = static_cast<std::uint32_t>(key.size());
  keys_.append(key);
  e.has_key = true;
  // A slot indexed before keeps stale postings from its old key: its lists are no longer exact.
  e.exact = !e.ever_indexed;
  if (e.ever_indexed) ++stale_;
  e.ever_indexed = true;
  index_.add(slot, key);
}

void CustomerListVM::ensure_keys(const LocalReplica& replica) {
  if (!keys_ready_) warm_keys(replica, entries_.size());
}

void CustomerListVM::warm_keys(const LocalReplica& replica, std::size_t budget) {
  if (keys_ready_) return;
  for (; warm_pos_ < entries_.size() && budget > 0; ++warm_pos_) {
    const Entry& e = entries_[warm_pos_];
    if (e.has_key || !e.live) continue;
    if (const Customer* c = replica.customer(e.id)) set_key(static_cast<std::uint32_t>(warm_pos_), customer_search_key(*c));
    --budget;
  }
  keys_ready_ = warm_pos_ == entries_.size();
}

bool CustomerListVM::warm_idle(const LocalReplica& replica, std::size_t keys_budget) {
  // Never listed (the customers screen was not shown yet): nothing to prepare. While the replica
  // still decodes a snapshot's customers, the warming waits for it, as in refresh.
  if (generation_ == ~0ull || replica.deferred_customers() != 0) return false;
  // Writes since the last refresh (a pulled page, a decoded slice) are taken in first, exactly as the
  // next refresh would, so the keys are built from the records the list holds.
  sync_from(replica);
  warm_keys(replica, keys_budget);
  warm_slots(keys_budget * 4);
  warm_facets(replica, keys_budget * 4);
  return !(keys_ready_ && slots_ready_ && facets_ready_);
}

void CustomerListVM::sync_from(const LocalReplica& replica) {
  if (replica.revision() == seen_revision_) return;
  seen_revision_ = replica.revision();
  if (replica.generation() != generation_ || replica.journal().size() < journal_pos_) {
    rebuild(replica);
    return;
  }
  const auto& journal = replica.journal();
  Customer scratch;
  // A huge backlog (first sync) is cheaper to rebuild than to patch entry by entry.
  if (journal.size() - journal_pos_ > replica.customer_count_estimate() / 2 + 1000) {
    rebuild(replica);
    return;
  }
  for (; journal_pos_ < journal.size(); ++journal_pos_) {
    const auto& j = journal[journal_pos_];
    if (j.kind != RecordKind::Customer) continue;
    ensure_slots();
    // A journalled customer was written (it is decoded) or erased (an erase decodes them all).
    const Customer* c = replica.peek_customer(j.id, 0, scratch);
    auto it = slot_.find(j.id);
    if (!c) {
      if (it != slot_.end() && entries_[it->second].live) {
        Entry& e = entries_[it->second];
        e.live = false;
        count_facets(e, -1);
        moved_.push_back(it->second);
        ++stale_;
        changed();
      }
      continue;
    }
    // Keys exist for this slot already, or warming has passed it: build its key now.
    const bool key_now = keys_ready_ || (it != slot_.end() && it->second < warm_pos_);
    if (it == slot_.end()) {
      const auto slot = static_cast<std::uint32_t>(entries_.size());
      slot_[j.id] = slot;
      entries_.push_back({j.id, {}, {}, c->meta.updated_at});
      set_facets(entries_.back(), *c);
      if (keys_ready_) set_key(slot, customer_search_key(*c));
      moved_.push_back(slot);
      changed();
      continue;
    }
    const std::uint32_t slot = it->second;
    Entry& old = entries_[slot];
    if (!old.facets) {   // not read since the rebuild: read it now, as it is (counted once, here)
      set_facets(old, *c);
      facets_dirty_ = true;
    }
    const std::string key = key_now ? customer_search_key(*c) : std::string();
    // The same record written again (a re-pulled page, an optimistic write rebased onto its own
    // result): nothing the list shows or searches changed, so keep the order, hits and index.
    if (old.live && old.has_key == key_now && key_of(old) == key && old.owner_id == c->meta.owner_id &&
        old.region == region_of(*c) && old.updated_at == c->meta.updated_at)
      continue;
    if (old.live) count_facets(old, -1);
    if (!old.live || old.updated_at != c->meta.updated_at) moved_.push_back(slot);
    old.live = true;
    old.owner_id = c->meta.owner_id;
    old.region = region_of(*c);
    old.updated_at = c->meta.updated_at;
    count_facets(old, +1);
    if (key_now) {
      if (!old.has_key || key_of(old) != key) set_key(slot, key);
    } else {
      old.has_key = false;  // warm_keys builds it when it gets here
      old.key_len = 0;
    }
    changed();
  }
  // Many erased or re-indexed slots: start over (lists shrink back to exact, memory is returned).
  if (stale_ > entries_.size() / 4 + 1000) rebuild(replica);
}

void CustomerListVM::update_order() {
  if (!resort_all_ && moved_.empty()) return;
  if (resort_all_) {
    // The order before() gives, sorted as compact keys: customers imported or synced together share
    // an updated_at by the hundred, so most comparisons are between ids — and ids share a prefix
    // ("KH-…", a device's uuid run). Each key carries the 8 id bytes after the prefix all ids share,
    // big-endian (zero-padded: a shorter id sorts first, as with std::string), so the full ids are
    // read only when those 8 bytes tie too.
    std::size_t common = std::string::npos;
    const Id* first = nullptr;
    for (const Entry& e : entries_) {
      if (!e.live) continue;
      if (!first) { first = &e.id; common = e.id.size(); continue; }
      std::size_t i = 0;
      const std::size_t n = std::min(common, e.id.size());
      while (i < n && e.id[i] == (*first)[i]) ++i;
      common = i;
    }
    if (common == std::string::npos) common = 0;
    struct Key { Instant t; std::uint64_t id8; std::uint32_t slot; };
    std::vector<Key> keys;
    keys.reserve(entries_.size());
    for (std::uint32_t s = 0; s < entries_.size(); ++s) {
      const Entry& e = entries_[s];
      if (!e.live) continue;
      std::uint64_t k = 0;
      for (std::size_t i = 0; i < 8; ++i)
        k = k << 8 | (common + i < e.id.size() ? static_cast<unsigned char>(e.id[common + i]) : 0u);
      keys.push_back({e.updated_at, k, s});
    }
    const auto key_before = [this](const Key& a, const Key& b) {
      if (a.t != b.t) return a.t > b.t;
      if (a.id8 != b.id8) return a.id8 < b.id8;
      return entries_[a.slot].id < entries_[b.slot].id;
    };
    // A snapshot's customers load in this order (replica_snapshot.cpp): a cold start's list is
    // sorted already, and checking costs one comparison per customer.
    if (!std::is_sorted(keys.begin(), keys.end(), key_before)) std::sort(keys.begin(), keys.end(), key_before);
    order_.clear();
    order_.reserve(keys.size());
    for (const Key& k : keys) order_.push_back(k.slot);
  } else {
    // A few records changed: take them out, sort just them, merge them back (O(n), no 50k sort).
    std::sort(moved_.begin(), moved_.end());
    moved_.erase(std::unique(moved_.begin(), moved_.end()), moved_.end());
    rank_.resize(entries_.size(), kNoRank);
    for (std::uint32_t s : moved_) rank_[s] = kNoRank - 1;  // marks "moving"
    order_.erase(std::remove_if(order_.begin(), order_.end(), [this](std::uint32_t s) { return rank_[s] == kNoRank - 1; }),
                 order_.end());
    std::vector<std::uint32_t> add;
    for (std::uint32_t s : moved_)
      if (entries_[s].live) add.push_back(s);
    std::sort(add.begin(), add.end(), [this](std::uint32_t a, std::uint32_t b) { return before(a, b); });
    std::vector<std::uint32_t> merged;
    merged.reserve(order_.size() + add.size());
    std::merge(order_.begin(), order_.end(), add.begin(), add.end(), std::back_inserter(merged),
               [this](std::uint32_t a, std::uint32_t b) { return before(a, b); });
    order_.swap(merged);
  }
  rank_.assign(entries_.size(), kNoRank);
  for (std::uint32_t r = 0; r < order_.size(); ++r) rank_[order_[r]] = r;
  moved_.clear();
  resort_all_ = false;
  hits_dirty_ = true;
}

bool CustomerListVM::passes(const Entry& e, const LocalReplica& replica, const CustomerFilter& f) const {
  if (!f.owner_id.empty() && e.owner_id != f.owner_id) return false;
  if (!f.region.empty() && e.region != f.region) return false;
  if (!f.tag_group.empty()) {
    const Customer* c = replica.customer(e.id);
    if (!c) return false;
    auto it = c->tags.find(f.tag_group);
    if (it == c->tags.end() || (!f.tag_value.empty() && it->second != f.tag_value)) return false;
  }
  return true;
}

void CustomerListVM::index_scan(const LocalReplica& replica, const CustomerFilter& f, const QueryMatcher& match,
                                const SearchIndex::Candidates& cand) {
  // Matching slots set bits at their display rank; reading the bits in order gives the hits sorted
  // without sorting (a list's slots are in no display order, and may repeat after edits).
  marks_.assign((order_.size() + 63) / 64, 0);
  if (cand.also_in) {
    in_second_.assign((entries_.size() + 63) / 64, 0);
    for (std::uint32_t s : *cand.also_in) in_second_[s >> 6] |= std::uint64_t{1} << (s & 63);
  }
  for (std::uint32_t s : *cand.slots) {
    if (cand.also_in && !(in_second_[s >> 6] >> (s & 63) & 1)) continue;  // lacks one of the grams
    const Entry& e = entries_[s];
    if (!e.live) continue;
    if (!(cand.exact && e.exact) && !match.in(key_of(e))) continue;
    if (!passes(e, replica, f)) continue;
    const std::uint32_t r = rank_[s];
    marks_[r >> 6] |= std::uint64_t{1} << (r & 63);
  }
  hits_.clear();
  for (std::size_t w = 0; w < marks_.size(); ++w)
    for (std::uint64_t bits = marks_[w]; bits; bits &= bits - 1)
      hits_.push_back(order_[w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits))]);
  last_used_index_ = true;
}

void CustomerListVM::full_scan(const LocalReplica& replica, const CustomerFilter& f, const std::string& norm) {
  hits_.clear();
  last_used_index_ = false;
  if (norm.empty()) {
    for (std::uint32_t s : order_)
      if (passes(entries_[s], replica, f)) hits_.push_back(s);
    last_scan_ = ListScan::FacetsOnly;
    return;
  }
  last_scan_ = ListScan::Full;
  const QueryMatcher match(norm);
  if (const auto cand = index_.candidates(norm); cand.slots) {
    index_scan(replica, f, match, cand);
    return;
  }
  // A query the index can't take (bytes that aren't UTF-8): every key.
  for (std::uint32_t s : order_)
    if (match.in(key_of(entries_[s])) && passes(entries_[s], replica, f)) hits_.push_back(s);
}

void CustomerListVM::narrow(const std::string& norm, const SearchIndex::Candidates& cand) {
  // Typing one more character: the new hits are a subset of the old ones, and their facets passed
  // already — only the text is checked. With many hits, a sieve of the slots in the query's two
  // shortest posting lists drops most of them with a bit test before any substring search.
  const bool sieve = cand.slots && hits_.size() > 256;
  if (sieve) {
    sieve_.assign((entries_.size() + 63) / 64, 0);
    if (cand.also_in) {
      in_second_.assign(sieve_.size(), 0);
      for (std::uint32_t s : *cand.also_in) in_second_[s >> 6] |= std::uint64_t{1} << (s & 63);
    }
    for (std::uint32_t s : *cand.slots)
      if (!cand.also_in || (in_second_[s >> 6] >> (s & 63) & 1)) sieve_[s >> 6] |= std::uint64_t{1} << (s & 63);
  }
  const QueryMatcher match(norm);
  std::size_t out = 0;
  for (std::uint32_t s : hits_) {
    if (sieve && !(sieve_[s >> 6] >> (s & 63) & 1)) continue;
    if (match.in(key_of(entries_[s]))) hits_[out++] = s;
  }
  hits_.resize(out);
  last_scan_ = ListScan::Narrowed;
  last_used_index_ = false;
}

void CustomerListVM::refresh(const LocalReplica& replica, const CustomerFilter& filter) {
  sync_from(replica);
  update_order();
  std::string norm = normalize_search_text(filter.query);
  const bool same_facets = filter.owner_id == last_filter_.owner_id && filter.region == last_filter_.region &&
                           filter.tag_group == last_filter_.tag_group && filter.tag_value == last_filter_.tag_value;
  // Background preparation, a slice per refresh — but not in the refresh that just rebuilt the list
  // (a cold start's first frame has enough to do).
  // While the replica still decodes a snapshot's customers (a slice per idle tick) the warming
  // waits for it, rather than make one frame decode them all.
  if (norm.empty() && !just_rebuilt_ && replica.deferred_customers() == 0) {
    warm_keys(replica, kWarmKeysPerRefresh);
    warm_slots(kWarmKeysPerRefresh * 4);
    warm_facets(replica, kWarmKeysPerRefresh * 4);
  }
  if (!filter.owner_id.empty() || !filter.region.empty()) warm_facets(replica, entries_.size());
  just_rebuilt_ = false;
  if (!hits_dirty_ && same_facets && norm == last_query_norm_) {
    last_scan_ = ListScan::None;
    return;
  }
  const bool same_data = !hits_dirty_ && same_facets;
  if (!same_data) steps_.clear();
  if (!norm.empty()) ensure_keys(replica);

  const bool extends = same_data && !last_query_norm_.empty() && norm.size() > last_query_norm_.size() &&
                       norm.find(last_query_norm_) != std::string::npos;
  if (extends) {
    // The narrowed result is every customer passing the facets whose key holds the new query — the
    // index gives the same set. It reads keys in slot order (the arena's), the hits come in display
    // order (a cache miss per key), so the index wins until its list is twice the hits.
    const auto cand = index_.candidates(norm);
    if (cand.slots && cand.slots->size() < 2 * hits_.size()) {
      index_scan(replica, filter, QueryMatcher(norm), cand);
      last_scan_ = ListScan::Narrowed;
    } else {
      narrow(norm, cand);
    }
  } else {
    // Backspace (or any edit back to an earlier query): the result typed through before, if any.
    auto back = std::find_if(steps_.rbegin(), steps_.rend(), [&](const Step& s) { return s.query == norm; });
    if (same_data && back != steps_.rend()) {
      hits_ = back->hits;
      steps_.erase(back.base(), steps_.end());
      last_scan_ = ListScan::Remembered;
      last_used_index_ = false;
    } else {
      full_scan(replica, filter, norm);
      steps_.clear();
    }
  }
  if (last_scan_ != ListScan::Remembered && !norm.empty()) {
    if (steps_.size() >= kMaxSteps) steps_.erase(steps_.begin());
    steps_.push_back({norm, hits_});
  }
  last_filter_ = filter;
  last_query_norm_ = std::move(norm);
  hits_dirty_ = false;
}

CustomerRow CustomerListVM::row(const LocalReplica& replica, std::size_t i) const {
  const Entry& e = entries_[hits_[i]];
  CustomerRow r;
  r.id = e.id;
  Customer scratch;
  if (const Customer* c = replica.peek_customer(e.id, e.hint, scratch)) {
    r.region = region_of(*c);
    r.owner_id = c->meta.owner_id;
    r.code = c->code;
    r.name = c->name;
    r.decision_maker = c->decision_maker;
    r.phone = c->phone;
  }
  return r;
}

const std::vector<std::string>& CustomerListVM::regions(const LocalReplica& replica) {
  warm_facets(replica, entries_.size());
  if (facets_dirty_) {
    regions_.clear();
    owners_.clear();
    for (const auto& [v, n] : region_count_)
      if (n > 0) regions_.push_back(v);
    for (const auto& [v, n] : owner_count_)
      if (n > 0) owners_.push_back(v);
    facets_dirty_ = false;
  }
  return regions_;
}

const std::vector<std::string>& CustomerListVM::owners(const LocalReplica& replica) {
  regions(replica);  // computes both
  return owners_;
}

}  // namespace cl::app

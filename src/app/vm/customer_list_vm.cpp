#include "app/vm/customer_list_vm.h"

#include <string.h>

#include <algorithm>
#include <set>

#include "app/vm/search_key.h"

namespace cl::app {
namespace {

constexpr std::size_t kMaxSteps = 32;  // Backspace memory: one step per typed character
// Keys built per refresh while nobody searches (about 2 ms in the browser): the second of frames
// after a start warms all 50k before the rep has found the search box.
constexpr std::size_t kWarmKeysPerRefresh = 1500;

std::string region_of(const Customer& c) {
  auto it = c.tags.find("region");
  return it == c.tags.end() ? std::string() : it->second;
}

}  // namespace

void CustomerListVM::rebuild(const LocalReplica& replica) {
  entries_.clear();
  slot_.clear();
  entries_.reserve(replica.customers().size());
  slot_.reserve(replica.customers().size());
  for (const auto& [id, c] : replica.customers()) {
    slot_[id] = static_cast<std::uint32_t>(entries_.size());
    entries_.push_back({id, {}, c.meta.owner_id, region_of(c), c.meta.updated_at, true});
  }
  keys_ready_ = false;  // built by warm_keys / the first search, not by a start that only lists
  warm_pos_ = 0;
  generation_ = replica.generation();
  journal_pos_ = replica.journal().size();
  changed();
}

void CustomerListVM::ensure_keys(const LocalReplica& replica) {
  if (keys_ready_) return;
  warm_pos_ = 0;
  warm_keys(replica, entries_.size());
}

void CustomerListVM::warm_keys(const LocalReplica& replica, std::size_t budget) {
  if (keys_ready_) return;
  for (; warm_pos_ < entries_.size() && budget > 0; ++warm_pos_) {
    Entry& e = entries_[warm_pos_];
    if (e.has_key) continue;
    const Customer* c = replica.customer(e.id);
    e.key = c ? customer_search_key(*c) : std::string();
    e.has_key = true;
    --budget;
  }
  if (warm_pos_ < entries_.size()) return;
  keys_ready_ = true;
  rebuild_arena();  // entries_ are sorted here (refresh sorts first): the arena is ready for a search
}

void CustomerListVM::sync_from(const LocalReplica& replica) {
  if (replica.revision() == seen_revision_) return;
  seen_revision_ = replica.revision();
  if (replica.generation() != generation_ || replica.journal().size() < journal_pos_) {
    rebuild(replica);
    return;
  }
  const auto& journal = replica.journal();
  // A huge backlog (first sync) is cheaper to rebuild than to patch entry by entry.
  if (journal.size() - journal_pos_ > replica.customers().size() / 2 + 1000) {
    rebuild(replica);
    return;
  }
  for (; journal_pos_ < journal.size(); ++journal_pos_) {
    const auto& j = journal[journal_pos_];
    if (j.kind != RecordKind::Customer) continue;
    const Customer* c = replica.customer(j.id);
    auto it = slot_.find(j.id);
    if (!c) {
      if (it != slot_.end() && entries_[it->second].live) {
        entries_[it->second].live = false;
        changed();
      }
      continue;
    }
    Entry e{j.id, keys_ready_ ? customer_search_key(*c) : std::string(), c->meta.owner_id, region_of(*c),
            c->meta.updated_at, true, keys_ready_};
    if (it == slot_.end()) {
      slot_[j.id] = static_cast<std::uint32_t>(entries_.size());
      entries_.push_back(std::move(e));
      changed();
      continue;
    }
    Entry& old = entries_[it->second];
    // The same record written again (a re-pulled page, an optimistic write rebased onto its own
    // result): nothing the list shows or searches changed, so keep the order, hits and arena.
    if (old.live && old.has_key == e.has_key && old.key == e.key && old.owner_id == e.owner_id &&
        old.region == e.region && old.updated_at == e.updated_at)
      continue;
    old = std::move(e);
    changed();
  }
}

void CustomerListVM::sort_entries() {
  // Drop erased entries, then most recently changed first (what a rep touched last is what they seek).
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [](const Entry& e) { return !e.live; }),
                 entries_.end());
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    if (a.updated_at != b.updated_at) return a.updated_at > b.updated_at;
    return a.id < b.id;
  });
  slot_.clear();
  for (std::size_t i = 0; i < entries_.size(); ++i) slot_[entries_[i].id] = static_cast<std::uint32_t>(i);
  order_dirty_ = false;
  hits_dirty_ = arena_dirty_ = true;
  warm_pos_ = 0;  // positions moved; entries that have keys are skipped quickly
}

void CustomerListVM::rebuild_arena() {
  std::size_t bytes = 0;
  for (const auto& e : entries_) bytes += e.key.size() + 1;
  arena_.clear();
  arena_.reserve(bytes);
  arena_offsets_.clear();
  arena_offsets_.reserve(entries_.size() + 1);
  for (const auto& e : entries_) {
    arena_offsets_.push_back(static_cast<std::uint32_t>(arena_.size()));
    arena_ += e.key;
    arena_.push_back('\x1e');
  }
  arena_offsets_.push_back(static_cast<std::uint32_t>(arena_.size()));
  arena_dirty_ = false;
}

void CustomerListVM::full_scan(const LocalReplica& replica, const CustomerFilter& f, const std::string& norm) {
  hits_.clear();
  const bool need_record = !f.tag_group.empty();
  auto accept_facets = [&](std::uint32_t i) {
    const Entry& e = entries_[i];
    return passes(e, need_record ? replica.customer(e.id) : nullptr, f);
  };
  if (norm.empty()) {
    for (std::uint32_t i = 0; i < entries_.size(); ++i)
      if (accept_facets(i)) hits_.push_back(i);
    last_scan_ = ListScan::FacetsOnly;
    return;
  }
  if (arena_dirty_) rebuild_arena();
  const char* base = arena_.data();
  std::size_t pos = 0;
  while (pos < arena_.size()) {
    const void* found = ::memmem(base + pos, arena_.size() - pos, norm.data(), norm.size());
    if (!found) break;
    const std::size_t at = static_cast<const char*>(found) - base;
    // The entry holding this match; queries never contain the separators, so a match is inside one key.
    auto it = std::upper_bound(arena_offsets_.begin(), arena_offsets_.end(), static_cast<std::uint32_t>(at));
    const auto i = static_cast<std::uint32_t>((it - arena_offsets_.begin()) - 1);
    if (accept_facets(i)) hits_.push_back(i);
    pos = arena_offsets_[i + 1];  // next record
  }
  last_scan_ = ListScan::Full;
}

void CustomerListVM::narrow(const std::string& norm) {
  // Typing one more character: the new hits are a subset of the old ones, and their facets passed
  // already — only the text is checked, in the arena (hits are in arena order: a forward sweep).
  if (arena_dirty_) rebuild_arena();
  const char* base = arena_.data();
  std::size_t out = 0;
  for (std::uint32_t i : hits_) {
    const std::uint32_t b = arena_offsets_[i], e = arena_offsets_[i + 1] - 1;  // without the separator
    if (::memmem(base + b, e - b, norm.data(), norm.size()) != nullptr) hits_[out++] = i;
  }
  hits_.resize(out);
  last_scan_ = ListScan::Narrowed;
}

bool CustomerListVM::passes(const Entry& e, const Customer* c, const CustomerFilter& f) const {
  if (!f.owner_id.empty() && e.owner_id != f.owner_id) return false;
  if (!f.region.empty() && e.region != f.region) return false;
  if (!f.tag_group.empty()) {
    if (!c) return false;
    auto it = c->tags.find(f.tag_group);
    if (it == c->tags.end() || (!f.tag_value.empty() && it->second != f.tag_value)) return false;
  }
  return true;
}

void CustomerListVM::refresh(const LocalReplica& replica, const CustomerFilter& filter) {
  sync_from(replica);
  if (order_dirty_) sort_entries();
  std::string norm = normalize_search_text(filter.query);
  const bool same_facets = filter.owner_id == last_filter_.owner_id && filter.region == last_filter_.region &&
                           filter.tag_group == last_filter_.tag_group && filter.tag_value == last_filter_.tag_value;
  if (norm.empty()) warm_keys(replica, kWarmKeysPerRefresh);
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
    narrow(norm);
  } else {
    // Backspace (or any edit back to an earlier query): the result typed through before, if any.
    auto back = std::find_if(steps_.rbegin(), steps_.rend(), [&](const Step& s) { return s.query == norm; });
    if (same_data && back != steps_.rend()) {
      hits_ = back->hits;
      steps_.erase(back.base(), steps_.end());
      last_scan_ = ListScan::Remembered;
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
  r.region = e.region;
  r.owner_id = e.owner_id;
  if (const Customer* c = replica.customer(e.id)) {
    r.code = c->code;
    r.name = c->name;
    r.decision_maker = c->decision_maker;
    r.phone = c->phone;
  }
  return r;
}

const std::vector<std::string>& CustomerListVM::regions() const {
  if (facets_dirty_) {
    std::set<std::string_view> r, o;
    for (const auto& e : entries_) {
      if (!e.live) continue;
      if (!e.region.empty()) r.insert(e.region);
      if (!e.owner_id.empty()) o.insert(e.owner_id);
    }
    regions_.assign(r.begin(), r.end());
    owners_.assign(o.begin(), o.end());
    facets_dirty_ = false;
  }
  return regions_;
}

const std::vector<std::string>& CustomerListVM::owners() const {
  regions();  // computes both
  return owners_;
}

}  // namespace cl::app

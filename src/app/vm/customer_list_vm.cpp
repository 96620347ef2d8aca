#include "app/vm/customer_list_vm.h"

#include <algorithm>
#include <set>

#include "app/vm/search_key.h"

#include <string.h>

namespace cl::app {
namespace {
std::string region_of(const Customer& c) {
  auto it = c.tags.find("region");
  return it == c.tags.end() ? std::string() : it->second;
}
}  // namespace

void CustomerListVM::rebuild(const LocalReplica& replica) {
  entries_.clear();
  slot_.clear();
  entries_.reserve(replica.customers().size());
  for (const auto& [id, c] : replica.customers()) {
    slot_[id] = entries_.size();
    entries_.push_back({id, customer_search_key(c), c.meta.owner_id, region_of(c), c.meta.updated_at, true});
  }
  generation_ = replica.generation();
  journal_pos_ = replica.journal().size();
  order_dirty_ = hits_dirty_ = arena_dirty_ = true;
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
      if (it != slot_.end()) { entries_[it->second].live = false; hits_dirty_ = order_dirty_ = arena_dirty_ = true; }
      continue;
    }
    Entry e{j.id, customer_search_key(*c), c->meta.owner_id, region_of(*c), c->meta.updated_at, true};
    if (it == slot_.end()) {
      slot_[j.id] = entries_.size();
      entries_.push_back(std::move(e));
    } else {
      entries_[it->second] = std::move(e);
    }
    hits_dirty_ = order_dirty_ = arena_dirty_ = true;
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
  for (std::size_t i = 0; i < entries_.size(); ++i) slot_[entries_[i].id] = i;
  order_dirty_ = false;
  hits_dirty_ = arena_dirty_ = true;
}

void CustomerListVM::rebuild_arena() {
  arena_.clear();
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
  bool same_facets = filter.owner_id == last_filter_.owner_id && filter.region == last_filter_.region &&
                     filter.tag_group == last_filter_.tag_group && filter.tag_value == last_filter_.tag_value;
  if (!hits_dirty_ && same_facets && norm == last_query_norm_) return;

  bool narrowing = !hits_dirty_ && same_facets && norm.find(last_query_norm_) != std::string::npos;
  bool need_record = !filter.tag_group.empty();
  auto accept = [&](std::uint32_t i) {
    const Entry& e = entries_[i];
    if (!search_key_matches(e.key, norm)) return false;
    return passes(e, need_record ? replica.customer(e.id) : nullptr, filter);
  };
  if (narrowing) {
    // Typing one more character: the new hits are a subset of the old ones.
    hits_.erase(std::remove_if(hits_.begin(), hits_.end(), [&](std::uint32_t i) { return !accept(i); }), hits_.end());
  } else {
    full_scan(replica, filter, norm);
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

std::vector<std::string> CustomerListVM::regions() const {
  std::set<std::string> s;
  for (const auto& e : entries_)
    if (e.live && !e.region.empty()) s.insert(e.region);
  return {s.begin(), s.end()};
}

std::vector<std::string> CustomerListVM::owners() const {
  std::set<std::string> s;
  for (const auto& e : entries_)
    if (e.live && !e.owner_id.empty()) s.insert(e.owner_id);
  return {s.begin(), s.end()};
}

}  // namespace cl::app

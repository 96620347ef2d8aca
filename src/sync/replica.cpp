// Replica page application and rebase (replica.h).
#include "sync/replica.h"

namespace cl::sync {

std::optional<StoredRecord> MapView::find(std::string_view type, const Id& id) const {
  auto it = records_.find(RecordKey{std::string(type), id});
  if (it != records_.end()) return it->second;
  return below_ ? below_->find(type, id) : std::nullopt;
}

Id MapView::team_of(const Id& user_id) const {
  auto it = user_teams_.find(user_id);
  if (it != user_teams_.end()) return it->second;
  return below_ ? below_->team_of(user_id) : Id();
}

std::optional<Id> MapView::customer_with_code(const std::string& code) const {
  for (const auto& [key, r] : records_)
    if (key.first == kTypeCustomer && !r.deleted && r.data.contains("code") && r.data["code"] == code) return r.id;
  return below_ ? below_->customer_with_code(code) : std::nullopt;
}

std::vector<RecordKey> Replica::apply_page(const PullResponse& page) {
  std::vector<RecordKey> changed;
  for (const auto& c : page.changes) {
    RecordKey key{c.type, c.id};
    if (c.deleted) {
      if (records_.erase(key)) changed.push_back(key);
      continue;
    }
    auto it = records_.find(key);
    // Versions only grow on the server; an older copy (a re-delivered page) never overwrites a newer one.
    if (it != records_.end() && it->second.version > c.version) continue;
    StoredRecord r;
    r.type = c.type;
    r.id = c.id;
    r.version = c.version;
    r.owner_id = c.record.contains("owner_id") && c.record["owner_id"].is_string() ? c.record["owner_id"].get<std::string>() : "";
    r.data = c.record;
    records_[key] = std::move(r);
    changed.push_back(std::move(key));
  }
  cursor_ = page.cursor;
  if (page.last_mid > last_mid_) last_mid_ = page.last_mid;
  return changed;
}

void Replica::reset() {
  records_.clear();
  cursor_.clear();
}

void Replica::restore(RecordMap records, std::string cursor, std::int64_t last_mid) {
  records_ = std::move(records);
  cursor_ = std::move(cursor);
  last_mid_ = last_mid;
}

std::vector<StoredRecord> Replica::of_type(std::string_view type) const {
  std::vector<StoredRecord> out;
  for (auto it = records_.lower_bound(RecordKey{std::string(type), Id()}); it != records_.end() && it->first.first == type; ++it)
    out.push_back(it->second);
  return out;
}

RebaseResult rebase(const RecordMap& base, const std::vector<Mutation>& pending, const Actor& actor,
                    const std::map<Id, Id>& user_teams, const Settings& settings, Instant now) {
  RebaseResult out;
  out.records = base;
  for (const auto& m : pending) {
    MapView view(out.records, user_teams);
    auto r = apply_mutation(m, actor, view, settings, now);
    if (!r.ok()) {
      out.local_rejections[m.mid] = r.problems;
      continue;
    }
    if (!r.value.conflicts.empty()) out.local_conflicts[m.mid] = r.value.conflicts;
    for (auto& w : r.value.writes) {
      RecordKey key{w.type, w.id};
      if (w.deleted) out.records.erase(key);
      else out.records[key] = std::move(w);
    }
  }
  return out;
}

}  // namespace cl::sync

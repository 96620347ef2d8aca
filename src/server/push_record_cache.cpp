#include "server/push_record_cache.h"

#include "server/customer_match_keys.h"
#include "server/json_parse.h"

namespace cl::server {

using sync::Json;

void PushRecordCache::set_key(std::string_view type, const Id& id) const {
  key_.assign(type);
  key_.push_back('\0');
  key_.append(id);
}

PushRecordCache::Entry& PushRecordCache::entry(std::string_view type, const Id& id) const {
  set_key(type, id);
  auto it = records_.find(key_);
  if (it != records_.end()) return it->second;
  Entry e;
  std::optional<RecordRow> row;
  lane_.call([&] { row = store_.get_record(std::string(type), id); });
  if (row) {
    // Aggregate initialisation: `data` starts null (parsed on demand) instead of an empty object.
    e.record = sync::StoredRecord{std::move(row->type), std::move(row->id), std::move(row->owner_id), row->version,
                                  row->deleted, nullptr, {}};
    e.body = std::move(row->body);
    e.parsed = false;
    e.team = std::move(row->team_id);
  }
  return records_.emplace(key_, std::move(e)).first->second;
}

const Json& PushRecordCache::data_of(Entry& e) {
  if (!e.parsed) {
    e.record->data = parse_json_text(e.body);
    if (e.record->data.is_discarded()) e.record->data = Json::object();
    e.body = std::string();
    e.parsed = true;
  }
  return e.record->data;
}

std::optional<sync::StoredRecord> PushRecordCache::find(std::string_view type, const Id& id) const {
  Entry& e = entry(type, id);
  if (!e.record) return std::nullopt;
  data_of(e);
  return e.record;
}

bool PushRecordCache::visit(std::string_view type, const Id& id,
                            const std::function<void(const sync::StoredRecord&)>& read) const {
  Entry& e = entry(type, id);
  if (!e.record) return false;
  data_of(e);
  read(*e.record);  // entries are nodes of records_: the reference survives look-ups `read` makes
  return true;
}

std::optional<sync::StoredRecord> PushRecordCache::find_meta(std::string_view type, const Id& id) const {
  if (!assumed_.empty()) {
    set_key(type, id);
    if (key_ == assumed_ && records_.find(key_) == records_.end()) return std::nullopt;
  }
  const Entry& e = entry(type, id);
  if (!e.record) return std::nullopt;
  return sync::StoredRecord{e.record->type, e.record->id, e.record->owner_id, e.record->version, e.record->deleted, nullptr, {}};
}

Id PushRecordCache::team_of(const Id& user_id) const {
  auto it = teams_.find(user_id);
  if (it != teams_.end()) return it->second;
  Id team;
  lane_.call([&] {
    if (auto u = store_.find_user(user_id)) team = u->user.team_id;
  });
  teams_.emplace(user_id, team);
  return team;
}

std::optional<Id> PushRecordCache::customer_with_code(const std::string& code) const {
  if (!db_) return std::nullopt;
  std::optional<Id> out;
  lane_.call([&] { out = server::customer_with_code(*db_, code); });
  return out;
}

std::optional<std::pair<Id, Id>> PushRecordCache::owner_and_team(const std::string& type, const Id& id) const {
  const Entry& e = entry(type, id);
  if (!e.record) return std::nullopt;
  return std::pair<Id, Id>{e.record->owner_id, e.team};
}

void PushRecordCache::wrote(sync::StoredRecord&& w, const Id& team) {
  set_key(w.type, w.id);
  auto it = records_.find(key_);  // apply_mutation read it first: normally there
  if (w.data.is_null()) {  // came as text (store_for)
    if (it != records_.end()) records_.erase(it);
    return;
  }
  Entry e{std::move(w), std::string(), true, team};
  if (it != records_.end()) it->second = std::move(e);
  else records_.emplace(key_, std::move(e));
}

bool PushRecordCache::match_fields_unchanged(const sync::StoredRecord& w) const {
  if (w.type != sync::kTypeCustomer || w.deleted) return false;
  set_key(w.type, w.id);
  auto it = records_.find(key_);
  if (it == records_.end() || !it->second.record || it->second.record->deleted) return false;
  const Json& before = data_of(it->second);
  for (const char* field : {"name", "phone", "contacts", "code"}) {
    auto a = before.find(field), b = w.data.find(field);
    const bool in_a = a != before.end(), in_b = b != w.data.end();
    if (in_a != in_b || (in_a && *a != *b)) return false;
  }
  return true;
}

void PushRecordCache::assume_absent(std::string_view type, const Id& id) {
  set_key(type, id);
  assumed_ = key_;
}

}  // namespace cl::server

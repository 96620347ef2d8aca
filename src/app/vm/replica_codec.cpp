#include "app/vm/replica_codec.h"

#include "core/codec.h"

namespace cl::app {
namespace {

template <class T>
Problems decode_into(LocalReplica& replica, const sync::Json& data) {
  Result<T> r = decode<T>(data);
  if (!r.ok()) return r.problems;
  replica.upsert(std::move(r.value));
  return {};
}

Problems upsert_json(LocalReplica& replica, RecordKind kind, const sync::Json& data) {
  switch (kind) {
    case RecordKind::Customer: return decode_into<Customer>(replica, data);
    case RecordKind::Opportunity: return decode_into<Opportunity>(replica, data);
    case RecordKind::Activity: return decode_into<Activity>(replica, data);
    case RecordKind::Lead: return decode_into<Lead>(replica, data);
    case RecordKind::Quote: return decode_into<Quote>(replica, data);
    case RecordKind::Invoice: return decode_into<Invoice>(replica, data);
    case RecordKind::Payment: return decode_into<Payment>(replica, data);
  }
  return {};
}

template <class T>
sync::StoredRecord stored(std::string_view type, const T& rec) {
  sync::StoredRecord s;
  s.type = std::string(type);
  s.id = rec.meta.id;
  s.owner_id = rec.meta.owner_id;
  s.version = rec.meta.version;
  s.deleted = rec.meta.deleted;
  s.data = encode(rec);
  return s;
}

}  // namespace

Problems apply_record_json(LocalReplica& replica, RecordKind kind, const sync::Json& record) {
  return upsert_json(replica, kind, record);
}

Problems apply_change(LocalReplica& replica, const sync::Change& change) {
  RecordKind kind;
  if (!parse_record_kind(change.type, kind)) return {};
  if (change.deleted) {
    replica.erase(kind, change.id);
    return {};
  }
  return upsert_json(replica, kind, change.record);
}

Problems apply_stored(LocalReplica& replica, const sync::StoredRecord& rec) {
  RecordKind kind;
  if (!parse_record_kind(rec.type, kind)) return {};
  if (rec.deleted) {
    replica.erase(kind, rec.id);
    return {};
  }
  return upsert_json(replica, kind, rec.data);
}

std::optional<sync::StoredRecord> stored_record(const LocalReplica& r, std::string_view type, const Id& id) {
  RecordKind kind;
  if (!parse_record_kind(type, kind)) return std::nullopt;
  switch (kind) {
    case RecordKind::Customer: if (auto* x = r.customer(id)) return stored(type, *x); break;
    case RecordKind::Opportunity: if (auto* x = r.opportunity(id)) return stored(type, *x); break;
    case RecordKind::Activity: if (auto* x = r.activity(id)) return stored(type, *x); break;
    case RecordKind::Lead: if (auto* x = r.lead(id)) return stored(type, *x); break;
    case RecordKind::Quote: if (auto* x = r.quote(id)) return stored(type, *x); break;
    case RecordKind::Invoice: {
      auto it = r.invoices().find(id);
      if (it != r.invoices().end()) return stored(type, it->second);
      break;
    }
    case RecordKind::Payment: {
      auto it = r.payments().find(id);
      if (it != r.payments().end()) return stored(type, it->second);
      break;
    }
  }
  return std::nullopt;
}

std::optional<sync::StoredRecord> ReplicaView::find(std::string_view type, const Id& id) const {
  return stored_record(replica_, type, id);
}

Id ReplicaView::team_of(const Id& user_id) const {
  auto it = teams_.find(user_id);
  return it == teams_.end() ? Id() : it->second;
}

std::optional<Id> ReplicaView::customer_with_code(const std::string& code) const {
  if (const Id* id = replica_.customer_id_by_code(code)) return *id;
  return std::nullopt;
}

}  // namespace cl::app

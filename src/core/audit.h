// R30 audit trail: "who changed what and when". Field-level changes between two versions of a
// record are computed from their JSON (codec.h), so every entity gets the same paths the API uses:
// "phone", "tags.region", "contacts[0].phone", "lines[2].discount_bp".
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/codec.h"
#include "core/model.h"

namespace cl {

// Changes from `before` to `after`. Objects are compared key by key (sorted), arrays of equal length
// element by element, arrays of different length as one change of the whole array. Bookkeeping keys
// (updated_at, version, schema_version) are not changes anyone made. Text values appear as-is,
// other values as compact JSON, absent/null as "".
std::vector<FieldChange> diff_json(const nlohmann::json& before, const nlohmann::json& after);

template <class T>
std::vector<FieldChange> diff_records(const T& before, const T& after) {
  return diff_json(encode(before), encode(after));
}

// An "update" audit event for an edit (empty changes → the caller may skip storing it).
template <class T>
AuditEvent audit_update(const T& before, const T& after, const std::string& entity_type, const Id& entity_id,
                        const Id& actor_id, Instant at, const Id& audit_id) {
  AuditEvent e;
  e.id = audit_id;
  e.at = at;
  e.actor_id = actor_id;
  e.entity_type = entity_type;
  e.entity_id = entity_id;
  e.action = "update";
  e.changes = diff_records(before, after);
  return e;
}

// A "create" event lists every non-empty field of the new record as a change from "".
template <class T>
AuditEvent audit_create(const T& record, const std::string& entity_type, const Id& entity_id, const Id& actor_id,
                        Instant at, const Id& audit_id) {
  AuditEvent e = audit_update(T{}, record, entity_type, entity_id, actor_id, at, audit_id);
  e.action = "create";
  return e;
}

}  // namespace cl

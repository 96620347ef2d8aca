// What apply_mutation may read: the caller (Actor) and the current state of the records a mutation
// touches (RecordView). The server implements RecordView over SQLite inside the push transaction; the
// browser over its local replica (optimistic apply), so both run the very same rules (R32).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"
#include "sync/wire.h"

namespace cl::sync {

struct Actor {
  Id user_id;
  Role role = Role::Rep;
  Id team_id;
};

// One replicated record as stored: the record JSON (core/codec.h shape, RecordMeta flattened) plus the
// columns the store indexes. `version` is bumped by every accepted change (R32 conflict rule).
struct StoredRecord {
  std::string type;   // kTypeCustomer, …
  Id id;
  Id owner_id;
  std::int64_t version = 0;
  bool deleted = false;
  Json data = Json::object();
  friend bool operator==(const StoredRecord&, const StoredRecord&) = default;
};

class RecordView {
 public:
  virtual ~RecordView() = default;
  // The record whatever its scope (apply_mutation decides what the actor may see); nullopt if absent.
  virtual std::optional<StoredRecord> find(std::string_view type, const Id& id) const = 0;
  // The team an owner belongs to ("" if unknown) — R33: a manager's scope is the team.
  virtual Id team_of(const Id& user_id) const = 0;
  // R5: another live customer with this code (customer codes are unique). Default: unknown → none.
  virtual std::optional<Id> customer_with_code(const std::string& /*code*/) const { return std::nullopt; }
};

// R33: rep = own records, manager = the team's (owner in the team, or the manager himself), admin = all.
inline bool actor_may_touch(const Actor& actor, const Id& owner_id, const RecordView& view) {
  switch (actor.role) {
    case Role::Admin: return true;
    case Role::Manager:
      return owner_id == actor.user_id || (!actor.team_id.empty() && view.team_of(owner_id) == actor.team_id);
    case Role::Rep: return owner_id == actor.user_id;
  }
  return false;
}

}  // namespace cl::sync

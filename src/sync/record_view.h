// What apply_mutation may read: the caller (Actor) and the current state of the records a mutation
// touches (RecordView). The server implements RecordView over SQLite inside the push transaction; the
// browser over its local replica (optimistic apply), so both run the very same rules (R32).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  // The record as JSON text instead, when the rules wrote it for a view that keeps text
  // (RecordView::keeps_text): `data` is then null. Empty otherwise.
  std::string text;
  friend bool operator==(const StoredRecord&, const StoredRecord&) = default;
};

// R5: an existing customer a new one would duplicate (core dedup.h: same phone or same normalised
// name), with its owner, so the rule can decide what the caller may be told about it (R33).
struct CustomerDuplicate {
  Id id;
  std::string code, name;
  Id owner_id;
  std::string owner_name;   // display name when the view knows it
  std::string reason;       // "same_phone" | "same_name"
};

class RecordView {
 public:
  virtual ~RecordView() = default;
  // The record whatever its scope (apply_mutation decides what the actor may see); nullopt if absent.
  virtual std::optional<StoredRecord> find(std::string_view type, const Id& id) const = 0;
  // The same record without its JSON (`data` left null): for existence and scope checks, which a push
  // makes for every linked record (the customer of each logged activity) and should not deep-copy.
  virtual std::optional<StoredRecord> find_meta(std::string_view type, const Id& id) const {
    auto r = find(type, id);
    if (r) r->data = nullptr;
    return r;
  }
  // Lends the record (with its JSON) to `read` for the length of the call; false, and no call, if
  // absent. A view that holds its records (the server's push cache) lends its own instead of the copy
  // find makes: a rule that decodes a record and never keeps its tree (load, mutation_support.h)
  // skips a deep copy per mutation. `read` must not write through the view.
  virtual bool visit(std::string_view type, const Id& id, const std::function<void(const StoredRecord&)>& read) const {
    auto r = find(type, id);
    if (!r) return false;
    read(*r);
    return true;
  }
  // The team an owner belongs to ("" if unknown) — R33: a manager's scope is the team.
  virtual Id team_of(const Id& user_id) const = 0;
  // R5: another live customer with this code (customer codes are unique). Default: unknown → none.
  virtual std::optional<Id> customer_with_code(const std::string& /*code*/) const { return std::nullopt; }

  // The defaults below are a replica's answers: it holds only its own scope and knows little of the
  // company, so the rules stay optimistic there and the server (which overrides them) decides.

  // R33: the team that may act on a record nobody owns yet (an unassigned lead: the importing team;
  // "" = no team, admins only). nullopt = unknown here: a replica only holds records of its scope.
  virtual std::optional<Id> team_of_unowned(std::string_view /*type*/, const Id& /*id*/) const { return std::nullopt; }
  // R5: customers company-wide that `candidate` duplicates. A replica returns none (the app warns
  // with core dedup.h over its own scope before saving); the server checks the whole company.
  virtual std::vector<CustomerDuplicate> customer_duplicates(const Customer& /*candidate*/) const { return {}; }
  // R5: the number of the device pushing (new customer codes must carry it: core ids.h
  // "KH-<device>-<seq>"). nullopt = not checked here; 0 = the device never registered.
  virtual std::optional<std::uint32_t> pushing_device() const { return std::nullopt; }
  // Users, for assignments (R1). knows_users() false = unknown here (the server decides).
  virtual bool knows_users() const { return false; }
  virtual std::optional<User> find_user(const Id& /*id*/) const { return std::nullopt; }
  // The shared catalog ("product", "price_list": no owner, everyone reads it) for rules that price
  // things (R20 quotes). nullopt = not known here: a replica keeps the client's prices optimistically.
  virtual std::optional<std::vector<StoredRecord>> catalog(std::string_view /*type*/) const { return std::nullopt; }
  // Whether the store behind the view keeps records as JSON text and so would rather have a write as
  // text than as a tree it would only dump and free (StoredRecord::text). Only the server's push says
  // yes, and only the hot writes use it (a new activity: 80 % of a push); a replica wants trees.
  virtual bool keeps_text() const { return false; }
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

// R33 for an existing record: its owner decides (above). A record nobody owns yet (an unassigned
// lead) belongs to the team the server keeps for it: that team's manager and admins may act on it,
// reps may not (they get leads by assignment).
inline bool actor_may_touch_record(const Actor& actor, const StoredRecord& r, const RecordView& view) {
  if (!r.owner_id.empty()) return actor_may_touch(actor, r.owner_id, view);
  switch (actor.role) {
    case Role::Admin: return true;
    case Role::Manager: {
      const auto team = view.team_of_unowned(r.type, r.id);
      return !team || (!actor.team_id.empty() && *team == actor.team_id);
    }
    case Role::Rep: return false;
  }
  return false;
}

}  // namespace cl::sync

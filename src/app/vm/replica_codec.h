// The bridge between the sync wire (JSON records, core/codec.h shape) and the typed LocalReplica:
// pulled Changes and apply_mutation's writes go in through here, and apply_mutation reads the
// replica through ReplicaView — so the browser runs the very same mutation code as the server (R32).
#pragma once

#include <optional>

#include "app/vm/local_replica.h"
#include "core/problem.h"
#include "sync/record_view.h"
#include "sync/wire.h"

namespace cl::app {

// Upsert or remove (tombstone / scope removal) one pulled change. Unknown types are ignored (a newer
// server may replicate kinds this client does not show); undecodable records are reported.
Problems apply_change(LocalReplica& replica, const sync::Change& change);
// The JSON record of an upsert of `kind` (core's codec decodes it); undecodable records are reported.
Problems apply_record_json(LocalReplica& replica, RecordKind kind, const sync::Json& record);
// One record written by apply_mutation (optimistic apply).
Problems apply_stored(LocalReplica& replica, const sync::StoredRecord& rec);

// The record as a StoredRecord (JSON via core/codec.h), or nullopt when absent.
std::optional<sync::StoredRecord> stored_record(const LocalReplica& replica, std::string_view type, const Id& id);

// Read-only view for apply_mutation. team_of is answered from a small user→team map the app learns
// from the session (a rep's own team); unknown users answer "".
class ReplicaView : public sync::RecordView {
 public:
  explicit ReplicaView(const LocalReplica& replica) : replica_(replica) {}
  std::optional<sync::StoredRecord> find(std::string_view type, const Id& id) const override;
  Id team_of(const Id& user_id) const override;
  std::optional<Id> customer_with_code(const std::string& code) const override;
  void set_team(const Id& user_id, const Id& team_id) { teams_[user_id] = team_id; }

 private:
  const LocalReplica& replica_;
  std::unordered_map<Id, Id> teams_;
};

}  // namespace cl::app

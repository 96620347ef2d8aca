// Sync conflicts the user resolves (R32, docs/SYNC_PROTOCOL.md "Conflicts — the rule"): when the
// server kept its value for a guarded field (stage, money, owner, status) the user sees both values
// and chooses — keep the server's value, or re-apply theirs on top of the current record. Money and
// owner are re-applied as a new *.update whose `base` is the server's value (so it is not a conflict
// again); a stage is re-done on the opportunity card (moving back needs a reason, advancing needs
// evidence — R10), so the screen opens the card for it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "app/vm/local_replica.h"
#include "core/model.h"
#include "core/problem.h"
#include "sync/wire.h"

namespace cl::app {

class SyncClient;

enum class ReapplyKind {
  Update,     // re-send the field as *.update with base = the server's value
  MoveBack,   // the user's stage is earlier: move back on the card (reason required)
  Advance,    // the user's stage is later: advance on the card (evidence required)
  None,       // nothing to re-apply (e.g. the opportunity was closed meanwhile): keep only
};

struct ConflictRow {
  std::size_t index = 0;         // into SyncClient::conflicts()
  sync::Conflict conflict;
  std::string record_title;      // customer name / opportunity title from the replica ("" if gone)
  bool record_present = false;
  ReapplyKind reapply = ReapplyKind::None;
  int server_stage = -1, mine_stage = -1;   // for field "stage"
};

// The server_kept conflicts, newest last, with what re-applying means for each.
std::vector<ConflictRow> conflict_rows(const SyncClient& sync, const LocalReplica& replica);

// "Keep the server's value": the conflict leaves the list (nothing is sent).
bool keep_server_value(SyncClient& sync, std::size_t index);

// "Re-apply mine" for ReapplyKind::Update: queues the update on the current record version and
// removes the conflict. Refused (with problems) when the record is gone or the kind is not Update.
Result<std::int64_t> reapply_update(SyncClient& sync, const LocalReplica& replica, std::size_t index, Instant now);

}  // namespace cl::app

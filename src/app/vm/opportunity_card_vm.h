// Opportunity card (R9, R10, R12): the five-stage bar, the evidence attached for the current stage,
// the advance action — refused without evidence, with the reason — and, after a move, the stage
// summary for the customer with a copy button. Evidence bytes are hashed here (core/sha256.h) and
// handed to the sync client, which uploads them before the mutation that references them.
#pragma once

#include <string>
#include <vector>

#include "app/vm/intents.h"
#include "app/vm/local_replica.h"
#include "core/model.h"
#include "core/problem.h"

namespace cl::app {

class SyncClient;
struct PendingEvidence;

enum class StageState { Done, Current, Todo };

struct StageCell {
  int index = 0;
  std::string name_zh, name_en;
  StageState state = StageState::Todo;
  Instant dwell_ms = 0;          // total time spent in this stage so far
};

struct AttachedFile {
  std::string sha256, file_name, mime_type, kind;
  std::int64_t size_bytes = 0;
};

class OpportunityCardVM {
 public:
  // Rebuilds the view from the replica (cheap; call every frame the card is shown).
  void load(const LocalReplica& replica, const Settings& settings, const Id& opportunity_id, Instant now);

  bool found() const { return found_; }
  const Opportunity& opportunity() const { return opp_; }
  const std::string& customer_name() const { return customer_name_; }
  const std::vector<StageCell>& stages() const { return stages_; }
  int current_stage() const { return current_; }
  bool is_last_stage() const { return current_ + 1 >= static_cast<int>(stages_.size()); }
  bool can_advance() const { return found_ && opp_.status == OpportunityStatus::Open && !is_last_stage(); }
  // R10: the evidence kinds that satisfy the gate to leave the current stage.
  const std::vector<std::string>& evidence_kinds() const { return evidence_kinds_; }
  const std::vector<EvidenceRef>& recorded_evidence() const { return recorded_evidence_; }  // already on the record

  // Files picked for the next advance (not yet queued).
  const std::vector<AttachedFile>& attached() const { return attached_; }
  void handle(const AttachEvidence& intent, Instant now);
  void handle(const RemoveEvidence& intent);

  // R10: queue opportunity.advance with the attached files; refused without evidence (the reason is in
  // problems()). On success the R12 summary is ready in summary_text().
  bool handle(const AdvanceStage&, const LocalReplica& replica, SyncClient& sync, const Id& user_id,
              const std::string& rep_name, Instant now);
  // R10: back to an earlier stage with a reason (refused here, with the reason, when either is
  // missing). No R12 customer summary for a step back (the template announces progress).
  bool handle(const MoveBackStage& intent, const LocalReplica& replica, SyncClient& sync, const std::string& rep_name,
              Instant now);
  bool can_move_back() const { return found_ && opp_.status == OpportunityStatus::Open && current_ > 0; }
  // The move-back panel's state (the screen binds to it; a conflict's "re-apply mine" presets it).
  int move_back_to = -1;          // -1 = panel closed
  std::string move_back_reason;
  // Open the move-back panel on card `id` with `to_stage` chosen (the next load of that card keeps it).
  void open_move_back(const Id& id, int to_stage);
  // The expected amount, sent as opportunity.update with base = the amount shown (conflict rule).
  bool handle(const UpdateExpectedAmount& intent, SyncClient& sync, Instant now);

  const Problems& problems() const { return problems_; }
  // R12: the stage summary of the latest stage change ("" before any change).
  const std::string& summary_text() const { return summary_; }

 private:
  Id loaded_id_;
  Id preset_id_;
  int preset_to_ = -1;
  bool found_ = false;
  Opportunity opp_;
  Settings settings_;
  std::string customer_name_;
  std::vector<StageCell> stages_;
  int current_ = 0;
  std::vector<std::string> evidence_kinds_;
  std::vector<EvidenceRef> recorded_evidence_;
  std::vector<AttachedFile> attached_;
  std::vector<std::string> attached_bytes_;  // parallel to attached_
  Problems problems_;
  std::string summary_;
  int summary_stage_ = -1;   // the stage the summary announced
};

// Opportunities list for the rep (open first, then by expected amount).
struct OpportunityRow {
  Id id;
  std::string title, customer_name;
  int stage = 0;
  std::string stage_name_zh, stage_name_en;
  Money expected_amount;
  OpportunityStatus status = OpportunityStatus::Open;
};
std::vector<OpportunityRow> opportunity_rows(const LocalReplica& replica, const Settings& settings,
                                             const Id& owner_filter /* "" = all in the replica */);

}  // namespace cl::app

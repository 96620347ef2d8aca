// R9/R10 the opportunity stage machine; R30 every transition is an audit event.
//
// Rules (Settings::stages, default the five of R9):
//   - an opportunity opens at stage 0 (open_opportunity);
//   - advance() moves from stage k to k+1 only when the CURRENT stay holds evidence of one of stage
//     k's evidence_kinds (R10: the file proves stage k's work is done). Evidence passed to advance()
//     is attached first, so "attach and advance" is one tap. A stage with no kinds configured still
//     needs some evidence file — a gate-less move is never allowed;
//   - no skipping: move_to_stage(k+2) is refused with stage_skip_refused;
//   - move_back(to) to any earlier stage needs a non-blank reason; the new stay starts without
//     evidence (things changed, so the proof is needed again — re-attaching the same file is fine);
//   - WON is defined as completing the last stage: advance() from the last stage with its evidence
//     (default: the 银行回单 of the first payment) closes the opportunity as won. mark_won() is the
//     same move with an explicit reason. There is no other way to win;
//   - LOST: mark_lost(reason) from any stage, reason required;
//   - closed opportunities refuse every move (opportunity_closed); reopen() makes a lost one open
//     again at the stage it was lost in, with a reason.
// Evidence references are checked: sha256 is 64 lowercase hex, kind and file name non-empty,
// size > 0. Each successful call returns the new opportunity AND its audit event; the caller stores
// both (the audit id comes from the caller, core has no randomness).
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl {

struct StageContext {
  Id actor_id;      // who does it (rep or manager)
  Instant now = 0;  // when
  Id audit_id;      // id for the AuditEvent (uuid_v7 from the caller)
};

struct StageTransition {
  Opportunity opportunity;
  AuditEvent audit;
};

// A draft (meta.id, customer_id, title, amount… filled by the caller) becomes an open opportunity
// at stage 0, entered now by the actor.
Result<StageTransition> open_opportunity(Opportunity draft, const StageContext& ctx, const Settings& settings);

// Adds evidence to the current stay without moving (the rep uploads the PDF first, advances later).
Result<StageTransition> attach_evidence(const Opportunity& opp, const std::vector<EvidenceRef>& evidence,
                                        const StageContext& ctx, const Settings& settings);

Result<StageTransition> advance(const Opportunity& opp, const std::vector<EvidenceRef>& evidence,
                                const StageContext& ctx, const Settings& settings);

Result<StageTransition> move_back(const Opportunity& opp, int to_stage, const std::string& reason,
                                  const StageContext& ctx, const Settings& settings);

// Dispatches a requested target stage: current+1 → advance, earlier → move_back (reason needed),
// further ahead → stage_skip_refused, same stage → no_change.
Result<StageTransition> move_to_stage(const Opportunity& opp, int target_stage, const std::vector<EvidenceRef>& evidence,
                                      const std::string& reason, const StageContext& ctx, const Settings& settings);

Result<StageTransition> mark_won(const Opportunity& opp, const std::vector<EvidenceRef>& evidence,
                                 const std::string& reason, const StageContext& ctx, const Settings& settings);
Result<StageTransition> mark_lost(const Opportunity& opp, const std::string& reason, const StageContext& ctx,
                                  const Settings& settings);
Result<StageTransition> reopen(const Opportunity& opp, const std::string& reason, const StageContext& ctx,
                               const Settings& settings);

// Problems with one evidence reference (field prefix e.g. "evidence[0]").
// (The hash format check is sha256.h's is_sha256_hex.)
Problems validate_evidence(const EvidenceRef& e, const std::string& field_prefix);

// Does the current stay hold evidence that satisfies its stage's gate?
bool stage_gate_satisfied(const Opportunity& opp, const Settings& settings);

// Index of the current stage (stages.back().stage), -1 when the opportunity has no history.
int current_stage(const Opportunity& opp);

}  // namespace cl

// R11 stall detection as a pure function of (opportunities, people, settings, now).
//
// Policy, per stay in a stage (StageVisit), never more than these two messages:
//   level 1 → the opportunity's owner, once the stay is older than the stage's stall_hours
//             (default 48 h, per stage);
//   level 2 → the owner's team manager (Team::manager_id; active admins if the team has none),
//             once escalation_hours (default 24 h) have passed since level 1 was SENT, if the stay
//             is still current and nobody acknowledged it.
// An acknowledgement (by the owner or the manager) stops level 2; a stage change starts a new stay
// with fresh counters. The caller applies the returned updates (StageVisit.level1_sent_at /
// level2_sent_at) in the same transaction as storing the reminders, so a rerun never sends again;
// dedupe keys "stall:<opportunity id>:<stay index>:<level>" make a duplicate run harmless even then.
// Reminder ids equal their dedupe keys: the server and an offline client compute the same record.
#pragma once

#include <vector>

#include "core/model.h"
#include "core/problem.h"
#include "core/stage_machine.h"

namespace cl {

struct StallUpdate {
  Id opportunity_id;
  size_t stay_index = 0;  // index into Opportunity::stages
  int level = 1;          // 1 or 2
  Instant sent_at = 0;    // write into level1_sent_at / level2_sent_at
};

struct StallRun {
  std::vector<Reminder> reminders;
  std::vector<StallUpdate> updates;
};

StallRun due_stall_reminders(const std::vector<Opportunity>& opportunities, const std::vector<User>& users,
                             const std::vector<Team>& teams, const Settings& settings, Instant now);

// Writes one update into the opportunity (no-op if it no longer applies).
void apply_stall_update(Opportunity& opp, const StallUpdate& update);

// Stalled = open, and the current stay is older than its stage's threshold.
bool is_stalled(const Opportunity& opp, const Settings& settings, Instant now);
// When the current stay becomes (or became) stalled; 0 if the opportunity is closed or has no stay.
Instant stall_due_at(const Opportunity& opp, const Settings& settings);

// Records "I've seen it" on the current stay (stops escalation). Refused when there is nothing to
// acknowledge (no level-1 reminder yet) or it was already acknowledged. Audit action "acknowledge_stall".
Result<StageTransition> acknowledge_stall(const Opportunity& opp, const StageContext& ctx);

}  // namespace cl

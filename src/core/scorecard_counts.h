// R29: the raw counts behind the ten scorecard indicators. Both ways of counting — over the full
// records (scorecard.cpp) and over the compact ScorecardFacts (scorecard_facts.cpp) — fill this and
// share one assembly step, so the texts, targets and pass rules cannot drift apart between them.
#pragma once

#include <cstdint>

#include "core/scorecard.h"

namespace cl {

struct ScorecardCounts {
  struct Ratio {
    std::int64_t num = 0, den = 0;
  };
  Ratio first_contact;   // #1 contacted within 24 h / created in the period
  Ratio evidence;        // #2 evidenced stage changes / stage changes
  Ratio objective_days;  // #3 rep-days with an objective action / rep-days with activity
  Ratio repurchase;      // #4 signed again in 6 months / deal before the cutoff
  Ratio managed_open;    // #6 open opportunities visible to a manager / open opportunities
  Ratio hires;           // #8 (only when manual.hired_at is given) completed / past day 30
  std::int64_t touches = 0, reps = 0;           // #9 distinct (rep, week, customer), active reps
  std::int64_t moved = 0, left_behind = 0;      // #10
  bool anyone_left = false;                     // #10 some user is inactive
};

// The activity kinds #1 counts as a first contact and #9 as an effective touch (scorecard.cpp).
bool scorecard_outbound(ActivityKind k);
bool scorecard_effective_touch(ActivityKind k);

Scorecard assemble_scorecard(const ScorecardCounts& counts, const ScorecardManualInputs& manual, int period_days);

}  // namespace cl

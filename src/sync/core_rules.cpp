// Adapters from sync to core's rules (core_rules.h).
#include "sync/core_rules.h"

#include "core/customer_validation.h"
#include "core/stage_machine.h"

namespace cl::sync {

namespace {

// Core has no randomness; the audit id only needs to be unique per transition, and the server
// replaces the event with its own row anyway.
StageContext context(const Opportunity& o, const Id& by, Instant now) {
  return StageContext{by, now, "sync:" + o.meta.id + ":" + std::to_string(o.meta.version + 1)};
}

Result<Opportunity> unwrap(Result<StageTransition> r) {
  if (!r.ok()) return Result<Opportunity>::failure(std::move(r.problems));
  return Result<Opportunity>::success(std::move(r.value.opportunity));
}

}  // namespace

Problems check_customer(const Customer& c, const Settings& settings) { return validate_customer(c, settings); }

int stage_count(const Settings& settings) { return static_cast<int>(settings.stages.size()); }

Result<Opportunity> open_stage_one(Opportunity draft, const Settings& settings, const Id& by, Instant now) {
  const StageContext ctx = context(draft, by, now);  // before draft is moved from
  return unwrap(open_opportunity(std::move(draft), ctx, settings));
}

Result<Opportunity> advance_stage(const Opportunity& o, const std::vector<EvidenceRef>& evidence, const Settings& settings,
                                  const Id& by, Instant now) {
  return unwrap(advance(o, evidence, context(o, by, now), settings));
}

Result<Opportunity> move_back_stage(const Opportunity& o, int to_stage, const std::string& reason, const Settings& settings,
                                    const Id& by, Instant now) {
  return unwrap(move_back(o, to_stage, reason, context(o, by, now), settings));
}

Result<Opportunity> close_opportunity(const Opportunity& o, bool won, const std::string& reason,
                                      const std::vector<EvidenceRef>& evidence, const Settings& settings, const Id& by,
                                      Instant now) {
  if (won) return unwrap(mark_won(o, evidence, reason, context(o, by, now), settings));
  return unwrap(mark_lost(o, reason, context(o, by, now), settings));
}

}  // namespace cl::sync

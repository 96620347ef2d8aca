// The one place where sync calls core's domain rules (R4 customer validation, R9/R10 stage machine).
// Keeping the calls here means the mutation appliers read as "decode → check scope → core rule →
// encode", and a core rule that changes is wired in one file.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl::sync {

// R4 (core/customer_validation.h): every required field/tag, tag values, phone format — all at once.
Problems check_customer(const Customer& c, const Settings& settings);

// R9: how many stages the pipeline has.
int stage_count(const Settings& settings);

// R9/R10 (core/stage_machine.h). The audit event core returns is not kept here: the server writes its
// own audit row per synced change (sync_service.cpp), with the mutation and evidence hashes.
Result<Opportunity> open_stage_one(Opportunity draft, const Settings& settings, const Id& by, Instant now);
Result<Opportunity> advance_stage(const Opportunity& o, const std::vector<EvidenceRef>& evidence, const Settings& settings,
                                  const Id& by, Instant now);
Result<Opportunity> move_back_stage(const Opportunity& o, int to_stage, const std::string& reason, const Settings& settings,
                                    const Id& by, Instant now);
// Won = completing the last stage with its evidence (core's rule); lost needs a reason.
Result<Opportunity> close_opportunity(const Opportunity& o, bool won, const std::string& reason,
                                      const std::vector<EvidenceRef>& evidence, const Settings& settings, const Id& by,
                                      Instant now);

}  // namespace cl::sync

// The one place where sync calls core's domain rules (R4 required fields, R10 stage gates). Keeping the
// calls here means the mutation appliers read as "decode → check scope → core rule → encode", and a core
// rule that changes is wired in one file.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl::sync {

// R4: every required field and required tag group that is empty, named; empty when the customer is valid.
Problems check_customer(const Customer& c, const Settings& settings);

// R9: how many stages the pipeline has (the five seed stages when settings carry none).
int stage_count(const Settings& settings);

// R10: move to the next stage — evidence required, no skipping, open opportunities only.
Result<Opportunity> advance_stage(Opportunity o, const std::vector<EvidenceRef>& evidence, const Settings& settings,
                                  const Id& by, Instant now);
// R10: moving back is allowed with a reason, to an earlier stage.
Result<Opportunity> move_back_stage(Opportunity o, int to_stage, const std::string& reason, const Id& by, Instant now);
// Close as won or lost (reason kept for the funnel and the audit trail).
Result<Opportunity> close_opportunity(Opportunity o, bool won, const std::string& reason, Instant now);

}  // namespace cl::sync

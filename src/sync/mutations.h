// The mutation catalogue (R32): every user intent that can be made offline, applied by ONE pure function
// on both sides — the browser applies it optimistically to its replica, the server re-applies it inside
// the push transaction with the caller's scope and the same core rules (never trust the client).
//
// Names and args (full examples in docs/SYNC_PROTOCOL.md). Records use core/codec.h field names.
//   customer.create     {"customer":{id, code, name, decision_maker, …, tags, owner_id?}}
//   customer.update     {"id", "set":{field: value…}, "base":{field: value the client saw…}}
//   activity.log        {"activity":{id, kind, at, customer_id?, opportunity_id?, lead_id?, summary, outcome}}
//   activity.delete     {"id"}
//   opportunity.create  {"opportunity":{id, customer_id, title, expected_amount_fen, product_ids, owner_id?}}
//   opportunity.update  {"id", "set":{title|expected_amount_fen|product_ids|owner_id}, "base":{…}}
//   opportunity.advance {"id", "from_stage", "evidence":[EvidenceRef…]}        R10: evidence gates the move
//   opportunity.move_back {"id", "from_stage", "to_stage", "reason"}           R10: back with a reason
//   opportunity.close   {"id", "outcome":"won"|"lost", "reason"}
//   lead.touch          {"id", "outcome", "at"?}                                R2
//   lead.convert        {"id", "customer_id", "customer_code", "opportunity_id", "decision_maker_title",
//                        "main_business", "tags":{…}, "opportunity_title"?, "expected_amount_fen"?}
//   lead.assign         {"id", "owner_id", "base":{"owner_id": seen}}          R1/R33: manager (team) or admin
//   quote.create        {"quote":{id, code, customer_id, opportunity_id?, quote_date?, lines:[{product_id,
//                        quantity, discount_bp}]}}                              R20: priced from the price list
//   quote.submit        {"id"}                                                  R20: approved or pending approval
//   quote.approve       {"id", "note"?}  quote.reject {"id", "note"}           R20/R30: team manager or admin
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/problem.h"
#include "sync/record_view.h"
#include "sync/wire.h"

namespace cl::sync {

inline constexpr std::string_view kCustomerCreate = "customer.create";
inline constexpr std::string_view kCustomerUpdate = "customer.update";
inline constexpr std::string_view kActivityLog = "activity.log";
inline constexpr std::string_view kActivityDelete = "activity.delete";
inline constexpr std::string_view kOpportunityCreate = "opportunity.create";
inline constexpr std::string_view kOpportunityUpdate = "opportunity.update";
inline constexpr std::string_view kOpportunityAdvance = "opportunity.advance";
inline constexpr std::string_view kOpportunityMoveBack = "opportunity.move_back";
inline constexpr std::string_view kOpportunityClose = "opportunity.close";
inline constexpr std::string_view kLeadTouch = "lead.touch";
inline constexpr std::string_view kLeadConvert = "lead.convert";
inline constexpr std::string_view kLeadAssign = "lead.assign";
inline constexpr std::string_view kQuoteCreate = "quote.create";
inline constexpr std::string_view kQuoteSubmit = "quote.submit";
inline constexpr std::string_view kQuoteApprove = "quote.approve";
inline constexpr std::string_view kQuoteReject = "quote.reject";

// Every name above, in catalogue order (docs, tests and the app's i18n table iterate it).
const std::vector<std::string_view>& mutation_names();

// The records a mutation writes (each with its version already bumped) and the per-field conflicts it
// met. A mutation that is accepted may still carry conflicts: its guarded fields kept the server value.
struct MutationOutcome {
  std::vector<StoredRecord> writes;
  std::vector<Conflict> conflicts;
};

// Rejects with Problems (codes below, plus core's own rule codes) and writes nothing when:
//   unknown_mutation, invalid_args (+ field), not_found (also for a record outside the actor's scope:
//   R33 never tells the two apart), forbidden (e.g. a rep reassigning an owner), record_exists
//   (create with an id already taken by another record), duplicate_code, and every core rule problem
//   (required fields R4, evidence R10, stage order R10, lead transitions R2).
Result<MutationOutcome> apply_mutation(const Mutation& m, const Actor& actor, const RecordView& view,
                                       const Settings& settings, Instant now);

}  // namespace cl::sync

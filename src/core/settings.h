// The admin-configurable defaults ("zero-code", BRIEF: admin role) and the validation an admin edit
// must pass before it replaces the live settings.
#pragma once

#include "core/model.h"
#include "core/problem.h"

namespace cl {

// Stage keys of the five R9 default stages, in order.
inline constexpr const char* kStageNeedConfirmed = "need_confirmed";
inline constexpr const char* kStageSolutionMatched = "solution_matched";
inline constexpr const char* kStageQuoteApproved = "quote_approved";
inline constexpr const char* kStageContractSigned = "contract_signed";
inline constexpr const char* kStageFirstPayment = "first_payment";

// Template keys every Settings carries by default (admins edit the bodies, not the keys).
inline constexpr const char* kTemplateStageSummary = "stage_summary";      // R12
inline constexpr const char* kTemplateRepurchaseStart = "repurchase_start"; // R17
inline constexpr const char* kTemplateSecondTouch = "second_touch";        // R24

// R4 defaults: the seed's five required fields and three required tag groups; R9 five stages with
// R10 evidence kinds (any one listed kind satisfies the gate to leave the stage); R11 48 h stall;
// R12/R17/R24 message templates.
Settings default_settings();

// Checks an admin's edited settings: at least one stage, unique non-empty stage/tag/template keys,
// stall and escalation hours > 0, every stage names at least one evidence kind (R10: no gate-less
// stage), required tag groups have values, required field keys are known, and the numeric policies
// are in range. Returns every problem at once (field like "stages[2].stall_hours").
Problems validate_settings(const Settings& s);

// Lookups used by the rules; nullptr / -1 when absent.
const StageDef* find_stage(const Settings& s, int index);
int stage_index(const Settings& s, const std::string& key);
const TagGroup* find_tag_group(const Settings& s, const std::string& key);
const MessageTemplate* find_template(const Settings& s, const std::string& key);

// Chinese / English label of a customer-form field key ("phone" → 联系电话 / Phone); the key itself
// for unknown or "custom.<key>" fields.
struct FieldLabel {
  std::string zh, en;
};
FieldLabel customer_field_label(const std::string& key);

}  // namespace cl

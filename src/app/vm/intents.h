// Intents: what a screen sends back to its view-model (plain structs, no ImGui). A screen draws the
// VM's state and, on a tap, constructs one of these; the VM turns it into a mutation or a refusal.
#pragma once

#include <cstdint>
#include <string>

#include "core/model.h"

namespace cl::app {

struct SubmitNewCustomer {};                       // R4/R5: save the form (offline too)
struct AcknowledgeDuplicate { Id existing_id; };   // R5: "I know, it's a different customer"

struct QuickLog {                                  // R8: two taps — kind, then save
  Id customer_id;
  Id opportunity_id;
  ActivityKind kind = ActivityKind::Visit;
  std::string summary;                             // optional; a default per kind is used when empty
};

struct AttachEvidence {                            // R10: a picked PDF or a camera photo
  std::string file_name;
  std::string mime_type;
  std::string bytes;
  std::string kind;                                // "需求确认书", …; "" = the stage's first kind
};
struct RemoveEvidence { std::string sha256; };
struct AdvanceStage {};                            // R10: refused without evidence, with the reason
struct MoveBackStage { int to_stage = 0; std::string reason; };   // R10: back, with a reason
struct UpdateExpectedAmount { Money amount; };     // guarded field: sent with the amount the rep saw

struct DismissSyncIssue { std::int64_t mid = 0; };  // the user read the rejection and gives up

}  // namespace cl::app

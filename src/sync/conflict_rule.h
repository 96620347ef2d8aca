// R32 conflict rule — the server decides, per field, in arrival order:
//   * ordinary fields (names, phones, notes, tags…): last writer wins, per field — the later mutation to
//     arrive at the server overwrites that field only, never the fields it did not send;
//   * guarded fields — opportunity stage, money amounts, owner — where a silent overwrite would hurt:
//     if the record's server version moved past the mutation's base_version AND the field's server
//     value differs from the value the client saw (args "base", or "from_stage" for stage moves), the
//     mutation's change to that field is NOT applied and a Conflict {server_value, client_value,
//     resolution:"server_kept"} is reported to the client and shown to the user.
//   A guarded change that equals the server value, or whose base equals the server value (the field
//   did not move meanwhile), applies normally.
#pragma once

#include <string_view>

#include "sync/wire.h"

namespace cl::sync {

bool is_guarded_field(std::string_view type, std::string_view field);

enum class FieldDecision { Apply, KeepServer };

// `base_value` is what the client saw for the field (nullptr when it did not say).
FieldDecision decide_field(std::string_view type, std::string_view field, std::int64_t server_version,
                           std::int64_t base_version, const Json* base_value, const Json& server_value,
                           const Json& client_value);

}  // namespace cl::sync

// The per-field conflict rule (conflict_rule.h, docs/SYNC_PROTOCOL.md "Conflicts").
#include "sync/conflict_rule.h"

namespace cl::sync {

bool is_guarded_field(std::string_view type, std::string_view field) {
  if (field == "owner_id") return true;  // R28/R33: ownership decides who sees the record
  if (type == kTypeOpportunity)
    return field == "stage" || field == "expected_amount_fen" || field == "status";
  // Money fields anywhere (quotes, contracts, invoices, payments) end in _fen (core/codec.h).
  return field.size() > 4 && field.substr(field.size() - 4) == "_fen";
}

FieldDecision decide_field(std::string_view type, std::string_view field, std::int64_t server_version,
                           std::int64_t base_version, const Json* base_value, const Json& server_value,
                           const Json& client_value) {
  if (!is_guarded_field(type, field)) return FieldDecision::Apply;  // per-field last writer wins
  if (server_value == client_value) return FieldDecision::Apply;   // nothing to overwrite
  if (server_version <= base_version) return FieldDecision::Apply; // the client saw the latest state
  if (base_value && *base_value == server_value) return FieldDecision::Apply;  // field untouched meanwhile
  return FieldDecision::KeepServer;
}

}  // namespace cl::sync

// JSON codecs for every struct of model.h (nlohmann/json). One wire shape for the server store, the
// HTTP API, the sync protocol and the browser replica — field names are documented in
// docs/DATA_MODEL.md and never renamed once shipped.
//
// Conventions (the whole contract in five lines):
//   - keys are the C++ member names in snake_case; RecordMeta is flattened into the record
//     (id, owner_id, created_at, updated_at, version, deleted);
//   - Money is an integer number of fen under the member name + "_fen" ("amount_fen");
//   - Date is "YYYY-MM-DD" (Beijing civil date); Instant is integer UTC ms (keys ending in _at);
//   - enums are lowercase names (enum_names.h): "rep", "open", "won", "quote_sent", …;
//   - top-level records (those with an id, and Settings) carry "schema_version" = kSchemaVersion.
//
// Decoding never throws: bad input yields Problems naming the field ("stages[1].evidence[0].sha256"),
// codes invalid_json / invalid_type / required_field_missing / invalid_date / invalid_enum /
// out_of_range / unsupported_schema_version. Missing optional keys take the struct's defaults and
// unknown keys are ignored, so an older client can read a newer record (forward compatible).
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl {

// ---- encoding ------------------------------------------------------------------------------
nlohmann::json to_json_value(const RecordMeta&);
nlohmann::json to_json_value(const User&);
nlohmann::json to_json_value(const Team&);
nlohmann::json to_json_value(const TagGroup&);
nlohmann::json to_json_value(const StageDef&);
nlohmann::json to_json_value(const MessageTemplate&);
nlohmann::json to_json_value(const Settings&);
nlohmann::json to_json_value(const Lead&);
nlohmann::json to_json_value(const Contact&);
nlohmann::json to_json_value(const OwnerChange&);
nlohmann::json to_json_value(const Customer&);
nlohmann::json to_json_value(const EvidenceRef&);
nlohmann::json to_json_value(const StageVisit&);
nlohmann::json to_json_value(const Opportunity&);
nlohmann::json to_json_value(const Activity&);
nlohmann::json to_json_value(const Product&);
nlohmann::json to_json_value(const PriceItem&);
nlohmann::json to_json_value(const PriceList&);
nlohmann::json to_json_value(const QuoteLine&);
nlohmann::json to_json_value(const Quote&);
nlohmann::json to_json_value(const Contract&);
nlohmann::json to_json_value(const Invoice&);
nlohmann::json to_json_value(const Payment&);
nlohmann::json to_json_value(const CollectionTarget&);
nlohmann::json to_json_value(const Reminder&);
nlohmann::json to_json_value(const ShareScope&);
nlohmann::json to_json_value(const FieldChange&);
nlohmann::json to_json_value(const AuditEvent&);
nlohmann::json to_json_value(const Problem&);

template <class T>
nlohmann::json encode(const T& value) { return to_json_value(value); }

// The text json_text(encode(a)) would be, written without the tree (core/json_text.h): for the record
// a sync push writes most.
std::string to_json_text(const Activity&);

template <class T>
nlohmann::json encode_list(const std::vector<T>& values) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& v : values) a.push_back(to_json_value(v));
  return a;
}

// ---- decoding (never throws) ---------------------------------------------------------------
// Specialised for every type listed above (RecordMeta excepted: it only exists inside a record).
template <class T>
Result<T> decode(const nlohmann::json& j);

// A JSON array of T; problems are prefixed with "[i]." so the failing element is named.
template <class T>
Result<std::vector<T>> decode_list(const nlohmann::json& j);

// Parses text first (no exceptions: json::parse(s, nullptr, false)); invalid_json if it isn't JSON.
template <class T>
Result<T> decode_text(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded())
    return Result<T>::failure({Problem{"invalid_json", "", "内容不是有效的 JSON", "The text is not valid JSON"}});
  return decode<T>(j);
}

#define CL_CODEC_DECLARE(T)                                            \
  template <> Result<T> decode<T>(const nlohmann::json& j);            \
  template <> Result<std::vector<T>> decode_list<T>(const nlohmann::json& j);
CL_CODEC_DECLARE(User)
CL_CODEC_DECLARE(Team)
CL_CODEC_DECLARE(TagGroup)
CL_CODEC_DECLARE(StageDef)
CL_CODEC_DECLARE(MessageTemplate)
CL_CODEC_DECLARE(Settings)
CL_CODEC_DECLARE(Lead)
CL_CODEC_DECLARE(Contact)
CL_CODEC_DECLARE(OwnerChange)
CL_CODEC_DECLARE(Customer)
CL_CODEC_DECLARE(EvidenceRef)
CL_CODEC_DECLARE(StageVisit)
CL_CODEC_DECLARE(Opportunity)
CL_CODEC_DECLARE(Activity)
CL_CODEC_DECLARE(Product)
CL_CODEC_DECLARE(PriceItem)
CL_CODEC_DECLARE(PriceList)
CL_CODEC_DECLARE(QuoteLine)
CL_CODEC_DECLARE(Quote)
CL_CODEC_DECLARE(Contract)
CL_CODEC_DECLARE(Invoice)
CL_CODEC_DECLARE(Payment)
CL_CODEC_DECLARE(CollectionTarget)
CL_CODEC_DECLARE(Reminder)
CL_CODEC_DECLARE(ShareScope)
CL_CODEC_DECLARE(FieldChange)
CL_CODEC_DECLARE(AuditEvent)
CL_CODEC_DECLARE(Problem)
#undef CL_CODEC_DECLARE

// Patches a typed record with the keys `changes` has: `value` becomes what decode gives for its own
// encoding with those keys replaced (a null resetting its field to the default, a list or map replaced
// whole), and the problems are the ones that decode reports, naming the fields. Only the keys given are
// read, so a mutation that sets a few fields (sync customer.update) skips encoding the whole record,
// patching the tree and decoding it all back. schema_version is not checked: the record was decoded
// before. On problems `value` is partly patched: discard it. Defined for Customer.
template <class T>
Problems decode_over(nlohmann::json changes, T& value);
template <> Problems decode_over<Customer>(nlohmann::json changes, Customer& value);

// Named spellings of decode<T>, for call sites that read better with them.
inline Result<User> user_from_json(const nlohmann::json& j) { return decode<User>(j); }
inline Result<Team> team_from_json(const nlohmann::json& j) { return decode<Team>(j); }
inline Result<Settings> settings_from_json(const nlohmann::json& j) { return decode<Settings>(j); }
inline Result<Lead> lead_from_json(const nlohmann::json& j) { return decode<Lead>(j); }
inline Result<Customer> customer_from_json(const nlohmann::json& j) { return decode<Customer>(j); }
inline Result<Opportunity> opportunity_from_json(const nlohmann::json& j) { return decode<Opportunity>(j); }
inline Result<Activity> activity_from_json(const nlohmann::json& j) { return decode<Activity>(j); }
inline Result<Product> product_from_json(const nlohmann::json& j) { return decode<Product>(j); }
inline Result<PriceList> price_list_from_json(const nlohmann::json& j) { return decode<PriceList>(j); }
inline Result<Quote> quote_from_json(const nlohmann::json& j) { return decode<Quote>(j); }
inline Result<Contract> contract_from_json(const nlohmann::json& j) { return decode<Contract>(j); }
inline Result<Invoice> invoice_from_json(const nlohmann::json& j) { return decode<Invoice>(j); }
inline Result<Payment> payment_from_json(const nlohmann::json& j) { return decode<Payment>(j); }
inline Result<CollectionTarget> collection_target_from_json(const nlohmann::json& j) { return decode<CollectionTarget>(j); }
inline Result<Reminder> reminder_from_json(const nlohmann::json& j) { return decode<Reminder>(j); }
inline Result<ShareScope> share_scope_from_json(const nlohmann::json& j) { return decode<ShareScope>(j); }
inline Result<AuditEvent> audit_event_from_json(const nlohmann::json& j) { return decode<AuditEvent>(j); }
inline Result<Problem> problem_from_json(const nlohmann::json& j) { return decode<Problem>(j); }

// Problems as the HTTP error "fields" array: [{"field","code","message_zh","message_en"}].
nlohmann::json problems_to_json(const Problems& problems);

}  // namespace cl

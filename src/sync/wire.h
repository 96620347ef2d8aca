// Sync wire types (R32, ../shared/SYNC.md) and their JSON codecs — the contract between the browser's
// sync client (src/platform + src/app) and the server (src/server/routes_sync.cpp).
// Protocol, conflict rule and the mutation catalogue: docs/SYNC_PROTOCOL.md.
//
// [SECTION] Mutations and push
// [SECTION] Pull
// [SECTION] Codecs (encode never fails; decode returns Problems naming the bad field, never throws)
//
// Replicache's lesson (SYNC.md): a mutation id is per client and strictly increasing; the server skips
// ids ≤ last_mid and advances last_mid even for a rejected mutation, so a poison mutation never blocks
// the outbox behind it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.h"
#include "core/problem.h"

namespace cl::sync {

using Json = nlohmann::json;

// Record types that travel in Change::type and Conflict::type.
inline constexpr std::string_view kTypeCustomer = "customer";
inline constexpr std::string_view kTypeOpportunity = "opportunity";
inline constexpr std::string_view kTypeActivity = "activity";
inline constexpr std::string_view kTypeLead = "lead";
inline constexpr std::string_view kTypeQuote = "quote";

// ============================================================================================
// [SECTION] Mutations and push
// ============================================================================================

// One user intent, queued in the outbox and replayed by the server with the same core rules.
// `args` shape per name: docs/SYNC_PROTOCOL.md ("Mutation catalogue"); every args object that targets
// an existing record carries "id".
struct Mutation {
  std::string client_id;          // one per device/browser profile (stable across reloads)
  std::int64_t mid = 0;           // strictly increasing per client_id, starting at 1
  std::string name;               // "customer.create", "opportunity.advance", …
  int schema_version = 0;         // the client's kSchemaVersion when the intent was made
  std::int64_t base_version = 0;  // version of the target record the client saw (0 = new record)
  Json args = Json::object();
  Instant at = 0;                 // when the user acted (client clock; informational, never a cursor)
  friend bool operator==(const Mutation&, const Mutation&) = default;
};

struct PushRequest {
  std::string client_id;
  int schema_version = 0;
  std::vector<Mutation> mutations;  // ascending mid; the server applies them in this order
};

enum class PushStatus { Applied, Rejected, Skipped };
std::string_view to_string(PushStatus s);  // "applied" | "rejected" | "skipped"

// Per-field conflict (rule in docs/SYNC_PROTOCOL.md): the server kept its value for a guarded field
// (stage, money, owner) because it moved after the client's base version.
struct Conflict {
  std::string type;               // record type
  Id id;
  std::string field;              // "stage", "expected_amount", "owner_id", …
  Json server_value;              // what the server kept
  Json client_value;              // what the mutation wanted
  std::string resolution;         // "server_kept" (guarded field) | "client_applied" (ordinary LWW)
  friend bool operator==(const Conflict&, const Conflict&) = default;
};

struct PushResult {
  std::int64_t mid = 0;
  PushStatus status = PushStatus::Applied;
  Problems problems;              // why it was rejected (empty when applied/skipped)
  std::vector<Conflict> conflicts;  // applied with some guarded fields kept by the server
};

struct PushResponse {
  std::int64_t last_mid = 0;      // highest mid the server has processed for this client
  std::vector<PushResult> results;  // one per mutation in the request, same order
};

// ============================================================================================
// [SECTION] Pull
// ============================================================================================

struct PullRequest {
  std::string client_id;
  int schema_version = 0;
  std::string cursor;             // opaque; "" = from the beginning (full fetch)
  int limit = 500;                // server clamps to [1, 5000]
};

// An upsert, or a tombstone when deleted (record then holds at least {"id"}), or a removal from the
// caller's scope (e.g. reassigned to another rep) which the client treats exactly like a tombstone.
struct Change {
  std::string type;
  Id id;
  bool deleted = false;
  std::int64_t version = 0;       // record version after this change
  Json record = Json::object();   // the full record as core's codec writes it (core/codec.h)
  friend bool operator==(const Change&, const Change&) = default;
};

// A mutation the server refused, kept so the UI can show the reason and let the user fix it.
struct Rejection {
  std::int64_t mid = 0;
  std::string name;
  Json args = Json::object();
  Problems problems;
  Instant at = 0;                 // server time of the rejection
  friend bool operator==(const Rejection&, const Rejection&) = default;
};

struct PullResponse {
  std::vector<Change> changes;    // ascending server sequence
  std::string cursor;             // pass back as PullRequest::cursor
  bool has_more = false;          // true: pull again at once
  std::int64_t last_mid = 0;      // the client may drop outbox entries with mid ≤ last_mid
  std::vector<Rejection> rejections;  // this client's rejected mutations (most recent 100)
  std::vector<Conflict> conflicts;    // this client's recent conflicts, for the UI
};

// Error codes the sync endpoints answer with (body {"error":{"code":…}}).
inline constexpr std::string_view kErrMustRefetch = "must_refetch";            // 409: cursor too old
inline constexpr std::string_view kErrSchemaUnsupported = "schema_version_unsupported";  // 400
inline constexpr std::string_view kErrBadCursor = "bad_cursor";                // 400
inline constexpr std::string_view kErrBadRequest = "bad_request";              // 400: malformed body

// ============================================================================================
// [SECTION] Codecs
// ============================================================================================

Json problem_to_json(const Problem& p);
Result<Problem> problem_from_json(const Json& j);

Json to_json(const Mutation& m);
Json to_json(const PushRequest& r);
Json to_json(const Conflict& c);
Json to_json(const PushResult& r);
Json to_json(const PushResponse& r);
Json to_json(const PullRequest& r);  // as a JSON object (the HTTP client sends it as query params)
Json to_json(const Change& c);
Json to_json(const Rejection& r);
Json to_json(const PullResponse& r);

Result<Mutation> mutation_from_json(const Json& j);
Result<PushRequest> push_request_from_json(const Json& j);
// The same decoding and the same problems, but each mutation's args are moved out of `j` instead of
// deep-copied (a push carries up to 5000 of them); `j` is left valid but unspecified.
Result<PushRequest> push_request_from_json(Json&& j);
Result<Conflict> conflict_from_json(const Json& j);
Result<PushResult> push_result_from_json(const Json& j);
Result<PushResponse> push_response_from_json(const Json& j);
Result<PullRequest> pull_request_from_json(const Json& j);
Result<Change> change_from_json(const Json& j);
Result<Rejection> rejection_from_json(const Json& j);
Result<PullResponse> pull_response_from_json(const Json& j);

// SYNC.md §8: the server accepts the current and the previous schema version.
bool schema_version_supported(int v);

}  // namespace cl::sync

// HTTP face of sync (R32): POST /api/v1/sync/push, GET /api/v1/sync/pull, POST /api/v1/sync/register,
// and the operator's POST /api/v1/admin/sync/purge-tombstones. Decoding and status mapping only —
// the protocol lives in sync_service.cpp and the rules in src/sync + src/core.
#include <memory>
#include <string>
#include <vector>

#include "server/auth.h"
#include "server/http_json.h"
#include "server/routes_sync.h"
#include "server/sync_service.h"
#include "sync/wire.h"

namespace cl::server {

namespace {

void write_sync_error(httplib::Response& res, const SyncError& e) {
  if (e.status == 503) res.set_header("Retry-After", "2");
  write_error(res, e.status, e.code, e.message, e.fields);
}

std::optional<int> int_param(const httplib::Request& req, const char* key) {
  if (!req.has_param(key)) return std::nullopt;
  const std::string v = req.get_param_value(key);
  if (v.empty() || v.size() > 9) return std::nullopt;
  int n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

void register_sync_routes(ApiRouter& r, ServerContext& ctx) {
  auto service = std::make_shared<SyncService>(ctx);

  r.post("/api/v1/sync/push", [&ctx, service](const httplib::Request& req, httplib::Response& res) {
    auto user = require_user(req, res, ctx);
    if (!user) return;
    auto body = parse_json_body(req, res, ctx.config.max_json_bytes);
    if (!body) return;
    if (!body->contains("schema_version"))
      return write_error(res, 400, "schema_version_required", "every sync request carries schema_version");
    auto decoded = sync::push_request_from_json(*body);
    if (!decoded.ok()) return write_error(res, 400, sync::kErrBadRequest, "malformed push request", decoded.problems);
    auto out = service->push(*user, decoded.value);
    if (out.error) return write_sync_error(res, *out.error);
    write_json(res, sync::to_json(*out.value));
  });

  r.get("/api/v1/sync/pull", [&ctx, service](const httplib::Request& req, httplib::Response& res) {
    auto user = require_user(req, res, ctx);
    if (!user) return;
    auto schema = int_param(req, "schema_version");
    if (!schema)
      return write_error(res, 400, "schema_version_required", "every sync request carries schema_version (query parameter)");
    sync::PullRequest pr;
    pr.schema_version = *schema;
    pr.client_id = req.get_param_value("client_id");
    pr.cursor = req.get_param_value("cursor");
    if (req.has_param("limit")) {
      auto limit = int_param(req, "limit");
      if (!limit) return write_error(res, 400, sync::kErrBadRequest, "limit must be a positive integer");
      pr.limit = *limit;
    }
    std::vector<std::string> raw;
    auto out = service->pull(*user, pr, &raw);
    if (out.error) return write_sync_error(res, *out.error);
    // The stored record texts are spliced in as they are (they were written by json::dump, so they are
    // valid JSON) instead of being parsed and re-serialised on every pull.
    json head = sync::to_json(*out.value);
    std::string text = "{\"changes\":[";
    const auto& changes = head["changes"];
    for (std::size_t i = 0; i < changes.size(); ++i) {
      json c = changes[i];
      c.erase("record");
      std::string one = c.dump(-1, ' ', false, json::error_handler_t::replace);
      one.pop_back();  // the closing brace
      if (i) text += ',';
      text += one;
      text += ",\"record\":";
      text += i < raw.size() ? raw[i] : std::string("{}");
      text += '}';
    }
    head.erase("changes");
    const std::string rest = head.dump(-1, ' ', false, json::error_handler_t::replace);
    text += "],";
    text.append(rest, 1, std::string::npos);
    res.status = 200;
    res.set_content(text, "application/json; charset=utf-8");
  });

  r.post("/api/v1/sync/register", [&ctx, service](const httplib::Request& req, httplib::Response& res) {
    auto user = require_user(req, res, ctx);
    if (!user) return;
    auto body = parse_json_body(req, res, ctx.config.max_json_bytes);
    if (!body) return;
    auto client_id = string_field(*body, "client_id");
    if (!client_id) return write_error(res, 400, sync::kErrBadRequest, "client_id (string) is required");
    auto out = service->register_device(*user, *client_id);
    if (out.error) return write_sync_error(res, *out.error);
    write_json(res, *out.value);
  });

  r.post("/api/v1/admin/sync/purge-tombstones", [&ctx, service](const httplib::Request& req, httplib::Response& res) {
    auto user = require_role(req, res, ctx, {Role::Admin});
    if (!user) return;
    auto body = parse_json_body(req, res, ctx.config.max_json_bytes);
    if (!body) return;
    if (!body->contains("up_to_seq") || !(*body)["up_to_seq"].is_number_integer())
      return write_error(res, 400, sync::kErrBadRequest, "up_to_seq (integer) is required");
    const auto n = service->purge_tombstones((*body)["up_to_seq"].get<std::int64_t>());
    write_json(res, {{"purged", n}, {"tombstone_horizon", service->tombstone_horizon()}});
  });
}

}  // namespace cl::server

// HTTP face of sync (R32): POST /api/v1/sync/push, GET /api/v1/sync/pull, POST /api/v1/sync/register,
// and the operator's POST /api/v1/admin/sync/purge-tombstones. Decoding and status mapping only —
// the protocol lives in sync_service.cpp and the rules in src/sync + src/core.
#include <charconv>
#include <memory>
#include <string>
#include <vector>

#include "server/auth.h"
#include "server/http_json.h"
#include "server/json_text.h"
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
    auto decoded = sync::push_request_from_json(std::move(*body));
    if (!decoded.ok()) return write_error(res, 400, sync::kErrBadRequest, "malformed push request", decoded.problems);
    auto out = service->push(*user, decoded.value);
    if (out.error) return write_sync_error(res, *out.error);
    // A 500-mutation answer is mostly {"conflicts":[],"mid":N,"problems":[],"status":"applied"}: those are
    // written as text (same keys and order as sync::to_json); a result with problems or conflicts goes
    // through nlohmann as before.
    const sync::PushResponse& resp = *out.value;
    std::string text;
    text.reserve(64 + resp.results.size() * 64);
    text += "{\"last_mid\":";
    text += std::to_string(resp.last_mid);
    text += ",\"results\":[";
    for (std::size_t i = 0; i < resp.results.size(); ++i) {
      const sync::PushResult& r = resp.results[i];
      if (i) text += ',';
      if (r.problems.empty() && r.conflicts.empty()) {
        text += "{\"conflicts\":[],\"mid\":";
        text += std::to_string(r.mid);
        text += ",\"problems\":[],\"status\":\"";
        text += sync::to_string(r.status);
        text += "\"}";
      } else {
        text += sync::to_json(r).dump(-1, ' ', false, json::error_handler_t::replace);
      }
    }
    text += "]}";
    res.status = 200;
    res.body = std::move(text);
    res.set_header("Content-Type", "application/json; charset=utf-8");
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
    std::vector<RawChange> raw;
    auto out = service->pull(*user, pr, &raw);
    if (out.error) return write_sync_error(res, *out.error);
    // Pulls are the hot path (200 tablets at once): the page is written as text directly. Each change's
    // stored record JSON is spliced in as it is (it was written by json_text/json::dump, so it is valid
    // JSON); only the small tail (cursor, last_mid, rejections, conflicts) goes through a json value.
    // The reserve covers every change's fixed text, so the page is never copied while it grows.
    std::size_t size = 1024;
    for (const auto& c : raw) size += c.type.size() + c.id.size() + c.record.size() + 80;
    std::string text;
    text.reserve(size);
    text += "{\"changes\":[";
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const RawChange& c = raw[i];
      if (i) text += ',';
      text += "{\"type\":";
      append_json_string(text, c.type);
      text += ",\"id\":";
      append_json_string(text, c.id);
      text += c.deleted ? ",\"deleted\":true,\"version\":" : ",\"deleted\":false,\"version\":";
      char version[24];
      text.append(version, static_cast<std::size_t>(std::to_chars(version, version + sizeof version, c.version).ptr - version));
      text += ",\"record\":";
      text += c.record;
      text += '}';
    }
    json tail = sync::to_json(*out.value);  // changes: [] (they are in `raw`)
    tail.erase("changes");
    const std::string rest = json_text(tail);
    text += "],";
    text.append(rest, 1, std::string::npos);
    res.status = 200;
    res.body = std::move(text);  // set_content would copy the page once more
    res.set_header("Content-Type", "application/json; charset=utf-8");
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

// GET /api/v1/settings (every role) and PUT /api/v1/settings (admin) — the company's "zero-code"
// configuration (BRIEF: admin role; R4 required fields and tags, R9/R10 stages and evidence kinds,
// R11 stall hours, R20 discount threshold, …) as core's Settings codec. The stored record is the one
// the sync rules use (sync_settings) and every replica pulls (catalog_scope.h); none stored → core's
// default_settings(). A PUT is validated by core (validate_settings) and written in one transaction
// with an audit event (R30); bad input changes nothing.
#include "core/codec.h"
#include "core/settings.h"
#include "server/auth.h"
#include "server/http_json.h"
#include "server/ids.h"
#include "server/routes_settings.h"
#include "server/store.h"
#include "server/sync_service.h"

namespace cl::server {

namespace {

constexpr const char* kType = "settings";
constexpr const char* kId = "global";

json settings_response(const Settings& s, const std::optional<RecordRow>& row) {
  const bool stored = row && !row->deleted;
  return json{{"settings", encode(s)},
              {"source", stored ? "stored" : "default"},
              {"version", stored ? row->version : 0},
              {"updated_at", stored ? row->updated_at : 0}};
}

}  // namespace

void register_settings_routes(ApiRouter& r, ServerContext& ctx) {
  r.get("/api/v1/settings", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_user(req, res, ctx);
    if (!me) return;
    json out;
    ctx.store.read([&] {
      auto row = ctx.store.get_record(kType, kId);
      out = settings_response(sync_settings(ctx), row);
    });
    write_json(res, out);
  });

  r.put("/api/v1/settings", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto admin = require_role(req, res, ctx, {Role::Admin});
    if (!admin) return;
    auto body = parse_json_body(req, res, ctx.config.max_json_bytes);
    if (!body) return;
    if (!body->contains("settings") || !(*body)["settings"].is_object())
      return write_error(res, 400, "invalid_request", "body must be {\"settings\": {…}, \"base_version\"?: n}",
                         {Problem{"wrong_type", "settings", "settings 必须是对象", "settings must be an object"}});
    std::optional<std::int64_t> base_version;
    if (body->contains("base_version")) {
      const json& b = (*body)["base_version"];
      if (!b.is_number_integer() || b.get<std::int64_t>() < 0)
        return write_error(res, 400, "invalid_request", "base_version must be a non-negative integer",
                           {Problem{"wrong_type", "base_version", "base_version 必须是非负整数", "base_version must be a non-negative integer"}});
      base_version = b.get<std::int64_t>();
    }
    // Core decides: the codec (types, enums) and then the admin-edit rules (validate_settings).
    Result<Settings> decoded = decode<Settings>((*body)["settings"]);
    if (!decoded.ok()) {
      for (auto& p : decoded.problems) p.field = "settings." + p.field;
      return write_problems(res, decoded.problems);
    }
    Problems invalid = validate_settings(decoded.value);
    if (!invalid.empty()) {
      for (auto& p : invalid) p.field = "settings." + p.field;
      return write_problems(res, invalid);
    }
    const Instant now = ctx.now();
    bool conflict = false;
    std::optional<RecordRow> written;
    ctx.store.transaction([&]() -> bool {
      auto before = ctx.store.get_record(kType, kId);
      const std::int64_t current = before && !before->deleted ? before->version : 0;
      // Two admins editing at once: the second save must not silently undo the first (R32's rule for
      // guarded fields, applied to the whole settings record).
      if (base_version && *base_version != current) {
        conflict = true;
        return false;
      }
      json next = encode(decoded.value);
      next["id"] = kId;
      const json prev = before && !before->deleted ? json::parse(before->body, nullptr, false) : json::object();
      RecordRow row;
      row.type = kType;
      row.id = kId;
      row.seq = ctx.store.next_seq();  // every replica pulls the new version (catalog_scope.h)
      row.version = current + 1;
      row.body = next.dump();
      row.updated_at = now;
      ctx.store.put_record(row);
      AuditEvent e;  // R30: who changed which part of the company's rules, and to what
      e.id = new_uuid_v7(now);
      e.at = now;
      e.actor_id = admin->id;
      e.entity_type = kType;
      e.entity_id = kId;
      e.action = "settings.update";
      for (const auto& [key, value] : next.items()) {
        const json old = prev.is_object() && prev.contains(key) ? prev[key] : json();
        if (old != value) e.changes.push_back(FieldChange{key, old.is_null() ? "" : old.dump(), value.dump()});
      }
      ctx.store.append_audit(e);
      written = row;
      return true;
    });
    if (conflict)
      return write_error(res, 409, "version_conflict",
                         "the settings changed since you loaded them (base_version); reload, redo the edit and save again");
    write_json(res, settings_response(decoded.value, written));
  });
}

}  // namespace cl::server

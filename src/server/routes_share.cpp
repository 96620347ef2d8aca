// R27 over HTTP. Managers create/list/revoke share links; GET /api/v1/shared/{token} needs no
// account and is the only thing a token opens: read-only (any other method → 405 from the router),
// unknown or revoked → 404, expired → 410.
#include "core/time.h"
#include "server/auth.h"
#include "server/db.h"
#include "server/extras_records.h"
#include "server/http_json.h"
#include "server/routes_extras.h"
#include "server/share_links.h"
#include "server/share_view.h"
#include "server/store.h"

namespace cl::server {

void register_share_routes(ApiRouter& r, ServerContext& ctx) {
  r.post("/api/v1/share-links", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_role(req, res, ctx, {Role::Manager, Role::Admin});
    if (!me) return;
    auto body = parse_json_body(req, res, ctx.config.max_json_bytes);
    if (!body) return;
    ShareLinkRequest in;
    Problems types;
    for (auto [key, into] : {std::pair{"team_id", &in.team_id}, {"region", &in.region}, {"label", &in.label}}) {
      if (!body->contains(key) || (*body)[key].is_null()) continue;
      if (!(*body)[key].is_string()) types.push_back({"invalid_type", key, "必须是字符串", "must be a string"});
      else *into = (*body)[key].get<std::string>();
    }
    if (body->contains("expires_at") && !(*body)["expires_at"].is_null()) {
      auto t = (*body)["expires_at"].is_string() ? parse_iso_instant((*body)["expires_at"].get<std::string>()) : std::nullopt;
      if (!t) types.push_back({"invalid_type", "expires_at", "到期时间格式应为 ISO 8601", "expires_at must be an ISO 8601 instant"});
      else in.expires_at = *t;
    }
    if (!types.empty()) return write_problems(res, types, 400);
    Result<CreatedShareLink> created;
    ctx.store.transaction([&] {
      created = share_link_create(ctx.db->raw(), in, *me, ctx.store.list_teams(), ctx.now());
      return created.ok();
    });
    if (!created.ok()) {
      int status = 422;
      for (const auto& p : created.problems) status = p.code == "out_of_scope" || p.code == "forbidden" ? 403 : status;
      return write_problems(res, created.problems, status);
    }
    write_json(res,
               {{"link", share_link_json(created.value.link, ctx.now())},
                {"token", created.value.token},
                {"url", "/api/v1/shared/" + created.value.token}},
               201);
  });

  r.get("/api/v1/share-links", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_role(req, res, ctx, {Role::Manager, Role::Admin});
    if (!me) return;
    json links = json::array();
    ctx.store.read([&] {
      for (const auto& l : share_link_list(ctx.db->raw(), *me)) links.push_back(share_link_json(l, ctx.now()));
    });
    write_json(res, {{"links", links}});
  });

  r.del(R"(/api/v1/share-links/([A-Za-z0-9_-]{1,64}))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_role(req, res, ctx, {Role::Manager, Role::Admin});
    if (!me) return;
    RevokeResult result = RevokeResult::NotFound;
    ctx.store.transaction([&] { result = share_link_revoke(ctx.db->raw(), req.matches[1], *me, ctx.now()); });
    if (result == RevokeResult::NotFound) return write_error(res, 404, "not_found", "share link not found");
    res.status = 204;
  });

  r.get(R"(/api/v1/shared/([A-Za-z0-9_-]{1,100}))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("Referrer-Policy", "no-referrer");  // the token is in the URL: never leak it onwards
    ResolvedShare resolved;
    json view;
    const Instant now = ctx.now();
    ctx.store.transaction([&] {
      resolved = share_link_resolve(ctx.db->raw(), req.matches[1], now);
      if (resolved.status == ShareLookup::Ok) view = build_shared_view(ctx.db->raw(), resolved.link, now);
    });
    switch (resolved.status) {
      case ShareLookup::Ok: return write_json(res, view);
      case ShareLookup::Expired: return write_error(res, 410, "share_link_expired", "this share link has expired");
      default: return write_error(res, 404, "not_found", "share link not found");
    }
  });
}

}  // namespace cl::server

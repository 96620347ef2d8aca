// Health, login, logout, me (R33). Login throttling: at most N failures per account and M per
// client address inside a sliding window; past that, 429 with Retry-After — even for the right
// password, or guessing would simply continue.
#include <sodium.h>

#include "core/time.h"
#include "core/version.h"
#include "server/auth.h"
#include "server/http_json.h"
#include "server/routes.h"
#include "server/store.h"
#include "server/user_json.h"

namespace cl::server {

void register_health_routes(ApiRouter& r, ServerContext& ctx) {
  r.get("/api/v1/health", [&ctx](const httplib::Request&, httplib::Response& res) {
    write_json(res, {{"status", "ok"}, {"version", kVersion}, {"schema_version", kSchemaVersion},
                     {"db_schema", ctx.store.schema_version()}});
  });
}

namespace {

std::string bearer_token(const httplib::Request& req) {
  const std::string h = req.get_header_value("Authorization");
  return h.rfind("Bearer ", 0) == 0 ? h.substr(7) : std::string();
}

// A hash with the server's cost, verified against when the username is unknown, so a probe
// cannot tell unknown users from wrong passwords by timing.
const std::string& dummy_hash(const Config& config) {
  static const std::string h = hash_password("not-a-password-" + new_token(), config);
  return h;
}

}  // namespace

void register_auth_routes(ApiRouter& r, ServerContext& ctx) {
  r.post("/api/v1/auth/login", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto body = parse_json_body(req, res, 64 * 1024);
    if (!body) return;
    auto username = string_field(*body, "username");
    auto password = string_field(*body, "password");
    Problems missing;
    if (!username || username->empty())
      missing.push_back({"required", "username", "请输入用户名", "username is required"});
    if (!password || password->empty())
      missing.push_back({"required", "password", "请输入密码", "password is required"});
    if (!missing.empty()) return write_error(res, 400, "invalid_request", "username and password are required", missing);

    const Config& cfg = ctx.config;
    const Instant now = ctx.now();
    const Instant since = now - cfg.login_window_ms;
    const std::string address = req.remote_addr;

    auto acct = ctx.store.account_failures(*username, since);
    auto addr = ctx.store.address_failures(address, since);
    Instant blocked_until = 0;
    if (acct.count >= cfg.login_max_failures_account) blocked_until = std::max(blocked_until, acct.oldest + cfg.login_window_ms);
    if (addr.count >= cfg.login_max_failures_address) blocked_until = std::max(blocked_until, addr.oldest + cfg.login_window_ms);
    if (blocked_until > now) {
      const long long secs = (blocked_until - now + 999) / 1000;
      res.set_header("Retry-After", std::to_string(secs));
      return write_error(res, 429, "too_many_attempts",
                         "too many failed logins; try again in " + std::to_string(secs) + " s");
    }

    // argon2id is deliberately slow: verify without holding the database lock.
    auto user = username->size() <= 64 && password->size() <= 1024 ? ctx.store.find_user_by_username(*username)
                                                                    : std::nullopt;
    bool ok = false;
    if (user && user->user.active) {
      ok = verify_password(user->password_hash, *password);
    } else {
      verify_password(dummy_hash(cfg), *password);
    }

    if (!ok) {
      ctx.store.transaction([&] { ctx.store.record_login_attempt(*username, address, now, false); });
      return write_error(res, 401, "invalid_credentials", "用户名或密码错误 / wrong username or password");
    }

    SessionRow s;
    const std::string token = new_token();
    s.token_hash = token_hash(token);
    s.user_id = user->user.id;
    s.created_at = now;
    s.expires_at = now + cfg.session_ttl_ms;
    s.client_info = req.get_header_value("User-Agent").substr(0, 200);
    s.address = address;
    ctx.store.transaction([&] {
      ctx.store.record_login_attempt(*username, address, now, true);
      ctx.store.clear_account_failures(*username);
      ctx.store.insert_session(s);
    });
    write_json(res, {{"token", token}, {"expires_at", to_iso_instant(s.expires_at)}, {"user", user_to_json(user->user)}});
  });

  r.post("/api/v1/auth/logout", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto user = require_user(req, res, ctx);
    if (!user) return;
    const auto hash = token_hash(bearer_token(req));
    ctx.store.transaction([&] { ctx.store.revoke_session(hash, ctx.now()); });
    write_json(res, {{"status", "logged_out"}});
  });

  r.get("/api/v1/me", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto user = require_user(req, res, ctx);
    if (!user) return;
    auto j = user_to_json(*user);
    const Scope scope = scope_for(*user);
    j["scope"] = scope.kind == Scope::Kind::All ? "all" : scope.kind == Scope::Kind::Team ? "team" : "own";
    write_json(res, j);
  });
}

}  // namespace cl::server

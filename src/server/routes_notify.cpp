// R34 / R11 over HTTP: the caller's in-app inbox, the admin view of the outbox, and channel
// settings per team and user. All DB work runs inside store.transaction/read (they hold the lock).
#include <sqlite3.h>

#include "core/time.h"
#include "server/auth.h"
#include "server/db.h"
#include "server/http_json.h"
#include "server/notify_channels.h"
#include "server/notify_inbox.h"
#include "server/notify_outbox.h"
#include "server/routes_extras.h"
#include "server/scheduler.h"
#include "server/store.h"

namespace cl::server {

namespace {

int int_param(const httplib::Request& req, const char* key, int fallback, int lo, int hi) {
  if (!req.has_param(key)) return fallback;
  try {
    int v = std::stoi(req.get_param_value(key));
    return std::clamp(v, lo, hi);
  } catch (...) {
    return fallback;
  }
}

}  // namespace

void register_notify_routes(ApiRouter& r, ServerContext& ctx) {
  r.get("/api/v1/inbox", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_user(req, res, ctx);
    if (!me) return;
    const bool unacked = req.get_param_value("unacked") == "1";
    const int limit = int_param(req, "limit", 50, 1, 200);
    const std::int64_t before = int_param(req, "before", 0, 0, INT32_MAX);
    json items = json::array();
    std::int64_t count = 0;
    ctx.store.read([&] {
      for (const auto& i : inbox_list(ctx.db->raw(), me->id, unacked, limit, before)) items.push_back(inbox_item_json(i));
      count = inbox_unacked_count(ctx.db->raw(), me->id);
    });
    write_json(res, {{"items", items}, {"unacked", count}});
  });

  r.post(R"(/api/v1/inbox/(\d{1,18})/ack)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_user(req, res, ctx);
    if (!me) return;
    const std::int64_t id = std::stoll(req.matches[1]);
    AckResult result = AckResult::NotFound;
    std::optional<InboxItem> item;
    ctx.store.transaction([&] {
      result = inbox_ack(ctx.db->raw(), id, me->id, ctx.now());
      if (result != AckResult::NotFound)
        for (const auto& i : inbox_list(ctx.db->raw(), me->id, false, 1, id + 1))
          if (i.id == id) item = i;
    });
    if (result == AckResult::NotFound || !item)
      return write_error(res, 404, "not_found", "notification not found");
    write_json(res, {{"item", inbox_item_json(*item)}, {"already_acked", result == AckResult::AlreadyAcked}});
  });

  r.get("/api/v1/admin/outbox", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto admin = require_role(req, res, ctx, {Role::Admin});
    if (!admin) return;
    std::string status = req.get_param_value("status");
    if (!status.empty() && status != "pending" && status != "sending" && status != "delivered" && status != "dead")
      return write_error(res, 400, "invalid_parameter", "status must be pending, sending, delivered or dead");
    const int limit = int_param(req, "limit", 100, 1, 500);
    const std::int64_t before = int_param(req, "before", 0, 0, INT32_MAX);
    json rows = json::array();
    ctx.store.read([&] {
      for (const auto& row : outbox_list(ctx.db->raw(), status, limit, before)) rows.push_back(outbox_row_json(row));
    });
    write_json(res, {{"messages", rows}});
  });

  // Delivers what is due now (the scheduler does this every minute; this is the manual button).
  r.post("/api/v1/admin/outbox/deliver", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto admin = require_role(req, res, ctx, {Role::Admin});
    if (!admin) return;
    auto report = deliver_outbox_now(ctx, ctx.now());
    write_json(res, {{"delivered", report.delivered}, {"retried", report.retried}, {"dead", report.dead}});
  });

  r.get("/api/v1/admin/notify-channels", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto admin = require_role(req, res, ctx, {Role::Admin});
    if (!admin) return;
    json list = json::array();
    ctx.store.read([&] {
      for (const auto& c : channel_config_list(ctx.db->raw())) list.push_back(channel_config_json(c));
    });
    write_json(res, {{"channels", list}});
  });

  // Admin sets any team's or user's channels; a manager may set their own team's group robots.
  r.put(R"(/api/v1/admin/notify-channels/(team|user)/([A-Za-z0-9_.:-]{1,100}))",
        [&ctx](const httplib::Request& req, httplib::Response& res) {
          auto me = require_role(req, res, ctx, {Role::Admin, Role::Manager});
          if (!me) return;
          const std::string scope_type = req.matches[1], scope_id = req.matches[2];
          if (me->role == Role::Manager && !(scope_type == "team" && scope_id == me->team_id))
            return write_error(res, 403, "forbidden", "a manager may only configure their own team's channels");
          auto body = parse_json_body(req, res, ctx.config.max_json_bytes);
          if (!body) return;
          bool exists = scope_type == "team" ? ctx.store.find_team(scope_id).has_value()
                                             : ctx.store.find_user(scope_id).has_value();
          if (!exists) return write_error(res, 404, "not_found", scope_type + " not found");
          Result<ChannelConfig> cfg;
          ctx.store.transaction([&] {
            ChannelConfig fresh;
            fresh.scope_type = scope_type;
            fresh.scope_id = scope_id;
            auto base = channel_config_get(ctx.db->raw(), scope_type, scope_id).value_or(fresh);
            cfg = channel_config_from_json(*body, base);
            if (!cfg.ok()) return false;
            cfg.value.updated_at = ctx.now();
            cfg.value.updated_by = me->id;
            channel_config_save(ctx.db->raw(), cfg.value);
            return true;
          });
          if (!cfg.ok()) return write_problems(res, cfg.problems);
          write_json(res, {{"channel", channel_config_json(cfg.value)}});
        });
}

}  // namespace cl::server

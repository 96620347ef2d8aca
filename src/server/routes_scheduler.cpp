// The scheduler's admin trigger: run one tick at a given instant (tests, demos, "send reminders now").
#include "core/time.h"
#include "server/auth.h"
#include "server/http_json.h"
#include "server/routes_extras.h"
#include "server/scheduler.h"

namespace cl::server {

void register_scheduler_routes(ApiRouter& r, ServerContext& ctx) {
  // Body (optional): {"at": "2026-11-27T10:00:00Z"} — the injected clock for this tick.
  r.post("/api/v1/admin/scheduler/tick", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto admin = require_role(req, res, ctx, {Role::Admin});
    if (!admin) return;
    Instant at = ctx.now();
    if (!req.body.empty()) {
      auto body = parse_json_body(req, res, ctx.config.max_json_bytes);
      if (!body) return;
      if (body->contains("at")) {
        auto t = (*body)["at"].is_string() ? parse_iso_instant((*body)["at"].get<std::string>()) : std::nullopt;
        if (!t) return write_problems(res, {Problem{"invalid_type", "at", "时间格式应为 ISO 8601", "at must be an ISO 8601 instant"}}, 400);
        at = *t;
      }
    }
    auto report = run_scheduler_tick(ctx, at);
    write_json(res, {{"at", to_iso_instant(at)},
                     {"notices_due", report.notices},
                     {"inbox_added", report.inbox_added},
                     {"outbox_queued", report.queued},
                     {"delivered", report.delivery.delivered},
                     {"retried", report.delivery.retried},
                     {"dead", report.delivery.dead},
                     {"skipped", report.skipped}});
  });
}

}  // namespace cl::server

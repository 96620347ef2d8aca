// R4/R5/R35: POST /api/v1/customers/import?dry_run=1|0 — the customer ledger from Excel. The rules are
// in customer_csv_import.h; this file is the HTTP edge: role, size, one transaction.
#include "core/time.h"
#include "server/auth.h"
#include "server/customer_csv_import.h"
#include "server/db.h"
#include "server/http_json.h"
#include "server/import_request.h"
#include "server/ids.h"
#include "server/routes_extras.h"
#include "server/store.h"
#include "server/sync_service.h"

namespace cl::server {

void register_customer_import_routes(ApiRouter& r, ServerContext& ctx) {
  // Body: the CSV file's bytes. Every role may import; the owner column is limited by role.
  r.post("/api/v1/customers/import", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_user(req, res, ctx);
    if (!me) return;
    const auto dry_run = import_dry_run(req, res, ctx);
    if (!dry_run) return;
    const Instant now = ctx.now();
    CustomerImportOutcome outcome;
    ctx.store.transaction([&] {
      outcome = import_customer_csv(ctx.store, ctx.db->raw(), *me, sync_settings(ctx), req.body, !*dry_run, now,
                                    [&] { return new_uuid_v7(now); });
      return outcome.status == 201;  // anything else rolls back: a dry run or a refusal writes nothing
    });
    write_json(res, outcome.body, outcome.status);
  });
}

}  // namespace cl::server

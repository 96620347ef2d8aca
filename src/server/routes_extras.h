// Registration entry points of the extras modules (called from register_all_routes in routes.cpp):
// notifications (inbox, outbox admin view, channel settings), evidence files, share links, quote
// PDFs, CSV/XLSX export and lead import, and the scheduler's admin trigger.
#pragma once

#include "server/routes.h"

namespace cl::server {

void register_notify_routes(ApiRouter& r, ServerContext& ctx);    // /api/v1/inbox…, /api/v1/admin/outbox…, /api/v1/admin/notify-channels…
void register_evidence_routes(ApiRouter& r, ServerContext& ctx);  // /api/v1/evidence/{sha256}
void register_share_routes(ApiRouter& r, ServerContext& ctx);     // /api/v1/share-links…, /api/v1/shared/{token}
void register_quote_pdf_routes(ApiRouter& r, ServerContext& ctx); // /api/v1/quotes/{id}/pdf
void register_export_routes(ApiRouter& r, ServerContext& ctx);    // /api/v1/export/{list}.{csv,xlsx}, /api/v1/leads/import
void register_scheduler_routes(ApiRouter& r, ServerContext& ctx); // /api/v1/admin/scheduler/tick
void register_customer_import_routes(ApiRouter& r, ServerContext& ctx); // /api/v1/customers/import

inline void register_extras_routes(ApiRouter& r, ServerContext& ctx) {
  register_notify_routes(r, ctx);
  register_evidence_routes(r, ctx);
  register_share_routes(r, ctx);
  register_quote_pdf_routes(r, ctx);
  register_export_routes(r, ctx);
  register_scheduler_routes(r, ctx);
  register_customer_import_routes(r, ctx);
}

}  // namespace cl::server

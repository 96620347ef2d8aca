// R35 lists out (CSV with BOM, XLSX) scoped by role, and R1 lead import (dry run → preview with
// per-row errors; apply → all rows in one transaction, or none).
#include <filesystem>
#include <set>

#include "core/codec.h"
#include "core/lead_import.h"
#include "core/settings.h"
#include "core/time.h"
#include "server/auth.h"
#include "server/db.h"
#include "server/export_tables.h"
#include "server/extras_records.h"
#include "server/http_json.h"
#include "server/import_request.h"
#include "server/ids.h"
#include "server/lead_csv_import.h"
#include "server/routes_extras.h"
#include "server/store.h"

namespace cl::server {

namespace {

// Only what `list` shows: customers (every list names them), the list's own type, and payments for
// invoices (their open balance). Loading all six types for any list cost a manager's customer CSV
// ~25k opportunities it never showed.
ExportData load_export_data(sqlite3* db, const User& me, const std::string& list) {
  ExportData d;
  const RecordFilter f = filter_for(scope_for(me));
  d.users = load_users(db);
  d.teams = load_teams(db);
  d.settings = default_settings();
  auto s = load_record_bodies(db, "settings", {RecordFilter::Kind::All, ""});
  if (!s.empty())
    if (auto dec = decode<Settings>(s.back()); dec.ok()) d.settings = dec.value;
  d.customers = load_records<Customer>(db, "customer", f);
  if (list == "leads") d.leads = load_records<Lead>(db, "lead", f);
  if (list == "opportunities") d.opportunities = load_records<Opportunity>(db, "opportunity", f);
  if (list == "quotes") d.quotes = load_records<Quote>(db, "quote", f);
  if (list == "invoices") d.invoices = load_records<Invoice>(db, "invoice", f);
  if (list == "invoices" || list == "payments") d.payments = load_records<Payment>(db, "payment", f);
  return d;
}

std::string attachment(const std::string& name) {
  return "attachment; filename=\"" + name + "\"";
}

}  // namespace

void register_export_routes(ApiRouter& r, ServerContext& ctx) {
  r.get(R"(/api/v1/export/([a-z_]{1,40})\.(csv|xlsx))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_user(req, res, ctx);
    if (!me) return;
    const std::string list = req.matches[1], format = req.matches[2];
    std::optional<ExportTable> table;
    ctx.store.read([&] {
      const auto& names = export_list_names();
      if (std::find(names.begin(), names.end(), list) == names.end()) return;
      table = build_export_table(list, load_export_data(ctx.db->raw(), *me, list), ctx.now());
    });
    if (!table) return write_error(res, 404, "not_found", "unknown export list");
    const std::string file = list + "-" + to_iso_date(beijing_date(ctx.now())) + "." + format;
    res.set_header("Content-Disposition", attachment(file));
    res.set_header("Cache-Control", "private, no-store");
    if (format == "csv") return res.set_content(export_csv(*table), "text/csv; charset=utf-8");
    auto x = export_xlsx(*table, std::filesystem::path(ctx.config.data_dir) / "tmp");
    if (!x.ok()) return write_problems(res, x.problems, 500);
    res.set_content(std::move(x.value), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  });

  // Body: the CSV file's bytes (Content-Type text/csv or application/octet-stream).
  r.post("/api/v1/leads/import", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_role(req, res, ctx, {Role::Manager, Role::Admin});
    if (!me) return;
    const auto dry_run = import_dry_run(req, res, ctx);
    if (!dry_run) return;
    const std::string dry = *dry_run ? "1" : "0";
    const Instant now = ctx.now();
    LeadImportPreview preview;
    int imported = 0;
    std::string batch_id;
    ctx.store.transaction([&] {
      sqlite3* db = ctx.db->raw();
      preview = preview_lead_csv(req.body, load_records<Lead>(db, "lead", {RecordFilter::Kind::All, ""}));
      if (dry == "1" || !preview.ok()) return false;  // nothing written
      batch_id = new_uuid_v7(now);
      // R1: core decides ids, status and batch; the server writes every lead in this one transaction.
      auto leads = apply_lead_import(preview.core, batch_id, now, [&] { return new_uuid_v7(now); });
      if (!leads.ok()) return false;
      for (auto& l : leads.value) {
        l.meta.created_at = l.meta.updated_at = now;
        l.meta.version = std::max<std::int64_t>(1, l.meta.version);
        RecordRow rec;
        rec.type = "lead";
        rec.id = l.meta.id;
        rec.owner_id = l.meta.owner_id;
        rec.team_id = me->role == Role::Manager ? me->team_id : "";  // unassigned, visible to the importing team
        rec.region = l.region;
        rec.seq = ctx.store.next_seq();
        rec.version = l.meta.version;
        rec.body = encode(l).dump();
        rec.updated_at = now;
        ctx.store.put_record(rec);
        ++imported;
      }
      return true;
    });
    json out = lead_import_preview_json(preview);
    out["dry_run"] = dry == "1";
    out["imported"] = imported;
    if (!batch_id.empty()) out["import_batch_id"] = batch_id;
    if (dry == "0" && !preview.ok()) {
      out["error"] = {{"code", "import_rejected"},
                      {"message", "no lead was imported: fix the rows listed and try again"},
                      {"fields", json::array()}};
      return write_json(res, out, 422);
    }
    write_json(res, out, dry == "1" ? 200 : 201);
  });
}

}  // namespace cl::server

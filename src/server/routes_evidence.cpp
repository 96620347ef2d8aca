// R10 over HTTP: PUT the bytes under their SHA-256; GET them back only within scope — the caller
// uploaded them, or a record the caller may see references them (an opportunity's stage evidence,
// a quote's PDF). Anything else is 404, so a hash never confirms that someone else's file exists.
#include <sqlite3.h>

#include <filesystem>

#include "core/time.h"
#include "server/auth.h"
#include "server/db.h"
#include "server/evidence_store.h"
#include "server/extras_sqlite.h"
#include "server/http_json.h"
#include "server/routes_extras.h"
#include "server/store.h"

namespace cl::server {

namespace {

EvidenceConfig evidence_config(const ServerContext& ctx) {
  return {std::filesystem::path(ctx.config.data_dir) / "evidence", static_cast<std::int64_t>(ctx.config.evidence_max_bytes)};
}

json meta_json(const EvidenceMeta& m) {
  return {{"sha256", m.sha256}, {"size_bytes", m.size_bytes}, {"mime_type", m.mime_type},
          {"created_at", to_iso_instant(m.created_at)}};
}

}  // namespace

// R33: may `user` read evidence `sha`? Uploader, admin, or a referencing record in scope.
bool may_read_evidence(sqlite3* db, const User& user, const std::string& sha) {
  if (user.role == Role::Admin) return true;
  if (evidence_uploaded_by(db, sha, user.id)) return true;
  const Scope scope = scope_for(user);
  // Records embed references as {"sha256":"<hex>"} in their JSON bodies (core codec).
  xsql::Stmt s(db, "SELECT owner_id, team_id FROM records WHERE deleted = 0 AND type IN ('opportunity','activity','quote','contract','payment','customer') "
                   "AND instr(body, ?1) > 0");
  s.bind(1, sha);
  while (s.step())
    if (in_scope(scope, s.text(0), s.text(1))) return true;
  xsql::Stmt q(db, "SELECT r.owner_id, r.team_id FROM quote_documents d JOIN records r ON r.type = 'quote' AND r.id = d.quote_id "
                   "WHERE d.sha256 = ?1 AND r.deleted = 0");
  q.bind(1, sha);
  while (q.step())
    if (in_scope(scope, q.text(0), q.text(1))) return true;
  return false;
}

void register_evidence_routes(ApiRouter& r, ServerContext& ctx) {
  r.put(R"(/api/v1/evidence/([^/]{1,128}))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_user(req, res, ctx);
    if (!me) return;
    const std::string sha = req.matches[1];
    EvidencePutResult result;
    ctx.store.transaction([&] {
      result = evidence_put(ctx.db->raw(), evidence_config(ctx), sha, req.body, me->id, ctx.now());
    });
    switch (result.status) {
      case 200:
      case 201: return write_json(res, {{"evidence", meta_json(result.meta)}, {"created", result.status == 201}}, result.status);
      case 413: return write_error(res, 413, "too_large", "evidence file exceeds the size limit");
      case 415: return write_error(res, 415, "unsupported_type", "only PDF, JPEG, PNG and HEIC files are accepted");
      default:
        return write_error(res, 400, result.error_code,
                           result.error_code == "hash_mismatch" ? "the SHA-256 of the body does not match the URL"
                                                                : "the URL must end in 64 lowercase hex digits");
    }
  });

  r.get(R"(/api/v1/evidence/([^/]{1,128}))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_user(req, res, ctx);
    if (!me) return;
    const std::string sha = req.matches[1];
    if (!is_sha256_hex(sha)) return write_error(res, 400, "invalid_hash", "the URL must end in 64 lowercase hex digits");
    std::optional<EvidenceMeta> meta;
    bool allowed = false;
    ctx.store.read([&] {
      meta = evidence_meta(ctx.db->raw(), sha);
      allowed = meta && may_read_evidence(ctx.db->raw(), *me, sha);
    });
    if (!meta || !allowed) return write_error(res, 404, "not_found", "evidence not found");
    auto bytes = evidence_read(evidence_config(ctx), sha);
    if (!bytes) return write_error(res, 404, "not_found", "evidence not found");
    res.set_header("Cache-Control", "private, max-age=31536000, immutable");
    res.set_header("Content-Disposition", "attachment; filename=\"" + sha.substr(0, 12) + "\"");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(std::move(*bytes), meta->mime_type.c_str());
  });
}

}  // namespace cl::server

// R18 over HTTP. GET renders the quote PDF for viewing/downloading; POST also stores it as a
// content-addressed evidence file linked to the quote and its opportunity, and queues an e-mail with
// the PDF attached (delivered by the outbox: retries, exactly once per quote version and recipient).
#include <sodium.h>

#include <filesystem>

#include "core/codec.h"
#include "core/time.h"
#include "server/auth.h"
#include "server/db.h"
#include "server/evidence_store.h"
#include "server/extras_records.h"
#include "server/extras_sqlite.h"
#include "server/http_json.h"
#include "server/notify_outbox.h"
#include "server/notify_smtp.h"
#include "server/pdf_quote.h"
#include "server/routes_extras.h"
#include "server/store.h"

namespace cl::server {

namespace {

struct LoadedQuote {
  int status = 200;  // 404 when missing or out of scope
  QuotePdfInput input;
  Id owner_id;
};

LoadedQuote load_quote(ServerContext& ctx, const User& me, const Id& quote_id) {
  LoadedQuote out;
  auto row = ctx.store.get_record("quote", quote_id);
  // R33: outside the caller's scope is indistinguishable from missing.
  if (!row || row->deleted || !in_scope(scope_for(me), row->owner_id, row->team_id)) {
    out.status = 404;
    return out;
  }
  auto q = decode<Quote>(nlohmann::json::parse(row->body, nullptr, false));
  if (!q.ok()) {
    out.status = 500;
    return out;
  }
  QuotePdfInput& in = out.input;
  in.quote = q.value;
  out.owner_id = row->owner_id;
  in.company.name = ctx.config.option("company-name", "杭州示例医疗器械有限公司");
  in.company.address = ctx.config.option("company-address");
  in.company.phone = ctx.config.option("company-phone");
  in.company.email = ctx.config.option("company-email");
  if (auto c = ctx.store.get_record("customer", in.quote.customer_id); c && !c->deleted) {
    if (auto cust = decode<Customer>(nlohmann::json::parse(c->body, nullptr, false)); cust.ok()) {
      in.customer_name = cust.value.name;
      in.customer_contact = cust.value.decision_maker +
                            (cust.value.decision_maker_title.empty() ? "" : "（" + cust.value.decision_maker_title + "）");
      in.customer_phone = cust.value.phone;
      in.customer_address = cust.value.address;
    }
  }
  if (auto rep = ctx.store.find_user(row->owner_id)) {
    in.rep_name = rep->user.display_name;
    in.rep_phone = rep->user.phone;
  }
  if (!in.quote.approved_by.empty())
    if (auto a = ctx.store.find_user(in.quote.approved_by)) in.approved_by_name = a->user.display_name;
  return out;
}

std::string pdf_file_name(const Quote& q) { return "报价单-" + (q.code.empty() ? q.meta.id : q.code) + ".pdf"; }

std::string content_disposition(const char* kind, const std::string& utf8_name) {
  static const char* hex = "0123456789ABCDEF";
  std::string enc;
  for (unsigned char c : utf8_name) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_') enc += static_cast<char>(c);
    else {
      enc += '%';
      enc += hex[c >> 4];
      enc += hex[c & 15];
    }
  }
  return std::string(kind) + "; filename=\"quote.pdf\"; filename*=UTF-8''" + enc;
}

std::string b64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

}  // namespace

void register_quote_pdf_routes(ApiRouter& r, ServerContext& ctx) {
  r.get(R"(/api/v1/quotes/([A-Za-z0-9_.:-]{1,100})/pdf)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_user(req, res, ctx);
    if (!me) return;
    LoadedQuote q;
    ctx.store.read([&] { q = load_quote(ctx, *me, req.matches[1]); });
    if (q.status == 404) return write_error(res, 404, "not_found", "quote not found");
    if (q.status != 200) return write_error(res, 500, "internal_error", "stored quote cannot be read");
    auto pdf = render_quote_pdf(q.input);
    if (!pdf.ok()) return write_problems(res, pdf.problems, 500);
    res.set_header("Content-Disposition", content_disposition("inline", pdf_file_name(q.input.quote)));
    res.set_header("Cache-Control", "private, no-store");
    res.set_content(std::move(pdf.value), "application/pdf");
  });

  // Body (optional): {"to": "buyer@hospital.cn", "message": "…"}; without "to" nothing is e-mailed.
  r.post(R"(/api/v1/quotes/([A-Za-z0-9_.:-]{1,100})/pdf)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_user(req, res, ctx);
    if (!me) return;
    json body = json::object();
    if (!req.body.empty()) {
      auto parsed = parse_json_body(req, res, ctx.config.max_json_bytes);
      if (!parsed) return;
      body = *parsed;
    }
    std::string to, message;
    if (body.contains("to")) {
      if (!body["to"].is_string() || !plausible_email(body["to"].get<std::string>()))
        return write_problems(res, {Problem{"invalid_email", "to", "收件邮箱格式不正确", "recipient e-mail is not valid"}}, 422);
      to = body["to"].get<std::string>();
    }
    if (body.contains("message") && body["message"].is_string()) message = body["message"].get<std::string>();

    LoadedQuote q;
    ctx.store.read([&] { q = load_quote(ctx, *me, req.matches[1]); });
    if (q.status == 404) return write_error(res, 404, "not_found", "quote not found");
    if (q.status != 200) return write_error(res, 500, "internal_error", "stored quote cannot be read");
    auto pdf = render_quote_pdf(q.input);
    if (!pdf.ok()) return write_problems(res, pdf.problems, 500);
    const Quote& quote = q.input.quote;
    const std::string sha = sha256_hex(pdf.value);
    bool queued = false;
    const Instant now = ctx.now();
    ctx.store.transaction([&] {
      sqlite3* db = ctx.db->raw();
      EvidenceConfig cfg{std::filesystem::path(ctx.config.data_dir) / "evidence",
                         static_cast<std::int64_t>(ctx.config.evidence_max_bytes)};
      evidence_put(db, cfg, sha, pdf.value, me->id, now);
      // R18: linked to the quote and its opportunity (the rep's workbench lists quote_documents).
      xsql::Stmt link(db, "INSERT INTO quote_documents(quote_id, sha256, opportunity_id, created_by, created_at, emailed_to) "
                          "VALUES(?,?,?,?,?,?) ON CONFLICT(quote_id, sha256) DO UPDATE SET emailed_to = "
                          "CASE WHEN excluded.emailed_to = '' THEN emailed_to ELSE excluded.emailed_to END");
      link.bind(1, quote.meta.id).bind(2, sha).bind(3, quote.opportunity_id).bind(4, me->id).bind(5, now).bind(6, to);
      link.run();
      if (!to.empty()) {
        std::string text = (message.empty() ? "您好，\n\n附件是报价单 " + quote.code + "，有效期至 " + to_iso_date(quote.valid_until) +
                                                  "。如有疑问请联系 " + q.input.rep_name +
                                                  (q.input.rep_phone.empty() ? "" : "（" + q.input.rep_phone + "）") + "。\n\n" +
                                                  q.input.company.name
                                            : message);
        OutboxMessage m;
        m.channel = "email";
        m.target = to;
        m.payload = {{"subject", "报价单 " + quote.code + " - " + q.input.company.name},
                     {"text", text},
                     {"attachments", json::array({{{"file_name", pdf_file_name(quote)}, {"mime_type", "application/pdf"},
                                                    {"base64", b64(pdf.value)}}})}};
        // Exactly once per PDF content and recipient: sending the same quote twice is a no-op.
        m.dedupe_key = "quote-mail:" + quote.meta.id + ":" + sha + ":" + to;
        queued = outbox_enqueue(db, m, now);
      }
    });
    write_json(res,
               {{"sha256", sha},
                {"evidence_url", "/api/v1/evidence/" + sha},
                {"size_bytes", pdf.value.size()},
                {"quote_id", quote.meta.id},
                {"opportunity_id", quote.opportunity_id},
                {"emailed_to", to.empty() ? json() : json(to)},
                {"email_queued", queued}},
               201);
  });
}

}  // namespace cl::server

#include "server/notify_outbox.h"

#include <sodium.h>

#include <algorithm>

#include "core/time.h"
#include "server/extras_sqlite.h"
#include "server/notify_dingtalk.h"
#include "server/notify_http.h"
#include "server/notify_smtp.h"

namespace cl::server {

using xsql::Stmt;

namespace {

constexpr const char* kColumns =
    "id, channel, target, secret, payload, dedupe_key, attempts, next_attempt_at, status, last_error, created_at, "
    "delivered_at";

OutboxRow read_row(const Stmt& s) {
  OutboxRow r;
  r.id = s.i64(0);
  r.channel = s.text(1);
  r.target = s.text(2);
  r.secret = s.text(3);
  r.payload = s.text(4);
  r.dedupe_key = s.text(5);
  r.attempts = static_cast<int>(s.i64(6));
  r.next_attempt_at = s.i64(7);
  r.status = s.text(8);
  r.last_error = s.text(9);
  r.created_at = s.i64(10);
  r.delivered_at = s.opt_i64(11);
  return r;
}

// "https://oapi.dingtalk.com/robot/send?access_token=abcdef123456…" -> "…access_token=abcd…"
std::string redact_url(const std::string& url) {
  for (const char* key : {"access_token=", "key="}) {
    auto p = url.find(key);
    if (p == std::string::npos) continue;
    auto start = p + std::char_traits<char>::length(key);
    auto end = url.find('&', start);
    std::string token = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    return url.substr(0, start) + token.substr(0, std::min<std::size_t>(4, token.size())) + "…" +
           (end == std::string::npos ? "" : url.substr(end));
  }
  return url;
}

std::string decode_base64(const std::string& s) {
  std::string out(s.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), s.c_str(), s.size(), "\r\n", &len,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return {};
  out.resize(len);
  return out;
}

}  // namespace

bool outbox_enqueue(sqlite3* db, const OutboxMessage& m, Instant now) {
  Stmt s(db,
         "INSERT INTO outbox(channel, target, secret, payload, dedupe_key, attempts, next_attempt_at, status, "
         "last_error, created_at) VALUES(?,?,?,?,?,0,?,'pending','',?) ON CONFLICT(dedupe_key) DO NOTHING");
  s.bind(1, m.channel).bind(2, m.target).bind(3, m.secret).bind(4, m.payload.dump()).bind(5, m.dedupe_key);
  s.bind(6, now).bind(7, now);
  s.run();
  return xsql::changes(db) == 1;
}

Instant outbox_backoff(int failed_attempts, const OutboxPolicy& policy) {
  Instant d = policy.base_backoff;
  for (int i = 1; i < failed_attempts && d < policy.max_backoff; ++i) d *= 2;
  return std::min(d, policy.max_backoff);
}

DeliveryReport outbox_deliver_due(sqlite3* db, Instant now, const OutboxSender& send, const OutboxPolicy& policy,
                                  const DbSection& section) {
  auto with_db = [&](const std::function<void()>& work) {
    if (section) section(work);
    else work();
  };
  DeliveryReport report;
  std::vector<OutboxRow> due;
  with_db([&] {
    // A row left "sending" by a crash is retried once its lease is over (see the header).
    Stmt r(db, "UPDATE outbox SET status='pending', last_error='interrupted while sending' "
               "WHERE status='sending' AND next_attempt_at <= ?");
    r.bind(1, now - policy.sending_lease).run();
    Stmt s(db, std::string("SELECT ") + kColumns +
                   " FROM outbox WHERE status='pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?");
    s.bind(1, now).bind(2, policy.batch);
    while (s.step()) due.push_back(read_row(s));
  });
  for (auto& row : due) {
    bool claimed = false;
    with_db([&] {
      // Claim: only one deliverer (another thread, another tick) may send a given row.
      Stmt s(db, "UPDATE outbox SET status='sending', attempts=attempts+1, next_attempt_at=? "
                 "WHERE id=? AND status='pending'");
      s.bind(1, now).bind(2, row.id).run();
      claimed = xsql::changes(db) == 1;
    });
    if (!claimed) continue;
    row.attempts += 1;
    DeliveryOutcome outcome;
    try {
      outcome = send(row, now);
    } catch (const std::exception& e) {
      outcome = {false, std::string("sender threw: ") + e.what()};
    }
    with_db([&] {
      if (outcome.delivered) {
        Stmt s(db, "UPDATE outbox SET status='delivered', delivered_at=?, last_error='' WHERE id=?");
        s.bind(1, now).bind(2, row.id).run();
        ++report.delivered;
      } else if (row.attempts >= policy.max_attempts) {
        Stmt s(db, "UPDATE outbox SET status='dead', last_error=? WHERE id=?");
        s.bind(1, outcome.error.substr(0, 500)).bind(2, row.id).run();
        ++report.dead;
      } else {
        Stmt s(db, "UPDATE outbox SET status='pending', last_error=?, next_attempt_at=? WHERE id=?");
        s.bind(1, outcome.error.substr(0, 500)).bind(2, now + outbox_backoff(row.attempts, policy)).bind(3, row.id).run();
        ++report.retried;
      }
    });
  }
  return report;
}

std::vector<OutboxRow> outbox_list(sqlite3* db, const std::string& status, int limit, std::int64_t before_id) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM outbox WHERE (?1 = '' OR status = ?1)" +
                    " AND (?2 = 0 OR id < ?2) ORDER BY id DESC LIMIT ?3";
  Stmt s(db, sql);
  s.bind(1, status).bind(2, before_id).bind(3, std::clamp(limit, 1, 500));
  std::vector<OutboxRow> rows;
  while (s.step()) rows.push_back(read_row(s));
  return rows;
}

std::optional<OutboxRow> outbox_find(sqlite3* db, const std::string& dedupe_key) {
  Stmt s(db, std::string("SELECT ") + kColumns + " FROM outbox WHERE dedupe_key = ?");
  s.bind(1, dedupe_key);
  if (!s.step()) return std::nullopt;
  return read_row(s);
}

nlohmann::json outbox_row_json(const OutboxRow& r) {
  auto payload = nlohmann::json::parse(r.payload, nullptr, false);
  if (payload.is_object() && payload.contains("attachments")) {
    // Attachments can be megabytes of base64: list names and sizes only.
    nlohmann::json names = nlohmann::json::array();
    for (const auto& a : payload["attachments"])
      names.push_back({{"file_name", a.value("file_name", "")}, {"base64_chars", a.value("base64", "").size()}});
    payload["attachments"] = names;
  }
  return {{"id", r.id},
          {"channel", r.channel},
          {"target", r.channel == "email" ? r.target : redact_url(r.target)},
          {"signed", !r.secret.empty()},
          {"payload", payload},
          {"dedupe_key", r.dedupe_key},
          {"attempts", r.attempts},
          {"next_attempt_at", to_iso_instant(r.next_attempt_at)},
          {"status", r.status},
          {"last_error", r.last_error},
          {"created_at", to_iso_instant(r.created_at)},
          {"delivered_at", r.delivered_at ? nlohmann::json(to_iso_instant(*r.delivered_at)) : nlohmann::json()}};
}

OutboxSender make_channel_sender(const SmtpConfig& smtp, std::string from_address, std::string from_name) {
  return [smtp, from_address, from_name](const OutboxRow& row, Instant now) -> DeliveryOutcome {
    if (row.channel == "dingtalk") {
      std::string url = row.secret.empty() ? row.target : dingtalk_signed_url(row.target, row.secret, now);
      auto err = robot_delivery_error(http_post_json(url, row.payload));
      return {err.empty(), err};
    }
    if (row.channel == "wecom") {
      auto err = robot_delivery_error(http_post_json(row.target, row.payload));
      return {err.empty(), err};
    }
    if (row.channel == "webhook") {
      auto r = http_post_json(row.target, row.payload);
      if (!r.transport_ok) return {false, "transport: " + r.error};
      bool ok = r.status >= 200 && r.status < 300;
      return {ok, ok ? "" : "http " + std::to_string(r.status)};
    }
    if (row.channel == "email") {
      if (smtp.url.empty()) return {false, "smtp not configured"};
      auto p = nlohmann::json::parse(row.payload, nullptr, false);
      if (!p.is_object()) return {false, "bad e-mail payload"};
      EmailMessage m;
      m.from_address = from_address;
      m.from_name = from_name;
      m.to = {row.target};
      m.subject = p.value("subject", "");
      m.text_body = p.value("text", "");
      for (const auto& a : p.value("attachments", nlohmann::json::array()))
        m.attachments.push_back(
            {a.value("file_name", "attachment"), a.value("mime_type", "application/octet-stream"),
             decode_base64(a.value("base64", ""))});
      auto r = smtp_send(smtp, m, now);
      return {r.ok, r.error};
    }
    return {false, "unknown channel " + row.channel};
  };
}

}  // namespace cl::server

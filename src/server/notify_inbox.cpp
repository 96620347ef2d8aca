#include "server/notify_inbox.h"

#include <algorithm>

#include "core/time.h"
#include "server/extras_sqlite.h"

namespace cl::server {

using xsql::Stmt;

namespace {
constexpr const char* kCols =
    "id, user_id, kind, subject_type, subject_id, title_zh, title_en, body_zh, body_en, dedupe_key, created_at, acked_at";

InboxItem read(const Stmt& s) {
  InboxItem i;
  i.id = s.i64(0);
  i.user_id = s.text(1);
  i.kind = s.text(2);
  i.subject_type = s.text(3);
  i.subject_id = s.text(4);
  i.title_zh = s.text(5);
  i.title_en = s.text(6);
  i.body_zh = s.text(7);
  i.body_en = s.text(8);
  i.dedupe_key = s.text(9);
  i.created_at = s.i64(10);
  i.acked_at = s.opt_i64(11);
  return i;
}
}  // namespace

bool inbox_add(sqlite3* db, const InboxItem& i) {
  Stmt s(db, "INSERT INTO notifications(user_id, kind, subject_type, subject_id, title_zh, title_en, body_zh, body_en, "
             "dedupe_key, created_at) VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT(dedupe_key) DO NOTHING");
  s.bind(1, i.user_id).bind(2, i.kind).bind(3, i.subject_type).bind(4, i.subject_id).bind(5, i.title_zh);
  s.bind(6, i.title_en).bind(7, i.body_zh).bind(8, i.body_en).bind(9, i.dedupe_key).bind(10, i.created_at);
  s.run();
  return xsql::changes(db) == 1;
}

std::vector<InboxItem> inbox_list(sqlite3* db, const std::string& user_id, bool unacked_only, int limit,
                                  std::int64_t before_id) {
  Stmt s(db, std::string("SELECT ") + kCols +
                 " FROM notifications WHERE user_id=?1 AND (?2 = 0 OR acked_at IS NULL) AND (?3 = 0 OR id < ?3)"
                 " ORDER BY id DESC LIMIT ?4");
  s.bind(1, user_id).bind(2, unacked_only ? 1 : 0).bind(3, before_id).bind(4, std::clamp(limit, 1, 200));
  std::vector<InboxItem> out;
  while (s.step()) out.push_back(read(s));
  return out;
}

std::int64_t inbox_unacked_count(sqlite3* db, const std::string& user_id) {
  Stmt s(db, "SELECT count(*) FROM notifications WHERE user_id=? AND acked_at IS NULL");
  s.bind(1, user_id);
  s.step();
  return s.i64(0);
}

AckResult inbox_ack(sqlite3* db, std::int64_t id, const std::string& user_id, Instant now) {
  Stmt s(db, "SELECT acked_at FROM notifications WHERE id=? AND user_id=?");
  s.bind(1, id).bind(2, user_id);
  if (!s.step()) return AckResult::NotFound;
  if (!s.is_null(0)) return AckResult::AlreadyAcked;
  Stmt u(db, "UPDATE notifications SET acked_at=? WHERE id=? AND acked_at IS NULL");
  u.bind(1, now).bind(2, id).run();
  return AckResult::Acked;
}

std::optional<InboxItem> inbox_find_by_key(sqlite3* db, const std::string& dedupe_key) {
  Stmt s(db, std::string("SELECT ") + kCols + " FROM notifications WHERE dedupe_key=?");
  s.bind(1, dedupe_key);
  if (!s.step()) return std::nullopt;
  return read(s);
}

nlohmann::json inbox_item_json(const InboxItem& i) {
  return {{"id", i.id},
          {"kind", i.kind},
          {"subject_type", i.subject_type},
          {"subject_id", i.subject_id},
          {"title_zh", i.title_zh},
          {"title_en", i.title_en},
          {"body_zh", i.body_zh},
          {"body_en", i.body_en},
          {"created_at", to_iso_instant(i.created_at)},
          {"acked_at", i.acked_at ? nlohmann::json(to_iso_instant(*i.acked_at)) : nlohmann::json()}};
}

}  // namespace cl::server

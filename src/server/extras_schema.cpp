#include "server/extras_schema.h"

#include "server/extras_sqlite.h"

namespace cl::server {

const std::vector<ExtrasMigration>& extras_migrations() {
  static const std::vector<ExtrasMigration> list = {
      {"extras_001_outbox", R"SQL(
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel IN ('dingtalk','wecom','email','webhook')),
  target TEXT NOT NULL,
  secret TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','sending','delivered','dead')),
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(status, next_attempt_at);
)SQL"},
      {"extras_002_notify_channels", R"SQL(
CREATE TABLE IF NOT EXISTS notify_channels (
  scope_type TEXT NOT NULL CHECK (scope_type IN ('team','user')),
  scope_id TEXT NOT NULL,
  dingtalk_webhook TEXT NOT NULL DEFAULT '',
  dingtalk_secret TEXT NOT NULL DEFAULT '',
  wecom_webhook TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  mobile TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (scope_type, scope_id)
);
)SQL"},
      {"extras_003_notifications", R"SQL(
CREATE TABLE IF NOT EXISTS notifications (
  id INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject_type TEXT NOT NULL DEFAULT '',
  subject_id TEXT NOT NULL DEFAULT '',
  title_zh TEXT NOT NULL DEFAULT '',
  title_en TEXT NOT NULL DEFAULT '',
  body_zh TEXT NOT NULL DEFAULT '',
  body_en TEXT NOT NULL DEFAULT '',
  dedupe_key TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  acked_at INTEGER
);
CREATE INDEX IF NOT EXISTS notifications_user ON notifications(user_id, id);
)SQL"},
      {"extras_004_evidence", R"SQL(
CREATE TABLE IF NOT EXISTS evidence_files (
  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  size_bytes INTEGER NOT NULL,
  mime_type TEXT NOT NULL,
  first_uploaded_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS evidence_uploads (
  sha256 TEXT NOT NULL REFERENCES evidence_files(sha256),
  user_id TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL,
  PRIMARY KEY (sha256, user_id)
);
)SQL"},
      {"extras_005_share_links", R"SQL(
CREATE TABLE IF NOT EXISTS share_links (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  team_id TEXT NOT NULL DEFAULT '',
  region TEXT NOT NULL DEFAULT '',
  label TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  last_used_at INTEGER,
  CHECK ((team_id = '') <> (region = ''))
);
)SQL"},
      {"extras_006_quote_documents", R"SQL(
CREATE TABLE IF NOT EXISTS quote_documents (
  quote_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  opportunity_id TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  emailed_to TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (quote_id, sha256)
);
)SQL"},
  };
  return list;
}

void apply_extras_schema(sqlite3* db) {
  for (const auto& m : extras_migrations()) xsql::exec(db, m.sql);
}

}  // namespace cl::server

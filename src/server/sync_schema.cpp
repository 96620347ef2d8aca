#include "server/sync_schema.h"

namespace cl::server {

const std::string& sync_migration_100_sql() {
  static const std::string sql = R"SQL(
CREATE TABLE sync_clients (
  user_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  last_mid INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, client_id)
);
CREATE TABLE sync_rejections (
  user_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  mid INTEGER NOT NULL,
  name TEXT NOT NULL,
  args TEXT NOT NULL,
  problems TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (user_id, client_id, mid)
);
CREATE TABLE sync_conflicts (
  id INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  mid INTEGER NOT NULL,
  body TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX sync_conflicts_client ON sync_conflicts(user_id, client_id, id);
CREATE TABLE sync_scope_exits (
  seq INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  old_owner_id TEXT NOT NULL,
  old_team_id TEXT NOT NULL
);
CREATE INDEX sync_scope_exits_owner ON sync_scope_exits(old_owner_id, seq);
CREATE INDEX sync_scope_exits_team ON sync_scope_exits(old_team_id, seq);
CREATE TABLE sync_state (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO sync_state(key, value) VALUES ('tombstone_horizon', 0);
CREATE INDEX records_customer_code ON records(json_extract(body, '$.code')) WHERE type = 'customer';
)SQL";
  return sql;
}

}  // namespace cl::server

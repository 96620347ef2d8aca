#include "server/migrations.h"

#include <algorithm>
#include <set>

#include "server/catalog_scope.h"
#include "server/customer_match_keys.h"
#include "server/db.h"
#include "server/extras_schema.h"
#include "server/sync_schema.h"

namespace cl::server {

const std::vector<Migration>& all_migrations() {
  // Append only. See migrations.h for the version blocks per module.
  static const std::vector<Migration> list = [] {
    std::vector<Migration> l = {
      {1, "teams_users_sessions", R"SQL(
CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  region TEXT NOT NULL DEFAULT '',
  manager_id TEXT NOT NULL DEFAULT ''
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('rep','manager','admin')),
  team_id TEXT REFERENCES teams(id),
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX users_team ON users(team_id);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER NOT NULL DEFAULT 0,
  client_info TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE login_attempts (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL COLLATE NOCASE,
  address TEXT NOT NULL,
  at INTEGER NOT NULL,
  success INTEGER NOT NULL,
  cleared INTEGER NOT NULL DEFAULT 0   -- set by a later successful login (resets the account count only)
);
CREATE INDEX login_attempts_user ON login_attempts(username, at);
CREATE INDEX login_attempts_addr ON login_attempts(address, at);
)SQL"},
      {2, "records_seq_devices_audit", R"SQL(
CREATE TABLE server_seq (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);
INSERT INTO server_seq(id, value) VALUES (1, 0);
CREATE TABLE records (
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  owner_id TEXT NOT NULL DEFAULT '',
  team_id TEXT NOT NULL DEFAULT '',
  region TEXT NOT NULL DEFAULT '',
  seq INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (type, id)
);
CREATE UNIQUE INDEX records_seq ON records(seq);
CREATE INDEX records_owner_seq ON records(owner_id, seq);
CREATE INDEX records_team_seq ON records(team_id, seq);
CREATE INDEX records_region_seq ON records(region, seq);
CREATE TABLE devices (
  client_id TEXT PRIMARY KEY,
  device_no INTEGER NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL
);
CREATE TABLE audit_events (
  id TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  action TEXT NOT NULL,
  changes TEXT NOT NULL DEFAULT '[]',
  evidence TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX audit_entity ON audit_events(entity_type, entity_id, at);
CREATE INDEX audit_at ON audit_events(at);
)SQL"},
      {100, "sync_clients_rejections_conflicts_exits", sync_migration_100_sql()},
      {150, "records_shared_catalog_seq", catalog_migration_150_sql()},  // catalog_scope.h
      {160, "drop_records_shared_catalog_seq", catalog_migration_160_sql()},
      {kCustomerMatchKeysMigration, "customer_match_keys", customer_match_keys_migration_sql()},
      {180, "catalog_state", catalog_migration_180_sql()},
      // No query reads records by region (a region share link is the region's teams, read by
      // team_id), yet the index cost a b-tree write on every record write: about a sixth of the
      // index work of a sync push. The column stays; an index can come back with a query that needs it.
      {190, "drop_records_region_seq", "DROP INDEX IF EXISTS records_region_seq;"},
      {kCustomerCodeKeysMigration, "customer_code_keys", customer_code_keys_migration_sql()},  // customer_match_keys.h
      // Nothing reads audit_events by entity or by time (the audit trail is written here and read by
      // operators with their own queries), yet every audited push change paid two more b-tree inserts
      // for these. An index can come back with the first query that reads by it.
      {192, "drop_audit_indexes", "DROP INDEX IF EXISTS audit_entity; DROP INDEX IF EXISTS audit_at;"},
    };
    // The extras modules keep their steps in extras_schema.cpp, in order; they take 200, 201, …
    int version = 200;
    for (const auto& m : extras_migrations()) l.push_back({version++, m.name, m.sql});
    return l;
  }();
  return list;
}

std::vector<int> migrate(Db& db, const std::vector<Migration>& list, long long now_ms) {
  std::lock_guard lock(db.mutex());
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at INTEGER NOT NULL)");
  std::set<int> applied;
  {
    auto st = db.prepare("SELECT version FROM schema_migrations");
    while (st.step()) applied.insert(static_cast<int>(st.col_int(0)));
  }
  std::vector<const Migration*> ordered;
  for (const auto& m : list) ordered.push_back(&m);
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->version < b->version; });

  std::vector<int> done;
  for (const Migration* m : ordered) {
    if (applied.count(m->version)) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(m->sql);
      db.prepare("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)")
          .bind_all(static_cast<std::int64_t>(m->version), m->name, static_cast<std::int64_t>(now_ms))
          .run();
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
    done.push_back(m->version);
  }
  return done;
}

}  // namespace cl::server

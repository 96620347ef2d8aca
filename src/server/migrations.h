// Schema migrations, numbered and applied in order, each in its own transaction, recorded in
// `schema_migrations(version, name, applied_at)`.
//
// Adding tables for a module: append a Migration to the list in migrations.cpp — never edit one
// that has shipped. Version blocks keep parallel work from colliding:
//   1–99 foundation (users, sessions, records, audit) · 100–199 sync (sync_schema.cpp)
//   200–299 extras: notifications, outbox, evidence, share links — appended in order from
//   extras_migrations() (extras_schema.cpp), so the extras list itself must also be append-only.
#pragma once

#include <string>
#include <vector>

namespace cl::server {

class Db;

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

const std::vector<Migration>& all_migrations();

// Applies what is missing; returns the versions applied now. Throws DbError on failure (the
// failing migration is rolled back; earlier ones stay).
std::vector<int> migrate(Db& db, const std::vector<Migration>& list, long long now_ms);

}  // namespace cl::server

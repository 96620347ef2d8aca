// Tables of the extras modules (notifications, outbox, evidence, share links). Each entry is one
// migration step, in order; the foundation's migration list appends them after its own, and tests
// that exercise a module alone run them on a fresh in-memory database.
#pragma once

#include <sqlite3.h>

#include <string>
#include <vector>

namespace cl::server {

struct ExtrasMigration {
  std::string name;
  std::string sql;
};

const std::vector<ExtrasMigration>& extras_migrations();

// Runs every extras migration (for module tests; the server uses its migration runner).
void apply_extras_schema(sqlite3* db);

}  // namespace cl::server

#include "server/catalog_scope.h"

#include <algorithm>

#include "server/db.h"
#include "server/sqlite_store.h"

namespace cl::server {

namespace {
// The catalog read goes through the primary key's (type, id) index, one range per type, and sorts
// the few rows: the partial index of migration 150 was never chosen by the planner, yet SQLite
// evaluated its WHERE on every insert and update of `records` — and that IN list built a temporary
// b-tree each time (a fifth of a sync push's instructions). Migration 160 drops it.
constexpr const char* kCatalogTerm = "type IN ('product', 'price_list', 'settings')";
}  // namespace

bool is_shared_catalog_type(std::string_view type) {
  return type == "product" || type == "price_list" || type == "settings";
}

void merge_shared_catalog(Db& db, std::vector<RecordRow>& rows, std::int64_t after_seq, int limit) {
  auto& st = db.cached(std::string("SELECT " CL_RECORD_COLS " FROM records WHERE ") + kCatalogTerm + " AND seq > ? ORDER BY seq LIMIT ?");
  st.bind_all(after_seq, limit);
  std::vector<RecordRow> shared;
  while (st.step()) shared.push_back(read_record(st));
  st.reset();
  if (shared.empty()) return;
  // A catalog row can already be in `rows` only if it were in the caller's scope (it is not: no owner,
  // no team) — but never send one twice.
  std::vector<RecordRow> merged;
  merged.reserve(std::min<std::size_t>(rows.size() + shared.size(), static_cast<std::size_t>(limit)));
  std::size_t a = 0, b = 0;
  while (merged.size() < static_cast<std::size_t>(limit) && (a < rows.size() || b < shared.size())) {
    const bool take_row = b >= shared.size() || (a < rows.size() && rows[a].seq <= shared[b].seq);
    if (take_row) {
      if (b < shared.size() && rows[a].seq == shared[b].seq) ++b;
      merged.push_back(std::move(rows[a++]));
    } else {
      merged.push_back(std::move(shared[b++]));
    }
  }
  rows = std::move(merged);
}

const std::string& catalog_migration_150_sql() {
  static const std::string sql = std::string("CREATE INDEX records_shared_catalog_seq ON records(seq) WHERE ") + kCatalogTerm + ";\n";
  return sql;
}

const std::string& catalog_migration_160_sql() {
  static const std::string sql = "DROP INDEX records_shared_catalog_seq;\n";
  return sql;
}

}  // namespace cl::server

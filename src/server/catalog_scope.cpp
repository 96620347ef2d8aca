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

void CatalogCache::merge(Db& db, std::vector<RecordRow>& rows, std::int64_t after_seq, int limit) {
  const std::shared_ptr<const std::vector<RecordRow>> all = snapshot(db, after_seq);
  if (!all) return;  // nothing in the catalog changed after the cursor
  std::vector<RecordRow> shared;
  for (const auto& r : *all)
    if (r.seq > after_seq) {
      if (shared.size() >= static_cast<std::size_t>(limit)) break;
      shared.push_back(r);
    }
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

std::shared_ptr<const std::vector<RecordRow>> CatalogCache::snapshot(Db& db, std::int64_t after_seq) {
  auto& hs = db.cached("SELECT high_seq FROM catalog_state WHERE id = 1");
  const std::int64_t high = hs.step() ? hs.col_int(0) : 0;
  hs.reset();
  if (after_seq >= high) return nullptr;  // nothing in the catalog changed after the cursor
  std::shared_ptr<const std::vector<RecordRow>> all;
  {
    std::lock_guard lock(mutex_);
    if (high_seq_ == high) all = rows_;
  }
  if (!all) {
    auto& st = db.cached(std::string("SELECT " CL_RECORD_COLS " FROM records WHERE ") + kCatalogTerm + " ORDER BY seq");
    auto fresh = std::make_shared<std::vector<RecordRow>>();
    while (st.step()) fresh->push_back(read_record(st));
    st.reset();
    all = fresh;
    std::lock_guard lock(mutex_);
    if (high > high_seq_) {  // never replace a newer state with an older snapshot's
      high_seq_ = high;
      rows_ = all;
    }
  }
  return all;
}

void note_catalog_write(Db& db, std::int64_t seq) {
  db.cached("UPDATE catalog_state SET high_seq = max(high_seq, ?) WHERE id = 1").bind_all(seq).run();
}

const std::string& catalog_migration_180_sql() {
  static const std::string sql = std::string(
      "CREATE TABLE catalog_state (id INTEGER PRIMARY KEY CHECK (id = 1), high_seq INTEGER NOT NULL);\n"
      "INSERT INTO catalog_state(id, high_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM records WHERE ") + kCatalogTerm + ";\n";
  return sql;
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

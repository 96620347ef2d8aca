// The shared catalog (R15 product cycles, R18/R20 price lists, the admin's company settings): records
// that belong to the company, not to a rep. They have no owner and no team, so the ordinary scopes
// (rep own, manager team) would never send them; every role reads them and only an admin writes
// them (no sync mutation writes these types; PUT /api/v1/settings is admin-only).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "server/store.h"

namespace cl::server {

class Db;

bool is_shared_catalog_type(std::string_view type);  // "product", "price_list", "settings"

// The catalog rows as of a pull's read snapshot, kept in memory between pulls: every first sync
// starts with them, and reading and sorting them was a fifth of a pull's CPU. The table
// catalog_state holds the highest seq any catalog write took (bumped in the same transaction as the
// write, note_catalog_write), so a snapshot knows exactly which catalog state it sees and the cache
// is used only when it holds that state.
class CatalogCache {
 public:
  // Pull for a caller whose scope is not All: merges the catalog rows (upserts and tombstones) with
  // seq > after_seq into `rows` (sorted by seq, as records_since returns them) and keeps the first
  // `limit` of the union — so paging, cursors and has_more work exactly as before. Inside the pull's
  // read transaction on `db`.
  void merge(Db& db, std::vector<RecordRow>& rows, std::int64_t after_seq, int limit);
  // The catalog rows (sorted by seq, shared, never modified) as of the read snapshot on `db`, or null
  // when nothing in the catalog changed after `after_seq` — for a pull that merges them itself instead
  // of copying them into its page first.
  std::shared_ptr<const std::vector<RecordRow>> snapshot(Db& db, std::int64_t after_seq);

 private:
  std::mutex mutex_;
  std::int64_t high_seq_ = -1;  // the catalog state `rows_` holds
  std::shared_ptr<const std::vector<RecordRow>> rows_;
};

// Called by the store for every write of a catalog record, inside the writing transaction.
void note_catalog_write(Db& db, std::int64_t seq);

// Migration 180: catalog_state (see CatalogCache).
const std::string& catalog_migration_180_sql();

// Migration 150 added a partial index for the catalog part of a pull; migration 160 drops it again
// (never used by the planner, and it cost every write of `records` a temporary b-tree).
const std::string& catalog_migration_150_sql();
const std::string& catalog_migration_160_sql();

}  // namespace cl::server

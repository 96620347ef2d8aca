// The shared catalog (R15 product cycles, R18/R20 price lists, the admin's company settings): records
// that belong to the company, not to a rep. They have no owner and no team, so the ordinary scopes
// (rep own, manager team) would never send them; every role reads them and only an admin writes
// them (no sync mutation writes these types; PUT /api/v1/settings is admin-only).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/store.h"

namespace cl::server {

class Db;

bool is_shared_catalog_type(std::string_view type);  // "product", "price_list", "settings"

// Pull for a caller whose scope is not All: merges the catalog rows (upserts and tombstones) with
// seq > after_seq into `rows` (sorted by seq, as records_since returns them) and keeps the first
// `limit` of the union — so paging, cursors and has_more work exactly as before.
void merge_shared_catalog(Db& db, std::vector<RecordRow>& rows, std::int64_t after_seq, int limit);

// Migration 150 added a partial index for the catalog part of a pull; migration 160 drops it again
// (never used by the planner, and it cost every write of `records` a temporary b-tree).
const std::string& catalog_migration_150_sql();
const std::string& catalog_migration_160_sql();

}  // namespace cl::server

// R4/R5/R35: a customer ledger from Excel (客户台账, CSV in UTF-8, UTF-8 with BOM or GB18030) → customers,
// with the same preview-then-apply contract as the lead import: a dry run lists every bad row,
// apply writes all rows in the caller's one transaction or none.
//
// Core (customer_import.h) owns the per-row rules: header aliases, required fields and tags (R4),
// duplicates inside the file. The server adds what only it can know:
//   - duplicates against EVERY stored customer, company-wide (R5: one customer, one owner — an
//     import must not create a second 杭州市第一人民医院 in another team). An exact match (same
//     normalised name or phone, dedup.h) blocks the row; a similar name only warns. The matching
//     customer is named only when the caller may see it (R33: no leak through error messages).
//   - owners: a rep imports only for themself; a manager for users of their team; an admin for any
//     active user. An empty owner cell means the importing user.
//   - codes: KH-000-<seq>, device number 0 being the server's own (ids.h).
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

struct sqlite3;

namespace cl::server {

class Store;

struct CustomerImportOutcome {
  int status = 200;            // 200 preview, 201 applied, 400 unreadable file, 422 rows refused on apply
  nlohmann::json body;         // the preview (+ "imported", "customer_ids", or "error")
};

// Runs inside the caller's write transaction (`store.transaction`); returns whether anything was
// written, so the caller can roll back otherwise. `bytes` is the file as uploaded.
CustomerImportOutcome import_customer_csv(Store& store, sqlite3* db, const User& me, const Settings& settings,
                                          std::string_view bytes, bool apply, Instant now, const std::function<Id()>& new_id,
                                          std::size_t max_rows = 10000);

}  // namespace cl::server

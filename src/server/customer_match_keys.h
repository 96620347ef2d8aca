// R5 at company scale: the exact-match keys of every customer (core/dedup.h duplicate_index_keys),
// kept in the table customer_match_keys by the store on each customer write. A sync push checks a
// new customer against the few customers its probe keys name — before this it scanned every
// customer in the company on the first create of a push (about 0.5 s with 50k customers, with the
// single write lock held).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/model.h"

namespace cl::server {

class Db;

// Migration 170: the table (filled for existing customers by backfill_customer_match_keys).
const std::string& customer_match_keys_migration_sql();
constexpr int kCustomerMatchKeysMigration = 170;

// Replaces the keys of one customer from its stored JSON body, or from that body already parsed when
// `parsed` is not null (none for a tombstone). Inside the caller's transaction.
void write_customer_match_keys(Db& db, const Id& customer_id, bool deleted, std::string_view body,
                               const nlohmann::json* parsed = nullptr);

// Fills the table from the records table (once, right after migration 170).
void backfill_customer_match_keys(Db& db);

// The customers filed under any of `probe_keys` (duplicate_probe_keys of a candidate), each once.
std::vector<Id> customers_matching(Db& db, const std::vector<std::string>& probe_keys);

// Only what dedup.h looks at (name, phones) out of a stored customer body; false if unreadable.
bool read_match_fields(std::string_view body, Customer& out);
bool read_match_fields_parsed(const nlohmann::json& body, Customer& out);

}  // namespace cl::server

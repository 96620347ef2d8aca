// R5 at company scale: the exact-match keys of every customer (core/dedup.h duplicate_index_keys),
// kept in the table customer_match_keys by the store on each customer write. A sync push checks a
// new customer against the few customers its probe keys name — before this it scanned every
// customer in the company on the first create of a push (about 0.5 s with 50k customers, with the
// single write lock held).
#pragma once

#include <optional>
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

// R5: customer codes are unique. A live customer's code is filed here too, under "c:<code>" (the
// dedup keys are "n:", "p:", "l:", "o:"): the expression index records_customer_code on
// json_extract(body, '$.code') made SQLite parse every customer body twice on each write (55k
// instructions per customer edit); migration 191 files the codes and drops that index.
std::string customer_code_key(std::string_view code);
// A live customer with this code (any one, if several), or nullopt. Inside the caller's transaction.
std::optional<Id> customer_with_code(Db& db, const std::string& code);
const std::string& customer_code_keys_migration_sql();
constexpr int kCustomerCodeKeysMigration = 191;

// Fills the table from the records table (once, right after migration 170).
void backfill_customer_match_keys(Db& db);

// The customers filed under any of `probe_keys` (duplicate_probe_keys of a candidate), each once.
std::vector<Id> customers_matching(Db& db, const std::vector<std::string>& probe_keys);

// Only what the keys come from (name, phones, code) out of a stored customer body; false if unreadable.
bool read_match_fields(std::string_view body, Customer& out);
bool read_match_fields_parsed(const nlohmann::json& body, Customer& out);

}  // namespace cl::server

#include "server/customer_match_keys.h"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/dedup.h"
#include "server/db.h"

namespace cl::server {

const std::string& customer_match_keys_migration_sql() {
  static const std::string sql = R"SQL(
CREATE TABLE customer_match_keys (
  key TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  PRIMARY KEY (key, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_match_keys_customer ON customer_match_keys(customer_id);
)SQL";
  return sql;
}

bool read_match_fields(std::string_view body, Customer& out) {
  return read_match_fields_parsed(nlohmann::json::parse(body, nullptr, false), out);
}

bool read_match_fields_parsed(const nlohmann::json& j, Customer& out) {
  if (!j.is_object()) return false;
  auto text = [](const nlohmann::json& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  out.name = text(j, "name");
  out.phone = text(j, "phone");
  out.code = text(j, "code");
  if (auto it = j.find("contacts"); it != j.end() && it->is_array())
    for (const auto& ct : *it)
      if (ct.is_object()) out.contacts.push_back(Contact{"", "", text(ct, "phone"), false});
  return true;
}

void write_customer_match_keys(Db& db, const Id& customer_id, bool deleted, std::string_view body,
                               const nlohmann::json* parsed) {
  std::vector<std::string> keys;
  Customer c;
  if (!deleted && (parsed ? read_match_fields_parsed(*parsed, c) : read_match_fields(body, c))) {
    keys = duplicate_index_keys(c);
    if (!c.code.empty()) {  // R5: codes are unique too (customer_with_code)
      keys.push_back(customer_code_key(c.code));
      std::sort(keys.begin(), keys.end());
    }
  }
  // Most customer writes (an address, a tag, a stage) leave name and phones alone: compare first.
  std::vector<std::string> old;
  auto& sel = db.cached("SELECT key FROM customer_match_keys WHERE customer_id = ? ORDER BY key");
  sel.bind(1, customer_id);
  while (sel.step()) old.push_back(sel.col_text(0));
  sel.reset();
  if (old == keys) return;  // both sorted (duplicate_index_keys sorts)
  db.cached("DELETE FROM customer_match_keys WHERE customer_id = ?").bind_all(customer_id).run();
  for (const auto& k : keys)
    db.cached("INSERT OR IGNORE INTO customer_match_keys(key, customer_id) VALUES (?, ?)").bind_all(k, customer_id).run();
}

std::string customer_code_key(std::string_view code) {
  std::string k = "c:";
  k.append(code);
  return k;
}

std::optional<Id> customer_with_code(Db& db, const std::string& code) {
  if (code.empty()) return std::nullopt;
  auto& st = db.cached("SELECT customer_id FROM customer_match_keys WHERE key = ? LIMIT 1");
  st.bind(1, customer_code_key(code));
  std::optional<Id> out;
  if (st.step()) out = st.col_text(0);
  st.reset();
  return out;
}

const std::string& customer_code_keys_migration_sql() {
  // The code keys of the live customers already stored (what write_customer_match_keys files: a
  // non-empty string "code" of a readable object body), then the expression index they replace.
  static const std::string sql = R"SQL(
INSERT OR IGNORE INTO customer_match_keys(key, customer_id)
  SELECT 'c:' || code, id FROM (
    SELECT id, CASE WHEN json_valid(body) THEN
                 CASE WHEN json_type(body, '$.code') = 'text' THEN json_extract(body, '$.code') END END AS code
    FROM records WHERE type = 'customer' AND deleted = 0)
  WHERE code IS NOT NULL AND code <> '';
DROP INDEX IF EXISTS records_customer_code;
)SQL";
  return sql;
}

void backfill_customer_match_keys(Db& db) {
  auto st = db.prepare("SELECT id, deleted, body FROM records WHERE type = 'customer'");
  while (st.step()) write_customer_match_keys(db, st.col_text(0), st.col_int(1) != 0, st.col_text(2));
}

std::vector<Id> customers_matching(Db& db, const std::vector<std::string>& probe_keys) {
  std::vector<Id> out;
  auto& st = db.cached("SELECT customer_id FROM customer_match_keys WHERE key = ?");
  for (const auto& k : probe_keys) {
    st.bind(1, k);
    while (st.step()) out.push_back(st.col_text(0));
    st.reset();
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace cl::server

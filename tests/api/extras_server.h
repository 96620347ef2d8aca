// Fixtures for the extras API tests on top of the foundation's harness (server_harness.h): writes
// replicated records straight into the running server's store (as an accepted sync push would) so
// the scheduler, exports, share views and quote PDFs have data, without depending on the sync API.
#pragma once

#include <sqlite3.h>

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "core/model.h"
#include "server_harness.h"

namespace cl::test {

// An open opportunity in stage ① since `entered`, owned by `owner`: what the stall reminders judge.
inline Opportunity open_opportunity(const std::string& id, const std::string& owner, Instant entered,
                                    const std::string& customer_id) {
  Opportunity o;
  o.meta.id = id;
  o.meta.owner_id = owner;
  o.meta.created_at = entered;
  o.meta.version = 1;
  o.customer_id = customer_id;
  o.title = "骨科耗材年度采购";
  o.expected_amount = Money{50'000'000};
  StageVisit v;
  v.stage = 0;
  v.entered_at = entered;
  v.entered_by = owner;
  o.stages = {v};
  return o;
}

inline void insert_record(const apitest::TestServer& server, const std::string& type, const std::string& id,
                          const std::string& owner, const std::string& team, const std::string& region,
                          const nlohmann::json& body) {
  sqlite3* db = nullptr;
  sqlite3_open((server.data_dir() + "/closeloop.db").c_str(), &db);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_exec(db, "BEGIN IMMEDIATE; UPDATE server_seq SET value = value + 1 WHERE id = 1;", nullptr, nullptr, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT OR REPLACE INTO records(type, id, owner_id, team_id, region, seq, version, deleted, body, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, (SELECT value FROM server_seq WHERE id = 1), 1, 0, ?, 0)",
                     -1, &s, nullptr);
  const std::string b = body.dump();
  sqlite3_bind_text(s, 1, type.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 2, id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 3, owner.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 4, team.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 5, region.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 6, b.c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  sqlite3_exec(db, rc == SQLITE_DONE ? "COMMIT" : "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  if (rc != SQLITE_DONE) throw std::runtime_error("insert_record failed");
}

inline int count_rows(const apitest::TestServer& server, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open((server.data_dir() + "/closeloop.db").c_str(), &db);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
  int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
  sqlite3_finalize(s);
  sqlite3_close(db);
  return n;
}

inline std::string query_text(const apitest::TestServer& server, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open((server.data_dir() + "/closeloop.db").c_str(), &db);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

}  // namespace cl::test

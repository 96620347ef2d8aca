// Reads replicated records (the foundation's `records` table: type, owner_id, team_id, region, body
// JSON in the core codec's shape) for the extras modules: exports, share views, the scheduler.
// Filtering happens in SQL on the server-computed columns, never on anything the client sent.
#pragma once

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec.h"
#include "server/scope.h"

namespace cl::server {

struct RecordFilter {
  enum class Kind { All, Owner, Team };
  Kind kind = Kind::All;
  std::string value;  // owner id, team id or region
};

// R33: rep → own records, manager → the team, admin → all (a manager without a team: own only).
RecordFilter filter_for(const Scope& scope);

// The query for_each_record_body runs (?1 = type, ?2 = the filter's value); tests read its plan.
std::string record_bodies_sql(RecordFilter::Kind kind);

// Calls `each` with the parsed body of every live (not deleted) record of `type` that passes the
// filter, oldest first; bodies that are not JSON are skipped.
void for_each_record_body(sqlite3* db, std::string_view type, const RecordFilter& filter,
                          const std::function<void(nlohmann::json&&)>& each);

// Bodies of live (not deleted) records of `type` that pass the filter, oldest first.
std::vector<nlohmann::json> load_record_bodies(sqlite3* db, std::string_view type, const RecordFilter& filter);

// Decoded records; bodies that fail to decode are skipped (counted in `skipped` when given). Each body
// is decoded as soon as it is parsed: a team's opportunities are tens of MB of JSON, and holding every
// parsed document until the last one is read cost several times that in memory (and page faults).
template <class T>
std::vector<T> load_records(sqlite3* db, std::string_view type, const RecordFilter& filter, int* skipped = nullptr) {
  std::vector<T> out;
  for_each_record_body(db, type, filter, [&](nlohmann::json&& body) {
    auto r = cl::decode<T>(body);
    if (r.ok()) out.push_back(std::move(r.value));
    else if (skipped) ++*skipped;
  });
  return out;
}

// Users and teams straight from the foundation's tables (for names, phones, team membership).
std::vector<User> load_users(sqlite3* db);
std::vector<Team> load_teams(sqlite3* db);

}  // namespace cl::server

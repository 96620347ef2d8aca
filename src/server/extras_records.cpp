#include "server/extras_records.h"

#include "server/extras_sqlite.h"

namespace cl::server {

RecordFilter filter_for(const Scope& scope) {
  switch (scope.kind) {
    case Scope::Kind::All: return {RecordFilter::Kind::All, ""};
    case Scope::Kind::Team:
      if (!scope.team_id.empty()) return {RecordFilter::Kind::Team, scope.team_id};
      return {RecordFilter::Kind::Owner, scope.user_id};
    case Scope::Kind::Own: return {RecordFilter::Kind::Owner, scope.user_id};
  }
  return {RecordFilter::Kind::Owner, scope.user_id};
}

std::string record_bodies_sql(RecordFilter::Kind kind) {
  std::string sql = "SELECT body FROM records WHERE type = ?1 AND deleted = 0";
  switch (kind) {
    case RecordFilter::Kind::All: break;
    case RecordFilter::Kind::Owner: sql += " AND owner_id = ?2"; break;
    // `+team_id`: walk the records of this type (primary key (type, id)) and test the team on each,
    // rather than walk every record of the team (index (team_id, seq)) and test the type. A team holds
    // all types, activities most of all: at a million records the team walk visited 257k rows per
    // type where the type walk visits 2k-25k (share view 3 s -> see docs/ARCHITECTURE.md). A rep's
    // records are few, so Owner keeps its index.
    case RecordFilter::Kind::Team: sql += " AND +team_id = ?2"; break;
  }
  return sql + " ORDER BY seq";
}

void for_each_record_body(sqlite3* db, std::string_view type, const RecordFilter& f,
                          const std::function<void(nlohmann::json&&)>& each) {
  xsql::Stmt s(db, record_bodies_sql(f.kind));
  s.bind(1, type);
  if (f.kind != RecordFilter::Kind::All) s.bind(2, f.value);
  while (s.step()) {
    auto j = nlohmann::json::parse(s.text_view(0), nullptr, false);
    if (!j.is_discarded()) each(std::move(j));
  }
}

std::vector<nlohmann::json> load_record_bodies(sqlite3* db, std::string_view type, const RecordFilter& f) {
  std::vector<nlohmann::json> out;
  for_each_record_body(db, type, f, [&](nlohmann::json&& j) { out.push_back(std::move(j)); });
  return out;
}

std::vector<User> load_users(sqlite3* db) {
  xsql::Stmt s(db, "SELECT id, username, display_name, role, COALESCE(team_id, ''), phone, email, active FROM users ORDER BY id");
  std::vector<User> out;
  while (s.step()) {
    User u;
    u.id = s.text(0);
    u.username = s.text(1);
    u.display_name = s.text(2);
    auto role = s.text(3);
    u.role = role == "admin" ? Role::Admin : role == "manager" ? Role::Manager : Role::Rep;
    u.team_id = s.text(4);
    u.phone = s.text(5);
    u.email = s.text(6);
    u.active = s.i64(7) != 0;
    out.push_back(std::move(u));
  }
  return out;
}

std::vector<Team> load_teams(sqlite3* db) {
  xsql::Stmt s(db, "SELECT id, name, region, manager_id FROM teams ORDER BY id");
  std::vector<Team> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3)});
  return out;
}

}  // namespace cl::server

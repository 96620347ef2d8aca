// The SQLite store on its own: migrations, transactions, sequence, scopes, throttling windows.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <tuple>
#include <stdexcept>

#include "core/dedup.h"
#include "server/customer_match_keys.h"
#include "server/extras_records.h"
#include "server/db.h"
#include "server/migrations.h"
#include "server/scope.h"
#include "server/sqlite_store.h"
#include "server_harness.h"

using namespace cl;
using namespace cl::server;
namespace fs = std::filesystem;

namespace {

struct TempDb {
  std::string dir = cl::apitest::make_temp_dir("closeloop-store");
  std::string path = dir + "/closeloop.db";
  ~TempDb() { fs::remove_all(dir); }
};

User rep(const std::string& id, const std::string& team) {
  return User{id, id, id, Role::Rep, team, "", "", true};
}

RecordRow record(const std::string& id, const std::string& owner, const std::string& team) {
  RecordRow r;
  r.type = "customer";
  r.id = id;
  r.owner_id = owner;
  r.team_id = team;
  r.body = "{\"name\":\"" + id + "\"}";
  r.updated_at = 1;
  return r;
}

}  // namespace

TEST_SUITE("store") {

TEST_CASE("migrations are applied once, in order, and recorded") {
  TempDb t;
  std::vector<Migration> list = {{2, "second", "CREATE TABLE b(x); INSERT INTO a VALUES (2);"},
                                 {1, "first", "CREATE TABLE a(x); INSERT INTO a VALUES (1);"}};
  {
    Db db(t.path);
    CHECK(migrate(db, list, 1000) == std::vector<int>{1, 2});
    CHECK(migrate(db, list, 2000).empty());
    auto st = db.prepare("SELECT group_concat(x) FROM a");
    REQUIRE(st.step());
    CHECK(st.col_text(0) == "1,2");
  }
  Db reopened(t.path);
  auto st = reopened.prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  REQUIRE(st.step());
  CHECK(st.col_int(0) == 1);
  CHECK(st.col_text(1) == "first");
  CHECK(st.col_int(2) == 1000);
  REQUIRE(st.step());
  CHECK(st.col_int(0) == 2);
  CHECK(!st.step());
}

TEST_CASE("a failing migration is rolled back and not recorded, earlier ones stay") {
  TempDb t;
  Db db(t.path);
  std::vector<Migration> list = {{1, "good", "CREATE TABLE a(x);"},
                                 {2, "bad", "CREATE TABLE b(x); INSERT INTO no_such_table VALUES (1);"}};
  CHECK_THROWS_AS(migrate(db, list, 1), DbError);
  CHECK(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'a'").step());
  auto b = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'");
  b.step();
  CHECK(b.col_int(0) == 0);
  auto versions = db.prepare("SELECT COUNT(*) FROM schema_migrations");
  versions.step();
  CHECK(versions.col_int(0) == 1);
}

TEST_CASE("the real migration list applies to an empty database with WAL and foreign keys on") {
  TempDb t;
  SqliteStore store(t.path, 1);
  CHECK(store.schema_version() == all_migrations().back().version);
  {
    // (Scoped: a statement left mid-result would hold the connection's implicit transaction open.)
    auto mode = store.db().prepare("PRAGMA journal_mode");
    mode.step();
    CHECK(mode.col_text(0) == "wal");
    auto fk = store.db().prepare("PRAGMA foreign_keys");
    fk.step();
    CHECK(fk.col_int(0) == 1);
  }
  // Versions are unique across modules.
  std::set<int> seen;
  for (const auto& m : all_migrations()) CHECK(seen.insert(m.version).second);
  // A second open applies nothing and keeps the data.
  store.put_team({"t1", "一组", "杭州", ""});
  SqliteStore again(t.path, 2);
  CHECK(again.find_team("t1").has_value());
  CHECK(again.check().empty());
}

TEST_CASE("a transaction rolls back when it throws or returns problems") {
  TempDb t;
  SqliteStore store(t.path, 1);
  store.put_team({"t1", "一组", "", ""});
  CHECK_THROWS(store.transaction([&] {
    store.insert_user(rep("u1", "t1"), "hash");
    throw std::runtime_error("boom");
  }));
  CHECK(!store.find_user("u1"));
  Problems p = store.transaction([&]() -> Problems {
    store.insert_user(rep("u1", "t1"), "hash");
    return {{"nope", "", "不行", "no"}};
  });
  CHECK(p.size() == 1);
  CHECK(!store.find_user("u1"));
  Result<int> r = store.transaction([&]() -> Result<int> {
    store.insert_user(rep("u1", "t1"), "hash");
    return Result<int>::success(7);
  });
  CHECK(r.ok());
  CHECK(store.find_user("u1").has_value());
}

TEST_CASE("a nested transaction is a savepoint: its failure leaves the outer work") {
  TempDb t;
  SqliteStore store(t.path, 1);
  store.put_team({"t1", "一组", "", ""});
  store.transaction([&] {
    store.insert_user(rep("outer", "t1"), "h");
    Problems inner = store.transaction([&]() -> Problems {
      store.insert_user(rep("inner", "t1"), "h");
      return {{"x", "", "", ""}};
    });
    CHECK(!inner.empty());
  });
  CHECK(store.find_user("outer").has_value());
  CHECK(!store.find_user("inner").has_value());
}

TEST_CASE("foreign keys are enforced: a user in an unknown team is refused") {
  TempDb t;
  SqliteStore store(t.path, 1);
  CHECK_THROWS_AS(store.insert_user(rep("u1", "team-missing"), "h"), DbError);
}

TEST_CASE("the server sequence increases and a rolled-back write gives its number back") {
  TempDb t;
  SqliteStore store(t.path, 1);
  std::int64_t a = store.transaction([&] { return store.next_seq(); });
  std::int64_t b = store.transaction([&] { return store.next_seq(); });
  CHECK(b == a + 1);
  CHECK_THROWS(store.transaction([&] {
    store.next_seq();
    throw std::runtime_error("rollback");
  }));
  CHECK(store.current_seq() == b);
}

// serve opens the read pool before listening (sqlite_store.h): the opened readers serve reads outside
// the writer and see what was committed, also after the pool was opened.
TEST_CASE("a read pool opened before the first request serves reads of committed writes") {
  TempDb t;
  SqliteStore store(t.path, 1, 3);
  store.open_readers();
  store.open_readers();  // a second call opens nothing more
  const std::int64_t seq = store.transaction([&] { return store.next_seq(); });
  for (int i = 0; i < 5; ++i) CHECK(store.read([&] { return store.current_seq(); }) == seq);
}

// A sync push inserts the records its creates make without looking their ids up first
// (sync_service.cpp): the key decides, and a taken key must leave the record and the sequence alone.
TEST_CASE("a new record is inserted only while its key is free, and a taken key uses no sequence number") {
  TempDb t;
  SqliteStore store(t.path, 1);
  auto activity = [](const std::string& id, const std::string& body) {
    RecordRow r;
    r.type = "activity";
    r.id = id;
    r.owner_id = "u1";
    r.version = 1;
    r.body = body;
    r.updated_at = 1;
    return r;
  };
  RecordRow a = activity("a1", R"({"id":"a1"})"), b = activity("a2", "{}");
  store.transaction([&] {
    CHECK(store.insert_new_record(a));
    RecordRow taken = activity("a1", R"({"id":"a1","summary":"again"})");
    CHECK_FALSE(store.insert_new_record(taken));
    CHECK(store.insert_new_record(b));
  });
  CHECK(b.seq == a.seq + 1);
  CHECK(store.get_record("activity", "a1")->body == R"({"id":"a1"})");
  // Outside a transaction the same: one savepoint around the sequence and the insert.
  RecordRow taken = activity("a2", R"({"summary":"again"})"), c = activity("a3", "{}");
  CHECK_FALSE(store.insert_new_record(taken));
  CHECK(store.insert_new_record(c));
  CHECK(c.seq == b.seq + 1);
  CHECK(store.current_seq() == c.seq);
  CHECK(store.get_record("activity", "a2")->body == "{}");
}

TEST_CASE("records_since returns only what the scope may see, in sequence order") {
  TempDb t;
  SqliteStore store(t.path, 1);
  store.transaction([&] {
    for (auto [id, owner, team] : {std::tuple{"c1", "rep1", "team-1"}, std::tuple{"c2", "rep2", "team-1"},
                                   std::tuple{"c3", "rep8", "team-2"}, std::tuple{"c4", "rep1", "team-1"}}) {
      auto r = record(id, owner, team);
      r.seq = store.next_seq();
      store.put_record(r);
    }
  });
  auto ids = [&](const Scope& s, std::int64_t after = 0) {
    std::vector<std::string> out;
    for (const auto& r : store.records_since(s, after, 100)) out.push_back(r.id);
    return out;
  };
  User r1 = rep("rep1", "team-1");
  User m1{"mgr1", "manager1", "", Role::Manager, "team-1", "", "", true};
  User admin{"adm", "admin", "", Role::Admin, "", "", "", true};
  CHECK(ids(scope_for(r1)) == std::vector<std::string>{"c1", "c4"});
  CHECK(ids(scope_for(m1)) == std::vector<std::string>{"c1", "c2", "c4"});
  CHECK(ids(scope_for(admin)) == std::vector<std::string>{"c1", "c2", "c3", "c4"});
  CHECK(ids(scope_for(admin), 2) == std::vector<std::string>{"c3", "c4"});
  CHECK(store.records_since(scope_for(admin), 0, 2).size() == 2);
  // An update moves the record to a new sequence number (it is pulled again).
  store.transaction([&] {
    auto r = *store.get_record("customer", "c1");
    r.version++;
    r.seq = store.next_seq();
    store.put_record(r);
  });
  CHECK(ids(scope_for(r1)) == std::vector<std::string>{"c4", "c1"});
  CHECK(store.records_of_type("customer", scope_for(m1)).size() == 3);
}

TEST_CASE("scopes: rep own, manager team, admin all, a teamless manager only own") {
  User r{"u1", "rep1", "", Role::Rep, "team-1", "", "", true};
  User m{"m1", "manager1", "", Role::Manager, "team-1", "", "", true};
  User lonely{"m9", "manager9", "", Role::Manager, "", "", "", true};
  User a{"a", "admin", "", Role::Admin, "", "", "", true};
  CHECK(in_scope(scope_for(r), "u1", "team-1"));
  CHECK(!in_scope(scope_for(r), "u2", "team-1"));
  CHECK(in_scope(scope_for(m), "u2", "team-1"));
  CHECK(!in_scope(scope_for(m), "u9", "team-2"));
  CHECK(in_scope(scope_for(a), "anyone", "team-7"));
  CHECK(!in_scope(scope_for(lonely), "u1", ""));
  CHECK(in_scope(scope_for(lonely), "m9", ""));
}

TEST_CASE("login failure windows count per account and per address, and success clears the account") {
  TempDb t;
  SqliteStore store(t.path, 1);
  store.record_login_attempt("rep1", "10.0.0.1", 100, false);
  store.record_login_attempt("REP1", "10.0.0.2", 200, false);  // usernames are case-insensitive
  store.record_login_attempt("rep2", "10.0.0.1", 300, false);
  store.record_login_attempt("rep1", "10.0.0.1", 50, false);    // outside the window below
  auto acct = store.account_failures("rep1", 100);
  CHECK(acct.count == 2);
  CHECK(acct.oldest == 100);
  CHECK(store.address_failures("10.0.0.1", 0).count == 3);
  store.clear_account_failures("rep1");
  CHECK(store.account_failures("rep1", 0).count == 0);
  CHECK(store.address_failures("10.0.0.1", 0).count == 3);
}

TEST_CASE("device numbers are short, unique and stable per client") {
  TempDb t;
  SqliteStore store(t.path, 1);
  store.put_team({"t1", "一组", "", ""});
  store.insert_user(rep("u1", "t1"), "h");
  int a = store.device_number("client-a", "u1", 1);
  int b = store.device_number("client-b", "u1", 2);
  CHECK(a == 1);
  CHECK(b == 2);
  CHECK(store.device_number("client-a", "u1", 3) == a);
}

TEST_CASE("an online backup is a complete, consistent copy") {
  TempDb t;
  SqliteStore store(t.path, 1);
  store.put_team({"t1", "一组", "杭州", ""});
  store.insert_user(rep("u1", "t1"), "h");
  const std::string to = t.dir + "/copy.db";
  store.backup_to(to);
  SqliteStore copy(to, 2);
  CHECK(copy.find_user("u1").has_value());
  CHECK(copy.find_team("t1")->region == "杭州");
  CHECK(copy.check().empty());
}

}  // TEST_SUITE

TEST_SUITE("store") {

TEST_CASE("a session's user is found only while the session is neither revoked nor expired") {
  TempDb t;
  SqliteStore store(t.path, 1);
  store.put_team({"t1", "一组", "", ""});
  store.insert_user(rep("u1", "t1"), "h");
  store.insert_session({"live", "u1", 0, 10'000, 0, "", ""});
  store.insert_session({"revoked", "u1", 0, 10'000, 400, "", ""});
  auto u = store.find_session_user("live", 9'999);
  REQUIRE(u.has_value());
  CHECK(u->user.id == "u1");
  CHECK(u->user.team_id == "t1");
  CHECK(u->user.role == Role::Rep);
  CHECK_FALSE(store.find_session_user("live", 10'000));  // expires at 10'000: gone at that instant
  CHECK_FALSE(store.find_session_user("revoked", 500));
  CHECK_FALSE(store.find_session_user("nope", 500));
  // Revoked now: the very next look-up says so.
  store.revoke_session("live", 600);
  CHECK_FALSE(store.find_session_user("live", 700));
}

TEST_CASE("housekeeping drops ended sessions and old login attempts, keeps live ones") {
  TempDb t;
  SqliteStore store(t.path, 1);
  store.put_team({"t1", "一组", "", ""});
  store.insert_user(rep("u1", "t1"), "h");
  store.insert_session({"live", "u1", 0, 10'000, 0, "", ""});
  store.insert_session({"expired", "u1", 0, 500, 0, "", ""});
  store.insert_session({"revoked", "u1", 0, 10'000, 400, "", ""});
  store.record_login_attempt("u1", "a", 100, false);
  store.record_login_attempt("u1", "a", 2'000, false);
  CHECK(store.purge_auth_history(1'000, 1'000) == 3);
  CHECK(store.find_session("live").has_value());
  CHECK(!store.find_session("expired").has_value());
  CHECK(!store.find_session("revoked").has_value());
  CHECK(store.account_failures("u1", 0).count == 1);
}

}  // TEST_SUITE

// R5 at company scale (customer_match_keys.h): a push checks a new customer against the customers
// its match keys name, so the keys must follow every write and exist for customers stored before.
TEST_CASE("customer match keys follow every customer write, and an older database is backfilled") {
  TempDb t;
  auto probe = [](SqliteStore& s, const char* name, const char* phone) {
    Customer c;
    c.name = name;
    c.phone = phone;
    return customers_matching(s.db(), duplicate_probe_keys(c));
  };
  const std::vector<Id> c1{"c1"}, c2{"c2"};
  {
    SqliteStore store(t.path, 1);
    RecordRow r = record("c1", "u1", "t1");
    r.body = R"({"name":"杭州市第一人民医院","phone":"0571-87123456"})";
    r.seq = 1;
    store.put_record(r);
    CHECK(probe(store, "第一人民医院(杭州)", "") == c1);
    CHECK(probe(store, "X", "8712 3456") == c1);  // the landline typed without its area code
    CHECK(probe(store, "X", "13800138000").empty());
    // The phone changes: the old number names nobody, the new one does.
    r.body = R"({"name":"杭州市第一人民医院","phone":"13800138000"})";
    r.seq = 2;
    store.put_record(r);
    CHECK(probe(store, "X", "0571-87123456").empty());
    CHECK(probe(store, "X", "+86 138 0013 8000") == c1);
    // A tombstone names nobody.
    r.deleted = true;
    r.seq = 3;
    store.put_record(r);
    CHECK(probe(store, "X", "13800138000").empty());
    CHECK(probe(store, "第一人民医院", "").empty());
    // Another customer (matched by a contact's phone), then make the file look older than migration 170.
    RecordRow r2 = record("c2", "u1", "t1");
    r2.body = R"({"name":"宁波仁和诊所","contacts":[{"name":"陈工","phone":"139-1234-5678"}]})";
    r2.seq = 4;
    store.put_record(r2);
    CHECK(probe(store, "Y", "13912345678") == c2);
    store.db().exec("DROP TABLE customer_match_keys; DELETE FROM schema_migrations WHERE version = 170;");
  }
  SqliteStore reopened(t.path, 2);
  CHECK(probe(reopened, "Y", "13912345678") == c2);
  CHECK(probe(reopened, "宁波仁和诊所有限公司", "") == c2);
  CHECK(probe(reopened, "X", "13800138000").empty());  // the tombstone stays unfiled
}

// R5: customer codes are unique; a live customer's code is filed with its match keys (customer_match_keys.h)
// instead of an expression index SQLite re-evaluated (two JSON parses) on every customer write.
TEST_CASE("customer codes are filed while live, move with an edit, leave with a tombstone, and an older database is upgraded") {
  TempDb t;
  {
    SqliteStore store(t.path, 1);
    RecordRow r = record("c1", "u1", "t1");
    r.body = R"({"name":"杭州市第一人民医院","code":"KH-001-00001"})";
    r.seq = 1;
    store.put_record(r);
    CHECK(customer_with_code(store.db(), "KH-001-00001") == std::optional<Id>("c1"));
    CHECK_FALSE(customer_with_code(store.db(), "KH-001-00002"));
    CHECK_FALSE(customer_with_code(store.db(), ""));
    r.body = R"({"name":"杭州市第一人民医院","code":"KH-001-00009"})";
    r.seq = 2;
    store.put_record(r);
    CHECK_FALSE(customer_with_code(store.db(), "KH-001-00001"));
    CHECK(customer_with_code(store.db(), "KH-001-00009") == std::optional<Id>("c1"));
    r.deleted = true;
    r.seq = 3;
    store.put_record(r);
    CHECK_FALSE(customer_with_code(store.db(), "KH-001-00009"));
    RecordRow r2 = record("c2", "u1", "t1");
    r2.body = R"({"name":"宁波仁和诊所","code":"KH-001-00003"})";
    r2.seq = 4;
    store.put_record(r2);
    RecordRow r3 = record("c3", "u1", "t1");
    r3.body = R"({"name":"温州诊所","code":7})";  // not a text code: never matches one
    r3.seq = 5;
    store.put_record(r3);
    CHECK(customer_with_code(store.db(), "KH-001-00003") == std::optional<Id>("c2"));
    CHECK_FALSE(customer_with_code(store.db(), "7"));
    // Make the file look older than migration 191: no code keys, the expression index back.
    store.db().exec("DELETE FROM customer_match_keys WHERE key LIKE 'c:%'; "
                    "CREATE INDEX records_customer_code ON records(json_extract(body, '$.code')) WHERE type = 'customer'; "
                    "DELETE FROM schema_migrations WHERE version = 191;");
    CHECK_FALSE(customer_with_code(store.db(), "KH-001-00003"));
  }
  SqliteStore reopened(t.path, 6);
  CHECK(customer_with_code(reopened.db(), "KH-001-00003") == std::optional<Id>("c2"));
  CHECK_FALSE(customer_with_code(reopened.db(), "KH-001-00009"));  // the tombstone stays unfiled
  CHECK_FALSE(customer_with_code(reopened.db(), "7"));
  auto st = reopened.db().prepare("SELECT COUNT(*) FROM pragma_index_list('records') WHERE name = 'records_customer_code'");
  REQUIRE(st.step());
  CHECK(st.col_int(0) == 0);
}

// Every index on `records` costs a b-tree write per record written (a sync push writes thousands per
// second): the table has exactly the indexes some query reads by. records_region_seq was dropped by
// migration 190 (nothing reads records by region), records_customer_code by 191 (codes are match keys).
TEST_CASE("records carries only the indexes its queries use") {
  TempDb t;
  SqliteStore store(t.path, 1);
  std::set<std::string> names;
  auto st = store.db().prepare("SELECT name FROM pragma_index_list('records')");
  while (st.step()) names.insert(st.col_text(0));
  CHECK(names == std::set<std::string>{"sqlite_autoindex_records_1", "records_seq", "records_owner_seq",
                                       "records_team_seq"});
}

// The same for the audit trail, written by every audited sync change and read by no query of the
// server: migration 192 dropped audit_entity and audit_at, leaving the primary key only.
TEST_CASE("audit_events carries no index beyond its primary key") {
  TempDb t;
  SqliteStore store(t.path, 1);
  std::set<std::string> names;
  auto st = store.db().prepare("SELECT name FROM pragma_index_list('audit_events')");
  while (st.step()) names.insert(st.col_text(0));
  CHECK(names == std::set<std::string>{"sqlite_autoindex_audit_events_1"});
}

// Exports, share views and the scheduler read records through load_record_bodies / load_records: a
// team filter walks the type and tests the team (see extras_records.cpp); whatever the plan, the rows
// are exactly the live ones of that type and scope, oldest first, and bad bodies are skipped.
TEST_CASE("records read for exports and share views: type, scope, liveness and order") {
  TempDb t;
  SqliteStore store(t.path, 1);
  std::int64_t seq = 0;
  auto put = [&](const std::string& type, const std::string& id, const std::string& owner, const std::string& team,
                 bool deleted, const std::string& body) {
    RecordRow r;
    r.type = type;
    r.id = id;
    r.owner_id = owner;
    r.team_id = team;
    r.seq = ++seq;
    r.deleted = deleted;
    r.body = body;
    r.updated_at = 1;
    store.put_record(r);
  };
  auto lead = [](const std::string& id) { return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}"; };
  put("lead", "L3", "u1", "t1", false, lead("L3"));
  put("activity", "A1", "u1", "t1", false, "{}");
  put("lead", "L1", "u2", "t2", false, lead("L1"));
  put("lead", "L2", "u1", "t1", true, lead("L2"));   // a tombstone
  put("lead", "L4", "u3", "t1", false, lead("L4"));
  put("lead", "L5", "u1", "t1", false, "not json");  // unreadable: skipped, never thrown
  put("lead", "L0", "u1", "t1", false, lead("L0"));
  auto ids = [&](const RecordFilter& f) {
    std::vector<std::string> out;
    for (const auto& b : load_record_bodies(store.db().raw(), "lead", f)) out.push_back(b.value("id", std::string()));
    return out;
  };
  CHECK(ids({RecordFilter::Kind::All, ""}) == std::vector<std::string>{"L3", "L1", "L4", "L0"});
  CHECK(ids({RecordFilter::Kind::Team, "t1"}) == std::vector<std::string>{"L3", "L4", "L0"});
  CHECK(ids({RecordFilter::Kind::Team, "t9"}).empty());
  CHECK(ids({RecordFilter::Kind::Owner, "u1"}) == std::vector<std::string>{"L3", "L0"});
  int skipped = 0;
  auto leads = load_records<Lead>(store.db().raw(), "lead", {RecordFilter::Kind::Team, "t1"}, &skipped);
  REQUIRE(leads.size() == 3);
  CHECK(leads[0].meta.id == "L3");
  CHECK(leads[2].meta.id == "L0");
  // The team read is driven by the record type, not by the team's every record.
  auto plan = store.db().prepare("EXPLAIN QUERY PLAN " + record_bodies_sql(RecordFilter::Kind::Team));
  std::string detail;
  while (plan.step()) detail += plan.col_text(3) + ";";
  CHECK(detail.find("records_team_seq") == std::string::npos);
}

// A partial index's WHERE runs on every write of `records`: an IN list there built a temporary b-tree
// per insert (migration 160). Guard the write plan of the sync push's upsert against it coming back.
TEST_CASE("writing a record needs no temporary b-tree") {
  TempDb t;
  SqliteStore store(t.path, 1);
  auto plan = store.db().prepare(
      "EXPLAIN INSERT INTO records(type, id, owner_id, team_id, region, seq, version, deleted, body, updated_at) "
      "VALUES ('activity', 'a1', 'u1', 't1', '', 1, 1, 0, '{}', 1) ON CONFLICT(type, id) DO UPDATE SET seq = excluded.seq");
  int ops = 0, ephemeral = 0;
  while (plan.step()) {
    ++ops;
    ephemeral += plan.col_text(1) == "OpenEphemeral";
  }
  CHECK(ops > 10);
  CHECK(ephemeral == 0);
}

TEST_CASE("an audit event stores its changes and evidence as the JSON arrays they always were") {
  TempDb t;
  SqliteStore store(t.path, 1000);
  AuditEvent e;
  e.id = "ae-1";
  e.at = 1234;
  e.actor_id = "user-rep1";
  e.entity_type = "customer";
  e.entity_id = "c1";
  e.action = "customer.update";
  e.changes = {FieldChange{"address", "", "\"西湖区 \\\"1\\\"\""}, FieldChange{"tags", "{\"a\":1}", "{\"b\":\"\\n\"}"}};
  e.evidence_sha256 = {std::string(64, 'e'), std::string(64, 'f')};
  store.transaction([&] { store.append_audit(e); });
  AuditEvent empty = e;
  empty.id = "ae-2";
  empty.changes.clear();
  empty.evidence_sha256.clear();
  store.transaction([&] { store.append_audit(empty); });
  // What nlohmann wrote for the same values (the format readers of audit_events rely on).
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : e.changes) changes.push_back({{"field", c.field}, {"before", c.before}, {"after", c.after}});
  const nlohmann::json evidence = e.evidence_sha256;
  auto st = store.db().prepare("SELECT id, at, actor_id, entity_type, entity_id, action, changes, evidence FROM audit_events ORDER BY id");
  REQUIRE(st.step());
  CHECK(st.col_text(0) == "ae-1");
  CHECK(st.col_int(1) == 1234);
  CHECK(st.col_text(2) == "user-rep1");
  CHECK(st.col_text(3) == "customer");
  CHECK(st.col_text(4) == "c1");
  CHECK(st.col_text(5) == "customer.update");
  CHECK(st.col_text(6) == changes.dump());
  CHECK(st.col_text(7) == evidence.dump());
  REQUIRE(st.step());
  CHECK(st.col_text(6) == "[]");
  CHECK(st.col_text(7) == "[]");
}

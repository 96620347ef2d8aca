// The admin subcommands of the server binary, run as a user would run them.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "server/sqlite_store.h"
#include "server_harness.h"

using namespace cl::apitest;
namespace fs = std::filesystem;

TEST_SUITE("cli") {

TEST_CASE("create-user, reset-password and check work on a fresh data folder") {
  const std::string dir = make_temp_dir("closeloop-cli-data");
  auto seed = run_cli({"seed-demo", "--data", dir, "--fast-hash", "--scale", "users"});
  CHECK(seed.first == 0);
  CHECK(seed.second.find(" users, 4 teams") != std::string::npos);
  std::string team2_name;
  {
    cl::server::SqliteStore store(dir + "/closeloop.db", 1);
    CHECK(store.count_users() >= 33);
    team2_name = store.find_team("team-2")->name;
  }
  auto again = run_cli({"seed-demo", "--data", dir, "--fast-hash"});
  CHECK(again.first != 0);  // never seeds over real data

  auto created = run_cli({"create-user", "--data", dir, "--fast-hash", "--username", "ops1", "--password", "ops-password",
                          "--role", "manager", "--team", team2_name});
  CHECK(created.first == 0);
  CAPTURE(created.second);
  auto dup = run_cli({"create-user", "--data", dir, "--fast-hash", "--username", "ops1", "--password", "ops-password",
                      "--role", "rep", "--team", "team-1"});
  CHECK(dup.first != 0);
  CHECK(dup.second.find("username_taken") != std::string::npos);
  auto missing = run_cli({"create-user", "--data", dir, "--username", "ops2"});
  CHECK(missing.first == 2);
  CHECK(missing.second.find("--password") != std::string::npos);

  CHECK(run_cli({"reset-password", "--data", dir, "--fast-hash", "--username", "ops1", "--password", "next-password"}).first == 0);
  CHECK(run_cli({"reset-password", "--data", dir, "--username", "nobody", "--password", "next-password"}).first != 0);

  auto check = run_cli({"check", "--data", dir});
  CHECK(check.first == 0);
  CHECK(check.second.find("ok") != std::string::npos);

  // The CLI-made user and password work through the server.
  TestServer s({"--data", dir}, false);
  CHECK(!s.login("ops1", "next-password").empty());
  CHECK(s.login("ops1", "ops-password").empty());
  auto me = s.client().Get("/api/v1/me", bearer(s.login("ops1", "next-password")));
  CHECK(body_json(me)["team_id"] == "team-2");
  s.stop();
  fs::remove_all(dir);
}

TEST_CASE("seed-demo fills an empty database with the generated company, readable ids, intact keys") {
  const std::string dir = make_temp_dir("closeloop-demo");
  auto seed = run_cli({"seed-demo", "--data", dir, "--fast-hash"});
  REQUIRE(seed.first == 0);
  CAPTURE(seed.second);
  {
    cl::server::SqliteStore store(dir + "/closeloop.db", 1);
    CHECK(store.find_user_by_username("rep28")->user.team_id == "team-4");
    CHECK(store.find_user_by_username("manager1")->user.id == "user-manager1");
    CHECK(store.find_team("team-1")->manager_id == "user-manager1");
    cl::User rep1 = store.find_user_by_username("rep1")->user;
    auto own = store.records_since(cl::server::scope_for(rep1), 0, 100000);
    CHECK(own.size() > 50);
    for (const auto& r : own) CHECK(r.owner_id == "user-rep1");
    auto all = store.records_since(cl::server::Scope{cl::server::Scope::Kind::All, "", ""}, 0, 1000000);
    CHECK(all.size() > 2000);
    std::set<std::string> teams;
    for (const auto& r : all)
      if (!r.team_id.empty()) teams.insert(r.team_id);
    CHECK(teams == std::set<std::string>{"team-1", "team-2", "team-3", "team-4"});
    // No generator UUID of a person survived the renaming.
    for (const auto& r : all)
      if (r.type == "opportunity") CHECK(r.body.find("\"owner_id\":\"user-") != std::string::npos);
  }
  CHECK(run_cli({"check", "--data", dir}).first == 0);
  fs::remove_all(dir);
}

TEST_CASE("backup copies a live database online and the copy passes check") {
  auto& s = shared_server();
  const std::string out_dir = make_temp_dir("closeloop-backup");
  const std::string to = out_dir + "/closeloop.db";
  auto backup = run_cli({"backup", "--data", s.data_dir(), "--to", to});
  CHECK(backup.first == 0);
  CHECK(fs::file_size(to) > 0);
  CHECK(run_cli({"backup", "--data", s.data_dir(), "--to", to}).first != 0);  // refuses to overwrite
  auto check = run_cli({"check", "--data", out_dir});
  CHECK(check.first == 0);
  // The copy is a working database: a server on it accepts the demo logins.
  TestServer restored({"--data", out_dir}, false);
  CHECK(!restored.login("rep1").empty());
  restored.stop();
  fs::remove_all(out_dir);
}

TEST_CASE("check on a missing database fails and bad flags print usage") {
  CHECK(run_cli({"check", "--data", "/nonexistent/closeloop"}).first != 0);
  auto bad = run_cli({"serve", "--port", "not-a-port"});
  CHECK(bad.first == 2);
  CHECK(bad.second.find("usage") != std::string::npos);
  CHECK(run_cli({"frobnicate"}).first == 2);
}

TEST_CASE("environment variables configure port and data folder, and flags win over them") {
  {
    TestServer s({"--no-demo"}, false, /*port_from_env=*/true);
    CHECK(s.client().Get("/api/v1/health")->status == 200);
    CHECK(fs::exists(s.data_dir() + "/closeloop.db"));
  }
  const int env_port = free_loopback_port();
  setenv("CLOSELOOP_PORT", std::to_string(env_port).c_str(), 1);
  {
    TestServer s({"--no-demo"}, false);  // passes --port explicitly
    CHECK(s.port() != env_port);
    CHECK(s.client().Get("/api/v1/health")->status == 200);
    httplib::Client env_client("127.0.0.1", env_port);
    env_client.set_connection_timeout(0, 300000);
    CHECK(!env_client.Get("/api/v1/health"));  // nothing listens on the env port
  }
  unsetenv("CLOSELOOP_PORT");
}

}  // TEST_SUITE

TEST_SUITE("cli") {

TEST_CASE("import-csv previews by default and imports all rows with --apply") {
  const std::string dir = make_temp_dir("closeloop-import");
  REQUIRE(run_cli({"seed-demo", "--data", dir, "--fast-hash", "--scale", "users"}).first == 0);
  const std::string csv = dir + "/leads.csv";
  {
    std::ofstream out(csv, std::ios::binary);
    out << "\xEF\xBB\xBF公司,联系人,电话,来源,区域\r\n"
           "杭州市第三人民医院,张主任,13812345678,展会,杭州\r\n"
           "\"宁波康复医院, 东院\",李科长,13987654321,市场部名单,宁波\r\n";
  }
  auto dry = run_cli({"import-csv", "--data", dir, "--file", csv});
  CHECK(dry.first == 0);
  CHECK(dry.second.find("dry run") != std::string::npos);
  auto count_leads = [&] {
    cl::server::SqliteStore store(dir + "/closeloop.db", 1);
    return store.records_of_type("lead", cl::server::Scope{cl::server::Scope::Kind::All, "", ""}).size();
  };
  CHECK(count_leads() == 0);
  auto applied = run_cli({"import-csv", "--data", dir, "--file", csv, "--apply", "--team", "team-1"});
  CHECK(applied.first == 0);
  CAPTURE(applied.second);
  CHECK(count_leads() == 2);
  // The same phones again are duplicates: the whole file is refused, nothing more is written.
  auto again = run_cli({"import-csv", "--data", dir, "--file", csv, "--apply"});
  CHECK(again.first != 0);
  CHECK(count_leads() == 2);
  fs::remove_all(dir);
}

}  // TEST_SUITE

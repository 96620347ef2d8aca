// Users and teams administration: admin only for writes, scoped reads.
#include <doctest/doctest.h>

#include <set>

#include "server_harness.h"

using namespace cl::apitest;

TEST_SUITE("admin") {

TEST_CASE("admin-only endpoints refuse reps and managers with 403 and write nothing") {
  auto& s = shared_server();
  const auto admin = s.login("admin");
  const auto before = body_json(s.client().Get("/api/v1/users", bearer(admin)))["users"].size();
  const std::string new_user = json{{"username", "sneaky"}, {"password", "longenough"}, {"role", "admin"}}.dump();
  for (const char* who : {"rep6", "manager1"}) {
    CAPTURE(who);
    const auto token = s.login(who);
    REQUIRE(!token.empty());
    CHECK(s.client().Post("/api/v1/users", bearer(token), new_user, "application/json")->status == 403);
    CHECK(s.client().Post("/api/v1/teams", bearer(token), json{{"name", "x"}}.dump(), "application/json")->status == 403);
    CHECK(s.client().Patch("/api/v1/users/user-rep7", bearer(token), json{{"role", "admin"}}.dump(), "application/json")->status == 403);
    CHECK(s.client().Patch("/api/v1/teams/team-1", bearer(token), json{{"name", "x"}}.dump(), "application/json")->status == 403);
    CHECK(s.client().Post("/api/v1/users/user-rep7/password", bearer(token), json{{"password", "hijacked-1"}}.dump(), "application/json")->status == 403);
    CHECK(s.client().Post("/api/v1/users/user-rep7/deactivate", bearer(token), "", "application/json")->status == 403);
  }
  for (const char* path : {"/api/v1/users", "/api/v1/teams"})
    CHECK(s.client().Post(path, new_user, "application/json")->status == 401);
  CHECK(body_json(s.client().Get("/api/v1/users", bearer(admin)))["users"].size() == before);
  CHECK(s.login("rep7") != "");
}

TEST_CASE("user lists are scoped: admin all, manager the team, rep only themself") {
  auto& s = shared_server();
  auto count = [&](const char* who) {
    return body_json(s.client().Get("/api/v1/users", bearer(s.login(who))))["users"];
  };
  CHECK(count("admin").size() >= 33);
  auto team = count("manager3");
  CHECK(team.size() == 8);  // manager3 + rep15..rep21
  for (const auto& u : team) CHECK(u["team_id"] == "team-3");
  auto self = count("rep9");
  REQUIRE(self.size() == 1);
  CHECK(self[0]["username"] == "rep9");
}

TEST_CASE("an admin creates a team and a manager in it, who can then log in") {
  auto& s = shared_server();
  const auto admin = s.login("admin");
  auto team = s.client().Post("/api/v1/teams", bearer(admin), json{{"name", "嘉兴五组"}, {"region", "嘉兴"}}.dump(),
                              "application/json");
  REQUIRE(team);
  CHECK(team->status == 201);
  const std::string team_id = body_json(team)["id"];
  auto user = s.client().Post("/api/v1/users", bearer(admin),
                              json{{"username", "manager5"}, {"password", "manager5-pass"}, {"role", "manager"},
                                   {"team_id", team_id}, {"display_name", "钱经理"}}
                                  .dump(),
                              "application/json");
  REQUIRE(user);
  CHECK(user->status == 201);
  CHECK(body_json(user)["display_name"] == "钱经理");
  auto patch = s.client().Patch("/api/v1/teams/" + team_id, bearer(admin),
                                json{{"manager_id", body_json(user)["id"]}}.dump(), "application/json");
  CHECK(patch->status == 200);
  CHECK(body_json(patch)["manager_id"] == body_json(user)["id"]);
  const auto token = s.login("manager5", "manager5-pass");
  REQUIRE(!token.empty());
  CHECK(body_json(s.client().Get("/api/v1/me", bearer(token)))["team_id"] == team_id);
  auto teams = body_json(s.client().Get("/api/v1/teams", bearer(token)))["teams"];
  bool found = false;
  for (const auto& t : teams) found = found || t["name"] == "嘉兴五组";
  CHECK(found);
}

TEST_CASE("creating a user validates every field and names each problem") {
  auto& s = shared_server();
  const auto admin = s.login("admin");
  auto res = s.client().Post("/api/v1/users", bearer(admin),
                             json{{"username", "x"}, {"password", "short"}, {"role", "boss"}}.dump(), "application/json");
  REQUIRE(res);
  CHECK(res->status == 422);
  auto fields = body_json(res)["error"]["fields"];
  std::set<std::string> named;
  for (const auto& f : fields) named.insert(f["field"].get<std::string>());
  CHECK(named.count("username"));
  CHECK(named.count("password"));
  CHECK(named.count("role"));
  auto wrong_type = s.client().Post("/api/v1/users", bearer(admin), json{{"username", 12}}.dump(), "application/json");
  CHECK(wrong_type->status == 400);
}

TEST_CASE("a duplicate username is a 409 and a rep without a team is refused") {
  auto& s = shared_server();
  const auto admin = s.login("admin");
  auto dup = s.client().Post("/api/v1/users", bearer(admin),
                             json{{"username", "REP1"}, {"password", "longenough"}, {"role", "rep"}, {"team_id", "team-1"}}.dump(),
                             "application/json");
  CHECK(dup->status == 409);
  auto teamless = s.client().Post("/api/v1/users", bearer(admin),
                                  json{{"username", "floater"}, {"password", "longenough"}, {"role", "rep"}}.dump(),
                                  "application/json");
  CHECK(teamless->status == 422);
  auto ghost_team = s.client().Post("/api/v1/users", bearer(admin),
                                    json{{"username", "ghost"}, {"password", "longenough"}, {"role", "rep"}, {"team_id", "team-404"}}.dump(),
                                    "application/json");
  CHECK(ghost_team->status == 422);
}

TEST_CASE("an admin cannot demote or deactivate themself") {
  auto& s = shared_server();
  const auto admin = s.login("admin");
  CHECK(s.client().Post("/api/v1/users/user-admin/deactivate", bearer(admin), "", "application/json")->status == 422);
  CHECK(s.client().Patch("/api/v1/users/user-admin", bearer(admin), json{{"role", "rep"}, {"team_id", "team-1"}}.dump(),
                         "application/json")->status == 422);
  CHECK(body_json(s.client().Get("/api/v1/me", bearer(admin)))["role"] == "admin");
}

TEST_CASE("patching an unknown user is a 404") {
  auto& s = shared_server();
  const auto admin = s.login("admin");
  CHECK(s.client().Patch("/api/v1/users/user-nope", bearer(admin), json{{"display_name", "x"}}.dump(), "application/json")->status == 404);
}

}  // TEST_SUITE

// R33 against the real binary: login, tokens, logout, expiry, throttling, roles.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "server_harness.h"

using namespace cl::apitest;

namespace {

httplib::Result post_login(TestServer& s, const std::string& u, const std::string& p) {
  return s.client().Post("/api/v1/auth/login", json{{"username", u}, {"password", p}}.dump(), "application/json");
}

// Creates a fresh rep through the admin API, so a test can lock it out without hurting others.
std::string create_rep(TestServer& s, const std::string& username) {
  const auto admin = s.login("admin");
  auto res = s.client().Post("/api/v1/users", bearer(admin),
                             json{{"username", username}, {"password", "s3cret-pass"}, {"role", "rep"},
                                  {"team_id", "team-1"}, {"display_name", "测试销售"}}
                                 .dump(),
                             "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 201);
  return body_json(res)["id"];
}

}  // namespace

TEST_SUITE("auth") {

TEST_CASE("a demo rep logs in and gets a token, an expiry and their user") {
  auto res = post_login(shared_server(), "rep1", "demo1234");
  REQUIRE(res);
  CHECK(res->status == 200);
  auto body = body_json(res);
  CHECK(body["token"].get<std::string>().size() >= 43);  // 32 random bytes, base64url
  CHECK(body["expires_at"].get<std::string>().find('T') != std::string::npos);
  CHECK(body["user"]["username"] == "rep1");
  CHECK(body["user"]["role"] == "rep");
  CHECK(body["user"]["team_id"] == "team-1");
  CHECK(!body["user"].contains("password_hash"));
}

TEST_CASE("two logins get different tokens") {
  CHECK(shared_server().login("rep2") != shared_server().login("rep2"));
}

TEST_CASE("a wrong password and an unknown user get the same answer") {
  auto wrong = post_login(shared_server(), "rep3", "not-the-password");
  auto unknown = post_login(shared_server(), "nobody-such", "not-the-password");
  REQUIRE(wrong);
  REQUIRE(unknown);
  CHECK(wrong->status == 401);
  CHECK(unknown->status == 401);
  CHECK(wrong->body == unknown->body);  // no user enumeration
  CHECK(body_json(wrong)["error"]["code"] == "invalid_credentials");
}

TEST_CASE("missing fields in a login are a 400 with the fields named") {
  auto res = shared_server().client().Post("/api/v1/auth/login", "{\"username\":\"rep1\"}", "application/json");
  REQUIRE(res);
  CHECK(res->status == 400);
  auto fields = body_json(res)["error"]["fields"];
  REQUIRE(fields.size() == 1);
  CHECK(fields[0]["field"] == "password");
  CHECK(!fields[0]["message_zh"].get<std::string>().empty());
}

TEST_CASE("the token opens /me and nothing opens it without a token") {
  auto& s = shared_server();
  const auto token = s.login("manager2");
  auto me = s.client().Get("/api/v1/me", bearer(token));
  REQUIRE(me);
  CHECK(me->status == 200);
  CHECK(body_json(me)["username"] == "manager2");
  CHECK(body_json(me)["scope"] == "team");
  auto none = s.client().Get("/api/v1/me");
  REQUIRE(none);
  CHECK(none->status == 401);
  CHECK(body_json(none)["error"]["code"] == "unauthenticated");
  auto forged = s.client().Get("/api/v1/me", bearer(token + "x"));
  CHECK(forged->status == 401);
  auto garbage = s.client().Get("/api/v1/me", httplib::Headers{{"Authorization", "Basic cmVwMTpkZW1vMTIzNA=="}});
  CHECK(garbage->status == 401);
}

TEST_CASE("logout revokes the token and only that token") {
  auto& s = shared_server();
  const auto a = s.login("rep4");
  const auto b = s.login("rep4");
  auto out = s.client().Post("/api/v1/auth/logout", bearer(a), "", "application/json");
  REQUIRE(out);
  CHECK(out->status == 200);
  CHECK(s.client().Get("/api/v1/me", bearer(a))->status == 401);
  CHECK(s.client().Get("/api/v1/me", bearer(b))->status == 200);
}

TEST_CASE("an expired token is refused") {
  TestServer s({"--session-ttl-seconds", "1"}, false);
  const auto token = s.login("rep1");
  REQUIRE(!token.empty());
  CHECK(s.client().Get("/api/v1/me", bearer(token))->status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  auto res = s.client().Get("/api/v1/me", bearer(token));
  CHECK(res->status == 401);
  CHECK(body_json(res)["error"]["code"] == "invalid_token");
}

TEST_CASE("five failed logins lock the account with 429 and Retry-After, even for the right password") {
  auto& s = shared_server();
  create_rep(s, "lockme");
  for (int i = 0; i < 5; ++i) CHECK(post_login(s, "lockme", "wrong-password")->status == 401);
  auto locked = post_login(s, "lockme", "wrong-password");
  REQUIRE(locked);
  CHECK(locked->status == 429);
  CHECK(body_json(locked)["error"]["code"] == "too_many_attempts");
  const int retry = std::stoi(locked->get_header_value("Retry-After"));
  CHECK(retry > 0);
  CHECK(retry <= 15 * 60);
  CHECK(post_login(s, "lockme", "s3cret-pass")->status == 429);
  // Other accounts from the same address are not locked by it.
  CHECK(post_login(s, "rep5", "demo1234")->status == 200);
}

TEST_CASE("a successful login resets the account's failure count") {
  auto& s = shared_server();
  create_rep(s, "forgetful");
  for (int i = 0; i < 4; ++i) CHECK(post_login(s, "forgetful", "wrong-password")->status == 401);
  CHECK(post_login(s, "forgetful", "s3cret-pass")->status == 200);
  for (int i = 0; i < 4; ++i) CHECK(post_login(s, "forgetful", "wrong-password")->status == 401);
  CHECK(post_login(s, "forgetful", "s3cret-pass")->status == 200);
}

TEST_CASE("many failures from one address lock that address across accounts") {
  TestServer s({"--login-limit-address", "3"}, false);
  CHECK(post_login(s, "rep1", "x-wrong-1")->status == 401);
  CHECK(post_login(s, "rep2", "x-wrong-2")->status == 401);
  CHECK(post_login(s, "nobody", "x-wrong-3")->status == 401);
  auto res = post_login(s, "rep3", "demo1234");
  REQUIRE(res);
  CHECK(res->status == 429);
  CHECK(res->has_header("Retry-After"));
}

TEST_CASE("a deactivated user can no longer log in and their sessions end") {
  auto& s = shared_server();
  const auto id = create_rep(s, "leaver");
  const auto token = s.login("leaver", "s3cret-pass");
  REQUIRE(!token.empty());
  const auto admin = s.login("admin");
  auto res = s.client().Post("/api/v1/users/" + id + "/deactivate", bearer(admin), "", "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(body_json(res)["active"] == false);
  CHECK(s.client().Get("/api/v1/me", bearer(token))->status == 401);
  CHECK(post_login(s, "leaver", "s3cret-pass")->status == 401);
}

TEST_CASE("an admin password reset ends the user's sessions and the new password works") {
  auto& s = shared_server();
  const auto id = create_rep(s, "resetme");
  const auto old_token = s.login("resetme", "s3cret-pass");
  const auto admin = s.login("admin");
  auto res = s.client().Post("/api/v1/users/" + id + "/password", bearer(admin),
                             json{{"password", "brand-new-pass"}}.dump(), "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(s.client().Get("/api/v1/me", bearer(old_token))->status == 401);
  CHECK(s.login("resetme", "s3cret-pass").empty());
  CHECK(!s.login("resetme", "brand-new-pass").empty());
  auto weak = s.client().Post("/api/v1/users/" + id + "/password", bearer(admin), json{{"password", "short"}}.dump(),
                              "application/json");
  CHECK(weak->status == 422);
}

}  // TEST_SUITE

TEST_SUITE("auth") {

TEST_CASE("concurrent logins and reads from many connections each get their own user") {
  auto& s = shared_server();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, wrong{0};
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&, t] {
      const std::string username = "rep" + std::to_string(10 + t);
      httplib::Client c("127.0.0.1", s.port());
      auto login = c.Post("/api/v1/auth/login", json{{"username", username}, {"password", "demo1234"}}.dump(),
                          "application/json");
      if (!login || login->status != 200) { ++wrong; return; }
      const std::string token = json::parse(login->body)["token"];
      for (int i = 0; i < 15; ++i) {
        auto me = c.Get("/api/v1/me", bearer(token));
        if (me && me->status == 200 && json::parse(me->body)["username"] == username) ++ok; else ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(wrong == 0);
  CHECK(ok == 12 * 15);
}

}  // TEST_SUITE

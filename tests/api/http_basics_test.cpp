// Health, JSON errors, limits and security headers — against the real binary.
#include <doctest/doctest.h>

#include "server_harness.h"

using namespace cl::apitest;

TEST_SUITE("http basics") {

TEST_CASE("health answers ok with the version") {
  auto res = shared_server().client().Get("/api/v1/health");
  REQUIRE(res);
  CHECK(res->status == 200);
  auto body = body_json(res);
  CHECK(body["status"] == "ok");
  CHECK(body["version"].is_string());
  CHECK(!body["version"].get<std::string>().empty());
  CHECK(res->get_header_value("Content-Type").find("application/json") == 0);
}

TEST_CASE("every response carries the security headers and no CORS header") {
  auto& c = shared_server().client();
  for (const char* path : {"/api/v1/health", "/api/v1/does-not-exist", "/index.html", "/nope.txt"}) {
    CAPTURE(path);
    auto res = c.Get(path);
    REQUIRE(res);
    const auto csp = res->get_header_value("Content-Security-Policy");
    CHECK(csp.find("default-src 'self'") != std::string::npos);
    CHECK(csp.find("'wasm-unsafe-eval'") != std::string::npos);
    CHECK(csp.find("'unsafe-eval'") == std::string::npos);  // wasm may compile; JS eval stays off
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(res->get_header_value("X-Frame-Options") == "DENY");
    CHECK(!res->get_header_value("Referrer-Policy").empty());
    CHECK(!res->has_header("Access-Control-Allow-Origin"));
  }
  // A cross-origin preflight gets no permission either.
  auto pre = raw_request(shared_server().port(), "OPTIONS", "/api/v1/me",
                         "Origin: https://evil.example\r\nAccess-Control-Request-Method: GET\r\n");
  CHECK(pre.find("Access-Control-Allow-Origin") == std::string::npos);
}

TEST_CASE("unknown api routes answer 404 in the JSON error format") {
  auto res = shared_server().client().Get("/api/v1/no/such/thing");
  REQUIRE(res);
  CHECK(res->status == 404);
  auto body = body_json(res);
  CHECK(body["error"]["code"] == "not_found");
  CHECK(body["error"]["message"].is_string());
  CHECK(body["error"]["fields"].is_array());
  auto post = shared_server().client().Post("/api/v1/no/such/thing", "{}", "application/json");
  REQUIRE(post);
  CHECK(post->status == 404);
  CHECK(body_json(post)["error"]["code"] == "not_found");
}

TEST_CASE("a known path with the wrong method answers 405 with Allow") {
  auto res = shared_server().client().Get("/api/v1/auth/login");
  REQUIRE(res);
  CHECK(res->status == 405);
  CHECK(res->get_header_value("Allow").find("POST") != std::string::npos);
  CHECK(body_json(res)["error"]["code"] == "method_not_allowed");
  auto del = shared_server().client().Delete("/api/v1/health");
  REQUIRE(del);
  CHECK(del->status == 405);
  CHECK(body_json(del)["error"]["code"] == "method_not_allowed");
}

TEST_CASE("malformed JSON is refused with 400 and writes nothing") {
  auto& s = shared_server();
  const auto admin = s.login("admin");
  REQUIRE(!admin.empty());
  auto before = body_json(s.client().Get("/api/v1/users", bearer(admin)))["users"].size();
  for (const std::string bad : {"{\"username\": \"newbie\", ", "not json", "[1,2,3]", "{\"username\":\"x\"}}"}) {
    CAPTURE(bad);
    auto res = s.client().Post("/api/v1/users", bearer(admin), bad, "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(body_json(res)["error"]["code"] == "malformed_json");
  }
  auto after = body_json(s.client().Get("/api/v1/users", bearer(admin)))["users"].size();
  CHECK(after == before);
}

TEST_CASE("invalid UTF-8 in a JSON body is refused with 400") {
  auto& s = shared_server();
  const auto admin = s.login("admin");
  std::string body = "{\"username\":\"bad\xff\xfe\",\"password\":\"longenough\",\"role\":\"admin\"}";
  auto res = s.client().Post("/api/v1/users", bearer(admin), body, "application/json");
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK(body_json(res)["error"]["code"] == "invalid_utf8");
  auto users = body_json(s.client().Get("/api/v1/users", bearer(admin)))["users"];
  for (const auto& u : users) CHECK(u["username"].get<std::string>().rfind("bad", 0) != 0);
}

TEST_CASE("ill-formed UTF-8 after a NUL byte, or outside any string, is still refused as invalid_utf8") {
  // The JSON reader ends a document at a NUL byte (as nlohmann does); the UTF-8 check must not stop there.
  auto& s = shared_server();
  const auto admin = s.login("admin");
  for (const std::string& body : {std::string("{\"username\":\"nul-then-bad\"}") + '\0' + "\xff",
                                 std::string("{\"username\":\"x\"} \xc0\xaf")}) {
    auto res = s.client().Post("/api/v1/users", bearer(admin), body, "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(body_json(res)["error"]["code"] == "invalid_utf8");
  }
}

TEST_CASE("a body that is not JSON by content type is refused with 415") {
  auto res = shared_server().client().Post("/api/v1/auth/login", "username=rep1&password=demo1234",
                                           "application/x-www-form-urlencoded");
  REQUIRE(res);
  CHECK(res->status == 415);
  CHECK(body_json(res)["error"]["code"] == "unsupported_media_type");
}

TEST_CASE("a body over the server limit is refused with 413 JSON") {
  // A server with a small limit, so the test does not push megabytes through the loopback.
  TestServer small({"--max-body-bytes", "4096", "--no-demo"}, false);
  std::string huge = "{\"username\":\"" + std::string(10000, 'a') + "\",\"password\":\"x\"}";
  auto res = small.client().Post("/api/v1/auth/login", huge, "application/json");
  REQUIRE(res);
  CHECK(res->status == 413);
  CHECK(body_json(res)["error"]["code"] == "payload_too_large");
  CHECK(small.stop() == 0);
}

TEST_CASE("a login body over 64 KiB is refused with 413 although it is under the upload limit") {
  std::string huge = "{\"username\":\"" + std::string(70000, 'a') + "\",\"password\":\"x\"}";
  auto res = shared_server().client().Post("/api/v1/auth/login", huge, "application/json");
  REQUIRE(res);
  CHECK(res->status == 413);
  CHECK(body_json(res)["error"]["code"] == "payload_too_large");
}

TEST_CASE("SIGTERM stops the server cleanly with exit code 0") {
  TestServer s({"--no-demo"}, false);
  CHECK(s.client().Get("/api/v1/health")->status == 200);
  CHECK(s.stop() == 0);
  CHECK(s.log().find("stopped cleanly") != std::string::npos);
}

}  // TEST_SUITE

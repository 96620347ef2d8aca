// Static files: MIME types, precompressed variants, cache rules, and no way out of the web root.
#include <doctest/doctest.h>

#include "server_harness.h"

using namespace cl::apitest;

namespace {
std::string header_of(const std::string& raw, const std::string& name) {
  std::string lower = raw, key = name;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto head_end = lower.find("\r\n\r\n");
  auto pos = lower.find("\r\n" + key + ":");
  if (pos == std::string::npos || pos > head_end) return {};
  auto start = raw.find(':', pos) + 1;
  while (raw[start] == ' ') ++start;
  return raw.substr(start, raw.find("\r\n", start) - start);
}
int status_of(const std::string& raw) { return raw.size() > 12 ? std::stoi(raw.substr(9, 3)) : 0; }
std::string body_of(const std::string& raw) {
  auto p = raw.find("\r\n\r\n");
  return p == std::string::npos ? "" : raw.substr(p + 4);
}
}  // namespace

TEST_SUITE("static files") {

TEST_CASE("files are served with the right MIME types") {
  auto& c = shared_server().client();
  struct Case { const char* path; const char* mime; };
  for (auto [path, mime] : {Case{"/app.wasm", "application/wasm"}, Case{"/app.js", "text/javascript"},
                            Case{"/index.html", "text/html; charset=utf-8"}, Case{"/fonts/DroidSansFallback.ttf", "font/ttf"},
                            Case{"/manifest.webmanifest", "application/manifest+json"}}) {
    CAPTURE(path);
    auto res = c.Get(path);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type").rfind(mime, 0) == 0);
  }
  auto wasm = c.Get("/app.wasm");
  CHECK(wasm->body == std::string("\0asm\1\0\0\0", 8));
}

TEST_CASE("the root serves index.html, revalidated on every load") {
  auto res = shared_server().client().Get("/");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body.find("登录") != std::string::npos);
  CHECK(res->get_header_value("Cache-Control") == "no-cache");
  CHECK(shared_server().client().Get("/sw.js")->get_header_value("Cache-Control") == "no-cache");
}

TEST_CASE("hashed assets may be cached for a year") {
  auto res = shared_server().client().Get("/assets/chunk-0123abcd89.js");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Cache-Control").find("max-age=31536000") != std::string::npos);
}

TEST_CASE("a precompressed variant is served when the client accepts it") {
  const int port = shared_server().port();
  auto br = raw_request(port, "GET", "/app.js", "Accept-Encoding: gzip, deflate, br\r\n");
  CHECK(status_of(br) == 200);
  CHECK(header_of(br, "Content-Encoding") == "br");
  CHECK(header_of(br, "Vary").find("Accept-Encoding") != std::string::npos);
  CHECK(header_of(br, "Content-Type").rfind("text/javascript", 0) == 0);
  CHECK(body_of(br) == "PRECOMPRESSED-BROTLI-BYTES");
  auto gz = raw_request(port, "GET", "/app.js", "Accept-Encoding: gzip\r\n");
  CHECK(header_of(gz, "Content-Encoding") == "gzip");
  CHECK(body_of(gz) == "PRECOMPRESSED-GZIP-BYTES");
  auto plain = raw_request(port, "GET", "/app.js");
  CHECK(header_of(plain, "Content-Encoding").empty());
  CHECK(body_of(plain) == "console.log('closeloop app');\n");
}

TEST_CASE("an unchanged file answers 304 to its ETag") {
  auto& c = shared_server().client();
  auto first = c.Get("/app.wasm");
  REQUIRE(first);
  const auto etag = first->get_header_value("ETag");
  REQUIRE(!etag.empty());
  auto again = c.Get("/app.wasm", httplib::Headers{{"If-None-Match", etag}});
  CHECK(again->status == 304);
  CHECK(again->body.empty());
}

TEST_CASE("path traversal never returns a file from outside the web root") {
  const int port = shared_server().port();
  for (const std::string target :
       {"/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt", "/%2E%2E%2Fsecret.txt",
        "/fonts/../../secret.txt", "/fonts/%2e%2e/%2e%2e/secret.txt", "/..\\secret.txt", "/%252e%252e%252fsecret.txt",
        "//etc/passwd", "/leak.txt", "/./../secret.txt", "/app.js%00.html", "/%2e%2e%5csecret.txt"}) {
    CAPTURE(target);
    auto raw = raw_request(port, "GET", target);
    const int status = status_of(raw);
    CHECK((status == 400 || status == 404));
    CHECK(raw.find("TOP SECRET") == std::string::npos);
    CHECK(raw.find("root:") == std::string::npos);
  }
}

TEST_CASE("a missing file is a 404 and the API is never shadowed by files") {
  auto& c = shared_server().client();
  CHECK(c.Get("/nope.txt")->status == 404);
  CHECK(c.Get("/api/v1/health")->get_header_value("Content-Type").find("json") != std::string::npos);
  CHECK(c.Post("/index.html", "{}", "application/json")->status == 405);
}

}  // TEST_SUITE

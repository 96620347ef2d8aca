// server/json_text.h writes exactly what nlohmann's dump(-1, ' ', false, replace) writes — the stored
// record text of every sync push depends on it — and server/ids.h's uuids keep their shape.
#include <cstdint>
#include <limits>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "server/ids.h"
#include "server/json_text.h"

using nlohmann::json;

namespace {
std::string reference(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }
}  // namespace

TEST_SUITE("json text") {

TEST_CASE("json_text writes byte for byte what nlohmann's compact dump writes") {
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls += static_cast<char>(c);
  const json cases[] = {
      nullptr, true, false, 0, -1, 42, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
      std::numeric_limits<std::uint64_t>::max(), 0.5, -3.25e-7, 1e300, 100.0,
      "", "plain ascii", "quote \" backslash \\ slash /", controls, "del \x7f byte", "杭州某医疗器械有限公司",
      "emoji 😀 and 中文 mixed \n\t", "\xe2\x80\xa8 line separator",
      "bad utf-8 \xff\xfe here", "truncated \xe4\xb8", "overlong \xc0\xaf", "surrogate \xed\xa0\x80",
      json::array(), json::object(), json::array({1, "two", nullptr, json::array({3.5}), json::object()}),
      json{{"z", 1}, {"a", "first key sorts first"}, {"中", json{{"nested", json::array({"\"", "\\"})}}}},
      json{{"id", "c1"}, {"tags", {{"region", "杭州"}, {"customer_type", "三甲医院"}}}, {"amount_fen", 123456789},
           {"deleted", false}, {"contacts", json::array({json{{"phone", "13800000000"}, {"primary", true}}})}},
  };
  for (const auto& j : cases) {
    CAPTURE(reference(j));
    CHECK(cl::server::json_text(j) == reference(j));
  }
  // Keys that need escaping, and a key that is not valid UTF-8.
  json odd = json::object();
  odd["tab\tkey"] = 1;
  odd["q\"k"] = "v";
  odd["bad\xffkey"] = "x";
  CHECK(cl::server::json_text(odd) == reference(odd));
  // Texts longer than the writer's first buffer (it grows), with escapes throughout.
  std::string big;
  for (int i = 0; i < 60000; ++i) big += i % 7 == 0 ? "\"\x01" : "杭州a";  // past the 1 MiB a thread keeps
  const json large = json{{"big", big}, {"list", json::array({big, 1, big})}};
  CHECK(cl::server::json_text(large) == reference(large));
  CHECK(cl::server::json_text(json{{"after", "a large one"}}) == R"({"after":"a large one"})");
  // append_json_string writes one string literal, the same way.
  for (const char* text : {"", "plain", "杭州 \"q\" \\ \n", "bad \xff utf-8"}) {
    std::string lit = "[";
    cl::append_json_string(lit, text);
    CHECK(lit == "[" + reference(json(text)));
  }
  // append_json_text appends.
  std::string out = "prefix:";
  cl::server::append_json_text(out, json{{"a", 1}});
  CHECK(out == "prefix:{\"a\":1}");
}

TEST_CASE("a uuid v7 is 8-4-4-4-12 lowercase hex with the instant, version 7 and the RFC variant") {
  const long long now = 1764300000123;  // ms
  const std::string a = cl::server::new_uuid_v7(now), b = cl::server::new_uuid_v7(now);
  for (const auto& u : {a, b}) {
    CAPTURE(u);
    REQUIRE(u.size() == 36);
    for (std::size_t i = 0; i < u.size(); ++i) {
      if (i == 8 || i == 13 || i == 18 || i == 23) CHECK(u[i] == '-');
      else CHECK(((u[i] >= '0' && u[i] <= '9') || (u[i] >= 'a' && u[i] <= 'f')));
    }
    CHECK(u.substr(0, 8) + u.substr(9, 4) == "019ac8798b7b");  // 1764300000123 ms = 0x019ac8798b7b
    CHECK(u[14] == '7');
    CHECK(std::string("89ab").find(u[19]) != std::string::npos);
  }
  CHECK(a != b);
}

}  // TEST_SUITE

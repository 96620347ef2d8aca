// server/json_parse.h must answer exactly what nlohmann::json::parse(text, nullptr, false) answers —
// it reads every push body and the records a push loads. Hand-picked edge cases, then a few thousand
// generated documents and byte-level mutations of them, compared value, number type and all.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "server/http_json.h"
#include "server/json_parse.h"

using nlohmann::json;

namespace {

bool same(const json& a, const json& b) {
  if (a.is_discarded() || b.is_discarded()) return a.is_discarded() && b.is_discarded();
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::value_t::object: {
      if (a.size() != b.size()) return false;
      for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
        if (ia.key() != ib.key() || !same(*ia, *ib)) return false;
      return true;
    }
    case json::value_t::array: {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!same(a[i], b[i])) return false;
      return true;
    }
    default: return a == b || (a.is_number_float() && std::isnan(a.get<double>()) && std::isnan(b.get<double>()));
  }
}

void check_same(const std::string& text) {
  const json expected = json::parse(text, nullptr, false);
  const json got = cl::server::parse_json_text(text);
  CAPTURE(text);
  CHECK(same(got, expected));
}

json random_value(std::mt19937& rng, int depth) {
  std::uniform_int_distribution<int> kind(0, depth > 3 ? 5 : 7);
  static const std::vector<std::string> strings = {"", "a", "杭州", "quote\"", "back\\slash", "tab\t", "nul\0x", "😀",
                                                   "\x7f", "/", "\xe2\x80\xa8", "KH-A1-00001"};
  switch (kind(rng)) {
    case 0: return nullptr;
    case 1: return rng() % 2 == 0;
    case 2: return static_cast<std::int64_t>(rng()) - (1LL << 31);
    case 3: return static_cast<std::uint64_t>(rng()) << 32 | rng();
    case 4: return std::ldexp(static_cast<double>(rng()) / 7.0, static_cast<int>(rng() % 80) - 40);
    case 5: return strings[rng() % strings.size()];
    case 6: {
      json a = json::array();
      for (unsigned i = rng() % 4; i > 0; --i) a.push_back(random_value(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      for (unsigned i = rng() % 4; i > 0; --i) o[strings[rng() % strings.size()]] = random_value(rng, depth + 1);
      return o;
    }
  }
}

}  // namespace

TEST_SUITE("json parse") {

TEST_CASE("parse_json_text agrees with nlohmann on hand-picked documents, valid and not") {
  const char* cases[] = {
      "", " ", "null", "true", "false", "nul", "tru", "falsey", "0", "-0", "01", "-01", "1.", ".5", "-", "+1", "1e5",
      "1E+5", "1e-5", "1e", "1e+", "2.50", "-0.0", "1e400", "-1e400", "1e-400", "18446744073709551615",
      "18446744073709551616", "-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
      "\"\"", "\"a\"", "\"\\u0041\\u00e9\\u4e2d\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"",
      "\"\\u00\"", "\"\\uZZZZ\"", "\"\\x\"", "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"", "\"\\u0000\"", "\"tab\there\"", "\"unterminated",
      "\"\xe6\x9d\xad\xe5\xb7\x9e\"", "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xe4\xb8\"",
      "\xef\xbb\xbf{}", "\xef\xbb{}", "\xef{}", "{}", "[]", "{ }", "[ ]", "{\"a\":1}", "{\"a\":1,}", "[1,]", "[,1]", "{,}",
      "{\"a\" 1}", "{\"a\":}", "{a:1}", "{\"a\":1 \"b\":2}", "{\"a\":1,\"a\":2}", "{\"a\":{\"x\":1},\"a\":[2]}", "[1 2]",
      "[1,[2,[3,{\"k\":[null,true,false]}]]]", " \t\r\n[1]\n ", "[1] x", "[1]]", "{}}", "[", "{", "]", "}", "\"a\"\"b\"",
      "[1e5,-2,3.25,\"s\"]", "{\"\":\"\"}", "[\"\xe2\x80\xa8\"]", "nan", "NaN", "Infinity", "[0x10]", "/*c*/1", "1 // c",
  };
  for (const char* c : cases) check_same(c);
  check_same(std::string("\"nul\0byte\"", 10));
  check_same(std::string("[1]\0", 4));
  check_same(std::string("[1] \0 trailing", 15));
  check_same(std::string("[1,\0]", 5));
  check_same(std::string("\0", 1));
  // Deep nesting: nlohmann has no limit; past 256 levels the fast reader hands the text to it.
  check_same(std::string(300, '[') + std::string(300, ']'));
  check_same(std::string(300, '[') + std::string(299, ']'));
}

TEST_CASE("parse_json_text agrees with nlohmann on generated documents and their mutations") {
  std::mt19937 rng(20261128);
  const std::string alphabet = "{}[]\":,\\-+.0123456789eEtrufalsn \n\xe4\xb8\xad\xff";
  int checked = 0;
  for (int i = 0; i < 1500; ++i) {
    const json v = random_value(rng, 0);
    std::string text = v.dump(rng() % 3 == 0 ? 1 : -1);
    check_same(text);
    for (int m = 0; m < 3 && !text.empty(); ++m) {
      std::string t = text;
      const std::size_t at = rng() % t.size();
      switch (rng() % 3) {
        case 0: t.erase(at, 1); break;
        case 1: t.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        default: t[at] = alphabet[rng() % alphabet.size()];
      }
      check_same(t);
      ++checked;
    }
  }
  CHECK(checked > 3000);
}

// The reader skips plain ASCII eight bytes at a time: each byte value, and whole or cut UTF-8
// sequences, at every offset of the words it reads, inside strings and as keys.
TEST_CASE("parse_json_text agrees with nlohmann on every byte at every offset of a string") {
  int checked = 0;
  for (std::size_t len = 0; len <= 20; ++len)
    for (std::size_t at = 0; at <= len; ++at) {
      const std::string head(at, 'a'), tail(len - at, 'b');
      for (int byte = 0; byte < 256; ++byte) {
        const std::string inside = head + static_cast<char>(byte) + tail;
        check_same("\"" + inside + "\"");
        ++checked;
      }
      for (const char* seq : {"杭", "é", "😀", "\xe6\x9d", "\xe6", "\xed\xa0\x80", "\xe0\x80\x80", "\xf4\x90\x80\x80", "\\n", "\\u4e2d"}) {
        check_same("\"" + head + seq + tail + "\"");
        check_same("{\"" + head + seq + tail + "\":1}");
        checked += 2;
      }
    }
  CHECK(checked > 50000);
}

TEST_CASE("valid_utf8 finds an ill-formed sequence wherever it sits, after long ASCII runs too") {
  for (std::size_t before = 0; before < 20; ++before)
    for (std::size_t after = 0; after < 12; after += 5) {
      CAPTURE(before);
      CAPTURE(after);
      const std::string a(before, 'a'), b(after, 'b');
      CHECK(cl::valid_utf8(a + "杭州😀" + b));
      for (const char* bad : {"\xff", "\x80", "\xc0\xaf", "\xed\xa0\x80", "\xe4\xb8", "\xf4\x90\x80\x80"}) {
        CAPTURE(std::string(bad));
        CHECK_FALSE(cl::valid_utf8(a + bad + b));
      }
    }
}

}  // TEST_SUITE

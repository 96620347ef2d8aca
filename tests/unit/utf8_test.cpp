// core/utf8.h: one code point as UTF-8 at each length boundary (the duplicate check and the server's
// JSON reader both rely on it).
#include <doctest/doctest.h>

#include <string>

#include "core/utf8.h"

TEST_CASE("append_utf8 writes 1 to 4 bytes at each length boundary") {
  const struct { char32_t cp; std::string bytes; } cases[] = {
      {0x0, std::string(1, '\0')}, {0x7F, "\x7F"}, {0x80, "\xC2\x80"}, {0x7FF, "\xDF\xBF"},
      {0x800, "\xE0\xA0\x80"}, {0x676D, "杭"}, {0xFFFF, "\xEF\xBF\xBF"}, {0x10000, "\xF0\x90\x80\x80"},
      {0x1F600, "\xF0\x9F\x98\x80"}, {0x10FFFF, "\xF4\x8F\xBF\xBF"}};
  for (const auto& c : cases) {
    std::string out = "x";   // appends, never replaces
    cl::append_utf8(out, c.cp);
    INFO("code point " << static_cast<unsigned>(c.cp));
    CHECK(out == "x" + c.bytes);
  }
}

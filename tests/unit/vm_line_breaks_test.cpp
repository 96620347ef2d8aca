// Line breaking for wrapped banners (line_breaks.h): amounts stay whole, Chinese breaks between
// characters, no line starts with closing punctuation, no line is wider than asked when it can be.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "app/vm/line_breaks.h"

using cl::app::wrap_lines;

namespace {

// Monospace: a Chinese character (3-byte UTF-8) is 2 units, anything else 1.
float mono(std::string_view s) { return s.size() >= 3 ? 2.0f : 1.0f; }

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

float width_of(const std::string& line) {
  float w = 0;
  for (std::size_t i = 0; i < line.size();) {
    const auto b = static_cast<unsigned char>(line[i]);
    const std::size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
    w += mono(std::string_view(line).substr(i, n));
    i += n;
  }
  return w;
}

}  // namespace

TEST_CASE("an amount is never split at its thousands comma or decimal point, whatever the width") {
  const std::string text = "预计金额：服务器 ¥200,000.00 ｜ 我的 ¥123,456.00";
  for (float w = 12; w <= 60; w += 1) {
    const std::string wrapped = wrap_lines(text, w, mono);
    CHECK_MESSAGE(wrapped.find("¥123,456.00") != std::string::npos, "width " << w << ": " << wrapped);
    CHECK_MESSAGE(wrapped.find("¥200,000.00") != std::string::npos, "width " << w << ": " << wrapped);
    for (const auto& l : lines(wrapped)) {
      CHECK_MESSAGE(width_of(l) <= w, "width " << w << ": [" << l << "]");
      CHECK(l.rfind("，", 0) != 0);
      CHECK(l.rfind("：", 0) != 0);
    }
  }
}

TEST_CASE("Chinese text without spaces wraps between characters and keeps all of them") {
  const std::string text = "杭州拱墅区永诺达眼科诊所血糖检测试纸采购";
  const std::string wrapped = wrap_lines(text, 10, mono);
  const auto ls = lines(wrapped);
  REQUIRE(ls.size() == 4);  // 20 characters × 2 units in lines of 10
  std::string joined;
  for (const auto& l : ls) {
    CHECK(width_of(l) <= 10);
    joined += l;
  }
  CHECK(joined == text);
}

TEST_CASE("text that fits stays on one line, and blanks at a break are dropped") {
  CHECK(wrap_lines("我的 ¥1.00", 40, mono) == "我的 ¥1.00");
  CHECK(wrap_lines("aaa bbb ccc", 7, mono) == "aaa bbb\nccc");
  CHECK(wrap_lines("", 10, mono).empty());
}

TEST_CASE("a word wider than a line is cut where it overflows rather than spilling out") {
  const std::string wrapped = wrap_lines("abcdefghij", 4, mono);
  CHECK(wrapped == "abcd\nefgh\nij");
}

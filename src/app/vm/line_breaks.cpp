#include "app/vm/line_breaks.h"

#include <vector>

namespace cl::app {
namespace {

struct Cp {
  std::size_t at, len;
  char32_t c;
};

std::vector<Cp> code_points(std::string_view s) {
  std::vector<Cp> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
    if (i + n > s.size()) n = 1;
    char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back({i, n, c});
    i += n;
  }
  return out;
}

bool blank(char32_t c) { return c == ' ' || c == '\t' || c == 0x3000; }
bool digit(char32_t c) { return c >= '0' && c <= '9'; }
bool han(char32_t c) { return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF); }
// No line starts with these (closing punctuation) …
bool closing(char32_t c) {
  switch (c) {
    case '.': case ',': case ';': case ':': case '!': case '?': case ')': case ']': case '%':
    case 0x3001: case 0x3002: case 0xFF0C: case 0xFF1B: case 0xFF1A: case 0xFF01: case 0xFF1F: case 0xFF09:
    case 0x300D: case 0x300F: case 0x3011: case 0x00B7:
      return true;
    default:
      return false;
  }
}
// … and none ends with these (opening brackets, a currency sign before its amount).
bool opening(char32_t c) {
  return c == '(' || c == '[' || c == 0xFF08 || c == 0x300C || c == 0x300E || c == 0x3010 || c == 0x00A5 || c == 0xFFE5 || c == '$';
}
bool punctuation(char32_t c) { return closing(c) || c == 0xFF5C || c == '|' || c == '"'; }

// May a line start at cps[i] (i > 0)?
bool break_before(const std::vector<Cp>& cps, std::size_t i) {
  const char32_t p = cps[i - 1].c, c = cps[i].c;
  if (blank(c) || closing(c) || opening(p)) return false;
  if (blank(p)) return true;
  if (punctuation(p)) {
    // "123,456.00", "3.5": a separator inside a number is part of it.
    const bool in_number = (p == '.' || p == ',') && i >= 2 && digit(cps[i - 2].c) && digit(c);
    return !in_number;
  }
  return han(p) || han(c);
}

}  // namespace

std::string wrap_lines(std::string_view text, float width, const std::function<float(std::string_view)>& measure) {
  const std::vector<Cp> cps = code_points(text);
  std::string out;
  std::size_t start = 0;           // first code point of the current line
  std::size_t last_break = 0;      // latest code point a new line may start at (0 = none yet)
  float line_w = 0;
  auto emit = [&](std::size_t end) {  // the line [start, end) without trailing blanks, then '\n'
    std::size_t e = end;
    while (e > start && blank(cps[e - 1].c)) --e;
    if (e > start) out.append(text.substr(cps[start].at, cps[e - 1].at + cps[e - 1].len - cps[start].at));
    out.push_back('\n');
  };
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (i == start && blank(cps[i].c) && !out.empty()) {  // blanks a break left at a line's start
      ++start;
      continue;
    }
    if (i > start && break_before(cps, i)) last_break = i;
    const float w = measure(text.substr(cps[i].at, cps[i].len));
    if (line_w + w > width && i > start && !blank(cps[i].c)) {
      const std::size_t at = last_break > start ? last_break : i;  // no opportunity: cut here
      emit(at);
      start = at;
      while (start < i && blank(cps[start].c)) ++start;
      line_w = 0;
      for (std::size_t k = start; k < i; ++k) line_w += measure(text.substr(cps[k].at, cps[k].len));
      last_break = 0;
      if (i > start && break_before(cps, i)) last_break = i;
    }
    line_w += w;
  }
  if (start < cps.size()) {
    std::size_t e = cps.size();
    while (e > start && blank(cps[e - 1].c)) --e;
    if (e > start) out.append(text.substr(cps[start].at, cps[e - 1].at + cps[e - 1].len - cps[start].at));
  } else if (!out.empty() && out.back() == '\n') {
    out.pop_back();
  }
  return out;
}

}  // namespace cl::app

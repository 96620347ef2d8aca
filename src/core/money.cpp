#include "core/money.h"

#include <cstdlib>

namespace cl {

std::int64_t mul_div_round(std::int64_t amount, std::int64_t numerator, std::int64_t denominator) {
  if (denominator == 0) return 0;
  __int128 product = static_cast<__int128>(amount) * numerator;
  bool negative = (product < 0) != (denominator < 0);
  __int128 p = product < 0 ? -product : product;
  __int128 d = denominator < 0 ? -static_cast<__int128>(denominator) : denominator;
  __int128 q = (p + d / 2) / d;  // half away from zero on the magnitude
  return static_cast<std::int64_t>(negative ? -q : q);
}

Money apply_discount(Money gross, int discount_bp) {
  return {mul_div_round(gross.fen, 10000 - discount_bp, 10000)};
}

Money line_net(Money unit_price, std::int64_t quantity, int discount_bp) {
  return apply_discount(Money{unit_price.fen * quantity}, discount_bp);
}

static std::string two_digits(std::int64_t v) {
  std::string s = std::to_string(v);
  return s.size() < 2 ? "0" + s : s;
}

std::string format_plain(Money m) {
  std::int64_t f = m.fen < 0 ? -m.fen : m.fen;
  return (m.fen < 0 ? "-" : "") + std::to_string(f / 100) + "." + two_digits(f % 100);
}

std::string format_yuan(Money m) {
  std::int64_t f = m.fen < 0 ? -m.fen : m.fen;
  std::string whole = std::to_string(f / 100), grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  return std::string(m.fen < 0 ? "-" : "") + "¥" + grouped + "." + two_digits(f % 100);
}

std::optional<Money> parse_yuan(std::string_view text) {
  std::string s;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ',' || c == ' ') continue;
    if (text.substr(i, 2) == "¥") { i += 1; continue; }   // U+00A5 is two bytes in UTF-8
    if (text.substr(i, 3) == "￥") { i += 2; continue; }  // full-width yen
    if (text.substr(i, 3) == "元") { i += 2; continue; }
    s += c;
  }
  if (s.empty()) return std::nullopt;
  bool negative = false;
  size_t pos = 0;
  if (s[0] == '-') { negative = true; pos = 1; }
  std::int64_t whole = 0, frac = 0;
  int frac_digits = 0;
  bool seen_dot = false, seen_digit = false;
  for (; pos < s.size(); ++pos) {
    char c = s[pos];
    if (c == '.') { if (seen_dot) return std::nullopt; seen_dot = true; continue; }
    if (c < '0' || c > '9') return std::nullopt;
    seen_digit = true;
    if (seen_dot) {
      if (++frac_digits > 2) return std::nullopt;
      frac = frac * 10 + (c - '0');
    } else {
      if (whole > 90'000'000'000'000LL) return std::nullopt;  // far beyond any real amount
      whole = whole * 10 + (c - '0');
    }
  }
  if (!seen_digit) return std::nullopt;
  if (frac_digits == 1) frac *= 10;
  std::int64_t fen = whole * 100 + frac;
  return Money{negative ? -fen : fen};
}

int ratio_bp(Money a, Money b) {
  if (b.fen == 0) return 0;
  return static_cast<int>(mul_div_round(a.fen, 10000, b.fen));
}

}  // namespace cl

// money.h: integer fen, rounding half away from zero per line (四舍五入), parsing and display.
#include <doctest/doctest.h>

#include "core/money.h"

using namespace cl;

TEST_CASE("a fraction of a fen rounds half away from zero") {
  CHECK(mul_div_round(1, 1, 2) == 1);     // 0.5 fen -> 1
  CHECK(mul_div_round(-1, 1, 2) == -1);   // -0.5 fen -> -1, not 0
  CHECK(mul_div_round(3, 1, 2) == 2);     // 1.5 -> 2
  CHECK(mul_div_round(5, 1, 4) == 1);     // 1.25 -> 1
  CHECK(mul_div_round(7, 1, 4) == 2);     // 1.75 -> 2
  CHECK(mul_div_round(10, 1, 3) == 3);
  CHECK(mul_div_round(1, -1, 2) == -1);   // sign from either operand
  CHECK(mul_div_round(123, 7, 0) == 0);   // no division by zero
}

TEST_CASE("a huge amount times a percentage does not overflow") {
  const std::int64_t big = 9'000'000'000'000'000;  // 90 trillion yuan in fen
  CHECK(mul_div_round(big, 10000, 10000) == big);
  CHECK(mul_div_round(big, 9999, 10000) == big - 900'000'000'000);
}

TEST_CASE("a discount in basis points is applied per line with half-up rounding") {
  CHECK(apply_discount(Money{1000}, 1250) == Money{875});    // 12.50 % off 10.00 yuan
  CHECK(apply_discount(Money{1}, 5000) == Money{1});         // 0.5 fen -> 1 fen
  CHECK(apply_discount(Money{3}, 5000) == Money{2});         // 1.5 fen -> 2 fen
  CHECK(apply_discount(Money{999}, 0) == Money{999});
  CHECK(apply_discount(Money{999}, 10000) == Money{0});
  // 3 × ¥8,800.00 at 12.5 % off = ¥23,100.00 exactly
  CHECK(line_net(Money{880000}, 3, 1250) == Money{2310000});
  // 7 × 0.33 yuan at 10 % off: 231 fen × 0.9 = 207.9 -> 208
  CHECK(line_net(Money{33}, 7, 1000) == Money{208});
}

TEST_CASE("money is displayed with two decimals, grouping and a yen sign") {
  CHECK(format_plain(Money{1234567}) == "12345.67");
  CHECK(format_plain(Money{5}) == "0.05");
  CHECK(format_plain(Money{-150}) == "-1.50");
  CHECK(format_yuan(Money{123456789}) == "¥1,234,567.89");
  CHECK(format_yuan(Money{100}) == "¥1.00");
  CHECK(format_yuan(Money{-100000}) == "-¥1,000.00");
}

TEST_CASE("amounts are parsed the ways people type them and refused otherwise") {
  CHECK(parse_yuan("12345.67") == Money{1234567});
  CHECK(parse_yuan("12,345.6") == Money{1234560});
  CHECK(parse_yuan("¥100") == Money{10000});
  CHECK(parse_yuan("￥100") == Money{10000});
  CHECK(parse_yuan("100元") == Money{10000});
  CHECK(parse_yuan("-3.05") == Money{-305});
  CHECK_FALSE(parse_yuan("1.234").has_value());  // fractions of a fen are not money
  CHECK_FALSE(parse_yuan("abc").has_value());
  CHECK_FALSE(parse_yuan("").has_value());
  CHECK_FALSE(parse_yuan("1.2.3").has_value());
  CHECK(parse_yuan(format_plain(Money{98765432})) == Money{98765432});
}

TEST_CASE("an achievement rate is a ratio in basis points rounded half up") {
  CHECK(ratio_bp(Money{78}, Money{100}) == 7800);
  CHECK(ratio_bp(Money{1}, Money{3}) == 3333);
  CHECK(ratio_bp(Money{2}, Money{3}) == 6667);
  CHECK(ratio_bp(Money{150}, Money{100}) == 15000);
  CHECK(ratio_bp(Money{5}, Money{0}) == 0);
}

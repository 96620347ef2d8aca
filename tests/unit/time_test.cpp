// time.h: UTC instants, Beijing business days (UTC+8, no DST), ISO formats, month arithmetic.
#include <doctest/doctest.h>

#include "core/time.h"

using namespace cl;

TEST_CASE("the Beijing day changes at 16:00 UTC") {
  Instant before = *parse_iso_instant("2026-11-27T15:59:59.999Z");
  Instant at = *parse_iso_instant("2026-11-27T16:00:00Z");
  CHECK(beijing_date(before) == Date{2026, 11, 27});
  CHECK(beijing_date(at) == Date{2026, 11, 28});
  CHECK(beijing_midnight(Date{2026, 11, 28}) == at);
}

TEST_CASE("a Beijing month boundary is at 16:00 UTC on the last day of the previous month") {
  CHECK(month_key(*parse_iso_instant("2026-11-30T15:59:59Z")) == "2026-11");
  CHECK(month_key(*parse_iso_instant("2026-11-30T16:00:00Z")) == "2026-12");
  CHECK(month_key(Date{2026, 1, 5}) == "2026-01");
}

TEST_CASE("civil dates and day numbers convert both ways") {
  CHECK(days_from_civil(Date{1970, 1, 1}) == 0);
  CHECK(days_from_civil(Date{2000, 3, 1}) == 11017);
  CHECK(civil_from_days(-1) == Date{1969, 12, 31});
  for (std::int64_t d = -800; d < 80000; d += 37) CHECK(days_from_civil(civil_from_days(d)) == d);
}

TEST_CASE("adding months clamps to the end of a shorter month") {
  CHECK(add_months(Date{2026, 1, 31}, 1) == Date{2026, 2, 28});
  CHECK(add_months(Date{2028, 1, 31}, 1) == Date{2028, 2, 29});  // leap year
  CHECK(add_months(Date{2024, 10, 15}, 14) == Date{2025, 12, 15});
  CHECK(add_months(Date{2026, 3, 31}, -1) == Date{2026, 2, 28});
  CHECK(add_months(Date{2026, 12, 1}, 1) == Date{2027, 1, 1});
}

TEST_CASE("days are added and counted across months and leap days") {
  CHECK(add_days(Date{2024, 2, 28}, 1) == Date{2024, 2, 29});
  CHECK(add_days(Date{2026, 12, 31}, 1) == Date{2027, 1, 1});
  CHECK(days_between(Date{2026, 1, 1}, Date{2027, 1, 1}) == 365);
  CHECK(days_between(Date{2028, 1, 1}, Date{2029, 1, 1}) == 366);
  CHECK(days_between(Date{2026, 3, 1}, Date{2026, 2, 1}) == -28);
}

TEST_CASE("ISO dates are validated") {
  CHECK(parse_iso_date("2026-02-28") == Date{2026, 2, 28});
  CHECK_FALSE(parse_iso_date("2026-02-29").has_value());
  CHECK_FALSE(parse_iso_date("2026-13-01").has_value());
  CHECK_FALSE(parse_iso_date("2026-1-01").has_value());
  CHECK_FALSE(parse_iso_date("26-01-01").has_value());
  CHECK(to_iso_date(Date{2026, 3, 5}) == "2026-03-05");
  CHECK(days_in_month(2100, 2) == 28);  // divisible by 100, not 400
  CHECK(days_in_month(2000, 2) == 29);
}

TEST_CASE("ISO instants round-trip and honour offsets") {
  Instant t = *parse_iso_instant("2026-11-27T05:06:07.089Z");
  CHECK(to_iso_instant(t) == "2026-11-27T05:06:07.089Z");
  CHECK(parse_iso_instant("2026-11-27T13:06:07.089+08:00") == t);
  CHECK(parse_iso_instant("2026-11-27T00:06:07.089-05:00") == t);
  CHECK(parse_iso_instant("2026-11-27T05:06:07Z") == t - 89);
  CHECK_FALSE(parse_iso_instant("2026-11-27T25:00:00Z").has_value());
  CHECK_FALSE(parse_iso_instant("2026-11-27T05:06:07").has_value());  // no zone: ambiguous
  CHECK(to_iso_instant(-1) == "1969-12-31T23:59:59.999Z");
}

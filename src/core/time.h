// Time in core: Instants are UTC milliseconds; business meaning ("today", "this month", "within
// 24 h" for reports) is Beijing time, UTC+8 all year (China has no daylight saving time).
// Core never reads a clock: every function takes the instant it needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"

namespace cl {

constexpr Instant kBeijingOffset = 8 * kHour;

// Days since 1970-01-01 <-> civil date (proleptic Gregorian).
std::int64_t days_from_civil(Date d);
Date civil_from_days(std::int64_t days);

Date beijing_date(Instant t);                 // the Beijing calendar day containing t
Instant beijing_midnight(Date d);             // 00:00 Beijing of d, as a UTC instant
std::string month_key(Date d);                // "2026-11"
std::string month_key(Instant t);             // Beijing month of t
std::string to_iso_date(Date d);              // "2026-11-27"
std::optional<Date> parse_iso_date(std::string_view s);  // "YYYY-MM-DD", validated
std::string to_iso_instant(Instant t);        // "2026-11-27T05:06:07.000Z"
std::optional<Instant> parse_iso_instant(std::string_view s);  // Z or ±hh:mm offsets

int days_in_month(int year, int month);
// Adds months; a day past the end of the target month clamps to its last day (Jan 31 + 1 = Feb 28/29).
Date add_months(Date d, int months);
Date add_days(Date d, int days);
std::int64_t days_between(Date from, Date to);  // to - from, in days
bool valid_date(Date d);

}  // namespace cl

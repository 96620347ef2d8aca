#include "core/time.h"

#include <cstdio>

namespace cl {

// Howard Hinnant's days_from_civil / civil_from_days (public-domain algorithms, re-derived here).
std::int64_t days_from_civil(Date d) {
  std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (d.month + 9) % 12;
  std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date civil_from_days(std::int64_t z) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

static std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

Date beijing_date(Instant t) { return civil_from_days(floor_div(t + kBeijingOffset, kDay)); }
Instant beijing_midnight(Date d) { return days_from_civil(d) * kDay - kBeijingOffset; }

std::string month_key(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
  return buf;
}
std::string month_key(Instant t) { return month_key(beijing_date(t)); }

std::string to_iso_date(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

static bool read_int(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool valid_date(Date d) {
  return d.year >= 1900 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= days_in_month(d.year, d.month);
}

std::optional<Date> parse_iso_date(std::string_view s) {
  Date d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!read_int(s, 0, 4, d.year) || !read_int(s, 5, 2, d.month) || !read_int(s, 8, 2, d.day)) return std::nullopt;
  if (!valid_date(d)) return std::nullopt;
  return d;
}

std::string to_iso_instant(Instant t) {
  Date d = civil_from_days(floor_div(t, kDay));
  std::int64_t ms = t - floor_div(t, kDay) * kDay;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.year, d.month, d.day,
                static_cast<int>(ms / kHour), static_cast<int>(ms / kMinute % 60),
                static_cast<int>(ms / 1000 % 60), static_cast<int>(ms % 1000));
  return buf;
}

std::optional<Instant> parse_iso_instant(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)
  if (s.size() < 20) return std::nullopt;
  auto date = parse_iso_date(s.substr(0, 10));
  if (!date || (s[10] != 'T' && s[10] != ' ')) return std::nullopt;
  int hh, mm, ss;
  if (!read_int(s, 11, 2, hh) || s[13] != ':' || !read_int(s, 14, 2, mm) || s[16] != ':' || !read_int(s, 17, 2, ss))
    return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  size_t pos = 19;
  int millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (s[pos] - '0');
      ++digits, ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 3; ++i) millis *= 10;
  }
  Instant offset = 0;
  if (pos < s.size() && s[pos] == 'Z' && pos + 1 == s.size()) {
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    int oh, om;
    if (!read_int(s, pos + 1, 2, oh) || !read_int(s, pos + 4, 2, om)) return std::nullopt;
    offset = (oh * kHour + om * kMinute) * (s[pos] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  return days_from_civil(*date) * kDay + hh * kHour + mm * kMinute + ss * 1000 + millis - offset;
}

Date add_months(Date d, int months) {
  int total = d.year * 12 + (d.month - 1) + months;
  Date r{total / 12, total % 12 + 1, d.day};
  int last = days_in_month(r.year, r.month);
  if (r.day > last) r.day = last;
  return r;
}

Date add_days(Date d, int days) { return civil_from_days(days_from_civil(d) + days); }
std::int64_t days_between(Date from, Date to) { return days_from_civil(to) - days_from_civil(from); }

}  // namespace cl

#include "usage/timestamp.h"

#include <cstdio>

namespace lq::usage {
namespace {

constexpr int64_t kMsPerMinute = 60'000;
constexpr int64_t kMsPerDay = 86'400'000;

bool Digits(std::string_view s, size_t pos, size_t n, unsigned* out) {
  unsigned v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

unsigned DaysInMonth(int64_t year, unsigned month) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

}  // namespace

bool IsValidDate(int64_t year, unsigned month, unsigned day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month);
}

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = m > 2 ? m - 3 : m + 9;
  const int64_t doy = (153 * mp + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* year, unsigned* month, unsigned* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const unsigned d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const unsigned m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (m <= 2);
  *month = m;
  *day = d;
}

std::optional<int64_t> ParseTimestampMs(std::string_view s) {
  size_t tz_start;
  unsigned millis = 0;
  switch (s.size()) {
    case 20:
    case 25:
      if (s[19] != 'Z' && s[19] != '+' && s[19] != '-') return std::nullopt;
      tz_start = 19;
      break;
    case 24:
    case 29:
      if (s[19] != '.' || !Digits(s, 20, 3, &millis)) return std::nullopt;
      tz_start = 23;
      break;
    default:
      return std::nullopt;
  }
  if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
  unsigned year, month, day, hour, minute, second;
  if (!Digits(s, 0, 4, &year) || !Digits(s, 5, 2, &month) || !Digits(s, 8, 2, &day) ||
      !Digits(s, 11, 2, &hour) || !Digits(s, 14, 2, &minute) || !Digits(s, 17, 2, &second)) {
    return std::nullopt;
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  std::string_view tz = s.substr(tz_start);
  int64_t offset_min = 0;
  if (tz != "Z") {
    unsigned oh, om;
    if (tz.size() != 6 || (tz[0] != '+' && tz[0] != '-') || tz[3] != ':' || !Digits(tz, 1, 2, &oh) ||
        !Digits(tz, 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_min = static_cast<int64_t>(oh * 60 + om);
    if (tz[0] == '-') offset_min = -offset_min;
  }
  if (!IsValidDate(year, month, day)) return std::nullopt;
  int64_t ms = DaysFromCivil(year, month, day) * kMsPerDay + hour * 3'600'000LL + minute * kMsPerMinute +
               second * 1000LL + millis;
  return ms - offset_min * kMsPerMinute;
}

std::string FormatDay(int64_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::optional<int64_t> ParseDay(std::string_view s) {
  unsigned y, m, d;
  if (s.size() == 10 && s[4] == '-' && s[7] == '-' && Digits(s, 0, 4, &y) && Digits(s, 5, 2, &m) &&
      Digits(s, 8, 2, &d)) {
  } else if (s.size() == 8 && Digits(s, 0, 4, &y) && Digits(s, 4, 2, &m) && Digits(s, 6, 2, &d)) {
  } else {
    return std::nullopt;
  }
  if (!IsValidDate(y, m, d)) return std::nullopt;
  return DaysFromCivil(y, m, d);
}

}  // namespace lq::usage

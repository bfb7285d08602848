#include "store/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace lq::store {
namespace {

constexpr int64_t kMicrosPerSec = 1000000;

// DuckDB's infinity sentinels.
constexpr int64_t kDateInfinity = std::numeric_limits<int32_t>::max();
constexpr int64_t kTimestampInfinity = std::numeric_limits<int64_t>::max();

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct Civil {
  int64_t year;
  unsigned month, day;
};

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
Civil CivilFromDays(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

// "2026-12-04"; years before 1 as DuckDB writes them: "0001-01-01 (BC)" is year 0.
std::string DateText(int64_t days, bool* bc) {
  Civil c = CivilFromDays(days);
  *bc = c.year <= 0;
  int64_t year = *bc ? 1 - c.year : c.year;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(year), c.month, c.day);
  return buf;
}

// ".5", ".000001", "" for zero: `frac` of `digits` digits with trailing zeros dropped.
std::string Fraction(int64_t frac, int digits) {
  if (frac == 0) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, ".%0*lld", digits, static_cast<long long>(frac));
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  return s;
}

// "10:00:01.5" from a time of day in units of 10^-digits seconds.
std::string TimeOfDay(int64_t ticks, int digits, int64_t ticks_per_sec) {
  int64_t secs = ticks / ticks_per_sec;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf + Fraction(ticks % ticks_per_sec, digits);
}

// A timestamp in `ticks_per_sec` units: date, time of day and fraction, or an infinity.
struct Split {
  bool infinite = false;
  std::string text;  // "infinity" / "-infinity" when infinite
  std::string date, time;
  bool bc = false;
};

Split SplitTimestamp(int64_t ticks, int64_t ticks_per_sec, int digits) {
  Split s;
  if (ticks == kTimestampInfinity || ticks == -kTimestampInfinity) {
    s.infinite = true;
    s.text = ticks > 0 ? "infinity" : "-infinity";
    return s;
  }
  int64_t ticks_per_day = 86400 * ticks_per_sec;
  int64_t day = FloorDiv(ticks, ticks_per_day);
  s.date = DateText(day, &s.bc);
  s.time = TimeOfDay(ticks - day * ticks_per_day, digits, ticks_per_sec);
  return s;
}

struct Unit {
  int64_t per_sec;
  int digits;
};

Unit TimestampUnit(ValueType t) {
  switch (t) {
    case ValueType::kTimestampS: return {1, 0};
    case ValueType::kTimestampMs: return {1000, 3};
    case ValueType::kTimestampNs: return {1000000000, 9};
    default: return {kMicrosPerSec, 6};
  }
}

std::string TimestampText(const Value& v) {
  Unit unit = TimestampUnit(v.type);
  Split s = SplitTimestamp(v.i, unit.per_sec, unit.digits);
  if (s.infinite) return s.text;
  std::string out = s.date + " " + s.time;
  if (v.type == ValueType::kTimestampTz) out += "+00";
  return s.bc ? out + " (BC)" : out;
}

std::string DateValueText(int64_t days) {
  if (days == kDateInfinity) return "infinity";
  if (days == -kDateInfinity) return "-infinity";
  bool bc = false;
  std::string d = DateText(days, &bc);
  return bc ? d + " (BC)" : d;
}

// DuckDB's interval text: "2 years 2 months 3 days 04:05:06.5", "-3 days -00:00:01", "00:00:00".
std::string IntervalText(int32_t months, int32_t days, int64_t micros) {
  std::string out;
  auto part = [&](int64_t n, const char* name) {
    if (n == 0) return;
    if (!out.empty()) out += ' ';
    out += std::to_string(n) + " " + name + (n == 1 || n == -1 ? "" : "s");
  };
  part(months / 12, "year");
  part(months % 12, "month");
  part(days, "day");
  if (micros != 0) {
    if (!out.empty()) out += ' ';
    uint64_t m = micros < 0 ? 0 - static_cast<uint64_t>(micros) : static_cast<uint64_t>(micros);
    if (micros < 0) out += '-';
    uint64_t secs = m / kMicrosPerSec;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%02llu:%02llu:%02llu", static_cast<unsigned long long>(secs / 3600),
                  static_cast<unsigned long long>(secs / 60 % 60), static_cast<unsigned long long>(secs % 60));
    out += buf + Fraction(static_cast<int64_t>(m % kMicrosPerSec), 6);
  } else if (out.empty()) {
    out = "00:00:00";
  }
  return out;
}

// DuckDB prints floating point numbers as the shortest text that reads back the same,
// fixed from 1e-4 up to 1e16, scientific ("1e+16", "1e-07") outside, and with ".0"
// on whole numbers.
template <typename T>
std::string FloatText(T x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char sci[64];
  auto [end, ec] = std::to_chars(sci, sci + sizeof sci, x, std::chars_format::scientific);
  if (ec != std::errc()) return std::to_string(x);
  std::string s(sci, end);
  size_t e = s.find('e');
  int exp = std::atoi(s.c_str() + e + 1);
  if (exp < -4 || exp >= 16) return s;
  bool neg = s[0] == '-';
  std::string digits;
  for (size_t k = neg ? 1 : 0; k < e; ++k) {
    if (s[k] != '.') digits += s[k];
  }
  std::string out;
  if (exp < 0) {
    out = "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  } else if (static_cast<size_t>(exp) + 1 >= digits.size()) {
    out = digits + std::string(static_cast<size_t>(exp) + 1 - digits.size(), '0') + ".0";
  } else {
    out = digits.substr(0, static_cast<size_t>(exp) + 1) + "." + digits.substr(static_cast<size_t>(exp) + 1);
  }
  return neg ? "-" + out : out;
}

std::string BlobText(const std::string& bytes) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    if (c >= 32 && c <= 126 && c != '\\' && c != '\'' && c != '"') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// A scalar inside a LIST/STRUCT/MAP: quoted when it would not read back (DuckDB's
// NestedToVarcharCast rule), with ' and \ escaped by a backslash inside the quotes.
std::string QuoteNested(const std::string& s, bool always) {
  bool quote = always || s.empty() || IsSpace(s.front()) || (s.size() >= 2 && IsSpace(s.back()));
  if (!quote && s.size() == 4) {
    std::string lower;
    for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    quote = lower == "null";
  }
  if (!quote) quote = s.find_first_of("\"'(),:=[]{}") != std::string::npos;
  if (!quote) return s;
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string ChildText(const Value& v) {
  if (v.is_null()) return "NULL";
  return v.is_nested() ? ValueToText(v) : QuoteNested(ValueToText(v), false);
}

std::string NestedText(const Value& v) {
  std::string out;
  switch (v.type) {
    case ValueType::kList:
    case ValueType::kArray:
      out = "[";
      for (size_t k = 0; k < v.children.size(); ++k) out += (k ? ", " : "") + ChildText(v.children[k]);
      return out + "]";
    case ValueType::kMap:
      out = "{";
      for (size_t k = 0; k + 1 < v.children.size(); k += 2) {
        out += (k ? ", " : "") + ChildText(v.children[k]) + "=" + ChildText(v.children[k + 1]);
      }
      return out + "}";
    case ValueType::kStruct: {
      bool unnamed = !v.names.empty();
      for (const auto& n : v.names) unnamed &= n.empty();
      out = unnamed ? "(" : "{";
      for (size_t k = 0; k < v.children.size(); ++k) {
        if (k) out += ", ";
        if (!unnamed) out += QuoteNested(k < v.names.size() ? v.names[k] : "", true) + ": ";
        out += ChildText(v.children[k]);
      }
      return out + (unnamed ? ")" : "}");
    }
    case ValueType::kUnion: return v.children.empty() || v.children[0].is_null() ? "" : ValueToText(v.children[0]);
    default: return "";
  }
}

}  // namespace

std::string ValueToText(const Value& v) {
  switch (v.type) {
    case ValueType::kNull: return "";
    case ValueType::kBoolean: return v.b ? "true" : "false";
    case ValueType::kTinyint:
    case ValueType::kSmallint:
    case ValueType::kInteger:
    case ValueType::kBigint: return std::to_string(v.i);
    case ValueType::kUtinyint:
    case ValueType::kUsmallint:
    case ValueType::kUinteger:
    case ValueType::kUbigint: return std::to_string(v.u);
    case ValueType::kFloat: return FloatText(static_cast<float>(v.d));
    case ValueType::kDouble: return FloatText(v.d);
    case ValueType::kBlob: return BlobText(v.text);
    case ValueType::kDate: return DateValueText(v.i);
    case ValueType::kTime: return TimeOfDay(v.i, 6, kMicrosPerSec);
    case ValueType::kTimeNs: return TimeOfDay(v.i, 9, 1000000000);
    case ValueType::kTimestamp:
    case ValueType::kTimestampTz:
    case ValueType::kTimestampS:
    case ValueType::kTimestampMs:
    case ValueType::kTimestampNs: return TimestampText(v);
    case ValueType::kInterval: return IntervalText(v.months, v.days, v.i);
    case ValueType::kList:
    case ValueType::kArray:
    case ValueType::kStruct:
    case ValueType::kMap:
    case ValueType::kUnion: return NestedText(v);
    default: return v.text;  // HUGEINT, DECIMAL, VARCHAR, BIT, UUID, ENUM, TIME WITH TIME ZONE, ...
  }
}

std::string ValueToRfc3339(const Value& v) {
  if (v.type == ValueType::kDate) return DateValueText(v.i);
  if (!v.is_timestamp()) return ValueToText(v);
  Unit unit = TimestampUnit(v.type);
  Split s = SplitTimestamp(v.i, unit.per_sec, unit.digits);
  if (s.infinite) return s.text;
  // RFC 3339 has no BC dates; ISO 8601's astronomical year (0000 = 1 BC, -0001 = 2 BC) is the
  // nearest a parser reads.
  if (s.bc) {
    Civil c = CivilFromDays(FloorDiv(v.i, 86400 * unit.per_sec));
    char year[24];
    std::snprintf(year, sizeof year, c.year < 0 ? "%05lld" : "%04lld", static_cast<long long>(c.year));
    s.date = year + s.date.substr(s.date.find('-'));
  }
  return s.date + "T" + s.time + "Z";
}

}  // namespace lq::store

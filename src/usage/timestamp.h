// Timestamps and civil dates, exactly as ccusage 20.0.24 reads them.
//
// ParseTimestampMs accepts only `YYYY-MM-DDTHH:MM:SS[.mmm](Z|±HH:MM)`: three fractional
// digits or none (microseconds drop the line), hour <= 23, minute/second <= 59, offset
// hours <= 23 and minutes <= 59, a real calendar date (leap years included). Anything
// else is not a timestamp and the line it came from does not count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lq::usage {

// Milliseconds since the Unix epoch (UTC), or nullopt.
std::optional<int64_t> ParseTimestampMs(std::string_view text);

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);
bool IsValidDate(int64_t year, unsigned month, unsigned day);

// "YYYY-MM-DD" for a day number (years < 0 or > 9999 are printed as is).
std::string FormatDay(int64_t days);
// Parses "YYYY-MM-DD" or "YYYYMMDD" into a day number.
std::optional<int64_t> ParseDay(std::string_view text);

}  // namespace lq::usage

#include "core/numbers.h"

#include <charconv>
#include <string>

namespace lq {

std::optional<int64_t> ParseNonNegativeInt(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;  // no sign
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Result<int64_t> ParseDuration(std::string_view text) {
  const std::string forms = "use a whole number and a unit: 90s, 15m, 12h, 30d, 2w";
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  std::string_view unit = text.substr(digits);
  int64_t unit_seconds = unit == "s"   ? 1
                         : unit == "m" ? 60
                         : unit == "h" ? 3600
                         : unit == "d" ? 86400
                         : unit == "w" ? 7 * 86400
                                       : 0;
  if (digits == 0 || unit_seconds == 0)
    return Status::InvalidArgument("'" + std::string(text) + "': " + forms);
  const std::string too_long = "'" + std::string(text) + "' is longer than 100 years (36500d)";
  std::optional<int64_t> n = ParseNonNegativeInt(text.substr(0, digits));
  if (!n) return Status::InvalidArgument(too_long);  // beyond int64: certainly too long
  if (*n == 0) return Status::InvalidArgument("'" + std::string(text) + "' is zero; " + forms);
  if (*n > kMaxDurationSeconds / unit_seconds) return Status::InvalidArgument(too_long);
  return *n * unit_seconds;
}

}  // namespace lq

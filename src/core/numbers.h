// Parsing of the numbers people type (flags, environment variables): ages such as "30d" and whole
// numbers such as run ids. Overflow-safe: a number too large for int64 (or a product
// too large after the unit) is an error, never a wrapped-around value.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/status.h"

namespace lq {

// The longest age any flag takes: 100 years. Longer ones are typing mistakes, and
// anything near int64's range would wrap around once subtracted from "now".
constexpr int64_t kMaxDurationSeconds = int64_t{36500} * 86400;

// "90s", "15m", "12h", "30d", "2w" -> seconds. A positive whole number and one unit
// (s, m, h, d, w); at most kMaxDurationSeconds. InvalidArgument otherwise, with a message
// that shows the accepted forms (the caller adds the flag's name).
Result<int64_t> ParseDuration(std::string_view text);

// "12", "012" -> 12: ASCII digits only (no sign, no spaces), within int64.
std::optional<int64_t> ParseNonNegativeInt(std::string_view text);

}  // namespace lq

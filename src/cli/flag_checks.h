// Validators for command-line values, with messages people can read. CLI11's own range
// validators print their bounds as doubles ("Value 0 not in range 0.000000 to
// 17976931348623157081452...", 309 digits), so every whole-number option uses these.
#pragma once

#include <CLI/CLI.hpp>
#include <climits>
#include <cstdint>

namespace lq::cli {

// A whole number in [min, max]. Messages: "'x' is not a whole number", "must be at least
// 1, not 0" (below min when max is INT_MAX, the int options it guards), "must be from 1 to
// 256, not 300".
CLI::Validator WholeNumber(int64_t min, int64_t max = INT_MAX);

}  // namespace lq::cli

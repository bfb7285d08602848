#include "cli/flag_checks.h"

#include <string>

#include "core/numbers.h"

namespace lq::cli {

CLI::Validator WholeNumber(int64_t min, int64_t max) {
  std::string range = max == INT_MAX ? ">= " + std::to_string(min)
                                     : std::to_string(min) + ".." + std::to_string(max);
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        bool negative = !text.empty() && text[0] == '-';
        std::optional<int64_t> n =
            ParseNonNegativeInt(negative ? std::string_view(text).substr(1) : text);
        if (!n) return "'" + text + "' is not a whole number";
        int64_t value = negative ? -*n : *n;
        if (value >= min && value <= max) return "";
        if (value < min && max == INT_MAX)
          return "must be at least " + std::to_string(min) + ", not " + text;
        return "must be from " + std::to_string(min) + " to " + std::to_string(max) + ", not " +
               text;
      },
      "INT " + range);
}

}  // namespace lq::cli

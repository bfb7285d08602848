// A diagnostic found in a build/test log: one row of the events table.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lq::logs {

enum class Severity { kError, kWarning, kNote, kInfo };

std::string_view SeverityName(Severity s);  // "error", "warning", "note", "info"

struct Event {
  Severity severity = Severity::kError;
  std::string file_path;     // as printed by the tool ("" when none)
  int64_t line_number = 0;   // 1-based; 0 = none
  int64_t column_number = 0; // 1-based; 0 = none
  std::string message;       // the diagnostic text, one line, without location/severity prefix
  std::string raw_text;      // the log lines the event was parsed from, joined by '\n'
  std::string tool_name;     // "gcc", "clang", "ld", "pytest", ... (the parser family)
  std::string category;      // "compile", "link", "test", "lint", "build", "runtime", "type-check"
  std::string error_code;    // tool-specific code: "-Wunused-variable", "E0308", "TS2322", "F401"
  int64_t log_line_start = 0;  // 1-based line numbers in the raw log, inclusive
  int64_t log_line_end = 0;
  std::string fingerprint;   // ErrorFingerprint(*this); filled by the parser driver
};

}  // namespace lq::logs

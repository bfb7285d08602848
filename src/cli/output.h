// How lq talks to people and scripts: data on stdout (a readable table, or JSON with
// --json), diagnostics on stderr as one line "lq: error: what failed; what to do".
// Colour only on a TTY and never when NO_COLOR is set (https://no-color.org).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace lq::cli {

// Exit codes, stable for scripts.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,  // the command ran and failed
  kExitUsage = 2,   // bad arguments or input: nothing was done
};

int ExitCodeFor(const Status& status);

// Timestamps in every JSON lq prints are RFC 3339 UTC: "2026-12-04T16:37:04Z", with a
// fraction of a second only when there is one, trailing zeros dropped ("…:04.12Z").
std::string FormatRfc3339Utc(int64_t micros_since_epoch);
// The same for DuckDB's text of a UTC TIMESTAMP ("2026-12-04 16:37:04.12"). Text already
// in RFC 3339, or not a timestamp (infinity), is returned as is.
std::string Rfc3339FromSqlTimestamp(std::string_view text);

class Output {
 public:
  Output(std::FILE* out, std::FILE* err);
  // For tests: force the terminal/colour decision.
  Output(std::FILE* out, std::FILE* err, bool stdout_is_tty, bool color);

  bool stdout_is_tty() const { return stdout_is_tty_; }
  // Columns of the terminal on stdout ($COLUMNS, else 80, when the size is unknown);
  // 0 when stdout is not a terminal: pipes and files get text uncut.
  size_t terminal_width() const;
  bool color() const { return color_; }

  void Print(std::string_view text);          // stdout, as is
  void Line(std::string_view text);           // stdout + newline
  void Json(const nlohmann::json& value);     // stdout, pretty, + newline
  void Error(const Status& status);           // stderr "lq: error: ..."
  void Error(std::string_view message);
  void Warn(std::string_view message);        // stderr "lq: warning: ..."
  void Info(std::string_view message);        // stderr, for progress and advice

  // Styling that disappears without colour.
  std::string Bold(std::string_view s) const { return Style("1", s); }
  std::string Dim(std::string_view s) const { return Style("2", s); }
  std::string Red(std::string_view s) const { return Style("31", s); }
  std::string Green(std::string_view s) const { return Style("32", s); }
  std::string Yellow(std::string_view s) const { return Style("33", s); }

  // Two-column "key  value" lines with the keys padded to one width.
  void KeyValues(const std::vector<std::pair<std::string, std::string>>& rows);

 private:
  std::string Style(const char* code, std::string_view s) const;
  std::FILE* out_;
  std::FILE* err_;
  bool stdout_is_tty_;
  bool color_;
  bool stderr_color_;
};

}  // namespace lq::cli

// Log parsing: a driver feeds each line of a log to a set of tool parsers, one file per
// tool family (gcc_parser.cc, pytest_parser.cc, ...). Built like ninja's lexer: lines are
// string_views into the caller's buffer, parsers reject a line with a few byte checks
// before doing any work, no regex engine, no allocation unless an event is produced.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "logs/event.h"

namespace lq::logs {

// One log line as parsers see it: ANSI escape sequences removed, trailing '\r' removed,
// and GitHub Actions timestamp prefixes ("2024-01-01T00:00:00.0000000Z ") stripped.
struct Line {
  std::string_view text;
  int64_t number = 0;  // 1-based line number in the raw log
};

// Receives events as parsers produce them.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void OnEvent(Event event) = 0;
};

// A parser for one tool family. Parsers keep state across lines for multi-line blocks
// (tracebacks, "In file included from", test failure bodies).
class ToolParser {
 public:
  virtual ~ToolParser() = default;
  // The tool_name of the events it produces (also its name for --format).
  virtual std::string_view name() const = 0;
  // Looks at one line. Returns true when the line belonged to this tool's output (an
  // event, or part of a block this parser is tracking); the driver then offers the next
  // line to this parser first.
  virtual bool Feed(const Line& line, EventSink& sink) = 0;
  // End of input (or another parser claimed a line): emit any pending block.
  virtual void Flush(EventSink& sink) = 0;
};

// All tool parsers, in priority order (specific formats before generic ones).
std::vector<std::unique_ptr<ToolParser>> MakeAllParsers();
// One family by name ("gcc", "pytest", ...) or alias ("clang"); nullptr if unknown.
std::unique_ptr<ToolParser> MakeParser(std::string_view name);
// The family names accepted by --format (besides "auto"), in priority order.
std::vector<std::string> ParserNames();
// Other names users type for a family: {"clang", "gcc"}, {"lld", "ld"}, ...
struct ParserAlias {
  std::string_view alias, family;
};
const std::vector<ParserAlias>& ParserAliases();

// Removes terminal escape sequences from `in` (CSI; OSC, DCS, SOS, PM and APC strings;
// two- and three-byte escapes such as ESC c and ESC ( B) into `scratch`. Returns a
// view of `in` itself when it contains no ESC byte (the common case: no copy).
std::string_view StripAnsi(std::string_view in, std::string& scratch);

// Feeds a whole log through the parsers. Handles CRLF, ANSI, invalid UTF-8 (passed
// through as bytes), a last line without '\n', and megabyte-long lines (longer lines are
// cut at kMaxLineBytes for parsing; raw text is never modified on disk).
class LogParser {
 public:
  static constexpr size_t kMaxLineBytes = 64 * 1024;
  // format: "auto" or a parser name.
  explicit LogParser(std::string_view format = "auto");
  ~LogParser();
  // Feeds a chunk of the log; chunks may split lines anywhere.
  void Feed(std::string_view chunk, EventSink& sink);
  // Ends the log.
  void Finish(EventSink& sink);
  int64_t lines() const { return line_number_; }

 private:
  void FeedLine(std::string_view raw, EventSink& sink);
  std::vector<std::unique_ptr<ToolParser>> parsers_;
  ToolParser* active_ = nullptr;
  std::string partial_;
  std::string scratch_;
  int64_t line_number_ = 0;
};

// A stable id for "the same error": hex of FNV-1a 64 over tool_name, error_code and the
// message normalized (digits runs -> "N", paths -> their last component, quoted
// identifiers kept, whitespace collapsed). Independent of file line numbers, machine,
// directory and lq version. See docs/fingerprints.md.
std::string ErrorFingerprint(const Event& e);
std::string NormalizeMessage(std::string_view message);

}  // namespace lq::logs

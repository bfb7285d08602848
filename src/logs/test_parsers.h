// Private to the test-framework/runtime parser group (test_parsers.cc and the *_parser.cc
// files it registers): factories and the small string helpers they share.
//
// Every helper works on string_views of the current line and never allocates; parsers
// copy what they need only once a line is known to be theirs.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "logs/parser.h"

// Keeps a parser's slow path out of line, so that Feed's rejection of a line that is
// not its own stays a few instructions (no register spills, no stack frame).
#define LQ_NOINLINE __attribute__((noinline))

namespace lq::logs {

// Factories, one per family (registered in priority order by AddTestParsers).
std::unique_ptr<ToolParser> MakeAsanParser();      // asan: AddressSanitizer reports
std::unique_ptr<ToolParser> MakeLsanParser();      // lsan: LeakSanitizer leak reports
std::unique_ptr<ToolParser> MakeTsanParser();      // tsan: ThreadSanitizer warnings
std::unique_ptr<ToolParser> MakeUbsanParser();     // ubsan: "x.c:5:12: runtime error: ..."
std::unique_ptr<ToolParser> MakeValgrindParser();  // valgrind: memcheck error blocks
std::unique_ptr<ToolParser> MakePytestParser();
std::unique_ptr<ToolParser> MakeUnittestParser();
std::unique_ptr<ToolParser> MakePythonParser();  // python: tracebacks
std::unique_ptr<ToolParser> MakeGtestParser();
std::unique_ptr<ToolParser> MakeCtestParser();
std::unique_ptr<ToolParser> MakeCatch2Parser();
std::unique_ptr<ToolParser> MakeNodeParser();

namespace tp {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsIdentChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '_'; }
inline bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

inline bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && std::memcmp(s.data(), p.data(), p.size()) == 0;
}
inline bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() &&
         std::memcmp(s.data() + s.size() - p.size(), p.data(), p.size()) == 0;
}
inline bool Contains(std::string_view s, std::string_view p) {
  return s.find(p) != std::string_view::npos;
}

inline size_t LeadingSpaces(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return i;
}
inline std::string_view TrimLeft(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}
inline std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
inline std::string_view Trim(std::string_view s) { return TrimRight(TrimLeft(s)); }
inline bool IsBlank(std::string_view s) { return TrimRight(s).empty(); }

// True when s is at least min_len copies of c (a separator line: "=====", "-----").
inline bool IsRuleOf(std::string_view s, char c, size_t min_len) {
  if (s.size() < min_len || s[0] != c || s.back() != c) return false;
  for (char x : s) {
    if (x != c) return false;
  }
  return true;
}

// Parses decimal digits at s[*pos], advancing *pos. False (and *pos unchanged) if none.
inline bool ParseDigits(std::string_view s, size_t* pos, int64_t* value) {
  size_t i = *pos;
  int64_t v = 0;
  while (i < s.size() && IsDigit(s[i])) {
    if (v < (int64_t{1} << 40)) v = v * 10 + (s[i] - '0');
    ++i;
  }
  if (i == *pos) return false;
  *pos = i;
  *value = v;
  return true;
}

// "path:LINE[:COL]" at the start of s, then end of string or ':' (then `rest`, one space
// skipped). The path is non-empty, has no space, and may start with a drive letter
// ("C:\x.c:3"). `terminated` tells whether a ':' followed the numbers.
struct Location {
  std::string_view file;
  int64_t line = 0;
  int64_t column = 0;
  std::string_view rest;
  bool terminated = false;
};
bool ParseLocationPrefix(std::string_view s, Location* loc);

// `  File "path", line N[, in func]` (any indentation).
bool ParsePythonFrame(std::string_view s, std::string_view* file, int64_t* line);
// The exception type of a Python exception line: the dotted identifier before ':' (or the
// whole line when it is one), e.g. "ValueError", "requests.exceptions.HTTPError". "" if
// the line does not start that way.
std::string_view PythonExceptionType(std::string_view line);

// One sanitizer stack frame: "    #0 0x5555 in func /p/x.c:5:3" (ASan/LSan/UBSan) or
// "    #0 func /p/x.c:5:3 (bin+0x1234)" (TSan). file is "" for frames without source
// location ("in _start (/p/bin+0x10f0)").
struct StackFrame {
  int64_t index = 0;
  std::string_view function;
  std::string_view file;
  int64_t line = 0;
  int64_t column = 0;
};
bool ParseSanitizerFrame(std::string_view s, StackFrame* f);
// Frames inside the sanitizer runtime, libc or system headers: not "user code".
bool IsSystemFrame(std::string_view function, std::string_view file);

// Raw text of an event: lines joined by '\n', capped at kMaxRawBytes (a runaway block
// keeps its first 64 KB).
constexpr size_t kMaxRawBytes = 64 * 1024;
void AppendRaw(std::string* raw, std::string_view line);

// Appends a trimmed, one-line piece of text to a message (joined with one space), keeping
// the message under `cap` bytes.
void AppendMessagePart(std::string* message, std::string_view part, size_t cap = 240);

// What a multi-line block parser (tracebacks, test failures) has gathered for the event
// it is assembling.
struct PendingBlock {
  std::string file;
  int64_t line_number = 0;
  std::string message;
  std::string error_code;
  std::string raw;
  size_t raw_end = 0;          // raw up to here belongs to the event (trailing lines dropped)
  int64_t start = 0, end = 0;  // its first and last log line
  // Moves file, line, message, code, raw (cut at raw_end) and the line range into `e`;
  // the strings and raw_end are left empty, the numbers as they were.
  void TakeInto(Event* e);
};

// An event with tool/category/severity filled in.
Event MakeEvent(std::string_view tool, std::string_view category,
                Severity severity = Severity::kError);

}  // namespace tp
}  // namespace lq::logs

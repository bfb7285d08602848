// Private to the build-tool parser group (build_parsers.cc and the gcc, linker, make,
// ninja and cmake parser files): factories and the small string helpers they share.
// Everything here works on string_views into the driver's line buffer and allocates
// nothing; parsers call it only after their first-byte checks.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "logs/parser.h"

namespace lq::logs::buildtools {

inline bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && std::memcmp(s.data(), p.data(), p.size()) == 0;
}
inline bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() &&
         std::memcmp(s.data() + s.size() - p.size(), p.data(), p.size()) == 0;
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// Index of the first ':' that is followed by ' ' (npos if none), looking at most at
// `limit` bytes. memchr-driven: one pass over the bytes up to the match.
inline size_t FindColonSpace(std::string_view s, size_t limit = std::string_view::npos) {
  size_t n = s.size() < limit ? s.size() : limit;
  const char* p = s.data();
  const char* end = p + n;
  while (p < end) {
    const char* c = static_cast<const char*>(std::memchr(p, ':', static_cast<size_t>(end - p)));
    if (c == nullptr || c + 1 >= s.data() + s.size()) return std::string_view::npos;
    if (c[1] == ' ') return static_cast<size_t>(c - s.data());
    p = c + 1;
  }
  return std::string_view::npos;
}

// "dir/sub/name" -> "name" (also for '\\'). A plain loop: find_last_of calls memchr per byte.
inline std::string_view Basename(std::string_view path) {
  size_t i = path.size();
  while (i > 0 && path[i - 1] != '/' && path[i - 1] != '\\') --i;
  return path.substr(i);
}

inline std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}
inline std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  return s;
}
inline std::string_view Trim(std::string_view s) { return TrimLeft(TrimRight(s)); }

// A non-empty run of digits -> its value (saturating at 10^15); false otherwise.
inline bool ParseNumber(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 15) return false;
  int64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// Splits "path:12:5", "path:12" or "path" into its parts (line/column 0 when absent).
// A Windows drive prefix ("C:\\x.c:3:4") stays in the path.
inline void SplitLocation(std::string_view loc, std::string_view* path, int64_t* line,
                          int64_t* col) {
  *line = 0;
  *col = 0;
  size_t c1 = loc.rfind(':');
  int64_t n1 = 0;
  if (c1 != std::string_view::npos && c1 > 0 && ParseNumber(loc.substr(c1 + 1), &n1)) {
    std::string_view rest = loc.substr(0, c1);
    size_t c2 = rest.rfind(':');
    int64_t n2 = 0;
    if (c2 != std::string_view::npos && c2 > 0 && ParseNumber(rest.substr(c2 + 1), &n2)) {
      *path = rest.substr(0, c2);
      *line = n2;
      *col = n1;
    } else {
      *path = rest;
      *line = n1;
    }
    return;
  }
  *path = loc;
}

// Appends one more log line to an event's raw text and extends its line range (an event
// with log_line_start == 0 has no line yet and gets this one as its first).
inline void AppendLine(Event& e, const Line& line) {
  if (e.log_line_start != 0) e.raw_text.push_back('\n');
  e.raw_text.append(line.text);
  if (e.log_line_start == 0) e.log_line_start = line.number;
  e.log_line_end = line.number;
}

// Which compiler a driver or command name denotes.
enum class CompilerKind {
  kNone,     // not a C/C++ compiler
  kGeneric,  // "cc", "c++": could be either
  kGcc,      // gcc, g++, cc1, cc1plus, x86_64-linux-gnu-gcc-12, ...
  kClang,    // clang, clang++, clang-14, aarch64-linux-gnu-clang++, ...
};
// `name` is a program path or name ("/usr/bin/clang++-14", "cc1plus", "gcc.exe").
CompilerKind ClassifyCompiler(std::string_view name);
// A compiler command line as echoed by make, ninja (-v, or after "FAILED:"), CMake
// VERBOSE=1, "set -x" or a "$ " prompt: the compiler it runs (kNone if it is not one).
// Skips "[3/10] ", "$ ", "+ ", "cd dir && " prefixes and ccache/sccache/distcc wrappers.
CompilerKind CompilerOfCommand(std::string_view line);

// State shared by the parsers of one MakeAllParsers() list.
struct BuildContext {
  // The compiler of the most recent compile command seen (ninja's FAILED command, or an
  // echoed command line): tells clang from gcc when the diagnostics themselves do not.
  CompilerKind last_compiler = CompilerKind::kNone;

  // Where the current line's first ':' and first ": " are (npos if not within the first
  // kScanLimit bytes). Every line that no parser is tracking is offered to all five
  // parsers of the group; this scans it once for all of them.
  static constexpr size_t kScanLimit = 4096;
  struct Scan {
    size_t first_colon = std::string_view::npos;
    size_t colon_space = std::string_view::npos;
  };
  const Scan& ScanLine(const Line& line) {
    if (line.number == scan_number_ && line.text.data() == scan_data_ &&
        line.text.size() == scan_size_) {
      return scan_;
    }
    scan_number_ = line.number;
    scan_data_ = line.text.data();
    scan_size_ = line.text.size();
    scan_ = Scan();
    std::string_view s = line.text;
    size_t n = s.size() < kScanLimit ? s.size() : kScanLimit;
    const char* c = static_cast<const char*>(std::memchr(s.data(), ':', n));
    if (c != nullptr) {
      scan_.first_colon = static_cast<size_t>(c - s.data());
      size_t rest = scan_.first_colon;
      size_t cs = FindColonSpace(s.substr(rest), n - rest);
      if (cs != std::string_view::npos) scan_.colon_space = rest + cs;
    }
    return scan_;
  }

 private:
  int64_t scan_number_ = -1;
  const char* scan_data_ = nullptr;
  size_t scan_size_ = 0;
  Scan scan_;
};

// Each factory accepts a null context (the parser then makes its own).
std::unique_ptr<ToolParser> MakeGccParser(std::shared_ptr<BuildContext> context);
std::unique_ptr<ToolParser> MakeLinkerParser(std::shared_ptr<BuildContext> context);
std::unique_ptr<ToolParser> MakeMakeParser(std::shared_ptr<BuildContext> context);
std::unique_ptr<ToolParser> MakeNinjaParser(std::shared_ptr<BuildContext> context);
std::unique_ptr<ToolParser> MakeCmakeParser();

}  // namespace lq::logs::buildtools

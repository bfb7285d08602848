// Private helpers shared by the language-tool parsers (rust_parser.cc, go_parser.cc, ...).
// Everything here is header-only and allocation-free unless it builds an Event: parsers
// call these on every log line nobody claimed before them, so a line that cannot match
// must be rejected with a few byte compares or one memchr.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "logs/parser.h"

namespace lq::logs {

namespace lang {

using sv = std::string_view;

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsAlpha(char c) { return IsUpper(c) || IsLower(c); }
inline bool IsSpace(char c) { return c == ' ' || c == '\t'; }

inline bool StartsWith(sv s, sv p) {
  return s.size() >= p.size() && std::memcmp(s.data(), p.data(), p.size()) == 0;
}
inline bool EndsWith(sv s, sv p) {
  return s.size() >= p.size() &&
         std::memcmp(s.data() + s.size() - p.size(), p.data(), p.size()) == 0;
}
inline bool EndsWithAny(sv s, std::initializer_list<sv> ps) {
  for (sv p : ps) {
    if (EndsWith(s, p)) return true;
  }
  return false;
}

inline sv TrimLeft(sv s) {
  size_t i = 0;
  while (i < s.size() && IsSpace(s[i])) ++i;
  return s.substr(i);
}
inline sv TrimRight(sv s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}
inline sv Trim(sv s) { return TrimRight(TrimLeft(s)); }
inline bool IsBlank(sv s) { return TrimLeft(s).empty(); }
inline size_t Indent(sv s) {
  size_t i = 0;
  while (i < s.size() && IsSpace(s[i])) ++i;
  return i;
}

// Reads a run of decimal digits at s[*i] (at most 18, so no overflow). False if none.
inline bool ReadUint(sv s, size_t* i, int64_t* out) {
  size_t j = *i;
  int64_t v = 0;
  while (j < s.size() && IsDigit(s[j]) && j - *i < 18) v = v * 10 + (s[j++] - '0');
  if (j == *i) return false;
  *i = j;
  *out = v;
  return true;
}

// Parses a whole string as a decimal number.
inline bool ParseUint(sv s, int64_t* out) {
  size_t i = 0;
  return ReadUint(s, &i, out) && i == s.size();
}

// The first ':' of s that is not a Windows drive colon ("C:\", "C:/"); npos if none.
inline size_t FirstColon(sv s) {
  const void* p = s.empty() ? nullptr : std::memchr(s.data(), ':', s.size());
  if (p == nullptr) return sv::npos;
  size_t i = static_cast<size_t>(static_cast<const char*>(p) - s.data());
  if (i == 1 && s.size() > 2 && (s[2] == '\\' || s[2] == '/') && IsAlpha(s[0])) {
    p = std::memchr(s.data() + 2, ':', s.size() - 2);
    if (p == nullptr) return sv::npos;
    i = static_cast<size_t>(static_cast<const char*>(p) - s.data());
  }
  return i;
}

// "path:LINE[:COL]:" (the gcc-like shape). `rest` is the index after the last ':'.
struct ColonLoc {
  sv file;
  int64_t line = 0;
  int64_t column = 0;
  size_t rest = 0;
};

// Parses a "path:LINE:" or "path:LINE:COL:" prefix. The path is everything before the first
// non-drive colon, so callers check its extension to decide whether the line is theirs.
inline bool ParseColonLoc(sv s, ColonLoc* loc) {
  size_t c = FirstColon(s);
  if (c == sv::npos || c == 0 || c + 1 >= s.size() || !IsDigit(s[c + 1])) return false;
  size_t i = c + 1;
  int64_t line = 0;
  ReadUint(s, &i, &line);
  if (i >= s.size() || s[i] != ':') return false;
  ++i;
  int64_t col = 0;
  if (i < s.size() && IsDigit(s[i])) {
    size_t j = i;
    ReadUint(s, &j, &col);
    if (j < s.size() && s[j] == ':') {
      i = j + 1;
    } else {
      col = 0;  // "a.py:3:5 text": not a column
    }
  }
  loc->file = s.substr(0, c);
  loc->line = line;
  loc->column = col;
  loc->rest = i;
  return true;
}

// Same as ParseColonLoc but for "path:LINE:COL" closed by something other than ':'
// (tsc pretty " - ", rustc " --> a.rs:3:5", kotlin "a.kt:3:5 msg"). `rest` is after COL.
inline bool ParseColonLocNoTrailer(sv s, ColonLoc* loc) {
  size_t c = FirstColon(s);
  if (c == sv::npos || c == 0 || c + 1 >= s.size() || !IsDigit(s[c + 1])) return false;
  size_t i = c + 1;
  int64_t line = 0;
  ReadUint(s, &i, &line);
  int64_t col = 0;
  if (i + 1 < s.size() && s[i] == ':' && IsDigit(s[i + 1])) {
    ++i;
    ReadUint(s, &i, &col);
  }
  loc->file = s.substr(0, c);
  loc->line = line;
  loc->column = col;
  loc->rest = i;
  return true;
}

// A code like "F401", "E0308", "SC2086", "C0114": 1-3 upper-case letters then 2-5 digits,
// starting at s[i]. Returns its length (0 if none).
inline size_t CodeLength(sv s, size_t i, size_t max_letters = 3) {
  size_t j = i;
  while (j < s.size() && IsUpper(s[j]) && j - i < max_letters) ++j;
  if (j == i) return 0;
  size_t d = j;
  while (j < s.size() && IsDigit(s[j]) && j - d < 5) ++j;
  if (j - d < 2) return 0;
  if (j < s.size() && (IsAlpha(s[j]) || IsDigit(s[j]))) return 0;
  return j - i;
}

// One line event.
inline Event MakeEvent(Severity sev, sv file, int64_t line, int64_t col, sv message, const Line& l,
                       sv tool, sv category, sv code) {
  Event e;
  e.severity = sev;
  e.file_path.assign(file);
  e.line_number = line;
  e.column_number = col;
  e.message.assign(Trim(message));
  e.raw_text.assign(l.text);
  e.tool_name.assign(tool);
  e.category.assign(category);
  e.error_code.assign(code);
  e.log_line_start = e.log_line_end = l.number;
  return e;
}

// A multi-line event being collected. Blank lines are only kept when a non-blank line of
// the block follows them, so an event never ends on a blank line.
class PendingEvent {
 public:
  bool open() const { return open_; }
  Event& event() { return ev_; }
  void Begin(Event e) {
    ev_ = std::move(e);
    open_ = true;
    blanks_ = 0;
  }
  // Starts with a line that was seen earlier (a header whose block was only recognized by
  // the next line): raw text and start line come from `text`/`number`.
  void PrependLine(sv text, int64_t number) {
    std::string raw(text);
    raw.push_back('\n');
    raw.append(ev_.raw_text);
    ev_.raw_text = std::move(raw);
    ev_.log_line_start = number;
  }
  void Add(const Line& l) {
    if (IsBlank(l.text)) {
      ++blanks_;
      return;
    }
    for (; blanks_ > 0; --blanks_) ev_.raw_text.push_back('\n');
    ev_.raw_text.push_back('\n');
    ev_.raw_text.append(l.text);
    ev_.log_line_end = l.number;
  }
  void Emit(EventSink& sink) {
    if (!open_) return;
    open_ = false;
    blanks_ = 0;
    sink.OnEvent(std::move(ev_));
    ev_ = Event();
  }
  void Drop() {
    open_ = false;
    blanks_ = 0;
    ev_ = Event();
  }

 private:
  Event ev_;
  bool open_ = false;
  int blanks_ = 0;
};

// Remembers the last line a parser saw but did not claim, when it may turn out to be the
// header of a block recognized only by the next line (rustc/ruff "-->", eslint's file line).
class Lookback {
 public:
  void Set(const Line& l) {
    text_.assign(l.text);
    number_ = l.number;
  }
  void Clear() { number_ = -1; }
  // True when the remembered line is the one just before `l`.
  bool Precedes(const Line& l) const { return number_ >= 0 && number_ + 1 == l.number; }
  sv text() const { return text_; }
  int64_t number() const { return number_; }

 private:
  std::string text_;
  int64_t number_ = -1;
};

// The shape of the line being offered, computed once for all parsers of the group: most
// of them start with "where is the first ':' and is it 'path:LINE[:COL]'", and a log line
// that no parser claims is offered to every one of them. One instance is shared by the
// parsers of one AddLanguageToolParsers() call (so by one LogParser); a line is identified
// by its number and buffer.
class LineScan {
 public:
  [[gnu::always_inline]] const LineScan& Of(const Line& l) {
    if (l.number != number_ || l.text.data() != data_ || l.text.size() != size_) [[unlikely]] {
      Compute(l);
    }
    return *this;
  }
  size_t colon = sv::npos;  // FirstColon(text)
  bool loc_ok = false;      // ParseColonLoc(text, &loc)
  ColonLoc loc;
  bool nt_ok = false;  // ParseColonLocNoTrailer(text, &loc_nt)
  ColonLoc loc_nt;

 private:
  [[gnu::noinline]] void Compute(const Line& l) {
    number_ = l.number;
    data_ = l.text.data();
    size_ = l.text.size();
    colon = FirstColon(l.text);
    loc_ok = nt_ok = false;
    if (colon == sv::npos || colon == 0 || colon + 1 >= l.text.size() ||
        !IsDigit(l.text[colon + 1]))
      return;
    nt_ok = ParseColonLocNoTrailer(l.text, &loc_nt);
    loc_ok = ParseColonLoc(l.text, &loc);
  }
  int64_t number_ = -1;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

using ScanPtr = std::shared_ptr<LineScan>;

}  // namespace lang

// Factories, one per family file. language_parsers.cc registers them in priority order.
std::unique_ptr<ToolParser> MakeActionsParser();
std::unique_ptr<ToolParser> MakeRustParser();
std::unique_ptr<ToolParser> MakeGoParser(lang::ScanPtr scan);
std::unique_ptr<ToolParser> MakeTypeScriptParser(lang::ScanPtr scan);
std::unique_ptr<ToolParser> MakeEslintParser(lang::ScanPtr scan);
std::unique_ptr<ToolParser> MakeMypyParser(lang::ScanPtr scan);
std::unique_ptr<ToolParser> MakeRuffParser(lang::ScanPtr scan);
std::unique_ptr<ToolParser> MakePylintParser(lang::ScanPtr scan);
std::unique_ptr<ToolParser> MakeFlake8Parser(lang::ScanPtr scan);
std::unique_ptr<ToolParser> MakeShellcheckParser(lang::ScanPtr scan);
std::unique_ptr<ToolParser> MakeJavacParser(lang::ScanPtr scan);
std::unique_ptr<ToolParser> MakeMavenParser();
std::unique_ptr<ToolParser> MakeGradleParser();
std::unique_ptr<ToolParser> MakeKotlinParser(lang::ScanPtr scan);
std::unique_ptr<ToolParser> MakeMsvcParser(lang::ScanPtr scan);

}  // namespace lq::logs

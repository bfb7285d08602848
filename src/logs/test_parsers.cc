#include <algorithm>
// Registers this group's parser families (see parser_groups.h), and the helpers they
// share (test_parsers.h).
#include "logs/test_parsers.h"

#include "logs/parser_groups.h"

namespace lq::logs {

void AddTestParsers(ParserList* out) {
  // Sanitizer and valgrind reports first: they show up inside any test runner's output,
  // and UBSan's "x.c:5:12: runtime error:" has the gcc shape (the gcc parser runs later).
  out->push_back(MakeAsanParser());
  out->push_back(MakeLsanParser());
  out->push_back(MakeTsanParser());
  out->push_back(MakeUbsanParser());
  out->push_back(MakeValgrindParser());
  // Test runners, then bare runtime errors (a pytest or unittest report contains Python
  // tracebacks; those runners claim them while they track their own blocks).
  out->push_back(MakePytestParser());
  out->push_back(MakeUnittestParser());
  out->push_back(MakePythonParser());
  out->push_back(MakeGtestParser());
  out->push_back(MakeCtestParser());
  out->push_back(MakeCatch2Parser());
  out->push_back(MakeNodeParser());
}

namespace tp {

bool ParseLocationPrefix(std::string_view s, Location* loc) {
  size_t start = 0;
  if (s.size() > 3 && IsAlpha(s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/')) start = 2;
  if (start >= s.size()) return false;
  const char* colon =
      static_cast<const char*>(std::memchr(s.data() + start, ':', s.size() - start));
  if (colon == nullptr) return false;
  size_t c = static_cast<size_t>(colon - s.data());
  if (c == 0 || c + 1 >= s.size() || !IsDigit(s[c + 1])) return false;
  std::string_view file = s.substr(0, c);
  size_t pos = c + 1;
  int64_t line = 0, column = 0;
  ParseDigits(s, &pos, &line);
  if (pos + 1 < s.size() && s[pos] == ':' && IsDigit(s[pos + 1])) {
    ++pos;
    ParseDigits(s, &pos, &column);
  }
  if (pos < s.size() && s[pos] != ':') return false;
  if (std::memchr(file.data(), ' ', file.size()) != nullptr) return false;
  Location out;
  out.file = file;
  out.line = line;
  out.column = column;
  if (pos == s.size()) {
    *loc = out;
    return true;
  }
  if (s[pos] != ':') return false;
  ++pos;
  if (pos < s.size() && s[pos] == ' ') ++pos;
  out.rest = s.substr(pos);
  out.terminated = true;
  *loc = out;
  return true;
}

bool ParsePythonFrame(std::string_view s, std::string_view* file, int64_t* line) {
  size_t i = LeadingSpaces(s);
  s.remove_prefix(i);
  if (!StartsWith(s, "File \"")) return false;
  s.remove_prefix(6);
  size_t q = s.find("\", line ");
  if (q == std::string_view::npos) return false;
  size_t pos = q + 8;
  int64_t n = 0;
  if (!ParseDigits(s, &pos, &n)) return false;
  if (pos != s.size() && s[pos] != ',') return false;
  *file = s.substr(0, q);
  *line = n;
  return true;
}

std::string_view PythonExceptionType(std::string_view line) {
  if (line.empty() || !(IsAlpha(line[0]) || line[0] == '_')) return {};
  size_t i = 0;
  while (i < line.size() && (IsIdentChar(line[i]) || line[i] == '.')) ++i;
  if (line[i - 1] == '.') return {};
  if (i == line.size()) return line;
  if (line[i] == ':' && (i + 1 == line.size() || line[i + 1] == ' ')) return line.substr(0, i);
  return {};
}

bool ParseSanitizerFrame(std::string_view s, StackFrame* f) {
  size_t i = LeadingSpaces(s);
  if (i == 0 || i >= s.size() || s[i] != '#') return false;
  size_t pos = i + 1;
  int64_t index = 0;
  if (!ParseDigits(s, &pos, &index) || pos >= s.size() || s[pos] != ' ') return false;
  std::string_view rest = s.substr(pos + 1);
  StackFrame out;
  out.index = index;
  if (StartsWith(rest, "0x")) {  // "0xADDR in func loc" or "0xADDR  (module+0x..)"
    size_t sp = rest.find(' ');
    if (sp == std::string_view::npos) {
      *f = out;
      return true;
    }
    rest = TrimLeft(rest.substr(sp));
    if (!StartsWith(rest, "in ")) {
      *f = out;
      return true;
    }
    rest.remove_prefix(3);
  }
  // Drop " (BuildId: ...)" and a trailing "(module+0xOFF)".
  size_t b = rest.find(" (BuildId: ");
  if (b != std::string_view::npos) rest = rest.substr(0, b);
  rest = TrimRight(rest);
  if (!rest.empty() && rest.back() == ')') {
    size_t open = rest.rfind('(');
    if (open != std::string_view::npos && rest.find("+0x", open) != std::string_view::npos) {
      rest = TrimRight(rest.substr(0, open));
    }
  }
  // The location is the last token: "file:line[:col]".
  size_t sp = rest.rfind(' ');
  std::string_view last = sp == std::string_view::npos ? rest : rest.substr(sp + 1);
  Location loc;
  if (sp != std::string_view::npos && ParseLocationPrefix(last, &loc) && !loc.terminated) {
    out.function = rest.substr(0, sp);
    out.file = loc.file;
    out.line = loc.line;
    out.column = loc.column;
  } else {
    out.function = rest;
  }
  *f = out;
  return true;
}

bool IsSystemFrame(std::string_view function, std::string_view file) {
  if (file.empty()) return true;
  static constexpr std::string_view kFunctionPrefixes[] = {
      "__interceptor_", "__asan_", "__lsan_",      "__ubsan_", "__tsan_",
      "__sanitizer_",   "__msan_", "__libc_start", "_start",   "___interceptor_"};
  for (std::string_view p : kFunctionPrefixes) {
    if (StartsWith(function, p)) return true;
  }
  if (StartsWith(file, "/usr/") || StartsWith(file, "/lib/") || StartsWith(file, "csu/"))
    return true;
  static constexpr std::string_view kPathParts[] = {"/libsanitizer/", "compiler-rt/", "sysdeps/",
                                                    "/csu/", "/include/c++/"};
  for (std::string_view p : kPathParts) {
    if (Contains(file, p)) return true;
  }
  return false;
}

void AppendRaw(std::string* raw, std::string_view line) {
  if (raw->size() >= kMaxRawBytes) return;
  if (!raw->empty()) raw->push_back('\n');
  size_t room = kMaxRawBytes - raw->size();
  raw->append(line.substr(0, room));
}

void AppendMessagePart(std::string* message, std::string_view part, size_t cap) {
  part = Trim(part);
  if (part.empty() || message->size() >= cap) return;
  if (!message->empty()) message->push_back(' ');
  // Collapse inner whitespace runs (tabs included) so the message stays one tidy line.
  bool space = false;
  for (char c : part) {
    if (message->size() >= cap) break;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space) message->push_back(' ');
    space = false;
    message->push_back(c);
  }
}

void PendingBlock::TakeInto(Event* e) {
  e->file_path = std::move(file);
  e->line_number = line_number;
  e->message = std::move(message);
  e->error_code = std::move(error_code);
  raw.resize(std::min(raw.size(), raw_end));
  e->raw_text = std::move(raw);
  e->log_line_start = start;
  e->log_line_end = end;
  file.clear();
  message.clear();
  error_code.clear();
  raw.clear();
  raw_end = 0;
}

Event MakeEvent(std::string_view tool, std::string_view category, Severity severity) {
  Event e;
  e.severity = severity;
  e.tool_name = std::string(tool);
  e.category = std::string(category);
  return e;
}

}  // namespace tp
}  // namespace lq::logs

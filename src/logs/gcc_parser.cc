// gcc/g++ and clang/clang++ diagnostics (tool_name "gcc" or "clang", category "compile").
//
// A diagnostic is "file:line:col: severity: message [-Wflag]" (or "file:line: ..." without a
// column), severity one of error, fatal error, warning, note, remark, internal compiler
// error, sorry, unimplemented. Driver diagnostics have a program name instead of a
// location ("gcc: error: ...", "cc1plus: note: ...", "clang-14: warning: ..."), and clang
// prints some with no prefix at all ("error: unknown warning option '-Wx' [-Wunknown-...]",
// accepted only with a trailing [-flag]). error_code is the trailing bracketed flag as
// printed: "-Wunused-variable", gcc's "-Werror=unused-variable", clang's
// "-Werror,-Wunused-variable", "-fpermissive", or a clang-tidy check name.
//
// Each error/warning (and each standalone note) starts a block; the lines that belong to
// it go into its raw_text and extend log_line_start/log_line_end:
//   * context printed BEFORE it: "In file included from a.h:3," + "                 from
//     main.c:1:", "main.c: In function 'main':", "At global scope:", "In instantiation of
//     ...:", "In substitution of ...:" and the "file:l:c:   required from here" chain;
//   * lines AFTER it: the source excerpt ("    3 |   int x = y;" or clang's un-numbered
//     copy of the line), caret/range lines, fix-it lines (also
//     -fdiagnostics-parseable-fixits "fix-it:" lines), -fanalyzer event paths (all indented),
//     "compilation terminated.";
//   * notes that continue it: a note is part of the current block unless a "In function"/
//     "At global scope" line came in between (a new context) or it is a #pragma message
//     note; such notes are emitted as their own events with severity note.
// Lines that are claimed but belong to no event: clang's "N errors generated." and gcc's
// "cc1: all warnings being treated as errors". An event's raw_text stops growing at 64 KiB
// (a template cascade can be megabytes); its log_line_end still covers the whole block.
//
// gcc or clang? Events are held until the run of compiler lines ends (the driver calls
// Flush when another line comes), then all of that run get one tool_name:
//   1. "clang" if the run shows clang-only shapes: a "N warnings and M errors generated."
//      summary, a clang driver line ("clang: error: ..."), a bare "error: ... [-W...]",
//      a "-Werror,-Wflag" code, or the notes "in instantiation of ... requested here" /
//      "expanded from macro";
//   2. else "gcc" if it shows gcc-only shapes: "In function"/"At global scope" context,
//      "required from" lines, cc1/cc1plus/gcc driver lines, "compilation terminated.",
//      "-Werror=flag" codes, ‘typographic quotes’, "in expansion of macro" notes;
//   3. else "clang" if the last compile command seen in the log (ninja's FAILED command,
//      an echoed "clang++ -c x.cc", "cd dir && /usr/bin/clang ...") ran clang;
//   4. else "gcc".
// (Numbered source excerpts are no evidence: clang >= 17 prints them too.)
#include <vector>

#include "logs/build_parsers.h"

namespace lq::logs::buildtools {
namespace {

enum class Diag { kNone, kError, kWarning, kNote, kRemark };

// "error: msg" -> kError and msg; kNone if `rest` does not start with a severity.
Diag ParseSeverity(std::string_view rest, std::string_view* msg) {
  if (rest.empty()) return Diag::kNone;
  struct Form {
    std::string_view prefix;
    Diag kind;
  };
  static constexpr Form kForms[] = {
      {"error: ", Diag::kError},
      {"warning: ", Diag::kWarning},
      {"note: ", Diag::kNote},
      {"fatal error: ", Diag::kError},
      {"remark: ", Diag::kRemark},
      {"internal compiler error: ", Diag::kError},
      {"sorry, unimplemented: ", Diag::kError},
  };
  char c = rest[0];
  for (const Form& f : kForms) {
    if (f.prefix[0] == c && StartsWith(rest, f.prefix)) {
      *msg = rest.substr(f.prefix.size());
      return f.kind;
    }
  }
  // "error: " at the very end of the line has no space after the colon.
  if (rest == "error:" || rest == "warning:" || rest == "note:") {
    *msg = {};
    return rest[0] == 'e' ? Diag::kError : rest[0] == 'w' ? Diag::kWarning : Diag::kNote;
  }
  return Diag::kNone;
}

// Splits "unused variable 'x' [-Wunused-variable]" into message and code. The bracket
// must hold a flag ("-W...", "-f...") or a check name ("bugprone-use-after-move"), so
// "int [4]" or "[with T = int]" stay in the message.
void SplitCode(std::string_view msg, std::string_view* text, std::string_view* code) {
  msg = TrimRight(msg);
  *text = msg;
  *code = {};
  if (msg.size() < 4 || msg.back() != ']') return;
  size_t open = msg.rfind(" [");
  if (open == std::string_view::npos) return;
  std::string_view inside = msg.substr(open + 2, msg.size() - open - 3);
  if (inside.empty() || inside.find(' ') != std::string_view::npos) return;
  if (inside[0] != '-') {
    bool check_name = inside.find('-') != std::string_view::npos;
    for (char c : inside) {
      check_name &= (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-' || c == '.' || c == ',';
    }
    if (!check_name) return;
  }
  *text = TrimRight(msg.substr(0, open));
  *code = inside;
}

// "    4 |   int x = y;", "      |           ^": gcc >= 9 (and clang >= 17) excerpt lines.
bool IsNumberedExcerpt(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  size_t digits = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i > digits) {
    return i + 1 < s.size() && s[i] == ' ' && s[i + 1] == '|';
  }
  return i < s.size() && s[i] == '|';
}

// A caret/range line at column 0 ("^", "~~~^~~"): only ' ', '^' and '~'.
bool IsCaretLine(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '^' && c != '~') return false;
  }
  return true;
}

// "'#pragma message: hi'" (gcc, with either quote style) and "#pragma message: hi".
bool IsPragmaMessage(std::string_view msg) {
  size_t p = msg.find("#pragma message");
  return p != std::string_view::npos && p <= 3;
}

// Lines that follow a diagnostic but are certainly someone else's: never taken as a
// clang (un-numbered) source excerpt.
bool IsForeignLine(std::string_view s) {
  static constexpr std::string_view kPrefixes[] = {
      "make", "gmake",     "ninja", "FAILED", "[",   "CMake", "-- ",   "collect2", "$ ",
      "+ ",   "Traceback", "===",   "---",    "***", "Error", "ERROR", "Warning",  "WARNING",
  };
  for (std::string_view p : kPrefixes) {
    if (StartsWith(s, p)) return true;
  }
  return CompilerOfCommand(s) != CompilerKind::kNone;
}

// "N errors generated.", "1 warning generated.", "2 warnings and 1 error generated."
bool IsClangSummary(std::string_view s) {
  return EndsWith(s, " generated.") && (s.find(" error") != std::string_view::npos ||
                                        s.find(" warning") != std::string_view::npos);
}

// gcc's unnamed instantiation context: "file:12:5:   required from here" (after ": ").
bool IsInstantiationContext(std::string_view rest) {
  rest = TrimLeft(rest);
  return StartsWith(rest, "required ") || StartsWith(rest, "recursively required ") ||
         StartsWith(rest, "in ") || StartsWith(rest, "instantiated from ") ||
         StartsWith(rest, "initializing argument ");
}

// The path of a "path:line:col:" location: not a URL ("http://host:8080: error"), not a
// timestamp ("2024-01-01T10:12:13: error"), not a Python file (mypy has the same shape),
// not a makefile ("Makefile:17: warning: overriding recipe" is make's, even right after
// compiler output, when this parser sees the line first).
bool IsSourcePath(std::string_view path) {
  if (path.empty()) return false;
  if (IsDigit(path[0]) && path.find_first_of("./\\") == std::string_view::npos) return false;
  if (path.find("://") != std::string_view::npos) return false;
  if (EndsWith(path, ".py") || EndsWith(path, ".pyi") || EndsWith(path, ".mk") ||
      EndsWith(path, ".make") || EndsWith(path, ".cmake") || EndsWith(path, "CMakeLists.txt")) {
    return false;
  }
  std::string_view base = Basename(path);
  return !StartsWith(base, "Makefile") && !StartsWith(base, "makefile") &&
         !StartsWith(base, "GNUmakefile");
}

// The text after "file: " of gcc's context lines (the line ends with ':').
bool IsContextLine(std::string_view rest) {
  if (rest == "At global scope:" || rest == "At top level:") return true;
  if (!StartsWith(rest, "In ")) return false;
  static constexpr std::string_view kKinds[] = {
      "function ",         "member function ",   "static member function ",
      "constructor ",      "destructor ",        "copy constructor ",
      "move constructor ", "lambda function",    "instantiation of ",
      "substitution of ",  "function template ", "member function template ",
      "requirements ",
  };
  std::string_view kind = rest.substr(3);
  for (std::string_view k : kKinds) {
    if (StartsWith(kind, k)) return true;
  }
  return false;
}

class GccParser final : public ToolParser {
 public:
  explicit GccParser(std::shared_ptr<BuildContext> context)
      : context_(context ? std::move(context) : std::make_shared<BuildContext>()) {}

  std::string_view name() const override { return "gcc"; }

  bool Feed(const Line& line, EventSink& sink) override {
    std::string_view s = line.text;
    if (s.empty()) return false;
    const bool active = !group_.empty() || prefix_.start != 0;
    const char c = s[0];

    // Indented lines: excerpts, carets, fix-its, "   from x.c:1:", analyzer paths.
    if (c == ' ' || c == '\t') {
      if (!active) return false;
      if (!numbered_ && IsNumberedExcerpt(s)) numbered_ = true;
      AddContext(line);
      expect_excerpt_ = false;
      return true;
    }
    if ((c == '^' || c == '~') && block_open_ && IsCaretLine(s)) {
      AddContext(line);
      expect_excerpt_ = false;
      return true;
    }
    if (c == 'I' && StartsWith(s, "In file included from ")) {
      AddPrefix(line, /*function_context=*/false);
      return true;
    }
    if (c == 'c' && s == "compilation terminated.") {
      if (!active) return false;
      gcc_evidence_ = true;
      AddContext(line);
      return true;
    }
    if (IsDigit(c) && IsClangSummary(s)) {
      if (!active) {
        context_->last_compiler = CompilerKind::kClang;
        return false;
      }
      clang_evidence_ = true;
      return true;  // claimed, but part of no event
    }
    if (c == 'f' && block_open_ && StartsWith(s, "fix-it:")) {
      AddContext(line);
      return true;
    }

    // Everything else has "head: rest".
    size_t cs = context_->ScanLine(line).colon_space;
    if (cs == std::string_view::npos) return MaybeExcerptOrCommand(line);
    std::string_view head = s.substr(0, cs);
    std::string_view rest = s.substr(cs + 2);
    std::string_view path, msg;
    int64_t ln = 0, col = 0;
    SplitLocation(head, &path, &ln, &col);

    if (ln > 0 && IsSourcePath(path)) {
      if (!rest.empty() && rest[0] == ' ') {  // "x.cc:13:16:   required from here"
        if (!active && !IsInstantiationContext(rest)) return false;
        gcc_evidence_ = true;
        AddPrefix(line, /*function_context=*/false);
        expect_excerpt_ = true;
        return true;
      }
      Diag kind = ParseSeverity(rest, &msg);
      if (kind == Diag::kNone) return MaybeExcerpt(line, head);
      return OnDiagnostic(line, kind, path, ln, col, msg, sink);
    }

    // "main.c: In function 'main':", "x.cc: In instantiation of '...':", "At global scope:".
    if (!rest.empty() && (rest[0] == 'I' || rest[0] == 'A') && s.back() == ':' &&
        IsContextLine(rest) && IsSourcePath(head) &&
        head.find_first_of("./\\") != std::string_view::npos) {
      bool instantiation =
          StartsWith(rest, "In instantiation of ") || StartsWith(rest, "In substitution of ");
      gcc_evidence_ = true;
      AddPrefix(line, /*function_context=*/!instantiation);
      return true;
    }

    // Driver lines: "gcc: error: ...", "cc1plus: note: ...", "clang-14: warning: ...".
    CompilerKind driver = ClassifyCompiler(head);
    if (driver != CompilerKind::kNone && head.find(' ') == std::string_view::npos) {
      Diag kind = ParseSeverity(rest, &msg);
      if (kind == Diag::kNone) {
        if (active && EndsWith(rest, "warnings being treated as errors")) {  // cc1: all/some ...
          gcc_evidence_ = true;
          return true;  // claimed, part of no event
        }
        return false;
      }
      // The linker's summary ("clang: error: linker command failed ...") is the linker's.
      if (msg.find("linker command failed") != std::string_view::npos) return false;
      if (driver == CompilerKind::kClang) clang_evidence_ = true;
      if (driver == CompilerKind::kGcc) gcc_evidence_ = true;
      return OnDiagnostic(line, kind, {}, 0, 0, msg, sink);
    }
    if (head == "<command-line>" || head == "<built-in>" || head == "<command line>") {
      Diag kind = ParseSeverity(rest, &msg);
      if (kind == Diag::kNone) return false;
      return OnDiagnostic(line, kind, head, 0, 0, msg, sink);
    }
    // clang without any prefix: "warning: unknown warning option '-Wx' [-Wunknown-warning-option]".
    if ((head == "error" || head == "warning" || head == "fatal error") && EndsWith(rest, "]")) {
      std::string_view text, code;
      SplitCode(rest, &text, &code);
      if (code.empty() || code[0] != '-') return MaybeExcerpt(line, head);
      clang_evidence_ = true;
      Diag kind = head == "warning" ? Diag::kWarning : Diag::kError;
      return OnDiagnostic(line, kind, {}, 0, 0, rest, sink);
    }
    return MaybeExcerpt(line, head);
  }

  void Flush(EventSink& sink) override {
    if (prefix_.start != 0 && !group_.empty()) {
      Event& last = group_.back();
      AppendText(last, prefix_.text);
      last.log_line_end = prefix_.end;
    }
    prefix_ = Prefix();
    Emit(sink);
    block_open_ = false;
    expect_excerpt_ = false;
    clang_evidence_ = gcc_evidence_ = numbered_ = false;
    if (next_compiler_ != CompilerKind::kNone) {
      context_->last_compiler = next_compiler_;
      next_compiler_ = CompilerKind::kNone;
    }
  }

 private:
  static constexpr size_t kMaxRawText = 64 * 1024;  // per event; later lines only extend the range
  static constexpr size_t kMaxGroup = 4096;         // events held before a forced emit

  // Context lines seen before the diagnostic they introduce.
  struct Prefix {
    std::string text;
    int64_t start = 0, end = 0;
    bool function_context = false;  // "In function"/"At global scope": a new context
  };

  void AddPrefix(const Line& line, bool function_context) {
    if (prefix_.start == 0) {
      prefix_.start = line.number;
    } else {
      prefix_.text.push_back('\n');
    }
    if (prefix_.text.size() < kMaxRawText) prefix_.text.append(line.text);
    prefix_.end = line.number;
    prefix_.function_context |= function_context;
    expect_excerpt_ = false;
  }

  // A line that belongs to the pending prefix if there is one, else to the open block.
  void AddContext(const Line& line) {
    if (prefix_.start != 0) {
      AddPrefix(line, false);
    } else if (!group_.empty()) {
      Event& e = group_.back();
      if (e.raw_text.size() < kMaxRawText) {
        AppendLine(e, line);
      } else {
        e.log_line_end = line.number;
      }
    }
  }

  static void AppendText(Event& e, std::string_view text) {
    if (e.raw_text.size() >= kMaxRawText) return;
    e.raw_text.push_back('\n');
    e.raw_text.append(text);
  }

  // A line with no diagnostic shape: clang's un-numbered excerpt of the line just
  // diagnosed, or (when rejected) maybe a compile command that tells gcc from clang.
  bool MaybeExcerptOrCommand(const Line& line) {
    if (MaybeExcerpt(line, {})) return true;
    CompilerKind k = CompilerOfCommand(line.text);
    if (k != CompilerKind::kNone) {
      // Applied after this run's events are emitted (Flush follows this rejection).
      if (group_.empty()) {
        context_->last_compiler = k;
      } else {
        next_compiler_ = k;
      }
    }
    return false;
  }

  bool MaybeExcerpt(const Line& line, std::string_view head) {
    // Only the one line right after a located diagnostic, only when this run has not
    // shown numbered excerpts (gcc >= 9 never prints un-numbered ones), and never a line
    // that looks like a tool's own output ("make: ...", "ld: ...": a head without spaces).
    if (!expect_excerpt_ || numbered_ || !block_open_) return false;
    if (!head.empty() && head.find(' ') == std::string_view::npos) return false;
    if (IsForeignLine(line.text)) return false;
    AddContext(line);
    expect_excerpt_ = false;
    return true;
  }

  bool OnDiagnostic(const Line& line, Diag kind, std::string_view path, int64_t ln, int64_t col,
                    std::string_view msg, EventSink& sink) {
    if (kind == Diag::kNote) {
      if (StartsWith(msg, "in instantiation of ") || StartsWith(msg, "expanded from macro"))
        clang_evidence_ = true;
      if (StartsWith(msg, "in expansion of macro") || StartsWith(msg, "in definition of macro"))
        gcc_evidence_ = true;
      if (block_open_ && !prefix_.function_context && !IsPragmaMessage(msg)) {
        if (prefix_.start != 0) {
          AppendText(group_.back(), prefix_.text);
          prefix_ = Prefix();
        }
        AddContext(line);
        expect_excerpt_ = ln > 0;
        return true;
      }
    } else if (kind == Diag::kError && ln > 0 &&
               (StartsWith(msg, "undefined reference to ") ||
                StartsWith(msg, "multiple definition of "))) {
      return false;  // gold: "x.c:3: error: undefined reference to 'f'" is the linker's
    }
    // A new block: the earlier ones are complete, so a huge run can be emitted early.
    if (group_.size() >= kMaxGroup) Emit(sink);

    Event e;
    if (prefix_.start != 0) {
      e.raw_text = std::move(prefix_.text);
      e.log_line_start = prefix_.start;
      e.log_line_end = prefix_.end;
      prefix_ = Prefix();
    }
    // Room for the excerpt lines that usually follow (saves regrowing raw_text).
    e.raw_text.reserve(e.raw_text.size() + line.text.size() * 2 + 96);
    AppendLine(e, line);
    e.severity = kind == Diag::kError     ? Severity::kError
                 : kind == Diag::kWarning ? Severity::kWarning
                 : kind == Diag::kNote    ? Severity::kNote
                                          : Severity::kInfo;
    e.file_path = std::string(path);
    e.line_number = ln;
    e.column_number = col;
    std::string_view text, code;
    SplitCode(msg, &text, &code);
    e.message = std::string(text);
    e.error_code = std::string(code);
    e.category = "compile";
    if (StartsWith(code, "-Werror,")) clang_evidence_ = true;
    if (StartsWith(code, "-Werror=")) gcc_evidence_ = true;
    if (text.find("\xe2\x80\x98") != std::string_view::npos) gcc_evidence_ = true;  // ‘
    group_.push_back(std::move(e));
    block_open_ = true;
    expect_excerpt_ = ln > 0;
    return true;
  }

  std::string_view DecideTool() const {
    if (clang_evidence_) return "clang";
    if (gcc_evidence_) return "gcc";
    if (context_->last_compiler == CompilerKind::kClang) return "clang";
    return "gcc";
  }

  // Emits the run's events, all with the tool name its evidence points to.
  void Emit(EventSink& sink) {
    if (group_.empty()) return;
    std::string_view tool = DecideTool();
    for (Event& e : group_) {
      e.tool_name = std::string(tool);
      sink.OnEvent(std::move(e));
    }
    group_.clear();
    block_open_ = false;
  }

  std::shared_ptr<BuildContext> context_;
  std::vector<Event> group_;  // this run's blocks, in order; back() is the open one
  Prefix prefix_;
  bool block_open_ = false;      // group_.back() takes continuation lines
  bool expect_excerpt_ = false;  // the previous line was a located diagnostic
  bool numbered_ = false;        // this run printed "  N | code" excerpts
  bool clang_evidence_ = false;
  bool gcc_evidence_ = false;
  CompilerKind next_compiler_ = CompilerKind::kNone;
};

}  // namespace

std::unique_ptr<ToolParser> MakeGccParser(std::shared_ptr<BuildContext> context) {
  return std::make_unique<GccParser>(std::move(context));
}

}  // namespace lq::logs::buildtools

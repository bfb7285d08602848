// Python linters and type checkers: mypy, ruff, pylint, flake8 (one parser each).
//
// All four print gcc-like "file:line[:col]:" lines, so a line is only taken when the file
// ends in .py/.pyi AND the tool's own shape follows:
//   mypy    a.py:6: error: Incompatible types in assignment (...)  [assignment]
//           a.py:6:14: note: ...          (column with --show-column-numbers; a "note:" right
//                                          after an error at the same file and line belongs to
//                                          it, other notes are events of their own)
//           Found 3 errors in 1 file (checked 1 source file)        <- summary, no event
//   ruff    a.py:1:8: F401 [*] `os` imported but unused              (concise / pre-0.12.10 full
//             |                                                        format, snippet lines up
//           1 | import os                                              to the blank line belong
//             = help: Remove unused import: `os`                       to the event)
//           F401 [*] `os` imported but unused                        (full format since 0.12.10:
//            --> a.py:1:8                                              code first, then "-->")
//   pylint  a.py:1:0: C0114: Missing module docstring (missing-module-docstring)
//           a.py:1: [C0111(missing-docstring), ] Missing docstring   (parseable format)
//   flake8  a.py:1:1: F401 'os' imported but unused
//
// ruff vs flake8: the same "file:line:col: CODE message" shape. A line is ruff's when it has
// ruff's fix marker "[*]" or quotes names with backticks (flake8 uses '...'), or when such a
// line was already seen in the log; else flake8's.
//
// Severities (lq's choice):
//   mypy:   error/note/warning as printed; category "type-check".
//   flake8 and ruff: E9xx, F63x, F7xx, F82x (syntax errors and undefined names: the set CI
//           setups run as `flake8 --select=E9,F63,F7,F82` to fail a build, e.g. GitHub's
//           Python workflow template) are errors, every other code a warning; ruff's syntax
//           errors (no code) are errors. Category "lint".
//   pylint: E/F error, W warning, C/R note, I info; columns are 0-based in pylint's output
//           and reported 1-based here (col + 1). Category "lint"; the "(symbol)" suffix is
//           dropped from the message (it is in raw_text).
#include <string>

#include "logs/language_parsers.h"

namespace lq::logs {
namespace {

using namespace lang;

bool IsPyFile(sv f) { return EndsWith(f, ".py") || EndsWith(f, ".pyi"); }

// flake8/ruff severity by code (see the file comment).
Severity LintSeverity(sv code) {
  if (StartsWith(code, "E9") || StartsWith(code, "F63") || StartsWith(code, "F7") ||
      StartsWith(code, "F82")) {
    return Severity::kError;
  }
  return Severity::kWarning;
}

// ---------------------------------------------------------------- mypy

class MypyParser final : public ToolParser {
 public:
  explicit MypyParser(ScanPtr scan) : scan_(std::move(scan)) {}
  std::string_view name() const override { return "mypy"; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    if (pending_.open()) {
      if (FeedBlock(line, sink)) return true;
      pending_.Emit(sink);
    }
    if (t.size() < 6) return false;
    if (t[0] == 'F' && StartsWith(t, "Found ") && IsDigit(t[6])) return true;
    if (t[0] == 'S' && StartsWith(t, "Success: no issues found")) return true;
    Severity sev;
    ColonLoc loc;
    sv msg;
    if (!ParseHeader(line, &loc, &sev, &msg)) return false;
    Begin(line, loc, sev, msg);
    return true;
  }

  void Flush(EventSink& sink) override { pending_.Emit(sink); }

 private:
  bool ParseHeader(const Line& line, ColonLoc* loc, Severity* sev, sv* msg) {
    const LineScan& scan = scan_->Of(line);
    if (!scan.loc_ok || !IsPyFile(scan.loc.file)) return false;
    *loc = scan.loc;
    sv rest = line.text.substr(loc->rest);
    if (StartsWith(rest, " error: ")) {
      *sev = Severity::kError;
      *msg = rest.substr(8);
    } else if (StartsWith(rest, " note: ")) {
      *sev = Severity::kNote;
      *msg = rest.substr(7);
    } else if (StartsWith(rest, " warning: ")) {
      *sev = Severity::kWarning;
      *msg = rest.substr(10);
    } else {
      return false;
    }
    return true;
  }

  void Begin(const Line& line, const ColonLoc& loc, Severity sev, sv msg) {
    pending_.Begin(
        MakeEvent(sev, loc.file, loc.line, loc.column, "", line, "mypy", "type-check", ""));
    continuation_ = 0;
    SetMessage(msg);
    // --pretty wraps messages at the terminal width (80 columns when not a terminal): a
    // long error line without its "[code]" goes on on the next lines.
    if (!code_done_ && sev != Severity::kNote && line.text.size() >= 60) continuation_ = 3;
  }

  // Splits "message  [code]" and records whether the trailing code was seen.
  void SetMessage(sv msg) {
    Event& e = pending_.event();
    msg = Trim(msg);
    code_done_ = false;
    if (!msg.empty() && msg.back() == ']') {
      size_t open = msg.rfind('[');
      if (open != sv::npos && (open == 0 || msg[open - 1] == ' ')) {
        sv code = msg.substr(open + 1, msg.size() - open - 2);
        bool ok = !code.empty();
        for (char c : code) ok = ok && (IsLower(c) || IsDigit(c) || c == '-' || c == '_');
        if (ok) {
          e.error_code.assign(code);
          msg = TrimRight(msg.substr(0, open));
          code_done_ = true;
        }
      }
    }
    e.message.assign(msg);
  }

  bool FeedBlock(const Line& line, EventSink& sink) {
    sv t = line.text;
    Event& e = pending_.event();
    ColonLoc loc;
    Severity sev;
    sv msg;
    if (ParseHeader(line, &loc, &sev, &msg)) {
      if (sev == Severity::kNote && e.severity != Severity::kNote && loc.file == e.file_path &&
          loc.line == e.line_number) {
        pending_.Add(line);  // a note about the error before it ("See https://...")
        continuation_ = 0;
        return true;
      }
      pending_.Emit(sink);
      Begin(line, loc, sev, msg);
      return true;
    }
    if (t.empty() || StartsWith(t, "Found ") || StartsWith(t, "Success: ")) return false;
    if (StartsWith(t, "    ")) {  // --pretty source excerpt and caret
      continuation_ = 0;
      pending_.Add(line);
      return true;
    }
    if (continuation_ > 0) {  // --pretty: the message went on on this line
      --continuation_;
      std::string joined = e.message + " " + std::string(Trim(t));
      SetMessage(joined);
      if (code_done_) continuation_ = 0;
      pending_.Add(line);
      return true;
    }
    return false;
  }

  ScanPtr scan_;
  PendingEvent pending_;
  int continuation_ = 0;
  bool code_done_ = false;
};

// ---------------------------------------------------------------- ruff

class RuffParser final : public ToolParser {
 public:
  explicit RuffParser(ScanPtr scan) : scan_(std::move(scan)) {}
  std::string_view name() const override { return "ruff"; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    if (pending_.open()) {
      if (t.empty()) {
        pending_.Emit(sink);
        return true;
      }
      if (IsBody(t)) {
        pending_.Add(line);
        return true;
      }
      pending_.Emit(sink);
    }
    if (t.size() < 4) return false;
    char c = t[0];
    if (c == ' ') {
      sv s = TrimLeft(t);
      if (StartsWith(s, "--> ") && lookback_.Precedes(line)) return StartFull(line, s.substr(4));
      return false;
    }
    if (c == '[' && StartsWith(t, "[*] ") && t.find(" fixable with the ") != sv::npos) return true;
    if (c == 'F' && StartsWith(t, "Found ") && IsDigit(t[6]) && ruff_seen_) return true;
    if (c == 'A' && t == "All checks passed!") return true;
    if (c == 'N' && StartsWith(t, "No fixes available")) return true;
    const LineScan& scan = scan_->Of(line);
    if (scan.loc_ok && scan.loc.column > 0 && IsPyFile(scan.loc.file))
      return StartConcise(line, scan.loc);
    // Full format header "F401 [*] `os` imported but unused": decided by the next line.
    if ((IsUpper(c) && CodeLength(t, 0, 4) > 0) || StartsWith(t, "invalid-syntax: ") ||
        StartsWith(t, "SyntaxError: ")) {
      lookback_.Set(line);
    }
    return false;
  }

  void Flush(EventSink& sink) override { pending_.Emit(sink); }

 private:
  static bool IsBody(sv t) {
    char c = t[0];
    if (c == ' ' || c == '|') return true;
    if (IsDigit(c)) {
      size_t i = 0;
      while (i < t.size() && IsDigit(t[i])) ++i;
      while (i < t.size() && t[i] == ' ') ++i;
      return i < t.size() && t[i] == '|';
    }
    return StartsWith(t, "help: ") || StartsWith(t, "note: ") || StartsWith(t, "info: ");
  }

  // After "file:L:C: ": "F401 [*] msg", "E501 msg" (ruff only with its signals), "SyntaxError:
  // msg".
  bool StartConcise(const Line& line, const ColonLoc& loc) {
    sv rest = line.text.substr(loc.rest);
    if (rest.empty() || rest[0] != ' ') return false;
    rest.remove_prefix(1);
    Severity sev;
    sv code, msg;
    if (!ParseBody(rest, &sev, &code, &msg, /*need_signal=*/!ruff_seen_)) return false;
    ruff_seen_ = true;
    pending_.Begin(MakeEvent(sev, loc.file, loc.line, loc.column, msg, line, "ruff", "lint", code));
    return true;
  }

  bool StartFull(const Line& line, sv where) {
    ColonLoc loc;
    if (!ParseColonLocNoTrailer(where, &loc) || !IsPyFile(loc.file)) return false;
    Severity sev;
    sv code, msg;
    std::string header(lookback_.text());
    if (!ParseBody(header, &sev, &code, &msg, /*need_signal=*/false)) return false;
    ruff_seen_ = true;
    pending_.Begin(MakeEvent(sev, loc.file, loc.line, loc.column, msg, line, "ruff", "lint", code));
    pending_.PrependLine(header, lookback_.number());
    lookback_.Clear();
    return true;
  }

  static bool ParseBody(sv s, Severity* sev, sv* code, sv* msg, bool need_signal) {
    for (sv syntax : {sv("SyntaxError: "), sv("invalid-syntax: ")}) {
      if (StartsWith(s, syntax)) {
        *sev = Severity::kError;
        *code = sv();
        *msg = s.substr(syntax.size());
        return true;
      }
    }
    size_t n = CodeLength(s, 0, 4);
    if (n == 0 || n >= s.size() || s[n] != ' ') return false;
    *code = s.substr(0, n);
    sv m = s.substr(n + 1);
    bool fix = StartsWith(m, "[*] ");
    if (fix) m.remove_prefix(4);
    if (need_signal && !fix && m.find('`') == sv::npos) return false;
    *sev = LintSeverity(*code);
    *msg = m;
    return true;
  }

  ScanPtr scan_;
  PendingEvent pending_;
  Lookback lookback_;
  bool ruff_seen_ = false;
};

// ---------------------------------------------------------------- pylint

class PylintParser final : public ToolParser {
 public:
  explicit PylintParser(ScanPtr scan) : scan_(std::move(scan)) {}
  std::string_view name() const override { return "pylint"; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    if (t.size() < 8) return false;
    char c = t[0];
    if (c == '*' && StartsWith(t, "************* Module ")) {
      pylint_seen_ = true;
      return true;
    }
    if (pylint_seen_ && ((c == '-' && t.find_first_not_of('-') == sv::npos) ||
                         (c == 'Y' && StartsWith(t, "Your code has been rated at ")))) {
      return true;
    }
    const LineScan& scan = scan_->Of(line);
    const ColonLoc& loc = scan.loc;
    if (!scan.loc_ok || !IsPyFile(loc.file)) return false;
    sv rest = t.substr(loc.rest);
    if (rest.size() < 8 || rest[0] != ' ') return false;
    rest.remove_prefix(1);
    sv code, msg;
    if (rest[0] == '[') {
      // parseable: "[C0111(missing-docstring), func] Missing docstring"
      size_t close = rest.find("] ");
      size_t paren = rest.find('(');
      if (close == sv::npos || paren == sv::npos || paren > close) return false;
      code = rest.substr(1, paren - 1);
      msg = rest.substr(close + 2);
    } else {
      code = rest.substr(0, CodeLength(rest, 0, 1));
      if (code.size() != 5 || rest.size() < 7 || rest[5] != ':' || rest[6] != ' ') return false;
      msg = rest.substr(7);
    }
    if (code.size() != 5 || !IsUpper(code[0])) return false;
    Severity sev;
    switch (code[0]) {
      case 'E':
      case 'F':
        sev = Severity::kError;
        break;
      case 'W':
        sev = Severity::kWarning;
        break;
      case 'C':
      case 'R':
        sev = Severity::kNote;
        break;
      case 'I':
        sev = Severity::kInfo;
        break;
      default:
        return false;
    }
    // Drop the "(symbol-name)" suffix.
    msg = TrimRight(msg);
    if (!msg.empty() && msg.back() == ')') {
      size_t open = msg.rfind(" (");
      if (open != sv::npos) {
        sv sym = msg.substr(open + 2, msg.size() - open - 3);
        bool ok = !sym.empty();
        for (char ch : sym) ok = ok && (IsLower(ch) || IsDigit(ch) || ch == '-');
        if (ok) msg = msg.substr(0, open);
      }
    }
    pylint_seen_ = true;
    int64_t col = HasColumn(t, loc) ? loc.column + 1 : 0;
    sink.OnEvent(MakeEvent(sev, loc.file, loc.line, col, msg, line, "pylint", "lint", code));
    return true;
  }

  void Flush(EventSink&) override {}

 private:
  // "a.py:1:0:" has a (0-based) column; "a.py:1:" has none.
  static bool HasColumn(sv t, const ColonLoc& loc) {
    size_t i = loc.file.size() + 1;
    while (i < t.size() && IsDigit(t[i])) ++i;
    return i + 1 < t.size() && t[i] == ':' && IsDigit(t[i + 1]);
  }

  ScanPtr scan_;
  bool pylint_seen_ = false;
};

// ---------------------------------------------------------------- flake8

class Flake8Parser final : public ToolParser {
 public:
  explicit Flake8Parser(ScanPtr scan) : scan_(std::move(scan)) {}
  std::string_view name() const override { return "flake8"; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    if (t.size() < 8) return false;
    const LineScan& scan = scan_->Of(line);
    const ColonLoc& loc = scan.loc;
    if (!scan.loc_ok || !IsPyFile(loc.file)) return false;
    sv rest = t.substr(loc.rest);
    if (rest.size() < 4 || rest[0] != ' ') return false;
    rest.remove_prefix(1);
    size_t n = CodeLength(rest, 0, 4);
    if (n == 0 || n >= rest.size() || rest[n] != ' ') return false;
    sv code = rest.substr(0, n);
    sink.OnEvent(MakeEvent(LintSeverity(code), loc.file, loc.line, loc.column, rest.substr(n + 1),
                           line, "flake8", "lint", code));
    return true;
  }

  void Flush(EventSink&) override {}

 private:
  ScanPtr scan_;
};

}  // namespace

std::unique_ptr<ToolParser> MakeMypyParser(ScanPtr scan) {
  return std::make_unique<MypyParser>(std::move(scan));
}
std::unique_ptr<ToolParser> MakeRuffParser(ScanPtr scan) {
  return std::make_unique<RuffParser>(std::move(scan));
}
std::unique_ptr<ToolParser> MakePylintParser(ScanPtr scan) {
  return std::make_unique<PylintParser>(std::move(scan));
}
std::unique_ptr<ToolParser> MakeFlake8Parser(ScanPtr scan) {
  return std::make_unique<Flake8Parser>(std::move(scan));
}

}  // namespace lq::logs

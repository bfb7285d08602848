// rustc / cargo / clippy diagnostics and cargo test (libtest) failures.
//
//   error[E0308]: mismatched types            <- header (code optional: "warning: unused ...")
//    --> src/main.rs:7:21                     <- location of the primary span
//     |
//   7 |     let s: String = add(1, 2);
//     |            ------   ^^^^^^^^^ expected `String`, found `i32`
//     = note: `#[warn(unused_variables)]` on by default   <- lint name becomes the code
//                                             <- a blank line ends the diagnostic
//   error: could not compile `foo` (bin "foo") due to 2 previous errors   <- an event too
//
//   ---- tests::it_works stdout ----          <- cargo test failure body
//   thread 'tests::it_works' panicked at src/lib.rs:14:9:
//   assertion `left == right` failed
//
// A plain "error: ..." / "warning: ..." line is only taken once the log is known to be a
// cargo/rustc log (an "error[E...]" header, a " --> x.rs" line, "Compiling x v1.0", ...)
// or when the next line is " --> file.rs:L:C"; otherwise other tools' "error:" lines stay
// theirs. Summaries ("aborting due to ...", "`x` (lib) generated 2 warnings", "test failed,
// to rerun pass ...") are claimed without events; "could not compile `x`" is an event
// (category "compile", it names the crate and is the only error of a failed build script).
// Lint warnings get the lint name as error_code ("unused_variables",
// "clippy::needless_return"; clippy lints have category "lint").
#include <string>

#include "logs/language_parsers.h"

namespace lq::logs {
namespace {

using namespace lang;

constexpr sv kTool = "rustc";

// "error[E0308]: msg", "warning: msg". Returns false if `t` is not such a header.
bool ParseHeader(sv t, Severity* sev, sv* code, sv* msg) {
  size_t i;
  if (StartsWith(t, "error")) {
    *sev = Severity::kError;
    i = 5;
  } else if (StartsWith(t, "warning")) {
    *sev = Severity::kWarning;
    i = 7;
  } else {
    return false;
  }
  *code = sv();
  if (i < t.size() && t[i] == '[') {
    size_t close = t.find(']', i);
    if (close == sv::npos || close - i > 64) return false;
    *code = t.substr(i + 1, close - i - 1);
    i = close + 1;
  }
  if (i + 1 >= t.size() || t[i] != ':' || t[i + 1] != ' ') return false;
  *msg = t.substr(i + 2);
  return true;
}

// "   Compiling foo v0.1.0 (/path)", "    Checking foo v0.1.0", ...
bool IsCargoStatus(sv t) {
  sv s = TrimLeft(t);
  if (s.size() == t.size()) return false;
  for (sv verb : {sv("Compiling "), sv("Checking "), sv("Finished "), sv("Running "),
                  sv("Doc-tests "), sv("Fresh "), sv("Documenting ")}) {
    if (StartsWith(s, verb)) {
      if (verb == "Finished " || verb == "Running " || verb == "Doc-tests ") return true;
      size_t v = s.find(" v", verb.size());
      return v != sv::npos && v + 2 < s.size() && IsDigit(s[v + 2]);
    }
  }
  return false;
}

// Summary lines that carry no diagnostic of their own.
bool IsSummaryMessage(sv msg) {
  if (StartsWith(msg, "aborting due to") || StartsWith(msg, "test failed, to rerun pass") ||
      StartsWith(msg, "build failed")) {
    return true;
  }
  // "2 warnings emitted", "1 warning emitted", "2 targets failed:"
  if (!msg.empty() && IsDigit(msg[0]) &&
      (EndsWith(msg, " emitted") || EndsWith(msg, "targets failed:") ||
       EndsWith(msg, "target failed:"))) {
    return true;
  }
  // "`bar` (lib) generated 2 warnings (run `cargo fix ...`)"
  return !msg.empty() && msg[0] == '`' && msg.find(") generated ") != sv::npos;
}

// A line inside a diagnostic: " --> ...", "  |", "7 |     code", "  = note: ...", "help: ...".
bool IsDiagBody(sv t) {
  if (t.empty()) return false;
  char c = t[0];
  if (c == ' ' || c == '\t' || c == '|' || c == '=') return true;
  if (IsDigit(c)) {
    size_t i = 0;
    while (i < t.size() && IsDigit(t[i])) ++i;
    while (i < t.size() && t[i] == ' ') ++i;
    return i < t.size() &&
           (t[i] == '|' || t[i] == '-' || t[i] == '+' || t[i] == '~');  // "2 -", "2 +": suggestions
  }
  return StartsWith(t, "help: ") || StartsWith(t, "note: ") || StartsWith(t, "suggestion: ") ||
         StartsWith(t, "help:") || StartsWith(t, "...");
}

// "`#[warn(unused_variables)]` ..." -> "unused_variables"
sv LintFromNote(sv note) {
  for (sv attr : {sv("#[warn("), sv("#[deny("), sv("#[forbid("), sv("#![warn("), sv("#![deny(")}) {
    size_t p = note.find(attr);
    if (p == sv::npos) continue;
    size_t b = p + attr.size();
    size_t e = note.find(')', b);
    if (e == sv::npos) return sv();
    return note.substr(b, e - b);
  }
  return sv();
}

// "thread 'x' (123) panicked at src/lib.rs:14:9:" (new) or
// "thread 'x' panicked at 'msg', src/lib.rs:14:9" (before Rust 1.73).
bool ParsePanic(sv t, sv* thread, ColonLoc* loc, sv* inline_msg) {
  if (!StartsWith(t, "thread '")) return false;
  size_t q = t.find('\'', 8);
  if (q == sv::npos) return false;
  *thread = t.substr(8, q - 8);
  size_t at = t.find(" panicked at ", q);
  if (at == sv::npos) return false;
  sv rest = t.substr(at + 13);
  *inline_msg = sv();
  if (!rest.empty() && rest[0] == '\'') {
    size_t end = rest.rfind("', ");
    if (end == sv::npos) return false;
    *inline_msg = rest.substr(1, end - 1);
    rest = rest.substr(end + 3);
  }
  if (!rest.empty() && rest.back() == ':') rest.remove_suffix(1);
  *loc = ColonLoc();
  ParseColonLocNoTrailer(rest, loc);
  return true;
}

class RustParser final : public ToolParser {
 public:
  std::string_view name() const override { return kTool; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    switch (mode_) {
      case Mode::kDiag:
        if (t.empty()) {
          pending_.Emit(sink);
          mode_ = Mode::kNone;
          return true;
        }
        if (IsDiagBody(t)) {
          OnDiagBody(t);
          pending_.Add(line);
          return true;
        }
        pending_.Emit(sink);
        mode_ = Mode::kNone;
        break;
      case Mode::kTestBody:
        if (IsTestHeader(t) || t == "failures:" || StartsWith(t, "test result: ")) {
          pending_.Emit(sink);
          mode_ = Mode::kNone;
          break;
        }
        OnTestBody(t);
        pending_.Add(line);
        return true;
      case Mode::kPanic:
        if (want_message_ && !IsBlank(t)) {
          SetPanicMessage(t);
          pending_.Add(line);
          return true;
        }
        if (StartsWith(t, "note: ") || StartsWith(t, "stack backtrace:") ||
            (!t.empty() && IsSpace(t[0]))) {
          pending_.Add(line);
          return true;
        }
        pending_.Emit(sink);
        mode_ = Mode::kNone;
        break;
      case Mode::kFailureList:
        if (!t.empty() && IsSpace(t[0])) return true;
        mode_ = Mode::kNone;
        if (t.empty()) return true;
        break;
      case Mode::kNone:
        break;
    }
    return Start(line, sink);
  }

  void Flush(EventSink& sink) override {
    pending_.Emit(sink);
    mode_ = Mode::kNone;
  }

 private:
  enum class Mode { kNone, kDiag, kTestBody, kPanic, kFailureList };

  static bool IsTestHeader(sv t) { return StartsWith(t, "---- ") && EndsWith(t, " stdout ----"); }

  bool Start(const Line& line, EventSink& sink) {
    sv t = line.text;
    if (t.empty()) return false;
    switch (t[0]) {
      case 'e':
      case 'w': {
        Severity sev;
        sv code, msg;
        if (!ParseHeader(t, &sev, &code, &msg)) return false;
        if (!code.empty()) {
          rust_seen_ = true;
          BeginDiag(line, sev, code, msg);
          return true;
        }
        if (StartsWith(msg, "could not compile `")) {
          rust_seen_ = true;
          sink.OnEvent(MakeEvent(sev, "", 0, 0, msg, line, kTool, "compile", ""));
          return true;
        }
        if (IsSummaryMessage(msg)) {
          if (rust_seen_ || StartsWith(msg, "aborting due to")) {
            rust_seen_ = true;
            return true;
          }
          return false;
        }
        if (rust_seen_) {
          BeginDiag(line, sev, code, msg);
          return true;
        }
        lookback_.Set(line);  // maybe rustc: decided by the next line (" --> x.rs:1:2")
        return false;
      }
      case ' ': {
        if (IsCargoStatus(t)) {
          rust_seen_ = true;
          return false;
        }
        sv s = TrimLeft(t);
        if (StartsWith(s, "--> ") && lookback_.Precedes(line)) {
          ColonLoc loc;
          if (!ParseColonLocNoTrailer(s.substr(4), &loc) || !EndsWith(loc.file, ".rs"))
            return false;
          Severity sev;
          sv code, msg;
          std::string header(lookback_.text());
          if (!ParseHeader(header, &sev, &code, &msg)) return false;
          rust_seen_ = true;
          BeginDiag(line, sev, code, msg);
          pending_.PrependLine(header, lookback_.number());
          OnDiagBody(t);
          lookback_.Clear();
          return true;
        }
        return false;
      }
      case '-':
        if (IsTestHeader(t)) {
          rust_seen_ = true;
          test_name_.assign(t.substr(5, t.size() - 5 - 12));
          Event e = MakeEvent(Severity::kError, "", 0, 0, test_name_ + " failed", line, kTool,
                              "test", "");
          pending_.Begin(std::move(e));
          mode_ = Mode::kTestBody;
          want_message_ = false;
          return true;
        }
        return false;
      case 't': {
        sv thread, inline_msg;
        ColonLoc loc;
        if (ParsePanic(t, &thread, &loc, &inline_msg)) {
          Event e = MakeEvent(Severity::kError, loc.file, loc.line, loc.column, "", line, kTool,
                              "runtime", "");
          e.message = "thread '" + std::string(thread) + "' panicked";
          pending_.Begin(std::move(e));
          mode_ = Mode::kPanic;
          want_message_ = inline_msg.empty();
          if (!inline_msg.empty()) SetPanicMessage(inline_msg);
          return true;
        }
        if (StartsWith(t, "test result: ")) return true;
        if (rust_seen_ && StartsWith(t, "test ") && t.find(" ... ") != sv::npos) return true;
        return false;
      }
      case 'r':
        if (StartsWith(t, "running ") && t.size() > 8 && IsDigit(t[8]) &&
            (EndsWith(t, " test") || EndsWith(t, " tests"))) {
          rust_seen_ = true;
          return true;
        }
        return false;
      case 'f':
        if (rust_seen_ && t == "failures:") {
          mode_ = Mode::kFailureList;
          return true;
        }
        return false;
      case 'F':
        return StartsWith(t, "For more information about this error, try `rustc --explain") ||
               StartsWith(t, "For more information about an error, try `rustc --explain");
      case 'S':
        return StartsWith(t, "Some errors have detailed explanations: ");
      default:
        return false;
    }
  }

  void BeginDiag(const Line& line, Severity sev, sv code, sv msg) {
    pending_.Begin(MakeEvent(sev, "", 0, 0, msg, line, kTool, "compile", code));
    mode_ = Mode::kDiag;
  }

  void OnDiagBody(sv t) {
    Event& e = pending_.event();
    sv s = TrimLeft(t);
    if (e.file_path.empty() && StartsWith(s, "--> ")) {
      ColonLoc loc;
      if (ParseColonLocNoTrailer(s.substr(4), &loc)) {
        e.file_path.assign(loc.file);
        e.line_number = loc.line;
        e.column_number = loc.column;
      }
      return;
    }
    if (e.error_code.empty() && (StartsWith(s, "= note: ") || StartsWith(s, "note: "))) {
      sv lint = LintFromNote(s);
      if (!lint.empty()) {
        e.error_code.assign(lint);
        if (StartsWith(lint, "clippy::")) e.category = "lint";
      }
    }
  }

  void OnTestBody(sv t) {
    Event& e = pending_.event();
    if (want_message_) {
      if (!IsBlank(t)) {
        e.message = test_name_ + ": " + std::string(Trim(t));
        want_message_ = false;
      }
      return;
    }
    sv thread, inline_msg;
    ColonLoc loc;
    if (e.file_path.empty() && ParsePanic(t, &thread, &loc, &inline_msg)) {
      e.file_path.assign(loc.file);
      e.line_number = loc.line;
      e.column_number = loc.column;
      if (inline_msg.empty()) {
        want_message_ = true;
      } else {
        e.message = test_name_ + ": " + std::string(inline_msg);
      }
    }
  }

  void SetPanicMessage(sv msg) {
    Event& e = pending_.event();
    e.message.assign(Trim(msg));
    want_message_ = false;
  }

  Mode mode_ = Mode::kNone;
  PendingEvent pending_;
  Lookback lookback_;
  bool rust_seen_ = false;
  bool want_message_ = false;
  std::string test_name_;
};

}  // namespace

std::unique_ptr<ToolParser> MakeRustParser() { return std::make_unique<RustParser>(); }

}  // namespace lq::logs

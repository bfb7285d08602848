// JVM build tools: javac, Maven (compiler plugin + Surefire), Gradle, kotlinc.
//
// javac (also inside Gradle task output):
//   Main.java:6: error: cannot find symbol            <- header (".java" + ":LINE: error|warning:
//   ")
//           foo();                                    <- source line
//           ^                                         <- caret: column = its offset + 1
//     symbol:   method foo()                          <- details; "symbol:" is appended to the
//     location: class Main                               message: "cannot find symbol: method
//     foo()"
//   Main.java:7: warning: [rawtypes] found raw type   <- "[rawtypes]" becomes the error_code
//   3 errors                                          <- summary, claimed without event
// Maven ("[ERROR]"/"[WARNING]", or "Error:  "/"Warning:  " as GitHub Actions shows them):
//   [ERROR] /p/src/main/java/A.java:[5,17] incompatible types: String cannot be converted to int
//   [ERROR] Failed to execute goal org.apache...:compile (default-compile) on project demo: ...
//   [ERROR] com.a.ATest.fails  Time elapsed: 1.016 s  <<< FAILURE!       <- Surefire test failure;
//   java.lang.AssertionError: Always fails                                 the exception line is
//   the 	at com.a.ATest.fails(ATest.java:34)                                  message, the first
//   frame
//                                                                          of the test class the
//                                                                          place
//   The build summary repeats compiler errors after "Failed to execute goal": those repeats and the
//   "Results:" section are claimed without events. Other "[ERROR] ..." lines (plugin resolution,
//   ...) are events of category "build"; boilerplate ("To see the full stack trace", "[Help 1]",
//   ...) is claimed without event. "[WARNING]" lines without a location are left alone.
// Gradle:
//   * What went wrong:                                <- one event: "Execution failed for task
//   Execution failed for task ':compileJava'.            ':compileJava'. Compilation failed; see
//   > Compilation failed; see the compiler error ...     the compiler error output for details."
//   * Where:  Build file '/p/build.gradle' line: 12   <- gives that event a location
//   ATest > testX() FAILED                            <- test failure, indented exception and
//   frames
//   "> Task :compileJava FAILED", "FAILURE: ...", "BUILD FAILED in 2s": claimed without events.
// kotlinc (through Gradle or Maven):
//   e: file:///p/src/A.kt:3:5 Unresolved reference: foo     ("file://" is dropped from the path)
//   w: /p/src/A.kt: (3, 5): Parameter 'x' is never used     (Kotlin < 1.8)
//   src/A.kt:3:5: error: unresolved reference: foo          (kotlinc on the command line)
#include <set>
#include <string>

#include "logs/language_parsers.h"

namespace lq::logs {
namespace {

using namespace lang;

bool IsJavaFile(sv f) { return EndsWith(f, ".java"); }
bool IsKotlinFile(sv f) { return EndsWith(f, ".kt") || EndsWith(f, ".kts"); }

// "error: msg" / "warning: msg" at s[0]
bool SeverityPrefix(sv s, Severity* sev, sv* msg) {
  if (StartsWith(s, "error: ")) {
    *sev = Severity::kError;
    *msg = s.substr(7);
  } else if (StartsWith(s, "warning: ")) {
    *sev = Severity::kWarning;
    *msg = s.substr(9);
  } else {
    return false;
  }
  return true;
}

// "[rawtypes] found raw type: List" -> code "rawtypes", message "found raw type: List"
void SplitLintTag(sv* msg, sv* code) {
  *code = sv();
  if (msg->size() > 3 && (*msg)[0] == '[') {
    size_t close = msg->find("] ");
    if (close != sv::npos && close < 40) {
      *code = msg->substr(1, close - 1);
      *msg = msg->substr(close + 2);
    }
  }
}

// A javac-style block: header, source line, caret, indented details.
class JavacBlock {
 public:
  bool open() const { return pending_.open(); }
  // `expect_source`: javac prints the source line after the header (Maven does not).
  void Begin(Event e, bool expect_source = true) {
    pending_.Begin(std::move(e));
    expect_source_ = expect_source;
    source_indent_ = 0;
  }
  // For javac proper; `prefix_len` skips Maven's "[ERROR] " before detail lines.
  bool Continue(const Line& line, size_t prefix_len = 0) {
    sv t = line.text;
    if (expect_source_) {
      expect_source_ = false;
      if (prefix_len == 0) {
        pending_.Add(line);
        return true;
      }
    }
    sv body = t.size() >= prefix_len ? t.substr(prefix_len) : sv();
    size_t ind = Indent(body);
    if (ind == 0 || ind >= body.size()) return false;
    Event& e = pending_.event();
    if (body[ind] == '^' && e.column_number == 0 && prefix_len == 0) {
      e.column_number = static_cast<int64_t>(ind) + 1;
    } else if (StartsWith(body.substr(ind), "symbol:") && !symbol_added_) {
      e.message += ": " + std::string(Trim(body.substr(ind + 7)));
      symbol_added_ = true;
    }
    pending_.Add(line);
    return true;
  }
  void Emit(EventSink& sink) {
    symbol_added_ = false;
    pending_.Emit(sink);
  }
  PendingEvent& pending() { return pending_; }

 private:
  PendingEvent pending_;
  bool expect_source_ = false;
  bool symbol_added_ = false;
  size_t source_indent_ = 0;
};

// ---------------------------------------------------------------- javac

class JavacParser final : public ToolParser {
 public:
  explicit JavacParser(ScanPtr scan) : scan_(std::move(scan)) {}
  std::string_view name() const override { return "javac"; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    if (block_.open()) {
      if (block_.Continue(line)) return true;
      block_.Emit(sink);
    }
    if (t.size() < 8) return false;
    if (seen_ && IsDigit(t[0]) &&
        (EndsWith(t, " error") || EndsWith(t, " errors") || EndsWith(t, " warning") ||
         EndsWith(t, " warnings"))) {
      return true;  // "3 errors"
    }
    if (t[0] == 'N' && StartsWith(t, "Note: ") &&
        (t.find(".java uses ") != sv::npos || StartsWith(t, "Note: Recompile with") ||
         StartsWith(t, "Note: Some input files"))) {
      return true;
    }
    const LineScan& scan = scan_->Of(line);
    const ColonLoc& loc = scan.loc;
    if (!scan.loc_ok || loc.column != 0 || !IsJavaFile(loc.file)) return false;
    sv rest = t.substr(loc.rest);
    Severity sev;
    sv msg, code;
    if (rest.empty() || rest[0] != ' ' || !SeverityPrefix(rest.substr(1), &sev, &msg)) return false;
    SplitLintTag(&msg, &code);
    seen_ = true;
    block_.Begin(MakeEvent(sev, loc.file, loc.line, 0, msg, line, "javac", "compile", code));
    return true;
  }

  void Flush(EventSink& sink) override { block_.Emit(sink); }

 private:
  ScanPtr scan_;
  JavacBlock block_;
  bool seen_ = false;
};

// ---------------------------------------------------------------- Maven

class MavenParser final : public ToolParser {
 public:
  std::string_view name() const override { return "maven"; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    if (mode_ == Mode::kCompile) {
      // Detail lines: "  symbol:   method foo()" as javac printed them, or "[ERROR]   symbol: ..."
      size_t prefix = ErrorPrefix(t);
      if ((prefix > 0 || StartsWith(t, "  ")) && block_.Continue(line, prefix)) return true;
      block_.Emit(sink);
      mode_ = Mode::kNone;
    } else if (mode_ == Mode::kTest) {
      if (FeedTestBody(line)) return true;
      EmitTest(sink);
    }
    if (t.size() < 8) return false;
    Severity sev;
    size_t prefix = Prefix(t, &sev);
    if (prefix == 0) {
      if (t[0] == '[' && StartsWith(t, "[INFO] ")) {
        sv info = t.substr(7);
        if (StartsWith(info, "Results:")) in_results_ = true;
      }
      return false;
    }
    sv body = t.substr(prefix);
    // "/p/A.java:[5,17] msg"
    ColonLoc loc;
    sv msg, code;
    if (ParseBracketLoc(body, &loc, &msg)) {
      SplitLintTag(&msg, &code);
      std::string key = std::string(loc.file) + ":" + std::to_string(loc.line) + ":" +
                        std::to_string(loc.column) + ":" + std::string(msg);
      if (!emitted_.insert(key).second) {
        skip_details_ = true;
        return true;  // the build summary repeats the compiler's errors
      }
      block_.Begin(
          MakeEvent(sev, loc.file, loc.line, loc.column, msg, line, "maven", "compile", code),
          /*expect_source=*/false);
      mode_ = Mode::kCompile;
      return true;
    }
    if (sev == Severity::kWarning) {
      if (in_results_ && StartsWith(body, "Tests run:")) in_results_ = false;
      return false;
    }
    if (skip_details_ && StartsWith(body, "  "))
      return true;  // "symbol:" lines of a repeated error
    skip_details_ = false;
    if (IsBoilerplate(body)) return true;
    if (StartsWith(body, "Tests run:")) {
      in_results_ = false;  // per-class line or the final summary
      return true;
    }
    if (in_results_) return true;  // "Failures:", "  ATest.testX:10 expected..." (repeats)
    if (body.find("<<< FAILURE!") != sv::npos || body.find("<<< ERROR!") != sv::npos) {
      BeginTest(line, body);
      return true;
    }
    if (StartsWith(body, "Failed to execute goal ")) {
      if (EndsWith(body, " -> [Help 1]")) body.remove_suffix(12);
      sink.OnEvent(MakeEvent(Severity::kError, "", 0, 0, body, line, "maven", "build", ""));
      return true;
    }
    if (EndsWith(body, " -> [Help 1]")) body.remove_suffix(12);
    sink.OnEvent(MakeEvent(Severity::kError, "", 0, 0, body, line, "maven", "build", ""));
    return true;
  }

  void Flush(EventSink& sink) override {
    block_.Emit(sink);
    EmitTest(sink);
    mode_ = Mode::kNone;
  }

 private:
  enum class Mode { kNone, kCompile, kTest };

  // "[ERROR] " / "Error:  " / "[WARNING] " / "Warning:  "; 0 if none.
  static size_t Prefix(sv t, Severity* sev) {
    if (t[0] == '[') {
      if (StartsWith(t, "[ERROR] ")) {
        *sev = Severity::kError;
        return 8;
      }
      if (StartsWith(t, "[WARNING] ")) {
        *sev = Severity::kWarning;
        return 10;
      }
      return 0;
    }
    if (StartsWith(t, "Error:  ")) {
      *sev = Severity::kError;
      return 8;
    }
    if (StartsWith(t, "Warning:  ")) {
      *sev = Severity::kWarning;
      return 10;
    }
    return 0;
  }
  static size_t ErrorPrefix(sv t) {
    Severity sev;
    return t.empty() ? 0 : Prefix(t, &sev);
  }

  // "/p/A.java:[5,17] msg" (also "[5]" without column)
  static bool ParseBracketLoc(sv s, ColonLoc* loc, sv* msg) {
    size_t p = s.find(":[");
    if (p == sv::npos || p == 0) return false;
    size_t i = p + 2;
    int64_t l = 0, c = 0;
    if (!ReadUint(s, &i, &l)) return false;
    if (i < s.size() && s[i] == ',') {
      ++i;
      if (!ReadUint(s, &i, &c)) return false;
    }
    if (s.substr(i, 2) != "] ") return false;
    loc->file = s.substr(0, p);
    loc->line = l;
    loc->column = c;
    *msg = s.substr(i + 2);
    return true;
  }

  static bool IsBoilerplate(sv b) {
    if (Trim(b).empty()) return true;
    for (sv p : {sv("To see the full stack trace"), sv("Re-run Maven using"),
                 sv("For more information about the errors"), sv("[Help "),
                 sv("After correcting the problems"), sv("  mvn <args>"), sv("-> [Help"),
                 sv("Please refer to "), sv("COMPILATION ERROR"), sv("BUILD FAILURE"),
                 sv("Failures:"), sv("Errors:"), sv("Crashed tests:")}) {
      if (StartsWith(b, p)) return true;
    }
    return false;
  }

  // "com.a.ATest.fails  Time elapsed: 1.016 s  <<< FAILURE!" or "testX(com.a.ATest)  Time elapsed:
  // ..."
  void BeginTest(const Line& line, sv body) {
    size_t gap = body.find("  ");
    sv name = body.substr(0, gap);
    test_name_.assign(name);
    // Class to look for in the stack: "com.a.ATest" of "com.a.ATest.fails" / "fails(com.a.ATest)".
    size_t open = name.find('(');
    if (open != sv::npos && name.back() == ')') {
      test_class_.assign(name.substr(open + 1, name.size() - open - 2));
    } else {
      size_t dot = name.rfind('.');
      test_class_.assign(dot == sv::npos ? name : name.substr(0, dot));
    }
    test_.Begin(
        MakeEvent(Severity::kError, "", 0, 0, test_name_ + " failed", line, "maven", "test", ""));
    want_message_ = true;
    mode_ = Mode::kTest;
  }

  bool FeedTestBody(const Line& line) {
    sv t = line.text;
    if (t.empty()) return false;
    if (t[0] == '[' || StartsWith(t, "Error:  ") || StartsWith(t, "Warning:  ")) return false;
    Event& e = test_.event();
    sv s = TrimLeft(t);
    if (StartsWith(s, "at ")) {
      // "at com.a.ATest.fails(ATest.java:34)"
      if (e.file_path.empty() && StartsWith(s.substr(3), test_class_ + ".")) {
        size_t open = s.rfind('(');
        ColonLoc loc;
        if (open != sv::npos && ParseColonLocNoTrailer(s.substr(open + 1), &loc)) {
          e.file_path.assign(loc.file);
          e.line_number = loc.line;
        }
      }
    } else if (want_message_) {
      e.message = test_name_ + ": " + std::string(Trim(t));
      want_message_ = false;
    }
    test_.Add(line);
    return true;
  }

  void EmitTest(EventSink& sink) {
    if (mode_ == Mode::kTest) mode_ = Mode::kNone;
    test_.Emit(sink);
  }

  Mode mode_ = Mode::kNone;
  JavacBlock block_;
  PendingEvent test_;
  std::string test_name_;
  std::string test_class_;
  bool want_message_ = false;
  bool in_results_ = false;
  bool skip_details_ = false;
  std::set<std::string> emitted_;
};

// ---------------------------------------------------------------- Gradle

class GradleParser final : public ToolParser {
 public:
  std::string_view name() const override { return "gradle"; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    switch (mode_) {
      case Mode::kWhere:
        if (!t.empty() && t[0] != '*') {
          ParseWhere(t);
          return true;
        }
        mode_ = Mode::kNone;
        break;
      case Mode::kWrong:
        if (t.empty() || t[0] != '*') {
          OnWrong(line);
          return true;
        }
        Emit(sink);
        break;
      case Mode::kTry:
        if (!t.empty() && (t[0] == '>' || StartsWith(t, "Run with "))) return true;
        mode_ = Mode::kNone;
        if (t.empty()) return true;
        break;
      case Mode::kTest:
        if (!t.empty() && IsSpace(t[0])) {
          OnTestBody(line);
          return true;
        }
        Emit(sink);
        break;
      case Mode::kNone:
        break;
    }
    if (t.size() < 6) return false;
    switch (t[0]) {
      case '>':
        return StartsWith(t, "> Task :") && EndsWith(t, " FAILED");
      case '*':
        if (t == "* What went wrong:") {
          Emit(sink);
          pending_.Begin(MakeEvent(Severity::kError, where_file_, where_line_, 0, "", line,
                                   "gradle", "build", ""));
          where_file_.clear();
          where_line_ = 0;
          mode_ = Mode::kWrong;
          return true;
        }
        if (t == "* Where:") {
          mode_ = Mode::kWhere;
          return true;
        }
        if (t == "* Try:") {
          mode_ = Mode::kTry;
          return true;
        }
        return seen_ && (StartsWith(t, "* Get more help") || StartsWith(t, "* Exception is:"));
      case 'F':
        if (StartsWith(t, "FAILURE: Build ")) {
          seen_ = true;
          return true;
        }
        return false;
      case 'B':
        return StartsWith(t, "BUILD FAILED");
      default:
        break;
    }
    // "ATest > testX() FAILED"
    if (t[0] != ' ' && EndsWith(t, " FAILED") && t.find(" > ") != sv::npos) {
      sv name = t.substr(0, t.size() - 7);
      test_name_.assign(name);
      size_t gt = name.find(" > ");
      test_class_.assign(name.substr(0, gt));
      pending_.Begin(MakeEvent(Severity::kError, "", 0, 0, test_name_ + " failed", line, "gradle",
                               "test", ""));
      want_message_ = true;
      mode_ = Mode::kTest;
      return true;
    }
    if (seen_ && IsDigit(t[0]) && t.find(" tests completed, ") != sv::npos) return true;
    return false;
  }

  void Flush(EventSink& sink) override { Emit(sink); }

 private:
  enum class Mode { kNone, kWhere, kWrong, kTry, kTest };

  void Emit(EventSink& sink) {
    pending_.Emit(sink);
    mode_ = Mode::kNone;
  }

  // "Build file '/p/build.gradle' line: 12"
  void ParseWhere(sv t) {
    size_t q1 = t.find('\'');
    size_t q2 = q1 == sv::npos ? sv::npos : t.find('\'', q1 + 1);
    if (q2 == sv::npos) return;
    where_file_.assign(t.substr(q1 + 1, q2 - q1 - 1));
    size_t l = t.find(" line: ", q2);
    where_line_ = 0;
    if (l != sv::npos) ParseUint(Trim(t.substr(l + 7)), &where_line_);
  }

  void OnWrong(const Line& line) {
    Event& e = pending_.event();
    sv s = Trim(line.text);
    if (!s.empty()) {
      if (e.message.empty()) {
        e.message.assign(s);
      } else if (!cause_added_ && s[0] == '>') {
        e.message += " " + std::string(Trim(s.substr(1)));
        cause_added_ = true;
      }
    }
    pending_.Add(line);
    seen_ = true;
  }

  void OnTestBody(const Line& line) {
    Event& e = pending_.event();
    sv s = TrimLeft(line.text);
    if (StartsWith(s, "at ")) {
      // "at app//com.a.ATest.testX(ATest.java:10)" — the first frame in the test's class.
      size_t open = s.rfind('(');
      sv frame = s.substr(3, open == sv::npos ? sv::npos : open - 3);
      size_t slash = frame.rfind('/');
      if (slash != sv::npos) frame = frame.substr(slash + 1);
      sv cls = test_class_;
      size_t dot = cls.rfind('.');
      sv simple = dot == sv::npos ? cls : cls.substr(dot + 1);
      if (e.file_path.empty() && open != sv::npos && frame.find(simple) != sv::npos) {
        ColonLoc loc;
        if (ParseColonLocNoTrailer(s.substr(open + 1), &loc)) {
          e.file_path.assign(loc.file);
          e.line_number = loc.line;
        }
      }
    } else if (want_message_ && !s.empty()) {
      e.message = test_name_ + ": " + std::string(Trim(s));
      want_message_ = false;
    }
    pending_.Add(line);
  }

  Mode mode_ = Mode::kNone;
  PendingEvent pending_;
  bool seen_ = false;
  bool cause_added_ = false;
  bool want_message_ = false;
  std::string where_file_;
  int64_t where_line_ = 0;
  std::string test_name_;
  std::string test_class_;
};

// ---------------------------------------------------------------- kotlinc

class KotlinParser final : public ToolParser {
 public:
  explicit KotlinParser(ScanPtr scan) : scan_(std::move(scan)) {}
  std::string_view name() const override { return "kotlinc"; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    if (block_.open()) {
      if (block_.Continue(line)) return true;
      block_.Emit(sink);
    }
    if (t.size() < 8) return false;
    Severity sev;
    if ((t[0] == 'e' || t[0] == 'w') && t[1] == ':' && t[2] == ' ') {
      sev = t[0] == 'e' ? Severity::kError : Severity::kWarning;
      sv s = t.substr(3);
      if (StartsWith(s, "file://")) s.remove_prefix(7);
      if (s.size() > 3 && s[0] == '/' && IsAlpha(s[1]) && s[2] == ':')
        s.remove_prefix(1);  // file:///C:/...
      ColonLoc loc;
      sv msg;
      size_t old = s.find(": (");
      if (old != sv::npos && IsKotlinFile(s.substr(0, old))) {
        // "/p/A.kt: (3, 5): msg"
        size_t i = old + 3;
        int64_t l = 0, c = 0;
        if (!ReadUint(s, &i, &l) || s.substr(i, 2) != ", " || !ReadUint(s, &(i += 2), &c) ||
            s.substr(i, 3) != "): ") {
          return false;
        }
        sink.OnEvent(MakeEvent(sev, s.substr(0, old), l, c, s.substr(i + 3), line, "kotlinc",
                               "compile", ""));
        return true;
      }
      if (!ParseColonLocNoTrailer(s, &loc) || !IsKotlinFile(loc.file) || loc.rest >= s.size())
        return false;
      msg = s.substr(loc.rest);
      if (!msg.empty() && msg[0] == ':') msg.remove_prefix(1);
      sink.OnEvent(
          MakeEvent(sev, loc.file, loc.line, loc.column, msg, line, "kotlinc", "compile", ""));
      return true;
    }
    // "src/A.kt:3:5: error: unresolved reference: foo" + source + caret
    const LineScan& scan = scan_->Of(line);
    const ColonLoc& loc = scan.loc;
    if (!scan.loc_ok || !IsKotlinFile(loc.file)) return false;
    sv rest = t.substr(loc.rest);
    sv msg;
    if (rest.empty() || rest[0] != ' ' || !SeverityPrefix(rest.substr(1), &sev, &msg)) return false;
    block_.Begin(
        MakeEvent(sev, loc.file, loc.line, loc.column, msg, line, "kotlinc", "compile", ""));
    return true;
  }

  void Flush(EventSink& sink) override { block_.Emit(sink); }

 private:
  ScanPtr scan_;
  JavacBlock block_;
};

}  // namespace

std::unique_ptr<ToolParser> MakeJavacParser(ScanPtr scan) {
  return std::make_unique<JavacParser>(std::move(scan));
}
std::unique_ptr<ToolParser> MakeMavenParser() { return std::make_unique<MavenParser>(); }
std::unique_ptr<ToolParser> MakeGradleParser() { return std::make_unique<GradleParser>(); }
std::unique_ptr<ToolParser> MakeKotlinParser(ScanPtr scan) {
  return std::make_unique<KotlinParser>(std::move(scan));
}

}  // namespace lq::logs

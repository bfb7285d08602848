// The go tool: build/vet diagnostics, go test failures, panics.
//
//   # example.com/m                          <- package header (claimed, no event)
//   ./main.go:10:14: undefined: foo           <- category "compile" (tab-indented lines after
//   	have (int)                             <- it belong to it)
//   # [example.com/m]                        <- vet header (Go >= 1.20): following lines "lint"
//   ./x.go:7:2: fmt.Printf format %d has arg s of wrong type string
//   main.go:7:2: ineffectual assignment to x (ineffassign)  <- golangci-lint: code "ineffassign"
//   util.go:20:5: SA4006: this value of err is never used (staticcheck)   <- code "SA4006"
//
//   --- FAIL: TestAdd (0.00s)                 <- one "test" event per failing leaf test:
//       main_test.go:7: Add(2, 2) = 4; want 5     message "TestAdd: Add(2, 2) = 4; want 5"
//   === RUN / --- FAIL (go test -v)           <- output printed before "--- FAIL" is used too
//   FAIL	example.com/m	0.005s               <- an event only when no failure was reported
//                                                for the package ("example.com/m: tests failed")
//   panic: runtime error: index out of range [3] with length 0    <- "runtime" (or the test's
//   goroutine 1 [running]:                                            event when in a test);
//   main.main()                                                       location: first frame
//   	/tmp/m/main.go:9 +0x75                                         outside runtime/testing
//
// A vet diagnostic is told from a compile error by the "# [pkg]" header of newer Go versions
// or by its message (printf/misuse checks); with Go < 1.20 and an unknown analyzer it is
// reported as "compile".
#include <string>
#include <vector>

#include "logs/language_parsers.h"

namespace lq::logs {
namespace {

using namespace lang;

constexpr sv kTool = "go";

bool IsVetMessage(sv m) {
  for (sv needle :
       {sv(" format %"), sv("printf verb"), sv("possible formatting directive"),
        sv("call has arguments but no formatting directives"), sv("possible misuse of "),
        sv("unreachable code"), sv("self-assignment of "), sv("struct field tag "),
        sv("the cancel function"), sv("composite literal uses unkeyed fields"),
        sv("passes lock by value"), sv("copies lock"), sv("lock by value"),
        sv("suspicious assignment"), sv("should have signature "), sv("loop variable "),
        sv("format reads arg"), sv("is not used"), sv("Println call has possible")}) {
    if (m.find(needle) != sv::npos) return true;
  }
  return false;
}

// "main.go:7:2: msg (linter)" or "(SA4006)": golangci-lint / staticcheck suffix.
sv LinterSuffix(sv m) {
  if (m.size() < 4 || m.back() != ')') return sv();
  size_t open = m.rfind('(');
  if (open == sv::npos || open == 0 || m[open - 1] != ' ') return sv();
  sv name = m.substr(open + 1, m.size() - open - 2);
  if (name.empty() || name.size() > 40) return sv();
  bool lower = true, code = CodeLength(name, 0, 2) == name.size();
  for (char c : name) {
    if (!IsLower(c) && !IsDigit(c) && c != '-' && c != '_') lower = false;
  }
  return lower || code ? name : sv();
}

// "--- FAIL: TestX (0.00s)" at any indentation.
bool ParseResultHeader(sv t, sv* verdict, sv* name, size_t* indent) {
  size_t i = Indent(t);
  sv s = t.substr(i);
  if (!StartsWith(s, "--- ")) return false;
  size_t colon = s.find(": ", 4);
  if (colon == sv::npos || colon > 10) return false;
  *verdict = s.substr(4, colon - 4);
  if (*verdict != "FAIL" && *verdict != "PASS" && *verdict != "SKIP") return false;
  sv rest = s.substr(colon + 2);
  size_t sp = rest.find(" (");
  *name = rest.substr(0, sp);
  *indent = i;
  return !name->empty();
}

// "    main_test.go:7: message" (test log output).
bool ParseTestOutput(sv t, ColonLoc* loc, sv* msg) {
  sv s = TrimLeft(t);
  if (!ParseColonLoc(s, loc) || loc->column != 0 || !EndsWith(loc->file, ".go")) return false;
  *msg = Trim(s.substr(loc->rest));
  return true;
}

class GoParser final : public ToolParser {
 public:
  explicit GoParser(ScanPtr scan) : scan_(std::move(scan)) {}
  std::string_view name() const override { return kTool; }

  bool Feed(const Line& line, EventSink& sink) override {
    bool mine = FeedLine(line, sink);
    if (mine) last_claimed_ = line.number;
    return mine;
  }

  void Flush(EventSink& sink) override { Emit(sink); }

 private:
  enum class Mode { kNone, kDiag, kTest, kPanic };

  bool FeedLine(const Line& line, EventSink& sink) {
    sv t = line.text;
    switch (mode_) {
      case Mode::kDiag:
        if (!t.empty() && t[0] == '\t') {
          pending_.Add(line);
          return true;
        }
        Emit(sink);
        break;
      case Mode::kTest:
        if (FeedTest(line, sink)) return true;
        break;
      case Mode::kPanic:
        if (FeedPanic(line, sink)) return true;
        break;
      case Mode::kNone:
        break;
    }
    return Start(line, sink);
  }

  struct Buffered {  // go test -v output of a test, printed before its "--- FAIL"
    std::string test;
    std::string file;
    int64_t line = 0;
    std::string message;
    std::string raw;
    int64_t start = 0;
  };

  void Emit(EventSink& sink) {
    if (pending_.open()) {
      if (pending_.event().severity == Severity::kError) ++failures_since_package_;
      pending_.Emit(sink);
    }
    mode_ = Mode::kNone;
  }

  bool Start(const Line& line, EventSink& sink) {
    sv t = line.text;
    if (t.empty()) return false;
    sv verdict, name;
    size_t indent;
    switch (t[0]) {
      case '=':
        if (StartsWith(t, "=== RUN ") || StartsWith(t, "=== CONT ") || StartsWith(t, "=== NAME ") ||
            StartsWith(t, "=== PAUSE ")) {
          go_test_seen_ = go_seen_ = true;
          current_test_.assign(Trim(t.substr(t.find(' ', 4))));
          return true;
        }
        return false;
      case '-':
      case ' ':
        if (ParseResultHeader(t, &verdict, &name, &indent)) {
          go_test_seen_ = go_seen_ = true;
          if (verdict == "FAIL") BeginTest(line, name, indent);
          return true;
        }
        // go test -v output of the running test: only right after other go test lines.
        if (t[0] == ' ' && go_test_seen_ && !current_test_.empty() &&
            last_claimed_ + 1 == line.number) {
          BufferOutput(line);
          return true;
        }
        return false;
      case 'p':
        if (StartsWith(t, "panic: ")) {
          pending_.Begin(
              MakeEvent(Severity::kError, "", 0, 0, StripRecovered(t), line, kTool, "runtime", ""));
          mode_ = Mode::kPanic;
          last_frame_internal_ = true;
          return true;
        }
        break;
      case 'f':
        if (go_seen_ && StartsWith(t, "fatal error: ")) {
          pending_.Begin(MakeEvent(Severity::kError, "", 0, 0, t, line, kTool, "runtime", ""));
          mode_ = Mode::kPanic;
          last_frame_internal_ = true;
          return true;
        }
        break;
      case '#':
        if (IsPackageHeader(t)) {
          vet_header_ = t.size() > 2 && t[2] == '[';
          go_seen_ = true;
          return true;
        }
        return false;
      case 'F':
        if (StartsWith(t, "FAIL\t")) {
          PackageSummary(line, t.substr(5), sink);
          return true;
        }
        if (t == "FAIL" && go_seen_) return true;
        break;
      case 'o':
        if (StartsWith(t, "ok  \t") || StartsWith(t, "ok\t")) {
          failures_since_package_ = 0;
          current_test_.clear();
          go_seen_ = true;
          return true;
        }
        break;
      case '?':
        if (StartsWith(t, "?   \t")) {
          failures_since_package_ = 0;
          return true;
        }
        return false;
      case 'P':
        if (t == "PASS" && go_seen_) return true;
        break;
      case 'e':
        if (go_seen_ && StartsWith(t, "exit status ")) return true;
        break;
      default:
        break;
    }
    return StartDiagnostic(line, sink);
  }

  static bool IsPackageHeader(sv t) {
    if (!StartsWith(t, "# ") || t.size() < 3) return false;
    sv s = t.substr(2);
    size_t sp = s.find(' ');
    if (sp == sv::npos) return true;  // "# example.com/m" or "# [example.com/m]"
    return StartsWith(s.substr(sp), " [") && s.back() == ']';  // "# pkg [pkg.test]"
  }

  bool StartDiagnostic(const Line& line, EventSink& sink) {
    sv t = line.text;
    bool vet_prefix = StartsWith(t, "vet: ");
    ColonLoc loc;
    if (vet_prefix) {
      t.remove_prefix(5);
      if (!ParseColonLoc(t, &loc)) return false;
    } else {
      const LineScan& scan = scan_->Of(line);
      if (!scan.loc_ok) return false;
      loc = scan.loc;
    }
    if (!EndsWith(loc.file, ".go")) return false;
    sv msg = Trim(t.substr(loc.rest));
    go_seen_ = true;
    if (msg == "too many errors") return true;
    Emit(sink);
    sv code = LinterSuffix(msg);
    sv category = "compile";
    if (!code.empty()) {
      msg = TrimRight(msg.substr(0, msg.size() - code.size() - 2));
      category = "lint";
      // staticcheck through golangci-lint: "SA4006: this value of err is never used (staticcheck)"
      size_t n = CodeLength(msg, 0, 2);
      if (n > 0 && msg.substr(n, 2) == ": ") {
        code = msg.substr(0, n);
        msg = msg.substr(n + 2);
      }
    } else if (vet_header_ || vet_prefix || IsVetMessage(msg)) {
      category = "lint";
    }
    pending_.Begin(MakeEvent(Severity::kError, loc.file, loc.line, loc.column, msg, line, kTool,
                             category, code));
    mode_ = Mode::kDiag;
    return true;
  }

  void PackageSummary(const Line& line, sv rest, EventSink& sink) {
    Emit(sink);
    go_seen_ = true;
    current_test_.clear();
    if (failures_since_package_ == 0) {
      sv pkg = rest.substr(0, rest.find_first_of("\t "));
      std::string reason = "tests failed";
      size_t open = rest.find('[');
      if (open != sv::npos && rest.back() == ']')
        reason.assign(rest.substr(open + 1, rest.size() - open - 2));
      std::string msg = std::string(pkg) + ": " + reason;
      sink.OnEvent(MakeEvent(Severity::kError, "", 0, 0, msg, line, kTool, "test", ""));
    }
    failures_since_package_ = 0;
  }

  void BeginTest(const Line& line, sv name, size_t indent) {
    test_name_.assign(name);
    test_indent_ = indent;
    has_message_ = false;
    pending_.Begin(
        MakeEvent(Severity::kError, "", 0, 0, test_name_ + " failed", line, kTool, "test", ""));
    mode_ = Mode::kTest;
    // go test -v: the test's output came before its result line.
    for (size_t i = 0; i < buffered_.size(); ++i) {
      if (buffered_[i].test != test_name_) continue;
      Buffered& b = buffered_[i];
      Event& e = pending_.event();
      e.file_path = b.file;
      e.line_number = b.line;
      e.message = test_name_ + ": " + b.message;
      e.raw_text = b.raw + "\n" + e.raw_text;
      e.log_line_start = b.start;
      has_message_ = true;
      buffered_.erase(buffered_.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }

  void BufferOutput(const Line& line) {
    ColonLoc loc;
    sv msg;
    for (Buffered& b : buffered_) {
      if (b.test == current_test_) {
        if (b.start > 0 && line.number == last_buffered_ + 1) {  // continuation of the message
          b.raw.push_back('\n');
          b.raw.append(line.text);
          last_buffered_ = line.number;
        }
        return;
      }
    }
    if (!ParseTestOutput(line.text, &loc, &msg)) return;
    if (buffered_.size() >= 64) buffered_.erase(buffered_.begin());
    Buffered b;
    b.test = current_test_;
    b.file.assign(loc.file);
    b.line = loc.line;
    b.message.assign(msg);
    b.raw.assign(line.text);
    b.start = line.number;
    buffered_.push_back(std::move(b));
    last_buffered_ = line.number;
  }

  bool FeedTest(const Line& line, EventSink& sink) {
    sv t = line.text;
    sv verdict, name;
    size_t indent;
    if (ParseResultHeader(t, &verdict, &name, &indent)) {
      if (verdict == "FAIL") {
        // A parent whose only failure is its subtest: report the subtest alone.
        bool child = StartsWith(name, test_name_) && name.size() > test_name_.size() &&
                     name[test_name_.size()] == '/';
        if (!has_message_ && child) {
          pending_.Drop();
        } else {
          Emit(sink);
        }
        BeginTest(line, name, indent);
        return true;
      }
      if (indent <= test_indent_) Emit(sink);
      return true;
    }
    if (StartsWith(t, "panic: ")) {
      Event& e = pending_.event();
      if (!has_message_) {
        e.message = test_name_ + ": " + StripRecovered(t);
        has_message_ = true;
      }
      e.category = "test";
      pending_.Add(line);
      mode_ = Mode::kPanic;
      last_frame_internal_ = true;
      return true;
    }
    if (!t.empty() && Indent(t) > test_indent_) {
      ColonLoc loc;
      sv msg;
      if (!has_message_ && ParseTestOutput(t, &loc, &msg)) {
        Event& e = pending_.event();
        e.file_path.assign(loc.file);
        e.line_number = loc.line;
        e.message = test_name_ + ": " + std::string(msg);
        has_message_ = true;
      }
      pending_.Add(line);
      return true;
    }
    Emit(sink);
    return false;
  }

  bool FeedPanic(const Line& line, EventSink& sink) {
    sv t = line.text;
    bool body = false;
    bool last = false;
    if (t.empty() || t[0] == '\t') {
      body = true;
      if (!t.empty()) FrameFile(t);
    } else if (StartsWith(t, "goroutine ") || StartsWith(t, "[signal ") ||
               StartsWith(t, "panic: ") || StartsWith(t, "...additional frames elided...")) {
      body = true;
    } else if (StartsWith(t, "created by ")) {
      body = true;
      last_frame_internal_ = true;
    } else if (StartsWith(t, "exit status ")) {
      body = last = true;
    } else if (t.back() == ')' && t.find('(') != sv::npos && t.find(' ') > t.find('(')) {
      body = true;  // a function frame: "main.main()", "testing.tRunner(0xc0000984e0, 0x52f348)"
      last_frame_internal_ =
          StartsWith(t, "runtime.") || StartsWith(t, "panic(") || StartsWith(t, "testing.");
    }
    if (!body) {
      Emit(sink);
      return false;
    }
    pending_.Add(line);
    if (last) Emit(sink);
    return true;
  }

  // "\t/tmp/m/main.go:9 +0x75": the first frame outside the runtime gives the location.
  void FrameFile(sv t) {
    Event& e = pending_.event();
    if (last_frame_internal_ || !e.file_path.empty()) return;
    sv s = TrimLeft(t);
    ColonLoc loc;
    if (!ParseColonLocNoTrailer(s, &loc) || !EndsWith(loc.file, ".go")) return;
    e.file_path.assign(loc.file);
    e.line_number = loc.line;
  }

  static std::string StripRecovered(sv t) {
    if (EndsWith(t, " [recovered]")) t.remove_suffix(12);
    return std::string(t);
  }

  ScanPtr scan_;
  Mode mode_ = Mode::kNone;
  PendingEvent pending_;
  bool go_seen_ = false;
  bool go_test_seen_ = false;
  bool vet_header_ = false;
  bool has_message_ = false;
  bool last_frame_internal_ = true;
  int failures_since_package_ = 0;
  std::string test_name_;
  size_t test_indent_ = 0;
  std::string current_test_;
  std::vector<Buffered> buffered_;
  int64_t last_buffered_ = -1;
  int64_t last_claimed_ = -2;
};

}  // namespace

std::unique_ptr<ToolParser> MakeGoParser(ScanPtr scan) {
  return std::make_unique<GoParser>(std::move(scan));
}

}  // namespace lq::logs

// CTest's console output.
//
//       Start 2: unit.fail
//   2/6 Test #2: unit.fail ........................***Failed    0.01 sec
//   3/6 Test #3: unit.crash .......................***Exception: SegFault  0.00 sec
//   ...
//   The following tests FAILED:
//   	  2 - unit.fail (Failed)
//   	  3 - unit.crash (SEGFAULT)
//   Errors while running CTest
//
// One event per failed test (from its progress line, or from the FAILED list when the
// progress line was not in the log): file "" (ctest knows no source location), message
// "<name> (<status>)", error_code the status as the FAILED list spells it ("Failed",
// "SEGFAULT", "Timeout", "Not Run", "Subprocess aborted", ...). Skipped and disabled tests
// are not events. CTest's own bookkeeping lines are claimed; the output of the tests
// themselves (--output-on-failure, -V) is left to the other parsers.
#include <unordered_set>

#include "logs/test_parsers.h"

namespace lq::logs {
namespace {

using namespace tp;

class CtestParser final : public ToolParser {
 public:
  std::string_view name() const override { return "ctest"; }

  bool Feed(const Line& line, EventSink& sink) override {
    if (list_ == List::kNone) {
      std::string_view t = line.text;
      if (t.size() < 4) return false;
      char c = t[0];
      if (c != ' ' && !IsDigit(c) && c != 'T' && c != 'E' && c != 'O' && c != 'U' && c != 'N')
        return false;
    }
    return FeedSlow(line, sink);
  }

 private:
  LQ_NOINLINE bool FeedSlow(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    if (text.empty()) return false;
    char c = text[0];
    if (list_ != List::kNone) {
      if (ListEntry(line, sink)) return true;
      list_ = List::kNone;
    }
    if (c == ' ' || IsDigit(c)) return Progress(line, sink);
    switch (c) {
      case 'T':
        if (text == "The following tests FAILED:") {
          list_ = List::kFailed;
          return true;
        }
        if (text == "The following tests did not run:") {
          list_ = List::kNotRun;
          return true;
        }
        if (StartsWith(text, "Test project ")) {
          emitted_.clear();  // a new ctest run
          return true;
        }
        return StartsWith(text, "Total Test time (real) = ");
      case 'E':
        return text == "Errors while running CTest";
      case 'O':
        return StartsWith(text, "Output from these tests are in: ");
      case 'U':
        return StartsWith(text, "Use \"--rerun-failed --output-on-failure\"");
      case 'N':
        return StartsWith(text, "No tests were found");
      default:
        return false;
    }
  }

 public:
  void Flush(EventSink& /*sink*/) override { list_ = List::kNone; }

 private:
  enum class List { kNone, kFailed, kNotRun };

  // "  3/10 Test  #3: name ......***Failed    0.01 sec", "    Start 3: name",
  // "17% tests passed, 5 tests failed out of 6".
  bool Progress(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    size_t pos = LeadingSpaces(text);
    if (pos >= text.size()) return false;
    if (text[pos] == 'S') return StartsWith(text.substr(pos), "Start ") && Contains(text, ": ");
    int64_t n = 0;
    if (!ParseDigits(text, &pos, &n) || pos >= text.size()) return false;
    if (text[pos] == '%') return StartsWith(text.substr(pos), "% tests passed");
    if (text[pos] != '/' || !ParseDigits(text, &++pos, &n)) return false;
    if (!StartsWith(text.substr(pos), " Test ")) return false;
    pos += 6;
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos >= text.size() || text[pos] != '#') return false;
    ++pos;
    if (!ParseDigits(text, &pos, &n) || !StartsWith(text.substr(pos), ": ")) return false;
    std::string_view rest = text.substr(pos + 2);
    // The name ends where the dot padding starts.
    size_t dots = rest.find(" .");
    std::string_view name, status_part;
    if (dots != std::string_view::npos) {
      name = rest.substr(0, dots);
      size_t s = dots + 1;
      while (s < rest.size() && rest[s] == '.') ++s;
      status_part = rest.substr(s);
    } else {
      size_t stars = rest.find("***");
      size_t sp = rest.find(' ');
      if (stars != std::string_view::npos && (sp == std::string_view::npos || stars < sp))
        sp = stars;
      if (sp == std::string_view::npos) return true;
      name = rest.substr(0, sp);
      status_part = rest.substr(sp);
    }
    std::string code = StatusCode(status_part);
    if (code.empty()) return true;  // passed, skipped, disabled
    Emit(name, code, line, sink);
    return true;
  }

  // The status after the dots, normalized to the FAILED list's words ("" = not a failure).
  static std::string StatusCode(std::string_view s) {
    size_t stars = s.find("***");
    if (stars == std::string_view::npos) return {};  // "Passed"
    std::string_view before = Trim(s.substr(0, stars));
    std::string_view after = Trim(s.substr(stars + 3));
    // Drop the trailing "  0.01 sec".
    if (EndsWith(after, " sec")) {
      std::string_view t = TrimRight(after.substr(0, after.size() - 4));
      size_t sp = t.rfind(' ');
      after = sp == std::string_view::npos ? std::string_view() : TrimRight(t.substr(0, sp));
    }
    if (StartsWith(after, "Skipped") || StartsWith(after, "Not Run (Disabled)") ||
        StartsWith(after, "Disabled"))
      return {};
    if (StartsWith(after, "Exception:")) {
      std::string_view kind = Trim(after.substr(10));
      if (kind.empty()) return before.empty() ? "Exception" : std::string(before);
      if (kind == "SegFault") return "SEGFAULT";
      if (kind == "Illegal") return "ILLEGAL";
      if (kind == "Interrupt") return "INTERRUPT";
      if (kind == "Numerical") return "NUMERICAL";
      if (kind == "Other") return "OTHER_FAULT";
      return std::string(kind);
    }
    if (StartsWith(after, "Failed")) return "Failed";
    if (StartsWith(after, "Timeout")) return "Timeout";
    if (StartsWith(after, "Not Run")) return "Not Run";
    if (!before.empty()) return std::string(before);
    size_t sp = after.find("  ");
    return std::string(sp == std::string_view::npos ? after : after.substr(0, sp));
  }

  // "\t  3 - unit.crash (SEGFAULT)" under "The following tests FAILED:".
  bool ListEntry(const Line& line, EventSink& sink) {
    std::string_view t = TrimLeft(line.text);
    if (t.size() == line.text.size() || t.empty() || !IsDigit(t[0])) return false;
    size_t pos = 0;
    int64_t n = 0;
    ParseDigits(t, &pos, &n);
    if (!StartsWith(t.substr(pos), " - ")) return false;
    std::string_view rest = TrimRight(t.substr(pos + 3));
    std::string_view name = rest, status;
    if (!rest.empty() && rest.back() == ')') {
      size_t open = rest.rfind(" (");
      // "name (Not Run (Disabled))" style nesting is not printed; take the last group.
      if (open != std::string_view::npos) {
        name = rest.substr(0, open);
        status = rest.substr(open + 2, rest.size() - open - 3);
      }
    }
    if (list_ == List::kFailed && !name.empty())
      Emit(name, std::string(status.empty() ? "Failed" : status), line, sink);
    return true;
  }

  void Emit(std::string_view name, const std::string& code, const Line& line, EventSink& sink) {
    std::string key(name);
    if (!emitted_.insert(key).second) return;
    Event e = MakeEvent("ctest", "test");
    e.message = key + " (" + code + ")";
    e.error_code = code;
    e.raw_text.assign(line.text);
    e.log_line_start = e.log_line_end = line.number;
    sink.OnEvent(std::move(e));
  }

  List list_ = List::kNone;
  std::unordered_set<std::string> emitted_;  // test names reported in this ctest run
};

}  // namespace

std::unique_ptr<ToolParser> MakeCtestParser() { return std::make_unique<CtestParser>(); }

}  // namespace lq::logs

// Catch2 (v2 and v3) console reporter.
//
//   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
//   t is a Catch v2.13.10 host application.
//   Run with -? for options
//
//   -------------------------------------------------------------------------------
//   vectors
//     resizing bigger
//   -------------------------------------------------------------------------------
//   t.cpp:17
//   ...............................................................................
//
//   t.cpp:20: FAILED:
//     REQUIRE( v.size() == 11 )
//   with expansion:
//     10 == 11
//
//   ===============================================================================
//   test cases: 7 | 2 passed | 5 failed
//
// One event per failed test case (per header: a test case and its section path): file/line
// of its first "path:N: FAILED:" block, message "<test case>[ / <section>...] - <that
// block joined on one line>", error_code the assertion macro ("REQUIRE", "CHECK", ...),
// raw_text from the header to the last failure block. A "FAILED:" block with no header
// before it (a log cut in the middle) is an event of its own. Header rules are only
// recognized after Catch's banner or a "FAILED:" block, so other tools' "-----" lines
// are left alone.
#include <vector>

#include "logs/test_parsers.h"

namespace lq::logs {
namespace {

using namespace tp;

// "path:N: rest" or MSVC's "path(N): rest"; with want_rest=false, the bare "path:N" /
// "path(N)" of a test-case header.
bool ParseCatchLocation(std::string_view s, bool want_rest, std::string_view* file, int64_t* line,
                        std::string_view* rest) {
  Location loc;
  if (ParseLocationPrefix(s, &loc) && loc.column == 0 && loc.terminated == want_rest) {
    *file = loc.file;
    *line = loc.line;
    *rest = loc.rest;
    return true;
  }
  size_t open = s.find('(');
  if (open == std::string_view::npos || open == 0 || open + 1 >= s.size() || !IsDigit(s[open + 1]))
    return false;
  size_t pos = open + 1;
  int64_t n = 0;
  ParseDigits(s, &pos, &n);
  if (pos >= s.size() || s[pos] != ')') return false;
  ++pos;
  if (want_rest) {
    if (pos >= s.size() || s[pos] != ':') return false;
    ++pos;
    if (pos < s.size() && s[pos] == ' ') ++pos;
    *rest = s.substr(pos);
  } else if (pos != s.size()) {
    return false;
  }
  *file = s.substr(0, open);
  *line = n;
  return true;
}

class Catch2Parser final : public ToolParser {
 public:
  std::string_view name() const override { return "catch2"; }

  bool Feed(const Line& line, EventSink& sink) override {
    if (state_ == State::kIdle) {
      std::string_view t = line.text;
      if (t.size() < 3) return false;
      char c = t[0];
      if (c != '~' && t.back() != ':' && !(in_catch_ && (c == '-' || c == '='))) return false;
    }
    return FeedSlow(line, sink);
  }

 private:
  LQ_NOINLINE bool FeedSlow(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    char c = text.empty() ? '\0' : text[0];
    switch (state_) {
      case State::kBanner:
        if (banner_lines_++ < 4 &&
            (text.empty() || Contains(text, " host application") ||
             StartsWith(text, "Run with -?") || StartsWith(text, "Randomness seeded to: ") ||
             StartsWith(text, "Filters: "))) {
          return true;
        }
        state_ = State::kIdle;
        break;
      case State::kHeaderNames:
        if (c == '-' && IsRuleOf(text, '-', 40)) {
          AppendRaw(&block_.raw, text);
          state_ = State::kHeaderLocation;
          return true;
        }
        if (names_.size() >= 8 || text.empty()) {  // not a test-case header after all
          ResetCase();
          state_ = State::kIdle;
          return false;
        }
        AppendRaw(&block_.raw, text);
        names_.emplace_back(Trim(text));
        return true;
      case State::kHeaderLocation: {
        std::string_view file, rest;
        int64_t n = 0;
        if (ParseCatchLocation(text, false, &file, &n, &rest)) {
          AppendRaw(&block_.raw, text);
          state_ = State::kHeaderDots;
          return true;
        }
        ResetCase();  // not a Catch header after all
        state_ = State::kIdle;
        return false;
      }
      case State::kHeaderDots:
        if (c == '.' && IsRuleOf(text, '.', 40)) {
          AppendRaw(&block_.raw, text);
          state_ = State::kBody;
          return true;
        }
        state_ = State::kBody;
        break;
      case State::kAssertion:
      case State::kIgnoredBlock:
        if (!IsBlank(text) && ++block_lines_ <= 64) {
          AppendRaw(&block_.raw, text);
          block_.end = line.number;
          block_.raw_end = block_.raw.size();
          if (state_ == State::kAssertion && assertion_lines_ < 8) {
            if (assertion_lines_++ == 0) block_.error_code = MacroOf(text);
            AppendMessagePart(&block_.message, text);
          }
          return true;
        }
        state_ = State::kBody;
        if (!IsBlank(text)) return Start(line, sink);  // a block that never ended
        return true;
      case State::kSummary:
        if (StartsWith(text, "test cases:") || StartsWith(text, "assertions:") ||
            StartsWith(text, "All tests passed") || StartsWith(text, "No tests ran")) {
          return true;
        }
        state_ = State::kIdle;
        break;
      case State::kIdle:
      case State::kBody:
        break;
    }
    return Start(line, sink);
  }

 public:
  void Flush(EventSink& sink) override {
    Emit(sink);
    state_ = State::kIdle;
  }

 private:
  enum class State {
    kIdle,
    kBanner,
    kHeaderNames,
    kHeaderLocation,
    kHeaderDots,
    kBody,
    kAssertion,
    kIgnoredBlock,
    kSummary
  };

  // Lines that open something: the banner, a header rule, a "FAILED:" block, the summary.
  bool Start(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    if (text.empty()) return state_ == State::kBody;
    char c = text[0];
    if (c == '~' && IsRuleOf(text, '~', 40)) {
      Emit(sink);
      ResetCase();
      in_catch_ = true;
      state_ = State::kBanner;
      banner_lines_ = 0;
      return true;
    }
    if (in_catch_ && c == '-' && IsRuleOf(text, '-', 40)) {
      Emit(sink);
      ResetCase();
      state_ = State::kHeaderNames;
      block_.start = block_.end = line.number;
      AppendRaw(&block_.raw, text);
      block_.raw_end = block_.raw.size();
      return true;
    }
    if (in_catch_ && c == '=' && IsRuleOf(text, '=', 40)) {
      Emit(sink);
      ResetCase();
      state_ = State::kSummary;
      return true;
    }
    if (text.back() != ':' || c == ' ') return false;
    bool failed = EndsWith(text, ": FAILED:");
    if (!failed && !(in_catch_ && (EndsWith(text, ": warning:") || EndsWith(text, ": passed:") ||
                                   EndsWith(text, ": PASSED:")))) {
      return false;
    }
    std::string_view file, rest;
    int64_t n = 0;
    if (!ParseCatchLocation(text, true, &file, &n, &rest)) return false;
    if (rest != "FAILED:" && rest != "warning:" && rest != "passed:" && rest != "PASSED:")
      return false;
    in_catch_ = true;
    block_lines_ = 0;
    if (!failed) {
      state_ = State::kIgnoredBlock;
      return true;
    }
    if (state_ != State::kBody && !has_failure_) {
      // A failure block outside any header (a log cut in the middle).
      Emit(sink);
      ResetCase();
      block_.start = line.number;
    }
    state_ = State::kAssertion;
    AppendRaw(&block_.raw, text);
    block_.end = line.number;
    block_.raw_end = block_.raw.size();
    if (!has_failure_) {
      has_failure_ = true;
      block_.file.assign(file);
      block_.line_number = n;
      assertion_lines_ = 0;
      for (size_t i = 0; i < names_.size(); ++i) {
        if (i > 0) block_.message += " /";
        AppendMessagePart(&block_.message, names_[i]);
      }
      if (!block_.message.empty()) block_.message += " -";
    } else {
      assertion_lines_ = 8;  // later failures: raw text only
    }
    return true;
  }

  // "  REQUIRE( v.size() == 11 )" -> "REQUIRE".
  static std::string MacroOf(std::string_view s) {
    s = TrimLeft(s);
    size_t i = 0;
    while (i < s.size() && (IsUpper(s[i]) || s[i] == '_' || IsDigit(s[i]))) ++i;
    if (i == 0 || i >= s.size() || s[i] != '(') return {};
    return std::string(s.substr(0, i));
  }

  void Emit(EventSink& sink) {
    if (!has_failure_) return;
    Event e = MakeEvent("catch2", "test");
    block_.TakeInto(&e);
    sink.OnEvent(std::move(e));
    has_failure_ = false;
  }

  void ResetCase() {
    names_.clear();
    has_failure_ = false;
    block_ = {};
    assertion_lines_ = 0;
  }

  State state_ = State::kIdle;
  bool in_catch_ = false;  // Catch's banner or a FAILED: block was seen
  int banner_lines_ = 0;
  std::vector<std::string> names_;  // test case, then its sections
  bool has_failure_ = false;
  tp::PendingBlock block_;
  int assertion_lines_ = 0;
  int block_lines_ = 0;  // lines of the current "FAILED:" (or warning) block
};

}  // namespace

std::unique_ptr<ToolParser> MakeCatch2Parser() { return std::make_unique<Catch2Parser>(); }

}  // namespace lq::logs

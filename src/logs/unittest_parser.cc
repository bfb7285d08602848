// Python unittest (also Django's and nose's runners, which print the same report).
//
//   ======================================================================
//   FAIL: test_equal (test_mod.CalcTest.test_equal)
//   ----------------------------------------------------------------------
//   Traceback (most recent call last):
//     File "/p/test_mod.py", line 8, in test_equal
//       self.assertEqual(1 + 1, 3)
//   AssertionError: 2 != 3
//
//   ----------------------------------------------------------------------
//   Ran 6 tests in 0.002s
//
//   FAILED (failures=3, errors=2)
//
// One event per FAIL/ERROR block: file/line of the innermost frame of the (last)
// traceback, message "<test> - <exception line>", error_code the exception type. The
// "=====" rule is not claimed (it is only a candidate until "FAIL: "/"ERROR: " follows).
#include "logs/test_parsers.h"

namespace lq::logs {
namespace {

using namespace tp;

class UnittestParser final : public ToolParser {
 public:
  std::string_view name() const override { return "unittest"; }

  bool Feed(const Line& line, EventSink& sink) override {
    if (state_ == State::kIdle) {
      std::string_view t = line.text;
      if (t.empty()) return ran_line_ != 0 && line.number == ran_line_ + 1;
      char c = t[0];
      if (c != '=' && c != 'F' && c != 'E' && c != 'R' && c != 'O') return false;
    }
    return FeedSlow(line, sink);
  }

 private:
  LQ_NOINLINE bool FeedSlow(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    if (text.empty()) {
      if (state_ == State::kIdle) return ran_line_ != 0 && line.number == ran_line_ + 1;
      AppendRaw(&block_.raw, text);
      return true;
    }
    char c = text[0];
    if (c == '=' && IsRuleOf(text, '=', 20)) {
      Emit(sink);
      rule_line_ = line.number;
      return false;
    }
    switch (state_) {
      case State::kIdle:
        return Idle(line);
      case State::kHeader:
        state_ = State::kBody;
        if (c == '-' && IsRuleOf(text, '-', 20)) {
          AppendRaw(&block_.raw, text);
          return true;
        }
        return Body(line, sink);
      case State::kBody:
        return Body(line, sink);
    }
    return false;
  }

 public:
  void Flush(EventSink& sink) override { Emit(sink); }

 private:
  enum class State { kIdle, kHeader, kBody };

  bool Idle(const Line& line) {
    std::string_view text = line.text;
    char c = text[0];
    if ((c == 'F' || c == 'E') && line.number == rule_line_ + 1) {
      std::string_view test;
      bool fail = StartsWith(text, "FAIL: ");
      if (fail) {
        test = text.substr(6);
      } else if (StartsWith(text, "ERROR: ")) {
        test = text.substr(7);
      } else {
        return false;
      }
      Reset();
      state_ = State::kHeader;
      test_.assign(Trim(test));
      error_ = !fail;
      block_.start = block_.end = line.number;
      AppendRaw(&block_.raw, text);
      block_.raw_end = block_.raw.size();
      return true;
    }
    // The closing lines: "Ran 6 tests in 0.002s", "", "FAILED (failures=3)" / "OK".
    if (c == 'R' && StartsWith(text, "Ran ") && text.size() > 4 && IsDigit(text[4]) &&
        Contains(text, " test") && Contains(text, " in ")) {
      ran_line_ = line.number;
      return true;
    }
    if (ran_line_ != 0 && line.number <= ran_line_ + 2 &&
        (StartsWith(text, "FAILED (") || text == "OK" || StartsWith(text, "OK ("))) {
      return true;
    }
    return false;
  }

  bool Body(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    char c = text[0];
    if (c == '-' && IsRuleOf(text, '-', 20)) {  // end of the last block, before "Ran N tests"
      Emit(sink);
      return true;
    }
    AppendRaw(&block_.raw, text);
    if (!IsBlank(text)) {
      block_.end = line.number;
      block_.raw_end = block_.raw.size();
    }
    if (c == ' ' || c == '\t') {
      std::string_view file;
      int64_t number = 0;
      if (ParsePythonFrame(text, &file, &number)) {
        block_.file.assign(file);
        block_.line_number = number;
        awaiting_exception_ = true;
      }
      return true;
    }
    if (c == 'T' && text == "Traceback (most recent call last):") {
      block_.file.clear();
      block_.line_number = 0;
      awaiting_exception_ = true;
      return true;
    }
    if (awaiting_exception_ || exception_.empty()) {
      exception_.clear();
      AppendMessagePart(&exception_, text, 1024);
      block_.error_code.assign(PythonExceptionType(exception_));
      awaiting_exception_ = false;
    }
    return true;
  }

  void Emit(EventSink& sink) {
    if (state_ != State::kIdle) {
      Event e = MakeEvent("unittest", "test");
      block_.TakeInto(&e);
      e.message = test_;
      e.message += " - ";
      e.message += exception_.empty() ? std::string_view(error_ ? "error" : "failed")
                                      : std::string_view(exception_);
      sink.OnEvent(std::move(e));
    }
    Reset();
  }

  void Reset() {
    state_ = State::kIdle;
    test_.clear();
    error_ = false;
    exception_.clear();
    block_ = {};
    awaiting_exception_ = false;
  }

  State state_ = State::kIdle;
  int64_t rule_line_ = -1;  // the last "=====" line: a block header may follow it
  int64_t ran_line_ = 0;    // the last "Ran N tests" line
  std::string test_;
  bool error_ = false;
  tp::PendingBlock block_;  // its message is composed at Emit from test_ and exception_
  std::string exception_;
  bool awaiting_exception_ = false;
};

}  // namespace

std::unique_ptr<ToolParser> MakeUnittestParser() { return std::make_unique<UnittestParser>(); }

}  // namespace lq::logs

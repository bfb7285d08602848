// GoogleTest console output.
//
//   [ RUN      ] MathTest.AddFails
//   math_test.cc:9: Failure
//   Expected equality of these values:
//     Add(1, 1)
//       Which is: 2
//     3
//   [  FAILED  ] MathTest.AddFails (0 ms)
//   ...
//   [  FAILED  ] 6 tests, listed below:
//   [  FAILED  ] MathTest.AddFails
//
// One event per failed test: file/line of its first "path:N: Failure" block, message
// "<Suite.Name> - <the block's text joined on one line>", raw_text from that block to the
// "[  FAILED  ]" line. Later failures of the same test are claimed into the same event;
// the final "listed below" list reports only tests not seen before (a log without the
// failure blocks). Lines a test prints outside failure blocks are left to other parsers.
#include <unordered_set>

#include "logs/test_parsers.h"

namespace lq::logs {
namespace {

using namespace tp;

class GtestParser final : public ToolParser {
 public:
  std::string_view name() const override { return "gtest"; }

  bool Feed(const Line& line, EventSink& sink) override {
    if (!in_block_) {
      std::string_view t = line.text;
      if (t.size() < 9) return false;
      char c = t[0];
      if (c == '[' && (t.size() < 12 || t[11] != ']')) return false;  // "[ 42%] Building ..."
      // "[ RUN      ]", "path:N: Failure" / "...: Skipped", " 3 FAILED TESTS".
      if (c != '[' && t.back() != 'e' && t.back() != 'd' && t.back() != 'S' && c != ' ')
        return false;
      if (c == ' ' && t.back() != 'S' && t.back() != 'T' && t.back() != 's') return false;
    }
    return FeedSlow(line, sink);
  }

 private:
  LQ_NOINLINE bool FeedSlow(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    if (text.empty()) {
      if (!in_block_) return false;
      AppendRaw(&raw_, text);
      return true;
    }
    char c = text[0];
    if (c == '[') return Bracket(line, sink);
    if (c != ' ' && text.back() == 'e' &&
        (EndsWith(text, ": Failure") || EndsWith(text, ": Skipped"))) {
      return BlockStart(line, sink);
    }
    if (in_block_) {
      // Another tool's report ends the block (a crash report after a failed assertion).
      if (c == '=' || StartsWith(text, "Traceback (") ||
          StartsWith(text, "WARNING: ThreadSanitizer")) {
        in_block_ = false;
        return false;
      }
      AppendRaw(&raw_, text);
      end_ = line.number;
      if (!skipped_block_ && first_block_ && block_lines_ < 8) {
        ++block_lines_;
        AppendMessagePart(&message_, text);
      }
      return true;
    }
    if (c == ' ' && (EndsWith(text, " FAILED TESTS") || EndsWith(text, " FAILED TEST") ||
                     StartsWith(TrimLeft(text), "YOU HAVE "))) {
      return true;
    }
    return false;
  }

 public:
  void Flush(EventSink& sink) override {
    EmitPending(sink);
    in_block_ = false;
  }

 private:
  bool Bracket(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    if (text.size() < 12 || text[11] != ']' || (text[1] != ' ' && text[1] != '=' && text[1] != '-'))
      return false;
    std::string_view tag = Trim(text.substr(1, 10));
    std::string_view rest = text.size() > 13 ? text.substr(13) : std::string_view();
    in_block_ = false;
    if (tag == "RUN") {
      EmitPending(sink);
      test_.assign(Trim(rest));
      return true;
    }
    if (tag == "OK" || tag == "SKIPPED" || tag == "PASSED" || tag == "==========" ||
        tag == "----------" || tag == "DISABLED") {
      EmitPending(sink);
      return true;
    }
    if (tag != "FAILED") return false;
    if (!rest.empty() && IsDigit(rest[0]) && Contains(rest, " test")) {  // "6 tests, listed below:"
      EmitPending(sink);
      return true;
    }
    std::string_view name = rest;
    size_t cut = name.find(", where ");
    if (cut != std::string_view::npos) name = name.substr(0, cut);
    if (EndsWith(name, " ms)")) {
      size_t open = name.rfind(" (");
      if (open != std::string_view::npos) name = name.substr(0, open);
    }
    name = Trim(name);
    if (have_pending_ && pending_test_ == name) {
      AppendRaw(&raw_, text);
      end_ = line.number;
      EmitPending(sink);
      return true;
    }
    EmitPending(sink);
    if (name.empty() || emitted_.count(std::string(name)) != 0) return true;
    Event e = MakeEvent("gtest", "test");
    e.message.assign(name);
    e.message += " - test failed";
    e.raw_text.assign(text);
    e.log_line_start = e.log_line_end = line.number;
    emitted_.insert(std::string(name));
    sink.OnEvent(std::move(e));
    return true;
  }

  // "path:N: Failure" (or "unknown file: Failure"), "path:N: Skipped".
  bool BlockStart(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    bool skipped = EndsWith(text, ": Skipped");
    Location loc;
    bool located = ParseLocationPrefix(text, &loc) && loc.terminated &&
                   (loc.rest == "Failure" || loc.rest == "Skipped");
    if (!located && text != "unknown file: Failure") return false;
    in_block_ = true;
    skipped_block_ = skipped;
    if (skipped) return true;
    if (have_pending_ && pending_test_ == test_) {  // another failure in the same test
      first_block_ = false;
      AppendRaw(&raw_, text);
      end_ = line.number;
      return true;
    }
    EmitPending(sink);
    have_pending_ = true;
    first_block_ = true;
    block_lines_ = 0;
    pending_test_ = test_;
    if (located) {
      file_.assign(loc.file);
      line_number_ = loc.line;
    }
    message_.clear();
    if (!test_.empty()) {
      message_ = test_;
      message_ += " -";
    }
    AppendRaw(&raw_, text);
    start_ = end_ = line.number;
    return true;
  }

  void EmitPending(EventSink& sink) {
    if (!have_pending_) return;
    Event e = MakeEvent("gtest", "test");
    e.file_path = std::move(file_);
    e.line_number = line_number_;
    if (block_lines_ == 0) AppendMessagePart(&message_, "failed");
    e.message = std::move(message_);
    while (!raw_.empty() && raw_.back() == '\n') raw_.pop_back();
    e.raw_text = std::move(raw_);
    e.log_line_start = start_;
    e.log_line_end = end_;
    if (!pending_test_.empty()) emitted_.insert(pending_test_);
    sink.OnEvent(std::move(e));
    have_pending_ = false;
    file_.clear();
    line_number_ = 0;
    message_.clear();
    raw_.clear();
    pending_test_.clear();
    start_ = end_ = 0;
  }

  std::string test_;  // from the last "[ RUN      ]"
  bool in_block_ = false;
  bool skipped_block_ = false;
  bool first_block_ = false;
  int block_lines_ = 0;
  bool have_pending_ = false;
  std::string pending_test_;
  std::string file_;
  int64_t line_number_ = 0;
  std::string message_;
  std::string raw_;
  int64_t start_ = 0, end_ = 0;
  std::unordered_set<std::string> emitted_;
};

}  // namespace

std::unique_ptr<ToolParser> MakeGtestParser() { return std::make_unique<GtestParser>(); }

}  // namespace lq::logs

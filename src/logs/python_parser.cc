// Python tracebacks: "Traceback (most recent call last):", frames, the exception line.
//
//   Traceback (most recent call last):
//     File "/p/app.py", line 8, in <module>
//       main()
//     File "/p/app.py", line 2, in parse
//       return int(s)
//              ^^^^^^
//   ValueError: invalid literal for int() with base 10: 'x'
//
// One event per traceback: file/line of the innermost frame, error_code the exception
// type, message the exception line. A chain ("During handling of the above exception,
// another exception occurred:" / "The above exception was the direct cause of the
// following exception:") is one event for the exception that propagated (the last one),
// with the whole chain as raw_text. Also: exception groups ("+ Exception Group
// Traceback", 3.11+) and the header-less SyntaxError report of a script that does not
// compile ('  File "x.py", line 1' / source / caret / "SyntaxError: ...").
#include "logs/test_parsers.h"

namespace lq::logs {
namespace {

using namespace tp;

constexpr std::string_view kTraceback = "Traceback (most recent call last):";
constexpr std::string_view kGroupTraceback = "+ Exception Group Traceback (most recent call last):";
constexpr std::string_view kDuringHandling =
    "During handling of the above exception, another exception occurred:";
constexpr std::string_view kDirectCause =
    "The above exception was the direct cause of the following exception:";

class PythonParser final : public ToolParser {
 public:
  std::string_view name() const override { return "python"; }

  bool Feed(const Line& line, EventSink& sink) override {
    if (state_ == State::kIdle) {
      std::string_view t = line.text;
      if (t.size() < 8 || (t[0] != 'T' && t[0] != ' ')) return false;
      if (t[0] == ' ') {  // '  File "', "  + Exception Group Traceback", an indented "Traceback"
        size_t n = 1;
        while (n < t.size() && t[n] == ' ') ++n;
        if (n == t.size() || (t[n] != 'F' && t[n] != 'T' && t[n] != '+')) return false;
      }
    }
    return FeedSlow(line, sink);
  }

 private:
  LQ_NOINLINE bool FeedSlow(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    switch (state_) {
      case State::kIdle:
        return TryStart(line);
      case State::kFrames:
      case State::kSyntax:
        return FeedFrames(line, sink);
      case State::kAfterException:
      case State::kChainBlank: {
        if (IsBlank(text)) {
          ++pending_blanks_;
          state_ = State::kChainBlank;
          return true;
        }
        std::string_view s = Unindent(text);
        if (state_ == State::kChainBlank && (s == kDuringHandling || s == kDirectCause)) {
          AddPendingBlanks();
          AddLine(line);
          state_ = State::kChainSep;
          return true;
        }
        Emit(sink);
        return TryStart(line);
      }
      case State::kChainSep: {
        if (IsBlank(text)) {
          ++pending_blanks_;
          return true;
        }
        size_t indent = 0;
        if (IsTracebackLine(text, &indent)) {
          AddPendingBlanks();
          AddLine(line);
          block_.file.clear();
          block_.line_number = 0;
          state_ = State::kFrames;
          return true;
        }
        Emit(sink);
        return TryStart(line);
      }
      case State::kGroup:
        return FeedGroup(line, sink);
    }
    return false;
  }

 public:
  void Flush(EventSink& sink) override { Emit(sink); }

 private:
  enum class State { kIdle, kFrames, kSyntax, kAfterException, kChainBlank, kChainSep, kGroup };

  static bool IsTracebackLine(std::string_view text, size_t* indent) {
    size_t n = 0;
    if (!text.empty() && text[0] == ' ') n = LeadingSpaces(text);
    if (text.size() - n != kTraceback.size() || text[n] != 'T') return false;
    if (text.substr(n) != kTraceback) return false;
    *indent = n;
    return true;
  }

  // Looks at a line while no block is open: cheap rejection first.
  bool TryStart(const Line& line) {
    std::string_view text = line.text;
    if (text.empty()) return false;
    char c = text[0];
    if (c != 'T' && c != ' ') return false;
    size_t indent = 0;
    if (IsTracebackLine(text, &indent)) {
      Begin(line, indent, State::kFrames);
      return true;
    }
    if (c != ' ') return false;
    size_t n = LeadingSpaces(text);
    if (n >= text.size()) return false;
    if (text[n] == '+' && text.substr(n) == kGroupTraceback) {
      Begin(line, n, State::kGroup);
      return true;
    }
    // A SyntaxError report has a frame without ", in <function>".
    std::string_view file;
    int64_t number = 0;
    if (n == 2 && text[n] == 'F' && ParsePythonFrame(text, &file, &number) &&
        text.find("\", line ") != std::string_view::npos &&
        text.find(", in ") == std::string_view::npos) {
      Begin(line, 0, State::kSyntax);
      block_.file = std::string(file);
      block_.line_number = number;
      return true;
    }
    return false;
  }

  void Begin(const Line& line, size_t indent, State state) {
    Reset();
    state_ = state;
    indent_ = indent;
    block_.start = line.number;
    AddLine(line);
  }

  std::string_view Unindent(std::string_view text) const {
    size_t n = std::min(indent_, LeadingSpaces(text));
    return text.substr(n);
  }

  bool FeedFrames(const Line& line, EventSink& sink) {
    std::string_view s = Unindent(line.text);
    if (s.empty()) {
      // A traceback cut short (no exception line): nothing reliable to report.
      Emit(sink);
      return false;
    }
    if (s[0] == ' ' || s[0] == '\t') {
      std::string_view file;
      int64_t number = 0;
      if (ParsePythonFrame(s, &file, &number)) {
        block_.file.assign(file);
        block_.line_number = number;
      }
      AddLine(line);
      ++body_lines_;
      if (state_ == State::kSyntax && body_lines_ > 4) {  // not a SyntaxError report after all
        Reset();
        return false;
      }
      return true;
    }
    std::string_view type = PythonExceptionType(s);
    if (state_ == State::kSyntax && !EndsWith(type, "Error")) {
      Reset();
      return false;
    }
    block_.error_code.assign(type);
    block_.message.clear();
    AppendMessagePart(&block_.message, s, 1024);
    have_exception_ = true;
    AddLine(line);
    block_.end = line.number;
    block_.raw_end = block_.raw.size();
    state_ = State::kAfterException;
    return true;
  }

  bool FeedGroup(const Line& line, EventSink& sink) {
    std::string_view t = TrimLeft(line.text);
    if (t.empty() || (t[0] != '|' && t[0] != '+')) {
      Emit(sink);
      return TryStart(line);
    }
    AddLine(line);
    block_.end = line.number;
    block_.raw_end = block_.raw.size();
    if (t[0] == '+' || have_exception_) return true;
    std::string_view inner = t.substr(1);
    if (!inner.empty() && inner[0] == ' ') inner.remove_prefix(1);
    std::string_view file;
    int64_t number = 0;
    if (ParsePythonFrame(inner, &file, &number)) {
      block_.file.assign(file);
      block_.line_number = number;
    } else if (!inner.empty() && inner[0] != ' ') {
      block_.error_code.assign(PythonExceptionType(inner));
      AppendMessagePart(&block_.message, inner, 1024);
      have_exception_ = true;
    }
    return true;
  }

  void AddLine(const Line& line) { AppendRaw(&block_.raw, line.text); }
  void AddPendingBlanks() {
    for (; pending_blanks_ > 0; --pending_blanks_) AppendRaw(&block_.raw, "");
  }

  void Emit(EventSink& sink) {
    if (have_exception_) {
      Event e = MakeEvent("python", "runtime");
      block_.TakeInto(&e);
      sink.OnEvent(std::move(e));
    }
    Reset();
  }

  void Reset() {
    state_ = State::kIdle;
    indent_ = 0;
    have_exception_ = false;
    block_ = {};
    pending_blanks_ = 0;
    body_lines_ = 0;
  }

  State state_ = State::kIdle;
  size_t indent_ = 0;
  bool have_exception_ = false;
  tp::PendingBlock block_;  // raw_end: the last exception line (trailing blanks dropped)
  int pending_blanks_ = 0;
  int body_lines_ = 0;
};

}  // namespace

std::unique_ptr<ToolParser> MakePythonParser() { return std::make_unique<PythonParser>(); }

}  // namespace lq::logs

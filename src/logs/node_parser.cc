// Node.js uncaught exceptions and printed stack traces.
//
//   /p/throw.js:2                                  <- where it was thrown
//     if (!s) throw new Error('empty input');
//             ^
//
//   Error: empty input
//       at parse (/p/throw.js:2:17)
//       at Object.<anonymous> (/p/throw.js:5:1)
//       at Module._compile (node:internal/modules/cjs/loader:1521:14) {
//     code: 'E_CFG'                                <- own properties, optional
//   }
//
//   Node.js v20.20.2
//
// and the header-less form of an error printed with its stack ("TypeError: x" followed
// by "    at ..." frames). One event per error: file/line of the throw site (the header
// when it is not inside node itself, else the first frame outside node: and
// node_modules), message the error line ("TypeError: Cannot read properties of
// undefined (reading 'name')"), error_code the bracketed code when there is one
// ("ERR_ASSERTION"), else the error's name.
#include "logs/test_parsers.h"

namespace lq::logs {
namespace {

using namespace tp;

bool IsInternal(std::string_view file) {
  return StartsWith(file, "node:") || StartsWith(file, "internal/") || file == "<anonymous>" ||
         file == "native";
}

std::string_view StripFileUrl(std::string_view file) {
  if (StartsWith(file, "file://")) file.remove_prefix(7);
  return file;
}

// "path:LINE" alone on a line, path a script ("x.js", "x.mjs", "x.ts", ...) or node's own.
bool ParseHeader(std::string_view s, std::string_view* file, int64_t* line) {
  if (s.size() < 4 || !IsDigit(s.back())) return false;
  size_t i = s.size();
  while (i > 0 && IsDigit(s[i - 1])) --i;
  if (i < 2 || s[i - 1] != ':') return false;
  std::string_view path = s.substr(0, i - 1);
  if (path.find(' ') != std::string_view::npos) return false;
  static constexpr std::string_view kExtensions[] = {".js",  ".mjs", ".cjs", ".ts",
                                                     ".mts", ".cts", ".jsx", ".tsx"};
  bool ok = StartsWith(path, "node:") || StartsWith(path, "file://");
  for (std::string_view ext : kExtensions) ok = ok || EndsWith(path, ext);
  if (!ok) return false;
  size_t pos = i;
  ParseDigits(s, &pos, line);
  *file = path;
  return true;
}

// "Name: message", "Name [CODE]: message" or "Name" where Name ends in Error/Exception.
// Returns the name ("" if the line is not shaped so); *code gets the bracketed code.
std::string_view ErrorName(std::string_view s, std::string_view* code) {
  if (s.empty() || !IsUpper(s[0])) return {};
  size_t i = 0;
  while (i < s.size() && (IsIdentChar(s[i]) || s[i] == '$' || s[i] == '.')) ++i;
  std::string_view name = s.substr(0, i);
  if (!EndsWith(name, "Error") && !EndsWith(name, "Exception")) return {};
  if (i == s.size()) return name;
  if (s[i] == ':') return name;
  if (s[i] == ' ' && i + 1 < s.size() && s[i + 1] == '[') {
    size_t close = s.find("]", i);
    if (close == std::string_view::npos) return {};
    *code = s.substr(i + 2, close - i - 2);
    return name;
  }
  return {};
}

// "    at fn (path:L:C)", "    at path:L:C", "    at async fn (file:///p/x.mjs:2:4)".
bool ParseFrame(std::string_view s, std::string_view* file, int64_t* line, int64_t* column) {
  s = TrimLeft(s);
  if (!StartsWith(s, "at ")) return false;
  s.remove_prefix(3);
  s = TrimRight(s);
  if (EndsWith(s, " {")) s = TrimRight(s.substr(0, s.size() - 2));
  std::string_view loc = s;
  if (!s.empty() && s.back() == ')') {
    size_t open = s.rfind('(');
    if (open == std::string_view::npos) return true;
    loc = s.substr(open + 1, s.size() - open - 2);
  }
  // "path:L:C", parsed from the end (paths have ':' in "node:" and "file:").
  size_t c2 = loc.rfind(':');
  if (c2 == std::string_view::npos || c2 == 0) return true;
  size_t c1 = loc.rfind(':', c2 - 1);
  if (c1 == std::string_view::npos) return true;
  size_t p = c1 + 1, q = c2 + 1;
  int64_t l = 0, c = 0;
  if (!ParseDigits(loc, &p, &l) || p != c2 || !ParseDigits(loc, &q, &c) || q != loc.size())
    return true;
  *file = loc.substr(0, c1);
  *line = l;
  *column = c;
  return true;
}

bool IsFrameLine(std::string_view s) {
  size_t n = LeadingSpaces(s);
  return n >= 2 && StartsWith(s.substr(n), "at ");
}

class NodeParser final : public ToolParser {
 public:
  std::string_view name() const override { return "node"; }

  bool Feed(const Line& line, EventSink& sink) override {
    if (state_ == State::kIdle) {
      std::string_view t = line.text;
      if (t.size() < 4) return false;
      char c = t[0];
      // Frames after a remembered error line, a "path.js:N" header, an "XxxError:" line.
      if (!(c == ' ' ? line.number == candidate_line_ + 1 : IsDigit(t.back()) || IsUpper(c)))
        return false;
    }
    return FeedSlow(line, sink);
  }

 private:
  LQ_NOINLINE bool FeedSlow(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    switch (state_) {
      case State::kIdle:
        return Idle(line);
      case State::kPreamble: {
        std::string_view t = Trim(text);
        bool caret = !t.empty() && t.find_first_not_of('^') == std::string_view::npos;
        if (preamble_lines_++ == 0 || t.empty() || caret) {
          if (preamble_lines_ > 6) {
            Reset();
            return false;
          }
          saw_caret_ |= caret && preamble_lines_ > 1;
          Add(line);
          return true;
        }
        // The error line: "TypeError: ...", or whatever was thrown right under the caret.
        std::string_view code;
        if (!saw_caret_ && ErrorName(text, &code).empty()) {
          Reset();
          return false;
        }
        SetException(text);
        Add(line);
        state_ = State::kMessage;
        return true;
      }
      case State::kMessage:
        if (IsFrameLine(text)) {
          state_ = State::kFrames;
          return Frame(line);
        }
        if (StartsWith(text, "Node.js v")) return Finish(line, sink);
        if (++message_lines_ > 20) {
          Emit(sink);
          return false;
        }
        Add(line);
        return true;
      case State::kFrames:
        if (IsFrameLine(text)) return Frame(line);
        if (IsBlank(text)) {
          state_ = State::kTail;
          return true;
        }
        if (StartsWith(text, "Node.js v")) return Finish(line, sink);
        Emit(sink);
        return Idle(line);
      case State::kProps:
        Add(line);
        if (text == "}") state_ = State::kTail;
        if (++message_lines_ > 200) {
          Emit(sink);
          return true;
        }
        return true;
      case State::kTail:
        if (IsBlank(text)) return true;
        if (StartsWith(text, "Node.js v")) return Finish(line, sink);
        Emit(sink);
        return Idle(line);
    }
    return false;
  }

 public:
  void Flush(EventSink& sink) override { Emit(sink); }

 private:
  enum class State { kIdle, kPreamble, kMessage, kFrames, kProps, kTail };

  bool Idle(const Line& line) {
    std::string_view text = line.text;
    if (text.empty()) return false;
    char c = text[0];
    if (c == ' ') {
      // Frames right after a remembered "TypeError: ..." line.
      if (line.number != candidate_line_ + 1 || !IsFrameLine(text)) return false;
      int64_t candidate_line = candidate_line_;
      Reset();
      block_.start = candidate_line;
      AppendRaw(&block_.raw, candidate_);
      SetException(candidate_);
      state_ = State::kFrames;
      return Frame(line);
    }
    std::string_view file;
    int64_t number = 0;
    if (IsDigit(text.back()) && ParseHeader(text, &file, &number)) {
      Reset();
      header_file_.assign(StripFileUrl(file));
      header_line_ = number;
      block_.start = line.number;
      Add(line);
      state_ = State::kPreamble;
      return true;
    }
    if (IsUpper(c)) {
      std::string_view code;
      if (!ErrorName(text, &code).empty()) {
        // Not claimed: only the frames that follow make it a stack trace.
        candidate_.assign(text.substr(0, std::min<size_t>(text.size(), 4096)));
        candidate_line_ = line.number;
      }
    }
    return false;
  }

  void SetException(std::string_view text) {
    std::string_view code;
    std::string_view type = ErrorName(text, &code);
    block_.error_code.assign(code.empty() ? type : code);
    block_.message.clear();
    AppendMessagePart(&block_.message, text, 1024);
  }

  bool Frame(const Line& line) {
    std::string_view file;
    int64_t number = 0, column = 0;
    ParseFrame(line.text, &file, &number, &column);
    file = StripFileUrl(file);
    if (!file.empty() && !IsInternal(file)) {
      if (first_file_.empty()) {
        first_file_.assign(file);
        first_line_ = number;
        first_column_ = column;
      }
      if (user_file_.empty() && !Contains(file, "node_modules/")) {
        user_file_.assign(file);
        user_line_ = number;
        user_column_ = column;
      }
    }
    Add(line);
    if (EndsWith(TrimRight(line.text), " {")) state_ = State::kProps;
    return true;
  }

  bool Finish(const Line& line, EventSink& sink) {
    (void)line;  // "Node.js v20.1.0": claimed, not part of the event
    Emit(sink);
    return true;
  }

  void Add(const Line& line) {
    AppendRaw(&block_.raw, line.text);
    if (IsBlank(line.text)) return;
    block_.raw_end = block_.raw.size();
    block_.end = line.number;
  }

  void Emit(EventSink& sink) {
    if (state_ == State::kIdle || state_ == State::kPreamble) {
      Reset();
      return;
    }
    Event e = MakeEvent("node", "runtime");
    block_.TakeInto(&e);
    if (!header_file_.empty() && !IsInternal(header_file_)) {
      e.file_path = header_file_;
      e.line_number = header_line_;
      if (first_file_ == header_file_ && first_line_ == header_line_)
        e.column_number = first_column_;
    } else if (!user_file_.empty()) {
      e.file_path = user_file_;
      e.line_number = user_line_;
      e.column_number = user_column_;
    } else if (!first_file_.empty()) {
      e.file_path = first_file_;
      e.line_number = first_line_;
      e.column_number = first_column_;
    } else {
      e.file_path = header_file_;
      e.line_number = header_line_;
    }
    sink.OnEvent(std::move(e));
    Reset();
  }

  void Reset() {
    state_ = State::kIdle;
    header_file_.clear();
    header_line_ = 0;
    first_file_.clear();
    user_file_.clear();
    first_line_ = first_column_ = user_line_ = user_column_ = 0;
    block_ = {};
    preamble_lines_ = 0;
    saw_caret_ = false;
    message_lines_ = 0;
    candidate_line_ = -2;
  }

  State state_ = State::kIdle;
  std::string candidate_;  // the last "XxxError: ..." line, in case frames follow
  int64_t candidate_line_ = -2;
  std::string header_file_;
  int64_t header_line_ = 0;
  std::string first_file_, user_file_;
  int64_t first_line_ = 0, first_column_ = 0, user_line_ = 0, user_column_ = 0;
  tp::PendingBlock block_;  // file and line are chosen from the frames at Emit
  int preamble_lines_ = 0;
  bool saw_caret_ = false;
  int message_lines_ = 0;
};

}  // namespace

std::unique_ptr<ToolParser> MakeNodeParser() { return std::make_unique<NodeParser>(); }

}  // namespace lq::logs

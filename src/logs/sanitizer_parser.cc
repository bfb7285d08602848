// Runtime error reports of the sanitizers and valgrind. Families (tool_name):
//
// asan      "==123==ERROR: AddressSanitizer: heap-use-after-free on address 0x... at pc ..."
//           then stacks ("    #0 0x55d4 in use /p/uaf.c:2:26"), "SUMMARY: AddressSanitizer:
//           heap-use-after-free /p/uaf.c:2 in use", shadow bytes, "==123==ABORTING". One
//           event per report: file/line of the first frame of the first stack that is in
//           user code (not the sanitizer runtime, libc or /usr), error_code the bug type
//           ("heap-use-after-free", "SEGV", "double-free"; the SUMMARY line's word wins).
// lsan      "==123==ERROR: LeakSanitizer: detected memory leaks", then records "Direct leak
//           of 100 byte(s) in 1 object(s) allocated from:" + stack: one event per record
//           (error_code "direct-leak", or "indirect-leak" as a warning).
// tsan      "WARNING: ThreadSanitizer: data race (pid=123)" ... "SUMMARY: ThreadSanitizer:
//           ...": one event per warning, error_code "data-race", "thread-leak", ...
// ubsan     "x.c:5:12: runtime error: signed integer overflow: ..." (+ optional stack,
//           "note:" lines with a memory dump, "SUMMARY: UndefinedBehaviorSanitizer: ...").
//           Claimed here, before the gcc parser sees the same "file:line:col:" shape.
//           error_code: the -fsanitize= check name ("signed-integer-overflow", "null", ...).
// valgrind  "==123== Invalid read of size 4" followed by "==123==    at 0x...: main (x.c:5)"
//           frames, up to the "==123== " empty line: one event per error block and per
//           definitely/possibly/indirectly lost leak record; error_code valgrind's kind
//           ("InvalidRead", "UninitCondition", "Leak_DefinitelyLost", ...).
//
// All are category "runtime".
#include "logs/test_parsers.h"

namespace lq::logs {
namespace {

using namespace tp;

// "==123==" at the start of s: returns the rest. False if s does not start so.
bool StripPid(std::string_view s, std::string_view* rest) {
  if (s.size() < 5 || s[0] != '=' || s[1] != '=' || !IsDigit(s[2])) return false;
  size_t i = 2;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i + 1 >= s.size() || s[i] != '=' || s[i + 1] != '=') return false;
  *rest = s.substr(i + 2);
  return true;
}

// Keeps the best location among a report's frames: the first user frame of its first
// stack, else that stack's first frame with a file.
class FramePicker {
 public:
  // Offers a line; returns true when it is a stack frame.
  bool Offer(std::string_view text) {
    StackFrame f;
    if (!ParseSanitizerFrame(text, &f)) {
      if (in_stack_) first_stack_done_ = true;
      in_stack_ = false;
      return false;
    }
    if (first_stack_done_) return true;
    if (in_stack_ && f.index == 0) first_stack_done_ = true;  // a new stack without a blank line
    if (first_stack_done_) return true;
    in_stack_ = true;
    if (f.file.empty()) return true;
    if (any_file_.empty()) {
      any_file_.assign(f.file);
      any_line_ = f.line;
      any_column_ = f.column;
    }
    if (user_file_.empty() && !IsSystemFrame(f.function, f.file)) {
      user_file_.assign(f.file);
      user_line_ = f.line;
      user_column_ = f.column;
    }
    return true;
  }
  void Fill(Event* e) const {
    bool user = !user_file_.empty();
    e->file_path = user ? user_file_ : any_file_;
    e->line_number = user ? user_line_ : any_line_;
    e->column_number = user ? user_column_ : any_column_;
  }
  void Reset() { *this = FramePicker(); }

 private:
  bool in_stack_ = false;
  bool first_stack_done_ = false;
  std::string any_file_, user_file_;
  int64_t any_line_ = 0, any_column_ = 0, user_line_ = 0, user_column_ = 0;
};

// The raw text, line range and pending state every report parser keeps.
struct Block {
  bool open = false;
  std::string raw;
  size_t raw_end = 0;
  int64_t start = 0, end = 0;
  void Begin(const Line& line) {
    open = true;
    raw.clear();
    start = line.number;
    Add(line);
  }
  void Add(const Line& line) {
    AppendRaw(&raw, line.text);
    if (!IsBlank(line.text)) {
      raw_end = raw.size();
      end = line.number;
    }
  }
  void Fill(Event* e) {
    raw.resize(std::min(raw.size(), raw_end));
    e->raw_text = std::move(raw);
    e->log_line_start = start;
    e->log_line_end = end;
    open = false;
    raw.clear();
    raw_end = 0;
  }
};

// The event of one open report (ASan, TSan): located by its frames, its raw text and
// lines from its block; the message and code are taken, leaving them empty.
void EmitReport(std::string_view tool, Block* block, FramePicker* frames, std::string* message,
                std::string* error_code, EventSink& sink) {
  if (!block->open) return;
  Event e = MakeEvent(tool, "runtime");
  frames->Fill(&e);
  e.message = std::move(*message);
  e.error_code = std::move(*error_code);
  block->Fill(&e);
  sink.OnEvent(std::move(e));
  message->clear();
  error_code->clear();
}

// ---- AddressSanitizer ----

class AsanParser final : public ToolParser {
 public:
  std::string_view name() const override { return "asan"; }

  bool Feed(const Line& line, EventSink& sink) override {
    std::string_view t = line.text;
    if (!block_.open && (t.size() < 8 || t[0] != '=' || t[1] != '=')) return false;
    return FeedSlow(line, sink);
  }

 private:
  LQ_NOINLINE bool FeedSlow(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    std::string_view rest;
    bool pid = !text.empty() && text[0] == '=' && StripPid(text, &rest);
    if (pid && StartsWith(rest, "ERROR: AddressSanitizer: ")) {
      Emit(sink);
      Begin(line, rest.substr(25));
      return true;
    }
    if (!block_.open) return false;
    if (pid) {
      if (StartsWith(rest, "ERROR: ")) {  // another sanitizer's report (LeakSanitizer at exit)
        Emit(sink);
        return false;
      }
      block_.Add(line);
      if (rest == "ABORTING") Emit(sink);
      return true;
    }
    if (StartsWith(text, "SUMMARY: AddressSanitizer: ")) {
      std::string_view kind = text.substr(27);
      size_t sp = kind.find(' ');
      if (sp != std::string_view::npos) kind = kind.substr(0, sp);
      if (!kind.empty()) error_code_.assign(kind);
      summary_ = true;
      block_.Add(line);
      return true;
    }
    if (summary_) {  // the shadow-byte map and its legend
      if (StartsWith(text, "Shadow") || StartsWith(text, "  ") || StartsWith(text, "=>")) {
        block_.Add(line);
        return true;
      }
      Emit(sink);
      return false;
    }
    if (++lines_ > 300) {
      Emit(sink);
      return false;
    }
    frames_.Offer(text);
    block_.Add(line);
    return true;
  }

 public:
  void Flush(EventSink& sink) override { Emit(sink); }

 private:
  void Begin(const Line& line, std::string_view what) {
    block_.Begin(line);
    frames_.Reset();
    summary_ = false;
    lines_ = 0;
    // "heap-use-after-free on address 0x... at pc 0x... bp ... sp ..." -> up to " at pc ".
    std::string_view msg = what;
    for (std::string_view cut : {" at pc ", " (pc "}) {
      size_t p = msg.find(cut);
      if (p != std::string_view::npos) msg = msg.substr(0, p);
    }
    msg = TrimRight(msg);
    if (EndsWith(msg, ":")) msg.remove_suffix(1);
    message_.clear();
    AppendMessagePart(&message_, msg, 1024);
    std::string_view kind = what;
    if (StartsWith(kind, "attempting ")) kind.remove_prefix(11);
    size_t sp = kind.find(' ');
    if (sp != std::string_view::npos) kind = kind.substr(0, sp);
    if (EndsWith(kind, ":")) kind.remove_suffix(1);
    error_code_.assign(kind);
  }

  void Emit(EventSink& sink) { EmitReport("asan", &block_, &frames_, &message_, &error_code_, sink); }

  Block block_;
  FramePicker frames_;
  bool summary_ = false;
  int lines_ = 0;
  std::string message_;
  std::string error_code_;
};

// ---- LeakSanitizer ----

class LsanParser final : public ToolParser {
 public:
  std::string_view name() const override { return "lsan"; }

  bool Feed(const Line& line, EventSink& sink) override {
    std::string_view t = line.text;
    if (!in_report_ && (t.size() < 8 || t[0] != '=' || t[1] != '=')) return false;
    return FeedSlow(line, sink);
  }

 private:
  LQ_NOINLINE bool FeedSlow(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    std::string_view rest;
    if (!text.empty() && text[0] == '=' && StripPid(text, &rest)) {
      if (StartsWith(rest, "ERROR: LeakSanitizer: ")) {
        EndReport(sink);
        in_report_ = true;
        records_ = 0;
        header_line_ = line.number;
        header_.assign(text);
        return true;
      }
      return in_report_;
    }
    if (!in_report_) return false;
    bool direct = StartsWith(text, "Direct leak of ");
    if (direct || StartsWith(text, "Indirect leak of ")) {
      EmitRecord(sink);
      record_.Begin(line);
      frames_.Reset();
      indirect_ = !direct;
      std::string_view msg = text;
      if (EndsWith(msg, " allocated from:")) msg.remove_suffix(16);
      message_.clear();
      AppendMessagePart(&message_, msg, 1024);
      return true;
    }
    if (StartsWith(
            text,
            "SUMMARY: ")) {  // "SUMMARY: AddressSanitizer: 106 byte(s) leaked in 2 allocation(s)."
      EndReport(sink);
      return true;
    }
    if (record_.open) {
      if (IsBlank(text)) {
        EmitRecord(sink);
        return true;
      }
      frames_.Offer(text);
      record_.Add(line);
      return true;
    }
    // Between records: blank lines, "Objects leaked above:" and its addresses, the
    // suppressions table. Anything else means the report was cut short.
    if (IsBlank(text) || text[0] == ' ' || StartsWith(text, "0x") ||
        StartsWith(text, "Objects leaked above") || StartsWith(text, "---") ||
        StartsWith(text, "Suppressions used:")) {
      return true;
    }
    EndReport(sink);
    return false;
  }

 public:
  void Flush(EventSink& sink) override { EndReport(sink); }

 private:
  void EmitRecord(EventSink& sink) {
    if (!record_.open) return;
    Event e = MakeEvent("lsan", "runtime", indirect_ ? Severity::kWarning : Severity::kError);
    frames_.Fill(&e);
    e.message = std::move(message_);
    e.error_code = indirect_ ? "indirect-leak" : "direct-leak";
    record_.Fill(&e);
    sink.OnEvent(std::move(e));
    message_.clear();
    ++records_;
  }

  void EndReport(EventSink& sink) {
    if (!in_report_) return;
    EmitRecord(sink);
    if (records_ == 0) {  // a report without records (cut short): still a finding
      Event e = MakeEvent("lsan", "runtime");
      e.message = "detected memory leaks";
      e.error_code = "detected-memory-leaks";
      e.raw_text = std::move(header_);
      e.log_line_start = e.log_line_end = header_line_;
      sink.OnEvent(std::move(e));
    }
    in_report_ = false;
    header_.clear();
  }

  bool in_report_ = false;
  int records_ = 0;
  std::string header_;
  int64_t header_line_ = 0;
  Block record_;
  FramePicker frames_;
  bool indirect_ = false;
  std::string message_;
};

// ---- ThreadSanitizer ----

class TsanParser final : public ToolParser {
 public:
  std::string_view name() const override { return "tsan"; }

  bool Feed(const Line& line, EventSink& sink) override {
    std::string_view t = line.text;
    if (!block_.open && (t.size() < 20 || (t[0] != 'W' && t[0] != 'T'))) return false;
    return FeedSlow(line, sink);
  }

 private:
  LQ_NOINLINE bool FeedSlow(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    if (!text.empty() && text[0] == 'W' && StartsWith(text, "WARNING: ThreadSanitizer: ")) {
      Emit(sink);
      Begin(line, text.substr(26));
      return true;
    }
    if (!block_.open) {
      return !text.empty() && text[0] == 'T' && StartsWith(text, "ThreadSanitizer: reported ");
    }
    if (summary_) {
      if (IsRuleOf(text, '=', 10)) {
        block_.Add(line);
        Emit(sink);
        return true;
      }
      Emit(sink);
      return false;
    }
    if (StartsWith(text, "SUMMARY: ThreadSanitizer: ")) {
      summary_ = true;
      block_.Add(line);
      return true;
    }
    // A report's body is indented ("  Write of size 4 ...", "    #0 ..."): anything else
    // means it was cut short.
    if ((!IsBlank(text) && text[0] != ' ') || ++lines_ > 1000) {
      Emit(sink);
      return false;
    }
    frames_.Offer(text);
    block_.Add(line);
    return true;
  }

 public:
  void Flush(EventSink& sink) override { Emit(sink); }

 private:
  void Begin(const Line& line, std::string_view what) {
    block_.Begin(line);
    frames_.Reset();
    summary_ = false;
    lines_ = 0;
    // "data race (pid=14997)" -> "data race"; code "data-race".
    std::string_view msg = TrimRight(what);
    if (EndsWith(msg, ")")) {
      size_t p = msg.rfind(" (pid=");
      if (p != std::string_view::npos) msg = msg.substr(0, p);
    }
    message_.clear();
    AppendMessagePart(&message_, msg, 1024);
    std::string_view kind = msg;
    size_t paren = kind.find(" (");
    if (paren != std::string_view::npos) kind = kind.substr(0, paren);
    error_code_.clear();
    for (char c : Trim(kind)) error_code_.push_back(c == ' ' ? '-' : c);
  }

  void Emit(EventSink& sink) { EmitReport("tsan", &block_, &frames_, &message_, &error_code_, sink); }

  Block block_;
  FramePicker frames_;
  bool summary_ = false;
  int lines_ = 0;
  std::string message_;
  std::string error_code_;
};

// ---- UndefinedBehaviorSanitizer ----

// A quick look for "...:L[:C]: runtime error: " before parsing the location for real.
bool LooksLikeRuntimeError(std::string_view s) {
  const char* p = static_cast<const char*>(std::memchr(s.data(), ':', s.size()));
  const char* end = s.data() + s.size();
  if (p != nullptr && p - s.data() == 1 && end - p > 2 && (p[1] == '\\' || p[1] == '/')) {  // "C:\"
    p = static_cast<const char*>(std::memchr(p + 1, ':', static_cast<size_t>(end - p - 1)));
  }
  if (p == nullptr || end - p < 20 || !IsDigit(p[1])) return false;
  ++p;
  while (p < end && IsDigit(*p)) ++p;
  if (p + 1 < end && *p == ':' && IsDigit(p[1])) {
    ++p;
    while (p < end && IsDigit(*p)) ++p;
  }
  return end - p > 16 && p[0] == ':' && p[1] == ' ' && p[2] == 'r' &&
         std::memcmp(p + 2, "runtime error: ", 15) == 0;
}

// The -fsanitize= check that produces a runtime error message.
std::string_view UbsanCheck(std::string_view m) {
  struct Rule {
    std::string_view prefix;
    std::string_view check;
  };
  static constexpr Rule kRules[] = {
      {"signed integer overflow", "signed-integer-overflow"},
      {"unsigned integer overflow", "unsigned-integer-overflow"},
      {"negation of ", "signed-integer-overflow"},
      {"division of ", "signed-integer-overflow"},
      {"division by zero", "integer-divide-by-zero"},
      {"shift exponent ", "shift-exponent"},
      {"left shift of ", "shift-base"},
      {"index ", "bounds"},
      {"load of null pointer", "null"},
      {"store to null pointer", "null"},
      {"member access within null pointer", "null"},
      {"member call on null pointer", "null"},
      {"reference binding to null pointer", "null"},
      {"load of misaligned address", "alignment"},
      {"store to misaligned address", "alignment"},
      {"member access within misaligned address", "alignment"},
      {"member call on misaligned address", "alignment"},
      {"reference binding to misaligned address", "alignment"},
      {"execution reached an unreachable program point", "unreachable"},
      {"execution reached the end of a value-returning function", "return"},
      {"variable length array bound", "vla-bound"},
      {"pointer index expression", "pointer-overflow"},
      {"applying non-zero offset", "pointer-overflow"},
      {"applying zero offset", "pointer-overflow"},
      {"addition of unsigned offset", "pointer-overflow"},
      {"subtraction of unsigned offset", "pointer-overflow"},
      {"null pointer passed as argument", "nonnull-attribute"},
      {"null pointer returned from function", "returns-nonnull-attribute"},
      {"implicit conversion from type", "implicit-conversion"},
      {"passing zero to ", "invalid-builtin-use"},
      {"call to function ", "function"},
      {"downcast of ", "vptr"},
      {"upcast of ", "vptr"},
      {"member call on address ", "vptr"},
      {"member access within address ", "vptr"},
  };
  for (const Rule& r : kRules) {
    if (StartsWith(m, r.prefix)) return r.check;
  }
  if (StartsWith(m, "load of value ")) {
    if (Contains(m, "'bool'")) return "bool";
    return "enum";
  }
  if (StartsWith(m, "load of address ") || StartsWith(m, "store to address ")) return "object-size";
  if (Contains(m, "is outside the range of representable values")) return "float-cast-overflow";
  return "undefined-behavior";
}

class UbsanParser final : public ToolParser {
 public:
  std::string_view name() const override { return "ubsan"; }

  bool Feed(const Line& line, EventSink& sink) override {
    std::string_view t = line.text;
    // Idle: only "path:L:C: runtime error: ..." (at least 22 bytes, not indented).
    if (!block_.open &&
        (t.size() < 22 || t[0] == ' ' || t[0] == '=' || t[0] == '[' || t[0] == '\t'))
      return false;
    return FeedSlow(line, sink);
  }

 private:
  LQ_NOINLINE bool FeedSlow(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    if (text.empty()) {
      if (!block_.open) return false;
      block_.Add(line);
      return true;
    }
    char c = text[0];
    if (c != ' ' && c != '=' && c != '[' && (block_.open || LooksLikeRuntimeError(text))) {
      Location loc;
      if (ParseLocationPrefix(text, &loc) && loc.terminated) {
        if (StartsWith(loc.rest, "runtime error: ")) {
          Emit(sink);
          Begin(line, loc);
          return true;
        }
        if (block_.open && StartsWith(loc.rest, "note: ")) {
          block_.Add(line);
          return true;
        }
      }
    }
    if (!block_.open) return false;
    if (c == ' ' ||
        (c == '0' && text.size() > 1 && text[1] == 'x')) {  // frames, "0x...: note:", memory dump
      block_.Add(line);
      return true;
    }
    if (StartsWith(text, "SUMMARY: UndefinedBehaviorSanitizer: ")) {
      block_.Add(line);
      Emit(sink);
      return true;
    }
    Emit(sink);
    return false;
  }

 public:
  void Flush(EventSink& sink) override { Emit(sink); }

 private:
  void Begin(const Line& line, const Location& loc) {
    block_.Begin(line);
    pending_ = MakeEvent("ubsan", "runtime");
    pending_.file_path.assign(loc.file);
    pending_.line_number = loc.line;
    pending_.column_number = loc.column;
    std::string_view msg = loc.rest.substr(15);
    AppendMessagePart(&pending_.message, msg, 1024);
    pending_.error_code.assign(UbsanCheck(msg));
  }

  void Emit(EventSink& sink) {
    if (!block_.open) return;
    block_.Fill(&pending_);
    sink.OnEvent(std::move(pending_));
    pending_ = Event();
  }

  Block block_;
  Event pending_;
};

// ---- valgrind ----

// valgrind's name for an error kind (as in its XML output).
std::string_view ValgrindKind(std::string_view h, Severity* severity) {
  *severity = Severity::kError;
  struct Rule {
    std::string_view prefix;
    std::string_view kind;
  };
  static constexpr Rule kRules[] = {
      {"Invalid read of size", "InvalidRead"},
      {"Invalid write of size", "InvalidWrite"},
      {"Invalid free()", "InvalidFree"},
      {"Mismatched free()", "MismatchedFree"},
      {"Conditional jump or move depends on uninitialised", "UninitCondition"},
      {"Use of uninitialised value", "UninitValue"},
      {"Syscall param", "SyscallParam"},
      {"Source and destination overlap", "Overlap"},
      {"Jump to the invalid address", "InvalidJump"},
      {"Process terminating with default action of signal", "FatalSignal"},
      {"Invalid alignment value", "InvalidAlignment"},
      {"Possible data race", "Race"},
      {"Lock order ", "LockOrder"},
  };
  for (const Rule& r : kRules) {
    if (StartsWith(h, r.prefix)) return r.kind;
  }
  if (Contains(h, " are definitely lost in loss record ")) return "Leak_DefinitelyLost";
  if (Contains(h, " are indirectly lost in loss record ")) {
    *severity = Severity::kWarning;
    return "Leak_IndirectlyLost";
  }
  if (Contains(h, " are possibly lost in loss record ")) {
    *severity = Severity::kWarning;
    return "Leak_PossiblyLost";
  }
  if (Contains(h, " are still reachable in loss record ")) {
    *severity = Severity::kInfo;
    return "Leak_StillReachable";
  }
  if (StartsWith(h, "Argument '") && Contains(h, "fishy")) return "FishyValue";
  return {};
}

class ValgrindParser final : public ToolParser {
 public:
  std::string_view name() const override { return "valgrind"; }

  bool Feed(const Line& line, EventSink& sink) override {
    std::string_view t = line.text;
    if (!block_.open && (t.size() < 5 || t[0] != '=' || t[1] != '=')) return false;
    return FeedSlow(line, sink);
  }

 private:
  LQ_NOINLINE bool FeedSlow(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    std::string_view rest;
    if (text.empty() || text[0] != '=' || !StripPid(text, &rest)) {
      if (!block_.open) return false;
      Emit(sink);
      return false;
    }
    if (!rest.empty() && rest[0] != ' ')
      return false;  // "==1==ERROR: AddressSanitizer" is not ours
    std::string_view content = rest.empty() ? rest : rest.substr(1);
    if (IsBlank(content)) {  // "==123== ": ends a block
      Emit(sink);
      header_line_ = -1;
      return true;
    }
    if (content[0] != ' ') {  // a header, maybe of an error (if a stack follows)
      Emit(sink);
      header_.assign(text);
      header_content_.assign(content);
      header_line_ = line.number;
      return true;
    }
    std::string_view t = TrimLeft(content);
    bool frame = StartsWith(t, "at 0x") || StartsWith(t, "by 0x");
    if (!block_.open && frame && line.number == header_line_ + 1) {
      Severity severity;
      std::string_view kind = ValgrindKind(header_content_, &severity);
      if (severity != Severity::kInfo) {
        block_.open = true;
        block_.raw.clear();
        AppendRaw(&block_.raw, header_);
        block_.raw_end = block_.raw.size();
        block_.start = block_.end = header_line_;
        pending_ = MakeEvent("valgrind", "runtime", severity);
        AppendMessagePart(&pending_.message, header_content_, 1024);
        pending_.error_code.assign(kind);
        first_stack_done_ = false;
      }
    }
    if (block_.open) {
      block_.Add(line);
      if (!frame) {
        first_stack_done_ = true;
      } else if (!first_stack_done_ && pending_.file_path.empty()) {
        // "at 0x109187: main (vg.c:5)"; "(in /usr/lib/...so)" has no source location.
        std::string_view f = TrimRight(t);
        if (EndsWith(f, ")")) {
          size_t open = f.rfind('(');
          std::string_view loc = f.substr(open + 1, f.size() - open - 2);
          Location l;
          if (!StartsWith(loc, "in ") && ParseLocationPrefix(loc, &l) && !l.terminated) {
            pending_.file_path.assign(l.file);
            pending_.line_number = l.line;
          }
        }
      }
    }
    return true;
  }

 public:
  void Flush(EventSink& sink) override { Emit(sink); }

 private:
  void Emit(EventSink& sink) {
    if (!block_.open) return;
    block_.Fill(&pending_);
    sink.OnEvent(std::move(pending_));
    pending_ = Event();
  }

  Block block_;
  Event pending_;
  std::string header_;          // the last header line, whole
  std::string header_content_;  // ... without the "==123== " prefix
  int64_t header_line_ = -1;
  bool first_stack_done_ = false;
};

}  // namespace

std::unique_ptr<ToolParser> MakeAsanParser() { return std::make_unique<AsanParser>(); }
std::unique_ptr<ToolParser> MakeLsanParser() { return std::make_unique<LsanParser>(); }
std::unique_ptr<ToolParser> MakeTsanParser() { return std::make_unique<TsanParser>(); }
std::unique_ptr<ToolParser> MakeUbsanParser() { return std::make_unique<UbsanParser>(); }
std::unique_ptr<ToolParser> MakeValgrindParser() { return std::make_unique<ValgrindParser>(); }

}  // namespace lq::logs

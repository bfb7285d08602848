// GNU make (also gmake, mingw32-make, make[N] sub-makes): tool_name "make", category "build".
//
//   make: *** [Makefile:3: all] Error 1          recipe failure: error, file "Makefile" line 3,
//   make[2]: *** [src/x.make:76: x.o] Error 1    message "[Makefile:3: all] Error 1" (as
//   make: *** [all] Error 1  (make < 4.0)        printed), error_code "Error 1". The code is
//                                                the recipe's exit status as make reports it
//                                                ("Error 2" for a failed sub-make), so the
//                                                fingerprint separates "the compiler failed"
//                                                from "a sub-make failed"; signals
//                                                ("Segmentation fault", "Killed") have no code.
//   make: [Makefile:9: x] Error 1 (ignored)      warning (a '-' recipe line), same fields
//   make: *** No rule to make target 'x', needed by 'y'.  Stop.     error, message without
//   make: *** No targets specified and no makefile found.  Stop.    the trailing "  Stop."
//   Makefile:5: *** missing separator.  Stop.    error, file "Makefile" line 5
//   Makefile:17: warning: overriding recipe for target 'x'          warning; the
//   Makefile:15: warning: ignoring old recipe for target 'x'        "ignoring old recipe"
//                                                line that always follows is its context
//   Makefile:1: foo.mk: No such file or directory   error (a failed include)
//   make: x.mk: No such file or directory        error
//   make: warning: Clock skew detected ...       warning
//   Makefile:3: recipe for target 'all' failed   (make 3.82-4.1) context of the next event
//   make: *** Waiting for unfinished jobs....    context of the preceding event, if any
// Not events (not claimed): "Entering/Leaving directory", "Nothing to be done for",
// "is up to date", "Target 'x' not remade because of errors."
#include "logs/build_parsers.h"

namespace lq::logs::buildtools {
namespace {

// "make", "gmake", "make[2]", "/usr/bin/make", "mingw32-make.exe".
bool IsMakeName(std::string_view head) {
  if (head.empty() || (head.back() != 'e' && head.back() != ']')) return false;
  if (head.back() == ']') {
    size_t open = head.rfind('[');
    if (open == std::string_view::npos) return false;
    head = head.substr(0, open);
  }
  std::string_view base = Basename(head);
  if (EndsWith(base, ".exe")) base.remove_suffix(4);
  return base == "make" || base == "gmake" || base == "bmake" || base == "remake" ||
         EndsWith(base, "-make");
}

// "Makefile", "GNUmakefile", "makefile", "Makefile2", "rules.mk", "build.make", "x.mak".
bool IsMakefileName(std::string_view path) {
  std::string_view base = Basename(path);
  return StartsWith(base, "Makefile") || StartsWith(base, "makefile") ||
         StartsWith(base, "GNUmakefile") || EndsWith(base, ".mk") || EndsWith(base, ".make") ||
         EndsWith(base, ".mak");
}

std::string_view StripStop(std::string_view m) {
  m = TrimRight(m);
  if (EndsWith(m, "  Stop."))
    m.remove_suffix(7);
  else if (EndsWith(m, " Stop."))
    m.remove_suffix(6);
  return TrimRight(m);
}

class MakeParser final : public ToolParser {
 public:
  explicit MakeParser(std::shared_ptr<BuildContext> context)
      : context_(context ? std::move(context) : std::make_shared<BuildContext>()) {}

  std::string_view name() const override { return "make"; }

  bool Feed(const Line& line, EventSink& sink) override {
    std::string_view s = line.text;
    if (s.size() < 6) return false;
    size_t c = context_->ScanLine(line).first_colon;
    if (c == std::string_view::npos || c == 0 || c + 2 >= s.size()) return false;
    std::string_view head = s.substr(0, c);
    std::string_view after = s.substr(c + 1);

    if (after[0] == ' ') {
      // "make: ...", "make[2]: ..."
      if (!IsMakeName(head)) return false;
      return OnMakeLine(line, after.substr(1), sink);
    }
    // "Makefile:12: ..."
    if (!IsDigit(after[0])) return false;
    size_t i = 0;
    while (i < after.size() && IsDigit(after[i])) ++i;
    if (i + 2 > after.size() || after[i] != ':' || after[i + 1] != ' ') return false;
    int64_t ln = 0;
    if (!ParseNumber(after.substr(0, i), &ln)) return false;
    return OnMakefileLine(line, head, ln, after.substr(i + 2), sink);
  }

  void Flush(EventSink& sink) override {
    if (prefix_start_ != 0 && has_pending_) {
      pending_.raw_text.push_back('\n');
      pending_.raw_text.append(prefix_text_);
      pending_.log_line_end = prefix_end_;
    }
    prefix_text_.clear();
    prefix_start_ = prefix_end_ = 0;
    Emit(sink);
  }

 private:
  bool OnMakeLine(const Line& line, std::string_view rest, EventSink& sink) {
    if (StartsWith(rest, "*** ")) {
      std::string_view body = rest.substr(4);
      if (!body.empty() && body[0] == '[')
        return OnRecipeFailure(line, body, Severity::kError, sink);
      if (StartsWith(body, "Waiting for unfinished jobs") || StartsWith(body, "Deleting file") ||
          StartsWith(body, "Deleting intermediate file")) {
        if (!has_pending_) return false;
        AppendLine(pending_, line);
        return true;
      }
      Start(line, Severity::kError, StripStop(body), sink);
      return true;
    }
    if (!rest.empty() && rest[0] == '[' && EndsWith(rest, "(ignored)")) {
      return OnRecipeFailure(line, rest, Severity::kWarning, sink);
    }
    if (StartsWith(rest, "warning: ")) {
      Start(line, Severity::kWarning, TrimRight(rest.substr(9)), sink);
      return true;
    }
    if (EndsWith(rest, ": No such file or directory")) {
      Start(line, Severity::kError, rest, sink);
      return true;
    }
    return false;
  }

  bool OnMakefileLine(const Line& line, std::string_view file, int64_t ln, std::string_view rest,
                      EventSink& sink) {
    if (StartsWith(rest, "*** ")) {
      Start(line, Severity::kError, StripStop(rest.substr(4)), sink);
    } else if (StartsWith(rest, "warning: ignoring old recipe for target ") && has_pending_ &&
               StartsWith(pending_.message, "overriding recipe for target ")) {
      AppendLine(pending_, line);
      return true;
    } else if (StartsWith(rest, "warning: ") &&
               (IsMakefileName(file) ||
                StartsWith(rest, "warning: overriding recipe for target ") ||
                StartsWith(rest, "warning: ignoring old recipe for target ") ||
                StartsWith(rest, "warning: undefined variable "))) {
      Start(line, Severity::kWarning, TrimRight(rest.substr(9)), sink);
    } else if (StartsWith(rest, "recipe for target ") && EndsWith(rest, " failed")) {
      Emit(sink);  // old make: context for the "*** [target] Error N" line that follows
      if (prefix_start_ == 0) {
        prefix_start_ = line.number;
      } else {
        prefix_text_.push_back('\n');
      }
      prefix_text_.append(line.text);
      prefix_end_ = line.number;
      return true;
    } else if (IsMakefileName(file) && EndsWith(rest, ": No such file or directory")) {
      Start(line, Severity::kError, rest, sink);
    } else {
      return false;
    }
    pending_.file_path = std::string(file);
    pending_.line_number = ln;
    return true;
  }

  // body: "[Makefile:3: all] Error 1", "[all] Error 2", "[x] Segmentation fault (core dumped)",
  // "[Makefile:9: x] Error 1 (ignored)".
  bool OnRecipeFailure(const Line& line, std::string_view body, Severity sev, EventSink& sink) {
    size_t close = body.find("] ");
    if (close == std::string_view::npos) return false;
    std::string_view inside = body.substr(1, close - 1);
    std::string_view tail = body.substr(close + 2);
    Start(line, sev, body, sink);
    size_t cs = FindColonSpace(inside);
    if (cs != std::string_view::npos) {
      std::string_view path;
      int64_t ln = 0, col = 0;
      SplitLocation(inside.substr(0, cs), &path, &ln, &col);
      if (ln > 0) {
        pending_.file_path = std::string(path);
        pending_.line_number = ln;
      }
    }
    if (StartsWith(tail, "Error ")) {
      size_t end = 6;
      while (end < tail.size() && (IsDigit(tail[end]) || tail[end] == '-')) ++end;
      pending_.error_code = std::string(tail.substr(0, end));
    }
    return true;
  }

  void Start(const Line& line, Severity sev, std::string_view msg, EventSink& sink) {
    Emit(sink);
    pending_ = Event();
    if (prefix_start_ != 0) {
      pending_.raw_text = std::move(prefix_text_);
      pending_.log_line_start = prefix_start_;
      pending_.log_line_end = prefix_end_;
      prefix_text_.clear();
      prefix_start_ = prefix_end_ = 0;
    }
    AppendLine(pending_, line);
    pending_.severity = sev;
    pending_.message = std::string(msg);
    pending_.tool_name = "make";
    pending_.category = "build";
    has_pending_ = true;
  }

  void Emit(EventSink& sink) {
    if (!has_pending_) return;
    has_pending_ = false;
    sink.OnEvent(std::move(pending_));
    pending_ = Event();
  }

  std::shared_ptr<BuildContext> context_;
  Event pending_;
  bool has_pending_ = false;
  std::string prefix_text_;
  int64_t prefix_start_ = 0, prefix_end_ = 0;
};

}  // namespace

std::unique_ptr<ToolParser> MakeMakeParser(std::shared_ptr<BuildContext> context) {
  return std::make_unique<MakeParser>(std::move(context));
}

}  // namespace lq::logs::buildtools

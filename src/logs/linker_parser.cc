// Linker diagnostics: GNU ld (bfd), gold, lld, mold and Apple ld64 (tool_name "ld", or
// "lld" for lld; category "link").
//
// Forms (message as printed, minus the program/location prefix):
//   bfd   /usr/bin/ld: main.o: in function `main':            context for the next line
//         main.c:(.text+0x1a): undefined reference to `foo'   error, file "main.c"
//         /usr/bin/ld: main.c:12: undefined reference to `foo'  error, file "main.c" line 12
//         /usr/bin/ld: b.o:(.data+0x0): multiple definition of `x'; a.o:(.data+0x0): first defined
//         here
//                                   error "multiple definition of `x'" (the "first defined"
//                                   part stays in raw_text only)
//         /usr/bin/ld: cannot find -lfoo: No such file or directory
//                                   error "cannot find -lfoo" (the errno text that binutils
//                                   >= 2.39 appends is dropped so fingerprints do not change
//                                   with the binutils version)
//         /usr/bin/ld: warning: ...  / /usr/bin/ld: x.o: warning: ...   warning
//   gold  main.o:main.c:function main: error: undefined reference to 'foo'   file "main.c"
//         /usr/bin/ld.gold: error: b.o: multiple definition of 'x'           file "b.o"
//         /usr/bin/ld.gold: a.o: previous definition here                    continuation
//   lld   ld.lld: error: undefined symbol: foo
//         >>> referenced by main.c:3 (/src/main.c:3)    continuation; the first reference
//         >>>               main.o:(main)               gives file "main.c" and line 3
//         ld.lld: error: duplicate symbol: x / >>> defined at a.c / ...
//         ld.lld: error: unable to find library -lfoo
//   ld64  Undefined symbols for architecture arm64:
//           "_foo", referenced from:                     one event per symbol: error
//               _main in main.o                          "undefined symbol: _foo", file "main.o"
//         duplicate symbol '_x' in: / a.o / b.o          error "duplicate symbol '_x'", file "a.o"
//         ld: library not found for -lfoo
// Summaries: "collect2: error: ld returned 1 exit status", "<driver>: error: linker command
// failed with exit code 1 (...)", ld64's "ld: symbol(s) not found for architecture x" and
// "ld: 1 duplicate symbol for architecture x" restate the errors just before them: they
// are appended to the last event when it is an error, claimed by no event after a
// warning, and become an error event of their own when the linker lines right before had
// no error (then they are the only trace of a link failure in a shape we do not know).
#include "logs/build_parsers.h"

namespace lq::logs::buildtools {
namespace {

std::string_view StripExe(std::string_view name) {
  if (EndsWith(name, ".exe")) name.remove_suffix(4);
  return name;
}

// ld, ld.bfd, ld.gold, gold, ld.lld, ld64.lld, lld-link, wasm-ld, rust-lld, mold,
// x86_64-linux-gnu-ld, arm-none-eabi-ld.bfd, ...
bool IsLinkerName(std::string_view base) {
  base = StripExe(base);
  if (base.empty()) return false;
  char last = base.back();  // quick rejection: every name below ends with one of these
  if (last != 'd' && last != '4' && last != 'k' && last != 'w') return false;
  static constexpr std::string_view kNames[] = {
      "ld",       "ld.bfd",  "ld.gold",  "gold",     "ld.lld", "lld",  "ld64",
      "ld64.lld", "wasm-ld", "lld-link", "rust-lld", "ld-new", "mold", "ld.mold"};
  for (std::string_view n : kNames) {
    if (base == n) return true;
  }
  return EndsWith(base, "-ld") || EndsWith(base, "-ld.bfd") || EndsWith(base, "-ld.gold") ||
         EndsWith(base, "-ld.lld");
}

// The file of a linker location: "main.c:(.text+0x1a)" -> main.c; "main.o:main.c:function
// main" -> main.c; "/src/main.c:12" -> /src/main.c line 12; "libx.a(y.o):y.c:(.text)" -> y.c.
// "(.text+0x17)" -> no file.
void ParseLinkerLocation(std::string_view loc, std::string* file, int64_t* line) {
  *line = 0;
  size_t fn = loc.find(":function ");
  if (fn != std::string_view::npos) loc = loc.substr(0, fn);
  size_t section = loc.find(":(");
  if (section != std::string_view::npos && section > 0) loc = loc.substr(0, section);
  if (!loc.empty() && loc[0] == '(') {  // "(.text+0x17)": no file (see prefix_object_)
    file->clear();
    return;
  }
  std::string_view path;
  int64_t col = 0;
  SplitLocation(loc, &path, line, &col);
  // "obj:src": keep the source (a drive letter "C:" is not a separator).
  size_t from = path.size() > 2 && path[1] == ':' ? 2 : 0;
  size_t colon = path.rfind(':');
  if (colon != std::string_view::npos && colon >= from && colon + 1 < path.size())
    path = path.substr(colon + 1);
  *file = std::string(path);
}

// A location token before ": " in a linker message: no spaces, and path-like.
bool LooksLikeLocation(std::string_view t) {
  if (t.empty() || t.find(' ') != std::string_view::npos) return false;
  return t.find_first_of("./(\\") != std::string_view::npos;
}

bool IsLinkerMessage(std::string_view m) {
  return StartsWith(m, "undefined reference to ") || StartsWith(m, "multiple definition of ") ||
         StartsWith(m, "more undefined references to ") ||
         StartsWith(m, "relocation truncated to fit") || StartsWith(m, "undefined symbol");
}

class LinkerParser final : public ToolParser {
 public:
  explicit LinkerParser(std::shared_ptr<BuildContext> context)
      : context_(context ? std::move(context) : std::make_shared<BuildContext>()) {}

  std::string_view name() const override { return "ld"; }

  bool Feed(const Line& line, EventSink& sink) override {
    std::string_view s = line.text;
    if (s.empty()) return false;
    const char c = s[0];

    if (c == '>') {
      if (!has_pending_ || mode_ != Mode::kLld || !StartsWith(s, ">>> ")) return false;
      OnLldReference(line);
      return true;
    }
    if (c == ' ' || c == '\t') return OnIndented(line, sink);
    if (c == 'U' && StartsWith(s, "Undefined symbols for architecture ")) {
      Emit(sink);
      AddPrefix(line, {});
      mode_ = Mode::kMacUndefined;
      return true;
    }
    if (c == 'd' && StartsWith(s, "duplicate symbol ") && EndsWith(s, " in:")) {
      std::string_view sym = s.substr(0, s.size() - 4);
      Start(line, Severity::kError, "ld", sym, {}, sink);
      mode_ = Mode::kMacDuplicate;
      return true;
    }

    size_t cs = context_->ScanLine(line).colon_space;
    if (cs == std::string_view::npos) return false;
    std::string_view head = s.substr(0, cs);
    std::string_view rest = s.substr(cs + 2);
    std::string_view base = Basename(head);
    if (IsLinkerName(base)) {
      return OnLinkerLine(line, base, rest, sink);
    }
    if (StripExe(base) == "collect2") {
      std::string_view msg = rest;
      if (StartsWith(msg, "error: ")) msg.remove_prefix(7);
      if (StartsWith(msg, "ld returned ")) return OnSummary(line, msg, sink);
      if (StartsWith(msg, "fatal error: ")) msg.remove_prefix(13);
      Start(line, Severity::kError, "ld", msg, {}, sink);
      return true;
    }
    // Any compiler driver: "clang: error: linker command failed with exit code 1 (...)".
    if (StartsWith(rest, "error: linker command failed"))
      return OnSummary(line, rest.substr(7), sink);
    return OnLocated(line, head, rest, sink);
  }

  void Flush(EventSink& sink) override {
    if (prefix_start_ != 0 && has_pending_) {
      pending_.raw_text.push_back('\n');
      pending_.raw_text.append(prefix_text_);
      pending_.log_line_end = prefix_end_;
    }
    ClearPrefix();
    Emit(sink);
    mode_ = Mode::kNone;
    errors_in_run_ = 0;
  }

 private:
  enum class Mode { kNone, kLld, kMacUndefined, kMacDuplicate };

  // "ld: ...", "/usr/bin/ld: ...", "ld.lld: ...": everything after the program name.
  bool OnLinkerLine(const Line& line, std::string_view base, std::string_view rest,
                    EventSink& sink) {
    std::string_view tool = StripExe(base).find("lld") != std::string_view::npos ? "lld" : "ld";
    Severity sev = Severity::kError;
    bool tagged = false;
    if (StartsWith(rest, "error: ")) {
      rest.remove_prefix(7);
      tagged = true;
    } else if (StartsWith(rest, "fatal error: ")) {
      rest.remove_prefix(13);
      tagged = true;
    } else if (StartsWith(rest, "warning: ")) {
      rest.remove_prefix(9);
      sev = Severity::kWarning;
      tagged = true;
    } else if (StartsWith(rest, "NOTE: ") || StartsWith(rest, "note: ")) {
      if (!has_pending_) return false;
      AppendLine(pending_, line);  // bfd: "NOTE: This behaviour is deprecated ..."
      return true;
    }
    if (!tagged) {
      // ld64 summaries restate the errors above them.
      if (StartsWith(rest, "symbol(s) not found for architecture") ||
          (!rest.empty() && IsDigit(rest[0]) &&
           rest.find(" duplicate symbol") != std::string_view::npos)) {
        return OnSummary(line, rest, sink);
      }
      if (StartsWith(rest, "skipping incompatible ")) sev = Severity::kWarning;
    }
    std::string_view loc;
    size_t cs = FindColonSpace(rest);
    if (cs != std::string_view::npos && LooksLikeLocation(rest.substr(0, cs))) {
      std::string_view msg = rest.substr(cs + 2);
      if (!tagged) {
        if (StartsWith(msg, "in function `") || StartsWith(msg, "In function `")) {
          Emit(sink);
          AddPrefix(line, rest.substr(0, cs));
          return true;
        }
        if (msg == "previous definition here" && has_pending_) {  // gold
          AppendLine(pending_, line);
          return true;
        }
        if (StartsWith(msg, "warning: ")) {
          msg.remove_prefix(9);
          sev = Severity::kWarning;
        }
      }
      loc = rest.substr(0, cs);
      rest = msg;
    }
    Start(line, sev, tool, rest, loc, sink);
    if (tool == "lld" || StartsWith(rest, "undefined symbol: ") ||
        StartsWith(rest, "duplicate symbol: ")) {
      mode_ = Mode::kLld;
      lld_name_is_ld_ = tool == "ld" && (StripExe(base) == "ld" || EndsWith(StripExe(base), "-ld"));
    }
    return true;
  }

  // No program prefix: "main.c:(.text+0x1a): undefined reference to `foo'", gold's
  // "main.o:main.c:function main: error: undefined reference to 'foo'" and
  // "/src/main.c:3: error: undefined reference to 'foo'", old bfd "main.o: In function `main':".
  bool OnLocated(const Line& line, std::string_view loc, std::string_view msg, EventSink& sink) {
    if (msg.empty()) return false;
    switch (msg[0]) {  // quick rejection: the messages below start with one of these
      case 'u':
      case 'm':
      case 'r':
      case 'e':
      case 'w':
      case 'I':
      case 'i':
        break;
      default:
        return false;
    }
    Severity sev = Severity::kError;
    if (StartsWith(msg, "error: ")) {
      msg.remove_prefix(7);
    } else if (StartsWith(msg, "warning: ")) {
      // "x.c:(.text+0x5): warning: the use of `gets' is dangerous": only linker locations.
      if (loc.find(":(") == std::string_view::npos &&
          loc.find(":function ") == std::string_view::npos) {
        return false;
      }
      msg.remove_prefix(9);
      Start(line, Severity::kWarning, "ld", msg, loc, sink);
      return true;
    }
    if (!IsLinkerMessage(msg)) {
      if ((StartsWith(msg, "In function `") || StartsWith(msg, "in function `")) &&
          LooksLikeLocation(loc)) {
        Emit(sink);
        AddPrefix(line, loc);
        return true;
      }
      return false;
    }
    Start(line, sev, "ld", msg, loc, sink);
    return true;
  }

  // ">>> referenced by main.c:3 (/abs/main.c:3)", ">>> defined at a.c", ">>>   main.o:(main)".
  void OnLldReference(const Line& line) {
    AppendLine(pending_, line);
    if (lld_name_is_ld_) pending_.tool_name = "lld";  // e.g. the Android NDK's "ld" is lld
    if (!pending_.file_path.empty()) return;
    std::string_view t = TrimLeft(line.text.substr(4));
    if (StartsWith(t, "referenced by ")) {
      t.remove_prefix(14);
    } else if (StartsWith(t, "defined at ")) {
      t.remove_prefix(11);
    } else if (StartsWith(t, "referenced ")) {
      return;  // ">>> referenced 12 more times"
    }
    // else the second line, ">>>               main.o:(main)": the object when no source
    // file was named on the first.
    size_t paren = t.find(" (");
    if (paren != std::string_view::npos) t = t.substr(0, paren);
    size_t in_archive = t.find(" in archive ");
    if (in_archive != std::string_view::npos) t = t.substr(0, in_archive);
    if (!LooksLikeLocation(t)) return;
    ParseLinkerLocation(t, &pending_.file_path, &pending_.line_number);
  }

  bool OnIndented(const Line& line, EventSink& sink) {
    std::string_view t = TrimLeft(line.text);
    if (mode_ == Mode::kMacUndefined) {
      if (!t.empty() && t[0] == '"' && EndsWith(t, "\", referenced from:")) {
        std::string msg = "undefined symbol: ";
        msg.append(t.substr(1, t.size() - 1 - std::string_view("\", referenced from:").size()));
        Start(line, Severity::kError, "ld", msg, {}, sink);
        mode_ = Mode::kMacUndefined;
        return true;
      }
      if (!has_pending_) return false;
      AppendLine(pending_, line);
      if (pending_.file_path.empty()) {  // "      _main in main.o"
        size_t in = t.rfind(" in ");
        if (in != std::string_view::npos) pending_.file_path = std::string(Trim(t.substr(in + 4)));
      }
      return true;
    }
    if (mode_ == Mode::kMacDuplicate && has_pending_) {
      AppendLine(pending_, line);
      if (pending_.file_path.empty()) pending_.file_path = std::string(Trim(t));
      return true;
    }
    return false;
  }

  // collect2's "ld returned 1 exit status" and friends: part of the error event it
  // summarizes, claimed by no event after a warning, an event of its own when this run of
  // linker lines had no error.
  bool OnSummary(const Line& line, std::string_view msg, EventSink& sink) {
    mode_ = Mode::kNone;
    if (errors_in_run_ > 0) {
      if (has_pending_ && pending_.severity == Severity::kError) AppendLine(pending_, line);
      return true;
    }
    Start(line, Severity::kError, "ld", msg, {}, sink);
    return true;
  }

  // Emits the pending event and starts a new one from `line` (plus any prefix lines).
  // `loc` is the linker location printed before the message ("" if none); when it names
  // no file, the object of a preceding "obj.o: in function `f':" line is the file.
  void Start(const Line& line, Severity sev, std::string_view tool, std::string_view msg,
             std::string_view loc, EventSink& sink) {
    Emit(sink);
    mode_ = Mode::kNone;
    pending_ = Event();
    if (!loc.empty()) ParseLinkerLocation(loc, &pending_.file_path, &pending_.line_number);
    if (prefix_start_ != 0) {
      pending_.raw_text = std::move(prefix_text_);
      pending_.log_line_start = prefix_start_;
      pending_.log_line_end = prefix_end_;
      if (pending_.file_path.empty()) pending_.file_path = std::move(prefix_object_);
      ClearPrefix();
    }
    AppendLine(pending_, line);
    pending_.severity = sev;
    pending_.tool_name = std::string(tool);
    pending_.category = "link";
    msg = TrimRight(msg);
    // "multiple definition of `x'; a.o:(.data+0x0): first defined here" -> the first part.
    if (StartsWith(msg, "multiple definition of ")) {
      size_t semi = msg.find("; ");
      if (semi != std::string_view::npos) msg = msg.substr(0, semi);
    }
    if (StartsWith(msg, "cannot find ") && EndsWith(msg, ": No such file or directory")) {
      msg.remove_suffix(std::string_view(": No such file or directory").size());
    }
    pending_.message = std::string(msg);
    has_pending_ = true;
    if (sev == Severity::kError) ++errors_in_run_;
  }

  void Emit(EventSink& sink) {
    if (!has_pending_) return;
    has_pending_ = false;
    sink.OnEvent(std::move(pending_));
    pending_ = Event();
  }

  // A context line for the next event; `object` is the location it names, if any.
  void AddPrefix(const Line& line, std::string_view object) {
    if (prefix_start_ == 0) {
      prefix_start_ = line.number;
    } else {
      prefix_text_.push_back('\n');
    }
    if (!object.empty()) {
      int64_t unused = 0;
      ParseLinkerLocation(object, &prefix_object_, &unused);
    }
    prefix_text_.append(line.text);
    prefix_end_ = line.number;
  }
  void ClearPrefix() {
    prefix_text_.clear();
    prefix_object_.clear();
    prefix_start_ = prefix_end_ = 0;
  }

  std::shared_ptr<BuildContext> context_;
  Event pending_;
  bool has_pending_ = false;
  Mode mode_ = Mode::kNone;
  bool lld_name_is_ld_ = false;
  int errors_in_run_ = 0;  // error events since this parser last became active
  std::string prefix_text_;
  std::string prefix_object_;  // the object named by the "in function" context line
  int64_t prefix_start_ = 0, prefix_end_ = 0;
};

}  // namespace

std::unique_ptr<ToolParser> MakeLinkerParser(std::shared_ptr<BuildContext> context) {
  return std::make_unique<LinkerParser>(std::move(context));
}

}  // namespace lq::logs::buildtools

// ShellCheck, gcc and tty (default) formats.
//
//   a.sh:3:10: error: Iterating over ls output is fragile. Use globs. [SC2045]    (-f gcc)
//
//   In a.sh line 3:                                  (tty) header
//   for f in $(ls *.txt); do                         the source line
//            ^---------^ SC2045 (error): Iterating over ls output is fragile. Use globs.
//                 ^-- SC2035 (info): Use ./*glob* or -- *glob* so names ...     <- one event each;
//                                                                                  column = caret +
//                                                                                  1
//   Did you mean:                                    suggestion lines up to the next blank line,
//   for f in ./*glob*; do                            and the closing "For more information:" list
//                                                    are claimed without events
// The trailing "[SCnnnn]" is the signal for the gcc format, so scripts without an extension are
// recognized too. Severities: error, warning; info and style map to kNote (gcc format prints
// both as "note"). tool "shellcheck", category "lint", error_code "SC2045".
#include <string>

#include "logs/language_parsers.h"

namespace lq::logs {
namespace {

using namespace lang;

constexpr sv kTool = "shellcheck";
constexpr sv kCategory = "lint";

bool SeverityWord(sv w, Severity* sev) {
  if (w == "error") {
    *sev = Severity::kError;
  } else if (w == "warning") {
    *sev = Severity::kWarning;
  } else if (w == "note" || w == "info" || w == "style") {
    *sev = Severity::kNote;
  } else {
    return false;
  }
  return true;
}

// "SC2086" at s[i]: returns its length or 0.
size_t ScCode(sv s, size_t i) {
  if (s.substr(i, 2) != "SC") return 0;
  size_t j = i + 2;
  while (j < s.size() && IsDigit(s[j])) ++j;
  return j - i >= 6 ? j - i : 0;
}

class ShellcheckParser final : public ToolParser {
 public:
  explicit ShellcheckParser(ScanPtr scan) : scan_(std::move(scan)) {}
  std::string_view name() const override { return kTool; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    switch (mode_) {
      case Mode::kSource:  // the line after "In a.sh line 3:" is the script's line, whatever it is
        header_text_.push_back('\n');
        header_text_.append(t);
        mode_ = Mode::kCarets;
        return true;
      case Mode::kCarets:
        if (FeedCaret(line, sink)) return true;
        if (t.empty()) return true;
        if (StartsWith(t, "Did you mean:")) {
          mode_ = Mode::kSuggestion;
          return true;
        }
        mode_ = Mode::kNone;
        break;
      case Mode::kSuggestion:
        if (!t.empty()) return true;
        mode_ = Mode::kCarets;  // blank: maybe more blank lines, then the next "In ..." header
        return true;
      case Mode::kMoreInfo:
        if (StartsWith(t, "  https://www.shellcheck.net/wiki/") || StartsWith(t, "  https://"))
          return true;
        mode_ = Mode::kNone;
        break;
      case Mode::kNone:
        break;
    }
    if (t.size() < 8) return false;
    if (t[0] == 'I' && ParseTtyHeader(line)) {
      mode_ = Mode::kSource;
      return true;
    }
    if (t[0] == 'F' && t == "For more information:" && seen_) {
      mode_ = Mode::kMoreInfo;
      return true;
    }
    if (t.back() == ']') return FeedGcc(line, sink);
    return false;
  }

  void Flush(EventSink&) override {}

 private:
  enum class Mode { kNone, kSource, kCarets, kSuggestion, kMoreInfo };

  // "In a.sh line 3:"
  bool ParseTtyHeader(const Line& line) {
    sv t = line.text;
    if (!StartsWith(t, "In ") || t.back() != ':') return false;
    size_t p = t.rfind(" line ");
    if (p == sv::npos || p < 4) return false;
    int64_t n = 0;
    if (!ParseUint(t.substr(p + 6, t.size() - p - 7), &n)) return false;
    file_.assign(t.substr(3, p - 3));
    line_ = n;
    header_text_.assign(t);
    header_start_ = line.number;
    seen_ = true;
    return true;
  }

  // "     ^-- SC2086 (info): Double quote to prevent globbing and word splitting."
  bool FeedCaret(const Line& line, EventSink& sink) {
    sv t = line.text;
    size_t caret = Indent(t);
    if (caret >= t.size() || t[caret] != '^') return false;
    size_t i = caret + 1;
    while (i < t.size() && (t[i] == '-' || t[i] == '^')) ++i;
    if (i >= t.size() || t[i] != ' ') return false;
    ++i;
    size_t n = ScCode(t, i);
    if (n == 0) return false;
    sv code = t.substr(i, n);
    i += n;
    if (t.substr(i, 2) != " (") return false;
    size_t close = t.find("): ", i);
    if (close == sv::npos) return false;
    Severity sev;
    if (!SeverityWord(t.substr(i + 2, close - i - 2), &sev)) return false;
    Event e = MakeEvent(sev, file_, line_, static_cast<int64_t>(caret) + 1, t.substr(close + 3),
                        line, kTool, kCategory, code);
    // The event spans the "In ... line N:" header down to its caret line.
    e.log_line_start = header_start_;
    e.raw_text = header_text_ + "\n" + std::string(t);
    sink.OnEvent(std::move(e));
    return true;
  }

  // "a.sh:3:10: error: Iterating over ls output is fragile. Use globs. [SC2045]"
  bool FeedGcc(const Line& line, EventSink& sink) {
    sv t = line.text;
    // " [SC2045]" closes the line (codes have 4 digits, 5 allowed).
    size_t open = sv::npos;
    for (size_t digits : {4, 5}) {
      size_t at = t.size() - digits - 5;
      if (t.size() > digits + 5 && t.substr(at, 4) == " [SC" && ScCode(t, at + 2) == digits + 2)
        open = at;
    }
    if (open == sv::npos) return false;
    const LineScan& scan = scan_->Of(line);
    const ColonLoc& loc = scan.loc;
    if (!scan.loc_ok || loc.rest >= open) return false;
    sv rest = TrimLeft(t.substr(loc.rest, open - loc.rest));
    size_t colon = rest.find(": ");
    if (colon == sv::npos) return false;
    Severity sev;
    if (!SeverityWord(rest.substr(0, colon), &sev)) return false;
    seen_ = true;
    sink.OnEvent(MakeEvent(sev, loc.file, loc.line, loc.column, rest.substr(colon + 2), line, kTool,
                           kCategory, t.substr(open + 2, t.size() - open - 3)));
    return true;
  }

  ScanPtr scan_;
  Mode mode_ = Mode::kNone;
  bool seen_ = false;
  std::string file_;
  int64_t line_ = 0;
  std::string header_text_;
  int64_t header_start_ = 0;
};

}  // namespace

std::unique_ptr<ToolParser> MakeShellcheckParser(ScanPtr scan) {
  return std::make_unique<ShellcheckParser>(std::move(scan));
}

}  // namespace lq::logs

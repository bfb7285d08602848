// ESLint, in its three line-oriented formats.
//
// stylish (the default):
//   /p/lib/a.js                                                   <- file line (not claimed: it is
//     1:7   error    'fs' is assigned a value but never used  no-unused-vars   recognized by the
//     4:9   warning  Expected '===' and instead saw '=='      eqeqeq           message lines after
//     it)
//   ✖ 9 problems (8 errors, 1 warning)                            <- summary, claimed, no event
//     2 errors and 0 warnings potentially fixable with the `--fix` option.
// unix:
//   /p/lib/a.js:1:7: 'fs' is assigned a value but never used. [Error/no-unused-vars]
// compact:
//   /p/lib/a.js: line 1, col 7, Error - 'fs' is assigned a value but never used. (no-unused-vars)
//
// tool "eslint", category "lint", error_code = rule id ("" for parsing errors). One event per
// message line.
#include <string>

#include "logs/language_parsers.h"

namespace lq::logs {
namespace {

using namespace lang;

constexpr sv kTool = "eslint";
constexpr sv kCategory = "lint";

bool IsRuleId(sv s) {
  if (s.empty() || s.size() > 100) return false;
  for (char c : s) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '/' && c != '@' && c != '_' && c != '.')
      return false;
  }
  return true;
}

class EslintParser final : public ToolParser {
 public:
  explicit EslintParser(ScanPtr scan) : scan_(std::move(scan)) {}
  std::string_view name() const override { return kTool; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    if (t.empty()) {
      // Blank lines between stylish file groups, and before the summary.
      if (in_group_) {
        in_group_ = false;
        after_group_ = true;
        return true;
      }
      return false;
    }
    char c = t[0];
    if (c == ' ' && t.size() > 3 && t[1] == ' ' && IsDigit(t[2])) {
      if (FeedStylish(line, sink)) return true;
    } else if (in_group_ || after_group_) {
      in_group_ = false;
      if (StartsWith(t, "\xE2\x9C\x96 ") ||
          (StartsWith(t, "  ") && t.find("potentially fixable") != sv::npos)) {
        after_group_ = true;  // "✖ 3 problems (...)" and its "fixable" line
        return true;
      }
      after_group_ = false;
    }
    if (after_unix_ && IsDigit(c) && (EndsWith(t, " problems") || EndsWith(t, " problem"))) {
      after_unix_ = false;
      return true;  // unix format's "9 problems"
    }
    if (c != ' ' && c != '\t') {
      if (t.back() == ']' && FeedUnix(line, sink)) return true;
      if (t.back() == ')' && FeedCompact(line, sink)) return true;
      // Maybe a stylish file line (a path: no ':' but a drive's, no space): remember it for
      // the message lines after it.
      char last = t.back();
      if (t.size() < 4096 && (IsAlpha(last) || IsDigit(last)) && t.find(' ') == sv::npos &&
          scan_->Of(line).colon == sv::npos) {
        lookback_.Set(line);
      }
    }
    return false;
  }

  void Flush(EventSink&) override {}

 private:
  // "  1:7   error    'fs' is assigned a value but never used  no-unused-vars"
  bool FeedStylish(const Line& line, EventSink& sink) {
    sv t = line.text;
    size_t i = 2;
    int64_t l = 0, col = 0;
    if (!ReadUint(t, &i, &l) || i >= t.size() || t[i] != ':') return false;
    ++i;
    if (!ReadUint(t, &i, &col) || i + 2 > t.size() || t[i] != ' ' || t[i + 1] != ' ') return false;
    sv rest = TrimLeft(t.substr(i));
    Severity sev;
    if (StartsWith(rest, "error  ")) {
      sev = Severity::kError;
      rest = rest.substr(5);
    } else if (StartsWith(rest, "warning  ")) {
      sev = Severity::kWarning;
      rest = rest.substr(7);
    } else {
      return false;
    }
    rest = Trim(rest);
    sv message = rest, rule;
    size_t gap = rest.rfind("  ");
    if (gap != sv::npos) {
      sv cand = TrimLeft(rest.substr(gap));
      if (IsRuleId(cand)) {
        rule = cand;
        message = TrimRight(rest.substr(0, gap));
      }
    }
    if (!in_group_) {
      // First message of a file group: the file is the line just before it.
      file_.clear();
      if (lookback_.Precedes(line)) file_.assign(Trim(lookback_.text()));
    }
    in_group_ = true;
    after_group_ = false;
    sink.OnEvent(MakeEvent(sev, file_, l, col, message, line, kTool, kCategory, rule));
    return true;
  }

  // "/p/a.js:1:7: msg [Error/no-unused-vars]"
  bool FeedUnix(const Line& line, EventSink& sink) {
    sv t = line.text;
    size_t open = t.rfind('[');
    if (open == sv::npos || open == 0 || t[open - 1] != ' ') return false;
    sv tag = t.substr(open + 1, t.size() - open - 2);
    Severity sev;
    if (StartsWith(tag, "Error")) {
      sev = Severity::kError;
      tag.remove_prefix(5);
    } else if (StartsWith(tag, "Warning")) {
      sev = Severity::kWarning;
      tag.remove_prefix(7);
    } else {
      return false;
    }
    if (!tag.empty() && tag[0] != '/') return false;
    sv rule = tag.empty() ? sv() : tag.substr(1);
    const LineScan& scan = scan_->Of(line);
    const ColonLoc& loc = scan.loc;
    if (!scan.loc_ok || loc.column == 0 || loc.rest >= open) return false;
    sv message = t.substr(loc.rest, open - loc.rest);
    sink.OnEvent(
        MakeEvent(sev, loc.file, loc.line, loc.column, message, line, kTool, kCategory, rule));
    after_unix_ = true;
    return true;
  }

  // "/p/a.js: line 1, col 7, Error - msg (rule)"
  bool FeedCompact(const Line& line, EventSink& sink) {
    sv t = line.text;
    size_t c = scan_->Of(line).colon;
    if (c == sv::npos || c == 0 || t.substr(c, 7) != ": line ") return false;
    size_t i = c + 7;
    int64_t l = 0, col = 0;
    if (!ReadUint(t, &i, &l) || t.substr(i, 6) != ", col " || !ReadUint(t, &(i += 6), &col) ||
        t.substr(i, 2) != ", ") {
      return false;
    }
    sv rest = t.substr(i + 2);
    Severity sev;
    if (StartsWith(rest, "Error - ")) {
      sev = Severity::kError;
    } else if (StartsWith(rest, "Warning - ")) {
      sev = Severity::kWarning;
    } else {
      return false;
    }
    rest = rest.substr(rest.find(" - ") + 3);
    sv rule;
    size_t open = rest.rfind(" (");
    if (open != sv::npos && IsRuleId(rest.substr(open + 2, rest.size() - open - 3))) {
      rule = rest.substr(open + 2, rest.size() - open - 3);
      rest = rest.substr(0, open);
    }
    sink.OnEvent(MakeEvent(sev, t.substr(0, c), l, col, rest, line, kTool, kCategory, rule));
    return true;
  }

  ScanPtr scan_;
  Lookback lookback_;
  std::string file_;
  bool in_group_ = false;
  bool after_group_ = false;
  bool after_unix_ = false;
};

}  // namespace

std::unique_ptr<ToolParser> MakeEslintParser(ScanPtr scan) {
  return std::make_unique<EslintParser>(std::move(scan));
}

}  // namespace lq::logs

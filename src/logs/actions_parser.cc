// GitHub Actions workflow commands and their rendered log form.
//
//   ::error file=app.js,line=10,col=15,endColumn=20,title=T::Something went wrong
//   ::warning::message            ::notice file=a.py,line=1::message
//   ##[error]Process completed with exit code 1.      (how a downloaded job log shows them)
//
// Property values are escaped (%25 %0D %0A %3A %2C), the message too (%25 %0D %0A). The
// message of the event is the first non-empty line of the unescaped data (events are one
// line); `notice` maps to Severity::kNote. Other commands (::group::, ::debug::,
// ::add-mask::, ...) are claimed without an event.
#include <string>

#include "logs/language_parsers.h"

namespace lq::logs {
namespace {

using namespace lang;

constexpr sv kTool = "github-actions";
constexpr sv kCategory = "build";

char LowerAscii(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(sv a, sv b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  c = LowerAscii(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Undoes the runner's escaping: %XX for the escaped characters (any hex pair is accepted).
std::string Unescape(sv s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]);
      int lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// First non-blank line of a multi-line message.
std::string FirstLine(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t nl = s.find_first_of("\r\n", i);
    if (nl == std::string::npos) nl = s.size();
    sv part = Trim(sv(s).substr(i, nl - i));
    if (!part.empty()) return std::string(part);
    i = nl + 1;
  }
  return std::string();
}

bool SeverityOf(sv cmd, Severity* sev) {
  if (EqualsNoCase(cmd, "error")) {
    *sev = Severity::kError;
  } else if (EqualsNoCase(cmd, "warning")) {
    *sev = Severity::kWarning;
  } else if (EqualsNoCase(cmd, "notice")) {
    *sev = Severity::kNote;
  } else {
    return false;
  }
  return true;
}

class ActionsParser final : public ToolParser {
 public:
  std::string_view name() const override { return kTool; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    if (t.size() < 3) return false;
    if (t[0] == ':' && t[1] == ':') return FeedCommand(line, t.substr(2), sink);
    if (t[0] == '#' && t[1] == '#' && t[2] == '[') return FeedRendered(line, t.substr(3), sink);
    return false;
  }

  void Flush(EventSink&) override {}

 private:
  // "cmd[ props]::data"
  bool FeedCommand(const Line& line, sv s, EventSink& sink) {
    size_t end = s.find("::");
    if (end == sv::npos) return false;
    sv head = s.substr(0, end);
    sv data = s.substr(end + 2);
    size_t sp = head.find(' ');
    sv cmd = head.substr(0, sp);
    sv props = sp == sv::npos ? sv() : head.substr(sp + 1);
    if (cmd.empty()) return false;
    for (char c : cmd) {
      if (!IsAlpha(c) && c != '-' && c != '_') return false;
    }
    Severity sev;
    if (!SeverityOf(cmd, &sev)) return true;  // ::group::, ::debug::, ::add-mask::, ...
    std::string file;
    int64_t line_no = 0, col = 0;
    std::string title;
    while (!props.empty()) {
      size_t comma = props.find(',');
      sv kv = Trim(props.substr(0, comma));
      props = comma == sv::npos ? sv() : props.substr(comma + 1);
      size_t eq = kv.find('=');
      if (eq == sv::npos) continue;
      sv key = kv.substr(0, eq);
      sv value = kv.substr(eq + 1);
      if (EqualsNoCase(key, "file")) {
        file = Unescape(value);
      } else if (EqualsNoCase(key, "line")) {
        ParseUint(Unescape(value), &line_no);
      } else if (EqualsNoCase(key, "col")) {
        ParseUint(Unescape(value), &col);
      } else if (EqualsNoCase(key, "title")) {
        title = Unescape(value);
      }
    }
    std::string message = FirstLine(Unescape(data));
    if (message.empty()) message = FirstLine(title);
    sink.OnEvent(MakeEvent(sev, file, line_no, col, message, line, kTool, kCategory, ""));
    return true;
  }

  // "error]message" after "##["
  bool FeedRendered(const Line& line, sv s, EventSink& sink) {
    size_t close = s.find(']');
    if (close == sv::npos || close > 16) return false;
    sv cmd = s.substr(0, close);
    Severity sev;
    if (!SeverityOf(cmd, &sev)) return false;  // ##[group], ##[command], ...: not ours to keep
    std::string message = FirstLine(Unescape(s.substr(close + 1)));
    sink.OnEvent(MakeEvent(sev, "", 0, 0, message, line, kTool, kCategory, ""));
    return true;
  }
};

}  // namespace

std::unique_ptr<ToolParser> MakeActionsParser() { return std::make_unique<ActionsParser>(); }

}  // namespace lq::logs

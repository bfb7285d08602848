// The TypeScript compiler (tsc, also vue-tsc and tsgo, which print the same shapes).
//
//   src/a.ts(4,7): error TS2322: Type 'string' is not assignable to type 'number'.   (--pretty
//   false)
//     Types of parameters 's' and 'n' are incompatible.      <- indented: message chain, kept in
//     raw_text
//   src/a.ts:4:7 - error TS2322: Type 'string' is not ...    (--pretty, the default on a terminal)
//                                                           <- blank lines, the "4 const x"
//                                                           snippet,
//   4 const x: number = "hello";                               "~~~" markers and indented related
//           ~                                                  locations all belong to the error
//   error TS5058: The specified path does not exist: 'x'.   <- no location
//   Found 7 errors in 3 files.                              <- summary (and its "Errors  Files"
//                                                              table): claimed, no event
// tool "tsc", category "type-check", error_code "TS2322"; "message TSxxxx" maps to kNote.
#include <cstring>
#include <string>

#include "logs/language_parsers.h"

namespace lq::logs {
namespace {

using namespace lang;

constexpr sv kTool = "tsc";
constexpr sv kCategory = "type-check";

bool IsTsFile(sv f) {
  return EndsWithAny(
      f, {".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".json", ".vue"});
}

// "error TS2322: msg" at s[0]. Sets severity, code and message.
bool ParseSeverityCode(sv s, Severity* sev, sv* code, sv* msg) {
  size_t i;
  if (StartsWith(s, "error TS")) {
    *sev = Severity::kError;
    i = 6;
  } else if (StartsWith(s, "warning TS")) {
    *sev = Severity::kWarning;
    i = 8;
  } else if (StartsWith(s, "message TS")) {
    *sev = Severity::kNote;
    i = 8;
  } else {
    return false;
  }
  size_t j = i + 2;
  while (j < s.size() && IsDigit(s[j])) ++j;
  if (j == i + 2 || j + 1 >= s.size() || s[j] != ':' || s[j + 1] != ' ') return false;
  *code = s.substr(i, j - i);
  *msg = s.substr(j + 2);
  return true;
}

class TypeScriptParser final : public ToolParser {
 public:
  explicit TypeScriptParser(ScanPtr scan) : scan_(std::move(scan)) {}
  std::string_view name() const override { return kTool; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    switch (mode_) {
      case Mode::kPlain:
        if (t.size() > 1 && t[0] == ' ' && t[1] == ' ') {
          pending_.Add(line);
          return true;
        }
        Emit(sink);
        break;
      case Mode::kPretty:
        if (IsBlank(t) || IsSpace(t[0]) || IsSnippet(t)) {
          pending_.Add(line);
          return true;
        }
        Emit(sink);
        break;
      case Mode::kSummary:
        if (sv s = TrimLeft(t); s.size() < t.size() && !s.empty() && IsDigit(s[0])) return true;
        mode_ = Mode::kNone;
        break;
      case Mode::kNone:
        break;
    }
    return Start(line);
  }

  void Flush(EventSink& sink) override { Emit(sink); }

 private:
  enum class Mode { kNone, kPlain, kPretty, kSummary };

  // "4 const x: number" (line-number gutter of --pretty output)
  static bool IsSnippet(sv t) {
    size_t i = 0;
    while (i < t.size() && IsDigit(t[i])) ++i;
    return i > 0 && (i == t.size() || t[i] == ' ');
  }

  void Emit(EventSink& sink) {
    pending_.Emit(sink);
    mode_ = Mode::kNone;
  }

  bool Start(const Line& line) {
    sv t = line.text;
    if (t.size() < 6) return false;
    char c = t[0];
    if (c == ' ' || c == '\t') return false;
    Severity sev;
    sv code, msg;
    if (c == 'e' && ParseSeverityCode(t, &sev, &code, &msg)) {
      pending_.Begin(MakeEvent(sev, "", 0, 0, msg, line, kTool, kCategory, code));
      mode_ = Mode::kPlain;
      return true;
    }
    if (c == 'F' && StartsWith(t, "Found ") && IsDigit(t[6]) && t.find(" error") != sv::npos)
      return true;
    if (c == 'E' && StartsWith(t, "Errors  Files")) {
      mode_ = Mode::kSummary;
      return true;
    }
    if (c == '[' && IsDigit(t[1]) &&
        (t[2] == ':' || t[3] == ':')) {  // watch mode: "[12:00:00 PM] ..."
      size_t close = t.find("] ");
      if (close != sv::npos && close < 16) {
        sv rest = t.substr(close + 2);
        if (StartsWith(rest, "Found ") || StartsWith(rest, "Starting compilation") ||
            StartsWith(rest, "File change detected") ||
            StartsWith(rest, "Starting incremental compilation")) {
          return true;
        }
      }
    }
    const LineScan& scan = scan_->Of(line);
    // "path(L,C): error TS...": the first ':' closes the location.
    if (scan.colon != sv::npos && scan.colon > 4 && t[scan.colon - 1] == ')') {
      size_t p = t.rfind('(', scan.colon);
      sv file = t.substr(0, p == sv::npos ? 0 : p);
      if (p != sv::npos && p > 0 && IsTsFile(file)) {
        size_t i = p + 1;
        int64_t l = 0, col = 0;
        if (ReadUint(t, &i, &l) && i < t.size() && t[i] == ',' && (++i, ReadUint(t, &i, &col)) &&
            t.substr(i, 3) == "): " && ParseSeverityCode(t.substr(i + 3), &sev, &code, &msg)) {
          pending_.Begin(MakeEvent(sev, file, l, col, msg, line, kTool, kCategory, code));
          mode_ = Mode::kPlain;
          return true;
        }
      }
    }
    // "path:L:C - error TS..."
    const ColonLoc& loc = scan.loc_nt;
    if (scan.nt_ok && loc.column > 0 && IsTsFile(loc.file) && t.substr(loc.rest, 3) == " - " &&
        ParseSeverityCode(t.substr(loc.rest + 3), &sev, &code, &msg)) {
      pending_.Begin(
          MakeEvent(sev, loc.file, loc.line, loc.column, msg, line, kTool, kCategory, code));
      mode_ = Mode::kPretty;
      return true;
    }
    return false;
  }

  ScanPtr scan_;
  Mode mode_ = Mode::kNone;
  PendingEvent pending_;
};

}  // namespace

std::unique_ptr<ToolParser> MakeTypeScriptParser(ScanPtr scan) {
  return std::make_unique<TypeScriptParser>(std::move(scan));
}

}  // namespace lq::logs

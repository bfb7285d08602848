// Microsoft Visual C++: cl, link, and both as MSBuild prints them.
//
//   C:\p\main.cpp(3,5): error C2065: 'x': undeclared identifier        (MSBuild: "(line,col)")
//   main.cpp(3): warning C4101: 'y': unreferenced local variable       (cl: "(line)")
//   C:\p\a.h(10): note: see declaration of 'foo'                        <- a note right after an
//                                                                          msvc event belongs to it
//   LINK : fatal error LNK1104: cannot open file 'foo.lib'
//   main.obj : error LNK2019: unresolved external symbol "int __cdecl f(void)" (?f@@YAHXZ)
//       referenced in function main
//   cl : Command line warning D9002: ignoring unknown option '-Wall'
// MSBuild adds a "  3>" project prefix and a " [C:\p\proj.vcxproj]" suffix: both are dropped;
// its summary's repeats of each diagnostic (after "Build FAILED.") are not second events.
// tool "msvc", error_code "C2065"/"LNK2019"/"D9002"; category "link" for LNK codes, else
// "compile". "fatal error" is Severity::kError. Only lines with such a code (or a note right
// after one) are taken, so clang's and C# compiler's lines stay theirs.
#include <cstring>
#include <string>
#include <unordered_set>

#include "logs/language_parsers.h"

namespace lq::logs {
namespace {

using namespace lang;

constexpr sv kTool = "msvc";

// "error C2065: msg" / "fatal error LNK1104: msg" / "warning C4101: msg" / "note: msg" at s[0].
bool ParseDiag(sv s, Severity* sev, sv* code, sv* msg, bool* is_note) {
  *is_note = false;
  size_t i;
  if (StartsWith(s, "error ")) {
    *sev = Severity::kError;
    i = 6;
  } else if (StartsWith(s, "fatal error ")) {
    *sev = Severity::kError;
    i = 12;
  } else if (StartsWith(s, "warning ")) {
    *sev = Severity::kWarning;
    i = 8;
  } else if (StartsWith(s, "Command line error ")) {
    *sev = Severity::kError;
    i = 19;
  } else if (StartsWith(s, "Command line warning ")) {
    *sev = Severity::kWarning;
    i = 21;
  } else if (StartsWith(s, "note: ")) {
    *sev = Severity::kNote;
    *code = sv();
    *msg = s.substr(6);
    *is_note = true;
    return true;
  } else {
    return false;
  }
  size_t n = CodeLength(s, i, 3);
  if (n == 0 || s.substr(i + n, 2) != ": ") return false;
  sv c = s.substr(i, n);
  // C1234 (compiler), LNK1234 (linker), D9002 (driver), RC1234 (resources), MSB1234, U1234 (nmake)
  if (!(c[0] == 'C' && IsDigit(c[1])) && !StartsWith(c, "LNK") && !(c[0] == 'D' && IsDigit(c[1])) &&
      !StartsWith(c, "RC") && !StartsWith(c, "MSB") && !(c[0] == 'U' && IsDigit(c[1]))) {
    return false;
  }
  *code = c;
  *msg = s.substr(i + n + 2);
  return true;
}

class MsvcParser final : public ToolParser {
 public:
  explicit MsvcParser(ScanPtr scan) : scan_(std::move(scan)) {}
  std::string_view name() const override { return kTool; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    // Every form has its location or tool closed by the line's first (non-drive) colon:
    // "main.cpp(3,5): ", "main.obj : ", "LINK : ".
    // MSBuild's "  3>" prefix hides a drive colon from the shared scan: scan such lines here.
    size_t colon =
        t.empty() || (t[0] != ' ' && !IsDigit(t[0])) ? scan_->Of(line).colon : SkipPrefixColon(t);
    if (t.size() < 10 || colon == sv::npos || colon == 0 || colon + 2 >= t.size() ||
        t[colon + 1] != ' ' || (t[colon - 1] != ')' && t[colon - 1] != ' ')) {
      return Other(line, sink);
    }
    // MSBuild decorations.
    size_t i = 0;
    while (i < t.size() && t[i] == ' ') ++i;
    size_t d = i;
    while (d < t.size() && IsDigit(t[d])) ++d;
    if (d > i && d < t.size() && t[d] == '>') i = d + 1;
    sv s = t.substr(i);
    if (EndsWith(s, ".vcxproj]") || EndsWith(s, ".vcproj]") || EndsWith(s, ".csproj]")) {
      size_t open = s.rfind(" [");
      if (open != sv::npos) s = s.substr(0, open);
    }
    Severity sev;
    sv code, msg, file;
    bool is_note = false;
    int64_t l = 0, c = 0;
    colon -= i;
    bool ok = t[i + colon - 1] == ')'
                  ? ParseParenLoc(s, colon, &file, &l, &c, &sev, &code, &msg, &is_note)
                  : ParseColonTool(s, colon, &file, &sev, &code, &msg, &is_note);
    if (ok) {
      if (is_note && pending_.open()) {
        pending_.Add(line);  // "note: see declaration of 'x'" after its error
        return true;
      }
      if (is_note && !seen_) return false;
      pending_.Emit(sink);
      // MSBuild's summary after "Build FAILED." repeats every error and warning, indented
      // and without the node prefix: a line seen before is not a second event.
      if (!is_note) {
        std::string key(TrimRight(t.substr(i)));
        if (repeats_.count(key) != 0) return true;
        if (repeats_.size() < kMaxRemembered) repeats_.insert(std::move(key));
      }
      seen_ = true;
      sv category = StartsWith(code, "LNK") ? "link" : "compile";
      pending_.Begin(MakeEvent(sev, file, l, c, msg, line, kTool, category, code));
      return true;
    }
    return Other(line, sink);
  }

  void Flush(EventSink& sink) override { pending_.Emit(sink); }

 private:
  // FirstColon of the line after MSBuild's "  3>" prefix, as an index into the whole line.
  static size_t SkipPrefixColon(sv t) {
    size_t i = 0;
    while (i < t.size() && t[i] == ' ') ++i;
    size_t d = i;
    while (d < t.size() && IsDigit(t[d])) ++d;
    if (d > i && d < t.size() && t[d] == '>') i = d + 1;
    size_t c = FirstColon(t.substr(i));
    return c == sv::npos ? c : c + i;
  }

  // A line that is not a diagnostic: part of the pending linker message, or the end of it.
  bool Other(const Line& line, EventSink& sink) {
    if (!pending_.open()) return false;
    // Linker messages go on on indented lines ("    referenced in function main").
    if (StartsWith(line.text, "    ") && StartsWith(pending_.event().error_code, "LNK")) {
      pending_.Add(line);
      return true;
    }
    pending_.Emit(sink);
    return false;
  }

  // "path(L[,C]): error C2065: msg"; s[colon] is the ':' after ')'.
  static bool ParseParenLoc(sv s, size_t colon, sv* file, int64_t* l, int64_t* c, Severity* sev,
                            sv* code, sv* msg, bool* is_note) {
    size_t cp = colon - 1;
    if (cp + 3 >= s.size()) return false;
    size_t open = s.rfind('(', cp);
    if (open == sv::npos || open == 0) return false;
    size_t i = open + 1;
    *c = 0;
    if (!ReadUint(s, &i, l)) return false;
    if (i < s.size() && s[i] == ',') {
      ++i;
      if (!ReadUint(s, &i, c)) return false;
      if (i < s.size() && s[i] == ',') {  // "(line,col,endline,endcol)"
        int64_t ignored;
        ++i;
        ReadUint(s, &i, &ignored);
        if (i < s.size() && s[i] == ',') {
          ++i;
          ReadUint(s, &i, &ignored);
        }
      }
    }
    if (i != cp) return false;
    if (!ParseDiag(s.substr(cp + 3), sev, code, msg, is_note)) return false;
    *file = s.substr(0, open);
    return true;
  }

  // "LINK : fatal error LNK1104: msg", "main.obj : error LNK2019: msg", "cl : Command line warning
  // D9002: msg"
  static bool ParseColonTool(sv s, size_t c, sv* file, Severity* sev, sv* code, sv* msg,
                             bool* is_note) {
    if (c == 0 || c + 2 >= s.size() || s[c - 1] != ' ' || s[c + 1] != ' ') return false;
    if (!ParseDiag(s.substr(c + 2), sev, code, msg, is_note) || *is_note) return false;
    sv f = s.substr(0, c - 1);
    *file = (f == "LINK" || f == "cl" || f == "CL") ? sv() : f;
    return true;
  }

  static constexpr size_t kMaxRemembered = 100'000;
  ScanPtr scan_;
  PendingEvent pending_;
  bool seen_ = false;
  std::unordered_set<std::string> repeats_;
};

}  // namespace

std::unique_ptr<ToolParser> MakeMsvcParser(ScanPtr scan) {
  return std::make_unique<MsvcParser>(std::move(scan));
}

}  // namespace lq::logs

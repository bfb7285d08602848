// .NET: the C#, F# and VB compilers and MSBuild/NuGet/.NET SDK as `dotnet build`, `msbuild`
// and `csc` print them (family "dotnet"), and `dotnet test` / vstest.console results
// (family "vstest", for xUnit, NUnit and MSTest alike).
//
// dotnet (MSBuild's canonical message format):
//   Program.cs(5,10): error CS1002: ; expected [/src/App/App.csproj]
//     3>/src/App/Model.cs(12,19): warning CS8618: Non-nullable property ... [/src/App/App.csproj]
//   /src/App/App.csproj : warning NU1603: App depends on X (>= 1.0.0) but ... [/src/App.sln]
//   C:\...\Microsoft.Common.CurrentVersion.targets(1229,5): error MSB3644: The reference ...
//   MSBUILD : error MSB1009: Project file does not exist.
//   CSC : error CS2001: Source file '/src/App/Missing.cs' could not be found. [/src/App/App.csproj]
//   error NU1101: Unable to find package Foo. No packages exist with this id in source(s): ...
// The "  3>" node prefix, indentation (the terminal logger's) and the " [project]" suffix
// (also " [App.csproj::TargetFramework=net8.0]") are dropped: the project stays in raw_text
// only, so the message and its fingerprint do not depend on where the project lives.
// tool "dotnet", error_code "CS1002"; category "compile" for CS/FS/BC, "build" for
// MSB/NETSDK/NU, "lint" for analyzers (CA1822, IDE0005, SA1200, ...). MSBuild repeats every
// warning and error in its summary after "Build FAILED." / "Build succeeded.": a line seen
// before is claimed without a second event. The summary's counts ("1 Error(s)") are not
// events. MSVC's codes (C2065, LNK2019, D9002, RC/U codes) and anything printed for a
// .vcxproj are left to msvc_parser.cc, so the two families never claim the same line.
//
// vstest (console logger, normal verbosity; old releases indent "Failed" by 0 and pad it):
//     Failed App.Tests.MathTests.Adds(a: 1) [12 ms]
//     Error Message:
//      Assert.Equal() Failure: Values differ
//   Expected: 2
//   Actual:   3
//     Stack Trace:
//        at App.Tests.MathTests.Adds(Int32 a) in /src/App.Tests/MathTests.cs:line 42
//   Failed!  - Failed:     1, Passed:     3, Skipped:     0, Total:     4, Duration: 12 ms - ...
// One event per failed test: message "<test> - <first line of the error message>", file and
// line of the first stack frame that has a source location, category "test". The final
// "Failed!" summary is an event only when no failed test was reported before it; an aborted
// run ("The active test run was aborted. Reason: Test host process crashed", "Test Run
// Aborted.") is one event.
#include <cstring>
#include <string>
#include <unordered_set>

#include "logs/language_parsers.h"
#include "logs/parser_groups.h"

namespace lq::logs {
namespace {

using namespace lang;

// Drops MSBuild's "  12>" node prefix and leading blanks.
sv SkipNodePrefix(sv t) {
  t = TrimLeft(t);
  size_t d = 0;
  while (d < t.size() && IsDigit(t[d])) ++d;
  if (d > 0 && d < t.size() && t[d] == '>') t = TrimLeft(t.substr(d + 1));
  return t;
}

// A project-like file MSBuild names in the " [..]" suffix.
bool IsProjectPath(sv p) {
  return EndsWithAny(p, {"proj", ".sln", ".slnx", ".slnf", ".targets", ".props"});
}

// Splits "msg [/src/App/App.csproj::TargetFramework=net8.0]" into msg and the project path.
// No suffix: *project is empty.
sv SplitProjectSuffix(sv s, sv* project) {
  *project = sv();
  s = TrimRight(s);
  if (s.empty() || s.back() != ']') return s;
  size_t open = s.rfind(" [");
  if (open == sv::npos) return s;
  sv inside = s.substr(open + 2, s.size() - open - 3);
  sv path = inside.substr(0, inside.find("::"));
  if (!IsProjectPath(path)) return s;
  *project = path;
  return s.substr(0, open);
}

// A diagnostic code: letters then digits ("CS1002", "NETSDK1045", "xUnit1004", "BC30451").
size_t DotnetCodeLength(sv s, size_t i) {
  size_t j = i;
  while (j < s.size() && IsAlpha(s[j]) && j - i < 12) ++j;
  if (j == i) return 0;
  size_t d = j;
  while (j < s.size() && IsDigit(s[j]) && j - d < 6) ++j;
  if (j - d < 1) return 0;
  return j - i;
}

// cl.exe, link.exe, the resource compiler and nmake: msvc_parser.cc's.
bool IsMsvcCode(sv c) {
  return (c.size() > 1 && (c[0] == 'C' || c[0] == 'D' || c[0] == 'U') && IsDigit(c[1])) ||
         StartsWith(c, "LNK") || (StartsWith(c, "RC") && c.size() > 2 && IsDigit(c[2]));
}

// Codes printed without a location ("error NU1101: ...") that are .NET's beyond doubt.
bool IsBareDotnetCode(sv c) {
  return StartsWith(c, "NU") || StartsWith(c, "NETSDK") || StartsWith(c, "MSB") ||
         StartsWith(c, "CS") || StartsWith(c, "FS") || StartsWith(c, "BC");
}

sv CategoryOf(sv code) {
  if (StartsWith(code, "CS") || StartsWith(code, "FS") || StartsWith(code, "BC")) return "compile";
  if (code.empty() || StartsWith(code, "MSB") || StartsWith(code, "NETSDK") ||
      StartsWith(code, "NU")) {
    return "build";
  }
  return "lint";
}

struct Diagnostic {
  Severity severity = Severity::kError;
  sv file, code, message, project;
  int64_t line = 0, column = 0;
};

// "error CS1002: msg" / "warning NU1603: msg" / "error : msg" at s[0]. A code-less message
// is only taken when `codeless_ok` (the line carries a project suffix).
bool ParseSeverityAndCode(sv s, Diagnostic* d, bool codeless_ok) {
  size_t i;
  if (StartsWith(s, "error ")) {
    d->severity = Severity::kError;
    i = 6;
  } else if (StartsWith(s, "warning ")) {
    d->severity = Severity::kWarning;
    i = 8;
  } else {
    return false;
  }
  if (StartsWith(s.substr(i), ": ")) {
    if (!codeless_ok) return false;
    d->code = sv();
    d->message = s.substr(i + 2);
    return true;
  }
  size_t n = DotnetCodeLength(s, i);
  if (n == 0 || s.substr(i + n, 2) != ": ") return false;
  d->code = s.substr(i, n);
  if (IsMsvcCode(d->code)) return false;
  d->message = s.substr(i + n + 2);
  return true;
}

// "(5,10)", "(5)", "(5,10,5,12)", "(5-7)" ending just before s[close]: line and column.
bool ParseLocation(sv s, size_t close, size_t* open_out, int64_t* line, int64_t* col) {
  size_t open = s.rfind('(', close);
  if (open == sv::npos || open == 0) return false;
  size_t i = open + 1;
  *col = 0;
  if (!ReadUint(s, &i, line)) return false;
  if (i < close && s[i] == ',') {
    ++i;
    if (!ReadUint(s, &i, col)) return false;
  }
  while (i < close && (IsDigit(s[i]) || s[i] == ',' || s[i] == '-')) ++i;
  if (i != close) return false;
  *open_out = open;
  return true;
}

// The part of a line after node prefix and project suffix, parsed. False if it is not a
// .NET diagnostic.
bool ParseDiagnostic(sv t, Diagnostic* d) {
  sv s = SplitProjectSuffix(SkipNodePrefix(t), &d->project);
  if (s.size() < 8) return false;
  if (!d->project.empty() && EndsWithAny(d->project, {".vcxproj", ".vcproj"})) return false;
  bool codeless_ok = !d->project.empty();
  // Bare "error NU1101: ..." (restore, the SDK resolver).
  if (s[0] == 'e' || s[0] == 'w') {
    if (ParseSeverityAndCode(s, d, false) && IsBareDotnetCode(d->code)) return true;
  }
  // "origin: error CODE: msg" where origin is "file(l,c)" or "ORIGIN " ("MSBUILD : error").
  size_t from = 0;
  for (int tries = 0; tries < 8; ++tries) {
    size_t colon = FirstColon(s.substr(from));
    if (colon == sv::npos) return false;
    colon += from;
    from = colon + 1;
    if (colon == 0 || colon + 2 >= s.size() || s[colon + 1] != ' ') continue;
    char before = s[colon - 1];
    if (before != ')' && before != ' ') continue;
    if (!ParseSeverityAndCode(s.substr(colon + 2), d, codeless_ok)) continue;
    if (before == ')') {
      size_t open;
      if (!ParseLocation(s, colon - 1, &open, &d->line, &d->column)) return false;
      d->file = s.substr(0, open);
    } else {
      sv origin = TrimRight(s.substr(0, colon - 1));
      if (origin.empty()) return false;
      // A tool ("MSBUILD", "CSC", "EXEC", "vbc") is not a file; a project path is.
      bool is_path = origin.find_first_of("/\\.") != sv::npos;
      if (!is_path && origin.find(' ') != sv::npos) return false;
      d->file = is_path ? origin : sv();
    }
    return true;
  }
  return false;
}

class DotnetBuildParser final : public ToolParser {
 public:
  std::string_view name() const override { return "dotnet"; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    // Every form has a ':' after its code: most lines are rejected by one memchr.
    if (t.size() < 12 || std::memchr(t.data(), ':', t.size()) == nullptr) return false;
    Diagnostic d;
    if (!ParseDiagnostic(t, &d)) return false;
    // MSBuild's summary repeats each diagnostic (indented, without the node prefix).
    std::string key(TrimRight(SkipNodePrefix(t)));
    if (seen_.count(key) != 0) return true;
    if (seen_.size() < kMaxRemembered) seen_.insert(std::move(key));
    sink.OnEvent(MakeEvent(d.severity, d.file, d.line, d.column, d.message, line, name(),
                           CategoryOf(d.code), d.code));
    return true;
  }

  void Flush(EventSink&) override {}

 private:
  // Bounds memory on logs with millions of distinct warnings; beyond it repeats are
  // still recognized for the lines remembered.
  static constexpr size_t kMaxRemembered = 100'000;
  std::unordered_set<std::string> seen_;
};

// ------------------------------------------------------------------------------ vstest

class VstestParser final : public ToolParser {
 public:
  std::string_view name() const override { return "vstest"; }

  bool Feed(const Line& line, EventSink& sink) override {
    sv t = line.text;
    sv s = TrimLeft(t);
    if (s.empty()) {
      if (!pending_.open()) return false;
      // A blank line ends a message (whose later lines are not indented).
      if (section_ == Section::kMessage) section_ = Section::kNone;
      pending_.Add(line);
      return true;
    }
    // Outside a block only "Failed ...", "Failed!", "Test Run ...", "Total tests:" and
    // "The active test run was aborted" matter.
    if (!pending_.open() && s[0] != 'F' && s[0] != 'T') return false;
    if (IsTestHeader(s)) {
      pending_.Emit(sink);
      sv name = TestName(s);
      if (StartsWith(s, "Failed")) {
        Begin(line, name);
        return true;
      }
      section_ = Section::kNone;
      return false;  // "Passed x" / "Skipped x": not ours to keep
    }
    if (StartsWith(s, "Failed!") || StartsWith(s, "Passed!") || StartsWith(s, "Test Run ") ||
        StartsWith(s, "Total tests:") || StartsWith(s, "The active test run was aborted")) {
      pending_.Emit(sink);
      return Summary(line, s, sink);
    }
    if (!pending_.open()) return false;
    return InBlock(line, t, s, sink);
  }

  void Flush(EventSink& sink) override { pending_.Emit(sink); }

 private:
  enum class Section { kNone, kMessage, kStack, kOutput };

  // "Failed Name [12 ms]", "Failed   Name" (old), "Passed Name [1 ms]", "Skipped Name".
  static bool IsTestHeader(sv s) {
    sv rest;
    if (StartsWith(s, "Failed ")) {
      rest = s.substr(7);
    } else if (StartsWith(s, "Passed ")) {
      rest = s.substr(7);
    } else if (StartsWith(s, "Skipped ")) {
      rest = s.substr(8);
    } else {
      return false;
    }
    rest = TrimLeft(rest);
    if (rest.empty() || !(IsAlpha(rest[0]) || rest[0] == '_')) return false;
    // A test name is one token (parameters in parentheses may hold spaces), optionally
    // followed by " [duration]"; prose like "Failed to ..." is not a header.
    size_t space = rest.find(' ');
    size_t paren = rest.find('(');
    if (space == sv::npos) return rest.find('.') != sv::npos || rest.find('_') != sv::npos;
    if (paren != sv::npos && paren < space) return true;
    return rest[space + 1] == '[' && rest.back() == ']';
  }

  static sv TestName(sv s) {
    sv rest = TrimLeft(s.substr(s.find(' ') + 1));
    if (!rest.empty() && rest.back() == ']') {
      size_t open = rest.rfind(" [");
      if (open != sv::npos) rest = rest.substr(0, open);
    }
    return TrimRight(rest);
  }

  void Begin(const Line& line, sv name) {
    Event e = MakeEvent(Severity::kError, "", 0, 0, "", line, "vstest", "test", "");
    test_.assign(name);
    e.message = test_ + " - failed";
    pending_.Begin(std::move(e));
    section_ = Section::kNone;
    have_message_ = false;
    ++failed_since_summary_;
  }

  bool InBlock(const Line& line, sv t, sv s, EventSink& sink) {
    if (s == "Error Message:") {
      section_ = Section::kMessage;
    } else if (s == "Stack Trace:") {
      section_ = Section::kStack;
    } else if (EndsWith(s, " Messages:")) {
      section_ = Section::kOutput;  // "Standard Output Messages:", ...
    } else if (section_ == Section::kMessage) {
      // The first line of the message is indented; the rest of a multi-line message
      // (xUnit's "Expected:"/"Actual:") is printed as is.
      if (!have_message_) {
        pending_.event().message = test_ + " - " + std::string(Trim(s));
        have_message_ = true;
      }
    } else if (section_ == Section::kStack || section_ == Section::kOutput) {
      if (!IsSpace(t[0])) {
        pending_.Emit(sink);
        return false;
      }
      if (section_ == Section::kStack && pending_.event().file_path.empty()) Frame(s);
    } else {
      pending_.Emit(sink);
      return false;
    }
    pending_.Add(line);
    return true;
  }

  // "at Ns.Class.Method() in /src/x.cs:line 42": the first frame with a source location.
  void Frame(sv s) {
    if (!StartsWith(s, "at ")) return;
    size_t in = s.rfind(" in ");
    size_t at_line = s.rfind(":line ");
    if (in == sv::npos || at_line == sv::npos || at_line < in) return;
    int64_t n = 0;
    if (!ParseUint(Trim(s.substr(at_line + 6)), &n)) return;
    Event& e = pending_.event();
    e.file_path.assign(s.substr(in + 4, at_line - in - 4));
    e.line_number = n;
  }

  // Run summaries: an event only when they report failures no test block did.
  bool Summary(const Line& line, sv s, EventSink& sink) {
    section_ = Section::kNone;
    // "The active test run was aborted. Reason: Test host process crashed" (an error
    // message), then the run's "Test Run Aborted." (or "Test Run Aborted with error ...").
    bool abort_reason = StartsWith(s, "The active test run was aborted");
    if (abort_reason || (StartsWith(s, "Test Run Aborted") && !abort_reported_)) {
      sink.OnEvent(MakeEvent(Severity::kError, "", 0, 0, s, line, "vstest", "test", ""));
      ++failed_since_summary_;
      abort_reported_ = abort_reason;
      return true;
    }
    if (StartsWith(s, "Test Run ")) abort_reported_ = false;
    if (StartsWith(s, "Passed!")) failed_since_summary_ = 0;
    if (!StartsWith(s, "Failed!")) return true;
    // "Failed!  - Failed:     1, Passed: ..., Duration: 12 ms - App.Tests.dll (net8.0)"
    int64_t failed = 0;
    size_t f = s.find("Failed:");
    if (f != sv::npos) {
      size_t i = f + 7;
      while (i < s.size() && s[i] == ' ') ++i;
      ReadUint(s, &i, &failed);
    }
    if (failed > 0 && failed_since_summary_ == 0) {
      size_t dash = s.rfind(" - ");
      std::string what = dash != sv::npos && dash > f ? std::string(Trim(s.substr(dash + 3)))
                                                      : std::string("test run");
      sink.OnEvent(MakeEvent(Severity::kError, "", 0, 0,
                             what + ": " + std::to_string(failed) + " test(s) failed", line,
                             "vstest", "test", ""));
    }
    failed_since_summary_ = 0;
    return true;
  }

  PendingEvent pending_;
  Section section_ = Section::kNone;
  std::string test_;
  bool have_message_ = false;
  int64_t failed_since_summary_ = 0;
  bool abort_reported_ = false;
};

}  // namespace

void AddDotnetParsers(ParserList* out) {
  out->push_back(std::make_unique<DotnetBuildParser>());
  out->push_back(std::make_unique<VstestParser>());
}

}  // namespace lq::logs

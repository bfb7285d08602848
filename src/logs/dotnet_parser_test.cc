// Tests of the .NET parsers (dotnet_parser.cc): "dotnet" for dotnet build / msbuild / csc
// diagnostics, "vstest" for dotnet test results. Fixtures are under src/logs/testdata/dotnet/
// (where each line shape comes from: README.md there).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "logs/parser.h"
#include "logs/parser_test_util.h"

namespace lq::logs {
namespace {

using namespace parser_testing;  // NOLINT

std::vector<Event> Parse(const std::string& text, const std::string& format, size_t chunk = 0) {
  LogParser parser(format);
  CollectingSink sink;
  if (chunk == 0) {
    parser.Feed(text, sink);
  } else {
    for (size_t i = 0; i < text.size(); i += chunk)
      parser.Feed(std::string_view(text).substr(i, chunk), sink);
  }
  parser.Finish(sink);
  return std::move(sink.events);
}

std::string Fixture(const std::string& name) { return ReadFixture("dotnet", name); }

constexpr Severity E = Severity::kError;
constexpr Severity W = Severity::kWarning;

struct Want {
  Severity severity;
  std::string file;
  int64_t line;
  int64_t column;
  std::string message;
  std::string code;
  std::string category;
  int64_t start;
  int64_t end;
};

void ExpectEvents(const std::vector<Event>& got, const std::string& tool,
                  const std::vector<Want>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("event " + std::to_string(i) + ": " + got[i].message);
    const Event& e = got[i];
    const Want& w = want[i];
    EXPECT_EQ(SeverityName(e.severity), SeverityName(w.severity));
    EXPECT_EQ(e.file_path, w.file);
    EXPECT_EQ(e.line_number, w.line);
    EXPECT_EQ(e.column_number, w.column);
    EXPECT_EQ(e.message, w.message);
    EXPECT_EQ(e.error_code, w.code);
    EXPECT_EQ(e.category, w.category);
    EXPECT_EQ(e.tool_name, tool);
    EXPECT_EQ(e.log_line_start, w.start);
    EXPECT_EQ(e.log_line_end, w.end);
    EXPECT_FALSE(e.fingerprint.empty());
  }
}

// dotnet build: restore warning on the project, compiler errors and warnings, an analyzer,
// a location-less CSC error; the "Build FAILED." summary repeats all six and counts them.
TEST(DotnetParserTest, BuildDiagnosticsOnceDespiteTheSummary) {
  ExpectEvents(
      Parse(Fixture("dotnet_build.txt"), "dotnet"), "dotnet",
      {
          {W, "/src/App/App.csproj", 0, 0,
           "App depends on Serilog (>= 3.0.0) but Serilog 3.0.0 was not found. An approximate "
           "best match of Serilog 3.0.1 was resolved.",
           "NU1603", "build", 3, 3},
          {E, "/src/App/Program.cs", 5, 10, "; expected", "CS1002", "compile", 5, 5},
          {E, "/src/App/Program.cs", 9, 13,
           "The name 'count' does not exist in the current context", "CS0103", "compile", 6, 6},
          {W, "/src/App/Models/User.cs", 7, 19,
           "Non-nullable property 'Name' must contain a non-null value when exiting constructor. "
           "Consider adding the 'required' modifier or declaring the property as nullable.",
           "CS8618", "compile", 7, 7},
          {E, "/src/App/Startup.cs", 3, 1,
           "Using directive should appear within a namespace declaration", "SA1200", "lint", 8, 8},
          {E, "", 0, 0, "Source file '/src/App/Generated.cs' could not be found.", "CS2001",
           "compile", 9, 9},
      });
}

// msbuild at normal verbosity: "  2>" node prefixes, SDK targets files as the location, the
// "::TargetFramework=net9.0" project suffix, and the summary's indented repeats.
TEST(DotnetParserTest, MsbuildNodePrefixesAndTargetsFiles) {
  ExpectEvents(
      Parse(Fixture("msbuild_normal.txt"), "msbuild"), "dotnet",
      {
          {E,
           "C:\\Program Files\\Microsoft Visual "
           "Studio\\2022\\Community\\MSBuild\\Current\\Bin\\amd64"
           "\\Microsoft.Common.CurrentVersion.targets",
           1229, 5,
           "The reference assemblies for .NETFramework,Version=v4.5 were not found. To resolve "
           "this, install the Developer Pack (SDK/Targeting Pack) for this framework version or "
           "retarget your application.",
           "MSB3644", "build", 6, 6},
          {E,
           "C:\\Program "
           "Files\\dotnet\\sdk\\8.0.100\\Sdks\\Microsoft.NET.Sdk\\targets\\Microsoft.NET."
           "TargetFrameworkInference.targets",
           166, 5,
           "The current .NET SDK does not support targeting .NET 9.0.  Either target .NET 8.0 or "
           "lower, or use a version of the .NET SDK that supports .NET 9.0. Download the .NET SDK "
           "from https://aka.ms/dotnet/download",
           "NETSDK1045", "build", 9, 9},
      });
}

TEST(DotnetParserTest, FSharpAndVisualBasic) {
  ExpectEvents(Parse(Fixture("fsharp_vb.txt"), "dotnet"), "dotnet",
               {
                   {E, "/src/Calc/Library.fs", 12, 9,
                    "The value or constructor 'squareRoot' is not defined. Maybe you want one of "
                    "the following:   sqrt",
                    "FS0039", "compile", 3, 3},
                   {E, "/src/Legacy/Module1.vb", 8, 9,
                    "'Consle' is not declared. It may be inaccessible due to its protection level.",
                    "BC30451", "compile", 4, 4},
               });
}

// MSBuild's own errors name no file; bare NuGet/SDK codes have no origin at all; the
// terminal logger indents diagnostics under their project; code-less "error :" lines are
// taken only with a project suffix.
TEST(DotnetParserTest, LinesWithoutAFile) {
  ExpectEvents(
      Parse("MSBuild version 17.8.3+195e7f5a3 for .NET\n"
            "MSBUILD : error MSB1009: Project file does not exist.\n"
            "Switch: Shop.sln\n"
            "error NU1101: Unable to find package Contoso.Utils. No packages exist with this id "
            "in source(s): nuget.org\n"
            "  App failed with 1 error(s) (0.4s)\n"
            "    /src/App/Program.cs(5,10): error CS1002: ; expected\n"
            "/src/App/App.csproj(12,5): error : The command \"npm ci\" exited with code 1. "
            "[/src/App/App.csproj]\n"
            "note: error : not msbuild\n"
            "error TS5058: The specified path does not exist: 'tsconfig.json'.\n",
            "dotnet"),
      "dotnet",
      {
          {E, "", 0, 0, "Project file does not exist.", "MSB1009", "build", 2, 2},
          {E, "", 0, 0,
           "Unable to find package Contoso.Utils. No packages exist with this id in source(s): "
           "nuget.org",
           "NU1101", "build", 4, 4},
          {E, "/src/App/Program.cs", 5, 10, "; expected", "CS1002", "compile", 6, 6},
          {E, "/src/App/App.csproj", 12, 5, "The command \"npm ci\" exited with code 1.", "",
           "build", 7, 7},
      });
}

// The project an error was reported for is not part of its message or fingerprint: the
// same error in two projects (or two target frameworks) is one fingerprint.
TEST(DotnetParserTest, ProjectSuffixIsNotInMessageOrFingerprint) {
  std::vector<Event> events = Parse(
      "Shared/Util.cs(3,5): error CS0246: The type or namespace name 'Foo' could not be "
      "found [/src/A/A.csproj]\n"
      "Shared/Util.cs(3,5): error CS0246: The type or namespace name 'Foo' could not be "
      "found [/src/B/B.csproj::TargetFramework=net8.0]\n",
      "dotnet");
  ASSERT_EQ(events.size(), 2u);  // two projects: two events, not a summary repeat
  EXPECT_EQ(events[0].message, events[1].message);
  EXPECT_EQ(events[0].message.find('['), std::string::npos);
  EXPECT_EQ(events[0].fingerprint, events[1].fingerprint);
  EXPECT_NE(events[1].raw_text.find("[/src/B/B.csproj::TargetFramework=net8.0]"),
            std::string::npos);
}

// MSVC's lines (even through MSBuild, even an MSB error of a .vcxproj) stay msvc's, and in
// auto mode the msvc fixture gives exactly the events it gives alone.
TEST(DotnetParserTest, MsvcLinesAreNotDotnet) {
  std::string msvc = ReadFixture("lang", "msvc.txt");
  EXPECT_TRUE(Parse(msvc, "dotnet").empty());
  std::string vcx =
      "  3>C:\\VS\\MSBuild\\Microsoft\\VC\\v170\\Microsoft.CppBuild.targets(456,5): error MSB8020: "
      "The build tools for v141 cannot be found. [C:\\work\\app\\app.vcxproj]\n";
  EXPECT_TRUE(Parse(vcx, "dotnet").empty());
  std::vector<Event> all = Parse(msvc + vcx, "auto");
  std::vector<Event> alone = Parse(msvc + vcx, "msvc");
  ASSERT_EQ(all.size(), alone.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].tool_name, "msvc");
    EXPECT_EQ(all[i].message, alone[i].message);
  }
}

// The same class in msvc_parser.cc: a C++ project's errors repeated in MSBuild's summary
// are one event each (they were counted twice).
TEST(DotnetParserTest, MsvcCountsMsbuildSummaryRepeatsOnce) {
  std::string log =
      "  3>C:\\w\\main.cpp(12,9): error C2065: 'x': undeclared identifier [C:\\w\\app.vcxproj]\n"
      "  3>main.obj : error LNK2019: unresolved external symbol f [C:\\w\\app.vcxproj]\n"
      "\n"
      "Build FAILED.\n"
      "\n"
      "       \"C:\\w\\app.vcxproj\" (default target) (1) ->\n"
      "       (ClCompile target) ->\n"
      "         C:\\w\\main.cpp(12,9): error C2065: 'x': undeclared identifier "
      "[C:\\w\\app.vcxproj]\n"
      "         main.obj : error LNK2019: unresolved external symbol f [C:\\w\\app.vcxproj]\n"
      "\n"
      "    0 Warning(s)\n"
      "    2 Error(s)\n";
  for (const char* format : {"msvc", "auto"}) {
    SCOPED_TRACE(format);
    std::vector<Event> events = Parse(log, format);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].error_code, "C2065");
    EXPECT_EQ(events[0].log_line_start, 1);
    EXPECT_EQ(events[1].error_code, "LNK2019");
    EXPECT_EQ(events[1].tool_name, "msvc");
  }
}

// dotnet test with xUnit: one event per failed test, at the first stack frame with a source
// location; the xUnit adapter's own "[FAIL]" lines and the "Failed!" summary add none.
TEST(VstestParserTest, FailedTestsWithMessageAndLocation) {
  std::string text = Fixture("vstest_xunit.txt");
  std::vector<Event> events = Parse(text, "vstest");
  ExpectEvents(events, "vstest",
               {
                   {E, "/src/App/Calculator.cs", 14, 0,
                    "App.Tests.CalculatorTests.Divide_ByZero_Throws - Assert.Throws() Failure: "
                    "Exception type was not an exact match",
                    "", "test", 16, 23},
                   {E, "/src/App.Tests/CalculatorTests.cs", 15, 0,
                    "App.Tests.CalculatorTests.Add_ReturnsSum(a: 2, b: 2, expected: 5) - "
                    "Assert.Equal() Failure: Values differ",
                    "", "test", 24, 34},
               });
  EXPECT_NE(events[1].raw_text.find("Actual:   4"), std::string::npos);
  EXPECT_NE(events[1].raw_text.find(" adding 2 and 2"), std::string::npos);
}

// vstest.console of 2016 (MSTest): no indentation, no durations, a one-line summary.
TEST(VstestParserTest, OldConsoleFormat) {
  ExpectEvents(Parse(Fixture("vstest_mstest_old.txt"), "vstest"), "vstest",
               {
                   {E, "/home/dev/samples/mstesttest/Tests.cs", 29, 0,
                    "SampleUnitTestProject.UnitTest1.FailingTest - Assert.AreEqual failed. "
                    "Expected:<2>. Actual:<3>.",
                    "", "test", 3, 7},
                   {E, "/home/dev/samples/mstesttest/Tests.cs", 70, 0,
                    "SampleUnitTestProject.UnitTest1.FailingTestWithTraits - Assert.Fail failed.",
                    "", "test", 9, 13},
               });
}

// Summaries are events only when nothing else reported the failure: a "Failed!" line after
// no failed test, and an aborted run (once, though it is reported on two lines).
TEST(VstestParserTest, SummaryAndAbortOnlyWhenNothingElseReported) {
  ExpectEvents(
      Parse("Failed!  - Failed:     1, Passed:     3, Skipped:     0, Total:     4, Duration: 12 "
            "ms - App.Tests.dll (net8.0)\n"
            "Passed!  - Failed:     0, Passed:     7, Skipped:     0, Total:     7, Duration: 3 ms "
            "- Lib.Tests.dll (net8.0)\n"
            "The active test run was aborted. Reason: Test host process crashed : Stack overflow.\n"
            "Test Run Aborted.\n"
            "Failed to negotiate protocol, waiting for response timed out after 90 seconds.\n",
            "vstest"),
      "vstest",
      {
          {E, "", 0, 0, "App.Tests.dll (net8.0): 1 test(s) failed", "", "test", 1, 1},
          {E, "", 0, 0,
           "The active test run was aborted. Reason: Test host process crashed : Stack overflow.",
           "", "test", 3, 3},
      });
}

// ------------------------------------------------------------------ all fixtures

struct FixtureTool {
  const char* fixture;
  const char* tool;
};

const FixtureTool kFixtures[] = {
    {"dotnet_build.txt", "dotnet"},      {"msbuild_normal.txt", "dotnet"},
    {"fsharp_vb.txt", "dotnet"},         {"vstest_xunit.txt", "vstest"},
    {"vstest_mstest_old.txt", "vstest"},
};

std::string Summary(const Event& e) {
  return std::string(SeverityName(e.severity)) + "|" + e.tool_name + "|" + e.file_path + ":" +
         std::to_string(e.line_number) + ":" + std::to_string(e.column_number) + "|" +
         e.error_code + "|" + e.message + "|" + std::to_string(e.log_line_start) + "-" +
         std::to_string(e.log_line_end);
}

std::vector<std::string> Summaries(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const Event& e : events) out.push_back(Summary(e));
  return out;
}

// With every parser on, each fixture gives the same events, all of them .NET's: no other
// family takes (or doubles) a line of dotnet's output.
TEST(DotnetParserTest, AutoFormatGivesTheSameEvents) {
  for (const FixtureTool& f : kFixtures) {
    SCOPED_TRACE(f.fixture);
    std::string text = Fixture(f.fixture);
    std::vector<std::string> alone = Summaries(Parse(text, f.tool));
    EXPECT_FALSE(alone.empty());
    EXPECT_EQ(Summaries(Parse(text, "auto")), alone);
  }
}

TEST(DotnetParserTest, ChunkedCrlfInputGivesTheSameEvents) {
  for (const FixtureTool& f : kFixtures) {
    SCOPED_TRACE(f.fixture);
    std::string text = Fixture(f.fixture);
    std::string crlf;
    for (char c : text) {
      if (c == '\n') crlf.push_back('\r');
      crlf.push_back(c);
    }
    EXPECT_EQ(Summaries(Parse(crlf, f.tool, 7)), Summaries(Parse(text, f.tool)));
  }
}

// gcc, clang, ld and make output is never taken by the .NET parsers.
TEST(DotnetParserTest, NeverClaimCompilerLines) {
  std::string text = ReadFixture("lang", "c_compilers.txt");
  for (const char* name : {"dotnet", "vstest"}) {
    SCOPED_TRACE(name);
    std::unique_ptr<ToolParser> p = MakeParser(name);
    ASSERT_NE(p, nullptr);
    CollectingSink sink;
    int64_t n = 0;
    for (size_t i = 0; i < text.size();) {
      size_t nl = text.find('\n', i);
      if (nl == std::string::npos) nl = text.size();
      Line line{std::string_view(text).substr(i, nl - i), ++n};
      EXPECT_FALSE(p->Feed(line, sink)) << line.text;
      i = nl + 1;
    }
    p->Flush(sink);
    EXPECT_TRUE(sink.events.empty());
  }
}

TEST(DotnetParserTest, FamiliesAndAliasesAreRegistered) {
  std::vector<std::string> names = ParserNames();
  for (const char* name : {"dotnet", "vstest"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  for (const char* alias : {"msbuild", "csc", "fsc", "vbc"}) {
    auto p = MakeParser(alias);
    ASSERT_NE(p, nullptr) << alias;
    EXPECT_EQ(p->name(), "dotnet");
  }
  for (const char* alias : {"dotnet-test", "xunit", "nunit", "mstest"}) {
    auto p = MakeParser(alias);
    ASSERT_NE(p, nullptr) << alias;
    EXPECT_EQ(p->name(), "vstest");
  }
}

}  // namespace
}  // namespace lq::logs

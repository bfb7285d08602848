// Tests of the build-tool parsers: gcc/clang, ld/gold/lld/ld64, make, ninja, cmake.
// Fixtures under testdata/build/ are real tool output (see testdata/build/generate.sh);
// they are read from $LQ_SOURCE_DIR (set by ctest; export LQ_SOURCE_DIR=/work/main when
// running logs_test by hand).
#include "logs/build_parsers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "logs/parser.h"
#include "logs/parser_groups.h"
#include "logs/parser_test_util.h"

namespace lq::logs {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

using namespace parser_testing;  // NOLINT

// The driver loop of LogParser::FeedLine over this group's parsers only, so that these
// tests do not depend on the other families (AutoFormatAgrees checks the full list).
std::vector<Event> ParseBuild(std::string_view log) {
  ParserList parsers;
  AddBuildToolParsers(&parsers);
  CollectingSink sink;
  ToolParser* active = nullptr;
  std::string scratch;
  int64_t number = 0;
  auto feed = [&](std::string_view raw) {
    ++number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    Line line{StripAnsi(raw, scratch), number};
    ToolParser* previous = nullptr;
    if (active != nullptr) {
      if (active->Feed(line, sink)) return;
      active->Flush(sink);
      previous = active;
      active = nullptr;
    }
    for (auto& p : parsers) {
      if (p.get() != previous && p->Feed(line, sink)) {
        active = p.get();
        return;
      }
    }
  };
  size_t pos = 0;
  while (pos < log.size()) {
    size_t nl = log.find('\n', pos);
    if (nl == std::string_view::npos) nl = log.size();
    feed(log.substr(pos, nl - pos));
    pos = nl + 1;
  }
  for (auto& p : parsers) p->Flush(sink);
  return std::move(sink.events);
}

std::vector<Event> ParseAuto(std::string_view log) {
  LogParser parser;
  CollectingSink sink;
  parser.Feed(log, sink);
  parser.Finish(sink);
  return std::move(sink.events);
}

// "severity tool file:line:col [code] message @start-end"
std::string Summary(const Event& e) {
  return std::string(SeverityName(e.severity)) + " " + e.tool_name + " " + e.file_path + ":" +
         std::to_string(e.line_number) + ":" + std::to_string(e.column_number) + " [" +
         e.error_code + "] " + e.message + " @" + std::to_string(e.log_line_start) + "-" +
         std::to_string(e.log_line_end);
}

std::vector<std::string> Summaries(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const Event& e : events) out.push_back(Summary(e));
  return out;
}

std::vector<std::string> ParseSummaries(std::string_view log) { return Summaries(ParseBuild(log)); }

std::string Fixture(const std::string& name) { return ReadFixture("build", name); }

// The lines [start, end] (1-based) of `log`, joined by '\n': what raw_text must hold.
std::string LogLines(const std::string& log, int64_t start, int64_t end) {
  std::string out;
  int64_t n = 1;
  size_t pos = 0;
  while (pos <= log.size() && n <= end) {
    size_t nl = log.find('\n', pos);
    if (nl == std::string::npos) nl = log.size();
    if (n >= start) {
      if (!out.empty() || n > start) out.push_back('\n');
      out.append(log, pos, nl - pos);
    }
    pos = nl + 1;
    ++n;
  }
  return out;
}

// Every event's raw_text is exactly its log lines (ANSI-free fixtures only).
void ExpectRawTextMatchesLines(const std::string& log, const std::vector<Event>& events) {
  for (const Event& e : events) {
    EXPECT_EQ(e.raw_text, LogLines(log, e.log_line_start, e.log_line_end)) << Summary(e);
  }
}

// ---- gcc ----

TEST(GccParserTest, CFixture) {
  std::string log = Fixture("gcc_c.log");
  std::vector<Event> events = ParseBuild(log);
  EXPECT_THAT(
      Summaries(events),
      ElementsAre(
          "error gcc undeclared.c:4:11 [] ‘y’ undeclared (first use in this function) @2-6",
          "error gcc undeclared.c:5:22 [] ‘z’ undeclared (first use in this function) @7-9",
          "warning gcc unused.c:2:7 [-Wunused-variable] unused variable ‘unused_var’ @11-14",
          "warning gcc unused.c:6:7 [-Wparentheses] suggest parentheses around assignment used as "
          "truth value @15-18",
          "error gcc missing_include.c:1:10 [] does_not_exist.h: No such file or directory @20-23",
          "error gcc inc/bad.h:1:36 [] ‘undefined_in_header’ undeclared (first use in this "
          "function) @25-30",
          "warning gcc inc/bad.h:1:57 [-Wreturn-type] control reaches end of non-void function "
          "@31-33",
          "warning gcc conflict.c:2:3 [-Wimplicit-function-declaration] implicit declaration of "
          "function ‘foo’ @35-38",
          "warning gcc conflict.c:5:6 [] conflicting types for ‘foo’; have ‘void(void)’ @39-45",
          "note gcc conflict.c:6:9 [] ‘#pragma message: hello from pragma’ @46-48",
          "error gcc macro.c:1:21 [] ‘undefined_macro_var’ undeclared (first use in this function) "
          "@50-62",
          "warning gcc macro.c:2:28 [-Wreturn-type] control reaches end of non-void function "
          "@63-65",
          "error gcc :0:0 [] nofile.c: No such file or directory @67-68"));
  ExpectRawTextMatchesLines(log, events);
  for (const Event& e : events) EXPECT_EQ(e.category, "compile");
  // The context lines before and after the diagnostic are part of its block.
  EXPECT_EQ(events[0].raw_text,
            "undeclared.c: In function ‘main’:\n"
            "undeclared.c:4:11: error: ‘y’ undeclared (first use in this function)\n"
            "    4 |   int x = y;\n"
            "      |           ^\n"
            "undeclared.c:4:11: note: each undeclared identifier is reported only once for each "
            "function it "
            "appears in");
  EXPECT_EQ(events[5].raw_text.substr(0, events[5].raw_text.find('\n')),
            "In file included from included.c:1:");
}

TEST(GccParserTest, CxxTemplateAndConceptCascades) {
  std::string log = Fixture("gcc_cxx.log");
  std::vector<Event> events = ParseBuild(log);
  EXPECT_THAT(
      Summaries(events),
      ElementsAre(
          "error gcc tmpl.cc:15:14 [] no matching function for call to ‘push_back(const char "
          "[4])’ @2-11",
          "error gcc tmpl.cc:15:15 [-fpermissive] invalid conversion from ‘const char*’ to "
          "‘std::vector<int>::value_type’ {aka ‘int’} @12-20",
          "error gcc tmpl.cc:15:15 [-fpermissive] invalid conversion from ‘const char*’ to "
          "‘std::vector<int>::value_type’ {aka ‘int’} @21-25",
          "error gcc tmpl.cc:6:12 [] no match for ‘operator*’ (operand types are ‘const "
          "std::__cxx11::basic_string<char>’ and ‘int’) @26-30",
          "error gcc concepts.cc:8:15 [] no matching function for call to ‘f(int)’ @32-48"));
  ExpectRawTextMatchesLines(log, events);
  // "In instantiation of" + "required from here" precede the error they explain.
  EXPECT_EQ(events[3].raw_text,
            "tmpl.cc: In instantiation of ‘int twice(const T&) [with T = "
            "std::__cxx11::basic_string<char>]’:\n"
            "tmpl.cc:13:16:   required from here\n"
            "tmpl.cc:6:12: error: no match for ‘operator*’ (operand types are ‘const "
            "std::__cxx11::basic_string<char>’ and ‘int’)\n"
            "    6 |   return t * 2;\n"
            "      |          ~~^~~");
}

TEST(GccParserTest, WerrorAndDriverErrors) {
  std::string log = Fixture("gcc_werror.log");
  std::vector<Event> events = ParseBuild(log);
  EXPECT_THAT(
      Summaries(events),
      ElementsAre(
          "error gcc unused.c:2:7 [-Werror=unused-variable] unused variable 'unused_var' @2-5",
          "error gcc unused.c:6:7 [-Werror=parentheses] suggest parentheses around assignment used "
          "as truth value @6-9",
          "error gcc :0:0 [] unrecognized command-line option '-Wbogus' @12-12"));
}

TEST(GccParserTest, ColorOutputParsesLikePlainOutput) {
  std::string log = Fixture("gcc_color.log");
  ASSERT_NE(log.find("\033[01;31m\033[Kerror: "), std::string::npos);
  ASSERT_NE(log.find("\033]8;;https://gcc.gnu.org/"), std::string::npos);  // -fdiagnostics-urls
  std::vector<Event> events = ParseBuild(log);
  EXPECT_THAT(
      Summaries(events),
      ElementsAre(
          "error gcc undeclared.c:4:11 [] ‘y’ undeclared (first use in this function) @2-6",
          "error gcc undeclared.c:5:22 [] ‘z’ undeclared (first use in this function) @7-9",
          "warning gcc unused.c:2:7 [-Wunused-variable] unused variable ‘unused_var’ @11-14",
          "warning gcc unused.c:6:7 [-Wparentheses] suggest parentheses around assignment used as "
          "truth value @15-18",
          "error gcc tmpl.cc:15:14 [] no matching function for call to ‘push_back(const char "
          "[4])’ @20-29",
          "error gcc tmpl.cc:15:15 [-fpermissive] invalid conversion from ‘const char*’ to "
          "‘std::vector<int>::value_type’ {aka ‘int’} @30-38",
          "error gcc tmpl.cc:15:15 [-fpermissive] invalid conversion from ‘const char*’ to "
          "‘std::vector<int>::value_type’ {aka ‘int’} @39-43",
          "error gcc tmpl.cc:6:12 [] no match for ‘operator*’ (operand types are ‘const "
          "std::__cxx11::basic_string<char>’ and ‘int’) @44-48"));
  // raw_text holds the lines as parsers saw them: escapes removed.
  for (const Event& e : events) EXPECT_EQ(e.raw_text.find('\033'), std::string::npos) << e.raw_text;
  EXPECT_EQ(events[2].raw_text,
            "unused.c: In function ‘f’:\n"
            "unused.c:2:7: warning: unused variable ‘unused_var’ [-Wunused-variable]\n"
            "    2 |   int unused_var = 3;\n"
            "      |       ^~~~~~~~~~");
}

TEST(GccParserTest, ClangFixture) {
  std::string log = Fixture("clang.log");
  std::vector<Event> events = ParseBuild(log);
  EXPECT_THAT(
      Summaries(events),
      ElementsAre(
          "error clang undeclared.c:4:11 [] use of undeclared identifier 'y' @2-4",
          "error clang undeclared.c:5:22 [] use of undeclared identifier 'z' @5-7",
          "warning clang unused.c:2:7 [-Wunused-variable] unused variable 'unused_var' @10-12",
          "warning clang unused.c:6:9 [-Wparentheses] using the result of an assignment as a "
          "condition without parentheses @13-23",
          "error clang missing_include.c:1:10 [] 'does_not_exist.h' file not found @26-28",
          "error clang ./inc/bad.h:1:36 [] use of undeclared identifier 'undefined_in_header' "
          "@31-34",
          "warning clang conflict.c:2:3 [-Wimplicit-function-declaration] implicit declaration of "
          "function 'foo' is invalid in C99 @37-39",
          "error clang conflict.c:5:6 [] conflicting types for 'foo' @40-45",
          "warning clang conflict.c:6:9 [-W#pragma-messages] hello from pragma @46-48",
          "error clang macro.c:2:22 [] use of undeclared identifier 'undefined_macro_var' @51-56",
          "error clang tmpl.cc:15:5 [] no matching member function for call to 'push_back' @59-67",
          "error clang tmpl.cc:6:12 [] invalid operands to binary expression ('const "
          "std::basic_string<char>' and 'int') @68-73",
          "error clang :0:0 [-Werror,-Wunknown-warning-option] unknown warning option '-Wbogus' "
          "@76-76",
          "error clang :0:0 [] no such file or directory: 'nofile.c' @78-78",
          "error clang :0:0 [] no input files @79-79"));
  ExpectRawTextMatchesLines(log, events);
  // Un-numbered excerpts (first one at column 0), carets, fix-it lines and notes.
  EXPECT_EQ(
      events[3].raw_text,
      "unused.c:6:9: warning: using the result of an assignment as a condition without parentheses "
      "[-Wparentheses]\n"
      "  if (b = 2) return 1;\n"
      "      ~~^~~\n"
      "unused.c:6:9: note: place parentheses around the assignment to silence this warning\n"
      "  if (b = 2) return 1;\n"
      "        ^\n"
      "      (    )\n"
      "unused.c:6:9: note: use '==' to turn this assignment into an equality comparison\n"
      "  if (b = 2) return 1;\n"
      "        ^\n"
      "        ==");
  EXPECT_EQ(events[4].raw_text,
            "missing_include.c:1:10: fatal error: 'does_not_exist.h' file not found\n"
            "#include \"does_not_exist.h\"\n"
            "         ^~~~~~~~~~~~~~~~~~");
}

TEST(GccParserTest, ClangColorOutput) {
  std::string log = Fixture("clang_color.log");
  ASSERT_NE(log.find("\033[0;1;35mwarning: "), std::string::npos);
  EXPECT_THAT(
      ParseSummaries(log),
      ElementsAre(
          "warning clang unused.c:2:7 [-Wunused-variable] unused variable 'unused_var' @2-4",
          "warning clang unused.c:6:9 [-Wparentheses] using the result of an assignment as a "
          "condition without parentheses @5-15",
          "error clang tmpl.cc:15:5 [] no matching member function for call to 'push_back' @18-26",
          "error clang tmpl.cc:6:12 [] invalid operands to binary expression ('const "
          "std::basic_string<char>' and 'int') @27-32"));
}

TEST(GccParserTest, LineWithoutColumnAndDriverPrefixes) {
  EXPECT_THAT(ParseSummaries("main.c:3: warning: unused variable 'x' [-Wunused-variable]\n"
                             "x86_64-linux-gnu-gcc-12: fatal error: no input files\n"
                             "<command-line>: warning: \"N\" redefined\n"
                             "src\\win.c:7:2: error: expected ';' before '}' token\n"),
              ElementsAre("warning gcc main.c:3:0 [-Wunused-variable] unused variable 'x' @1-1",
                          "error gcc :0:0 [] no input files @2-2",
                          "warning gcc <command-line>:0:0 [] \"N\" redefined @3-3",
                          "error gcc src\\win.c:7:2 [] expected ';' before '}' token @4-4"));
  EXPECT_THAT(ParseSummaries("C:\\src\\a.c:1:5: warning: no return statement [-Wreturn-type]\n"),
              ElementsAre("warning gcc C:\\src\\a.c:1:5 [-Wreturn-type] no return statement @1-1"));
}

TEST(GccParserTest, StandaloneNotesAndContinuations) {
  // A note after a new function context is standalone; a note right after an error is not.
  EXPECT_THAT(ParseSummaries("a.c: In function 'f':\n"
                             "a.c:4:1: note: the ABI of passing struct changed in GCC 4.4\n"
                             "a.c:9:3: error: 'q' undeclared (first use in this function)\n"
                             "a.c:9:3: note: each undeclared identifier is reported only once\n"),
              ElementsAre("note gcc a.c:4:1 [] the ABI of passing struct changed in GCC 4.4 @1-2",
                          "error gcc a.c:9:3 [] 'q' undeclared (first use in this function) @3-4"));
  // A note with nothing before it is an event of its own.
  EXPECT_THAT(ParseSummaries("x.c:1:9: note: '#pragma message: building x'\n"),
              ElementsAre("note gcc x.c:1:9 [] '#pragma message: building x' @1-1"));
}

TEST(GccParserTest, IncludeChainsAndParseableFixits) {
  std::vector<Event> events = ParseBuild(
      "In file included from /usr/include/c++/12/functional:59,\n"
      "                 from src/app.h:3,\n"
      "                 from src/app.cc:1:\n"
      "/usr/include/c++/12/bits/std_function.h: In instantiation of 'R f(T) [with T = int]':\n"
      "src/app.cc:9:12:   required from here\n"
      "/usr/include/c++/12/bits/std_function.h:40:5: error: no match for call\n"
      "   40 |     return g(t);\n"
      "      |            ~^~~\n"
      "x.c:6:9: warning: suggest parentheses around assignment used as truth value "
      "[-Wparentheses]\n"
      "fix-it:\"x.c\":{6:7-6:7}:\"(\"\n"
      "fix-it:\"x.c\":{6:12-6:12}:\")\"\n");
  EXPECT_THAT(
      Summaries(events),
      ElementsAre(
          "error gcc /usr/include/c++/12/bits/std_function.h:40:5 [] no match for call @1-8",
          "warning gcc x.c:6:9 [-Wparentheses] suggest parentheses around assignment used as truth "
          "value @9-11"));
}

TEST(GccParserTest, HugeCascadesAreBounded) {
  // A template error followed by 200k note lines: one event, raw_text capped, range kept.
  std::string log = "big.cc:1:1: error: no matching function for call to 'f'\n";
  for (int i = 0; i < 200000; ++i) log += "big.cc:2:3: note: candidate " + std::to_string(i) + "\n";
  std::vector<Event> events = ParseBuild(log);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].log_line_start, 1);
  EXPECT_EQ(events[0].log_line_end, 200001);
  EXPECT_LE(events[0].raw_text.size(), 70u * 1024);
  // 10k separate errors in one run are all emitted, in order.
  log.clear();
  for (int i = 1; i <= 10000; ++i) log += "e.c:" + std::to_string(i) + ":1: error: e\n";
  events = ParseBuild(log);
  ASSERT_EQ(events.size(), 10000u);
  EXPECT_EQ(events[0].line_number, 1);
  EXPECT_EQ(events[9999].line_number, 10000);
  EXPECT_EQ(events[9999].log_line_start, 10000);
}

TEST(GccParserTest, AnalyzerPathsAndBracketedCodes) {
  std::vector<Event> events = ParseBuild(
      "leak.c: In function 'f':\n"
      "leak.c:5:3: warning: leak of 'p' [CWE-401] [-Wanalyzer-malloc-leak]\n"
      "    5 |   return 0;\n"
      "      |   ^~~~~~\n"
      "  'f': events 1-2\n"
      "    |\n"
      "    |    4 |   void *p = malloc(10);\n"
      "    |      |             ^~~~~~~~~~\n"
      "a.cc:3:7: warning: 'x' is used uninitialized [bugprone-uninit]\n"
      "a.cc:4:7: error: array 'int [4]'\n");
  EXPECT_THAT(
      Summaries(events),
      ElementsAre("warning gcc leak.c:5:3 [-Wanalyzer-malloc-leak] leak of 'p' [CWE-401] @1-8",
                  "warning gcc a.cc:3:7 [bugprone-uninit] 'x' is used uninitialized @9-9",
                  "error gcc a.cc:4:7 [] array 'int [4]' @10-10"));
}

TEST(GccParserTest, ClangOrGccFromTheCompileCommand) {
  // No clang-only or gcc-only shape in the diagnostics: the echoed command decides.
  const char* diag =
      "a.cc:1:1: error: unknown type name 'foo'\n"
      "foo x;\n"
      "^\n";
  EXPECT_THAT(ParseSummaries(std::string("clang++ -O2 -c a.cc -o a.o\n") + diag),
              ElementsAre("error clang a.cc:1:1 [] unknown type name 'foo' @2-4"));
  EXPECT_THAT(ParseSummaries(std::string("ccache /usr/bin/clang-14 -c a.cc\n") + diag),
              ElementsAre("error clang a.cc:1:1 [] unknown type name 'foo' @2-4"));
  EXPECT_THAT(ParseSummaries(std::string("g++ -O2 -c a.cc -o a.o\n") + diag),
              ElementsAre("error gcc a.cc:1:1 [] unknown type name 'foo' @2-4"));
  EXPECT_THAT(ParseSummaries(diag),
              ElementsAre("error gcc a.cc:1:1 [] unknown type name 'foo' @1-3"));
  // ninja prints the command after FAILED:.
  EXPECT_THAT(ParseSummaries(std::string("FAILED: a.o \n/usr/bin/clang++ -c a.cc -o a.o\n") + diag),
              ElementsAre("error ninja :0:0 [] a.o @1-2",
                          "error clang a.cc:1:1 [] unknown type name 'foo' @3-5"));
  // The next command applies to the next compiler output, not to the one before it.
  EXPECT_THAT(ParseSummaries(std::string("clang -c a.c\n") + diag + "gcc -c b.c\n" + diag),
              ElementsAre("error clang a.cc:1:1 [] unknown type name 'foo' @2-4",
                          "error gcc a.cc:1:1 [] unknown type name 'foo' @6-8"));
  // In-output evidence beats the command: clang's summary line.
  EXPECT_THAT(ParseSummaries(std::string("g++ -c a.cc\n") + diag + "1 error generated.\n"),
              ElementsAre("error clang a.cc:1:1 [] unknown type name 'foo' @2-4"));
}

TEST(GccParserTest, ClangExcerptDoesNotSwallowOtherLines) {
  // A located diagnostic without an excerpt, then other tools' lines.
  EXPECT_THAT(ParseSummaries("a.c:1:1: error: boom\n"
                             "make: *** [Makefile:2: a.o] Error 1\n"),
              ElementsAre("error gcc a.c:1:1 [] boom @1-1",
                          "error make Makefile:2:0 [Error 1] [Makefile:2: a.o] Error 1 @2-2"));
  EXPECT_THAT(ParseSummaries("a.c:1:1: warning: w [-Wx]\n"
                             "Makefile:17: warning: overriding recipe for target 'dup'\n"),
              ElementsAre("warning gcc a.c:1:1 [-Wx] w @1-1",
                          "warning make Makefile:17:0 [] overriding recipe for target 'dup' @2-2"));
  EXPECT_THAT(ParseSummaries("a.c:1:1: error: boom\n"
                             "cc -c b.c -o b.o\n"
                             "b.c:2:2: error: bang\n"),
              ElementsAre("error gcc a.c:1:1 [] boom @1-1", "error gcc b.c:2:2 [] bang @3-3"));
  // gcc >= 9 prints numbered excerpts: then an unnumbered line is never an excerpt.
  EXPECT_THAT(ParseSummaries("a.c:1:1: warning: w1 [-Wx]\n"
                             "    1 | int a;\n"
                             "      | ^\n"
                             "a.c:2:1: note: n\n"
                             "Linking app\n"),
              ElementsAre("warning gcc a.c:1:1 [-Wx] w1 @1-4"));
}

TEST(GccParserTest, RejectsLinesThatAreNotDiagnostics) {
  EXPECT_THAT(ParseSummaries("Note: see docs: https://example.com\n"
                             "http://example.com:8080: error: refused\n"
                             "2024-01-01 10:00:00: error: not a file\n"
                             "2024-01-01T10:12:13: error: not a file either\n"
                             "error: could not compile `foo` due to previous error\n"
                             "warning: unused manifest key: package.x\n"
                             "   indented text\n"
                             "In function 'f':\n"
                             "Build: In function mode:\n"
                             "x.c:3:4: information: hello\n"
                             "app.py:3: error: Incompatible types in assignment  [assignment]\n"),
              ElementsAre());
}

// Runs `cmd` (a shell command) and returns its combined output; "" when it cannot run.
std::string RunShell(const std::string& cmd, int* status) {
  std::string out;
  FILE* f = ::popen((cmd + " 2>&1").c_str(), "r");
  if (f == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  *status = ::pclose(f);
  return out;
}

bool HaveTool(const std::string& tool) {
  int status = -1;
  RunShell("command -v " + tool + " >/dev/null", &status);
  return status == 0;
}

TEST(GccParserTest, LiveGccOutput) {
  if (!HaveTool("gcc")) GTEST_SKIP() << "gcc is not installed";
  lq::testing::TempDir dir;
  lq::testing::WriteFileOrDie(dir / "live.c",
                              "int main(void) {\n"
                              "  int unused = 1;\n"
                              "  return undeclared_thing;\n"
                              "}\n");
  int status = 0;
  std::string out =
      RunShell("cd '" + dir.path() + "' && LC_ALL=C gcc -Wall -c live.c -o live.o", &status);
  ASSERT_NE(status, 0) << out;
  std::vector<Event> events = ParseBuild(out);
  ASSERT_EQ(events.size(), 2u) << out;
  // gcc reports unused variables when it finishes the function: after the error.
  EXPECT_EQ(events[0].severity, Severity::kError);
  EXPECT_EQ(events[0].tool_name, "gcc");
  EXPECT_EQ(events[0].file_path, "live.c");
  EXPECT_EQ(events[0].line_number, 3);
  EXPECT_EQ(events[0].column_number, 10);
  EXPECT_EQ(events[0].error_code, "");
  EXPECT_EQ(events[0].message, "'undeclared_thing' undeclared (first use in this function)");
  EXPECT_EQ(events[0].category, "compile");
  EXPECT_EQ(events[0].log_line_start, 1);  // "live.c: In function 'main':"
  EXPECT_EQ(events[1].severity, Severity::kWarning);
  EXPECT_EQ(events[1].tool_name, "gcc");
  EXPECT_EQ(events[1].file_path, "live.c");
  EXPECT_EQ(events[1].line_number, 2);
  EXPECT_EQ(events[1].column_number, 7);
  EXPECT_EQ(events[1].error_code, "-Wunused-variable");
  EXPECT_EQ(events[1].message, "unused variable 'unused'");
  EXPECT_EQ(events[1].log_line_end, static_cast<int64_t>(std::count(out.begin(), out.end(), '\n')));

  // The same with colors: identical events.
  std::string colored =
      RunShell("cd '" + dir.path() +
                   "' && LC_ALL=C gcc -Wall -fdiagnostics-color=always -c live.c -o live.o",
               &status);
  ASSERT_NE(colored.find('\033'), std::string::npos);
  EXPECT_EQ(Summaries(ParseBuild(colored)), Summaries(events));

  // And the link step.
  lq::testing::WriteFileOrDie(dir / "link.c",
                              "void nowhere(void);\nint main(void) { nowhere(); return 0; }\n");
  out = RunShell(
      "cd '" + dir.path() + "' && LC_ALL=C gcc -c link.c -o link.o && LC_ALL=C gcc link.o -o app",
      &status);
  ASSERT_NE(status, 0) << out;
  events = ParseBuild(out);
  ASSERT_FALSE(events.empty()) << out;
  bool found = false;
  for (const Event& e : events) {
    if (e.message == "undefined reference to `nowhere'" ||
        e.message == "undefined symbol: nowhere") {
      found = true;
      EXPECT_EQ(e.category, "link");
      EXPECT_EQ(e.severity, Severity::kError);
    }
  }
  EXPECT_TRUE(found) << out;
}

TEST(GccParserTest, LiveClangOutput) {
  if (!HaveTool("clang")) GTEST_SKIP() << "clang is not installed";
  lq::testing::TempDir dir;
  lq::testing::WriteFileOrDie(dir / "live.c",
                              "int main(void) {\n  int unused = 1;\n  return 0;\n}\n");
  int status = 0;
  std::string out = RunShell("cd '" + dir.path() + "' && clang -Wall -c live.c -o live.o", &status);
  std::vector<Event> events = ParseBuild(out);
  ASSERT_EQ(events.size(), 1u) << out;
  EXPECT_EQ(events[0].tool_name, "clang");
  EXPECT_EQ(events[0].severity, Severity::kWarning);
  EXPECT_EQ(events[0].file_path, "live.c");
  EXPECT_EQ(events[0].line_number, 2);
  EXPECT_EQ(events[0].column_number, 7);
  EXPECT_EQ(events[0].error_code, "-Wunused-variable");
  EXPECT_EQ(events[0].message, "unused variable 'unused'");
}

// ---- linkers ----

TEST(LdParserTest, GnuLdBfd) {
  std::string log = Fixture("ld_bfd.log");
  std::vector<Event> events = ParseBuild(log);
  EXPECT_THAT(
      Summaries(events),
      ElementsAre(
          "warning ld undef.o:0:0 [] relocation against `missing_var' in read-only section `.text' "
          "@2-2",
          "error ld undef.c:0:0 [] undefined reference to `missing_function' @3-4",
          "error ld undef.c:0:0 [] undefined reference to `missing_var' @5-5",
          "warning ld :0:0 [] creating DT_TEXTREL in a PIE @6-6",
          "warning ld undef_g.o:0:0 [] relocation against `missing_var' in read-only section "
          "`.text' @9-9",
          "error ld /src/demo/undef.c:3:0 [] undefined reference to `missing_function' @10-11",
          "error ld /src/demo/undef.c:3:0 [] undefined reference to `missing_var' @12-12",
          "warning ld :0:0 [] creating DT_TEXTREL in a PIE @13-13",
          "error ld dup2.o:0:0 [] multiple definition of `dup_symbol' @16-16",
          "error ld dup2.c:0:0 [] multiple definition of `helper' @17-19",
          "error ld :0:0 [] cannot find -lfoo_missing @21-22",
          // "(.text+0x17): undefined reference": the object named by the context line.
          "error ld /usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-gnu/Scrt1.o:0:0 [] "
          "undefined reference to `main' @24-26"));
  ExpectRawTextMatchesLines(log, events);
  for (const Event& e : events) EXPECT_EQ(e.category, "link");
}

TEST(LdParserTest, Gold) {
  std::string log = Fixture("ld_gold.log");
  std::vector<Event> events = ParseBuild(log);
  EXPECT_THAT(
      Summaries(events),
      ElementsAre(
          "error ld undef.c:0:0 [] undefined reference to 'missing_function' @2-2",
          "error ld undef.c:0:0 [] undefined reference to 'missing_var' @3-4",
          "error ld /src/demo/undef.c:3:0 [] undefined reference to 'missing_function' @6-6",
          "error ld /src/demo/undef.c:3:0 [] undefined reference to 'missing_var' @7-8",
          "error ld dup2.o:0:0 [] multiple definition of 'dup_symbol' @10-11",
          "error ld dup2.o:0:0 [] multiple definition of 'helper' @12-14",
          "error ld :0:0 [] cannot find -lfoo_missing @16-16",
          "error ld undef.c:0:0 [] undefined reference to 'missing_function' @17-17",
          "error ld undef.c:0:0 [] undefined reference to 'missing_var' @18-19",
          "error ld /usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-gnu/Scrt1.o:0:0 [] "
          "undefined reference to 'main' @21-22"));
  ExpectRawTextMatchesLines(log, events);
}

TEST(LdParserTest, Lld) {
  std::string log = Fixture("ld_lld.log");
  std::vector<Event> events = ParseBuild(log);
  EXPECT_THAT(
      Summaries(events),
      ElementsAre(
          "error lld undef.c:3:0 [] undefined symbol: missing_function @2-4",
          "error lld undef.c:3:0 [] undefined symbol: missing_var @6-9",
          "error lld dup1.c:0:0 [] duplicate symbol: dup_symbol @11-15",
          "error lld dup1.c:0:0 [] duplicate symbol: helper @17-22",
          "error lld :0:0 [] unable to find library -lfoo_missing @24-25",
          "error lld undef.c:0:0 [] undefined symbol: missing_function @27-29",
          "error lld undef.c:0:0 [] undefined symbol: missing_var @31-34",
          "error lld /usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-gnu/Scrt1.o:0:0 [] "
          "undefined symbol: main @36-38"));
  ExpectRawTextMatchesLines(log, events);
}

TEST(LdParserTest, ShapesFromIssueThreads) {
  // lld invoked as "ld" (Android NDK), archives, "referenced N more times".
  EXPECT_THAT(
      ParseSummaries("ld: error: undefined symbol: stdout\n"
                     ">>> referenced by im2d.cpp:498 (/src/im2d_api/src/im2d.cpp:498)\n"
                     ">>>               im2d.cpp.o:(querystring) in archive ../lib/librga.a\n"
                     ">>> referenced 239 more times\n"
                     "\n"
                     "ld.lld: error: undefined symbol: errx\n"
                     ">>> referenced by a-font.o:(load_font) in archive ./libi3.a\n"),
      ElementsAre("error lld im2d.cpp:498:0 [] undefined symbol: stdout @1-4",
                  "error lld a-font.o:0:0 [] undefined symbol: errx @6-7"));
  // Apple ld64.
  EXPECT_THAT(
      ParseSummaries(
          "ld: warning: directory not found for option '-L/opt/x/lib'\n"
          "Undefined symbols for architecture arm64:\n"
          "  \"_IOPSCopyPowerSourcesInfo\", referenced from:\n"
          "      -[ViewController batteryLevel] in ViewController.o\n"
          "  \"_ReloadPage\", referenced from:\n"
          "      _QuitApp_Reload in libGame.a[3](v7wf.o)\n"
          "      _QuitApp_Other in libGame.a[3](v7wf.o)\n"
          "ld: symbol(s) not found for architecture arm64\n"
          "clang: error: linker command failed with exit code 1 (use -v to see invocation)\n"),
      ElementsAre(
          "warning ld :0:0 [] directory not found for option '-L/opt/x/lib' @1-1",
          "error ld ViewController.o:0:0 [] undefined symbol: _IOPSCopyPowerSourcesInfo @2-4",
          "error ld libGame.a[3](v7wf.o):0:0 [] undefined symbol: _ReloadPage @5-9"));
  EXPECT_THAT(ParseSummaries("duplicate symbol '_g_state' in:\n"
                             "    /build/a.o\n"
                             "    /build/b.o\n"
                             "ld: 1 duplicate symbol for architecture x86_64\n"
                             "ld: library not found for -lssl\n"),
              ElementsAre("error ld /build/a.o:0:0 [] duplicate symbol '_g_state' @1-4",
                          "error ld :0:0 [] library not found for -lssl @5-5"));
  // Old binutils, cross linkers, DSO errors, gold/bfd warnings at a location.
  EXPECT_THAT(
      ParseSummaries(
          "main.o: In function `main':\n"
          "main.c:(.text+0x5): undefined reference to `pthread_create'\n"
          "/opt/x/bin/arm-none-eabi-ld: /lib/libpthread.so.0: error adding symbols: DSO missing "
          "from command line\n"
          "x.c:(.text+0x9): warning: the use of `tmpnam' is dangerous, better use `mkstemp'\n"
          "/usr/bin/ld: final link failed: No space left on device\n"),
      ElementsAre(
          "error ld main.c:0:0 [] undefined reference to `pthread_create' @1-2",
          "error ld /lib/libpthread.so.0:0:0 [] error adding symbols: DSO missing from command "
          "line "
          "@3-3",
          "warning ld x.c:0:0 [] the use of `tmpnam' is dangerous, better use `mkstemp' @4-4",
          "error ld :0:0 [] final link failed: No space left on device @5-5"));
}

TEST(LdParserTest, SummaryAloneIsAnEvent) {
  // With no recognizable linker error before it, the summary is the only trace.
  EXPECT_THAT(ParseSummaries("some linker output we do not know\n"
                             "collect2: error: ld returned 1 exit status\n"),
              ElementsAre("error ld :0:0 [] ld returned 1 exit status @2-2"));
  EXPECT_THAT(
      ParseSummaries(
          "clang: error: linker command failed with exit code 1 (use -v to see invocation)\n"),
      ElementsAre("error ld :0:0 [] linker command failed with exit code 1 (use -v to see "
                  "invocation) @1-1"));
  EXPECT_THAT(ParseSummaries("collect2: fatal error: ld terminated with signal 9 [Killed]\n"),
              ElementsAre("error ld :0:0 [] ld terminated with signal 9 [Killed] @1-1"));
}

// ---- make ----

TEST(MakeParserTest, Fixture) {
  std::string log = Fixture("make.log");
  std::vector<Event> events = ParseBuild(log);
  EXPECT_THAT(
      Summaries(events),
      ElementsAre(
          "warning make Makefile:17:0 [] overriding recipe for target 'dup' @2-3",
          "error gcc undeclared.c:4:11 [] ‘y’ undeclared (first use in this function) @5-9",
          "error gcc undeclared.c:5:22 [] ‘z’ undeclared (first use in this function) @10-12",
          "error make Makefile:7:0 [Error 1] [Makefile:7: undeclared.o] Error 1 @13-13",
          "warning gcc unused.c:2:7 [-Wunused-variable] unused variable ‘unused_var’ @15-18",
          "warning gcc unused.c:6:7 [-Wparentheses] suggest parentheses around assignment used as "
          "truth value @19-22",
          "warning make Makefile:17:0 [] overriding recipe for target 'dup' @25-26",
          "error make :0:0 [] No rule to make target 'missing.c', needed by 'norule'. @27-27",
          "warning make Makefile:17:0 [] overriding recipe for target 'dup' @29-30",
          "warning make Makefile:19:0 [Error 1] [Makefile:19: ignored] Error 1 (ignored) @32-32",
          "warning make Makefile:17:0 [] overriding recipe for target 'dup' @34-35",
          "error make Makefile:2:0 [Error 1] [Makefile:2: all] Error 1 @39-39",
          "error make Makefile:10:0 [Error 2] [Makefile:10: sub] Error 2 @41-41",
          "error make bad.mk:2:0 [] missing separator. @43-43",
          "error make inc.mk:1:0 [] foo.mk: No such file or directory @45-45",
          "error make :0:0 [] No rule to make target 'foo.mk'. @46-46"));
  ExpectRawTextMatchesLines(log, events);
}

TEST(MakeParserTest, CmakeMakefileGenerator) {
  EXPECT_THAT(
      ParseSummaries(Fixture("cmake_make.log")),
      ElementsAre(
          "error gcc /src/demo/nj/undeclared.c:4:11 [] ‘y’ undeclared (first use in this function) "
          "@3-7",
          "error gcc /src/demo/nj/undeclared.c:5:22 [] ‘z’ undeclared (first use in this function) "
          "@8-10",
          "error make CMakeFiles/demo.dir/build.make:76:0 [Error 1] "
          "[CMakeFiles/demo.dir/build.make:76: CMakeFiles/demo.dir/undeclared.c.o] Error 1 @11-11",
          "error make CMakeFiles/Makefile2:83:0 [Error 2] [CMakeFiles/Makefile2:83: "
          "CMakeFiles/demo.dir/all] Error 2 @12-12",
          "error make Makefile:91:0 [Error 2] [Makefile:91: all] Error 2 @13-13"));
}

TEST(MakeParserTest, OlderMakeAndSignals) {
  EXPECT_THAT(
      ParseSummaries(
          "Makefile:3: recipe for target 'all' failed\n"
          "make: *** [all] Error 1\n"
          "make: *** Waiting for unfinished jobs....\n"
          "mingw32-make.exe[1]: *** [x.o] Segmentation fault (core dumped)\n"
          "make: *** No targets specified and no makefile found.  Stop.\n"
          "make[3]: warning: jobserver unavailable: using -j1.  Add '+' to parent make rule.\n"
          "make[1]: Entering directory '/src'\n"
          "make: Nothing to be done for 'all'.\n"),
      ElementsAre("error make :0:0 [Error 1] [all] Error 1 @1-3",
                  "error make :0:0 [] [x.o] Segmentation fault (core dumped) @4-4",
                  "error make :0:0 [] No targets specified and no makefile found. @5-5",
                  "warning make :0:0 [] jobserver unavailable: using -j1.  Add '+' to parent make "
                  "rule. @6-6"));
}

// ---- ninja ----

TEST(NinjaParserTest, Fixture) {
  std::string log = Fixture("ninja.log");
  std::vector<Event> events = ParseBuild(log);
  EXPECT_THAT(
      Summaries(events),
      ElementsAre(
          "error ninja :0:0 [] CMakeFiles/demo.dir/undeclared.c.o @3-4",
          "error gcc /src/demo/nj/undeclared.c:4:11 [] ‘y’ undeclared (first use in this "
          "function) @5-9",
          "error gcc /src/demo/nj/undeclared.c:5:22 [] ‘z’ undeclared (first use in this "
          "function) @10-12",
          "error ninja :0:0 [] build stopped: subcommand failed. @13-13",
          "error ninja :0:0 [] CMakeFiles/demo.dir/undeclared.c.o @17-18",
          "error gcc /src/demo/nj/undeclared.c:4:11 [] ‘y’ undeclared (first use in this "
          "function) @19-23",
          "error gcc /src/demo/nj/undeclared.c:5:22 [] ‘z’ undeclared (first use in this "
          "function) @24-26",
          "warning gcc /src/demo/nj/unused.c:2:7 [-Wunused-variable] unused variable "
          "‘unused_var’ @28-31",
          "warning gcc /src/demo/nj/unused.c:6:7 [-Wparentheses] suggest parentheses around "
          "assignment used as truth value @32-35",
          "error ninja :0:0 [] build stopped: cannot make progress due to previous errors. "
          "@36-36",
          "error ninja :0:0 [] unknown target 'nonexistent_target' @39-39",
          "error ninja :0:0 [] chdir to 'nodir' - No such file or directory @42-42"));
  ExpectRawTextMatchesLines(log, events);
  // The failed command is part of the FAILED event.
  EXPECT_EQ(events[0].raw_text.substr(0, events[0].raw_text.find('\n') + 17),
            "FAILED: CMakeFiles/demo.dir/undeclared.c.o \n/usr/bin/cc   -W");
  for (const Event& e : events) {
    if (e.tool_name == "ninja") {
      EXPECT_EQ(e.category, "build");
    }
  }
}

TEST(NinjaParserTest, ExitCodePrefixAndColors) {
  // ninja >= 1.13: "FAILED: [code=1] " (red when the terminal has colors).
  EXPECT_THAT(ParseSummaries("\033[31mFAILED: [code=1] \033[0mout/a.o out/a.d \n"
                             "exit 1\n"
                             "ninja: build stopped: interrupted by user.\n"
                             "ninja: warning: multiple rules generate x.o\n"),
              ElementsAre("error ninja :0:0 [] out/a.o out/a.d @1-2",
                          "error ninja :0:0 [] build stopped: interrupted by user. @3-3",
                          "warning ninja :0:0 [] multiple rules generate x.o @4-4"));
}

// ---- cmake ----

TEST(CmakeParserTest, Fixture) {
  std::string log = Fixture("cmake.log");
  std::vector<Event> events = ParseBuild(log);
  EXPECT_THAT(
      Summaries(events),
      ElementsAre(
          "warning cmake CMakeLists.txt:1:0 [deprecation] Compatibility with CMake < 2.8.12 will "
          "be "
          "removed from a future version of CMake. @2-7",
          "warning cmake CMakeLists.txt:3:0 [deprecation] The OLD behavior for policy CMP0000 will "
          "be removed from a future version of CMake. @16-23",
          "error cmake cmake/helper.cmake:1:0 [] error from helper @26-29",
          "warning cmake CMakeLists.txt:5:0 [dev] author says hi @32-34",
          "warning cmake CMakeLists.txt:6:0 [] plain warning text @36-37",
          "warning cmake CMakeLists.txt:7:0 [deprecation] this is deprecated @40-41",
          "error cmake CMakeLists.txt:8:0 [] By not providing \"FindFooBarBaz.cmake\" in "
          "CMAKE_MODULE_PATH this project has asked CMake to find a package configuration file "
          "provided by \"FooBarBaz\", but CMake did not find one. @44-58",
          "error cmake /usr/share/cmake-3.25/Modules/FindPackageHandleStandardArgs.cmake:230:0 [] "
          "Could NOT find Jasper (missing: JASPER_LIBRARIES JASPER_INCLUDE_DIR) @71-76",
          "error cmake CMakeLists.txt:4:0 [] Target \"demo\" links to: @89-98",
          "warning cmake :0:0 [] Manually-specified variables were not used by the project: "
          "@103-106",
          "error cmake :0:0 [] The source directory \"/nonexistent\" does not exist. @111-111"));
  ExpectRawTextMatchesLines(log, events);
  for (const Event& e : events) EXPECT_EQ(e.category, "build");
}

TEST(CmakeParserTest, OtherHeaders) {
  EXPECT_THAT(
      ParseSummaries(
          "CMake Error in src/CMakeLists.txt:\n"
          "  Target \"app\" INTERFACE_INCLUDE_DIRECTORIES property contains path:\n"
          "\n"
          "CMake Error at CMakeLists.txt:3:\n"
          "  Parse error.  Expected a command name, got unquoted argument with text \"x\".\n"
          "CMake Warning (dev) in CMakeLists.txt:\n"
          "  No cmake_minimum_required command is present.\n"
          "This warning is for project developers.  Use -Wno-dev to suppress it.\n"
          "CMake Error: Could not create named generator Bogus\n"
          "CMake Generate step failed.  Build files cannot be regenerated correctly.\n"),
      ElementsAre(
          "error cmake src/CMakeLists.txt:0:0 [] Target \"app\" INTERFACE_INCLUDE_DIRECTORIES "
          "property contains path: @1-2",
          "error cmake CMakeLists.txt:3:0 [] Parse error.  Expected a command name, got unquoted "
          "argument with text \"x\". @4-5",
          "warning cmake CMakeLists.txt:0:0 [dev] No cmake_minimum_required command is present. "
          "@6-8",
          "error cmake :0:0 [] Could not create named generator Bogus @9-9"));
}

// ---- the group ----

TEST(BuildParsersTest, RegistersFamiliesInPriorityOrder) {
  ParserList parsers;
  AddBuildToolParsers(&parsers);
  std::vector<std::string> names;
  for (const auto& p : parsers) names.emplace_back(p->name());
  EXPECT_THAT(names, ElementsAre("cmake", "ninja", "make", "ld", "gcc"));
  for (const char* name : {"gcc", "ld", "make", "ninja", "cmake"}) {
    EXPECT_NE(MakeParser(name), nullptr) << name;
  }
}

TEST(BuildParsersTest, AutoFormatAgreesOnFixtures) {
  // With every family enabled, no other parser takes these tools' lines.
  for (const char* name : {"gcc_c.log", "gcc_cxx.log", "gcc_werror.log", "gcc_color.log",
                           "clang.log", "clang_color.log", "ld_bfd.log", "ld_gold.log",
                           "ld_lld.log", "make.log", "ninja.log", "cmake_make.log", "cmake.log"}) {
    std::string log = Fixture(name);
    EXPECT_EQ(Summaries(ParseAuto(log)), Summaries(ParseBuild(log))) << name;
  }
}

TEST(BuildParsersTest, SingleFormatParsesItsOwnLines) {
  LogParser parser("gcc");
  CollectingSink sink;
  parser.Feed("x.c:1:2: warning: w [-Wall]\n    1 | int\n      |  ^\nmake: *** [all] Error 1\n",
              sink);
  parser.Finish(sink);
  EXPECT_THAT(Summaries(sink.events), ElementsAre("warning gcc x.c:1:2 [-Wall] w @1-3"));
  EXPECT_EQ(sink.events[0].fingerprint.size(), 16u);
}

TEST(BuildParsersTest, ChunkBoundariesAndCrlfDoNotMatter) {
  std::string log = Fixture("gcc_cxx.log") + Fixture("ld_lld.log") + Fixture("cmake.log");
  std::vector<std::string> whole = Summaries(ParseAuto(log));
  std::string crlf;
  for (char c : log) {
    if (c == '\n') crlf.push_back('\r');
    crlf.push_back(c);
  }
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{4096}}) {
    LogParser parser;
    CollectingSink sink;
    for (size_t i = 0; i < crlf.size(); i += chunk)
      parser.Feed(std::string_view(crlf).substr(i, chunk), sink);
    parser.Finish(sink);
    std::vector<std::string> got = Summaries(sink.events);
    EXPECT_EQ(got, whole) << "chunk " << chunk;
  }
}

TEST(BuildParsersTest, TruncatedLinesAreSafe) {
  // Every prefix of lines of each shape, alone and after a line that opens a block: no
  // crash, no read past the end (run under LQ_SANITIZE), and nothing absurd.
  const std::vector<std::string> shapes = {
      "src/a.c:12:5: error: 'x' undeclared [-Werror=unused]",
      "In file included from a.h:3,",
      "a.cc: In instantiation of 'f<int>':",
      "a.cc:3:4:   required from here",
      "cc1plus: all warnings being treated as errors",
      "x86_64-linux-gnu-gcc-12: fatal error: no input files",
      "2 warnings and 1 error generated.",
      "/usr/bin/ld: a.o:(.text+0x5): multiple definition of `x'; b.o:(.text): first defined here",
      "a.o:a.c:function main: error: undefined reference to 'f'",
      ">>> referenced by a.c:3 (/src/a.c:3)",
      "  \"_foo\", referenced from:",
      "collect2: error: ld returned 1 exit status",
      "make[2]: *** [src/x.make:76: x.o] Error 1",
      "Makefile:5: *** missing separator.  Stop.",
      "FAILED: [code=1] a.o",
      "ninja: build stopped: subcommand failed.",
      "CMake Error at CMakeLists.txt:12 (find_package):",
      "[3/10] cd /b && ccache /usr/bin/clang++-14 -c a.cc",
  };
  const std::vector<std::string> openers = {"",
                                            "a.c:1:1: error: e\n",
                                            "ld.lld: error: undefined symbol: f\n",
                                            "Undefined symbols for architecture arm64:\n",
                                            "CMake Error at x:1 (y):\n",
                                            "FAILED: x\n"};
  for (const std::string& opener : openers) {
    std::string log = opener;
    for (const std::string& shape : shapes) {
      for (size_t n = 0; n <= shape.size(); ++n) log += shape.substr(0, n) + "\n";
    }
    for (const Event& e : ParseBuild(log)) {
      EXPECT_GE(e.log_line_start, 1);
      EXPECT_GE(e.log_line_end, e.log_line_start);
      EXPECT_FALSE(e.tool_name.empty());
    }
  }
}

TEST(BuildParsersTest, CompilerOfCommand) {
  using buildtools::CompilerKind;
  using buildtools::CompilerOfCommand;
  EXPECT_EQ(CompilerOfCommand("/usr/bin/clang++ -O2 -c a.cc"), CompilerKind::kClang);
  EXPECT_EQ(CompilerOfCommand("[3/10] /usr/lib/ccache/clang-17 -c a.c"), CompilerKind::kClang);
  EXPECT_EQ(CompilerOfCommand("cd /b/src && /usr/bin/x86_64-linux-gnu-g++-12 -c x.cc"),
            CompilerKind::kGcc);
  EXPECT_EQ(CompilerOfCommand("sccache gcc -c x.c"), CompilerKind::kGcc);
  EXPECT_EQ(CompilerOfCommand("$ cc -Wall -c a.c"), CompilerKind::kGeneric);
  EXPECT_EQ(CompilerOfCommand("/usr/bin/c++ -DX -c a.cc"), CompilerKind::kGeneric);
  EXPECT_EQ(CompilerOfCommand("gcc version 12.2.0 (Debian 12.2.0-14)"), CompilerKind::kNone);
  EXPECT_EQ(CompilerOfCommand("clang-format -i a.cc"), CompilerKind::kNone);
  EXPECT_EQ(CompilerOfCommand("[ 50%] Building CXX object x.o"), CompilerKind::kNone);
  EXPECT_EQ(CompilerOfCommand("Linking app"), CompilerKind::kNone);
}

}  // namespace
}  // namespace lq::logs

// Tests of the test-framework/runtime parser group (test_parsers.cc): pytest, unittest,
// Python tracebacks, GoogleTest, ctest, Catch2, Node.js (sanitizers and valgrind:
// sanitizer_parser_test.cc).
//
// Fixtures under testdata/tests/ are real outputs of the tools (see testdata/tests/README),
// read from $LQ_SOURCE_DIR (set by ctest; export LQ_SOURCE_DIR=/work/main when running the
// binary by hand). Each family is parsed with --format=<family> so that the expectations
// do not depend on the other groups; the TestParsers* tests run every parser ("auto").
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "logs/parser.h"
#include "logs/parser_groups.h"
#include "logs/parser_test_util.h"
#include "logs/test_parsers_test_util.h"

namespace lq::logs {
namespace {

using namespace parser_testing;  // NOLINT

// ---------------------------------------------------------------------------------------
// Python tracebacks

TEST(PythonTracebackTest, SimpleTracebackUsesInnermostFrame) {
  ExpectFixture("python_simple.log", "python",
                {{kError, "/home/dev/proj/py/simple.py", 2, 0, "python", "ValueError",
                  "ValueError: invalid literal for int() with base 10: 'x'", 1, 13}});
  std::vector<Event> events = Parse(Fixture("python_simple.log"), "python");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].raw_text,
            Fixture("python_simple.log").substr(0, Fixture("python_simple.log").size() - 1));
}

TEST(PythonTracebackTest, ChainedExceptionsAreOneEventForTheLastException) {
  ExpectFixture("python_chained.log", "python",
                {{kError, "/home/dev/proj/py/chained.py", 8, 0, "python", "RuntimeError",
                  "RuntimeError: config missing: /nonexistent/config.json", 1, 14}});
  ExpectFixture("python_cause.log", "python",
                {{kError, "/home/dev/proj/py/fromcause.py", 5, 0, "python", "ValueError",
                  "ValueError: bad key", 1, 14}});
  std::vector<Event> events = Parse(Fixture("python_chained.log"), "python");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].raw_text.find("FileNotFoundError: [Errno 2]"), std::string::npos);
  EXPECT_NE(events[0].raw_text.find("During handling of the above exception"), std::string::npos);
}

TEST(PythonTracebackTest, OtherForms) {
  ExpectFixture(
      "python_nomsg.log", "python",
      {{kError, "/home/dev/proj/py/nomsg.py", 4, 0, "python", "MyError", "MyError", 1, 6}});
  ExpectFixture("python_recursion.log", "python",
                {{kError, "/home/dev/proj/py/recursion.py", 2, 0, "python", "RecursionError",
                  "RecursionError: maximum recursion depth exceeded", 1, 14}});
  ExpectFixture("python_syntax.log", "python",
                {{kError, "/home/dev/proj/py/syntax.py", 1, 0, "python", "SyntaxError",
                  "SyntaxError: invalid syntax", 1, 4}});
  ExpectFixture("python_group.log", "python",
                {{kError, "/home/dev/proj/py/exgroup.py", 2, 0, "python", "ExceptionGroup",
                  "ExceptionGroup: many (2 sub-exceptions)", 1, 11}});
}

TEST(PythonTracebackTest, BackToBackTracebacksAndSurroundingOutput) {
  std::string log =
      "starting worker\n"                               // 1
      "Traceback (most recent call last):\n"            // 2
      "  File \"a.py\", line 1, in <module>\n"          // 3
      "    f()\n"                                       // 4
      "KeyError: 'k'\n"                                 // 5
      "Traceback (most recent call last):\n"            // 6
      "  File \"b.py\", line 7, in g\n"                 // 7
      "requests.exceptions.HTTPError: 404 Not Found\n"  // 8
      "\n"                                              // 9
      "worker exited\n";                                // 10
  ExpectEvents(Parse(log, "python"),
               {{kError, "a.py", 1, 0, "python", "KeyError", "KeyError: 'k'", 2, 5},
                {kError, "b.py", 7, 0, "python", "requests.exceptions.HTTPError",
                 "requests.exceptions.HTTPError: 404 Not Found", 6, 8}});
}

TEST(PythonTracebackTest, IndentedTracebackAndCutShortTraceback) {
  std::string log =
      "    Traceback (most recent call last):\n"      // 1
      "      File \"/srv/app.py\", line 3, in run\n"  // 2
      "        boom()\n"                              // 3
      "    ZeroDivisionError: division by zero\n"     // 4
      "Traceback (most recent call last):\n"          // 5
      "  File \"x.py\", line 1, in <module>\n"        // 6
      "\n";                                           // 7: cut short, no exception line
  ExpectEvents(Parse(log, "python"), {{kError, "/srv/app.py", 3, 0, "python", "ZeroDivisionError",
                                       "ZeroDivisionError: division by zero", 1, 4}});
}

TEST(PythonTracebackTest, FrameLineWithoutTracebackIsNotClaimedUnlessSyntaxError) {
  // A frame-shaped line followed by something that is not a SyntaxError report.
  std::string log = "  File \"x.py\", line 1\n    x = (\n        ^\nnot an error line\n";
  EXPECT_TRUE(Parse(log, "python").empty());
}

// ---------------------------------------------------------------------------------------
// pytest

TEST(PytestTest, FailuresSectionsMergeWithShortSummary) {
  ExpectFixture("pytest_failures.log", "pytest",
                {{kError, "tests/test_calc.py", 10, 0, "pytest", "AssertionError",
                  "tests/test_calc.py::test_add_wrong - assert 2 == 3", 18, 25},
                 {kError, "tests/test_calc.py", 14, 0, "pytest", "AssertionError",
                  "tests/test_calc.py::test_param[2-3] - assert 2 == 3", 26, 35},
                 {kError, "tests/test_calc.py", 19, 0, "pytest", "KeyError",
                  "tests/test_calc.py::TestThing::test_method - KeyError: 'b'", 36, 45},
                 {kError, "tests/test_calc.py", 22, 0, "pytest", "RuntimeError",
                  "tests/test_calc.py::TestThing::test_raises - RuntimeError: boom", 46, 55},
                 {kError, "tests/test_calc.py", 32, 0, "pytest", "AssertionError",
                  "tests/test_calc.py::test_helper - AssertionError: x too small", 56, 71},
                 {kError, "tests/test_calc.py", 26, 0, "pytest", "ValueError",
                  "tests/test_calc.py::test_uses_fixture - ValueError: fixture failed", 9, 16}});
  std::vector<Event> events = Parse(Fixture("pytest_failures.log"), "pytest");
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[0].raw_text,
            "________________________________ test_add_wrong ________________________________\n"
            "\n"
            "    def test_add_wrong():\n"
            ">       assert add(1, 1) == 3\n"
            "E       assert 2 == 3\n"
            "E        +  where 2 = add(1, 1)\n"
            "\n"
            "tests/test_calc.py:10: AssertionError");
}

TEST(PytestTest, CollectionError) {
  ExpectFixture("pytest_collect_error.log", "pytest",
                {{kError, "tests/test_broken_import.py", 1, 0, "pytest", "ModuleNotFoundError",
                  "tests/test_broken_import.py - ModuleNotFoundError: No module named "
                  "'nonexistent_module_xyz'",
                  7, 15}});
}

TEST(PytestTest, TracebackStyles) {
  ExpectFixture("pytest_tb_short.log", "pytest",
                {{kError, "tests/test_calc.py", 10, 0, "pytest", "AssertionError",
                  "tests/test_calc.py::test_add_wrong - assert 2 == 3", 14, 18},
                 {kError, "tests/test_calc.py", 19, 0, "pytest", "KeyError",
                  "tests/test_calc.py::TestThing::test_method - KeyError: 'b'", 19, 22},
                 {kError, "tests/test_calc.py", 32, 0, "pytest", "AssertionError",
                  "tests/test_calc.py::test_helper - AssertionError: x too small", 23, 29},
                 {kError, "tests/test_calc.py", 26, 0, "pytest", "ValueError",
                  "tests/test_calc.py::test_uses_fixture - ValueError: fixture failed", 9, 12}});
  ExpectFixture("pytest_tb_line.log", "pytest",
                {{kError, "/home/dev/proj/pt/tests/test_calc.py", 10, 0, "pytest", "AssertionError",
                  "tests/test_calc.py::test_add_wrong - assert 2 == 3", 12, 12},
                 {kError, "/home/dev/proj/pt/tests/test_calc.py", 19, 0, "pytest", "KeyError",
                  "tests/test_calc.py::TestThing::test_method - KeyError: 'b'", 13, 13},
                 {kError, "/home/dev/proj/pt/tests/test_calc.py", 32, 0, "pytest", "AssertionError",
                  "tests/test_calc.py::test_helper - AssertionError: x too small", 14, 14},
                 {kError, "tests/test_calc.py", 0, 0, "pytest", "ValueError",
                  "tests/test_calc.py::test_uses_fixture - ValueError: fixture failed", 9, 10}});
  ExpectFixture("pytest_tb_native.log", "pytest",
                {{kError, "/home/dev/proj/pt/tests/test_calc.py", 10, 0, "pytest", "AssertionError",
                  "tests/test_calc.py::test_add_wrong - AssertionError: assert 2 == 3", 15, 20},
                 {kError, "/home/dev/proj/pt/tests/test_calc.py", 19, 0, "pytest", "KeyError",
                  "tests/test_calc.py::TestThing::test_method - KeyError: 'b'", 21, 25},
                 {kError, "/home/dev/proj/pt/tests/test_calc.py", 32, 0, "pytest", "AssertionError",
                  "tests/test_calc.py::test_helper - AssertionError: x too small", 26, 33},
                 {kError, "/home/dev/proj/pt/tests/test_calc.py", 26, 0, "pytest", "ValueError",
                  "tests/test_calc.py::test_uses_fixture - ValueError: fixture failed", 9, 13}});
  ExpectFixture("pytest_tb_no.log", "pytest",
                {{kError, "tests/test_calc.py", 0, 0, "pytest", "AssertionError",
                  "tests/test_calc.py::test_add_wrong - assert 2 == 3", 9, 9},
                 {kError, "tests/test_calc.py", 0, 0, "pytest", "KeyError",
                  "tests/test_calc.py::TestThing::test_method - KeyError: 'b'", 10, 10},
                 {kError, "tests/test_calc.py", 0, 0, "pytest", "AssertionError",
                  "tests/test_calc.py::test_helper - AssertionError: x too small", 11, 11},
                 {kError, "tests/test_calc.py", 0, 0, "pytest", "ValueError",
                  "tests/test_calc.py::test_uses_fixture - ValueError: fixture failed", 12, 12}});
}

TEST(PytestTest, WarningsSummaryAndQuietMode) {
  ExpectFixture("pytest_warnings_verbose.log", "pytest",
                {{kWarning, "/home/dev/proj/pt/w/tests/test_warn.py", 3, 0, "pytest",
                  "DeprecationWarning", "DeprecationWarning: old api", 21, 21},
                 {kWarning, "/home/dev/proj/pt/w/tests/test_warn.py", 6, 0, "pytest", "UserWarning",
                  "UserWarning: careful", 25, 25},
                 {kError, "tests/test_warn.py", 4, 0, "pytest", "AssertionError",
                  "tests/test_warn.py::test_w - assert 1 == 2", 11, 18}});
  ExpectFixture("pytest_quiet.log", "pytest",
                {{kWarning, "/home/dev/proj/pt/w/tests/test_warn.py", 3, 0, "pytest",
                  "DeprecationWarning", "DeprecationWarning: old api", 13, 13},
                 {kWarning, "/home/dev/proj/pt/w/tests/test_warn.py", 6, 0, "pytest", "UserWarning",
                  "UserWarning: careful", 17, 17},
                 {kError, "tests/test_warn.py", 4, 0, "pytest", "AssertionError",
                  "tests/test_warn.py::test_w - assert 1 == 2", 3, 10}});
}

TEST(PytestTest, SummaryLinesAloneAndTeardownErrorsOfFailedTests) {
  std::string log =
      "=================================== FAILURES ===================================\n"  // 1
      "___________________________________ test_a ____________________________________\n"   // 2
      "E   assert 0\n"                                                                      // 3
      "t/test_m.py:3: AssertionError\n"                                                     // 4
      "=================================== ERRORS =====================================\n"  // 5
      "______________________ ERROR at teardown of test_a _____________________________\n"  // 6
      "E   OSError: disk full\n"                                                            // 7
      "t/conftest.py:9: OSError\n"                                                          // 8
      "=========================== short test summary info ============================\n"  // 9
      "FAILED t/test_m.py::test_a - assert 0\n"                                             // 10
      "ERROR t/test_m.py::test_a - OSError: disk full\n"                                    // 11
      "FAILED t/test_m.py::test_b - AssertionError: not shown above\n"                      // 12
      "==================== 2 failed, 1 error in 0.10s ====================\n"              // 13
      "FAILED t/test_m.py::test_a - assert 0\n";  // 14: a later rerun line
  ExpectEvents(Parse(log, "pytest"),
               {{kError, "t/test_m.py", 3, 0, "pytest", "AssertionError",
                 "t/test_m.py::test_a - assert 0", 2, 4},
                {kError, "t/conftest.py", 9, 0, "pytest", "OSError",
                 "t/test_m.py::test_a - OSError: disk full", 6, 8},
                {kError, "t/test_m.py", 0, 0, "pytest", "AssertionError",
                 "t/test_m.py::test_b - AssertionError: not shown above", 12, 12},
                {kError, "t/test_m.py", 0, 0, "pytest", "AssertionError",
                 "t/test_m.py::test_a - assert 0", 14, 14}});
}

TEST(PytestTest, SectionsWithoutSummaryAreReportedAtTheEnd) {
  std::string log =
      "=================================== FAILURES ===================================\n"
      "______________________________ TestX.test_y _______________________________\n"
      "\n"
      "    def test_y(self):\n"
      ">       assert f() == 1\n"
      "E       assert 2 == 1\n"
      "\n"
      "pkg/test_x.py:7: AssertionError\n"
      "----------------------------- Captured stdout call -----------------------------\n"
      "pkg/other.py:1: not a location, captured output\n";
  ExpectEvents(Parse(log, "pytest"), {{kError, "pkg/test_x.py", 7, 0, "pytest", "AssertionError",
                                       "TestX.test_y - assert 2 == 1", 2, 10}});
}

TEST(PytestTest, IgnoresLookalikes) {
  std::string log =
      "FAILED (failures=1)\n"
      "ERROR: could not find a version\n"
      "ERROR some words here\n"
      "FAILED to build the thing\n"
      "=====\n"
      "========== something else ==========\n";
  EXPECT_TRUE(Parse(log, "pytest").empty());
}

// ---------------------------------------------------------------------------------------
// unittest

TEST(UnittestTest, FailAndErrorBlocks) {
  std::vector<Want> want = {
      {kError, "/home/dev/proj/ut/test_mod.py", 11, 0, "unittest", "KeyError",
       "test_error (test_mod.CalcTest.test_error) - KeyError: 'missing'", 3, 8},
      {kError, "/home/dev/proj/ut/test_mod.py", 28, 0, "unittest", "RuntimeError",
       "setUpClass (test_mod.SetupBroken) - RuntimeError: setup failed", 11, 16},
      {kError, "/home/dev/proj/ut/test_mod.py", 8, 0, "unittest", "AssertionError",
       "test_equal (test_mod.CalcTest.test_equal) - AssertionError: 2 != 3", 19, 24},
      {kError, "/home/dev/proj/ut/test_mod.py", 14, 0, "unittest", "AssertionError",
       "test_multiline (test_mod.CalcTest.test_multiline) - AssertionError: 'a\\nb\\n' != "
       "'a\\nc\\n'",
       27, 35},
      {kError, "/home/dev/proj/ut/test_mod.py", 23, 0, "unittest", "AssertionError",
       "test_sub (test_mod.CalcTest.test_sub) (i=2) - AssertionError: 2 not less than 2", 39, 44}};
  ExpectFixture("unittest.log", "unittest", want);
  for (Want& w : want) {
    w.start += 8;
    w.end += 8;
  }
  ExpectFixture("unittest_verbose.log", "unittest", want);
  ExpectFixture("unittest_import.log", "unittest",
                {{kError, "/home/dev/proj/ut/test_imp.py", 1, 0, "unittest", "ModuleNotFoundError",
                  "test_imp (unittest.loader._FailedTest.test_imp) - ModuleNotFoundError: No "
                  "module named 'nonexist'",
                  3, 12}});
}

TEST(UnittestTest, RuleWithoutHeaderIsNotABlock) {
  std::string log =
      "======================================================================\n"
      "FAIL is not followed by a colon here\n"
      "FAIL: test_x (m.T.test_x)\n";  // not right after a rule
  EXPECT_TRUE(Parse(log, "unittest").empty());
}

// ---------------------------------------------------------------------------------------
// GoogleTest

TEST(GtestTest, OneEventPerFailedTestAtItsFirstFailure) {
  ExpectFixture(
      "gtest.log", "gtest",
      {{kError, "math_test.cc", 9, 0, "gtest", "",
        "MathTest.AddFails - Expected equality of these values: Add(1, 1) Which is: 2 3", 8, 18},
       {kError, "", 0, 0, "gtest", "",
        "MathTest.Throws - C++ exception with description \"kaboom\" thrown in the test body.", 20,
        22},
       {kError, "math_test.cc", 15, 0, "gtest", "",
        "StringTest.Compare - Expected equality of these values: a Which is: \"hello\" b Which is: "
        "\"world\"",
        27, 33},
       {kError, "math_test.cc", 17, 0, "gtest", "",
        "StringTest.Near - The difference between 1.0 and 2.0 is 1, which exceeds 0.5, where 1.0 "
        "evaluates to 1, 2.0 "
        "evaluates to 2, and 0.5 evaluates to 0.5.",
        35, 40},
       {kError, "math_test.cc", 18, 0, "gtest", "", "Explicit.Fail - Failed not implemented", 45,
        48},
       {kError, "math_test.cc", 21, 0, "gtest", "",
        "Nums/ParamTest.IsEven/1 - Expected equality of these values: GetParam() % 2 Which is: 1 0",
        62, 67}});
  std::vector<Event> events = Parse(Fixture("gtest.log"), "gtest");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].raw_text,
            "math_test.cc:9: Failure\nExpected equality of these values:\n  Add(1, 1)\n    Which "
            "is: 2\n  3\n"
            "math_test.cc:10: Failure\nValue of: Add(0, 0) > 1\n  Actual: false\nExpected: "
            "true\nzero is not positive\n"
            "[  FAILED  ] MathTest.AddFails (0 ms)");
}

TEST(GtestTest, SummaryListAloneAndTestOutputLeftToOthers) {
  std::string log =
      "[ RUN      ] Net.Connects\n"                          // 1
      "connecting to 127.0.0.1\n"                            // 2: the test's own output
      "[  FAILED  ] Net.Connects (3 ms)\n"                   // 3: no failure block seen
      "[  FAILED  ] 2 tests, listed below:\n"                // 4
      "[  FAILED  ] Net.Connects\n"                          // 5
      "[  FAILED  ] Typed/0.Works, where TypeParam = int\n"  // 6
      "\n"                                                   // 7
      " 2 FAILED TESTS\n";                                   // 8
  ExpectEvents(Parse(log, "gtest"),
               {{kError, "", 0, 0, "gtest", "", "Net.Connects - test failed", 3, 3},
                {kError, "", 0, 0, "gtest", "", "Typed/0.Works - test failed", 6, 6}});
}

// ---------------------------------------------------------------------------------------
// ctest

TEST(CtestTest, ProgressLinesAndFailedList) {
  ExpectFixture("ctest.log", "ctest",
                {{kError, "", 0, 0, "ctest", "Failed", "unit.fail (Failed)", 5, 5},
                 {kError, "", 0, 0, "ctest", "SEGFAULT", "unit.crash (SEGFAULT)", 7, 7},
                 {kError, "", 0, 0, "ctest", "Timeout", "slow (Timeout)", 9, 9},
                 {kError, "", 0, 0, "ctest", "Not Run", "missing (Not Run)", 28, 28},
                 {kError, "", 0, 0, "ctest", "Failed", "regex (Failed)", 30, 30}});
  ExpectFixture("ctest_output_on_failure.log", "ctest",
                {{kError, "", 0, 0, "ctest", "Failed", "unit.fail (Failed)", 5, 5},
                 {kError, "", 0, 0, "ctest", "SEGFAULT", "unit.crash (SEGFAULT)", 9, 9},
                 {kError, "", 0, 0, "ctest", "Timeout", "slow (Timeout)", 12, 12},
                 {kError, "", 0, 0, "ctest", "Not Run", "missing (Not Run)", 32, 32},
                 {kError, "", 0, 0, "ctest", "Failed", "regex (Failed)", 34, 34}});
  ExpectFixture(
      "ctest_statuses.log", "ctest",
      {{kError, "", 0, 0, "ctest", "SEGFAULT", "unit.crash (SEGFAULT)", 3, 3},
       {kError, "", 0, 0, "ctest", "Subprocess aborted", "abrt (Subprocess aborted)", 5, 5},
       {kError, "", 0, 0, "ctest", "Failed", "willfail (Failed)", 9, 9}});
  ExpectFixture("ctest_verbose.log", "ctest",
                {{kError, "", 0, 0, "ctest", "Failed", "unit.fail (Failed)", 17, 17}});
}

TEST(CtestTest, FailedListWithoutProgressLinesAndWideCounts) {
  std::string log =
      "  3/120 Test   #3: net.slow ...................***Exception: Illegal  0.02 sec\n"  // 1
      "120/120 Test #120: last ........................   Passed    0.01 sec\n"           // 2
      "The following tests FAILED:\n"                                                     // 3
      "\t  3 - net.slow (ILLEGAL)\n"                                                      // 4
      "\t 17 - db.migrate (Failed)\n"                                                     // 5
      "Errors while running CTest\n";                                                     // 6
  ExpectEvents(Parse(log, "ctest"),
               {{kError, "", 0, 0, "ctest", "ILLEGAL", "net.slow (ILLEGAL)", 1, 1},
                {kError, "", 0, 0, "ctest", "Failed", "db.migrate (Failed)", 5, 5}});
}

// ---------------------------------------------------------------------------------------
// Catch2

TEST(Catch2Test, OneEventPerFailedTestCase) {
  ExpectFixture("catch2.log", "catch2",
                {{kError, "t.cpp", 11, 0, "catch2", "CHECK",
                  "addition fails - CHECK( Add(1, 1) == 3 ) with expansion: 2 == 3", 6, 20},
                 {kError, "t.cpp", 20, 0, "catch2", "REQUIRE",
                  "vectors / resizing bigger - REQUIRE( v.size() == 11 ) with expansion: 10 == 11 "
                  "with message: size is 10",
                  22, 34},
                 {kError, "t.cpp", 24, 0, "catch2", "",
                  "throws - due to unexpected exception with message: kaboom", 36, 44},
                 {kError, "t.cpp", 26, 0, "catch2", "",
                  "explicit fail - explicitly with message: not implemented yet", 46, 54},
                 {kError, "t.cpp", 28, 0, "catch2", "REQUIRE_THROWS_AS",
                  "require throws - REQUIRE_THROWS_AS( Add(1,1), std::runtime_error ) because no "
                  "exception was thrown where "
                  "one was expected:",
                  56, 64}});
}

TEST(Catch2Test, V3AndMsvcLocationsAndBlocksWithoutHeader) {
  std::string rule(79, '-'), dots(79, '.'), tilde(79, '~'), eq(79, '=');
  std::string log = "\n" + tilde + "\n" +                                // 1-2
                    "unit_tests is a Catch2 v3.5.2 host application.\n"  // 3
                    "Run with -? for options\n"                          // 4
                    "\n"                                                 // 5
                    "Randomness seeded to: 3141592653\n"                 // 6
                    "\n" +                                               // 7
                    rule +
                    "\n" +                                     // 8
                    "Parser handles empty input\n" +           // 9
                    rule + "\n" +                              // 10
                    "C:\\src\\parser_test.cpp(40)\n" +         // 11
                    dots + "\n" +                              // 12
                    "\n"                                       // 13
                    "C:\\src\\parser_test.cpp(42): FAILED:\n"  // 14
                    "  REQUIRE_FALSE( parse(\"\").ok() )\n"    // 15
                    "\n" +                                     // 16
                    eq +
                    "\n" +                                   // 17
                    "test cases: 2 | 1 passed | 1 failed\n"  // 18
                    "assertions: 9 | 8 passed | 1 failed\n"  // 19
                    "\n"                                     // 20
                    "/src/x_test.cpp:7: FAILED:\n"           // 21: no header before it
                    "  CHECK( a == b )\n";                   // 22
  ExpectEvents(Parse(log, "catch2"),
               {{kError, "C:\\src\\parser_test.cpp", 42, 0, "catch2", "REQUIRE_FALSE",
                 "Parser handles empty input - REQUIRE_FALSE( parse(\"\").ok() )", 8, 15},
                {kError, "/src/x_test.cpp", 7, 0, "catch2", "CHECK", "CHECK( a == b )", 21, 22}});
}

TEST(Catch2Test, RulesWithoutBannerAreNotClaimed) {
  std::string rule(79, '-');
  std::string log = rule + "\nSome Title\n" + rule + "\nsrc/x.c:10\n";
  EXPECT_TRUE(Parse(log, "catch2").empty());
  ParserList list;
  AddTestParsers(&list);
  CollectingSink sink;
  for (auto& p : list) {
    if (p->name() != "catch2") continue;
    EXPECT_FALSE(p->Feed(Line{rule, 1}, sink));
  }
}

TEST(Catch2Test, RuleAfterBannerThatIsNoHeaderIsReleased) {
  std::string rule(79, '-');
  std::string log =
      std::string(79, '~') + "\nt is a Catch v2.13.10 host application.\n" + rule + "\n";
  for (int i = 0; i < 12; ++i) log += "line " + std::to_string(i) + "\n";
  ParserList list;
  AddTestParsers(&list);
  ToolParser* catch2 = nullptr;
  for (auto& p : list) {
    if (p->name() == "catch2") catch2 = p.get();
  }
  ASSERT_NE(catch2, nullptr);
  CollectingSink sink;
  int64_t n = 0, claimed = 0;
  for (size_t i = 0; i < log.size();) {
    size_t nl = log.find('\n', i);
    claimed += catch2->Feed(Line{std::string_view(log).substr(i, nl - i), ++n}, sink) ? 1 : 0;
    i = nl + 1;
  }
  EXPECT_LE(claimed, 2 + 1 + 8);
  EXPECT_TRUE(sink.events.empty());
}

// ---------------------------------------------------------------------------------------
// Node.js

TEST(NodeTest, UncaughtExceptions) {
  ExpectFixture("node_throw.log", "node",
                {{kError, "/home/dev/proj/node/throw.js", 2, 17, "node", "Error",
                  "Error: empty input", 1, 13}});
  ExpectFixture("node_type.log", "node",
                {{kError, "/home/dev/proj/node/type.js", 2, 27, "node", "TypeError",
                  "TypeError: Cannot read properties of undefined (reading 'name')", 1, 13}});
  ExpectFixture("node_rejection.log", "node",
                {{kError, "/home/dev/proj/node/rejection.js", 1, 31, "node", "RangeError",
                  "RangeError: bad range", 1, 13}});
  ExpectFixture("node_custom.log", "node",
                {{kError, "/home/dev/proj/node/custom.js", 2, 7, "node", "ConfigError",
                  "ConfigError: missing key \"port\"", 1, 14}});
  ExpectFixture(
      "node_nonerror.log", "node",
      {{kError, "/home/dev/proj/node/nonerror.js", 1, 0, "node", "", "just a string", 2, 6}});
  ExpectFixture("node_syntax.log", "node",
                {{kError, "/home/dev/proj/node/syntax.js", 2, 0, "node", "SyntaxError",
                  "SyntaxError: Unexpected end of input", 1, 12}});
}

TEST(NodeTest, ThrownInsideNodeIsLocatedAtTheFirstUserFrame) {
  ExpectFixture(
      "node_esm.log", "node",
      {{kError, "/home/dev/proj/node/esm.mjs", 2, 4, "node", "Error",
        "Error: ENOENT: no such file or directory, open '/nonexistent/file.txt'", 1, 16}});
  ExpectFixture("node_req.log", "node",
                {{kError, "/home/dev/proj/node/req.js", 1, 1, "node", "Error",
                  "Error: Cannot find module './does-not-exist'", 1, 20}});
  ExpectFixture("node_assert.log", "node",
                {{kError, "/home/dev/proj/node/assert.js", 2, 8, "node", "ERR_ASSERTION",
                  "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:", 1, 21}});
}

TEST(NodeTest, PrintedStackWithoutHeader) {
  std::string log =
      "server starting\n"                                                                    // 1
      "TypeError: Cannot read properties of null (reading 'id')\n"                           // 2
      "    at handler (/app/node_modules/express/lib/router.js:10:5)\n"                      // 3
      "    at getUser (/app/src/users.ts:41:18)\n"                                           // 4
      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n"  // 5
      "request done\n"                                                                       // 6
      "Error: Process completed with exit code 1.\n"  // 7: no frames follow
      "done\n";                                       // 8
  ExpectEvents(Parse(log, "node"),
               {{kError, "/app/src/users.ts", 41, 18, "node", "TypeError",
                 "TypeError: Cannot read properties of null (reading 'id')", 2, 5}});
}

TEST(NodeTest, ScriptPathAloneIsNotAnError) {
  std::string log =
      "Changed files:\n"
      "src/index.js:12\n"
      "src/util.js:3\n"
      "Compiled successfully in 2.1s\n"
      "Watching for changes\n";
  EXPECT_TRUE(Parse(log, "node").empty());
}

// ---------------------------------------------------------------------------------------
// Parser-independent checks over every fixture

TEST(TestParsersTest, ChunkBoundariesDoNotChangeEvents) {
  for (const char* name :
       {"python_chained.log", "pytest_failures.log", "unittest.log", "gtest.log", "ctest.log",
        "catch2.log", "node_assert.log", "asan_uaf_clang.log", "lsan_gcc.log", "tsan.log",
        "ubsan_stacktrace.log", "valgrind.log", "mixed_build_ctest.log"}) {
    SCOPED_TRACE(name);
    std::string log = Fixture(name);
    std::vector<Event> whole = Parse(log, "auto");
    for (size_t chunk : {1, 7, 4096}) {
      std::vector<Event> split = Parse(log, "auto", chunk);
      ASSERT_EQ(split.size(), whole.size()) << "chunk " << chunk;
      for (size_t i = 0; i < whole.size(); ++i) {
        EXPECT_EQ(Describe(split[i]), Describe(whole[i]));
        EXPECT_EQ(split[i].raw_text, whole[i].raw_text);
      }
    }
  }
}

// Fixture lines shuffled, cut and interleaved: no crash, no event without raw text, and
// every event's lines inside the log.
TEST(TestParsersTest, ShuffledFixtureLinesAreHandled) {
  std::vector<std::string> lines;
  for (const char* name :
       {"python_chained.log", "python_group.log", "pytest_failures.log", "pytest_tb_native.log",
        "unittest.log", "gtest.log", "ctest_output_on_failure.log", "catch2.log", "node_assert.log",
        "node_custom.log", "asan_stack_ubsan.log", "lsan_clang.log", "tsan.log",
        "ubsan_stacktrace.log", "valgrind.log"}) {
    std::string log = Fixture(name);
    for (size_t i = 0; i < log.size();) {
      size_t nl = log.find('\n', i);
      lines.push_back(log.substr(i, nl - i));
      i = nl + 1;
    }
  }
  uint64_t state = 42;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>(state >> 33);
  };
  for (int round = 0; round < 20; ++round) {
    std::string log;
    int64_t count = 0;
    for (size_t k = 0; k < lines.size(); ++k) {
      const std::string& l = lines[next() % lines.size()];
      log += (next() % 4 == 0) ? l.substr(0, next() % (l.size() + 1)) : l;
      log += '\n';
      ++count;
    }
    for (const Event& e : Parse(log, "auto")) {
      EXPECT_FALSE(e.raw_text.empty()) << Describe(e);
      EXPECT_GE(e.log_line_start, 1) << Describe(e);
      EXPECT_LE(e.log_line_start, e.log_line_end) << Describe(e);
      EXPECT_LE(e.log_line_end, count) << Describe(e);
      EXPECT_EQ(e.message.find('\n'), std::string::npos) << Describe(e);
    }
  }
}

TEST(TestParsersTest, CrlfAndAnsiColorsDoNotChangeEvents) {
  std::string log = Fixture("gtest.log");
  std::string crlf;
  for (char c : log) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  std::string colored;
  for (size_t i = 0; i < log.size();) {
    size_t nl = log.find('\n', i);
    colored += "\033[0;32m" + log.substr(i, nl - i) + "\033[m\n";
    i = nl + 1;
  }
  std::vector<Event> plain = Parse(log, "gtest");
  for (const std::string& variant : {crlf, colored}) {
    std::vector<Event> got = Parse(variant, "gtest");
    ASSERT_EQ(got.size(), plain.size());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(Describe(got[i]), Describe(plain[i]));
  }
}

TEST(TestParsersTest, RegisteredInPriorityOrderWithUniqueNames) {
  ParserList list;
  AddTestParsers(&list);
  std::vector<std::string> names;
  for (const auto& p : list) names.emplace_back(p->name());
  EXPECT_EQ(names,
            (std::vector<std::string>{"asan", "lsan", "tsan", "ubsan", "valgrind", "pytest",
                                      "unittest", "python", "gtest", "ctest", "catch2", "node"}));
  for (const std::string& n : names) {
    ASSERT_NE(MakeParser(n), nullptr) << n;
    EXPECT_EQ(MakeParser(n)->name(), n);
  }
}

// A gcc/make build log: none of this group's parsers may claim any of its lines (they run
// first on every line), and they must not produce events from it.
TEST(TestParsersTest, DoNotClaimBuildLogLines) {
  std::string log =
      "[ 12%] Building CXX object src/CMakeFiles/app.dir/module1.cc.o\n"
      "/usr/bin/c++ -DFMT_SHARED -I/home/dev/project/src -O2 -g -std=c++20 -c "
      "/home/dev/project/src/module1.cc\n"
      "/home/dev/project/src/module1.cc: In function 'int compute1(int)':\n"
      "/home/dev/project/src/module1.cc:12:9: warning: unused variable 'tmp' [-Wunused-variable]\n"
      "   42 |     int tmp = value * 2;\n"
      "      |         ^~~\n"
      "/home/dev/project/src/module1.cc:5:12: error: 'undefined_thing' was not declared in this "
      "scope\n"
      "/home/dev/project/src/module1.cc:3:1: note: 'undefined_thing' declared here\n"
      "make[2]: *** [src/CMakeFiles/app.dir/build.make:76: module.o] Error 1\n"
      "In file included from /usr/include/stdio.h:27,\n"
      "                 from main.c:1:\n"
      "main.c:3: warning: \"X\" redefined\n"
      "ld: cannot find -lfoo: No such file or directory\n"
      "collect2: error: ld returned 1 exit status\n"
      "Error: Process completed with exit code 2.\n"
      "TypeError: this line has no stack frames after it\n"
      "===============================================================================\n"
      "-------------------------------------------------------------------------------\n"
      "Traceback is a word\n"
      "  File is a word too\n"
      "FAILED: src/CMakeFiles/app.dir/module1.cc.o\n"
      "ERROR: failed to build\n"
      "ninja: build stopped: subcommand failed.\n"
      "  normal continuation line\n"
      "foo.js:12\n";
  ParserList list;
  AddTestParsers(&list);
  CollectingSink sink;
  int64_t n = 0;
  for (size_t i = 0; i < log.size();) {
    size_t nl = log.find('\n', i);
    Line line{std::string_view(log).substr(i, nl - i), ++n};
    i = nl + 1;
    for (auto& p : list) {
      bool claimed = p->Feed(line, sink);
      // The last line, "foo.js:12", is a plausible Node.js error header: node may claim it
      // to look at what follows (nothing follows: no event).
      if (line.text == "foo.js:12") continue;
      EXPECT_FALSE(claimed) << p->name() << " claimed: " << line.text;
      if (claimed) p->Flush(sink);
    }
  }
  for (auto& p : list) p->Flush(sink);
  EXPECT_TRUE(sink.events.empty()) << Describe(sink.events[0]);
}

TEST(TestParsersTest, MixedBuildAndCtestLog) {
  std::vector<Event> events = OnlyOurs(Parse(Fixture("mixed_build_ctest.log"), "auto"));
  ExpectEvents(
      events,
      {{kError, "", 0, 0, "ctest", "Failed", "math_test (Failed)", 27, 27},
       {kError, "/home/dev/proj/mix/math_test.cc", 9, 0, "gtest", "",
        "MathTest.AddFails - Expected equality of these values: Add(1, 1) Which is: 2 3", 36, 46},
       {kError, "", 0, 0, "gtest", "",
        "MathTest.Throws - C++ exception with description \"kaboom\" thrown in the test body.", 48,
        50},
       {kError, "/home/dev/proj/mix/math_test.cc", 15, 0, "gtest", "",
        "StringTest.Compare - Expected equality of these values: a Which is: \"hello\" b Which is: "
        "\"world\"",
        55, 61},
       {kError, "", 0, 0, "ctest", "Failed", "py_check (Failed)", 75, 75},
       {kError, "/root/.pyenv/versions/3.11.7/lib/python3.11/json/decoder.py", 353, 0, "python",
        "json.decoder.JSONDecodeError",
        "json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 "
        "column 2 "
        "(char 1)",
        76, 91}});
}

TEST(TestParsersTest, SanitizerReportsWinOverOtherParsers) {
  // UBSan's gcc-shaped line, then ASan: all claimed by this group under "auto".
  std::vector<Event> events = OnlyOurs(Parse(Fixture("asan_stack_ubsan.log"), "auto"));
  ExpectEvents(
      events,
      {{kError, "stack.c", 3, 11, "ubsan", "bounds", "index 5 out of bounds for type 'int [4]'", 1,
        1},
       {kError, "stack.c", 3, 11, "ubsan", "object-size",
        "load of address 0x7ffcbc3a89e4 with insufficient space for an object of type 'int'", 2, 5},
       {kError, "/home/dev/proj/san/stack.c", 3, 0, "asan", "stack-buffer-overflow",
        "stack-buffer-overflow on address 0x7ffcbc3a89e4", 7, 53}});
  std::vector<Event> all = Parse(Fixture("asan_stack_ubsan.log"), "auto");
  EXPECT_EQ(all.size(), events.size()) << "another parser reported a line of a sanitizer report";
}

}  // namespace
}  // namespace lq::logs

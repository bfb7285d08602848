#include "logs/junit_xml.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "logs/parser_test_util.h"

namespace lq::logs {
namespace {

using namespace parser_testing;  // NOLINT

std::string Fixture(const std::string& name) { return ReadFixture("tests", name); }

struct Want {
  std::string file;
  int64_t line;
  std::string code;
  std::string message;
  int64_t start;
  int64_t end;
};

std::string Describe(const std::string& file, int64_t line, const std::string& code,
                     const std::string& message, int64_t start, int64_t end) {
  return file + ":" + std::to_string(line) + " [" + code + "] " + message + " (lines " +
         std::to_string(start) + "-" + std::to_string(end) + ")";
}

std::vector<Event> ParseOk(std::string_view xml) {
  CollectingSink sink;
  Status s = ParseJunitXml(xml, sink);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return std::move(sink.events);
}

void ExpectEvents(const std::vector<Event>& got, const std::vector<Want>& want) {
  std::string all;
  for (const Event& e : got) {
    all += "\n  " + Describe(e.file_path, e.line_number, e.error_code, e.message, e.log_line_start,
                             e.log_line_end);
  }
  ASSERT_EQ(got.size(), want.size()) << all;
  for (size_t i = 0; i < got.size(); ++i) {
    const Event& e = got[i];
    const Want& w = want[i];
    EXPECT_EQ(Describe(e.file_path, e.line_number, e.error_code, e.message, e.log_line_start,
                       e.log_line_end),
              Describe(w.file, w.line, w.code, w.message, w.start, w.end));
    EXPECT_EQ(e.severity, Severity::kError);
    EXPECT_EQ(e.tool_name, "junit");
    EXPECT_EQ(e.category, "test");
    EXPECT_EQ(e.fingerprint, ErrorFingerprint(e));
    EXPECT_FALSE(e.raw_text.empty());
  }
}

TEST(JunitXmlTest, GoogleTestReport) {
  ExpectEvents(
      ParseOk(Fixture("junit_gtest.xml")),
      {{"math_test.cc", 9, "",
        "MathTest.AddFails - Expected equality of these values: Add(1, 1) Which is: 2 3", 5, 16},
       {"math_test.cc", 12, "",
        "MathTest.Throws - C++ exception with description \"kaboom\" thrown in the test body.", 17,
        20},
       {"math_test.cc", 15, "",
        "StringTest.Compare - Expected equality of these values: a Which is: \"hello\" b Which is: "
        "\"world\"",
        23, 30},
       {"math_test.cc", 17, "",
        "StringTest.Near - The difference between 1.0 and 2.0 is 1, which exceeds 0.5, where 1.0 "
        "evaluates to 1, "
        "2.0 evaluates to 2, and 0.5 evaluates to 0.5.",
        31, 37},
       {"math_test.cc", 18, "", "Explicit.Fail - Failed not implemented", 40, 44},
       {"math_test.cc", 21, "",
        "Nums/ParamTest.IsEven/1 - Expected equality of these values: GetParam() % 2 Which is: 1 0",
        54, 60}});
  CollectingSink sink;
  ASSERT_TRUE(ParseJunitXml(Fixture("junit_gtest.xml"), sink).ok());
  // CDATA text, both failures of the test.
  EXPECT_EQ(
      sink.events[0].raw_text,
      "math_test.cc:9\nExpected equality of these values:\n  Add(1, 1)\n    Which is: 2\n  3\n"
      "math_test.cc:10\nValue of: Add(0, 0) > 1\n  Actual: false\nExpected: true\nzero is not "
      "positive");
}

TEST(JunitXmlTest, PytestReports) {
  ExpectEvents(
      ParseOk(Fixture("junit_pytest.xml")),
      {{"tests/test_calc.py", 10, "",
        "tests.test_calc.test_add_wrong - assert 2 == 3 + where 2 = add(1, 1)", 1, 6},
       {"tests/test_calc.py", 14, "", "tests.test_calc.test_param[2-3] - assert 2 == 3", 6, 13},
       {"tests/test_calc.py", 19, "", "tests.test_calc.TestThing.test_method - KeyError: 'b'", 13,
        20},
       {"tests/test_calc.py", 22, "",
        "tests.test_calc.TestThing.test_raises - RuntimeError: boom second line", 20, 27},
       {"tests/test_calc.py", 26, "",
        "tests.test_calc.test_uses_fixture - failed on setup with \"ValueError: fixture failed\"",
        27, 32},
       {"tests/test_calc.py", 32, "",
        "tests.test_calc.test_helper - AssertionError: x too small assert 3 > 10", 32, 45}});
  ExpectEvents(ParseOk(Fixture("junit_pytest_collect.xml")),
               {{"tests/test_broken_import.py", 1, "",
                 "tests.test_broken_import - collection failure", 1, 8}});
  // Entities decoded in the text.
  CollectingSink sink;
  ASSERT_TRUE(ParseJunitXml(Fixture("junit_pytest.xml"), sink).ok());
  EXPECT_NE(sink.events[2].raw_text.find("self = <test_calc.TestThing object at"),
            std::string::npos);
  EXPECT_NE(sink.events[2].raw_text.find(">       assert d[\"b\"] == 1"), std::string::npos);
}

TEST(JunitXmlTest, CtestAndCatch2Reports) {
  ExpectEvents(
      ParseOk(Fixture("junit_ctest.xml")),
      {{"", 0, "", "unit.fail - failed", 14, 18},
       {"", 0, "", "unit.crash - failed", 19, 22},
       {"", 0, "", "slow - failed", 23, 26},
       {"", 0, "", "regex - Required regular expression not found. Regex=[never ]", 31, 35},
       {"", 0, "", "abrt - failed", 36, 39},
       {"", 0, "", "willfail - failed", 43, 46}});
  ExpectEvents(
      ParseOk(Fixture("junit_catch2.xml")),
      {{"t.cpp", 11, "CHECK", "t.global.addition fails - Add(1, 1) == 3", 5, 20},
       {"t.cpp", 20, "REQUIRE", "t.global.vectors/resizing bigger - v.size() == 11", 21, 30},
       {"t.cpp", 24, "TEST_CASE", "t.global.throws - kaboom", 31, 37},
       {"t.cpp", 26, "FAIL", "t.global.explicit fail - not implemented yet", 38, 44},
       {"t.cpp", 28, "REQUIRE_THROWS_AS", "t.global.require throws - Add(1,1), std::runtime_error",
        45, 51}});
}

TEST(JunitXmlTest, SurefireStyleJavaReport) {
  std::string xml =
      "<?xml version='1.0' encoding='UTF-8'?>\n"                                              // 1
      "<!DOCTYPE testsuite>\n"                                                                // 2
      "<!-- generated <testcase name=\"not-a-test\"> -->\n"                                   // 3
      "<testsuite name='com.acme.CartTest' tests='3' failures='1' errors='1' skipped='1'>\n"  // 4
      "  <testcase name='addsItem' classname='com.acme.CartTest' time='0.01'>\n"              // 5
      "    <failure message='expected:&lt;2&gt; but was:&lt;3&gt;' type='java.lang.AssertionError'>"
      "java.lang.AssertionError: expected:&lt;2&gt; but was:&lt;3&gt;\n"  // 6
      "\tat org.junit.Assert.fail(Assert.java:89)\n"                      // 7
      "\tat com.acme.CartTest.addsItem(CartTest.java:42)\n"               // 8
      "</failure>\n"                                                      // 9
      "  </testcase>\n"                                                   // 10
      "  <testcase name='removes' classname='com.acme.CartTest'><error "
      "type=\"java.lang.NullPointerException\"/>"
      "</testcase>\n"                                                                   // 11
      "  <testcase name='later' classname='com.acme.CartTest'><skipped/></testcase>\n"  // 12
      "  <testcase name='ok' classname='com.acme.CartTest'/>\n"                         // 13
      "</testsuite>\n";
  ExpectEvents(ParseOk(xml), {{"CartTest.java", 42, "java.lang.AssertionError",
                               "com.acme.CartTest.addsItem - expected:<2> but was:<3>", 5, 10},
                              {"", 0, "java.lang.NullPointerException",
                               "com.acme.CartTest.removes - failed", 11, 11}});
}

TEST(JunitXmlTest, EntitiesAttributesAndFileAttributes) {
  std::string xml =
      "\xEF\xBB\xBF<testsuites><testsuite name=\"s\" file=\"spec/suite.js\">"
      "<testcase classname=\"s\" name=\"caf&#233; &#x263A; &amp; &quot;q&quot; &apos;a&apos; "
      "&bogus; &#xZZ;\" "
      "file=\"spec/a.js\" line=\"7\">"
      "<failure message=\"1 &lt; 2\"/>"
      "</testcase>"
      "<testcase name=\"in suite file\"><error>boom</error></testcase>"
      "</testsuite></testsuites>";
  ExpectEvents(
      ParseOk(xml),
      {{"spec/a.js", 7, "", "s.caf\xC3\xA9 \xE2\x98\xBA & \"q\" 'a' &bogus; &#xZZ; - 1 < 2", 1, 1},
       {"spec/suite.js", 0, "", "in suite file - boom", 1, 1}});
}

TEST(JunitXmlTest, RejectsWhatIsNotJunit) {
  CollectingSink sink;
  EXPECT_EQ(ParseJunitXml("", sink).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(ParseJunitXml("just a log line\n", sink).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(ParseJunitXml("<html><body>hi</body></html>", sink).code(),
            Status::Code::kInvalidArgument);
  EXPECT_TRUE(sink.events.empty());
  EXPECT_TRUE(ParseJunitXml("<testsuites/>", sink).ok());
  EXPECT_TRUE(sink.events.empty());
}

TEST(JunitXmlTest, TruncatedReportKeepsEarlierEvents) {
  std::string xml =
      "<testsuite>\n"
      "<testcase name=\"a\"><failure message=\"m1\">t1</failure></testcase>\n"
      "<testcase name=\"b\"><failure message=\"m2\">t2</failure>\n"
      "<testcase name=\"c\"><failure message=\"cut";
  CollectingSink sink;
  Status s = ParseJunitXml(xml, sink);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("line 4"), std::string::npos) << s.message();
  ExpectEvents(sink.events, {{"", 0, "", "a - m1", 2, 2}, {"", 0, "", "b - m2", 3, 3}});
  for (const char* cut :
       {"<testsuite><!-- never closed", "<testsuite><testcase name=\"x\"><failure><![CDATA[abc",
        "<testsuite><testcase name=\"x\"", "<?xml version=\"1.0\""}) {
    CollectingSink s2;
    EXPECT_EQ(ParseJunitXml(cut, s2).code(), Status::Code::kInvalidArgument) << cut;
  }
}

TEST(JunitXmlTest, SurvivesHostileInput) {
  std::string garbage;
  for (int i = 0; i < 20000; ++i) garbage.push_back(static_cast<char>((i * 7919) & 0xff));
  for (const std::string& input :
       {garbage, std::string("<testsuite>") + garbage, std::string(100000, '<'),
        std::string("<<<>>>&&&;;;"),
        std::string(
            "<testcase name='a'><failure>&#99999999999999999999;&#;&#x;</failure></testcase>")}) {
    CollectingSink sink;
    (void)ParseJunitXml(input, sink);
  }
}

}  // namespace
}  // namespace lq::logs

// The spool's event lines (EventToJsonLine) are written by hand for speed: they must
// still be JSON that parses back to the same fields, whatever bytes a log holds.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "logs/run_spool.h"

namespace lq::logs {
namespace {

using nlohmann::json;

Event Sample() {
  Event e;
  e.severity = Severity::kWarning;
  e.file_path = "src/a b/\"q\".c";
  e.line_number = 12;
  e.column_number = 3;
  e.message = "unused 'x' \\ tab\there";
  e.raw_text = "line one\nline two\r\x01\x1f end \xe2\x80\x98ok\xe2\x80\x99 \xf0\x9f\x98\x80";
  e.tool_name = "gcc";
  e.category = "compile";
  e.error_code = "-Wunused";
  e.fingerprint = "0123456789abcdef";
  e.log_line_start = 4;
  e.log_line_end = 6;
  return e;
}

TEST(EventJsonLineTest, ParsesBackToTheSameFields) {
  Event e = Sample();
  std::string line = EventToJsonLine(e, 42);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // one line, whatever the text holds
  json j = json::parse(line);
  EXPECT_EQ(j["event_id"], 42);
  EXPECT_EQ(j["severity"], "warning");
  EXPECT_EQ(j["file_path"], e.file_path);
  EXPECT_EQ(j["line_number"], 12);
  EXPECT_EQ(j["column_number"], 3);
  EXPECT_EQ(j["message"], e.message);
  EXPECT_EQ(j["raw_text"], e.raw_text);
  EXPECT_EQ(j["tool_name"], "gcc");
  EXPECT_EQ(j["category"], "compile");
  EXPECT_EQ(j["error_code"], "-Wunused");
  EXPECT_EQ(j["error_fingerprint"], e.fingerprint);
  EXPECT_EQ(j["log_line_start"], 4);
  EXPECT_EQ(j["log_line_end"], 6);
}

TEST(EventJsonLineTest, InvalidUtf8BecomesReplacementCharacters) {
  Event e = Sample();
  // A lone continuation byte, a truncated 3-byte sequence, an overlong form, a
  // surrogate, and a sequence cut by the end of the string.
  e.message = "a\x80" "b\xe2\x82" "c\xc0\xaf" "d\xed\xa0\x80" "e\xf0\x9f";
  json j = json::parse(EventToJsonLine(e, 1));  // throws on invalid UTF-8
  std::string m = j["message"];
  EXPECT_EQ(m.substr(0, 1), "a");
  EXPECT_NE(m.find("\xef\xbf\xbd"), std::string::npos);
  for (char c : {'b', 'c', 'd', 'e'}) EXPECT_NE(m.find(c), std::string::npos) << c;
  EXPECT_EQ(m.find('\x80'), std::string::npos);
}

}  // namespace
}  // namespace lq::logs

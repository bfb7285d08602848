// Shared by the tests of the test-framework/runtime parser group (test_parsers_test.cc,
// sanitizer_parser_test.cc): parse with one --format, and compare events with a table.
#pragma once

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "logs/parser.h"
#include "logs/parser_test_util.h"

namespace lq::logs::parser_testing {

inline std::vector<Event> Parse(std::string_view log, std::string_view format, size_t chunk = 0) {
  LogParser parser(format);
  CollectingSink sink;
  if (chunk == 0) {
    parser.Feed(log, sink);
  } else {
    for (size_t i = 0; i < log.size(); i += chunk) parser.Feed(log.substr(i, chunk), sink);
  }
  parser.Finish(sink);
  return std::move(sink.events);
}

inline std::string Fixture(const std::string& name) { return ReadFixture("tests", name); }

inline const std::set<std::string>& OurTools() {
  static const std::set<std::string> kTools = {"asan",     "lsan",   "tsan",     "ubsan",
                                               "valgrind", "pytest", "unittest", "python",
                                               "gtest",    "ctest",  "catch2",   "node"};
  return kTools;
}

inline std::vector<Event> OnlyOurs(std::vector<Event> events) {
  std::vector<Event> out;
  for (Event& e : events) {
    if (OurTools().count(e.tool_name) != 0) out.push_back(std::move(e));
  }
  return out;
}

struct Want {
  Severity severity;
  std::string file;
  int64_t line;
  int64_t column;
  std::string tool;
  std::string code;
  std::string message;
  int64_t start;
  int64_t end;
};

inline std::string Describe(const Event& e) {
  return std::string(SeverityName(e.severity)) + " " + e.file_path + ":" +
         std::to_string(e.line_number) + ":" + std::to_string(e.column_number) + " [" +
         e.tool_name + "/" + e.error_code + "] " + e.message + " (lines " +
         std::to_string(e.log_line_start) + "-" + std::to_string(e.log_line_end) + ")";
}

inline std::string Describe(const Want& w) {
  Event e;
  e.severity = w.severity;
  e.file_path = w.file;
  e.line_number = w.line;
  e.column_number = w.column;
  e.tool_name = w.tool;
  e.error_code = w.code;
  e.message = w.message;
  e.log_line_start = w.start;
  e.log_line_end = w.end;
  return Describe(e);
}

inline void ExpectEvents(const std::vector<Event>& got, const std::vector<Want>& want) {
  std::string all;
  for (const Event& e : got) all += "\n  " + Describe(e);
  ASSERT_EQ(got.size(), want.size()) << "events:" << all;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(Describe(got[i]), Describe(want[i])) << "event " << i;
    EXPECT_FALSE(got[i].raw_text.empty()) << "event " << i;
    EXPECT_EQ(got[i].category, (got[i].tool_name == "pytest" || got[i].tool_name == "unittest" ||
                                got[i].tool_name == "gtest" || got[i].tool_name == "ctest" ||
                                got[i].tool_name == "catch2")
                                   ? "test"
                                   : "runtime")
        << "event " << i;
    EXPECT_EQ(got[i].fingerprint, ErrorFingerprint(got[i])) << "event " << i;
  }
}

inline void ExpectFixture(const std::string& name, const std::string& format,
                   const std::vector<Want>& want) {
  SCOPED_TRACE(name);
  std::string log = Fixture(name);
  ExpectEvents(Parse(log, format), want);
}

inline constexpr Severity kError = Severity::kError;
inline constexpr Severity kWarning = Severity::kWarning;

}  // namespace lq::logs::parser_testing

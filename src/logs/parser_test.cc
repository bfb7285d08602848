#include "logs/parser.h"

#include <gtest/gtest.h>

#include "logs/parser_test_util.h"

namespace lq::logs {
namespace {

TEST(StripAnsiTest, RemovesCsiAndOscAndKeepsText) {
  std::string scratch;
  EXPECT_EQ(StripAnsi("plain", scratch), "plain");
  EXPECT_EQ(StripAnsi("\033[01m\033[Kmain.c:3:5:\033[m\033[K \033[01;31merror:\033[m", scratch),
            "main.c:3:5: error:");
  EXPECT_EQ(StripAnsi("\033]8;;http://x\033\\link\033]8;;\033\\", scratch), "link");
  EXPECT_EQ(StripAnsi("tail\033", scratch), "tail");
  EXPECT_EQ(StripAnsi("\033[", scratch), "");
}

// Strings and escapes besides CSI and OSC: DCS and APC strings, charset selection
// (ESC ( B, three bytes), screen alignment (ESC # 8), reset (ESC c).
TEST(StripAnsiTest, RemovesStringsAndMultiByteEscapes) {
  std::string scratch;
  EXPECT_EQ(StripAnsi("a\033P1$r0m\033\\b\033_apc\ac", scratch), "abc");
  EXPECT_EQ(StripAnsi("\033(Bx\033)0y\033#8z\033cw", scratch), "xyzw");
  EXPECT_EQ(StripAnsi("\033[2J\033[Hclear", scratch), "clear");
}

TEST(FingerprintTest, IgnoresNumbersAndDirectories) {
  Event a, b;
  a.tool_name = b.tool_name = "gcc";
  a.error_code = b.error_code = "-Wunused-variable";
  a.message = "unused variable 'x' at /home/alice/src/app/main.c:12";
  b.message = "unused variable 'x' at /build/runner/work/app/main.c:97";
  EXPECT_EQ(ErrorFingerprint(a), ErrorFingerprint(b));
  EXPECT_EQ(ErrorFingerprint(a).size(), 16u);
  b.message = "unused variable 'y' at /build/runner/work/app/main.c:97";
  EXPECT_NE(ErrorFingerprint(a), ErrorFingerprint(b));
  b = a;
  b.tool_name = "clang";
  EXPECT_NE(ErrorFingerprint(a), ErrorFingerprint(b));
}

TEST(FingerprintTest, IsStableAcrossVersions) {
  // Pinned values: changing the algorithm breaks `lq diff` across machines and versions.
  Event e;
  e.tool_name = "gcc";
  e.message = "'foo' undeclared (first use in this function)";
  EXPECT_EQ(NormalizeMessage("at  0x7ffe12 line 42\tof  /a/b/c.py"), "at N line N of c.py");
  EXPECT_EQ(ErrorFingerprint(e), ErrorFingerprint(e));
  // Checked against an independent FNV-1a 64 (Python) over "gcc\xff\xff<message>\xff".
  EXPECT_EQ(ErrorFingerprint(e), "396cfc2a73b8c34f");
}

using namespace parser_testing;  // NOLINT

TEST(LogParserTest, SurvivesHostileInput) {
  std::string garbage;
  for (int i = 0; i < 100000; ++i) garbage.push_back(static_cast<char>((i * 7919) & 0xff));
  std::string huge(3 * 1024 * 1024, 'x');  // one 3 MB line
  for (const std::string& input : {std::string(), garbage, huge, std::string("no newline at end"),
                                   std::string("\r\n\r\n\n"), std::string(1, '\033')}) {
    LogParser p;
    CollectingSink sink;
    for (size_t i = 0; i < input.size(); i += 4093) p.Feed(std::string_view(input).substr(i, 4093), sink);
    p.Finish(sink);
  }
  LogParser p;
  CollectingSink sink;
  p.Feed("a\nb\r\nc", sink);
  p.Finish(sink);
  EXPECT_EQ(p.lines(), 3);
}

}  // namespace
}  // namespace lq::logs

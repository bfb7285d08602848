#include "core/numbers.h"

#include <gtest/gtest.h>

namespace lq {
namespace {

TEST(ParseDurationTest, UnitsGiveSeconds) {
  EXPECT_EQ(*ParseDuration("90s"), 90);
  EXPECT_EQ(*ParseDuration("15m"), 900);
  EXPECT_EQ(*ParseDuration("12h"), 12 * 3600);
  EXPECT_EQ(*ParseDuration("30d"), 30 * 86400);
  EXPECT_EQ(*ParseDuration("2w"), 14 * 86400);
  EXPECT_EQ(*ParseDuration("036500d"), kMaxDurationSeconds);
}

TEST(ParseDurationTest, RefusesOverflowAndAgesBeyondALifetime) {
  // Each once wrapped around (or went negative) and made lq prune delete every run.
  for (const char* text : {"99999999999999999999d", "9223372036854775807d", "9223372036854775807s",
                           "1000000d", "36501d", "5215w", "876001h"}) {
    auto r = ParseDuration(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("100 years"), std::string::npos) << r.status().message();
  }
}

TEST(ParseDurationTest, RefusesMalformedZeroAndNegative) {
  for (const char* text : {"", "d", "30", "30x", "30 d", " 30d", "-5d", "+5d", "0d", "000h", "1.5d",
                           "30dd", "0x10d"}) {
    auto r = ParseDuration(text);
    EXPECT_FALSE(r.ok()) << text;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << text;
    }
  }
}

TEST(ParseNonNegativeIntTest, DigitsOnlyWithinInt64) {
  EXPECT_EQ(ParseNonNegativeInt("0"), 0);
  EXPECT_EQ(ParseNonNegativeInt("012"), 12);
  EXPECT_EQ(ParseNonNegativeInt("9223372036854775807"), INT64_MAX);
  EXPECT_FALSE(ParseNonNegativeInt("9223372036854775808"));
  EXPECT_FALSE(ParseNonNegativeInt("-1"));
  EXPECT_FALSE(ParseNonNegativeInt("+1"));
  EXPECT_FALSE(ParseNonNegativeInt("1a"));
  EXPECT_FALSE(ParseNonNegativeInt(""));
  EXPECT_FALSE(ParseNonNegativeInt(" 1"));
}

}  // namespace
}  // namespace lq

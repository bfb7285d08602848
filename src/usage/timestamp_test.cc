// Timestamps, days, time zones and report periods.
#include "usage/timestamp.h"

#include <gtest/gtest.h>

#include "usage/aggregate.h"
#include "usage/timezone.h"
#include "usage/usage_test_util.h"

namespace lq::usage {
namespace {

TEST(UsageTimestamp, AcceptsOnlyCcusageForms) {
  EXPECT_EQ(ParseTimestampMs("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseTimestampMs("1970-01-01T00:00:01.250Z"), 1250);
  EXPECT_EQ(ParseTimestampMs("1970-01-01T01:00:00.000+01:00"), 0);
  EXPECT_EQ(ParseTimestampMs("1969-12-31T23:00:00-01:00"), 0);
  EXPECT_EQ(ParseTimestampMs("2024-02-29T12:00:00Z"), 1709208000000);
  for (const char* bad : {"2025-02-29T12:00:00Z", "2025-01-01T12:00:00.123456Z", "2025-01-01T12:00:00.1Z",
                          "2025-01-01 12:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T12:60:00Z",
                          "2025-01-01T12:00:00+0100", "2025-01-01T12:00:00+24:00", "2025-01-01T12:00:00z",
                          "2025-01-01T12:00:00", "", "2025-13-01T00:00:00Z"}) {
    EXPECT_FALSE(ParseTimestampMs(bad).has_value()) << bad;
  }
}

TEST(UsageTimestamp, CivilDaysRoundTrip) {
  for (int64_t d : {-719468LL, -1LL, 0LL, 1LL, 11016LL, 20000LL, 2932896LL}) {
    int64_t y;
    unsigned m, day;
    CivilFromDays(d, &y, &m, &day);
    EXPECT_EQ(DaysFromCivil(y, m, day), d);
  }
  EXPECT_EQ(FormatDay(0), "1970-01-01");
  EXPECT_EQ(ParseDay("2025-03-10"), ParseDay("20250310"));
  EXPECT_FALSE(ParseDay("2025-02-30").has_value());
  EXPECT_FALSE(ParseDay("March").has_value());
}

TEST(UsageTimeZone, LocalDaysAcrossOffsetsAndDst) {
  testutil::OverlayEnv env({});
  auto la = TimeZone::Resolve(&env, "America/Los_Angeles");
  ASSERT_TRUE(la.ok());
  auto kolkata = TimeZone::Resolve(&env, "Asia/Kolkata");
  ASSERT_TRUE(kolkata.ok());
  EXPECT_FALSE(TimeZone::Resolve(&env, "Mars/Olympus").ok());
  EXPECT_FALSE(TimeZone::Resolve(&env, "../../etc/passwd").ok());
  int64_t t = *ParseTimestampMs("2025-03-09T07:59:59.000Z");  // 23:59:59 PST, the night before DST
  {
    DayMapper m(*la);
    EXPECT_EQ(FormatDay(m.Day(t)), "2025-03-08");
    EXPECT_EQ(FormatDay(m.Day(t + 1000)), "2025-03-09");
    EXPECT_EQ(m.OffsetSeconds(*ParseTimestampMs("2025-03-09T12:00:00.000Z")), -7 * 3600);
  }
  {
    DayMapper m(*kolkata);  // +05:30: days start at 18:30 UTC
    EXPECT_EQ(FormatDay(m.Day(*ParseTimestampMs("2025-03-09T18:29:59.999Z"))), "2025-03-09");
    EXPECT_EQ(FormatDay(m.Day(*ParseTimestampMs("2025-03-09T18:30:00.000Z"))), "2025-03-10");
  }
  DayMapper utc(TimeZone::Utc());
  EXPECT_EQ(FormatDay(utc.Day(-1)), "1969-12-31");
}

TEST(UsageAggregate, PeriodsAndFilters) {
  int64_t mon = *ParseDay("2025-03-10");
  EXPECT_EQ(FormatDay(PeriodStart(mon, Period::kWeek, 0)), "2025-03-09");
  EXPECT_EQ(FormatDay(PeriodStart(mon, Period::kWeek, 1)), "2025-03-10");
  EXPECT_EQ(PeriodKey(PeriodStart(mon, Period::kMonth, 0), Period::kMonth), "2025-03");
  Aggregates agg;
  agg.models = {"m1", "m2"};
  TokenSums t;
  t.input = 10;
  t.total = 10;
  t.responses = 1;
  agg.model_days = {{mon, Agent::kClaude, 0, t}, {mon, Agent::kCodex, 1, t}, {mon + 1, Agent::kClaude, 1, t}};
  agg.agent_days = {{mon, Agent::kClaude, 2, {1, 2}}, {mon, Agent::kCodex, 1, {1}}, {mon + 1, Agent::kClaude, 0, {2, 3}}};
  ReportOptions o;
  auto rows = BuildReport(agg, o);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].tokens.input, 20u);
  EXPECT_EQ(rows[0].sessions, 3u);  // Claude 1, 2 and Codex 1 are different sessions
  EXPECT_EQ(rows[0].prompts, 3u);
  o.period = Period::kWeek;
  rows = BuildReport(agg, o);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].sessions, 4u);  // distinct over the week, not 3 + 2
  o.agent = Agent::kClaude;
  o.by_model = true;
  rows = BuildReport(agg, o);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].model, "m1");
  EXPECT_EQ(rows[1].model, "m2");
  o = ReportOptions();
  o.since = mon + 1;
  EXPECT_EQ(ReportTotal(agg, o).tokens.input, 10u);
  EXPECT_EQ(ReportTotal(agg, o).sessions, 2u);
}

}  // namespace
}  // namespace lq::usage

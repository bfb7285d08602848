#include "cli/event_ref.h"

#include <gtest/gtest.h>

#include "cli/flag_checks.h"

namespace lq::cli {
namespace {

const LocalIdentity kLocal{"acme", "app", "desk"};

TEST(EventRefTest, ParsesEveryForm) {
  auto e = ParseEventRef("3");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->run.is_local());
  EXPECT_EQ(e->run.run_id, 0);
  EXPECT_EQ(e->event_id, 3);
  e = ParseEventRef("12:3");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->run.run_id, 12);
  EXPECT_TRUE(e->run.is_local());
  e = ParseEventRef("laptop:16:1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->run.hostname, "laptop");
  EXPECT_EQ(e->run.run_id, 16);
  EXPECT_EQ(e->event_id, 1);
  e = ParseEventRef("acme/web/laptop:2:5");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->run.ns, "acme");
  EXPECT_EQ(e->run.project, "web");
  EXPECT_EQ(e->run.hostname, "laptop");
  auto r = ParseRunRef("laptop:16");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->hostname, "laptop");
  EXPECT_EQ(r->run_id, 16);
}

TEST(EventRefTest, RefusesMalformedRefs) {
  for (const char* text : {"", ":", "1:", ":1", "0:1", "1:0", "-1:1", "a:b", "x::1:1", "a/b:1:1",
                           "a/b/c/d:1:1", "a//c:1:1", "99999999999999999999:1"}) {
    auto e = ParseEventRef(text);
    EXPECT_FALSE(e.ok()) << text;
    if (!e.ok()) {
      EXPECT_EQ(e.status().code(), Status::Code::kInvalidArgument) << text;
    }
  }
  for (const char* text : {"", "0", "x", "laptop:", "laptop:1:1"})
    EXPECT_FALSE(ParseRunRef(text).ok()) << text;
}

TEST(EventRefTest, FormatNamesOnlyWhatDiffers) {
  EXPECT_EQ(FormatRunRef(kLocal, "acme", "app", "desk", 7), "7");
  EXPECT_EQ(FormatRunRef(kLocal, "acme", "app", "laptop", 7), "laptop:7");
  EXPECT_EQ(FormatRunRef(kLocal, "acme", "web", "desk", 7), "acme/web/desk:7");
  // What is formatted parses back to the same run.
  auto back = ParseRunRef(FormatRunRef(kLocal, "other", "web", "laptop", 7));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->ns, "other");
  EXPECT_EQ(back->project, "web");
  EXPECT_EQ(back->hostname, "laptop");
  EXPECT_EQ(back->run_id, 7);
}

TEST(EventRefTest, ConditionNeedsIncludeSyncedForOtherMachines) {
  auto local = RunCondition(*ParseRunRef("12"), kLocal, false);
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(*local, "run_id = 12");
  auto other = RunCondition(*ParseRunRef("laptop:12"), kLocal, false);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(other.status().message().find("--include-synced"), std::string::npos);
  auto synced = RunCondition(*ParseRunRef("laptop:12"), kLocal, true);
  ASSERT_TRUE(synced.ok());
  EXPECT_NE(synced->find("hostname = 'laptop'"), std::string::npos) << *synced;
  EXPECT_NE(synced->find("project = 'app'"), std::string::npos) << *synced;
  // This machine's own ref (its hostname spelled out) needs no store.
  EXPECT_TRUE(RunCondition(*ParseRunRef("desk:12"), kLocal, false).ok());
}

TEST(WholeNumberTest, ReadableMessages) {
  auto check = [](const CLI::Validator& v, std::string text) { return v(text); };
  EXPECT_EQ(check(WholeNumber(1), "5"), "");
  EXPECT_EQ(check(WholeNumber(1), "0"), "must be at least 1, not 0");
  EXPECT_EQ(check(WholeNumber(0), "-1"), "must be at least 0, not -1");
  EXPECT_EQ(check(WholeNumber(1, 256), "300"), "must be from 1 to 256, not 300");
  EXPECT_EQ(check(WholeNumber(1), "x"), "'x' is not a whole number");
  EXPECT_EQ(check(WholeNumber(1), "1e3"), "'1e3' is not a whole number");
  EXPECT_EQ(check(WholeNumber(1), "99999999999"), "must be from 1 to 2147483647, not 99999999999");
}

}  // namespace
}  // namespace lq::cli

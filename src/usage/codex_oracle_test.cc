// lq vs `ccusage codex daily --json --offline -z TZ` (20.0.24) on generated Codex CLI
// rollouts, each scenario in two time zones. Skipped when tools/ has no ccusage.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>

#include "usage/usage_test_util.h"

namespace lq::usage {
namespace {

using nlohmann::ordered_json;
using testutil::WriteFile;

ordered_json Usage(uint64_t in, uint64_t cached, uint64_t out, uint64_t reasoning = 0) {
  return {{"input_tokens", in},
          {"cached_input_tokens", cached},
          {"output_tokens", out},
          {"reasoning_output_tokens", reasoning},
          {"total_tokens", in + out}};
}

std::string TokenCount(const std::string& ts, std::optional<ordered_json> last, std::optional<ordered_json> total,
                       bool null_info = false) {
  ordered_json payload;
  payload["type"] = "token_count";
  if (null_info) {
    payload["info"] = nullptr;
  } else {
    ordered_json info = ordered_json::object();
    if (total) info["total_token_usage"] = *total;
    if (last) info["last_token_usage"] = *last;
    info["model_context_window"] = 272000;
    payload["info"] = info;
  }
  payload["rate_limits"] = {{"primary", {{"used_percent", 1.0}}}};
  ordered_json j;
  j["timestamp"] = ts;
  j["type"] = "event_msg";
  j["payload"] = payload;
  return j.dump();
}

std::string TurnContext(const std::string& ts, const std::string& model) {
  ordered_json j;
  j["timestamp"] = ts;
  j["type"] = "turn_context";
  j["payload"] = {{"cwd", "/home/dev/project"}, {"approval_policy", "on-request"}, {"model", model}};
  return j.dump();
}

std::string Meta(const std::string& ts) {
  ordered_json j;
  j["timestamp"] = ts;
  j["type"] = "session_meta";
  j["payload"] = {{"id", "0199a213-81c0-7800-8aa1-bbab2a035a53"}, {"cwd", "/home/dev/project"}};
  return j.dump();
}

std::string UserMessage(const std::string& ts, const std::string& text) {
  ordered_json j;
  j["timestamp"] = ts;
  j["type"] = "event_msg";
  j["payload"] = {{"type", "user_message"}, {"message", text}, {"kind", "plain"}};
  return j.dump();
}

struct Scenario {
  std::string name;
  std::function<void(const std::string& codex_home)> build;
};

std::vector<Scenario> Scenarios() {
  std::vector<Scenario> s;
  s.push_back({"TurnsRepeatsAndNullInfo", [](const std::string& h) {
                 auto u1 = Usage(1200, 800, 150, 40), u2 = Usage(3000, 2500, 90);
                 ordered_json t1 = u1, t2 = Usage(4200, 3300, 240, 40);
                 WriteFile(h + "/sessions/2025/03/10/rollout-2025-03-10T10-00-00-a.jsonl",
                           testutil::JoinLines({Meta("2025-03-10T10:00:00.000Z"),
                                                TurnContext("2025-03-10T10:00:00.100Z", "gpt-5-codex"),
                                                UserMessage("2025-03-10T10:00:01.000Z", "refactor the parser"),
                                                TokenCount("2025-03-10T10:00:05.000Z", std::nullopt, std::nullopt, true),
                                                TokenCount("2025-03-10T10:00:06.000Z", u1, t1),
                                                TokenCount("2025-03-10T10:00:07.000Z", u1, t1),  // repeated total
                                                TokenCount("2025-03-10T23:59:59.000Z", u2, t2),
                                                TokenCount("2025-03-11T00:00:01.000Z", u2, t2)}));
               }});
  s.push_back({"TotalsOnlyAndLastOnly", [](const std::string& h) {
                 WriteFile(h + "/sessions/2025/03/10/rollout-b.jsonl",
                           testutil::JoinLines({TokenCount("2025-03-10T08:00:00.000Z", std::nullopt, Usage(100, 10, 5)),
                                                TokenCount("2025-03-10T08:01:00.000Z", std::nullopt, Usage(250, 60, 9)),
                                                TokenCount("2025-03-10T08:02:00.000Z", std::nullopt, Usage(250, 60, 9))}));
                 WriteFile(h + "/sessions/2025/03/10/rollout-c.jsonl",
                           testutil::JoinLines({TokenCount("2025-03-10T09:00:00.000Z", Usage(70, 0, 7), std::nullopt),
                                                TokenCount("2025-03-10T09:01:00.000Z", Usage(70, 0, 7), std::nullopt)}));
               }});
  s.push_back({"ModelsAndFallback", [](const std::string& h) {
                 ordered_json pm;
                 pm["timestamp"] = "2025-03-10T12:00:03.000Z";
                 pm["type"] = "event_msg";
                 pm["payload"] = {{"type", "token_count"},
                                  {"model", "gpt-5.1"},
                                  {"info", {{"last_token_usage", Usage(9, 0, 1)}}}};
                 WriteFile(h + "/sessions/2025/03/10/rollout-d.jsonl",
                           testutil::JoinLines({TokenCount("2025-03-10T12:00:00.000Z", Usage(10, 0, 2), std::nullopt),
                                                TurnContext("2025-03-10T12:00:01.000Z", "o3"),
                                                TokenCount("2025-03-10T12:00:02.000Z", Usage(11, 0, 3), std::nullopt),
                                                pm.dump(),
                                                TokenCount("2025-03-10T12:00:04.000Z", Usage(12, 0, 4), std::nullopt)}));
               }});
  s.push_back({"CopiedSessionsAndArchive", [](const std::string& h) {
                 std::vector<std::string> lines = {TurnContext("2025-03-10T10:00:00.000Z", "gpt-5"),
                                                   TokenCount("2025-03-10T10:00:01.000Z", Usage(500, 100, 50), Usage(500, 100, 50)),
                                                   TokenCount("2025-03-10T10:00:02.000Z", Usage(600, 100, 60), Usage(1100, 200, 110))};
                 WriteFile(h + "/sessions/2025/03/10/rollout-e.jsonl", testutil::JoinLines(lines));
                 lines.push_back(TokenCount("2025-03-10T11:00:00.000Z", Usage(40, 0, 4), Usage(1140, 200, 114)));
                 WriteFile(h + "/sessions/2025/03/11/rollout-e-fork.jsonl", testutil::JoinLines(lines));
                 WriteFile(h + "/archived_sessions/2025/03/10/rollout-e.jsonl",
                           testutil::JoinLines({TokenCount("2025-03-10T10:30:00.000Z", Usage(7777, 0, 7), std::nullopt)}));
                 WriteFile(h + "/archived_sessions/rollout-old.jsonl",
                           testutil::JoinLines({TokenCount("2025-03-09T10:30:00.000Z", Usage(33, 3, 3), std::nullopt)}));
               }});
  s.push_back({"LenientUsageFields", [](const std::string& h) {
                 auto tc = [](const std::string& ts, ordered_json last) { return TokenCount(ts, last, std::nullopt); };
                 WriteFile(h + "/sessions/rollout-f.jsonl",
                           testutil::JoinLines(
                               {tc("2025-03-10T01:00:00.000Z", {{"prompt_tokens", 100}, {"completion_tokens", 10}, {"cached_tokens", 30}}),
                                tc("2025-03-10T01:00:01.000Z", {{"input_tokens", "200"}, {"output_tokens", 10}, {"cached_input_tokens", -3}}),
                                tc("2025-03-10T01:00:02.000Z", {{"input_tokens", 100}, {"output_tokens", 10}, {"cached_input_tokens", 40}, {"cache_write_input_tokens", 7}}),
                                tc("2025-03-10T01:00:03.000Z", {{"input_tokens", 100}, {"output_tokens", 10}, {"cached_input_tokens", 40}, {"cache_creation_input_tokens", 90}}),
                                tc("2025-03-10T01:00:04.000Z", {{"input_tokens", 10}, {"output_tokens", 1}, {"cached_input_tokens", 40}}),
                                tc("2025-03-10T01:00:05.000Z", {{"input_tokens", 10}, {"output_tokens", 1}, {"reasoning_output_tokens", 5}}),
                                tc("2025-03-10T01:00:06.000Z", {{"input_tokens", 10}, {"output_tokens", 1}, {"total_tokens", 999}}),
                                tc("2025-03-10T01:00:07.000Z", {{"input_tokens", 0}, {"output_tokens", 0}, {"total_tokens", 5}}),
                                tc("2025-03-10T01:00:08.000Z", {{"input_tokens", 1.5}, {"output_tokens", 2}})}));
               }});
  s.push_back({"TimestampsAndNoise", [](const std::string& h) {
                 ordered_json num;
                 num["timestamp"] = 1741600000;
                 num["type"] = "event_msg";
                 num["payload"] = {{"type", "token_count"}, {"info", {{"last_token_usage", Usage(21, 0, 2)}}}};
                 ordered_json ms = num;
                 ms["timestamp"] = 1741650000123ull;
                 ms["payload"]["info"]["last_token_usage"] = Usage(22, 0, 2);
                 std::string spaced = ordered_json::parse(TokenCount("2025-03-10T02:00:00.000Z", Usage(5, 0, 5), std::nullopt))
                                          .dump(1);
                 for (auto& c : spaced) {
                   if (c == '\n') c = ' ';
                 }
                 WriteFile(h + "/sessions/rollout-g.jsonl",
                           testutil::JoinLines({num.dump(), ms.dump(), spaced,
                                                TokenCount(" 2025-03-10T03:00:00.000Z ", Usage(31, 0, 3), std::nullopt),
                                                TokenCount("2025-03-10T16:30:00.000+09:00", Usage(41, 0, 4), std::nullopt),
                                                "{\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\"", "garbage",
                                                UserMessage("2025-03-10T04:00:00.000Z", "hello")}));
               }});
  return s;
}

class UsageCodexOracle : public ::testing::TestWithParam<std::tuple<Scenario, std::string>> {};

TEST_P(UsageCodexOracle, SameDailyTotalsAsCcusage) {
  LQ_REQUIRE_CCUSAGE();
  const auto& [scenario, tz] = GetParam();
  lq::testing::TempDir dir;
  std::string home = dir / "home";
  std::filesystem::create_directories(home + "/.codex/sessions");
  scenario.build(home + "/.codex");
  auto expected = testutil::CcusageDaily(home, "codex", tz);
  auto got = testutil::LqDaily(home, dir / "lq-home", Agent::kCodex, tz);
  EXPECT_FALSE(expected.empty()) << "the scenario produced no usage at all";
  EXPECT_EQ(got, expected);
  testutil::MaybeDump(expected);
}

INSTANTIATE_TEST_SUITE_P(Rules, UsageCodexOracle,
                         ::testing::Combine(::testing::ValuesIn(Scenarios()),
                                            ::testing::Values("UTC", "Asia/Tokyo")),
                         [](const auto& info) {
                           std::string tz = std::get<1>(info.param) == "UTC" ? "Utc" : "Tokyo";
                           return std::get<0>(info.param).name + "_" + tz;
                         });

}  // namespace
}  // namespace lq::usage

// lq vs ccusage 20.0.24 (`ccusage claude daily --json --offline -z TZ`) on generated
// Claude Code corpora, one scenario per rule, each in two time zones; then randomized
// corpora that stress deduplication. Skipped when tools/ has no ccusage.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <random>

#include "usage/usage_test_util.h"

namespace lq::usage {
namespace {

using nlohmann::ordered_json;
using testutil::WriteFile;

struct Msg {
  std::string ts = "2025-03-10T10:00:00.000Z";
  std::optional<std::string> mid = "msg_01";
  std::optional<std::string> rid = "req_01";
  std::optional<std::string> session;
  std::optional<bool> sidechain;
  std::optional<std::string> version = "1.0.51";
  std::optional<std::string> type = "assistant";
  std::string model = "claude-sonnet-4-20250514";
  uint64_t in = 100, out = 20, cw = 0, cr = 0;
};

// A compact line in Claude Code's key order.
std::string Line(const Msg& m, const std::function<void(ordered_json&)>& edit = nullptr) {
  ordered_json j;
  j["parentUuid"] = "9f4c1b2e-0000-4000-8000-000000000001";
  if (m.sidechain) j["isSidechain"] = *m.sidechain;
  j["userType"] = "external";
  j["cwd"] = "/home/dev/project";
  if (m.session) j["sessionId"] = *m.session;
  if (m.version) j["version"] = *m.version;
  j["gitBranch"] = "main";
  ordered_json msg;
  if (m.mid) msg["id"] = *m.mid;
  msg["type"] = "message";
  msg["role"] = "assistant";
  msg["model"] = m.model;
  msg["content"] = ordered_json::array({{{"type", "text"}, {"text", "Done."}}});
  msg["stop_reason"] = "end_turn";
  msg["usage"] = {{"input_tokens", m.in},
                  {"cache_creation_input_tokens", m.cw},
                  {"cache_read_input_tokens", m.cr},
                  {"output_tokens", m.out},
                  {"service_tier", "standard"}};
  j["message"] = msg;
  if (m.rid) j["requestId"] = *m.rid;
  if (m.type) j["type"] = *m.type;
  j["uuid"] = "9f4c1b2e-0000-4000-8000-000000000002";
  j["timestamp"] = m.ts;
  if (edit) edit(j);
  return j.dump();
}

struct Scenario {
  std::string name;
  std::function<void(const std::string& projects)> build;  // writes under <home>/.claude/projects
};

std::vector<Scenario> Scenarios() {
  std::vector<Scenario> s;
  s.push_back({"NestedFoldersWithoutType", [](const std::string& p) {
                 Msg a;
                 a.type.reset();
                 Msg b = a;
                 b.mid = "msg_02";
                 b.rid = "req_02";
                 b.ts = "2025-03-10T23:30:00.000Z";
                 WriteFile(p + "/proj-a/session-1/chat.jsonl", testutil::JoinLines({Line(a), Line(b)}));
                 Msg c = a;
                 c.mid = "msg_03";
                 c.rid = "req_03";
                 c.ts = "2025-03-11T07:59:59.999Z";
                 WriteFile(p + "/proj-b/session-2.jsonl", testutil::JoinLines({Line(c)}));
                 Msg d = c;
                 d.mid = "msg_04";
                 d.rid = "req_04";
                 WriteFile(p + "/proj-b/session-2/subagents/agent-x.jsonl", testutil::JoinLines({Line(d)}));
               }});
  s.push_back({"StreamingPartialCopiesKeepLargest", [](const std::string& p) {
                 std::vector<std::string> lines;
                 for (uint64_t out : {1, 5, 40, 12}) {
                   Msg m;
                   m.out = out;
                   m.cr = 1000;
                   lines.push_back(Line(m));
                 }
                 WriteFile(p + "/proj/s1.jsonl", testutil::JoinLines(lines));
               }});
  s.push_back({"ResumedSessionCopiesAcrossFiles", [](const std::string& p) {
                 Msg a;
                 a.session = "sess-old";
                 Msg b = a;
                 b.mid = "msg_02";
                 b.rid = "req_02";
                 WriteFile(p + "/proj/sess-old.jsonl", testutil::JoinLines({Line(a), Line(b)}));
                 Msg a2 = a, b2 = b, c = a;
                 a2.session = b2.session = c.session = "sess-new";
                 c.mid = "msg_03";
                 c.rid = "req_03";
                 c.ts = "2025-03-12T01:00:00.000Z";
                 WriteFile(p + "/proj/sess-new.jsonl", testutil::JoinLines({Line(a2), Line(b2), Line(c)}));
               }});
  s.push_back({"SidechainRules", [](const std::string& p) {
                 // Non-sidechain beats a larger sidechain copy.
                 Msg side;
                 side.sidechain = true;
                 side.session = "S";
                 side.out = 900;
                 Msg main = side;
                 main.sidechain = false;
                 main.out = 10;
                 // A /btw replay: same message id and session, another request id.
                 Msg replay = main;
                 replay.sidechain = true;
                 replay.rid = "req_replay";
                 replay.ts = "2025-03-10T10:05:00.000Z";
                 replay.cr = 50000;
                 // Same message id in another session under another request: counts.
                 Msg other = replay;
                 other.session = "T";
                 other.rid = "req_other";
                 // Sidechain answer of its own: counts.
                 Msg own = side;
                 own.mid = "msg_side";
                 own.rid = "req_side";
                 WriteFile(p + "/proj/S.jsonl", testutil::JoinLines({Line(side), Line(main), Line(replay)}));
                 WriteFile(p + "/proj/T.jsonl", testutil::JoinLines({Line(other), Line(own)}));
               }});
  s.push_back({"NoRequestIdKey", [](const std::string& p) {
                 std::vector<std::string> lines;
                 for (int i = 0; i < 3; ++i) {
                   Msg m;
                   m.rid.reset();
                   m.session = "S";
                   m.ts = "2025-03-10T10:00:0" + std::to_string(i) + ".000Z";  // streamed blocks
                   m.out = 10 + i;
                   lines.push_back(Line(m));
                 }
                 Msg same = {};
                 same.rid.reset();
                 same.session = "S";
                 same.out = 99;  // same id, session and instant as the first: a duplicate
                 lines.push_back(Line(same));
                 WriteFile(p + "/proj/a.jsonl", testutil::JoinLines(lines));
                 Msg elsewhere = same;
                 elsewhere.session = "U";  // another session: counts
                 Msg no_id;
                 no_id.mid.reset();
                 no_id.rid.reset();
                 WriteFile(p + "/proj/b.jsonl", testutil::JoinLines({Line(elsewhere), Line(no_id), Line(no_id)}));
               }});
  s.push_back({"MalformedInvalidUtf8AndHugeLines", [](const std::string& p) {
                 Msg ok;
                 std::string good = Line(ok);
                 std::string truncated = good.substr(0, good.size() / 2);
                 Msg bad_utf8 = ok;
                 bad_utf8.mid = "msg_utf8";
                 std::string invalid = Line(bad_utf8, [](ordered_json& j) { j["note"] = "XX"; });
                 invalid.replace(invalid.find("XX"), 2, "\xff\xfe");
                 Msg huge = ok;
                 huge.mid = "msg_huge";
                 huge.rid = "req_huge";
                 std::string huge_line =
                     Line(huge, [](ordered_json& j) { j["toolUseResult"] = std::string(5 << 20, 'x'); });
                 std::string huge_plain = "{\"type\":\"user\",\"content\":\"" + std::string(3 << 20, 'y') + "\"}";
                 Msg trailing = ok;
                 trailing.mid = "msg_trailing";
                 WriteFile(p + "/proj/s.jsonl",
                           testutil::JoinLines({truncated, good, invalid, huge_line, huge_plain, "", "not json",
                                                Line(trailing) + " x", "{\"usage\":{}}"}));
               }});
  s.push_back({"InvalidJsonInsideIgnoredFields", [](const std::string& p) {
                 // serde reads every value of a line, even those ccusage ignores: a bad
                 // escape, a lone surrogate, a malformed number or literal, nesting deeper
                 // than 127 levels or trailing bytes anywhere drop the whole line.
                 std::vector<std::string> lines;
                 int i = 0;
                 auto add = [&](const std::string& raw_value) {
                   Msg m;
                   m.mid = "msg_j" + std::to_string(i);
                   m.rid = "req_j" + std::to_string(i++);
                   std::string l = Line(m);
                   lines.push_back(l.substr(0, l.size() - 1) + ",\"extra\":" + raw_value + "}");
                 };
                 add("\"\\q\"");
                 add("\"\\ud800\"");
                 add("\"\\ude00 alone\"");
                 add("\"\\ud83d\\ude00 a pair\"");
                 add("\"\\\\ud800 an escaped backslash\"");
                 add("012");
                 add("1.");
                 add("tru");
                 add("1e400");
                 add("-0");
                 add(std::string(126, '[') + std::string(126, ']'));
                 add(std::string(127, '[') + std::string(127, ']'));
                 add("{\"a\":{\"b\":[1,2,{\"c\":null}]}}");
                 WriteFile(p + "/proj/s.jsonl", testutil::JoinLines(lines));
               }});
  s.push_back({"TimestampFormats", [](const std::string& p) {
                 std::vector<std::string> lines;
                 int i = 0;
                 for (std::string ts : {"2025-03-10T10:00:00Z", "2025-03-10T10:00:00.123Z", "2025-03-10T10:00:00.123456Z",
                                        "2025-03-10T23:30:00.000+05:30", "2025-03-10T01:00:00.000-08:00",
                                        "2025-03-10 10:00:00Z", "2025-03-10T10:00Z", "2025-02-29T10:00:00Z",
                                        "2024-02-29T10:00:00Z", "2025-03-10T24:00:00Z", "2025-03-10T10:00:00.1Z",
                                        "2025-03-10T10:00:00+0100", "2025-03-10T10:00:00.000+24:00",
                                        "2025-03-09T09:59:59.999Z", "2025-11-02T08:30:00.000Z"}) {
                   Msg m;
                   m.ts = ts;
                   m.mid = "msg_ts" + std::to_string(i);
                   m.rid = "req_ts" + std::to_string(i++);
                   lines.push_back(Line(m));
                 }
                 Msg num;
                 num.mid = "msg_num";
                 lines.push_back(Line(num, [](ordered_json& j) { j["timestamp"] = 1741600000; }));
                 WriteFile(p + "/proj/s.jsonl", testutil::JoinLines(lines));
               }});
  s.push_back({"NullFieldsAnywhere", [](const std::string& p) {
                 std::vector<std::string> lines;
                 int i = 0;
                 auto add = [&](std::function<void(ordered_json&)> edit) {
                   Msg m;
                   m.mid = "msg_n" + std::to_string(i);
                   m.rid = "req_n" + std::to_string(i++);
                   lines.push_back(Line(m, edit));
                 };
                 add([](ordered_json& j) { j["costUSD"] = nullptr; });
                 add([](ordered_json& j) { j["requestId"] = nullptr; });
                 add([](ordered_json& j) { j["cwd"] = nullptr; });
                 add([](ordered_json& j) { j["message"]["model"] = nullptr; });
                 add([](ordered_json& j) { j["message"]["usage"]["cache_read_input_tokens"] = nullptr; });
                 add([](ordered_json& j) { j["message"]["usage"]["cache_creation_input_tokens"] = nullptr; });
                 add([](ordered_json& j) { j["toolUseResult"] = {{"nested", {{"id", nullptr}}}}; });
                 add([](ordered_json& j) { j["message"]["stop_sequence"] = nullptr; });  // allowed
                 add([](ordered_json& j) { j["parentUuid"] = nullptr; });                // allowed
                 add([](ordered_json& j) { j["isSidechain"] = nullptr; });               // allowed
                 add([](ordered_json& j) { j["message"]["content"] = nullptr; });        // allowed
                 add([](ordered_json& j) { j["message"]["usage"]["input_tokens"] = nullptr; });
                 add([](ordered_json& j) {
                   j["message"]["usage"]["iterations"] = ordered_json::array(
                       {{{"type", "message"}, {"model", nullptr}, {"input_tokens", 1}, {"output_tokens", 2}}});
                 });  // allowed: iteration model
                 WriteFile(p + "/proj/s.jsonl", testutil::JoinLines(lines));
               }});
  s.push_back({"TokenValueTypes", [](const std::string& p) {
                 std::vector<std::string> lines;
                 int i = 0;
                 auto add = [&](std::function<void(ordered_json&)> edit) {
                   Msg m;
                   m.mid = "msg_t" + std::to_string(i);
                   m.rid = "req_t" + std::to_string(i++);
                   lines.push_back(Line(m, edit));
                 };
                 add([](ordered_json& j) { j["message"]["usage"]["input_tokens"] = -5; });
                 add([](ordered_json& j) { j["message"]["usage"]["output_tokens"] = 2.5; });
                 add([](ordered_json& j) { j["message"]["usage"]["output_tokens"] = 2.0; });
                 add([](ordered_json& j) { j["message"]["usage"]["output_tokens"] = "7"; });
                 add([](ordered_json& j) { j["message"]["usage"].erase("output_tokens"); });
                 add([](ordered_json& j) { j["message"]["usage"].erase("cache_read_input_tokens"); });
                 add([](ordered_json& j) { j["message"]["usage"]["input_tokens"] = 4000000000000ull; });
                 add([](ordered_json& j) { j["message"]["usage"]["speed"] = "fast"; });
                 add([](ordered_json& j) { j["message"]["usage"]["speed"] = "turbo"; });
                 add([](ordered_json& j) { j["message"]["model"] = "<synthetic>"; });
                 add([](ordered_json& j) { j["costUSD"] = 0.25; });
                 add([](ordered_json& j) { j["costUSD"] = "0.25"; });
                 add([](ordered_json& j) { j["isSidechain"] = "false"; });
                 add([](ordered_json& j) { j["sessionId"] = 42; });
                 add([](ordered_json& j) { j["sessionId"] = ""; });
                 add([](ordered_json& j) { j["requestId"] = ""; });
                 add([](ordered_json& j) { j["message"]["id"] = ""; });
                 add([](ordered_json& j) { j["message"]["model"] = ""; });
                 add([](ordered_json& j) { j["cwd"] = 5; });  // not a field ccusage reads
                 WriteFile(p + "/proj/s.jsonl", testutil::JoinLines(lines));
               }});
  s.push_back({"Versions", [](const std::string& p) {
                 std::vector<std::string> lines;
                 int i = 0;
                 for (std::optional<std::string> v :
                      std::vector<std::optional<std::string>>{"1.0.3", "2.0.14-beta", "10.20.30x", "1.0", "v1.0.0", "",
                                                              "1..0", "1.0.x", std::nullopt}) {
                   Msg m;
                   m.version = v;
                   m.mid = "msg_v" + std::to_string(i);
                   m.rid = "req_v" + std::to_string(i++);
                   lines.push_back(Line(m));
                 }
                 Msg num;
                 num.mid = "msg_vnum";
                 lines.push_back(Line(num, [](ordered_json& j) { j["version"] = 1; }));
                 WriteFile(p + "/proj/s.jsonl", testutil::JoinLines(lines));
               }});
  s.push_back({"CacheCreationForms", [](const std::string& p) {
                 std::vector<std::string> lines;
                 int i = 0;
                 auto add = [&](ordered_json cc) {
                   Msg m;
                   m.cw = 500;
                   m.mid = "msg_c" + std::to_string(i);
                   m.rid = "req_c" + std::to_string(i++);
                   lines.push_back(Line(m, [cc](ordered_json& j) {
                     if (!cc.is_discarded()) j["message"]["usage"]["cache_creation"] = cc;
                   }));
                 };
                 add(ordered_json::value_t::discarded);
                 add({{"ephemeral_5m_input_tokens", 300}, {"ephemeral_1h_input_tokens", 70}});
                 add(ordered_json::object());
                 add({{"ephemeral_1h_input_tokens", 9}});
                 add(nullptr);
                 add({{"ephemeral_5m_input_tokens", -1}});
                 add({{"ephemeral_5m_input_tokens", 5}, {"other", "x"}});
                 add(ordered_json::array());
                 add(ordered_json::array({4, 6}));
                 add("x");
                 WriteFile(p + "/proj/s.jsonl", testutil::JoinLines(lines));
               }});
  s.push_back({"AgentProgressLines", [](const std::string& p) {
                 auto progress = [](const std::string& mid, const std::string& rid, uint64_t out,
                                    std::optional<std::string> session) {
                   ordered_json inner;
                   inner["type"] = "assistant";
                   inner["timestamp"] = "2025-03-10T12:00:00.000Z";
                   inner["requestId"] = rid;
                   inner["isSidechain"] = true;
                   inner["message"] = {{"id", mid},
                                       {"model", "claude-opus-4-1-20250805"},
                                       {"usage", {{"input_tokens", 10}, {"output_tokens", out}}}};
                   ordered_json j;
                   j["type"] = "progress";
                   if (session) j["sessionId"] = *session;
                   j["version"] = "not-a-version";  // ignored for progress lines
                   j["data"] = {{"message", inner}, {"type", "agent_progress"}};
                   j["timestamp"] = "2025-03-10T12:00:01.000Z";
                   return j.dump();
                 };
                 Msg direct;
                 direct.mid = "msg_sub";
                 direct.rid = "req_sub";
                 direct.sidechain = true;
                 direct.session = "S";
                 direct.ts = "2025-03-10T12:00:00.000Z";
                 WriteFile(p + "/proj/S.jsonl", testutil::JoinLines({progress("msg_sub", "req_sub", 30, "S"),
                                                                     progress("msg_p2", "req_p2", 7, std::nullopt)}));
                 WriteFile(p + "/proj/S/subagents/agent-1.jsonl", testutil::JoinLines({Line(direct)}));
               }});
  s.push_back({"AdvisorIterations", [](const std::string& p) {
                 auto with = [](ordered_json it) {
                   return [it](ordered_json& j) { j["message"]["usage"]["iterations"] = it; };
                 };
                 ordered_json adv = {{"type", "advisor_message"}, {"model", "claude-opus-4-1-20250805"},
                                     {"input_tokens", 1000}, {"output_tokens", 300}, {"cache_read_input_tokens", 7}};
                 Msg a;
                 Msg b = a;  // a streamed copy of the same message: advisors deduplicate too
                 Msg c;
                 c.mid = "msg_c";
                 c.rid = "req_c";
                 Msg d;
                 d.mid = "msg_d";
                 d.rid = "req_d";
                 WriteFile(p + "/proj/s.jsonl",
                           testutil::JoinLines(
                               {Line(a, with(ordered_json::array({adv}))), Line(b, with(ordered_json::array({adv}))),
                                Line(c, with(ordered_json::array({adv, {{"type", "message"}}}))),
                                Line(d, with(ordered_json::array({{{"type", "message"}, {"model", nullptr},
                                                                   {"input_tokens", 1}, {"output_tokens", 1}},
                                                                  adv, adv})))}));
               }});
  s.push_back({"DuplicateKeysAndShapes", [](const std::string& p) {
                 Msg m;
                 std::string base = Line(m);
                 std::string dup_top = base.substr(0, base.size() - 1) + ",\"requestId\":\"req_x\"}";
                 std::string dup_usage = base;
                 dup_usage.replace(dup_usage.find("\"input_tokens\":100"), 18, "\"input_tokens\":100,\"input_tokens\":5");
                 std::string spaced = base;
                 spaced.replace(spaced.find("\"usage\":{"), 9, "\"usage\": {");
                 Msg n;
                 n.mid = "msg_unknown_dup";
                 std::string dup_unknown = Line(n);
                 dup_unknown = dup_unknown.substr(0, dup_unknown.size() - 1) + ",\"gitBranch\":\"x\"}";
                 Msg crlf;
                 crlf.mid = "msg_crlf";
                 Msg last;
                 last.mid = "msg_last_no_newline";
                 WriteFile(p + "/proj/s.jsonl", dup_top + "\n" + dup_usage + "\n" + spaced + "\n" + dup_unknown +
                                                    "\n" + Line(crlf) + "\r\n\n   \n" + Line(last));
               }});
  s.push_back({"Symlinks", [](const std::string& p) {
                 Msg m;
                 WriteFile(p + "/../outside/real.jsonl", testutil::JoinLines({Line(m)}));
                 std::filesystem::create_directories(p + "/proj");
                 std::filesystem::create_symlink(p + "/../outside/real.jsonl", p + "/proj/link.jsonl");
                 std::filesystem::create_directory_symlink(p + "/../outside", p + "/linked-dir");
                 std::filesystem::create_directory_symlink(p, p + "/proj/loop");
                 std::filesystem::create_symlink(p + "/proj/self.jsonl", p + "/proj/self.jsonl");
                 Msg n;
                 n.mid = "msg_real";
                 WriteFile(p + "/proj/real.jsonl", testutil::JoinLines({Line(n)}));
               }});
  s.push_back({"DaylightSavingBoundaries", [](const std::string& p) {
                 std::vector<std::string> lines;
                 int i = 0;
                 for (std::string ts : {"2025-03-09T07:59:59.000Z", "2025-03-09T08:00:00.000Z", "2025-03-09T10:00:00.000Z",
                                        "2025-11-02T06:59:00.000Z", "2025-11-02T07:00:00.000Z", "2025-11-02T08:30:00.000Z",
                                        "2025-03-30T00:30:00.000Z", "2025-12-31T23:59:59.999Z", "2026-01-01T00:00:00.000Z"}) {
                   Msg m;
                   m.ts = ts;
                   m.mid = "msg_d" + std::to_string(i);
                   m.rid = "req_d" + std::to_string(i++);
                   lines.push_back(Line(m));
                 }
                 WriteFile(p + "/proj/s.jsonl", testutil::JoinLines(lines));
               }});
  return s;
}

class UsageClaudeOracle : public ::testing::TestWithParam<std::tuple<Scenario, std::string>> {};

TEST_P(UsageClaudeOracle, SameDailyTotalsAsCcusage) {
  LQ_REQUIRE_CCUSAGE();
  const auto& [scenario, tz] = GetParam();
  lq::testing::TempDir dir;
  std::string home = dir / "home";
  std::string projects = home + "/.claude/projects";
  std::filesystem::create_directories(projects);
  scenario.build(projects);
  auto expected = testutil::CcusageDaily(home, "claude", tz);
  auto got = testutil::LqDaily(home, dir / "lq-home", Agent::kClaude, tz);
  EXPECT_FALSE(expected.empty()) << "the scenario produced no usage at all";
  EXPECT_EQ(got, expected);
  testutil::MaybeDump(expected);
}

INSTANTIATE_TEST_SUITE_P(Rules, UsageClaudeOracle,
                         ::testing::Combine(::testing::ValuesIn(Scenarios()),
                                            ::testing::Values("UTC", "America/Los_Angeles")),
                         [](const auto& info) {
                           std::string tz = std::get<1>(info.param) == "UTC" ? "Utc" : "LosAngeles";
                           return std::get<0>(info.param).name + "_" + tz;
                         });

// Random corpora over a tiny key space (2 message ids, 2 request ids or none, 2 sessions,
// 2 instants, sidechain flags, 3 files) hit every deduplication path and their orders.
TEST(UsageClaudeOracleRandom, DeduplicationMatchesCcusage) {
  LQ_REQUIRE_CCUSAGE();
  for (int seed = 1; seed <= 24; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(static_cast<unsigned>(seed));
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    lq::testing::TempDir dir;
    std::string home = dir / "home";
    std::string projects = home + "/.claude/projects";
    const std::vector<std::string> files = {"/p/s1/a.jsonl", "/p/s1/b.jsonl", "/p/s2/c.jsonl",
                                            "/p/s2/x/subagents/d.jsonl"};
    std::map<std::string, std::vector<std::string>> content;
    int n = 3 + pick(8);
    for (int i = 0; i < n; ++i) {
      Msg m;
      int mid = pick(4);
      m.mid = mid == 3 ? std::optional<std::string>() : "msg_" + std::to_string(mid % 2);
      int rid = pick(3);
      m.rid = rid == 2 ? std::optional<std::string>() : "req_" + std::to_string(rid);
      int sess = pick(3);
      m.session = sess == 2 ? std::optional<std::string>() : "S" + std::to_string(sess);
      m.ts = pick(2) ? "2025-03-10T10:00:00.000Z" : "2025-03-10T10:00:01.000Z";
      int side = pick(3);
      m.sidechain = side == 2 ? std::optional<bool>() : std::optional<bool>(side == 1);
      static const uint64_t kVals[] = {0, 1, 5, 10, 100};
      m.in = kVals[pick(5)];
      m.out = kVals[pick(5)];
      m.cw = kVals[pick(5)];
      m.cr = kVals[pick(5)];
      content[files[static_cast<size_t>(pick(4))]].push_back(Line(m));
    }
    for (const auto& [f, lines] : content) WriteFile(projects + f, testutil::JoinLines(lines));
    EXPECT_EQ(testutil::LqDaily(home, dir / "lq-home", Agent::kClaude, "UTC"),
              testutil::CcusageDaily(home, "claude", "UTC"));
  }
}

}  // namespace
}  // namespace lq::usage

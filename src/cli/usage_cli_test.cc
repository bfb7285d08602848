// lq usage through the built binary: output shapes, options, exit codes, the database
// schema, and the privacy canary (nothing under $LQ_HOME may hold a prompt, path or id).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <set>

#include "store/database.h"
#include "testing/temp_dir.h"
#include "usage/usage_test_util.h"

namespace lq::cli {
namespace {

namespace fs = std::filesystem;
using lq::testing::RunLq;
using nlohmann::json;
using nlohmann::ordered_json;
using usage::testutil::WriteFile;

std::string Assistant(const std::string& mid, const std::string& session, const std::string& ts, uint64_t in,
                      uint64_t out, const std::string& model = "claude-sonnet-4-20250514",
                      const std::string& text = "done") {
  ordered_json j;
  j["parentUuid"] = nullptr;
  j["isSidechain"] = false;
  j["userType"] = "external";
  j["cwd"] = "/home/dev/project";
  j["sessionId"] = session;
  j["version"] = "1.0.80";
  j["message"] = {{"id", mid},
                  {"role", "assistant"},
                  {"model", model},
                  {"content", ordered_json::array({{{"type", "text"}, {"text", text}}})},
                  {"usage",
                   {{"input_tokens", in},
                    {"cache_creation_input_tokens", 7},
                    {"cache_read_input_tokens", 100},
                    {"output_tokens", out}}}};
  j["requestId"] = "req_" + mid;
  j["type"] = "assistant";
  j["uuid"] = "uuid-" + mid;
  j["timestamp"] = ts;
  return j.dump();
}

std::string Prompt(const std::string& uuid, const std::string& session, const std::string& ts,
                   const std::string& text) {
  ordered_json j;
  j["parentUuid"] = nullptr;
  j["isSidechain"] = false;
  j["userType"] = "external";
  j["cwd"] = "/home/dev/project";
  j["sessionId"] = session;
  j["version"] = "1.0.80";
  j["type"] = "user";
  j["message"] = {{"role", "user"}, {"content", text}};
  j["uuid"] = uuid;
  j["timestamp"] = ts;
  return j.dump();
}

std::string DaysAgo(int days, int hour = 12) {
  auto now = std::chrono::system_clock::now() - std::chrono::hours(24 * days);
  time_t t = std::chrono::system_clock::to_time_t(now);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:00:00.000Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, hour);
  return buf;
}

struct UsageFixture {
  lq::testing::TempDir dir;
  std::string home = dir / "home";
  std::string lq_home = dir / "lq";
  std::map<std::string, std::string> env() const {
    return {{"HOME", home},         {"LQ_HOME", lq_home},        {"TZ", "UTC"},
            {"LANG", "C.UTF-8"},    {"LC_ALL", "\x01unset"},     {"NO_COLOR", "1"},
            {"CLAUDE_CONFIG_DIR", "\x01unset"}, {"CODEX_HOME", "\x01unset"}, {"XDG_CONFIG_HOME", "\x01unset"}};
  }
  lq::testing::CommandResult Run(std::vector<std::string> args, std::map<std::string, std::string> extra = {}) {
    auto e = env();
    for (auto& [k, v] : extra) e[k] = v;
    args.insert(args.begin(), "usage");
    return RunLq(args, dir.path(), e);
  }
  void Basic() {
    WriteFile(home + "/.claude/projects/proj/s1.jsonl",
              usage::testutil::JoinLines({Prompt("p1", "s1", "2025-03-10T09:00:00.000Z", "fix the bug"),
                                          Assistant("m1", "s1", "2025-03-10T09:00:05.000Z", 1000, 50),
                                          Assistant("m1", "s1", "2025-03-10T09:00:05.000Z", 1000, 80),
                                          Assistant("m2", "s1", "2025-03-11T23:30:00.000Z", 10, 5,
                                                    "claude-opus-4-1-20250805")}));
    WriteFile(home + "/.codex/sessions/2025/03/10/rollout-a.jsonl",
              "{\"timestamp\":\"2025-03-10T10:00:00.000Z\",\"type\":\"turn_context\",\"payload\":{\"model\":\"gpt-5\"}}\n"
              "{\"timestamp\":\"2025-03-10T10:00:01.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\","
              "\"info\":{\"last_token_usage\":{\"input_tokens\":300,\"cached_input_tokens\":200,\"output_tokens\":30,"
              "\"total_tokens\":330}}}}\n");
  }
};

TEST(UsageCli, DailyJsonHasTheDocumentedKeysAndNumbers) {
  UsageFixture fx;
  fx.Basic();
  auto r = fx.Run({"daily", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json rows = json::parse(r.out);
  ASSERT_EQ(rows.size(), 2u);
  const std::set<std::string> keys = {"date", "input_tokens", "output_tokens", "cache_read_tokens",
                                      "cache_write_tokens", "total_tokens", "session_count", "prompt_count",
                                      "response_count", "device_id"};
  for (const auto& row : rows) {
    std::set<std::string> got;
    for (const auto& [k, v] : row.items()) got.insert(k);
    EXPECT_EQ(got, keys);
  }
  EXPECT_EQ(rows[0]["date"], "2025-03-10");
  EXPECT_EQ(rows[0]["input_tokens"], 1000 + 100);  // Claude + Codex without its cached part
  EXPECT_EQ(rows[0]["output_tokens"], 80 + 30);
  EXPECT_EQ(rows[0]["cache_read_tokens"], 100 + 200);
  EXPECT_EQ(rows[0]["cache_write_tokens"], 7);
  EXPECT_EQ(rows[0]["total_tokens"], 1187 + 330);
  EXPECT_EQ(rows[0]["session_count"], 2);
  EXPECT_EQ(rows[0]["prompt_count"], 1);
  EXPECT_EQ(rows[0]["response_count"], 2);
  EXPECT_EQ(rows[0]["device_id"].get<std::string>().size(), 36u);
  EXPECT_EQ(rows[1]["date"], "2025-03-11");

  auto claude = json::parse(fx.Run({"daily", "--json", "--agent", "claude"}).out);
  EXPECT_EQ(claude[0]["input_tokens"], 1000);
  auto tokyo = json::parse(fx.Run({"daily", "--json", "--timezone", "Asia/Tokyo", "--agent", "claude"}).out);
  ASSERT_EQ(tokyo.size(), 2u);
  EXPECT_EQ(tokyo[1]["date"], "2025-03-12");  // 23:30Z is the next morning in Tokyo
  auto range = json::parse(fx.Run({"daily", "--json", "--since", "2025-03-11", "--until", "20250311"}).out);
  ASSERT_EQ(range.size(), 1u);
  EXPECT_EQ(range[0]["date"], "2025-03-11");
}

TEST(UsageCli, WeeklyMonthlyAndByModel) {
  UsageFixture fx;
  fx.Basic();
  auto weekly = json::parse(fx.Run({"weekly", "--json"}).out);
  ASSERT_EQ(weekly.size(), 1u);
  EXPECT_EQ(weekly[0]["date"], "2025-03-09");  // weeks start on Sunday, as ccusage's
  EXPECT_EQ(json::parse(fx.Run({"weekly", "--json", "--week-start", "monday"}).out)[0]["date"], "2025-03-10");
  auto monthly = json::parse(fx.Run({"monthly", "--json"}).out);
  ASSERT_EQ(monthly.size(), 1u);
  EXPECT_EQ(monthly[0]["date"], "2025-03");
  EXPECT_EQ(monthly[0]["session_count"], 2);
  auto models = json::parse(fx.Run({"monthly", "--json", "--by-model"}).out);
  ASSERT_EQ(models.size(), 3u);
  std::set<std::string> names;
  for (const auto& m : models) names.insert(m["agent"].get<std::string>() + "/" + m["model"].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"claude/claude-opus-4-1-20250805", "claude/claude-sonnet-4-20250514",
                                          "codex/gpt-5"}));
  auto table = fx.Run({"monthly", "--by-model"});
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("claude-opus-4-1-20250805"), std::string::npos);
  EXPECT_NE(table.out.find("Total"), std::string::npos);
}

TEST(UsageCli, DefaultViewShowsTheDaysWithUsageOfTheLastThirty) {
  UsageFixture fx;
  WriteFile(fx.home + "/.claude/projects/p/s.jsonl",
            usage::testutil::JoinLines({Assistant("a", "s", DaysAgo(0), 5000, 100), Assistant("b", "s", DaysAgo(3), 900, 10),
                                        Assistant("c", "s", DaysAgo(40), 7, 7)}));
  auto r = fx.Run({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int date_rows = 0;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > 10 && line[4] == '-' && line[7] == '-') ++date_rows;
  }
  EXPECT_EQ(date_rows, 2);  // today and 3 days ago; not 40 days ago, and no rows of zeros (as ccusage)
  EXPECT_NE(r.out.find("Total"), std::string::npos);
  EXPECT_NE(r.out.find("5,000"), std::string::npos);
  EXPECT_NE(r.out.find("█"), std::string::npos);
  auto ascii = fx.Run({}, {{"LANG", "C"}});
  EXPECT_EQ(ascii.out.find("█"), std::string::npos);
  EXPECT_NE(ascii.out.find("####"), std::string::npos);
  auto j = json::parse(fx.Run({"--json"}).out);
  EXPECT_EQ(j.size(), 2u);
  // --since/--until bound the default view too.
  auto window = json::parse(fx.Run({"--since", DaysAgo(5).substr(0, 10), "--until", DaysAgo(1).substr(0, 10),
                                    "--json"}).out);
  ASSERT_EQ(window.size(), 1u) << window.dump();
  EXPECT_EQ(window[0]["date"], DaysAgo(3).substr(0, 10));
}

TEST(UsageCli, BadArgumentsAreUsageErrors) {
  UsageFixture fx;
  fx.Basic();
  for (const auto& args : std::vector<std::vector<std::string>>{{"daily", "--timezone", "Mars/Olympus"},
                                                                {"daily", "--since", "yesterday"},
                                                                {"daily", "--since", "2025-03-12", "--until", "2025-03-01"},
                                                                {"daily", "--agent", "gemini"},
                                                                {"weekly", "--week-start", "friday"},
                                                                {"hourly"}}) {
    auto r = fx.Run(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args.back() << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("lq: error: ", 0), 0u) << r.err;
  }
}

TEST(UsageCli, NoLogsIsNotAnError) {
  UsageFixture fx;
  auto r = fx.Run({"daily"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // The message names the folders searched.
  EXPECT_NE(r.out.find("No Claude Code or Codex logs found in " + fx.home + "/.config/claude/projects, " +
                       fx.home + "/.claude/projects, " + fx.home + "/.codex/sessions"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("set CLAUDE_CONFIG_DIR / CODEX_HOME if they live elsewhere"), std::string::npos);
  EXPECT_EQ(fx.Run({"daily", "--json"}).out, "[]\n");
  // Plain `lq usage`: the same message, not 30 rows of zeros.
  auto plain = fx.Run({});
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.out.find("0  "), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("No Claude Code or Codex logs found"), std::string::npos) << plain.out;
  EXPECT_EQ(fx.Run({"--json"}).out, "[]\n");
}

TEST(UsageCli, WarningsAreCountedAndListedWithVerbose) {
  UsageFixture fx;
  std::string good = Assistant("m1", "s", "2025-03-10T10:00:00.000Z", 1, 1);
  WriteFile(fx.home + "/.claude/projects/p/broken.jsonl", good.substr(0, good.size() - 20) + "\n" + good + "\n");
  fs::create_directories(fx.home + "/.claude/projects/p");
  fs::create_symlink(fx.home + "/.claude/projects/p", fx.home + "/.claude/projects/p/loop");
  auto r = fx.Run({"scan"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("1 malformed line"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 symlink loop"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("broken.jsonl"), std::string::npos);
  auto v = fx.Run({"daily", "--verbose"});
  EXPECT_NE(v.err.find("broken.jsonl: 1 malformed line"), std::string::npos) << v.err;
  EXPECT_NE(v.err.find("/loop: symlink loop"), std::string::npos) << v.err;
}

TEST(UsageCli, DatabaseSchemaAndLatestWinsTimestamps) {
  UsageFixture fx;
  fx.Basic();
  auto scan = fx.Run({"scan", "--json"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  EXPECT_TRUE(json::parse(scan.out)["database_updated"].get<bool>());
  std::string db_path = fx.lq_home + "/usage.duckdb";
  auto columns = [&](const std::string& table) {
    auto db = store::Database::Open(db_path, {.read_only = true});
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    auto conn = store::Connection::Open(**db);
    auto r = conn->Query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '" + table +
                         "' ORDER BY ordinal_position");
    EXPECT_TRUE(r.ok());
    std::string s;
    for (size_t i = 0; i < r->row_count(); ++i) s += r->GetString(0, i) + " " + r->GetString(1, i) + ", ";
    return s;
  };
  EXPECT_EQ(columns("daily_usage"),
            "device_id VARCHAR, date DATE, total_tokens BIGINT, input_tokens BIGINT, output_tokens BIGINT, "
            "cache_read_tokens BIGINT, cache_write_tokens BIGINT, session_count INTEGER, prompt_count INTEGER, "
            "response_count INTEGER, updated_at TIMESTAMP, ");
  EXPECT_EQ(columns("daily_usage_by_model"),
            "device_id VARCHAR, date DATE, agent VARCHAR, model VARCHAR, total_tokens BIGINT, input_tokens BIGINT, "
            "output_tokens BIGINT, cache_read_tokens BIGINT, cache_write_tokens BIGINT, response_count INTEGER, "
            "updated_at TIMESTAMP, ");
  auto stamps = [&] {
    auto db = store::Database::Open(db_path, {.read_only = true});
    auto conn = store::Connection::Open(**db);
    auto r = conn->Query(
        "SELECT strftime(date, '%Y-%m-%d'), total_tokens, epoch_us(updated_at) FROM daily_usage ORDER BY date");
    std::map<std::string, std::pair<int64_t, int64_t>> m;
    for (size_t i = 0; i < r->row_count(); ++i) m[r->GetString(0, i)] = {r->GetInt64(1, i), r->GetInt64(2, i)};
    return m;
  };
  auto before = stamps();
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(before["2025-03-10"].first, 1187 + 330);

  // Nothing changed: the database is not even opened.
  struct stat st1, st2;
  ASSERT_EQ(::stat(db_path.c_str(), &st1), 0);
  auto again = fx.Run({"scan", "--json"});
  EXPECT_FALSE(json::parse(again.out)["database_updated"].get<bool>());
  ASSERT_EQ(::stat(db_path.c_str(), &st2), 0);
  EXPECT_EQ(st1.st_mtim.tv_nsec, st2.st_mtim.tv_nsec);
  EXPECT_EQ(st1.st_mtim.tv_sec, st2.st_mtim.tv_sec);

  // One day changes: only its row gets a new updated_at.
  usage::testutil::WriteFile(fx.home + "/.claude/projects/proj/s2.jsonl",
                             Assistant("m9", "s2", "2025-03-11T08:00:00.000Z", 1, 1) + "\n");
  ASSERT_EQ(fx.Run({"scan"}).exit_code, 0);
  auto after = stamps();
  EXPECT_EQ(after["2025-03-10"], before["2025-03-10"]);
  EXPECT_GT(after["2025-03-11"].second, before["2025-03-11"].second);
  EXPECT_EQ(after["2025-03-11"].first, before["2025-03-11"].first + 2 + 107);
}

// A unique string planted in prompt text, project and file paths, session ids, message
// ids, request ids, uuids and cwd must not reach any file lq writes.
TEST(UsageCli, PrivacyCanaryNeverReachesLqHome) {
  UsageFixture fx;
  const std::string canary = "CANARY7f3a9qZ";
  std::string session = "sess-" + canary;
  std::string dirname = fx.home + "/.claude/projects/-home-dev-" + canary;
  auto a = [&](const std::string& n, const std::string& ts) {
    std::string l = Assistant("msg_" + canary + n, session, ts, 100, 10, "claude-sonnet-4-20250514",
                              "answer about " + canary);
    size_t p = l.find("/home/dev/project");
    return l.replace(p, 17, "/home/dev/" + canary);
  };
  WriteFile(dirname + "/" + session + ".jsonl",
            usage::testutil::JoinLines({Prompt("uuid-" + canary, session, "2025-03-10T09:00:00.000Z",
                                               "secret prompt " + canary),
                                        a("1", "2025-03-10T09:00:01.000Z"), a("2", "2025-03-11T09:00:01.000Z"),
                                        "{\"broken\": \"" + canary}));
  WriteFile(fx.home + "/.codex/sessions/2025/03/10/rollout-" + canary + ".jsonl",
            "{\"timestamp\":\"2025-03-10T10:00:00.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"user_message\","
            "\"message\":\"" + canary + "\"}}\n"
            "{\"timestamp\":\"2025-03-10T10:00:01.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\","
            "\"info\":{\"last_token_usage\":{\"input_tokens\":3,\"output_tokens\":1}}}}\n");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"scan"}, {"daily", "--json"}, {"monthly", "--by-model"}, {"weekly", "--timezone", "Asia/Tokyo"}, {}}) {
    auto r = fx.Run(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find(canary), std::string::npos);
  }
  // Appending goes through the incremental path too.
  std::ofstream(dirname + "/" + session + ".jsonl", std::ios::app) << a("3", "2025-03-12T09:00:01.000Z") << "\n";
  ASSERT_EQ(fx.Run({"scan"}).exit_code, 0);
  auto json_rows = json::parse(fx.Run({"daily", "--json"}).out);
  EXPECT_EQ(json_rows.size(), 3u);
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fx.lq_home)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::string content = lq::testing::ReadFileOrDie(entry.path().string());
    EXPECT_EQ(content.find(canary), std::string::npos) << entry.path();
    EXPECT_EQ(content.find("secret prompt"), std::string::npos) << entry.path();
    EXPECT_EQ(content.find("/home/dev"), std::string::npos) << entry.path();
  }
  EXPECT_GE(files, 3);  // device.yaml, usage-cache.bin, usage.duckdb
}

// CLAUDE_CONFIG_DIR and CODEX_HOME that name nothing: the message names them, not the
// default folders.
TEST(UsageCli, NoLogsMessageNamesTheConfiguredFolders) {
  UsageFixture fx;
  auto r = fx.Run({"daily"}, {{"CLAUDE_CONFIG_DIR", "/nonexistent"}, {"CODEX_HOME", fx.dir / "codex"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("found in /nonexistent/projects, " + fx.dir / "codex/sessions, " + fx.dir /
                       "codex/archived_sessions;"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find(".claude"), std::string::npos) << r.out;
  auto scan = fx.Run({"scan"}, {{"CLAUDE_CONFIG_DIR", "/nonexistent"}});
  EXPECT_EQ(scan.exit_code, 0);
  EXPECT_NE(scan.err.find("/nonexistent/projects"), std::string::npos) << scan.err;
}

TEST(UsageCli, APeriodWithoutUsageSaysSo) {
  UsageFixture fx;
  fx.Basic();
  auto r = fx.Run({"daily", "--since", "2025-01-01", "--until", "2025-01-31"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "No usage from 2025-01-01 to 2025-01-31 in 2 log files.\n");
  EXPECT_EQ(fx.Run({"daily", "--since", "2025-01-01", "--until", "2025-01-31", "--json"}).out, "[]\n");
  auto codex = fx.Run({"monthly", "--agent", "codex", "--until", "2025-02-28"});
  EXPECT_EQ(codex.out, "No codex usage until 2025-02-28 in 2 log files.\n");
}

TEST(UsageCli, DatesThatCannotHaveUsageAreUsageErrors) {
  UsageFixture fx;
  fx.Basic();
  for (const auto& args : std::vector<std::vector<std::string>>{{"--since", "2099-01-01"},
                                                                {"daily", "--since", "2099-01-01"},
                                                                {"--until", "2099-01-01"},
                                                                {"--since", "2025-02-01", "--until", "2025-01-01"},
                                                                {"daily", "--since", "2025-02-30"},
                                                                {"weekly", "--until", "tomorrow"},
                                                                {"-z", "Not/AZone"},
                                                                {"daily", "-z", "../../etc/passwd"}}) {
    auto r = fx.Run(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args.back() << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("lq: error: ", 0), 0u) << r.err;
    EXPECT_EQ(r.out, "");
  }
  auto future = fx.Run({"daily", "--since", "2099-01-01"});
  EXPECT_NE(future.err.find("--since 2099-01-01 is after today"), std::string::npos) << future.err;
}

int64_t DbTotal(const std::string& db_path) {
  auto db = store::Database::Open(db_path, {.read_only = true});
  if (!db.ok()) return -1;
  auto conn = store::Connection::Open(**db);
  auto r = conn->Query("SELECT sum(total_tokens)::BIGINT FROM daily_usage");
  return r.ok() ? r->GetInt64(0, 0) : -1;
}

std::vector<std::string> CorruptCopies(const std::string& lq_home) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(lq_home)) {
    if (e.path().filename().string().rfind("usage.duckdb.corrupt-", 0) == 0) found.push_back(e.path().string());
  }
  return found;
}

// usage.duckdb overwritten with garbage: moved aside and rebuilt, even when no log
// changed (the cache alone says the database is current), with the same totals.
TEST(UsageCli, CorruptDatabaseIsMovedAsideAndRebuilt) {
  UsageFixture fx;
  fx.Basic();
  ASSERT_EQ(fx.Run({"scan"}).exit_code, 0);
  std::string db_path = fx.lq_home + "/usage.duckdb";
  int64_t before = DbTotal(db_path);
  ASSERT_EQ(before, 1187 + 330 + 15 + 107);
  std::string garbage(70000, 'x');
  lq::testing::WriteFileOrDie(db_path, garbage);

  auto r = fx.Run({"scan"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("lq: warning: usage.duckdb was not a readable database; moved it to " + db_path +
                            ".corrupt-",
                        0),
            0u)
      << r.err;
  EXPECT_NE(r.out.find("usage.duckdb updated."), std::string::npos) << r.out;
  EXPECT_EQ(DbTotal(db_path), before);
  auto copies = CorruptCopies(fx.lq_home);
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(lq::testing::ReadFileOrDie(copies[0]), garbage);  // kept, for whoever wants to look
  auto again = fx.Run({"scan"});
  EXPECT_EQ(again.err, "");
  EXPECT_NE(again.out.find("already up to date"), std::string::npos);

  // A report rebuilds it the same way, and its numbers stay right.
  lq::testing::WriteFileOrDie(db_path, garbage);
  auto daily = fx.Run({"daily", "--json"});
  ASSERT_EQ(daily.exit_code, 0) << daily.err;
  EXPECT_NE(daily.err.find("rebuilt it"), std::string::npos) << daily.err;
  EXPECT_EQ(json::parse(daily.out).size(), 2u);
  EXPECT_EQ(DbTotal(db_path), before);

  // Cache unreadable too: the logs are read again and the database rebuilt from them.
  lq::testing::WriteFileOrDie(db_path, garbage);
  lq::testing::WriteFileOrDie(fx.lq_home + "/usage-cache.bin", garbage);
  auto both = fx.Run({"scan"});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_NE(both.err.find("rebuilt it"), std::string::npos) << both.err;
  EXPECT_EQ(DbTotal(db_path), before);
  EXPECT_EQ(CorruptCopies(fx.lq_home).size(), 3u);
}

// A database path lq cannot use or replace (here a directory) with an unusable cache:
// `lq usage scan` fails with one line and exit 1, never "already up to date".
TEST(UsageCli, DatabaseThatCannotBeWrittenFailsTheScan) {
  UsageFixture fx;
  fx.Basic();
  fs::create_directories(fx.lq_home + "/usage.duckdb/garbage");
  lq::testing::WriteFileOrDie(fx.lq_home + "/usage-cache.bin", std::string(5000, '\xff'));
  auto r = fx.Run({"scan"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("lq: error: usage.duckdb: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("away and run 'lq usage scan' again"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("up to date"), std::string::npos) << r.out;
  EXPECT_TRUE(CorruptCopies(fx.lq_home).empty());
  EXPECT_EQ(fx.Run({"scan", "--json"}).exit_code, 1);
  // Reports still print the numbers, from the logs, with a warning.
  auto daily = fx.Run({"daily", "--json"});
  EXPECT_EQ(daily.exit_code, 0) << daily.err;
  EXPECT_EQ(json::parse(daily.out).size(), 2u);
  EXPECT_NE(daily.err.find("the database was not updated"), std::string::npos) << daily.err;
}

}  // namespace
}  // namespace lq::cli

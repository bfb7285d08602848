// lq usage keeps history (issue 11): Claude Code deletes sessions older than
// cleanupPeriodDays, and the days they held must stay in usage.duckdb and in reports;
// only --rebuild recomputes from the logs that exist now, and says so on stderr.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "store/database.h"
#include "testing/temp_dir.h"
#include "usage/usage_test_util.h"

namespace lq::cli {
namespace {

namespace fs = std::filesystem;
using lq::testing::RunLq;
using nlohmann::json;
using nlohmann::ordered_json;

std::string Assistant(const std::string& mid, const std::string& session, const std::string& ts, uint64_t in) {
  ordered_json j;
  j["isSidechain"] = false;
  j["sessionId"] = session;
  j["version"] = "1.0.80";
  j["message"] = {{"id", mid},
                  {"role", "assistant"},
                  {"model", "claude-sonnet-4-20250514"},
                  {"usage", {{"input_tokens", in}, {"cache_read_input_tokens", 100}, {"output_tokens", 5}}}};
  j["requestId"] = "req_" + mid;
  j["type"] = "assistant";
  j["uuid"] = "uuid-" + mid;
  j["timestamp"] = ts;
  return j.dump();
}

struct HistoryFixture {
  lq::testing::TempDir dir;
  std::string home = dir / "home";
  std::string lq_home = dir / "lq";
  std::vector<std::string> files;

  lq::testing::CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), "usage");
    return RunLq(args, dir.path(),
                 {{"HOME", home}, {"LQ_HOME", lq_home}, {"TZ", "UTC"}, {"NO_COLOR", "1"},
                  {"CLAUDE_CONFIG_DIR", "\x01unset"}, {"CODEX_HOME", "\x01unset"}, {"XDG_CONFIG_HOME", "\x01unset"}});
  }
  // Ten sessions on ten days of March 2025.
  void Corpus() {
    for (int i = 0; i < 10; ++i) {
      char ts[32];
      std::snprintf(ts, sizeof ts, "2025-03-%02dT10:00:00.000Z", 1 + i);
      std::string n = std::to_string(i);
      std::string path = home + "/.claude/projects/p/s" + n + ".jsonl";
      usage::testutil::WriteFile(path, Assistant("m" + n, "s" + n, ts, 1000 + static_cast<uint64_t>(i)) + "\n");
      files.push_back(path);
    }
  }
  // date -> total_tokens of this device's rows in usage.duckdb.
  std::map<std::string, int64_t> DbDays() {
    std::map<std::string, int64_t> m;
    auto db = store::Database::Open(lq_home + "/usage.duckdb", {.read_only = true});
    if (!db.ok()) return m;
    auto conn = store::Connection::Open(**db);
    auto r = conn->Query("SELECT strftime(date, '%Y-%m-%d'), total_tokens FROM daily_usage ORDER BY date");
    for (size_t i = 0; r.ok() && i < r->row_count(); ++i) m[r->GetString(0, i)] = r->GetInt64(1, i);
    return m;
  }
};

TEST(UsageHistoryCli, DeletedSessionsStayCountedUntilRebuild) {
  HistoryFixture fx;
  fx.Corpus();
  auto first = fx.Run({"daily", "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto before = fx.DbDays();
  ASSERT_EQ(before.size(), 10u);

  // Claude Code's cleanup deletes half the sessions: nothing is lost.
  for (size_t i = 0; i < fx.files.size(); i += 2) fs::remove(fx.files[i]);
  auto scan = fx.Run({"scan", "--json"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  json s = json::parse(scan.out);
  EXPECT_EQ(s["files"], 5);
  EXPECT_EQ(s["files_removed"], 5);
  EXPECT_EQ(s["files_vanished"], 5);
  EXPECT_EQ(fx.DbDays(), before);
  auto report = fx.Run({"daily", "--json"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(json::parse(report.out), json::parse(first.out));
  auto rescan = fx.Run({"scan", "--rescan"});  // rereads the logs, keeps the history
  ASSERT_EQ(rescan.exit_code, 0) << rescan.err;
  EXPECT_NE(rescan.out.find("Kept the usage of 5 deleted log files"), std::string::npos) << rescan.out;
  EXPECT_EQ(fx.DbDays(), before);

  // --rebuild recomputes from what exists now, and warns that history goes.
  auto rebuild = fx.Run({"daily", "--json", "--rebuild"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  EXPECT_NE(rebuild.err.find("lq: warning: --rebuild: recomputing usage from the logs that exist now"),
            std::string::npos)
      << rebuild.err;
  EXPECT_EQ(json::parse(rebuild.out).size(), 5u);
  auto after = fx.DbDays();
  ASSERT_EQ(after.size(), 5u);
  for (const auto& [day, total] : after) EXPECT_EQ(before[day], total) << day;
  EXPECT_EQ(after.count("2025-03-01"), 0u);  // s0, deleted

  auto help = fx.Run({"--help"});
  EXPECT_NE(help.out.find("--rebuild"), std::string::npos);
}

}  // namespace
}  // namespace lq::cli

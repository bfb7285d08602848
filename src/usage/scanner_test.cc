// The scanner: incremental runs equal full rescans (a randomized property test), tails,
// appends, truncation, deletion, symlinks, a broken cache, prompt and session counts.
#include "usage/scanner.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "usage/usage_test_util.h"

namespace lq::usage {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;
using testutil::WriteFile;

std::string ClaudeLine(const std::string& mid, const std::string& rid, const std::string& session,
                       const std::string& ts, uint64_t in, uint64_t out, bool side = false,
                       const std::string& model = "claude-sonnet-4-20250514") {
  ordered_json j;
  j["parentUuid"] = nullptr;
  j["isSidechain"] = side;
  j["sessionId"] = session;
  j["version"] = "1.0.80";
  j["message"] = {{"id", mid},
                  {"role", "assistant"},
                  {"model", model},
                  {"content", ordered_json::array({{{"type", "text"}, {"text", "ok"}}})},
                  {"usage", {{"input_tokens", in}, {"cache_read_input_tokens", in * 3}, {"output_tokens", out}}}};
  j["requestId"] = rid;
  j["type"] = "assistant";
  j["uuid"] = "u-" + mid;
  j["timestamp"] = ts;
  return j.dump();
}

std::string UserLine(const std::string& uuid, const std::string& session, const std::string& ts,
                     const ordered_json& content, const std::function<void(ordered_json&)>& edit = nullptr) {
  ordered_json j;
  j["parentUuid"] = nullptr;
  j["isSidechain"] = false;
  j["userType"] = "external";
  j["cwd"] = "/home/dev/p";
  j["sessionId"] = session;
  j["version"] = "1.0.80";
  j["type"] = "user";
  j["message"] = {{"role", "user"}, {"content", content}};
  j["uuid"] = uuid;
  j["timestamp"] = ts;
  if (edit) edit(j);
  return j.dump();
}

std::string CodexLine(const std::string& ts, uint64_t in, uint64_t cached, uint64_t out) {
  ordered_json j;
  j["timestamp"] = ts;
  j["type"] = "event_msg";
  j["payload"] = {{"type", "token_count"},
                  {"info",
                   {{"last_token_usage",
                     {{"input_tokens", in}, {"cached_input_tokens", cached}, {"output_tokens", out}, {"total_tokens", in + out}}}}}};
  return j.dump();
}

// Compares aggregates by value (model names, not indexes).
::testing::AssertionResult SameAggregates(const Aggregates& a, const Aggregates& b) {
  if (a.model_days.size() != b.model_days.size()) {
    return ::testing::AssertionFailure() << "model_days " << a.model_days.size() << " vs " << b.model_days.size();
  }
  for (size_t i = 0; i < a.model_days.size(); ++i) {
    const auto &x = a.model_days[i], &y = b.model_days[i];
    if (x.day != y.day || x.agent != y.agent || a.models[x.model] != b.models[y.model] || !(x.tokens == y.tokens)) {
      return ::testing::AssertionFailure() << "model_days[" << i << "] differ: day " << x.day << "/" << y.day
                                           << " total " << x.tokens.total << "/" << y.tokens.total << " responses "
                                           << x.tokens.responses << "/" << y.tokens.responses;
    }
  }
  if (a.agent_days.size() != b.agent_days.size()) return ::testing::AssertionFailure() << "agent_days size";
  for (size_t i = 0; i < a.agent_days.size(); ++i) {
    const auto &x = a.agent_days[i], &y = b.agent_days[i];
    if (x.day != y.day || x.agent != y.agent || x.prompts != y.prompts || x.sessions.size() != y.sessions.size()) {
      return ::testing::AssertionFailure() << "agent_days[" << i << "] differ";
    }
  }
  return ::testing::AssertionSuccess();
}

struct Fixture {
  lq::testing::TempDir dir;
  std::string home = dir / "home";
  std::string lq_home = dir / "lq";
  testutil::OverlayEnv env{testutil::HomeVars(dir / "home")};

  Result<ScanResult> Scan(bool full = false, const std::string& lq = "", bool rebuild = false) {
    ScanOptions opt;
    opt.lq_home = lq.empty() ? lq_home : lq;
    opt.full_rescan = full;
    opt.rebuild = rebuild;
    Scanner s(&env, opt);
    auto r = s.Scan();
    if (r.ok()) {
      EXPECT_TRUE(s.Commit(false).ok());
    }
    return r;
  }
  std::string Claude(const std::string& rel) { return home + "/.claude/projects/" + rel; }
  std::string Codex(const std::string& rel) { return home + "/.codex/sessions/" + rel; }
};

void Append(const std::string& path, const std::string& data) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream f(path, std::ios::app | std::ios::binary);
  f << data;
}

TEST(UsageScanner, IncrementalEqualsFullRescanUnderRandomChanges) {
  for (int seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Fixture fx;
    std::mt19937 rng(static_cast<unsigned>(seed));
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    std::vector<std::string> files;
    std::map<std::string, std::string> pending;  // the rest of a half-written last line
    // Deleted files at their old paths: the reference scan reads them too, as their usage
    // stays counted (history).
    const std::string grave = fx.dir / "grave";
    int counter = 0;
    auto random_line = [&](const std::string& path) {
      ++counter;
      std::string ts = "2025-03-" + std::to_string(10 + pick(3)) + "T" + std::to_string(10 + pick(12)) + ":00:00.000Z";
      if (path.find("/.codex/") != std::string::npos) return CodexLine(ts, 100 + pick(50), pick(80), 1 + pick(9));
      if (pick(5) == 0) {
        return UserLine("uu" + std::to_string(pick(6)), "S" + std::to_string(pick(3)), ts, "prompt " + std::to_string(counter));
      }
      // Few ids, so duplicates across files and streaming copies happen often.
      std::string mid = "msg_" + std::to_string(pick(12));
      return ClaudeLine(mid, "req_" + mid, "S" + std::to_string(pick(3)), ts, 10 + pick(100), pick(30), pick(4) == 0);
    };
    for (int step = 0; step < 40; ++step) {
      int op = pick(10);
      if (files.empty() || op < 2) {  // new file
        // New files sort after every earlier one (deleted or not), as the reference needs:
        // it places deleted files by path, the scanner after the file that preceded them.
        char n[8];
        std::snprintf(n, sizeof n, "%03d", step);
        std::string path = pick(3) == 0 ? fx.Codex("2025/03/10/rollout-" + std::string(n) + ".jsonl")
                                        : fx.Claude(std::string(n) + "p" + std::to_string(pick(2)) + "/s.jsonl");
        std::string data;
        for (int i = pick(5); i >= 0; --i) data += random_line(path) + "\n";
        WriteFile(path, data);
        files.push_back(path);
      } else if (op < 6) {  // append, sometimes ending in a half-written line
        const std::string& path = files[static_cast<size_t>(pick(static_cast<int>(files.size())))];
        std::string data = pending[path];
        pending.erase(path);
        if (!data.empty()) data += "\n";
        for (int i = pick(3); i >= 0; --i) data += random_line(path) + "\n";
        if (pick(3) == 0) {
          std::string l = random_line(path);
          size_t cut = static_cast<size_t>(pick(static_cast<int>(l.size())));
          data += l.substr(0, cut);
          pending[path] = l.substr(cut);
        }
        Append(path, data);
      } else if (op < 7) {  // delete
        size_t k = static_cast<size_t>(pick(static_cast<int>(files.size())));
        fs::path keep = fs::path(grave) / fs::relative(files[k], fx.home);
        fs::create_directories(keep.parent_path());
        fs::copy_file(files[k], keep);
        fs::remove(files[k]);
        pending.erase(files[k]);
        files.erase(files.begin() + static_cast<long>(k));
      } else if (op < 8) {  // truncate to a shorter prefix (a rewrite)
        const std::string& path = files[static_cast<size_t>(pick(static_cast<int>(files.size())))];
        auto size = fs::file_size(path);
        fs::resize_file(path, size / 2);
        pending.erase(path);
      } else if (op < 9) {  // replace with different content of any size
        const std::string& path = files[static_cast<size_t>(pick(static_cast<int>(files.size())))];
        std::string data;
        for (int i = pick(4); i >= 0; --i) data += random_line(path) + "\n";
        WriteFile(path, data);
        pending.erase(path);
      }  // else: no change at all
      auto inc = fx.Scan();
      ASSERT_TRUE(inc.ok()) << inc.status().ToString();
      // The reference: a fresh scan of the live files plus the deleted ones.
      const fs::path ref = fx.dir / "ref";
      fs::remove_all(ref);
      fs::copy(fx.home, ref, fs::copy_options::recursive);
      if (fs::exists(grave)) fs::copy(grave, ref, fs::copy_options::recursive);
      testutil::OverlayEnv ref_env(testutil::HomeVars(ref));
      ScanOptions ref_opt;
      ref_opt.lq_home = fx.dir / "fresh";
      ref_opt.rebuild = true;
      Scanner ref_scanner(&ref_env, ref_opt);
      auto full = ref_scanner.Scan();
      ASSERT_TRUE(full.ok());
      ASSERT_TRUE(SameAggregates(inc->local, full->local)) << "after step " << step << " (op " << op << ")";
      fs::remove_all(fx.dir / "fresh");
    }
    // --rescan reads every existing log again and keeps the history.
    auto inc = fx.Scan();
    auto rescan = fx.Scan(true);
    ASSERT_TRUE(inc.ok() && rescan.ok());
    EXPECT_TRUE(SameAggregates(inc->local, rescan->local));
  }
}

TEST(UsageScanner, SecondRunReadsNothingAndAppendReadsOnlyNewBytes) {
  Fixture fx;
  std::string a = fx.Claude("p/s1.jsonl");
  WriteFile(a, ClaudeLine("m1", "r1", "S", "2025-03-10T10:00:00.000Z", 100, 10) + "\n");
  WriteFile(fx.Claude("p/s2.jsonl"), ClaudeLine("m2", "r2", "S", "2025-03-10T10:00:00.000Z", 100, 10) + "\n");
  auto first = fx.Scan();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->stats.files_read, 2u);
  auto second = fx.Scan();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->stats.files_read, 0u);
  EXPECT_EQ(second->stats.bytes_read, 0u);
  EXPECT_FALSE(second->stats.changed);
  EXPECT_TRUE(SameAggregates(first->local, second->local));

  std::string more = ClaudeLine("m3", "r3", "S", "2025-03-11T10:00:00.000Z", 7, 1) + "\n";
  Append(a, more);
  auto third = fx.Scan();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->stats.files_appended, 1u);
  EXPECT_EQ(third->stats.files_read, 0u);
  EXPECT_EQ(third->stats.bytes_read, more.size());
  EXPECT_EQ(third->stats.responses, 3u);
}

TEST(UsageScanner, UnterminatedLastLineCountsOnceWhenComplete) {
  Fixture fx;
  std::string a = fx.Claude("p/s1.jsonl");
  std::string line = ClaudeLine("m1", "r1", "S", "2025-03-10T10:00:00.000Z", 100, 10);
  WriteFile(a, line.substr(0, 40));
  auto r1 = fx.Scan();
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->stats.responses, 0u);
  EXPECT_EQ(r1->warnings.Get(WarningKind::kMalformedLine), 0u) << "a line being written is not malformed";
  Append(a, line.substr(40));  // complete JSON, still without '\n' (ccusage counts it)
  auto r2 = fx.Scan();
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->stats.responses, 1u);
  Append(a, "\n");
  auto r3 = fx.Scan();
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ(r3->stats.responses, 1u);
  Append(a, ClaudeLine("m2", "r2", "S", "2025-03-10T10:00:00.000Z", 1, 1) + "\n");
  auto r4 = fx.Scan();
  ASSERT_TRUE(r4.ok());
  EXPECT_EQ(r4->stats.responses, 2u);
  EXPECT_EQ(r4->stats.files_appended, 1u);
}

TEST(UsageScanner, TruncatedAndDeletedFiles) {
  Fixture fx;
  std::string a = fx.Claude("p/s1.jsonl"), b = fx.Claude("p/s2.jsonl");
  WriteFile(a, ClaudeLine("m1", "r1", "S", "2025-03-10T10:00:00.000Z", 100, 10) + "\n" +
                   ClaudeLine("m2", "r2", "S", "2025-03-10T10:00:00.000Z", 100, 10) + "\n");
  WriteFile(b, ClaudeLine("m3", "r3", "T", "2025-03-10T10:00:00.000Z", 5, 5) + "\n");
  ASSERT_EQ(fx.Scan()->stats.responses, 3u);
  WriteFile(a, ClaudeLine("m9", "r9", "S", "2025-03-12T10:00:00.000Z", 1, 1) + "\n");  // rewritten, shorter
  auto r = fx.Scan();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stats.files_read, 1u);
  EXPECT_EQ(r->stats.responses, 2u);
  fs::remove(b);
  r = fx.Scan();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stats.files_removed, 1u);
  EXPECT_EQ(r->stats.files_vanished, 1u);
  EXPECT_EQ(r->stats.responses, 2u) << "a deleted file's usage stays counted";
  r = fx.Scan(false, "", true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stats.files_vanished, 0u);
  EXPECT_EQ(r->stats.responses, 1u) << "a rebuild drops it";
}

TEST(UsageScanner, SymlinksAreNotFollowedAndLoopsAreCounted) {
  Fixture fx;
  WriteFile(fx.dir / "outside/x.jsonl", ClaudeLine("m1", "r1", "S", "2025-03-10T10:00:00.000Z", 100, 10) + "\n");
  fs::create_directories(fx.Claude("p"));
  fs::create_symlink(fx.dir / "outside/x.jsonl", fx.Claude("p/link.jsonl"));
  fs::create_directory_symlink(fx.dir / "outside", fx.Claude("linked"));
  fs::create_directory_symlink(fx.Claude(""), fx.Claude("p/loop"));
  fs::create_symlink(fx.Claude("p/self.jsonl"), fx.Claude("p/self.jsonl"));
  auto r = fx.Scan();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stats.responses, 0u);
  EXPECT_EQ(r->warnings.Get(WarningKind::kSymlinkSkipped), 2u);
  EXPECT_EQ(r->warnings.Get(WarningKind::kSymlinkLoop), 2u);
  EXPECT_EQ(r->discovery_warnings.size(), 4u);
}

TEST(UsageScanner, BrokenCacheIsRebuilt) {
  Fixture fx;
  WriteFile(fx.Claude("p/s1.jsonl"), ClaudeLine("m1", "r1", "S", "2025-03-10T10:00:00.000Z", 100, 10) + "\n");
  ASSERT_TRUE(fx.Scan().ok());
  std::string cache = fx.lq_home + "/usage-cache.bin";
  auto size = fs::file_size(cache);
  fs::resize_file(cache, size / 2);
  auto r = fx.Scan();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stats.responses, 1u);
  EXPECT_EQ(r->stats.files_read, 1u);
  WriteFile(cache, "garbage");
  r = fx.Scan();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stats.responses, 1u);
}

TEST(UsageScanner, MalformedLinesAreCountedPerFile) {
  Fixture fx;
  std::string good = ClaudeLine("m1", "r1", "S", "2025-03-10T10:00:00.000Z", 100, 10);
  std::string bad_utf8 = good;
  bad_utf8.replace(bad_utf8.find("ok"), 2, "\xc3\x28");
  // Only lines holding the usage marker are examined (as ccusage): cut after it.
  WriteFile(fx.Claude("p/s1.jsonl"), good.substr(0, good.find("output_tokens")) + "\n" + bad_utf8 + "\n" + good + "\n");
  auto r = fx.Scan();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stats.responses, 1u);
  EXPECT_EQ(r->warnings.Get(WarningKind::kMalformedLine), 2u);
  ASSERT_EQ(r->file_warnings.size(), 1u);
  EXPECT_EQ(r->file_warnings[0].path, fx.Claude("p/s1.jsonl"));
  auto again = fx.Scan();  // counts survive in the cache
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->warnings.Get(WarningKind::kMalformedLine), 2u);
}

TEST(UsageScanner, PromptsSessionsAndResponses) {
  Fixture fx;
  const std::string day = "2025-03-10T09:00:00.000Z";
  std::vector<std::string> a = {
      UserLine("u1", "S1", day, "fix the flaky test"),                                           // a prompt
      UserLine("u2", "S1", day, ordered_json::array({{{"type", "text"}, {"text", "and this"}}, {{"type", "image"}}})),
      UserLine("u3", "S1", day, ordered_json::array({{{"tool_use_id", "t1"}, {"type", "tool_result"}, {"content", "x"}}})),
      UserLine("u4", "S1", day, "<command-name>/clear</command-name>"),
      UserLine("u5", "S1", day, "Caveat: The messages below were generated", [](ordered_json& j) { j["isMeta"] = true; }),
      UserLine("u6", "S1", day, "summary", [](ordered_json& j) { j["isCompactSummary"] = true; }),
      UserLine("u7", "S1", day, "subagent task", [](ordered_json& j) { j["isSidechain"] = true; }),
      UserLine("u8", "S1", day, "[Request interrupted by user]"),
      ClaudeLine("m1", "r1", "S1", day, 10, 1),
      ClaudeLine("m1", "r1", "S1", day, 10, 5),  // a streamed copy: one response
  };
  WriteFile(fx.Claude("p/S1.jsonl"), testutil::JoinLines(a));
  // A resumed session copies u1 and m1 into a new session and adds its own.
  WriteFile(fx.Claude("p/S2.jsonl"), testutil::JoinLines({UserLine("u1", "S2", day, "fix the flaky test"),
                                                         ClaudeLine("m1", "r1", "S2", day, 10, 5),
                                                         UserLine("u9", "S2", "2025-03-11T09:00:00.000Z", "next")}));
  WriteFile(fx.Codex("2025/03/10/rollout-x.jsonl"),
            testutil::JoinLines({CodexLine("2025-03-10T10:00:00.000Z", 100, 50, 5),
                                 "{\"timestamp\":\"2025-03-10T09:59:00.000Z\",\"type\":\"event_msg\",\"payload\":{"
                                 "\"type\":\"user_message\",\"message\":\"add tests\",\"kind\":\"plain\"}}"}));
  ScanOptions opt;
  opt.lq_home = fx.lq_home;
  Scanner s(&fx.env, opt);
  auto r = s.Scan();
  ASSERT_TRUE(r.ok());
  auto agg = s.AggregateIn(TimeZone::Utc());
  ASSERT_TRUE(agg.ok());
  ReportOptions o;
  auto rows = BuildReport(*agg, o);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].key, "2025-03-10");
  EXPECT_EQ(rows[0].prompts, 3u);    // u1, u2 (Claude) + the Codex user_message
  EXPECT_EQ(rows[0].sessions, 2u);   // S1 (S2's copies dedupe to S1) + the Codex rollout
  EXPECT_EQ(rows[0].tokens.responses, 2u);
  EXPECT_EQ(rows[1].key, "2025-03-11");
  EXPECT_EQ(rows[1].prompts, 1u);
  EXPECT_EQ(rows[1].sessions, 1u);
  EXPECT_EQ(rows[1].tokens.responses, 0u);
  o.agent = Agent::kCodex;
  rows = BuildReport(*agg, o);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].tokens.input, 50u);
  EXPECT_EQ(rows[0].tokens.cache_read, 50u);
}

// History: Claude Code deletes sessions older than cleanupPeriodDays; their usage must
// stay counted (issue 11), and deduplication must still hold.

uint64_t Responses(const Aggregates& agg) {
  uint64_t n = 0;
  for (const auto& md : agg.model_days) n += md.tokens.responses;
  return n;
}

TEST(UsageHistory, DeletingHalfTheSessionsKeepsDailyTotals) {
  Fixture fx;
  std::vector<std::string> files;
  for (int i = 0; i < 40; ++i) {
    char ts[40];
    std::snprintf(ts, sizeof ts, "2025-%02d-%02dT10:00:00.000Z", 3 + i / 20, 1 + i % 20);
    std::string n = std::to_string(i);
    std::string path = i % 4 == 3 ? fx.Codex("2025/03/01/rollout-" + n + ".jsonl") : fx.Claude("p/s" + n + ".jsonl");
    std::string data = i % 4 == 3 ? CodexLine(ts, 100 + i, 10, 5) + "\n"
                                  : UserLine("u" + n, "S" + n, ts, "prompt") + "\n" +
                                        ClaudeLine("m" + n, "r" + n, "S" + n, ts, 10 + i, 3) + "\n";
    WriteFile(path, data);
    files.push_back(path);
  }
  auto before = fx.Scan();
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->local.agent_days.size(), 40u);
  for (size_t i = 0; i < files.size(); i += 2) fs::remove(files[i]);
  auto after = fx.Scan();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->stats.files_removed, 20u);
  EXPECT_EQ(after->stats.files_vanished, 20u);
  EXPECT_TRUE(SameAggregates(before->local, after->local));
  auto again = fx.Scan();  // the no-op path serves the same history
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->stats.changed);
  EXPECT_TRUE(SameAggregates(before->local, again->local));
  auto rebuilt = fx.Scan(false, "", true);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(rebuilt->local.agent_days.size(), 20u) << "a rebuild keeps only the days of existing logs";
}

TEST(UsageHistory, DeletedFileWhoseResponsesAResumedSessionCopiedCountsOnce) {
  Fixture fx;
  const std::string day = "2025-03-10T09:00:00.000Z";
  std::string a = fx.Claude("p/S1.jsonl"), b = fx.Claude("p/S2.jsonl");
  WriteFile(a, testutil::JoinLines({UserLine("u1", "S1", day, "go"), ClaudeLine("m1", "r1", "S1", day, 10, 1),
                                    ClaudeLine("m2", "r2", "S1", day, 20, 2)}));
  // The resumed session copies S1's lines and adds its own.
  WriteFile(b, testutil::JoinLines({UserLine("u1", "S2", day, "go"), ClaudeLine("m1", "r1", "S2", day, 10, 1),
                                    ClaudeLine("m2", "r2", "S2", day, 20, 2),
                                    ClaudeLine("m3", "r3", "S2", day, 5, 5)}));
  auto first = fx.Scan();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->stats.responses, 3u);
  fs::remove(a);
  auto second = fx.Scan();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->stats.responses, 3u);
  EXPECT_TRUE(SameAggregates(first->local, second->local));
  // Both gone, then a session resumed from the deleted ones appears: still once each.
  fs::remove(b);
  WriteFile(fx.Claude("p/S3.jsonl"),
            testutil::JoinLines({UserLine("u1", "S3", day, "go"), ClaudeLine("m1", "r1", "S3", day, 10, 1),
                                 ClaudeLine("m3", "r3", "S3", day, 5, 5), ClaudeLine("m4", "r4", "S3", day, 1, 1)}));
  auto third = fx.Scan();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->stats.files_vanished, 2u);
  EXPECT_EQ(third->stats.responses, 4u);
  ASSERT_EQ(third->local.agent_days.size(), 1u);
  EXPECT_EQ(third->local.agent_days[0].prompts, 1u);
}

TEST(UsageHistory, DeletedFileThatReappearsCountsOnce) {
  Fixture fx;
  const std::string day = "2025-03-10T09:00:00.000Z";
  std::string a = fx.Claude("p/s1.jsonl");
  std::string a_data =
      testutil::JoinLines({ClaudeLine("m1", "r1", "S", day, 100, 10), ClaudeLine("m2", "r2", "S", day, 7, 1)});
  WriteFile(a, a_data);
  WriteFile(fx.Claude("p/s2.jsonl"), ClaudeLine("m3", "r3", "T", day, 5, 5) + "\n");
  auto first = fx.Scan();
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->stats.responses, 3u);
  fs::remove(a);
  ASSERT_EQ(fx.Scan()->stats.responses, 3u);
  WriteFile(a, a_data);  // restored from a backup, at the same path
  auto back = fx.Scan();
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->stats.changed);
  EXPECT_EQ(back->stats.files_vanished, 0u);
  EXPECT_TRUE(SameAggregates(first->local, back->local));
  fs::remove(a);
  ASSERT_EQ(fx.Scan()->stats.responses, 3u);
  WriteFile(fx.Claude("restored/s1.jsonl"), a_data);  // and at another path
  auto elsewhere = fx.Scan();
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_EQ(elsewhere->stats.files_vanished, 1u);
  EXPECT_TRUE(SameAggregates(first->local, elsewhere->local));
}

TEST(UsageHistory, NewLinesAfterADeletionAddOnTop) {
  Fixture fx;
  std::string a = fx.Claude("p/s1.jsonl"), b = fx.Claude("p/s2.jsonl");
  WriteFile(a, ClaudeLine("m1", "r1", "S", "2025-03-10T09:00:00.000Z", 100, 10) + "\n");
  WriteFile(b, ClaudeLine("m2", "r2", "T", "2025-03-11T09:00:00.000Z", 5, 5) + "\n");
  auto first = fx.Scan();
  ASSERT_TRUE(first.ok());
  fs::remove(a);
  ASSERT_TRUE(fx.Scan().ok());
  std::string more = ClaudeLine("m3", "r3", "T", "2025-03-12T09:00:00.000Z", 1, 2) + "\n";
  Append(b, more);
  auto after = fx.Scan();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->stats.files_appended, 1u);
  EXPECT_EQ(after->stats.bytes_read, more.size());
  EXPECT_EQ(Responses(after->local), 3u);
  ASSERT_EQ(after->local.model_days.size(), 3u);
  EXPECT_TRUE(after->local.model_days[0].tokens == first->local.model_days[0].tokens);  // the deleted day
  EXPECT_EQ(after->local.model_days[2].tokens.total, 1u + 3u + 2u);
}

}  // namespace
}  // namespace lq::usage

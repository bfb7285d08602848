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

  Result<ScanResult> Scan(bool full = false, const std::string& lq = "") {
    ScanOptions opt;
    opt.lq_home = lq.empty() ? lq_home : lq;
    opt.full_rescan = full;
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
        std::string path = pick(3) == 0 ? fx.Codex("2025/03/10/rollout-" + std::to_string(step) + ".jsonl")
                                        : fx.Claude("p" + std::to_string(pick(2)) + "/s" + std::to_string(step) + ".jsonl");
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
      auto full = fx.Scan(true, fx.dir / "fresh");
      ASSERT_TRUE(full.ok());
      ASSERT_TRUE(SameAggregates(inc->local, full->local)) << "after step " << step << " (op " << op << ")";
      fs::remove_all(fx.dir / "fresh");
    }
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
  EXPECT_EQ(r->stats.responses, 1u);
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

}  // namespace
}  // namespace lq::usage

// Helpers for the usage tests: an Env with overridden environment variables, fixture
// writers, a runner for the ccusage oracle and for lq's scanner.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/env.h"
#include "testing/temp_dir.h"
#include "usage/aggregate.h"
#include "usage/scanner.h"
#include "usage/timezone.h"

extern char** environ;

namespace lq::usage::testutil {

// Env::Default() with some environment variables replaced (nullopt: unset).
class OverlayEnv : public EnvWrapper {
 public:
  explicit OverlayEnv(std::map<std::string, std::optional<std::string>> vars)
      : EnvWrapper(Env::Default()), vars_(std::move(vars)) {}
  std::optional<std::string> GetEnvVar(const std::string& name) override {
    auto it = vars_.find(name);
    if (it != vars_.end()) return it->second;
    return target()->GetEnvVar(name);
  }

 private:
  std::map<std::string, std::optional<std::string>> vars_;
};

// An environment that points every agent at `home` (a fake home directory).
inline std::map<std::string, std::optional<std::string>> HomeVars(const std::string& home) {
  return {{"HOME", home},
          {"CLAUDE_CONFIG_DIR", std::nullopt},
          {"CODEX_HOME", std::nullopt},
          {"XDG_CONFIG_HOME", std::nullopt}};
}

inline void WriteFile(const std::string& path, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  lq::testing::WriteFileOrDie(path, data);
}

inline std::string JoinLines(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

// Runs argv with the current environment minus `unset` plus `set`; returns stdout, or
// nullopt when it failed.
inline std::optional<std::string> RunCapture(const std::vector<std::string>& argv,
                                             const std::map<std::string, std::string>& set,
                                             const std::vector<std::string>& unset) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) vars[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& u : unset) vars.erase(u);
  for (const auto& [k, v] : set) vars[k] = v;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : vars) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> av;
  for (auto& a : args) av.push_back(a.data());
  av.push_back(nullptr);
  lq::testing::TempDir io;
  std::string out_path = io / "out";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, (io / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid;
  int rc = ::posix_spawn(&pid, av[0], &fa, nullptr, av.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return std::nullopt;
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ADD_FAILURE() << "command failed: " << argv[0] << ": " << lq::testing::ReadFileOrDie(io / "err");
    return std::nullopt;
  }
  return lq::testing::ReadFileOrDie(out_path);
}

// The ccusage binary installed by scripts/install-deps.sh, or "" when absent.
inline std::string CcusagePath() {
  const char* src = std::getenv("LQ_SOURCE_DIR");
  std::string base = src ? src : ".";
  std::string p = base + "/tools/node_modules/.bin/ccusage";
  return ::access(p.c_str(), X_OK) == 0 ? p : "";
}

#define LQ_REQUIRE_CCUSAGE()                                                               \
  do {                                                                                      \
    if (::lq::usage::testutil::CcusagePath().empty()) {                                     \
      GTEST_SKIP() << "ccusage not installed in tools/ (run scripts/install-deps.sh)";     \
    }                                                                                       \
  } while (0)

// One day of token totals, as both tools report them.
struct DayTotals {
  uint64_t input = 0, output = 0, cache_write = 0, cache_read = 0, total = 0;
  bool operator==(const DayTotals&) const = default;
};
using DailyTotals = std::map<std::string, DayTotals>;

inline void PrintTo(const DayTotals& d, std::ostream* os) {
  *os << "{in " << d.input << ", out " << d.output << ", cw " << d.cache_write << ", cr " << d.cache_read
      << ", total " << d.total << "}";
}

// With LQ_TEST_VERBOSE set, prints the totals (to see what an oracle test compared).
inline void MaybeDump(const DailyTotals& d) {
  if (!std::getenv("LQ_TEST_VERBOSE")) return;
  for (const auto& [day, t] : d) {
    std::cerr << "  " << day << " in " << t.input << " out " << t.output << " cw " << t.cache_write << " cr "
              << t.cache_read << " total " << t.total << "\n";
  }
}

// `ccusage <agent> daily --json --offline -z tz` with HOME=home.
inline DailyTotals CcusageDaily(const std::string& home, const std::string& agent, const std::string& tz) {
  auto out = RunCapture({CcusagePath(), agent, "daily", "--json", "--offline", "-z", tz}, {{"HOME", home}},
                        {"CLAUDE_CONFIG_DIR", "CODEX_HOME", "XDG_CONFIG_HOME", "CCUSAGE_CLAUDE_EXTRA_DIRS"});
  DailyTotals d;
  if (!out) return d;
  auto j = nlohmann::json::parse(*out);
  for (const auto& row : j.at("daily")) {
    DayTotals t;
    t.input = row.at("inputTokens").get<uint64_t>();
    t.output = row.at("outputTokens").get<uint64_t>();
    t.cache_write = row.value("cacheCreationTokens", uint64_t{0});
    t.cache_read = row.value("cacheReadTokens", uint64_t{0});
    t.total = row.at("totalTokens").get<uint64_t>();
    d[row.at("date").get<std::string>()] = t;
  }
  return d;
}

// lq's numbers for the same home, agent and zone (a fresh LQ_HOME in `lq_home`).
inline DailyTotals LqDaily(const std::string& home, const std::string& lq_home, Agent agent,
                           const std::string& tz) {
  OverlayEnv env(HomeVars(home));
  ScanOptions opt;
  opt.lq_home = lq_home;
  Scanner scanner(&env, opt);
  auto scan = scanner.Scan();
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  DailyTotals d;
  if (!scan.ok()) return d;
  auto zone = TimeZone::Resolve(&env, tz);
  EXPECT_TRUE(zone.ok());
  auto agg = scanner.AggregateIn(*zone);
  EXPECT_TRUE(agg.ok());
  if (!agg.ok()) return d;
  ReportOptions ro;
  ro.agent = agent;
  for (const ReportRow& row : BuildReport(*agg, ro)) {
    if (row.tokens.responses == 0) continue;
    d[row.key] = {row.tokens.input, row.tokens.output, row.tokens.cache_write, row.tokens.cache_read,
                  row.tokens.total};
  }
  EXPECT_TRUE(scanner.Commit(false).ok());
  return d;
}

}  // namespace lq::usage::testutil

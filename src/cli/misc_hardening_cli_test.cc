// The lq binary where a new user first meets it: hand-edited project names and odd host
// names in store keys, `lq init` inside a project, unknown commands, and the shell
// completion scripts run in real bash, zsh and fish.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/project_identity.h"
#include "testing/temp_dir.h"

namespace lq::cli {
namespace {

using lq::testing::CommandResult;
using lq::testing::ReadFileOrDie;
using lq::testing::RunLq;
using lq::testing::TempDir;
using lq::testing::WriteFileOrDie;
using nlohmann::json;
namespace fs = std::filesystem;

class MiscCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = {{"LQ_HOME", home_.path()}, {"NO_COLOR", "1"}, {"HOME", home_.path()}, {"LQ_HOSTNAME", "box"}};
    fs::create_directories(project());
  }
  std::string project() { return dir_ / "proj"; }
  std::string store() { return dir_ / "store"; }
  CommandResult Lq(const std::vector<std::string>& args, const std::string& cwd = "") {
    return RunLq(args, cwd.empty() ? project() : cwd, env_);
  }
  void Init(const std::string& ns, const std::string& name, const std::string& cwd = "") {
    ASSERT_EQ(Lq({"init", "--namespace", ns, "--project", name}, cwd).exit_code, 0);
  }
  // Replaces the value of `key:` in the project's config, as a person would in an editor.
  void EditConfig(const std::string& key, const std::string& value) {
    std::string path = project() + "/.lq/config.yaml";
    std::string cfg = ReadFileOrDie(path);
    size_t at = cfg.find("  " + key + ":");
    ASSERT_NE(at, std::string::npos) << cfg;
    size_t eol = cfg.find('\n', at);
    cfg.replace(at, eol - at, "  " + key + ": " + value);
    WriteFileOrDie(path, cfg);
  }
  void RecordFailingBuild() {
    auto r = Lq({"exec", "-q", "--", "sh", "-c", "echo 'main.c:3:1: error: boom' >&2; exit 1"});
    ASSERT_EQ(r.exit_code, 1) << r.err;
  }
  // The directories of the store, relative, one level per entry, sorted.
  std::set<std::string> StoreDirs() {
    std::set<std::string> dirs;
    for (const auto& e : fs::recursive_directory_iterator(store())) {
      if (e.is_directory()) dirs.insert(fs::relative(e.path(), store()).string());
    }
    return dirs;
  }
  json Json(const std::vector<std::string>& args, const std::string& cwd = "") {
    auto r = Lq(args, cwd);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }
  TempDir dir_, home_;
  std::map<std::string, std::string> env_;
};

int Count(const std::string& s, const std::string& what) {
  int n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

// --- item: hand-edited names are made safe where the config is read ---

TEST_F(MiscCliTest, HandEditedNamesAreSafeInStoreKeysAndQueries) {
  Init("acme", "app");
  EditConfig("namespace", "\"a/b\"");
  EditConfig("project", "\"c=d\"");
  RecordFailingBuild();
  auto sync = Lq({"sync", store()});
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  // One warning line for the whole command, naming both changes.
  EXPECT_EQ(Count(sync.err, "lq: warning:"), 1) << sync.err;
  EXPECT_NE(sync.err.find("lq: warning: " + project() +
                          "/.lq/config.yaml: using project.namespace 'a/b' as 'a%2Fb', project.project 'c=d' as "
                          "'c%3Dd'"),
            std::string::npos)
      << sync.err;
  std::set<std::string> dirs = StoreDirs();
  EXPECT_TRUE(dirs.count("namespace=a%2Fb/project=c%3Dd/hostname=box")) << json(dirs).dump();
  for (const auto& d : dirs) EXPECT_EQ(d.rfind("namespace=a/", 0), std::string::npos) << d;

  // Another project sees the run through --include-synced, with the names decoded (as
  // DuckDB reads hive partitions).
  fs::create_directories(dir_ / "other");
  Init("other", "o", dir_ / "other");
  json seen = Json({"history", "--include-synced", "--store", store(), "--namespace", "*", "--json"}, dir_ / "other");
  ASSERT_EQ(seen.size(), 1u) << seen.dump();
  EXPECT_EQ(seen[0]["namespace"], "a/b");
  EXPECT_EQ(seen[0]["project"], "c=d");
  EXPECT_EQ(Json({"history", "--include-synced", "--store", store(), "--namespace", "a/*", "--json"}, dir_ / "other")
                .size(),
            1u);
  // The project itself counts its run once: its own synced copy is recognised as its own.
  json mine = Json({"query", "--include-synced", "--store", store(),
                    "SELECT namespace, project, count(*) AS runs FROM lq_runs GROUP BY ALL", "--json"});
  ASSERT_EQ(mine.size(), 1u) << mine.dump();
  EXPECT_EQ(mine[0]["namespace"], "a/b");
  EXPECT_EQ(mine[0]["runs"], 1);
}

TEST_F(MiscCliTest, AnEmptyNameBecomesUnderscore) {
  Init("acme", "app");
  EditConfig("namespace", "\"\"");
  RecordFailingBuild();
  ASSERT_EQ(Lq({"sync", store()}).exit_code, 0);
  EXPECT_TRUE(fs::is_directory(store() + "/namespace=_/project=app/hostname=box"));
  EXPECT_FALSE(fs::exists(store() + "/namespace="));
}

TEST_F(MiscCliTest, NamesLqWroteAreNeverEncodedTwice) {
  fs::create_directories(dir_ / "my app");
  auto init = Lq({"init", "--json"}, dir_ / "my app");
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_EQ(json::parse(init.out)["project"], "my%20app");
  auto again = Lq({"init"}, dir_ / "my app");
  EXPECT_EQ(again.err.find("warning"), std::string::npos);  // "my%20app" is safe: kept, not "my%2520app"
  EXPECT_NE(again.out.find("my%20app"), std::string::npos);
  // Its synced copy is its own: counted once, under the name DuckDB decodes.
  ASSERT_EQ(Lq({"exec", "-q", "--", "true"}, dir_ / "my app").exit_code, 0);
  ASSERT_EQ(Lq({"sync", store()}, dir_ / "my app").exit_code, 0);
  EXPECT_TRUE(fs::is_directory(store() + "/" + "namespace=" + json::parse(init.out)["namespace"].get<std::string>() +
                               "/project=my%20app/hostname=box"));
  json runs = Json({"query", "--include-synced", "--store", store(), "SELECT project, count(*) AS runs FROM lq_runs "
                    "GROUP BY ALL", "--json"}, dir_ / "my app");
  ASSERT_EQ(runs.size(), 1u) << runs.dump();
  EXPECT_EQ(runs[0]["project"], "my app");
  EXPECT_EQ(runs[0]["runs"], 1);
}

TEST_F(MiscCliTest, OddHostNamesStayOneKeyLevel) {
  Init("acme", "app");
  const std::string host = "../x=y/\xc3\xa9t\xc3\xa9";
  env_["LQ_HOSTNAME"] = host;
  RecordFailingBuild();
  ASSERT_EQ(Lq({"sync", store()}).exit_code, 0);
  std::set<std::string> dirs = StoreDirs();
  std::string level = "namespace=acme/project=app/hostname=" + SafeName(host);
  EXPECT_EQ(SafeName(host), ".%2E%2Fx%3Dy%2F%C3%A9t%C3%A9");
  EXPECT_TRUE(dirs.count(level)) << json(dirs).dump();
  for (const auto& d : dirs) EXPECT_TRUE(level.rfind(d, 0) == 0 || d.rfind(level + "/", 0) == 0) << d;
  json mine = Json({"query", "--include-synced", "--store", store(), "SELECT count(*) AS runs FROM lq_runs", "--json"});
  EXPECT_EQ(mine[0]["runs"], 1) << mine.dump();
}

// --- item: lq init inside a project ---

TEST_F(MiscCliTest, InitInsideAProjectNeedsForce) {
  Init("acme", "app");
  fs::create_directories(project() + "/sub/deeper");
  auto r = Lq({"init"}, project() + "/sub/deeper");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "lq: error: already inside the project at " + project() +
                       " (its .lq/); use --force to start a separate project here\n");
  EXPECT_FALSE(fs::exists(project() + "/sub/deeper/.lq"));
  auto dry = Lq({"init", "--dry-run"}, project() + "/sub");
  EXPECT_EQ(dry.exit_code, 1);
  auto forced = Lq({"init", "--force"}, project() + "/sub");
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_TRUE(fs::exists(project() + "/sub/.lq/config.yaml"));
  // Re-running init in the project itself is still the friendly no-op.
  EXPECT_EQ(Lq({"init"}).exit_code, 0);
}

// --- item: unknown commands ---

TEST_F(MiscCliTest, UnknownCommandsAreNamedWithTheNearestOne) {
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  for (const Case& c : std::vector<Case>{
           {{"histroy"}, "lq: error: unknown command 'histroy' (did you mean 'history'?); see 'lq --help'\n"},
           {{"erors", "-n", "3"}, "lq: error: unknown command 'erors' (did you mean 'errors'?); see 'lq --help'\n"},
           {{"bogus"}, "lq: error: unknown command 'bogus'; see 'lq --help'\n"},
           {{"-C", "/", "stauts"}, "lq: error: unknown command 'stauts' (did you mean 'status'?); see 'lq --help'\n"},
           {{"usage", "dayly"},
            "lq: error: unknown command 'usage dayly' (did you mean 'usage daily'?); see 'lq usage --help'\n"},
           {{"internal-finalise"}, "lq: error: unknown command 'internal-finalise'; see 'lq --help'\n"},
       }) {
    auto r = Lq(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[0];
    EXPECT_EQ(r.err, c.err);
  }
}

// --- item: shell completion ---

struct ShellResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs `script` with /bin/sh in `cwd`, PATH starting with the built lq's directory.
ShellResult Shell(const std::string& script, const std::string& cwd, const std::string& home) {
  TempDir io;
  std::string path = std::string(fs::path(std::getenv("LQ_BINARY")).parent_path()) + ":" + std::getenv("PATH");
  WriteFileOrDie(io / "script.sh", script);
  std::string cmd = "cd '" + cwd + "' && env PATH='" + path + "' HOME='" + home + "' XDG_CONFIG_HOME='" + home +
                    "' XDG_DATA_HOME='" + home + "' LQ_HOME='" + home + "' /bin/sh '" + io / "script.sh" + "' >'" +
                    io / "out" + "' 2>'" + io / "err" + "' </dev/null";
  ShellResult r;
  int status = std::system(cmd.c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFileOrDie(io / "out");
  r.err = ReadFileOrDie(io / "err");
  return r;
}

bool HaveShell(const char* name) {
  return std::system((std::string("command -v ") + name + " >/dev/null 2>&1").c_str()) == 0;
}

class CompletionTest : public MiscCliTest {
 protected:
  void SetUp() override {
    MiscCliTest::SetUp();
    Init("acme", "app");
    ASSERT_EQ(Lq({"register", "build-all", "--", "make", "-j8"}).exit_code, 0);
    ASSERT_EQ(Lq({"register", "unit_tests", "--", "ctest"}).exit_code, 0);
    for (const char* shell : {"bash", "zsh", "fish"}) {
      auto r = Lq({"completions", shell});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      EXPECT_EQ(r.out.find("internal-finalize"), std::string::npos) << shell;  // hidden commands stay hidden
      WriteFileOrDie(dir_ / (std::string("lq.") + shell), r.out);
    }
  }
  std::string Script(const char* shell) { return dir_ / (std::string("lq.") + shell); }
};

TEST_F(CompletionTest, RunNamesComeFromTheProjectAndNothingOutside) {
  auto names = Lq({"internal-complete", "run"});
  EXPECT_EQ(names.exit_code, 0);
  EXPECT_EQ(names.out, "build-all\nunit_tests\n");
  EXPECT_EQ(names.err, "");
  auto outside = Lq({"internal-complete", "run"}, dir_.path());
  EXPECT_EQ(outside.exit_code, 0);
  EXPECT_EQ(outside.out, "");
  EXPECT_EQ(outside.err, "");
  EXPECT_EQ(Lq({"--help"}).out.find("internal-complete"), std::string::npos);
}

TEST_F(CompletionTest, Bash) {
  if (!HaveShell("bash")) GTEST_SKIP() << "bash is not installed";
  auto complete = [&](const std::string& words, int cword, const std::string& cwd) {
    return Shell("exec bash --norc -c 'source \"" + Script("bash") + "\"; COMP_WORDS=(" + words +
                     "); COMP_CWORD=" + std::to_string(cword) + "; _lq; printf \"%s\\n\" \"${COMPREPLY[@]}\"'\n",
                 cwd, home_.path());
  };
  auto top = complete("lq \"\"", 1, project());
  EXPECT_EQ(top.err, "");
  EXPECT_NE(top.out.find("history\n"), std::string::npos) << top.out;
  EXPECT_NE(top.out.find("--directory\n"), std::string::npos) << top.out;
  auto run = complete("lq run \"\"", 2, project());
  EXPECT_NE(run.out.find("build-all\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("unit_tests\n"), std::string::npos) << run.out;
  auto run_prefix = complete("lq -C . run bu", 4, project());
  EXPECT_EQ(run_prefix.out, "build-all\n");
  auto usage = complete("lq usage --since 2025-01-01 d", 4, project());
  EXPECT_EQ(usage.out, "daily\n");
  auto outside = complete("lq run \"\"", 2, dir_.path());
  EXPECT_EQ(outside.err, "");
  EXPECT_EQ(outside.out.find("build-all"), std::string::npos);
}

TEST_F(CompletionTest, Zsh) {
  if (!HaveShell("zsh")) GTEST_SKIP() << "zsh is not installed (scripts/install-deps.sh installs it)";
  // Outside a completion widget, _describe is replaced by a stub that prints its items.
  auto complete = [&](const std::string& words, int current, const std::string& cwd) {
    return Shell("exec zsh -f -c 'compdef() { :; }; _describe() { print -l -- ${(P)2}; }; source \"" +
                     Script("zsh") + "\"; words=(" + words + "); CURRENT=" + std::to_string(current) + "; _lq'\n",
                 cwd, home_.path());
  };
  auto syntax = Shell("exec zsh -n '" + Script("zsh") + "'\n", project(), home_.path());
  EXPECT_EQ(syntax.exit_code, 0) << syntax.err;
  auto top = complete("lq \"\"", 2, project());
  EXPECT_EQ(top.err, "");
  EXPECT_NE(top.out.find("history:Recorded runs"), std::string::npos) << top.out;
  auto run = complete("lq run \"\"", 3, project());
  EXPECT_EQ(run.err, "");
  EXPECT_NE(run.out.find("\nbuild-all\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\nunit_tests"), std::string::npos) << run.out;
}

TEST_F(CompletionTest, Fish) {
  if (!HaveShell("fish")) GTEST_SKIP() << "fish is not installed (scripts/install-deps.sh installs it)";
  auto complete = [&](const std::string& line, const std::string& cwd) {
    return Shell("exec fish --no-config -c 'source \"" + Script("fish") + "\"; complete -C \"" + line + "\"'\n", cwd,
                 home_.path());
  };
  auto top = complete("lq ", project());
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_EQ(top.err, "");  // was 27 "test: Missing argument" per Tab
  EXPECT_NE(top.out.find("history\tRecorded runs"), std::string::npos) << top.out;
  EXPECT_EQ(top.out.find("internal-"), std::string::npos) << top.out;
  auto sub = complete("lq usage --timezone UTC d", project());
  EXPECT_EQ(sub.err, "");
  EXPECT_EQ(sub.out, "daily\tUsage per day\n");
  auto flags = complete("lq usage daily --si", project());
  EXPECT_NE(flags.out.find("--since\t"), std::string::npos) << flags.out;
  auto run = complete("lq run ", project());
  EXPECT_EQ(run.err, "");
  EXPECT_NE(run.out.find("build-all\t"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("unit_tests\t"), std::string::npos) << run.out;
  auto outside = complete("lq run ", dir_.path());
  EXPECT_EQ(outside.err, "");
  EXPECT_EQ(outside.out.find("build-all"), std::string::npos) << outside.out;
}

}  // namespace
}  // namespace lq::cli

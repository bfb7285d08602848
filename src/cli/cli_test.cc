// End-to-end tests of the lq binary as a user runs it (exit codes, stdout/stderr, files).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "testing/temp_dir.h"

namespace lq::cli {
namespace {

using lq::testing::ReadFileOrDie;
using lq::testing::RunLq;
using lq::testing::TempDir;
using lq::testing::WriteFileOrDie;
namespace fs = std::filesystem;

// Each test gets its own LQ_HOME so the user's real ~/.lq is never touched.
class CliTest : public ::testing::Test {
 protected:
  testing::CommandResult Lq(const std::vector<std::string>& args, const std::string& cwd = "") {
    return RunLq(args, cwd.empty() ? dir_.path() : cwd, env_);
  }
  void SetUp() override { env_ = {{"LQ_HOME", home_.path()}, {"NO_COLOR", "1"}}; }
  TempDir dir_, home_;
  std::map<std::string, std::string> env_;
};

bool IsOneLineError(const std::string& err) {
  return err.rfind("lq: error: ", 0) == 0 && err.find('\n') == err.size() - 1;
}

TEST_F(CliTest, VersionAndHelp) {
  auto v = Lq({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("lq 0."), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("duckdb v1.4.4"), std::string::npos) << v.out;
  auto h = Lq({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  for (const char* cmd : {"init", "device", "completions", "Exit codes"}) {
    EXPECT_NE(h.out.find(cmd), std::string::npos) << cmd;
  }
  auto hi = Lq({"init", "--help"});
  EXPECT_EQ(hi.exit_code, 0);
  EXPECT_NE(hi.out.find("--namespace"), std::string::npos);
  EXPECT_NE(hi.out.find("Examples"), std::string::npos);
}

TEST_F(CliTest, UsageErrorsExitTwoWithOneLine) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"no-such-command"}, {"init", "--bogus"}, {"completions", "powershell"}, {"device", "rename"}}) {
    auto r = Lq(args);
    EXPECT_EQ(r.exit_code, 2) << args[0];
    EXPECT_TRUE(IsOneLineError(r.err)) << r.err;
    EXPECT_NE(r.err.find("--help"), std::string::npos) << r.err;
  }
}

TEST_F(CliTest, InitDetectsGitRemoteAndNeverLeaksCredentials) {
  WriteFileOrDie(dir_ / ".git/config",
                 "[core]\n\tbare = false\n[remote \"origin\"]\n"
                 "\turl = https://someone:ghp_SECRETTOKEN@GitHub.com/Owner/Repo.git\n");
  auto r = Lq({"init"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string config = ReadFileOrDie(dir_ / ".lq/config.yaml");
  EXPECT_NE(config.find("namespace: owner"), std::string::npos) << config;
  EXPECT_NE(config.find("project: repo"), std::string::npos) << config;
  for (const std::string& text : {config, r.out, r.err}) {
    EXPECT_EQ(text.find("SECRETTOKEN"), std::string::npos) << text;
    EXPECT_EQ(text.find("someone"), std::string::npos) << text;
    EXPECT_EQ(text.find("\033["), std::string::npos) << "colour in non-TTY output";
  }
  EXPECT_TRUE(fs::is_directory(dir_ / ".lq/logs"));
  EXPECT_TRUE(fs::is_directory(dir_ / ".lq/raw"));
  EXPECT_TRUE(fs::exists(dir_ / ".lq/.gitignore"));
  EXPECT_TRUE(fs::exists(home_ / "device.yaml"));
}

TEST_F(CliTest, InitWithoutRemoteUsesThePath) {
  fs::create_directories(dir_ / "Projects/myapp");
  auto r = Lq({"init", "--json"}, dir_ / "Projects/myapp");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["project"], "myapp");
  EXPECT_EQ(j["source"], "path");
  std::string ns = j["namespace"];
  EXPECT_NE(ns.find("__Projects"), std::string::npos) << ns;
  EXPECT_EQ(ns.find('/'), std::string::npos);
  EXPECT_EQ(j["device"]["device_id"].get<std::string>().size(), 36u);
}

TEST_F(CliTest, SecondInitChangesNothingAndForceRedetectsKeepingComments) {
  ASSERT_EQ(Lq({"init", "--namespace", "first", "--project", "p"}).exit_code, 0);
  std::string path = dir_ / ".lq/config.yaml";
  std::string edited = ReadFileOrDie(path) + "# my own note\nextra:\n  key: value\n";
  WriteFileOrDie(path, edited);

  auto again = Lq({"init"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("already initialized"), std::string::npos) << again.out;
  EXPECT_EQ(ReadFileOrDie(path), edited);

  auto dry = Lq({"init", "--force", "--namespace", "second", "--project", "q", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0);
  EXPECT_EQ(ReadFileOrDie(path), edited);

  auto forced = Lq({"init", "--force", "--namespace", "a/b=c", "--project", ".."});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  std::string after = ReadFileOrDie(path);
  EXPECT_NE(after.find("# my own note"), std::string::npos);
  EXPECT_NE(after.find("key: value"), std::string::npos);
  EXPECT_NE(after.find("namespace: a%2Fb%3Dc"), std::string::npos) << after;
  EXPECT_NE(after.find("%2E%2E"), std::string::npos) << after;
}

TEST_F(CliTest, DryRunInitWritesNothing) {
  auto r = Lq({"init", "--dry-run"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_FALSE(fs::exists(dir_ / ".lq"));
  EXPECT_FALSE(fs::exists(home_ / "device.yaml"));
}

TEST_F(CliTest, MalformedConfigNamesFileAndLine) {
  WriteFileOrDie(dir_ / ".lq/config.yaml", "project:\n  namespace: a\n  project: [oops\n");
  auto r = Lq({"init"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(IsOneLineError(r.err)) << r.err;
  EXPECT_NE(r.err.find(".lq/config.yaml:"), std::string::npos) << r.err;
}

TEST_F(CliTest, ConfigWithCredentialsIsRefused) {
  WriteFileOrDie(dir_ / ".lq/config.yaml",
                 "project:\n  namespace: a\n  project: b\nsync:\n  destination: s3://KEY:SECRET@bucket/lq\n");
  auto r = Lq({"init"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("credentials"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("SECRET@"), std::string::npos) << r.err;
}

TEST_F(CliTest, DeviceShowAndRename) {
  auto a = Lq({"device", "--json"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  auto ja = nlohmann::json::parse(a.out);
  auto r = Lq({"device", "rename", "build-box", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto jr = nlohmann::json::parse(r.out);
  EXPECT_EQ(jr["device_id"], ja["device_id"]);
  EXPECT_EQ(jr["name"], "build-box");
  auto text = Lq({"device"});
  EXPECT_NE(text.out.find("build-box"), std::string::npos);
  auto bad = Lq({"device", "rename", ""});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(IsOneLineError(bad.err)) << bad.err;
}

TEST_F(CliTest, EightProcessesCreateExactlyOneDeviceId) {
  for (int round = 0; round < 5; ++round) {
    TempDir home;
    std::map<std::string, std::string> env = {{"LQ_HOME", home.path()}};
    std::vector<pid_t> pids;
    for (int i = 0; i < 8; ++i) {
      pid_t pid = fork();
      if (pid == 0) {
        auto r = RunLq({"device", "--json"}, home.path(), env);
        WriteFileOrDie(home / ("out" + std::to_string(i)), r.exit_code == 0 ? r.out : "FAIL " + r.err);
        _exit(0);
      }
      pids.push_back(pid);
    }
    for (pid_t p : pids) waitpid(p, nullptr, 0);
    std::set<std::string> ids;
    for (int i = 0; i < 8; ++i) {
      std::string out = ReadFileOrDie(home / ("out" + std::to_string(i)));
      ASSERT_EQ(out.rfind("FAIL", 0), std::string::npos) << out;
      ids.insert(nlohmann::json::parse(out)["device_id"].get<std::string>());
    }
    EXPECT_EQ(ids.size(), 1u);
  }
}

TEST_F(CliTest, CompletionScriptsWork) {
  auto bash = Lq({"completions", "bash"});
  ASSERT_EQ(bash.exit_code, 0);
  WriteFileOrDie(dir_ / "lq.bash", bash.out);
  WriteFileOrDie(dir_ / "probe.sh",
                 "source ./lq.bash\n"
                 "COMP_WORDS=(lq dev); COMP_CWORD=1; _lq; echo \"1:${COMPREPLY[*]}\"\n"
                 "COMP_WORDS=(lq device re); COMP_CWORD=2; _lq; echo \"2:${COMPREPLY[*]}\"\n"
                 "COMP_WORDS=(lq init --for); COMP_CWORD=2; _lq; echo \"3:${COMPREPLY[*]}\"\n");
  std::string cmd = "cd '" + dir_.path() + "' && bash probe.sh > probe.out 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << ReadFileOrDie(dir_ / "probe.out");
  std::string probe = ReadFileOrDie(dir_ / "probe.out");
  EXPECT_NE(probe.find("1:device"), std::string::npos) << probe;
  EXPECT_NE(probe.find("2:rename"), std::string::npos) << probe;
  EXPECT_NE(probe.find("3:--force"), std::string::npos) << probe;

  auto fish = Lq({"completions", "fish"});
  EXPECT_EQ(fish.exit_code, 0);
  EXPECT_NE(fish.out.find("complete -c lq -n '__lq_at \"lq\"' -a 'init'"), std::string::npos);
  auto zsh = Lq({"completions", "zsh"});
  EXPECT_EQ(zsh.exit_code, 0);
  EXPECT_EQ(zsh.out.rfind("#compdef lq", 0), 0u);
  EXPECT_NE(zsh.out.find("'rename:Change this device"), std::string::npos);  // name:description
}

TEST_F(CliTest, DirectoryOptionRunsElsewhere) {
  fs::create_directories(dir_ / "sub");
  auto r = Lq({"-C", dir_ / "sub", "init", "--project", "x", "--namespace", "y"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "sub/.lq/config.yaml"));
  auto bad = Lq({"-C", dir_ / "missing", "init"});
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace lq::cli

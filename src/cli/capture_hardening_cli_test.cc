// End-to-end: what recording must never do — lose events to kill -9, keep secrets from
// command lines, leave output readable by others, invent an exit code, or stop the
// user's command from running — and --dry-run on the recording commands.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "testing/cli_fixture.h"
#include "testing/temp_dir.h"

namespace lq::cli {
namespace {

using lq::testing::ReadFileOrDie;
using lq::testing::RunLq;
using lq::testing::TempDir;
using lq::testing::WriteFileOrDie;
namespace fs = std::filesystem;
using nlohmann::json;

std::string Binary() { return std::getenv("LQ_BINARY"); }

// Runs `sh -c script` (with LQ=the binary, LQ_HOME set) in `cwd`; returns the exit code.
int Shell(const std::string& cwd, const std::string& home, const std::string& script) {
  std::string cmd = "cd '" + cwd + "' && LQ='" + Binary() + "' LQ_HOME='" + home + "' NO_COLOR=1 sh -c '" +
                    script + "'";
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

size_t CountLines(const std::string& path) {
  std::ifstream in(path);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

class CaptureHardeningTest : public testing::LqProjectTest {
 protected:
  CaptureHardeningTest() : LqProjectTest("demo", "") {}
  // Starts lq in its own process group (so the test can clean up what it started).
  pid_t Spawn(const std::vector<std::string>& args) {
    pid_t pid = ::fork();
    if (pid == 0) {
      ::setpgid(0, 0);
      if (::chdir(dir_.path().c_str()) != 0) ::_exit(126);
      for (const auto& [k, v] : env_) ::setenv(k.c_str(), v.c_str(), 1);
      int null = ::open("/dev/null", O_RDWR);
      for (int fd = 0; fd < 3; ++fd) ::dup2(null, fd);
      std::vector<char*> argv;
      std::string bin = Binary();
      argv.push_back(bin.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(bin.c_str(), argv.data());
      ::_exit(127);
    }
    ::setpgid(pid, pid);
    return pid;
  }
};

// Issue 9 item 3: events parsed so far survive kill -9 of lq, however many the parsers
// were still holding (the gcc parser holds a whole run of compiler lines).
TEST_F(CaptureHardeningTest, KillNineOfLqKeepsEveryEventOfTheOutput) {
  constexpr int kErrors = 20000;
  pid_t lq = Spawn({"exec", "--", "sh", "-c",
                    "i=1; while [ $i -le " + std::to_string(kErrors) +
                        " ]; do echo \"x$i.c:$i:1: error: e$i\"; i=$((i+1)); done; exec sleep 30"});
  std::string raw = dir_ / ".lq/raw/001.log";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((!fs::exists(raw) || CountLines(raw) < kErrors) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(CountLines(raw), static_cast<size_t>(kErrors));
  // Give the capture loop one idle period, as a user would take to reach for kill.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(::kill(lq, SIGKILL), 0);  // lq only: its child (sleep) lives on
  ASSERT_EQ(::waitpid(lq, nullptr, 0), lq);

  json h = Json({"history", "--json"});
  ::kill(-lq, SIGKILL);  // the orphaned sleep, in the group the test made
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0]["errors"], kErrors);
  EXPECT_TRUE(h[0]["exit_code"].is_null());
  EXPECT_EQ(h[0]["status"], "FAIL");  // errors were found, whatever the exit code
  json n = Json({"query", "SELECT count(DISTINCT file_path) AS n, max(event_id) AS last FROM lq_events", "--json"});
  EXPECT_EQ(n[0]["n"], kErrors);
  EXPECT_EQ(n[0]["last"], kErrors);
  EXPECT_EQ(CountLines(raw), static_cast<size_t>(kErrors));  // the raw log is kept
}

// The spool itself is written within a bounded delay, not only at the end.
TEST_F(CaptureHardeningTest, SpooledEventsReachTheFileWhileTheCommandIsQuiet) {
  pid_t lq = Spawn({"exec", "--", "sh", "-c", "echo \"x.c:1:1: error: boom\"; echo \"make: *** [all] Error 1\"; exec sleep 30"});
  std::string events = dir_ / ".lq/spool/001.events.jsonl";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while ((!fs::exists(events) || fs::file_size(events) == 0) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  bool written = fs::exists(events) && fs::file_size(events) > 0;
  ::kill(-lq, SIGKILL);
  ::waitpid(lq, nullptr, 0);
  EXPECT_TRUE(written) << "no event reached the spool while the command slept";
}

// Issue 9 item 4: secrets in the command line never reach .lq/, LQ_HOME or the store;
// the command still gets its real arguments.
TEST_F(CaptureHardeningTest, SecretsInTheCommandLineAreRedactedEverywhere) {
  TempDir out, store;
  std::string args_file = out / "args.txt";
  auto r = Lq({"exec", "--", "sh", "-c", "printf '%s\\n' \"$@\" > " + args_file, "sh",
               "--password=CanaryPw1", "https://bob:CanaryTok2@github.com/x.git", "API_TOKEN=CanaryEnv3",
               "Authorization: Bearer CanaryHdr4", "--token", "CanaryOpt5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFileOrDie(args_file),
            "--password=CanaryPw1\nhttps://bob:CanaryTok2@github.com/x.git\nAPI_TOKEN=CanaryEnv3\n"
            "Authorization: Bearer CanaryHdr4\n--token\nCanaryOpt5\n");
  json h = Json({"history", "--json"});
  ASSERT_EQ(h.size(), 1u);
  std::string command = h[0]["command"];
  EXPECT_NE(command.find("--password=***"), std::string::npos) << command;
  EXPECT_NE(command.find("https://github.com/x.git"), std::string::npos) << command;
  auto synced = Lq({"sync", store.path()});
  ASSERT_EQ(synced.exit_code, 0) << synced.err;

  int files = 0;
  for (const std::string& root : {dir_ / ".lq", home_.path(), store.path()}) {
    for (auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file()) continue;
      ++files;
      std::string bytes = ReadFileOrDie(e.path().string());
      EXPECT_EQ(bytes.find("Canary"), std::string::npos) << e.path();
    }
  }
  EXPECT_GT(files, 3);
}

// Issue 9 item 5: everything lq writes is its owner's only.
TEST_F(CaptureHardeningTest, RunFilesAndLqHomeAreOwnerOnly) {
  TempDir src, store;
  std::string log = src / "secret.log";
  WriteFileOrDie(log, "a.c:1:1: error: x\n");
  ASSERT_EQ(::chmod(log.c_str(), 0640), 0);
  ASSERT_EQ(Lq({"import", log}).exit_code, 0);
  ASSERT_EQ(Lq({"exec", "-q", "--", "echo", "hi"}).exit_code, 0);
  ASSERT_EQ(Lq({"history"}).exit_code, 0);  // finalizes both runs
  ASSERT_EQ(Lq({"sync", store.path()}).exit_code, 0);
  ASSERT_EQ(Shell(dir_.path(), home_.path(), "printf \"x\\n\" | \"$LQ\" capture -q > /dev/null"), 0);

  int checked = 0;
  for (const std::string& root : {dir_ / ".lq", home_.path()}) {
    for (auto& e : fs::recursive_directory_iterator(root)) {
      struct stat st;
      ASSERT_EQ(::lstat(e.path().c_str(), &st), 0);
      ++checked;
      EXPECT_EQ(st.st_mode & 077, 0u) << e.path() << " has mode " << std::oct << (st.st_mode & 07777);
    }
  }
  EXPECT_GT(checked, 8);
  struct stat lq_dir;
  ASSERT_EQ(::stat((dir_ / ".lq").c_str(), &lq_dir), 0);
  EXPECT_EQ(lq_dir.st_mode & 07777, 0700u);
}

// Issue 9 item 10: a stream or a file has no exit code unless told; status comes from
// the events then.
TEST_F(CaptureHardeningTest, CaptureAndImportRecordAnUnknownExitCodeUnlessGiven) {
  ASSERT_EQ(Shell(dir_.path(), home_.path(),
                  "printf \"a.c:1:1: error: boom\\n\" | \"$LQ\" capture --name failing -q > /dev/null"),
            0);
  ASSERT_EQ(Shell(dir_.path(), home_.path(), "printf \"all good\\n\" | \"$LQ\" capture --name clean -q > /dev/null"),
            0);
  WriteFileOrDie(dir_ / "make.log", "make: *** [all] Error 2\n");
  ASSERT_EQ(Lq({"import", "make.log", "--name", "told", "--exit-code", "2", "-q"}).exit_code, 0);
  ASSERT_EQ(Lq({"import", "make.log", "--name", "untold", "-q"}).exit_code, 0);
  auto bad = Lq({"import", "make.log", "--exit-code", "300"});
  EXPECT_EQ(bad.exit_code, 2);

  std::map<std::string, json> by_name;
  for (const auto& row : Json({"status", "--json"})) by_name[row["source_name"]] = row;
  ASSERT_EQ(by_name.size(), 4u);
  EXPECT_TRUE(by_name["failing"]["exit_code"].is_null());
  EXPECT_EQ(by_name["failing"]["status"], "FAIL");
  EXPECT_TRUE(by_name["clean"]["exit_code"].is_null());
  EXPECT_EQ(by_name["clean"]["status"], "UNKNOWN");
  EXPECT_EQ(by_name["told"]["exit_code"], 2);
  EXPECT_EQ(by_name["told"]["status"], "FAIL");
  EXPECT_TRUE(by_name["untold"]["exit_code"].is_null());
  for (const auto& cmd : std::vector<std::vector<std::string>>{{"history"}, {"summary"}, {"status"}}) {
    EXPECT_EQ(Lq(cmd).exit_code, 0) << cmd[0];
  }
  auto help = Lq({"capture", "--help"});
  EXPECT_NE(help.out.find("--exit-code"), std::string::npos);
}

// Issue 9 item 17: the user's command always runs; recording problems are a warning.
TEST_F(CaptureHardeningTest, ExecOutsideAProjectRunsTheCommandAndWarns) {
  TempDir elsewhere;
  auto r = RunLq({"exec", "--", "sh", "-c", "echo hello; exit 3"}, elsewhere.path(), env_);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "hello\n");
  EXPECT_EQ(r.err,
            "lq: warning: not recording: no .lq/ here or above; run `lq init` to start tracking\n");
  EXPECT_FALSE(fs::exists(elsewhere / ".lq"));
  auto missing = RunLq({"exec", "--", "lq-no-such-program"}, elsewhere.path(), env_);
  EXPECT_EQ(missing.exit_code, 127);
  std::string cmd = "cd '" + elsewhere.path() + "' && printf 'piped\\n' | '" + Binary() +
                    "' capture > out.txt 2> err.txt";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(ReadFileOrDie(elsewhere / "out.txt"), "piped\n");
  EXPECT_NE(ReadFileOrDie(elsewhere / "err.txt").find("not recording"), std::string::npos);
  EXPECT_NE(RunLq({"run", "build"}, elsewhere.path(), env_).exit_code, 0);  // needs .lq: an error
}

TEST_F(CaptureHardeningTest, ExecRunsTheCommandWhenTheSpoolCannotBeWritten) {
  // Root ignores permission bits, so make creation fail for real: .lq/spool is a file.
  WriteFileOrDie(dir_ / ".lq/spool", "not a directory");
  auto r = Lq({"exec", "--", "sh", "-c", "echo ran; exit 4"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.out, "ran\n");
  EXPECT_EQ(r.err.rfind("lq: warning: not recording: ", 0), 0u) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
  // .lq/seq unusable (a directory) fails earlier, with the same outcome.
  fs::remove(dir_ / ".lq/spool");
  fs::remove(dir_ / ".lq/seq");
  fs::create_directory(dir_ / ".lq/seq");
  auto again = Lq({"exec", "--", "sh", "-c", "exit 5"});
  EXPECT_EQ(again.exit_code, 5);
  EXPECT_NE(again.err.find("not recording"), std::string::npos);
}

// Issue 9 item 21: --dry-run on every recording command writes nothing.
TEST_F(CaptureHardeningTest, DryRunWritesNothing) {
  TempDir out;
  auto before = ReadFileOrDie(dir_ / ".lq/config.yaml");
  auto exec = Lq({"exec", "--dry-run", "--", "sh", "-c", "touch " + (out / "ran")});
  EXPECT_EQ(exec.exit_code, 0) << exec.err;
  EXPECT_FALSE(fs::exists(out / "ran"));  // not run
  EXPECT_NE(exec.out.find("would run"), std::string::npos);
  EXPECT_NE(exec.out.find("run 001"), std::string::npos) << exec.out;
  auto reg = Lq({"register", "--dry-run", "build", "--", "make", "-j8"});
  EXPECT_EQ(reg.exit_code, 0) << reg.err;
  EXPECT_NE(reg.out.find("would register 'build': make -j8"), std::string::npos) << reg.out;
  EXPECT_EQ(ReadFileOrDie(dir_ / ".lq/config.yaml"), before);
  WriteFileOrDie(dir_ / "b.log", "a.c:1:1: error: x\na.c:2:1: warning: y\n");
  auto imp = Lq({"import", "--dry-run", "b.log"});
  EXPECT_EQ(imp.exit_code, 0) << imp.err;
  EXPECT_NE(imp.out.find("1 error, 1 warning"), std::string::npos) << imp.out;
  EXPECT_EQ(Shell(dir_.path(), home_.path(), "printf \"x\\n\" | \"$LQ\" capture --dry-run > cap.out"), 0);
  EXPECT_EQ(ReadFileOrDie(dir_ / "cap.out"), "x\n");
  ASSERT_EQ(Lq({"register", "build", "--", "touch", out / "ran"}).exit_code, 0);
  EXPECT_EQ(Lq({"run", "--dry-run", "build"}).exit_code, 0);
  EXPECT_FALSE(fs::exists(out / "ran"));
  for (const char* sub : {"raw", "spool", "logs"}) {
    std::string path = dir_ / (std::string(".lq/") + sub);
    EXPECT_TRUE(!fs::exists(path) || fs::is_empty(path)) << sub;
  }
  EXPECT_EQ(Json({"history", "--json"}).size(), 0u);
}

}  // namespace
}  // namespace lq::cli

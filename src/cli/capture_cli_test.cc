// End-to-end: lq exec/run/register/capture/import and the read commands, on the binary.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

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

class CaptureCliTest : public testing::LqProjectTest {
 protected:
  CaptureCliTest() : LqProjectTest("demo", "") {}
};

TEST_F(CaptureCliTest, ExecPassesOutputAndExitCodeAndRecordsTheRun) {
  auto r = Lq({"exec", "--", "sh", "-c", "echo hello; echo oops >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "hello\n");
  EXPECT_NE(r.err.find("oops\n"), std::string::npos);
  EXPECT_NE(r.err.find("lq: run 001 sh:"), std::string::npos) << r.err;
  json h = Json({"history", "--json"});
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0]["exit_code"], 3);
  EXPECT_EQ(h[0]["source_type"], "exec");
  EXPECT_EQ(h[0]["status"], "FAIL");
  EXPECT_TRUE(fs::exists(dir_ / ".lq/raw/001.log"));
  EXPECT_EQ(ReadFileOrDie(dir_ / ".lq/raw/001.log").find("hello"), 0u);
}

TEST_F(CaptureCliTest, QuietSuppressesTheSummary) {
  auto r = Lq({"exec", "-q", "--", "true"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
}

TEST_F(CaptureCliTest, MissingCommandIs127AndStillRecorded) {
  auto r = Lq({"exec", "--", "lq-definitely-missing-cmd"});
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_NE(r.err.find("command not found"), std::string::npos);
  json h = Json({"history", "--json"});
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0]["exit_code"], 127);
}

TEST_F(CaptureCliTest, StdinPassesThrough) {
  WriteFileOrDie(dir_ / "in.txt", "from stdin\n");
  std::string cmd = "cd '" + dir_.path() + "' && LQ_HOME='" + home_.path() + "' '" + std::getenv("LQ_BINARY") +
                    "' exec -q -- cat < in.txt > out.txt";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(ReadFileOrDie(dir_ / "out.txt"), "from stdin\n");
}

TEST_F(CaptureCliTest, RegisterAndRun) {
  auto reg = Lq({"register", "build", "--", "sh", "-c", "echo built; exit 0"});
  ASSERT_EQ(reg.exit_code, 0) << reg.err;
  EXPECT_NE(ReadFileOrDie(dir_ / ".lq/config.yaml").find("commands:"), std::string::npos);
  auto again = Lq({"register", "build", "--", "make"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("--force"), std::string::npos);
  auto run = Lq({"run", "build"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "built\n");
  json s = Json({"status", "--json"});
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0]["source_name"], "build");
  EXPECT_EQ(s[0]["status"], "OK");
  auto missing = Lq({"run", "nope"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("lq register nope"), std::string::npos);
}

TEST_F(CaptureCliTest, CaptureAndImport) {
  WriteFileOrDie(dir_ / "build.log", "line 1\nline 2\n");
  auto imp = Lq({"import", "build.log", "--json"});
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  EXPECT_EQ(json::parse(imp.out)["source_name"], "build.log");
  std::string cmd = "cd '" + dir_.path() + "' && printf 'a\\nb\\n' | LQ_HOME='" + home_.path() + "' '" +
                    std::getenv("LQ_BINARY") + "' capture --name piped -q > cap.out";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(ReadFileOrDie(dir_ / "cap.out"), "a\nb\n");  // capture tees to stdout
  json h = Json({"history", "--json"});
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0]["source_type"], "capture");
  EXPECT_EQ(h[1]["source_type"], "import");
  EXPECT_EQ(Lq({"import", "missing.log"}).exit_code, 2);
}

TEST_F(CaptureCliTest, EightConcurrentRunsGetDistinctNumbersAndFiles) {
  std::vector<pid_t> pids;
  for (int i = 0; i < 8; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      auto r = RunLq({"exec", "-q", "--", "sh", "-c", "echo run"}, dir_.path(), env_);
      _exit(r.exit_code);
    }
    pids.push_back(pid);
  }
  for (pid_t p : pids) {
    int status = 0;
    waitpid(p, &status, 0);
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  json h = Json({"history", "-n", "100", "--json"});
  ASSERT_EQ(h.size(), 8u);
  std::set<int64_t> ids;
  for (const auto& row : h) ids.insert(row["run_id"].get<int64_t>());
  EXPECT_EQ(ids.size(), 8u);
  int parquet = 0;
  for (auto& e : fs::recursive_directory_iterator(dir_ / ".lq/logs")) parquet += e.path().extension() == ".parquet";
  EXPECT_EQ(parquet, 8);
}

TEST_F(CaptureCliTest, KillNineMidRunLosesNothing) {
  pid_t pid = fork();
  if (pid == 0) {
    RunLq({"exec", "--", "sh", "-c", "echo started; sleep 30"}, dir_.path(), env_);
    _exit(0);
  }
  // Wait until the run is on disk, then kill lq itself (the RunLq child's child).
  std::string raw = dir_ / ".lq/raw/001.log";
  for (int i = 0; i < 200 && (!fs::exists(raw) || fs::file_size(raw) == 0); ++i) usleep(20000);
  ASSERT_TRUE(fs::exists(raw));
  std::string kill_cmd = "pkill -9 -f 'exec -- sh -c echo started' ; pkill -f 'sleep 30'";
  (void)std::system(kill_cmd.c_str());
  waitpid(pid, nullptr, 0);
  json h = Json({"history", "--json"});
  ASSERT_EQ(h.size(), 1u);
  EXPECT_TRUE(h[0]["exit_code"].is_null());
  EXPECT_EQ(h[0]["status"], "UNKNOWN");
}

TEST_F(CaptureCliTest, ReadCommandsWork) {
  ASSERT_EQ(Lq({"exec", "-q", "--", "sh", "-c", "exit 1"}).exit_code, 1);
  ASSERT_EQ(Lq({"exec", "-q", "--", "sh", "-c", "exit 0"}).exit_code, 0);
  for (const auto& cmd : std::vector<std::vector<std::string>>{
           {"status"}, {"errors"}, {"warnings"}, {"summary"}, {"history"}, {"diff"}, {"errors", "--all", "--json"},
           {"query", "SELECT count(*) AS n FROM lq_runs"}, {"sql", "SELECT * FROM lq_errors(5)", "--json"}}) {
    auto r = Lq(cmd);
    EXPECT_EQ(r.exit_code, 0) << cmd[0] << ": " << r.err;
  }
  auto q = Json({"query", "SELECT count(*) AS n FROM lq_runs", "--json"});
  EXPECT_EQ(q[0]["n"], 2);
  auto bad = Lq({"query", "SELEC nonsense"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err.rfind("lq: error: ", 0), 0u);
  auto noevent = Lq({"event", "1:99"});
  EXPECT_EQ(noevent.exit_code, 1);
  auto prune = Json({"prune", "--older-than", "30d", "--dry-run", "--json"});
  EXPECT_EQ(prune["runs"], 0);
}

TEST_F(CaptureCliTest, FormatsByNameOrAliasAndUnknownOnesListTheChoices) {
  WriteFileOrDie(dir_ / "clang.log", "src/a.c:3:5: error: use of undeclared identifier 'x'\n");
  for (const char* format : {"gcc", "clang", "cc"}) {
    ASSERT_EQ(Lq({"import", "-q", "--format", format, "clang.log"}).exit_code, 0) << format;
  }
  json errors = Json({"query", "--json", "SELECT tool_name FROM lq_events WHERE severity = 'error'"});
  ASSERT_EQ(errors.size(), 3u);  // one per run
  for (const auto& e : errors) EXPECT_EQ(e["tool_name"], "gcc");
  auto bad = Lq({"import", "--format", "nope", "clang.log"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("known: auto, junit, "), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find(", gcc"), std::string::npos) << bad.err;
  auto help = Lq({"import", "--help"});
  EXPECT_NE(help.out.find("gcc (clang clang++ g++ cc c++)"), std::string::npos) << help.out;
}

TEST_F(CaptureCliTest, ImportsJunitXml) {
  WriteFileOrDie(dir_ / "report.xml",
                 "<?xml version=\"1.0\"?>\n<testsuite name=\"s\" tests=\"2\">\n"
                 "  <testcase classname=\"t.T\" name=\"ok\"/>\n"
                 "  <testcase classname=\"t.T\" name=\"bad\" file=\"t/test_x.py\" line=\"7\">\n"
                 "    <failure message=\"assert 1 == 2\" type=\"AssertionError\">boom</failure>\n"
                 "  </testcase>\n</testsuite>\n");
  auto r = Lq({"import", "report.xml", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json errors = Json({"errors", "--json"});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]["tool_name"], "junit");
  EXPECT_EQ(errors[0]["error_code"], "AssertionError");
  EXPECT_EQ(errors[0]["file_path"], "t/test_x.py");
}

TEST_F(CaptureCliTest, PruneRemovesOldDaysOnly) {
  ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  ASSERT_EQ(Json({"history", "--json"}).size(), 2u);
  // Age the first run: move its day folder into the past.
  fs::path day;
  for (auto& e : fs::directory_iterator(dir_ / ".lq/logs")) day = e.path();
  fs::create_directories(dir_ / ".lq/logs/date=2020-01-01/source=exec");
  fs::path first;
  for (auto& e : fs::directory_iterator(day / "source=exec")) {
    if (e.path().filename().string().rfind("001_", 0) == 0) first = e.path();
  }
  fs::rename(first, dir_ / ".lq/logs/date=2020-01-01/source=exec" / first.filename());
  fs::remove_all(dir_ / ".lq/cache");
  json dry = Json({"prune", "--older-than", "30d", "--dry-run", "--json"});
  EXPECT_EQ(dry["runs"], 1);
  EXPECT_EQ(Json({"history", "--json"}).size(), 2u);
  json done = Json({"prune", "--older-than", "30d", "--json"});
  EXPECT_EQ(done["runs"], 1);
  json h = Json({"history", "--json"});
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0]["run_id"], 2);
  EXPECT_FALSE(fs::exists(dir_ / ".lq/raw/001.log"));
  EXPECT_TRUE(fs::exists(dir_ / ".lq/raw/002.log"));
  EXPECT_FALSE(fs::exists(dir_ / ".lq/logs/date=2020-01-01"));
  EXPECT_EQ(Lq({"prune", "--older-than", "soon"}).exit_code, 2);
}

TEST_F(CaptureCliTest, OutsideAProjectSaysToInit) {
  TempDir elsewhere;
  // exec still runs the command there (capture_hardening_cli_test.cc); it warns.
  auto r = RunLq({"exec", "--", "true"}, elsewhere.path(), env_);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("lq init"), std::string::npos) << r.err;
  auto read = RunLq({"errors"}, elsewhere.path(), env_);
  EXPECT_EQ(read.exit_code, 1);
  EXPECT_NE(read.err.find("lq init"), std::string::npos) << read.err;
}

// A .NET developer's `dotnet build` and `dotnet test` output gives events (issue: it gave
// none): compiler errors once though MSBuild repeats them, and failed tests.
TEST_F(CaptureCliTest, DotnetBuildAndTestOutputGivesEvents) {
  WriteFileOrDie(dir_ / "build.log",
                 "/src/App/Program.cs(5,10): error CS1002: ; expected [/src/App/App.csproj]\n"
                 "/src/App/User.cs(7,19): warning CS8618: Non-nullable property 'Name' must "
                 "contain a non-null value when exiting constructor. [/src/App/App.csproj]\n"
                 "\nBuild FAILED.\n\n"
                 "/src/App/Program.cs(5,10): error CS1002: ; expected [/src/App/App.csproj]\n"
                 "/src/App/User.cs(7,19): warning CS8618: Non-nullable property 'Name' must "
                 "contain a non-null value when exiting constructor. [/src/App/App.csproj]\n"
                 "    1 Warning(s)\n    1 Error(s)\n"
                 "  Failed App.Tests.MathTests.Adds [12 ms]\n"
                 "  Error Message:\n"
                 "   Assert.Equal() Failure: Values differ\n"
                 "  Stack Trace:\n"
                 "     at App.Tests.MathTests.Adds() in /src/App.Tests/MathTests.cs:line 42\n\n"
                 "Failed!  - Failed:     1, Passed:     3, Skipped:     0, Total:     4, "
                 "Duration: 12 ms - App.Tests.dll (net8.0)\n");
  ASSERT_EQ(Lq({"import", "build.log", "-q"}).exit_code, 0);
  json events = Json({"query", "--json",
                      "SELECT tool_name, severity, error_code, file_path, line_number FROM lq_events "
                      "ORDER BY log_line_start"});
  ASSERT_EQ(events.size(), 3u) << events.dump();
  EXPECT_EQ(events[0]["tool_name"], "dotnet");
  EXPECT_EQ(events[0]["error_code"], "CS1002");
  EXPECT_EQ(events[0]["file_path"], "/src/App/Program.cs");
  EXPECT_EQ(events[1]["severity"], "warning");
  EXPECT_EQ(events[1]["error_code"], "CS8618");
  EXPECT_EQ(events[2]["tool_name"], "vstest");
  EXPECT_EQ(events[2]["file_path"], "/src/App.Tests/MathTests.cs");
  EXPECT_EQ(events[2]["line_number"], 42);
  auto help = Lq({"import", "--help"});
  EXPECT_NE(help.out.find("dotnet (msbuild csc fsc vbc)"), std::string::npos) << help.out;
}

// One finalizer per project: while one holds .lq/finalize.lock, `lq exec` starts no
// other (and one started anyway converts nothing); the run waits in the spool, and a
// read command converts it.
TEST_F(CaptureCliTest, ExecLeavesConversionToTheRunningFinalizer) {
  int lock = ::open((dir_ / ".lq/finalize.lock").c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(lock, 0);
  ASSERT_EQ(::flock(lock, LOCK_EX | LOCK_NB), 0);
  ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  EXPECT_EQ(Lq({"internal-finalize"}).exit_code, 0);
  ::usleep(500 * 1000);  // time for a detached finalizer, had one been started, to convert
  EXPECT_TRUE(fs::exists(dir_ / ".lq/spool/001.meta.json"));
  ::close(lock);
  json h = Json({"history", "--json"});
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0]["exit_code"], 0);
  EXPECT_FALSE(fs::exists(dir_ / ".lq/spool/001.meta.json"));
}

}  // namespace
}  // namespace lq::cli

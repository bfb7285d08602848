#include "logs/run_spool.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "logs/run_info.h"
#include "testing/temp_dir.h"

namespace lq::logs {
namespace {

TEST(RunSpoolTest, EightProcessesGetDistinctRunIds) {
  testing::TempDir dir;
  std::vector<pid_t> pids;
  for (int i = 0; i < 8; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      auto id = AllocateRunId(Env::Default(), dir.path());
      testing::WriteFileOrDie(dir / ("id" + std::to_string(i)), id.ok() ? std::to_string(*id) : "ERR");
      _exit(0);
    }
    pids.push_back(pid);
  }
  for (pid_t p : pids) waitpid(p, nullptr, 0);
  std::set<std::string> ids;
  for (int i = 0; i < 8; ++i) ids.insert(testing::ReadFileOrDie(dir / ("id" + std::to_string(i))));
  EXPECT_EQ(ids, (std::set<std::string>{"1", "2", "3", "4", "5", "6", "7", "8"}));
  auto next = AllocateRunId(Env::Default(), dir.path());
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 9);
}

TEST(RunSpoolTest, LockIsHeldWhileTheRunIsOpen) {
  testing::TempDir dir;
  RunMeta meta;
  meta.run_id = 7;
  meta.source_name = "build";
  meta.source_type = "exec";
  meta.ci = {{"CI", "true"}};
  RunPaths paths = RunPaths::For(dir.path(), 7);
  {
    auto spool = RunSpool::Begin(Env::Default(), dir.path(), meta);
    ASSERT_TRUE(spool.ok()) << spool.status().ToString();
    ASSERT_TRUE(spool->AppendRaw("line one\n").ok());
    Event e;
    e.message = "boom \xff invalid utf8";
    ASSERT_TRUE(spool->AppendEvent(e, 1).ok());
    auto lock = LockRun(Env::Default(), paths.meta, /*wait=*/false);
    ASSERT_TRUE(lock.ok());
    EXPECT_EQ(*lock, nullptr);  // the writer holds it
    EXPECT_EQ(ListSpooledRuns(Env::Default(), dir.path()), std::vector<int64_t>{7});
    RunDone done;
    done.exit_code = 2;
    ASSERT_TRUE(spool->Finish(done).ok());
  }
  auto lock = LockRun(Env::Default(), paths.meta, /*wait=*/false);
  ASSERT_TRUE(lock.ok());
  EXPECT_NE(*lock, nullptr);
  lock->reset();
  EXPECT_EQ(testing::ReadFileOrDie(paths.raw), "line one\n");
  auto m = MetaFromJson(testing::ReadFileOrDie(paths.meta));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->source_name, "build");
  EXPECT_EQ(m->ci.at("CI"), "true");
  EXPECT_EQ(m->git_dirty, -1);
  auto d = DoneFromJson(testing::ReadFileOrDie(paths.done));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->exit_code, 2);
  EXPECT_EQ(FormatRunId(7), "007");
  EXPECT_EQ(FormatRunId(1234), "1234");
}

TEST(RunInfoTest, SecretsAreNeverRecorded) {
  for (const char* name : {"AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "api_key", "DB_PASSWORD", "MY_CREDENTIALS",
                           "NPM_AUTH", "SSH_PASSWD"}) {
    EXPECT_TRUE(LooksSecret(name)) << name;
  }
  for (const char* name : {"CC", "CFLAGS", "GITHUB_SHA", "CI"}) EXPECT_FALSE(LooksSecret(name)) << name;
  EXPECT_EQ(ShellJoin({"make", "-j8", "a b", "it's"}), "make -j8 'a b' 'it'\\''s'");
}

}  // namespace
}  // namespace lq::logs

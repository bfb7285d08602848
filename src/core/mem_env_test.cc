// MemEnv's test controls: normalized paths, fake clock, seeded randomness, process
// handler, thread safety.
#include "core/mem_env.h"

#include <gtest/gtest.h>

#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "testing/env_test_util.h"

namespace lq {
namespace {

using namespace env_testing;  // NOLINT

// ---------------------------------------------------------------------------------------
// MemEnv specifics.

TEST(MemEnvTest, RootExistsAndPathsAreNormalized) {
  MemEnv env;
  EXPECT_TRUE(IsDirectory(&env, "/"));
  EXPECT_EQ(Names(&env, "/"), Strings{});
  ASSERT_TRUE(CreateDirs(&env, "/a/b").ok());
  ASSERT_TRUE(WriteWith(&env, "//a///b//f", "x").ok());
  EXPECT_EQ(ReadOr(&env, "/a/b/f"), "x");
  EXPECT_EQ(ReadOr(&env, "/a/./b/../b/f"), "x");
  EXPECT_TRUE(IsDirectory(&env, "/a/b/"));
  EXPECT_EQ(Names(&env, "/a//"), Strings{"b"});
  EXPECT_FALSE(env.RemoveDir("/").ok());
}

TEST(MemEnvTest, RelativePathsResolveAgainstCurrentDir) {
  MemEnv env;
  auto cwd = env.CurrentDir();
  ASSERT_TRUE(cwd.ok());
  EXPECT_EQ(*cwd, "/");
  ASSERT_TRUE(CreateDirs(&env, "/home/me/proj").ok());
  env.SetCurrentDir("/home/me");
  EXPECT_EQ(env.CurrentDir().value_or(""), "/home/me");
  ASSERT_TRUE(WriteFileAtomically(&env, "notes.txt", "hi").ok());
  EXPECT_EQ(ReadOr(&env, "/home/me/notes.txt"), "hi");
  env.SetCurrentDir("proj/");  // relative to the old one
  EXPECT_EQ(env.CurrentDir().value_or(""), "/home/me/proj");
  EXPECT_EQ(ReadOr(&env, "../notes.txt"), "hi");
  EXPECT_EQ(Names(&env, "."), Strings{});
}

TEST(MemEnvTest, SymlinksAreFollowedInsidePaths) {
  MemEnv env;
  ASSERT_TRUE(CreateDirs(&env, "/real/dir").ok());
  ASSERT_TRUE(env.Symlink("/real", "/abs").ok());
  ASSERT_TRUE(env.Symlink("real/dir", "/rel").ok());  // relative to the link's directory
  ASSERT_TRUE(WriteWith(&env, "/abs/dir/f", "through").ok());
  EXPECT_EQ(ReadOr(&env, "/real/dir/f"), "through");
  EXPECT_EQ(ReadOr(&env, "/rel/f"), "through");
  EXPECT_EQ(Names(&env, "/abs"), Strings{"dir"});
  EXPECT_TRUE(CreateDirs(&env, "/abs").ok());  // a symlink to a directory will do
  // Writing through a dangling link creates its target, as open(O_CREAT) does.
  ASSERT_TRUE(env.Symlink("/real/new", "/dangling").ok());
  ASSERT_TRUE(WriteWith(&env, "/dangling", "made").ok());
  EXPECT_EQ(ReadOr(&env, "/real/new"), "made");
  // ...but an exclusive create refuses the link itself.
  EXPECT_TRUE(
      env.OpenWritable("/dangling", Env::OpenMode::kCreateExclusive).status().IsAlreadyExists());
  ASSERT_TRUE(env.Symlink("/loop", "/loop").ok());
  EXPECT_EQ(env.ReadFile("/loop").status().code(), Status::Code::kIOError);  // ELOOP
}

TEST(MemEnvTest, ProcessEnvironmentIsControllable) {
  MemEnv env;
  EXPECT_EQ(env.GetEnvVar("HOME"), std::nullopt);
  env.SetEnvVar("HOME", "/home/me");
  EXPECT_EQ(env.GetEnvVar("HOME"), "/home/me");
  env.SetEnvVar("EMPTY", "");
  EXPECT_EQ(env.GetEnvVar("EMPTY"), "");
  env.UnsetEnvVar("HOME");
  EXPECT_EQ(env.GetEnvVar("HOME"), std::nullopt);
  EXPECT_EQ(env.HostName(), "localhost");
  env.SetHostName("buildbox");
  EXPECT_EQ(env.HostName(), "buildbox");
  EXPECT_EQ(env.ProcessId(), MemEnv::kProcessId);
}

TEST(MemEnvTest, ClockIsFakeAndDrivesMtimes) {
  MemEnv env;
  EXPECT_EQ(env.NowMicros(), MemEnv::kDefaultNowMicros);
  env.SleepForMicros(3'600'000'000);  // an hour, instantly
  EXPECT_EQ(env.NowMicros(), MemEnv::kDefaultNowMicros + 3'600'000'000);
  env.SetNowMicros(1'000'000);
  env.AdvanceMicros(5);
  EXPECT_EQ(env.NowMicros(), 1'000'005);
  ASSERT_TRUE(WriteWith(&env, "/f", "x").ok());
  auto info = env.Stat("/f");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->mtime_ns, 1'000'005'000);
  env.AdvanceMicros(10);
  ASSERT_TRUE(AppendToFile(&env, "/f", "y").ok());
  EXPECT_EQ(env.Stat("/f")->mtime_ns, 1'000'015'000);
}

TEST(MemEnvTest, RandomBytesAreDeterministicPerSeed) {
  MemEnv a(1), b(1), c(2);
  auto a1 = RandomHex(&a, 16), b1 = RandomHex(&b, 16), c1 = RandomHex(&c, 16);
  ASSERT_TRUE(a1.ok() && b1.ok() && c1.ok());
  EXPECT_EQ(*a1, *b1);
  EXPECT_NE(*a1, *c1);
  auto a2 = RandomHex(&a, 3);  // odd sizes work and the stream moves on
  ASSERT_TRUE(a2.ok());
  EXPECT_EQ(a2->size(), 6u);
  EXPECT_NE(a1->substr(0, 6), *a2);
}

TEST(MemEnvTest, RunProcessUsesTheHandler) {
  MemEnv env;
  auto missing = env.RunProcess({"git", "status"});
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->exit_code, 127);
  EXPECT_FALSE(env.RunProcess({}).ok());
  std::vector<std::string> seen;
  env.SetProcessHandler([&seen](const std::vector<std::string>& argv) -> Result<ProcessResult> {
    seen = argv;
    return ProcessResult{0, "main\n"};
  });
  auto r = env.RunProcess({"git", "branch", "--show-current"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->output, "main\n");
  EXPECT_EQ(seen, (Strings{"git", "branch", "--show-current"}));
}

TEST(MemEnvTest, WritableFileSemantics) {
  MemEnv env;
  auto f = env.OpenWritable("/f", Env::OpenMode::kTruncate);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->Append("abc").ok());
  ASSERT_TRUE(env.RemoveFile("/f").ok());
  EXPECT_TRUE((*f)->Append("def").ok());  // an unlinked file stays writable
  ASSERT_TRUE((*f)->Close().ok());
  EXPECT_FALSE((*f)->Append("x").ok());
  EXPECT_FALSE(FileExists(&env, "/f"));
}

TEST(MemEnvTest, ConcurrentUseIsSafe) {
  MemEnv env;
  ASSERT_TRUE(env.CreateDir("/d").ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&env, t] {
      for (int i = 0; i < 100; ++i) {
        EXPECT_TRUE(AppendToFile(&env, "/d/journal", "x").ok());
        EXPECT_TRUE(
            WriteFileAtomically(&env, "/d/own-" + std::to_string(t), std::to_string(i)).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ReadOr(&env, "/d/journal"), std::string(800, 'x'));
  EXPECT_EQ(Names(&env, "/d").size(), 9u);  // no temp files left
  EXPECT_EQ(ReadOr(&env, "/d/own-3"), "99");
}

}  // namespace
}  // namespace lq

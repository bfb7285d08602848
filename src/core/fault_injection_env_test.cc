// FaultInjectionEnv on top of PosixEnv and MemEnv, driving the Env helpers through ENOSPC,
// crashes and power loss at every step.
#include "core/fault_injection_env.h"

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
// FaultInjectionEnv, on top of both base Envs.

class FaultInjectionEnvTest : public ::testing::TestWithParam<std::string> {
 protected:
  FaultInjectionEnvTest() : u_(GetParam()), base_(u_.env) {}
  std::string P(const std::string& rel) const { return JoinPath(u_.root, rel); }

  // Versions of a file with different lengths, so a truncated one matches none.
  static std::string Version(int i) { return std::string(37 * i + 11, static_cast<char>('a' + i)); }

  EnvUnderTest u_;
  Env* base_;
};

TEST_P(FaultInjectionEnvTest, ForwardsAndCounts) {
  FaultInjectionEnv env(base_);
  ASSERT_TRUE(WriteFileAtomically(&env, P("f"), "data").ok());
  EXPECT_EQ(ReadOr(base_, P("f")), "data");
  EXPECT_EQ(env.append_count(), 1);
  // OpenWritable, Append, Sync, Rename, SyncDir.
  EXPECT_EQ(env.mutating_op_count(), 5);
  EXPECT_EQ(ReadOr(&env, P("f")), "data");
  EXPECT_EQ(env.mutating_op_count(), 5);  // reads are not counted
  EXPECT_FALSE(env.crashed());
}

TEST_P(FaultInjectionEnvTest, FailWritesAfterFailsEveryLaterMutationUntilCleared) {
  ASSERT_TRUE(WriteWith(base_, P("existing"), "keep").ok());
  FaultInjectionEnv env(base_);
  env.FailWritesAfter(1, Status::Code::kIOError);
  auto file = env.OpenWritable(P("f"), Env::OpenMode::kTruncate);  // the one that passes
  ASSERT_TRUE(file.ok());
  EXPECT_EQ((*file)->Append("x").code(), Status::Code::kIOError);
  EXPECT_EQ((*file)->Sync().code(), Status::Code::kIOError);
  EXPECT_TRUE((*file)->Close().ok());
  EXPECT_EQ(env.CreateDir(P("d")).code(), Status::Code::kIOError);
  EXPECT_EQ(env.RemoveFile(P("existing")).code(), Status::Code::kIOError);  // EIO: even this
  EXPECT_EQ(env.Rename(P("existing"), P("y")).code(), Status::Code::kIOError);
  EXPECT_EQ(env.Symlink("x", P("l")).code(), Status::Code::kIOError);
  EXPECT_EQ(env.SyncDir(u_.root).code(), Status::Code::kIOError);
  // Reads always work.
  EXPECT_EQ(ReadOr(&env, P("existing")), "keep");
  EXPECT_EQ(Names(&env, u_.root), (Strings{"existing", "f"}));
  env.ClearFaults();
  EXPECT_TRUE(AppendToFile(&env, P("f"), "ok").ok());
  EXPECT_EQ(ReadOr(&env, P("f")), "ok");
}

TEST_P(FaultInjectionEnvTest, NoSpaceStillAllowsRemovals) {
  ASSERT_TRUE(WriteWith(base_, P("junk"), "x").ok());
  FaultInjectionEnv env(base_);
  env.FailWritesAfter(0, Status::Code::kNoSpace);
  EXPECT_EQ(AppendToFile(&env, P("junk"), "more").code(), Status::Code::kNoSpace);
  EXPECT_TRUE(env.RemoveFile(P("junk")).ok());
  EXPECT_EQ(Names(&env, u_.root), Strings{});
}

// ENOSPC at each mutating operation of WriteFileAtomically in turn: the error is
// reported, the file holds the old or the new content (the new one only if the failure
// came after the rename, i.e. at the final SyncDir), and no temp file is left behind.
TEST_P(FaultInjectionEnvTest, WriteFileAtomicallyUnderEnospcAtEveryStep) {
  const std::string path = P("config.yaml");
  const std::string old_content = Version(1), new_content = Version(2);
  int steps;
  {
    ASSERT_TRUE(WriteWith(base_, path, old_content).ok());
    FaultInjectionEnv env(base_);
    ASSERT_TRUE(WriteFileAtomically(&env, path, new_content).ok());
    steps = env.mutating_op_count();
  }
  ASSERT_GE(steps, 4);
  for (int n = 0; n <= steps; ++n) {
    SCOPED_TRACE("ENOSPC after " + std::to_string(n) + " operations");
    ASSERT_TRUE(WriteWith(base_, path, old_content).ok());
    FaultInjectionEnv env(base_);
    env.FailWritesAfter(n, Status::Code::kNoSpace);
    Status s = WriteFileAtomically(&env, path, new_content);
    env.ClearFaults();
    const std::string content = ReadOr(base_, path);
    if (n < steps) {
      EXPECT_EQ(s.code(), Status::Code::kNoSpace) << s.ToString();
      if (n < steps - 1) {
        EXPECT_EQ(content, old_content);
      }
      EXPECT_TRUE(content == old_content || content == new_content) << content;
    } else {
      EXPECT_TRUE(s.ok()) << s.ToString();
      EXPECT_EQ(content, new_content);
    }
    EXPECT_EQ(Names(base_, u_.root), Strings{"config.yaml"});
  }
}

TEST_P(FaultInjectionEnvTest, CreateFileOnceUnderEnospcAtEveryStep) {
  const std::string path = P("device-id");
  int steps;
  {
    FaultInjectionEnv env(base_);
    ASSERT_TRUE(CreateFileOnce(&env, path, "abc123").ok());
    steps = env.mutating_op_count();
  }
  for (int n = 0; n <= steps; ++n) {
    SCOPED_TRACE("ENOSPC after " + std::to_string(n) + " operations");
    ASSERT_TRUE(RemoveAll(base_, path).ok());
    FaultInjectionEnv env(base_);
    env.FailWritesAfter(n, Status::Code::kNoSpace);
    Status s = CreateFileOnce(&env, path, "abc123");
    EXPECT_EQ(s.ok(), n == steps) << s.ToString();
    const Strings names = Names(base_, u_.root);
    if (names.empty()) {
      EXPECT_FALSE(s.ok());
    } else {
      EXPECT_EQ(names, Strings{"device-id"});  // no temp file
      EXPECT_EQ(ReadOr(base_, path), "abc123");
    }
  }
}

// Power loss after each Append of a series of atomic rewrites: after the restart the file
// holds one complete version, at least the last one acknowledged.
TEST_P(FaultInjectionEnvTest, CrashAfterEveryAppendLeavesAWholeVersion) {
  const std::string path = P("state");
  constexpr int kVersions = 4;
  int total_appends;
  {
    ASSERT_TRUE(WriteWith(base_, path, Version(0)).ok());
    FaultInjectionEnv env(base_);
    for (int v = 1; v <= kVersions; ++v)
      ASSERT_TRUE(WriteFileAtomically(&env, path, Version(v)).ok());
    total_appends = env.append_count();
  }
  // n == total_appends crashes right after the last Append, before its Sync; one more is
  // the control run without a crash.
  for (int n = 0; n <= total_appends + 1; ++n) {
    SCOPED_TRACE("crash after " + std::to_string(n) + " appends");
    ASSERT_TRUE(RemoveAll(base_, u_.root).ok());
    ASSERT_TRUE(base_->CreateDir(u_.root).ok());
    ASSERT_TRUE(WriteWith(base_, path, Version(0)).ok());
    FaultInjectionEnv env(base_);
    env.CrashAfterWrites(n);
    int acked = 0;
    for (int v = 1; v <= kVersions; ++v) {
      if (!WriteFileAtomically(&env, path, Version(v)).ok()) break;
      acked = v;
    }
    EXPECT_EQ(env.crashed(), n <= total_appends);
    ASSERT_TRUE(env.DropUnsyncedData().ok());
    EXPECT_FALSE(env.crashed());
    const std::string content = ReadOr(base_, path);
    bool whole = false;
    for (int v = acked; v <= kVersions; ++v) whole |= content == Version(v);
    EXPECT_TRUE(whole) << "acked " << acked << ", got " << content.size() << " bytes";
    EXPECT_EQ(Names(base_, u_.root), Strings{"state"});  // never-synced temps are gone
  }
}

// Power loss at each mutating operation (not just Appends), including between the rename
// and the directory sync, which the restart rolls back.
TEST_P(FaultInjectionEnvTest, PowerLossAtEveryStepLeavesAWholeVersion) {
  const std::string path = P("state");
  constexpr int kVersions = 3;
  int steps;
  {
    ASSERT_TRUE(WriteWith(base_, path, Version(0)).ok());
    FaultInjectionEnv env(base_);
    for (int v = 1; v <= kVersions; ++v)
      ASSERT_TRUE(WriteFileAtomically(&env, path, Version(v)).ok());
    steps = env.mutating_op_count();
  }
  for (int n = 0; n <= steps; ++n) {
    SCOPED_TRACE("power loss after " + std::to_string(n) + " operations");
    ASSERT_TRUE(RemoveAll(base_, u_.root).ok());
    ASSERT_TRUE(base_->CreateDir(u_.root).ok());
    ASSERT_TRUE(WriteWith(base_, path, Version(0)).ok());
    FaultInjectionEnv env(base_);
    env.FailWritesAfter(n, Status::Code::kIOError);  // everything after n is lost
    int acked = 0;
    for (int v = 1; v <= kVersions; ++v) {
      if (!WriteFileAtomically(&env, path, Version(v)).ok()) break;
      acked = v;
    }
    ASSERT_TRUE(env.DropUnsyncedData().ok());
    const std::string content = ReadOr(base_, path);
    bool whole = false;
    for (int v = acked; v <= kVersions; ++v) whole |= content == Version(v);
    EXPECT_TRUE(whole) << "acked " << acked << ", got " << content.size() << " bytes";
    // A rolled-back rename may leave a complete temp file, as a real crash can; it never
    // shadows the real name.
    for (const auto& name : Names(base_, u_.root)) {
      EXPECT_TRUE(name == "state" || name.rfind("state.tmp-", 0) == 0) << name;
    }
  }
}

// An append-only journal: every record AppendToFile acknowledged survives whole, and a
// record cut by the crash disappears entirely.
TEST_P(FaultInjectionEnvTest, CrashKeepsExactlyTheAcknowledgedJournalRecords) {
  const std::string path = P("journal");
  constexpr int kRecords = 5;
  auto record = [](int i) { return "record " + std::to_string(i) + "\n"; };
  for (int n = 0; n <= kRecords; ++n) {
    SCOPED_TRACE("crash after " + std::to_string(n) + " appends");
    ASSERT_TRUE(RemoveAll(base_, path).ok());
    FaultInjectionEnv env(base_);
    env.CrashAfterWrites(n);
    std::string acked;
    for (int i = 0; i < kRecords; ++i) {
      if (!AppendToFile(&env, path, record(i)).ok()) break;
      acked += record(i);
    }
    ASSERT_TRUE(env.DropUnsyncedData().ok());
    auto content = base_->ReadFile(path);
    if (acked.empty()) {
      // The file was created but the only record in it was never synced.
      EXPECT_TRUE(!content.ok() || content->empty());
    } else {
      ASSERT_TRUE(content.ok());
      EXPECT_EQ(*content, acked);
    }
  }
}

TEST_P(FaultInjectionEnvTest, DropUnsyncedDataModel) {
  ASSERT_TRUE(WriteWith(base_, P("old"), "old content").ok());
  ASSERT_TRUE(WriteWith(base_, P("truncated"), "will vanish").ok());
  FaultInjectionEnv env(base_);
  // Synced prefix kept, unsynced tail dropped.
  auto f = env.OpenWritable(P("partial"), Env::OpenMode::kTruncate);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->Append("synced").ok());
  ASSERT_TRUE((*f)->Sync().ok());
  ASSERT_TRUE((*f)->Append(" unsynced").ok());
  // Never synced: gone.
  ASSERT_TRUE(WriteWith(&env, P("never"), "lost").ok());
  // Pre-existing content appended to without a sync: the old content stays.
  ASSERT_TRUE(WriteWith(&env, P("old"), " + more", Env::OpenMode::kAppend).ok());
  // Truncated and rewritten without a sync: empty.
  ASSERT_TRUE(WriteWith(&env, P("truncated"), "new").ok());
  // A synced file renamed over another without SyncDir: rolled back.
  auto t = env.OpenWritable(P("tmp"), Env::OpenMode::kCreateExclusive);
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE((*t)->Append("replacement").ok());
  ASSERT_TRUE((*t)->Sync().ok());
  ASSERT_TRUE((*t)->Close().ok());
  ASSERT_TRUE(WriteWith(base_, P("target"), "original").ok());  // behind env's back, durable
  ASSERT_TRUE(env.Rename(P("tmp"), P("target")).ok());
  EXPECT_EQ(ReadOr(base_, P("target")), "replacement");

  ASSERT_TRUE(env.DropUnsyncedData().ok());
  EXPECT_EQ(ReadOr(base_, P("partial")), "synced");
  EXPECT_FALSE(FileExists(base_, P("never")));
  EXPECT_EQ(ReadOr(base_, P("old")), "old content");
  EXPECT_EQ(ReadOr(base_, P("truncated")), "");
  EXPECT_EQ(ReadOr(base_, P("target")), "original");
  EXPECT_EQ(ReadOr(base_, P("tmp")), "replacement");
  // Files opened before the restart are dead.
  EXPECT_EQ((*f)->Append("x").code(), Status::Code::kIOError);
  ASSERT_TRUE((*f)->Close().ok());

  // The same rename followed by SyncDir survives, and so does the removal.
  ASSERT_TRUE(env.Rename(P("tmp"), P("target")).ok());
  ASSERT_TRUE(env.SyncDir(u_.root + "/").ok());
  ASSERT_TRUE(env.RemoveFile(P("old")).ok());
  ASSERT_TRUE(env.DropUnsyncedData().ok());
  EXPECT_EQ(ReadOr(base_, P("target")), "replacement");
  EXPECT_EQ(Names(base_, u_.root), (Strings{"partial", "target", "truncated"}));
}

TEST_P(FaultInjectionEnvTest, CrashAfterZeroWritesCrashesAtOnce) {
  FaultInjectionEnv env(base_);
  env.CrashAfterWrites(0);
  EXPECT_TRUE(env.crashed());
  Status s = env.CreateDir(P("d"));
  EXPECT_EQ(s.code(), Status::Code::kIOError);
  EXPECT_EQ(s.message().rfind("simulated crash", 0), 0u) << s.ToString();
  env.ClearFaults();
  EXPECT_FALSE(env.crashed());
  EXPECT_TRUE(env.CreateDir(P("d")).ok());
}

INSTANTIATE_TEST_SUITE_P(FaultInjection, FaultInjectionEnvTest, ::testing::Values("Posix", "Mem"),
                         ParamName);

}  // namespace
}  // namespace lq

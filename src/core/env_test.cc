// Tests for Env: one contract suite run against PosixEnv (on a temp dir) and MemEnv, so
// the fake cannot drift from the real thing; the path helpers; PosixEnv's processes and
// races. MemEnv's own controls: mem_env_test.cc; fault injection: fault_injection_env_test.cc.
#include "core/env.h"

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
// The contract: identical expectations for PosixEnv and MemEnv.

class EnvContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  EnvContractTest() : u_(GetParam()), env_(u_.env) {}
  std::string P(const std::string& rel) const { return JoinPath(u_.root, rel); }

  EnvUnderTest u_;
  Env* env_;
};

TEST_P(EnvContractTest, CreateReadAppendTruncate) {
  ASSERT_TRUE(WriteWith(env_, P("f"), "hello").ok());
  EXPECT_EQ(ReadOr(env_, P("f")), "hello");
  ASSERT_TRUE(WriteWith(env_, P("f"), " world", Env::OpenMode::kAppend).ok());
  EXPECT_EQ(ReadOr(env_, P("f")), "hello world");
  ASSERT_TRUE(AppendToFile(env_, P("f"), "!").ok());
  EXPECT_EQ(ReadOr(env_, P("f")), "hello world!");
  ASSERT_TRUE(WriteWith(env_, P("f"), "new").ok());
  EXPECT_EQ(ReadOr(env_, P("f")), "new");
  ASSERT_TRUE(AppendToFile(env_, P("journal"), "a\n").ok());  // kAppend creates
  EXPECT_EQ(ReadOr(env_, P("journal")), "a\n");
  ASSERT_TRUE(WriteWith(env_, P("empty"), "").ok());
  EXPECT_EQ(ReadOr(env_, P("empty")), "");
}

TEST_P(EnvContractTest, MissingThingsAreNotFound) {
  EXPECT_TRUE(env_->ReadFile(P("nope")).status().IsNotFound());
  EXPECT_TRUE(env_->Stat(P("nope")).status().IsNotFound());
  EXPECT_TRUE(env_->ListDir(P("nope")).status().IsNotFound());
  EXPECT_TRUE(env_->RemoveFile(P("nope")).IsNotFound());
  EXPECT_TRUE(env_->RemoveDir(P("nope")).IsNotFound());
  EXPECT_TRUE(env_->Rename(P("nope"), P("x")).IsNotFound());
  EXPECT_TRUE(env_->ReadLink(P("nope")).status().IsNotFound());
  EXPECT_TRUE(env_->SyncDir(P("nope")).IsNotFound());
  // A missing parent directory, for every way of creating a file.
  for (auto mode :
       {Env::OpenMode::kTruncate, Env::OpenMode::kAppend, Env::OpenMode::kCreateExclusive}) {
    EXPECT_TRUE(env_->OpenWritable(P("nodir/f"), mode).status().IsNotFound());
  }
  EXPECT_FALSE(FileExists(env_, P("nodir")));
  // A file used as a directory.
  ASSERT_TRUE(WriteWith(env_, P("file"), "x").ok());
  EXPECT_TRUE(env_->OpenWritable(P("file/f"), Env::OpenMode::kTruncate).status().IsNotFound());
  EXPECT_TRUE(env_->ListDir(P("file")).status().IsNotFound());
}

TEST_P(EnvContractTest, ExclusiveCreate) {
  auto first = env_->OpenWritable(P("x"), Env::OpenMode::kCreateExclusive);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE((*first)->Append("first").ok());
  ASSERT_TRUE((*first)->Close().ok());
  auto second = env_->OpenWritable(P("x"), Env::OpenMode::kCreateExclusive);
  EXPECT_TRUE(second.status().IsAlreadyExists()) << second.status().ToString();
  EXPECT_EQ(ReadOr(env_, P("x")), "first");
  ASSERT_TRUE(env_->CreateDir(P("d")).ok());
  EXPECT_TRUE(
      env_->OpenWritable(P("d"), Env::OpenMode::kCreateExclusive).status().IsAlreadyExists());
  EXPECT_FALSE(env_->OpenWritable(P("d"), Env::OpenMode::kTruncate).ok());  // EISDIR
}

TEST_P(EnvContractTest, CopyToNewFileCopiesWholeFilesOnly) {
  std::string big(300'000, 'x');
  for (size_t i = 0; i < big.size(); i += 997) big[i] = static_cast<char>('a' + i % 26);
  ASSERT_TRUE(WriteWith(env_, P("big"), big).ok());
  ASSERT_TRUE(WriteWith(env_, P("empty"), "").ok());
  auto n = env_->CopyToNewFile(P("big"), P("big.copy"), true);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, big.size());
  EXPECT_EQ(ReadOr(env_, P("big.copy")), big);
  n = env_->CopyToNewFile(P("empty"), P("empty.copy"), false);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0u);
  EXPECT_EQ(ReadOr(env_, P("empty.copy")), "");
  // An existing target is left alone; a missing source creates nothing.
  EXPECT_TRUE(env_->CopyToNewFile(P("empty"), P("big.copy"), false).status().IsAlreadyExists());
  EXPECT_EQ(ReadOr(env_, P("big.copy")), big);
  EXPECT_TRUE(env_->CopyToNewFile(P("nope"), P("nope.copy"), false).status().IsNotFound());
  EXPECT_FALSE(FileExists(env_, P("nope.copy")));
}

TEST_P(EnvContractTest, ListDirIsSortedWithoutDots) {
  EXPECT_EQ(Names(env_, u_.root), Strings{});
  for (const char* name : {"b", "a", "c.txt", "B", "a.b"}) {
    ASSERT_TRUE(WriteWith(env_, P(name), name).ok());
  }
  ASSERT_TRUE(env_->CreateDir(P("dir")).ok());
  ASSERT_TRUE(WriteWith(env_, P("dir/inner"), "").ok());
  EXPECT_EQ(Names(env_, u_.root), (Strings{"B", "a", "a.b", "b", "c.txt", "dir"}));
  EXPECT_EQ(Names(env_, P("dir")), Strings{"inner"});
}

TEST_P(EnvContractTest, StatReportsTypeSizeAndMtime) {
  ASSERT_TRUE(WriteWith(env_, P("f"), "12345").ok());
  auto f = env_->Stat(P("f"));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_TRUE(f->is_file());
  EXPECT_EQ(f->size, 5u);
  EXPECT_GT(f->mtime_ns, 0);
  ASSERT_TRUE(env_->CreateDir(P("d")).ok());
  auto d = env_->Stat(P("d"));
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->is_dir());
  EXPECT_TRUE(IsDirectory(env_, P("d")));
  EXPECT_FALSE(IsDirectory(env_, P("f")));
  EXPECT_TRUE(IsDirectory(env_, u_.root + "/"));
}

TEST_P(EnvContractTest, SymlinksAreEntriesAndStatDoesNotFollowThem) {
  ASSERT_TRUE(WriteWith(env_, P("target"), "data").ok());
  ASSERT_TRUE(env_->Symlink("target", P("link")).ok());
  auto info = env_->Stat(P("link"));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->type, FileInfo::Type::kSymlink);
  EXPECT_EQ(info->size, 6u);                   // lstat: the length of the target text
  EXPECT_EQ(ReadOr(env_, P("link")), "data");  // reads follow it
  auto target = env_->ReadLink(P("link"));
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(*target, "target");
  EXPECT_FALSE(env_->ReadLink(P("target")).ok());  // not a symlink
  EXPECT_TRUE(env_->Symlink("elsewhere", P("link")).IsAlreadyExists());
  ASSERT_TRUE(env_->Symlink("missing", P("dangling")).ok());
  EXPECT_TRUE(env_->ReadFile(P("dangling")).status().IsNotFound());
  EXPECT_TRUE(FileExists(env_, P("dangling")));   // the entry exists
  ASSERT_TRUE(env_->RemoveFile(P("link")).ok());  // removes the link only
  EXPECT_EQ(ReadOr(env_, P("target")), "data");
}

TEST_P(EnvContractTest, CreateDirNeedsParentAndRemoveDirNeedsEmpty) {
  EXPECT_TRUE(env_->CreateDir(P("p/q")).IsNotFound());
  ASSERT_TRUE(env_->CreateDir(P("p")).ok());
  EXPECT_TRUE(env_->CreateDir(P("p")).ok());  // already a directory: fine
  ASSERT_TRUE(env_->CreateDir(P("p/q")).ok());
  ASSERT_TRUE(WriteWith(env_, P("file"), "x").ok());
  EXPECT_TRUE(env_->CreateDir(P("file")).IsAlreadyExists());
  EXPECT_FALSE(env_->RemoveDir(P("p")).ok());  // not empty
  EXPECT_TRUE(IsDirectory(env_, P("p/q")));
  EXPECT_FALSE(env_->RemoveDir(P("file")).ok());
  EXPECT_FALSE(env_->RemoveFile(P("p")).ok());  // a directory
  ASSERT_TRUE(env_->RemoveDir(P("p/q")).ok());
  ASSERT_TRUE(env_->RemoveDir(P("p")).ok());
  EXPECT_FALSE(FileExists(env_, P("p")));
}

TEST_P(EnvContractTest, RenameReplacesTarget) {
  ASSERT_TRUE(WriteWith(env_, P("a"), "from a").ok());
  ASSERT_TRUE(WriteWith(env_, P("b"), "from b").ok());
  ASSERT_TRUE(env_->Rename(P("a"), P("b")).ok());
  EXPECT_EQ(ReadOr(env_, P("b")), "from a");
  EXPECT_FALSE(FileExists(env_, P("a")));
  ASSERT_TRUE(env_->Rename(P("b"), P("c")).ok());  // to a new name
  EXPECT_EQ(Names(env_, u_.root), Strings{"c"});
  // Directories move with their contents.
  ASSERT_TRUE(CreateDirs(env_, P("d1/sub")).ok());
  ASSERT_TRUE(WriteWith(env_, P("d1/sub/f"), "deep").ok());
  ASSERT_TRUE(env_->Rename(P("d1"), P("d2")).ok());
  EXPECT_EQ(ReadOr(env_, P("d2/sub/f")), "deep");
  EXPECT_FALSE(FileExists(env_, P("d1")));
  EXPECT_FALSE(env_->Rename(P("d2"), P("d2/sub/inside")).ok());  // into itself
  EXPECT_FALSE(env_->Rename(P("c"), P("d2")).ok());              // file over a directory
}

TEST_P(EnvContractTest, RenameNoReplaceRefusesExistingTargetAndLeavesBothIntact) {
  ASSERT_TRUE(WriteWith(env_, P("a"), "A").ok());
  ASSERT_TRUE(WriteWith(env_, P("b"), "B").ok());
  Status s = env_->RenameNoReplace(P("a"), P("b"));
  EXPECT_TRUE(s.IsAlreadyExists()) << s.ToString();
  EXPECT_EQ(ReadOr(env_, P("a")), "A");
  EXPECT_EQ(ReadOr(env_, P("b")), "B");
  ASSERT_TRUE(env_->RenameNoReplace(P("a"), P("c")).ok());
  EXPECT_EQ(ReadOr(env_, P("c")), "A");
  EXPECT_EQ(Names(env_, u_.root), (Strings{"b", "c"}));
  EXPECT_TRUE(env_->RenameNoReplace(P("gone"), P("d")).IsNotFound());
}

TEST_P(EnvContractTest, OpenFileFollowsItsInodeAcrossRename) {
  auto file = env_->OpenWritable(P("f"), Env::OpenMode::kTruncate);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Append("one ").ok());
  ASSERT_TRUE(env_->Rename(P("f"), P("g")).ok());
  ASSERT_TRUE((*file)->Append("two").ok());
  ASSERT_TRUE((*file)->Sync().ok());
  ASSERT_TRUE((*file)->Close().ok());
  EXPECT_EQ(ReadOr(env_, P("g")), "one two");
  EXPECT_FALSE(FileExists(env_, P("f")));
}

TEST_P(EnvContractTest, RemoveAllRemovesATreeWithoutFollowingSymlinks) {
  ASSERT_TRUE(CreateDirs(env_, P("keep")).ok());
  ASSERT_TRUE(WriteWith(env_, P("keep/precious"), "x").ok());
  ASSERT_TRUE(CreateDirs(env_, P("tree/a/b")).ok());
  ASSERT_TRUE(WriteWith(env_, P("tree/f"), "1").ok());
  ASSERT_TRUE(WriteWith(env_, P("tree/a/b/g"), "2").ok());
  ASSERT_TRUE(env_->Symlink(P("keep"), P("tree/a/to_keep")).ok());
  ASSERT_TRUE(RemoveAll(env_, P("tree")).ok());
  EXPECT_FALSE(FileExists(env_, P("tree")));
  EXPECT_EQ(ReadOr(env_, P("keep/precious")), "x");
  EXPECT_TRUE(RemoveAll(env_, P("tree")).ok());           // absent: fine
  ASSERT_TRUE(RemoveAll(env_, P("keep/precious")).ok());  // a single file
  EXPECT_EQ(Names(env_, P("keep")), Strings{});
}

TEST_P(EnvContractTest, CreateDirsIsMkdirP) {
  ASSERT_TRUE(CreateDirs(env_, P("x/y/z")).ok());
  EXPECT_TRUE(IsDirectory(env_, P("x/y/z")));
  EXPECT_TRUE(CreateDirs(env_, P("x/y/z")).ok());
  EXPECT_TRUE(CreateDirs(env_, P("x/y/z/")).ok());
  ASSERT_TRUE(WriteWith(env_, P("x/file"), "").ok());
  EXPECT_FALSE(CreateDirs(env_, P("x/file")).ok());
  EXPECT_FALSE(CreateDirs(env_, P("x/file/sub/deeper")).ok());
  EXPECT_TRUE(env_->ReadFile(P("x/file")).ok());  // untouched
}

TEST_P(EnvContractTest, WriteFileAtomicallyReplacesContentAndLeavesNoTemp) {
  ASSERT_TRUE(WriteFileAtomically(env_, P("cfg"), "v1").ok());
  EXPECT_EQ(ReadOr(env_, P("cfg")), "v1");
  ASSERT_TRUE(WriteFileAtomically(env_, P("cfg"), "version two").ok());
  EXPECT_EQ(ReadOr(env_, P("cfg")), "version two");
  EXPECT_EQ(Names(env_, u_.root), Strings{"cfg"});
  EXPECT_TRUE(WriteFileAtomically(env_, P("nodir/cfg"), "x").IsNotFound());
}

TEST_P(EnvContractTest, CreateFileOnceCreatesOnlyOnce) {
  ASSERT_TRUE(CreateFileOnce(env_, P("id"), "first").ok());
  Status s = CreateFileOnce(env_, P("id"), "second");
  EXPECT_TRUE(s.IsAlreadyExists()) << s.ToString();
  EXPECT_EQ(ReadOr(env_, P("id")), "first");
  EXPECT_EQ(Names(env_, u_.root), Strings{"id"});
}

TEST_P(EnvContractTest, RandomHexHasTheRightShape) {
  auto a = RandomHex(env_, 8);
  auto b = RandomHex(env_, 8);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 16u);
  EXPECT_EQ(a->find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(*a, *b);
}

TEST_P(EnvContractTest, RandomAccessReadsAtAnyOffset) {
  ASSERT_TRUE(WriteWith(env_, P("f"), "0123456789").ok());
  auto file = env_->NewRandomAccessFile(P("f"));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  char buf[16] = {};
  auto n = (*file)->Read(3, 4, buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buf, *n), "3456");
  n = (*file)->Read(8, 10, buf);  // short at the end
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buf, *n), "89");
  n = (*file)->Read(20, 4, buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0u);
  EXPECT_TRUE(env_->NewRandomAccessFile(P("missing")).status().IsNotFound());
}

// flock semantics: a second lock of the same path waits even in the same process, a
// bounded wait ends in Unavailable, releasing lets the next holder in, and the file's
// content is left alone.
TEST_P(EnvContractTest, LockFileIsExclusiveAndBounded) {
  ASSERT_TRUE(WriteWith(env_, P("lock"), "42\n").ok());
  auto first = env_->LockFile(P("lock"), 0, /*create_if_missing=*/true);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = env_->LockFile(P("lock"), 0, true);
  EXPECT_TRUE(second.status().IsUnavailable()) << second.status().ToString();
  auto waited = env_->LockFile(P("lock"), 30'000, true);
  EXPECT_TRUE(waited.status().IsUnavailable());
  EXPECT_EQ(ReadOr(env_, P("lock")), "42\n");
  ASSERT_TRUE(env_->UnlockFile(std::move(*first)).ok());
  auto third = env_->LockFile(P("lock"), 0, true);
  EXPECT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_TRUE(env_->LockFile(P("absent"), 0, /*create_if_missing=*/false).status().IsNotFound());
  EXPECT_FALSE(FileExists(env_, P("absent")));
  auto created = env_->LockFile(P("created"), 0, true);
  EXPECT_TRUE(created.ok());
  EXPECT_EQ(ReadOr(env_, P("created")), "");
}

INSTANTIATE_TEST_SUITE_P(Env, EnvContractTest, ::testing::Values("Posix", "Mem"), ParamName);

// ---------------------------------------------------------------------------------------
// Path helpers.

TEST(EnvHelpersTest, PathFunctions) {
  struct JoinCase {
    const char* a;
    const char* b;
    const char* want;
  };
  for (const auto& c : std::vector<JoinCase>{{"a", "b", "a/b"},
                                             {"a/", "b", "a/b"},
                                             {"/", "b", "/b"},
                                             {"", "b", "b"},
                                             {"a", "/abs", "/abs"},
                                             {"a/b", "c/d", "a/b/c/d"},
                                             {"a", "", "a/"}}) {
    EXPECT_EQ(JoinPath(c.a, c.b), c.want) << c.a << " + " << c.b;
  }
  struct SplitCase {
    const char* path;
    const char* dir;
    const char* base;
  };
  for (const auto& c : std::vector<SplitCase>{{"a/b/c", "a/b", "c"},
                                              {"c", ".", "c"},
                                              {"/c", "/", "c"},
                                              {"/", "/", ""},
                                              {"a/b/", "a", "b"},
                                              {"/a/b//", "/a", "b"},
                                              {"", ".", ""}}) {
    EXPECT_EQ(std::string(DirName(c.path)), c.dir) << c.path;
    EXPECT_EQ(std::string(BaseName(c.path)), c.base) << c.path;
  }
}


// ---------------------------------------------------------------------------------------
// PosixEnv specifics.

TEST(PosixEnvTest, RunProcessCollectsOutputAndExitCode) {
  auto r = Env::Default()->RunProcess({"sh", "-c", "echo hi; exit 3"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->output, "hi\n");
  auto err = Env::Default()->RunProcess({"sh", "-c", "echo oops >&2"});
  ASSERT_TRUE(err.ok());
  EXPECT_EQ(err->exit_code, 0);
  EXPECT_EQ(err->output, "oops\n");  // stderr is collected too
}

TEST(PosixEnvTest, RunProcessMissingProgramIs127) {
  auto r = Env::Default()->RunProcess({"lq-test-no-such-program-7f3a"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 127);
  EXPECT_FALSE(Env::Default()->RunProcess({}).ok());
}

TEST(PosixEnvTest, CreateFileOnceRaceHasExactlyOneWinner) {
  lq::testing::TempDir tmp;
  Env* env = Env::Default();
  const std::string path = tmp / "once";
  constexpr int kThreads = 8;
  std::latch start(kThreads);
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();  // maximize the overlap
      results[i] = CreateFileOnce(env, path, "content from thread " + std::to_string(i));
    });
  }
  for (auto& t : threads) t.join();
  int winner = -1;
  for (int i = 0; i < kThreads; ++i) {
    if (results[i].ok()) {
      EXPECT_EQ(winner, -1) << "two winners: " << winner << " and " << i;
      winner = i;
    } else {
      EXPECT_TRUE(results[i].IsAlreadyExists()) << results[i].ToString();
    }
  }
  ASSERT_NE(winner, -1);
  EXPECT_EQ(ReadOr(env, path), "content from thread " + std::to_string(winner));
  EXPECT_EQ(Names(env, tmp.path()), Strings{"once"});
}

}  // namespace
}  // namespace lq

// Tests for Env: one contract suite run against PosixEnv (on a temp dir) and MemEnv, so
// the fake cannot drift from the real thing; then MemEnv's test controls, PosixEnv's
// processes and races, and FaultInjectionEnv driving the Env helpers through ENOSPC and
// simulated crashes at every step.
#include "core/env.h"

#include <gtest/gtest.h>

#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/fault_injection_env.h"
#include "core/mem_env.h"
#include "testing/temp_dir.h"

namespace lq {
namespace {

Status WriteWith(Env* env, const std::string& path, std::string_view data,
                 Env::OpenMode mode = Env::OpenMode::kTruncate) {
  LQ_ASSIGN_OR_RETURN(auto file, env->OpenWritable(path, mode));
  LQ_RETURN_IF_ERROR(file->Append(data));
  return file->Close();
}

// The content, or "<status message>" so a failed read shows up in the expectation.
std::string ReadOr(Env* env, const std::string& path) {
  auto r = env->ReadFile(path);
  return r.ok() ? *r : "<" + r.status().ToString() + ">";
}

std::vector<std::string> Names(Env* env, const std::string& dir) {
  auto r = env->ListDir(dir);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<std::string>{};
}

using Strings = std::vector<std::string>;

// Owns the Env a test runs on: the real one on a fresh temp dir, or a fresh MemEnv with a
// scratch directory that is not "/" (so path handling is exercised like on disk).
struct EnvUnderTest {
  explicit EnvUnderTest(const std::string& kind) {
    if (kind == "Posix") {
      env = Env::Default();
      root = tmp.path();
    } else {
      mem = std::make_unique<MemEnv>(/*seed=*/42);
      env = mem.get();
      root = "/tmp/lq-test";
      Status s = CreateDirs(env, root);
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
  }
  lq::testing::TempDir tmp;
  std::unique_ptr<MemEnv> mem;
  Env* env = nullptr;
  std::string root;
};

std::string ParamName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

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

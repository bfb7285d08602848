#include "sync/sync_engine.h"

#include <gtest/gtest.h>

#include <set>

#include "core/mem_env.h"

namespace lq::sync {
namespace {

constexpr int64_t kSecond = 1'000'000;

class SettledFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write("/src/date=1/source=run/001_a.parquet", "aaaa");
    Write("/src/date=1/source=run/002_b.parquet", "bb");
    Write("/src/date=1/source=exec/003_c.parquet", "c");
    auto m = Manifest::Load(&env_, "/home/m");
    ASSERT_TRUE(m.ok());
    manifest_ = std::move(*m);
  }
  void Write(const std::string& path, const std::string& data) {
    ASSERT_TRUE(CreateDirs(&env_, std::string(DirName(path))).ok());
    ASSERT_TRUE(WriteFileAtomically(&env_, path, data).ok());
  }
  void Advance(int64_t micros) { env_.SetNowMicros(now_ += micros); }
  LocalTree List() { return ListLocalTree(&env_, "/src", "p/", {nullptr, &manifest_}); }
  // What a sync does after its puts: record every file, then the settled folders.
  void SyncAll(const LocalTree& tree) {
    for (const auto& f : tree.files) ASSERT_TRUE(manifest_.Record(f.key, {f.size, f.mtime_ns}).ok());
    ASSERT_TRUE(RecordSettledFolders(tree, &manifest_, now_).ok());
  }
  static std::set<std::string> Keys(const LocalTree& tree) {
    std::set<std::string> keys;
    for (const auto& f : tree.files) keys.insert(f.key);
    return keys;
  }
  static size_t SettledCount(const LocalTree& tree) {
    size_t n = 0;
    for (const auto& d : tree.leaf_folders) n += d.settled;
    return n;
  }

  MemEnv env_;
  int64_t now_ = MemEnv::kDefaultNowMicros;
  Manifest manifest_;
};

TEST_F(SettledFolderTest, LeafFoldersOnlyAndTheirFilesStayTogether) {
  LocalTree tree = List();
  ASSERT_EQ(tree.leaf_folders.size(), 2u);  // source=exec and source=run; date=1 has subfolders
  for (const auto& d : tree.leaf_folders) {
    for (size_t i = d.first; i < d.first + d.count; ++i) EXPECT_EQ(tree.files[i].key.rfind(d.key, 0), 0u);
  }
  EXPECT_EQ(tree.files.size(), 3u);
}

TEST_F(SettledFolderTest, FreshFoldersAreNotTrustedSettledOnesAreNotListed) {
  SyncAll(List());  // the folders changed just now: within the 2 s window
  EXPECT_EQ(SettledCount(List()), 0u);
  Advance(3 * kSecond);
  LocalTree before = List();
  SyncAll(before);
  LocalTree after = List();
  EXPECT_EQ(SettledCount(after), 2u);
  EXPECT_EQ(Keys(after), Keys(before));
  ASSERT_EQ(after.files.size(), before.files.size());
  for (const auto& f : after.files) {
    auto info = env_.Stat(f.path);  // paths rebuilt from the manifest point at the real files
    ASSERT_TRUE(info.ok()) << f.path;
    EXPECT_EQ(info->size, f.size);
  }
  // The settled state survives a reload (and a compaction).
  ASSERT_TRUE(manifest_.Compact().ok());
  auto reloaded = Manifest::Load(&env_, "/home/m");
  ASSERT_TRUE(reloaded.ok());
  manifest_ = std::move(*reloaded);
  EXPECT_EQ(SettledCount(List()), 2u);
}

TEST_F(SettledFolderTest, NewDeletedAndRenamedFilesAreSeen) {
  Advance(3 * kSecond);
  SyncAll(List());
  ASSERT_EQ(SettledCount(List()), 2u);
  Advance(kSecond);
  Write("/src/date=1/source=run/004_d.parquet", "dddd");  // touches source=run's mtime
  LocalTree tree = List();
  EXPECT_EQ(SettledCount(tree), 1u);
  EXPECT_TRUE(Keys(tree).count("p/date=1/source=run/004_d.parquet"));

  ASSERT_TRUE(env_.RemoveFile("/src/date=1/source=exec/003_c.parquet").ok());
  tree = List();
  EXPECT_FALSE(Keys(tree).count("p/date=1/source=exec/003_c.parquet"));
  EXPECT_EQ(SettledCount(tree), 0u);

  // The manifest still holds 003_c (synced once; kept until --delete): the names the
  // manifest knows for source=exec differ from what it held when settled, so it is
  // listed every time rather than trusted.
  Advance(3 * kSecond);
  SyncAll(List());
  tree = List();
  EXPECT_FALSE(Keys(tree).count("p/date=1/source=exec/003_c.parquet"));
  EXPECT_EQ(SettledCount(tree), 1u);  // source=run only
}

TEST_F(SettledFolderTest, AFolderWithAnUnsyncedFileIsNotSettled) {
  Advance(3 * kSecond);
  LocalTree tree = List();
  for (const auto& f : tree.files) {
    if (f.key.find("002_b") != std::string::npos) continue;
    ASSERT_TRUE(manifest_.Record(f.key, {f.size, f.mtime_ns}).ok());
  }
  ASSERT_TRUE(RecordSettledFolders(tree, &manifest_, now_).ok());
  tree = List();
  EXPECT_EQ(SettledCount(tree), 1u);  // source=exec
  EXPECT_TRUE(Keys(tree).count("p/date=1/source=run/002_b.parquet"));
}

TEST_F(SettledFolderTest, WithoutTheManifestEveryFolderIsListed) {
  Advance(3 * kSecond);
  SyncAll(List());
  EXPECT_EQ(SettledCount(ListLocalTree(&env_, "/src", "p/")), 0u);
}

}  // namespace
}  // namespace lq::sync

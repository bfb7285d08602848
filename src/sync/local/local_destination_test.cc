#include "sync/local/local_destination.h"

#include "sync/conformance_suite.h"
#include "sync/mirror.h"

namespace lq::sync {
namespace {

using conformance::ConformanceTarget;
using conformance::DestinationConformance;

std::unique_ptr<Destination> MakeLocal(Env* env, const std::string& root) {
  return std::make_unique<LocalDestination>(env, root);
}

INSTANTIATE_TEST_SUITE_P(Local, DestinationConformance,
                         ::testing::Values(ConformanceTarget{"local", MakeLocal, true}));

TEST(LocalDestinationTest, BadRootsFailWithOneLine) {
  testing::TempDir dir;
  testing::WriteFileOrDie(dir / "afile", "x");
  LocalDestination file(Env::Default(), dir / "afile");
  Status s = file.Check();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("is a file"), std::string::npos) << s.message();
  LocalDestination under_file(Env::Default(), dir / "afile/sub");
  EXPECT_FALSE(under_file.Check().ok());
  if (geteuid() != 0) {  // root can write anywhere
    LocalDestination ro(Env::Default(), "/proc/lq-cannot-write");
    EXPECT_FALSE(ro.Check().ok());
  }
  LocalDestination ok(Env::Default(), dir / "new/store");
  EXPECT_TRUE(ok.Check().ok());
  auto names = Env::Default()->ListDir(dir / "new/store");
  ASSERT_TRUE(names.ok());
  EXPECT_TRUE(names->empty());  // the writability probe is gone
}

TEST(LocalDestinationTest, DiskFullLeavesNothingVisible) {
  MemEnv mem;
  FaultInjectionEnv fault(&mem);
  ASSERT_TRUE(WriteFileAtomically(&mem, "/src.parquet", std::string(5000, 'x')).ok());
  LocalDestination dest(&fault, "/store");
  ASSERT_TRUE(dest.Check().ok());
  for (int n = 0; n < 8; ++n) {
    fault.FailWritesAfter(n, Status::Code::kNoSpace);
    Status s = dest.Put("a/b.parquet", "/src.parquet", {});
    fault.ClearFaults();
    auto list = dest.List("");
    ASSERT_TRUE(list.ok());
    // Failed or not, what is visible is whole (a failure after the rename, in the
    // directory fsync, leaves the complete object in place), and no temp file stays.
    for (const auto& o : *list) EXPECT_EQ(*dest.Get(o.key), std::string(5000, 'x')) << "n=" << n;
    if (s.ok()) {
      EXPECT_EQ(list->size(), 1u);
    }
    auto names = mem.ListDir("/store/a");
    if (names.ok()) {
      for (const auto& name : *names) EXPECT_NE(name.rfind(".lq-tmp-", 0), 0u) << "temp left at n=" << n;
    }
    ASSERT_TRUE(dest.Delete("a/b.parquet").ok());
  }
}

TEST(LocalDestinationTest, LinkReplacesAnOldLinkAtomically) {
  testing::TempDir dir;
  LocalDestination dest(Env::Default(), dir / "store");
  ASSERT_TRUE(dest.Check().ok());
  ASSERT_TRUE(dest.Link("ns/proj/hostname=h", dir / "logs1").ok());
  ASSERT_TRUE(dest.Link("ns/proj/hostname=h", dir / "logs1").ok());  // idempotent
  ASSERT_TRUE(dest.Link("ns/proj/hostname=h", dir / "logs2").ok());
  auto target = Env::Default()->ReadLink(dir / "store/ns/proj/hostname=h");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(*target, dir / "logs2");
  ASSERT_TRUE(Env::Default()->CreateDir(dir / "store/ns/proj/hostname=real").ok());
  EXPECT_FALSE(dest.Link("ns/proj/hostname=real", dir / "logs1").ok());
}

// The mirror --include-synced reads for remote stores, shown with a local source.
TEST(MirrorTest, FetchesNewAndChangedRemovesGoneKeepsTheRest) {
  MemEnv mem;
  LocalDestination source(&mem, "/store");
  auto put = [&](const std::string& key, const std::string& data) {
    ASSERT_TRUE(WriteFileAtomically(&mem, "/tmp-src", data).ok());
    ASSERT_TRUE(source.Put(key, "/tmp-src", {}).ok());
  };
  ASSERT_TRUE(CreateDirs(&mem, "/store").ok());
  put("namespace=a/project=p/hostname=h/date=1/source=run/1.parquet", "one");
  put("namespace=a/project=p/hostname=h/date=1/source=run/2.parquet", "two");
  put("namespace=a/project=p/hostname=h/.lq-synced", "marker");
  auto runs = [](const std::string& k) { return k.size() > 8 && k.compare(k.size() - 8, 8, ".parquet") == 0; };
  auto m = MirrorStore(&mem, &source, "/mirror", "", runs);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->fetched, 2u);
  EXPECT_EQ(*mem.ReadFile("/mirror/namespace=a/project=p/hostname=h/date=1/source=run/2.parquet"), "two");
  EXPECT_FALSE(FileExists(&mem, "/mirror/namespace=a/project=p/hostname=h/.lq-synced"));

  put("namespace=a/project=p/hostname=h/date=1/source=run/2.parquet", "two, longer");
  put("namespace=a/project=p/hostname=h/date=2/source=run/3.parquet", "three");
  ASSERT_TRUE(source.Delete("namespace=a/project=p/hostname=h/date=1/source=run/1.parquet").ok());
  m = MirrorStore(&mem, &source, "/mirror", "", runs);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->fetched, 2u);
  EXPECT_EQ(m->removed, 1u);
  EXPECT_EQ(m->kept, 0u);
  EXPECT_EQ(*mem.ReadFile("/mirror/namespace=a/project=p/hostname=h/date=1/source=run/2.parquet"), "two, longer");
  EXPECT_FALSE(FileExists(&mem, "/mirror/namespace=a/project=p/hostname=h/date=1/source=run/1.parquet"));
  m = MirrorStore(&mem, &source, "/mirror", "", runs);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->fetched, 0u);
  EXPECT_EQ(m->kept, 2u);
}

}  // namespace
}  // namespace lq::sync

#include "sync/local/local_destination.h"

#include "sync/conformance_suite.h"

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

}  // namespace
}  // namespace lq::sync

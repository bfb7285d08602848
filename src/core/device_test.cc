#include "core/device.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "testing/temp_dir.h"

namespace lq {
namespace {

TEST(DeviceTest, CreatedOnceAndStable) {
  testing::TempDir dir;
  std::string home = dir / "lqhome";
  Env* env = Env::Default();
  auto a = LoadOrCreateDevice(env, home);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->device_id.size(), 36u);
  EXPECT_EQ(a->device_id[14], '4');  // UUIDv4
  EXPECT_EQ(a->name, env->HostName());
  auto b = LoadOrCreateDevice(env, home);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->device_id, b->device_id);
  EXPECT_EQ(a->created_at, b->created_at);
}

TEST(DeviceTest, IdIsNotDerivedFromTheHost) {
  testing::TempDir d1, d2;
  auto a = LoadOrCreateDevice(Env::Default(), d1.path());
  auto b = LoadOrCreateDevice(Env::Default(), d2.path());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->device_id, b->device_id);  // same host, two homes: two devices
}

TEST(DeviceTest, RenameKeepsTheId) {
  testing::TempDir dir;
  auto a = LoadOrCreateDevice(Env::Default(), dir.path());
  ASSERT_TRUE(a.ok());
  auto r = RenameDevice(Env::Default(), dir.path(), "laptop: 'work' #2");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto b = LoadDevice(Env::Default(), dir.path());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->device_id, a->device_id);
  EXPECT_EQ(b->name, "laptop: 'work' #2");
  EXPECT_FALSE(RenameDevice(Env::Default(), dir.path(), "").ok());
  EXPECT_FALSE(RenameDevice(Env::Default(), dir.path(), "a\nb").ok());
  EXPECT_FALSE(RenameDevice(Env::Default(), dir.path(), std::string(65, 'x')).ok());
}

TEST(DeviceTest, DamagedFileIsReportedNotReplaced) {
  testing::TempDir dir;
  testing::WriteFileOrDie(dir / "device.yaml", "device_id: not-a-uuid\nname: x\n");
  auto a = LoadOrCreateDevice(Env::Default(), dir.path());
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(testing::ReadFileOrDie(dir / "device.yaml"), "device_id: not-a-uuid\nname: x\n");
  testing::WriteFileOrDie(dir / "device.yaml", "device_id: [\n");
  EXPECT_FALSE(LoadDevice(Env::Default(), dir.path()).ok());
}

TEST(DeviceTest, EightThreadsRacingGetOneId) {
  for (int round = 0; round < 20; ++round) {
    testing::TempDir dir;
    std::string home = dir / "h";
    std::vector<std::string> ids(8);
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&, i] {
        auto d = LoadOrCreateDevice(Env::Default(), home);
        ids[static_cast<size_t>(i)] = d.ok() ? d->device_id : "error: " + d.status().ToString();
      });
    }
    for (auto& t : threads) t.join();
    std::set<std::string> distinct(ids.begin(), ids.end());
    ASSERT_EQ(distinct.size(), 1u) << *distinct.begin();
    auto names = Env::Default()->ListDir(home);
    ASSERT_TRUE(names.ok());
    EXPECT_EQ(*names, std::vector<std::string>{"device.yaml"});  // no temp files left
  }
}

TEST(DeviceTest, FormatUtc) {
  EXPECT_EQ(FormatUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtc(1736899200000000), "2025-01-15T00:00:00Z");
}

}  // namespace
}  // namespace lq

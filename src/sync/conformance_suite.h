// The destination conformance suite (rclone's fstests habit): every Destination runs
// these same tests. A backend's test file includes this header once and instantiates
// the suite with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(Local, DestinationConformance,
//                            ::testing::Values(ConformanceTarget{"local", MakeLocal, true}));
//
// Test-only code (a header so each backend's test binary compiles its own copy).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <set>
#include <thread>

#include "core/env.h"
#include "core/fault_injection_env.h"
#include "core/mem_env.h"
#include "sync/destination.h"
#include "sync/sync_engine.h"
#include "testing/temp_dir.h"

namespace lq::sync::conformance {

struct ConformanceTarget {
  std::string name;
  // A fresh, empty destination whose files (if any) live under `root` in `env`.
  std::function<std::unique_ptr<Destination>(Env* env, const std::string& root)> make;
  bool env_backed = false;  // its I/O goes through `env` (crash tests use FaultInjectionEnv)
  // The longest key component the backend under test stores (lq allows 255 bytes; a
  // test service may store less: s3rver keeps objects as files named key + a suffix).
  size_t max_key_component = 255;
};

inline std::ostream& operator<<(std::ostream& os, const ConformanceTarget& t) { return os << t.name; }

class DestinationConformance : public ::testing::TestWithParam<ConformanceTarget> {
 protected:
  void SetUp() override {
    dest_ = GetParam().make(Env::Default(), dir_ / "dest");
    ASSERT_TRUE(dest_->Check().ok());
  }
  // A local source file with `content` (its name only helps debugging).
  std::string Local(std::string name, const std::string& content) {
    name = name.substr(0, 20);
    std::replace(name.begin(), name.end(), '/', '_');
    std::string path = dir_ / ("src-" + std::to_string(counter_++) + "-" + name);
    testing::WriteFileOrDie(path, content);
    return path;
  }
  std::set<std::string> Keys(const std::string& prefix = "") {
    auto list = dest_->List(prefix);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    std::set<std::string> keys;
    if (list.ok()) for (const auto& o : *list) keys.insert(o.key);
    return keys;
  }
  testing::TempDir dir_;
  std::unique_ptr<Destination> dest_;
  int counter_ = 0;
};

TEST_P(DestinationConformance, PutGetListDelete) {
  ASSERT_TRUE(dest_->Put("a/b/c.parquet", Local("c", "hello"), {}).ok());
  auto got = dest_->Get("a/b/c.parquet");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "hello");
  auto list = dest_->List("a/");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].key, "a/b/c.parquet");
  EXPECT_EQ((*list)[0].size, 5u);
  ASSERT_TRUE(dest_->Delete("a/b/c.parquet").ok());
  EXPECT_TRUE(Keys().empty());
  EXPECT_TRUE(dest_->Delete("a/b/c.parquet").ok());  // deleting twice is fine
  EXPECT_FALSE(dest_->Get("a/b/c.parquet").ok());
  EXPECT_TRUE(dest_->List("no/such/prefix/").ok());
}

TEST_P(DestinationConformance, HostileNames) {
  const std::vector<std::string> keys = {
      "namespace=acme/project=my app/hostname=h/date=2025-01-15/source=run/001_build_143022.parquet",
      "unicode/日本語/café ☕.parquet",
      "spaces/ leading and trailing /x y.parquet",
      "equals/a=b=c/d==e",
      "long/" + std::string(GetParam().max_key_component, 'L'),
      "percent/%41%2F%zz",
      "quotes/it's \"quoted\"",
      "dots/...x/a..b/.hidden-ok",
      "deep/" + std::string("d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/") + "leaf",
  };
  for (const auto& k : keys) {
    Status s = dest_->Put(k, Local("h", "v:" + k), {});
    ASSERT_TRUE(s.ok()) << k << ": " << s.ToString();
  }
  EXPECT_EQ(Keys(), std::set<std::string>(keys.begin(), keys.end()));
  for (const auto& k : keys) {
    auto got = dest_->Get(k);
    ASSERT_TRUE(got.ok()) << k;
    EXPECT_EQ(*got, "v:" + k);
  }
  const std::vector<std::string> bad_keys = {"", "/abs", "a//b", "a/../b", "..", "./a", "a/.", "trailing/",
                                             std::string(256, 'x'), std::string("nul\0byte", 8)};
  for (const auto& bad : bad_keys) EXPECT_FALSE(dest_->Put(bad, Local("bad", "x"), {}).ok()) << bad;
  EXPECT_EQ(Keys().size(), keys.size());
}

TEST_P(DestinationConformance, EmptyAndLargeFiles) {
  ASSERT_TRUE(dest_->Put("empty", Local("e", ""), {}).ok());
  EXPECT_EQ(*dest_->Get("empty"), "");
  std::string big(100 * 1024 * 1024, '\0');
  for (size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>(i / 4096);
  ASSERT_TRUE(dest_->Put("big.bin", Local("big", big), {}).ok());
  auto list = dest_->List("big");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].size, big.size());
  auto got = dest_->Get("big.bin");
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(*got == big);
}

TEST_P(DestinationConformance, OverwriteAndOnlyIfAbsent) {
  ASSERT_TRUE(dest_->Put("k", Local("1", "one"), {}).ok());
  ASSERT_TRUE(dest_->Put("k", Local("2", "two"), {}).ok());
  EXPECT_EQ(*dest_->Get("k"), "two");
  PutOptions once;
  once.only_if_absent = true;
  Status s = dest_->Put("k", Local("3", "three"), once);
  EXPECT_TRUE(s.IsAlreadyExists()) << s.ToString();
  EXPECT_EQ(*dest_->Get("k"), "two");
  EXPECT_TRUE(dest_->Put("fresh", Local("4", "four"), once).ok());
}

TEST_P(DestinationConformance, ListIsByKeyPrefix) {
  for (const char* k : {"a/b", "a/bc/d", "a/c", "ab/x"}) ASSERT_TRUE(dest_->Put(k, Local("x", k), {}).ok());
  EXPECT_EQ(Keys("a/b"), (std::set<std::string>{"a/b", "a/bc/d"}));
  EXPECT_EQ(Keys("a/"), (std::set<std::string>{"a/b", "a/bc/d", "a/c"}));
  EXPECT_EQ(Keys("a"), (std::set<std::string>{"a/b", "a/bc/d", "a/c", "ab/x"}));
  EXPECT_EQ(Keys(""), (std::set<std::string>{"a/b", "a/bc/d", "a/c", "ab/x"}));
}

TEST_P(DestinationConformance, ConcurrentSyncsFromTwoProjects) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int p = 0; p < 2; ++p) {
    threads.emplace_back([&, p] {
      std::string src = dir_ / ("proj" + std::to_string(p));
      for (int i = 0; i < 50; ++i) {
        testing::WriteFileOrDie(src + "/date=2025-01-15/source=run/" + std::to_string(i) + ".parquet",
                                std::string(static_cast<size_t>(100 + i), static_cast<char>('a' + p)));
      }
      std::string prefix = "namespace=n/project=p" + std::to_string(p) + "/hostname=h/";
      auto manifest = Manifest::Load(Env::Default(), dir_ / ("m" + std::to_string(p)));
      auto local = ListLocalTree(Env::Default(), src, prefix);
      auto plan = PlanSync(local.files, *manifest, dest_.get(), prefix, {});
      if (!plan.ok()) {
        ++failures;
        return;
      }
      SyncResult r = ApplySync(*plan, dest_.get(), &*manifest, {});
      failures += static_cast<int>(r.failed) + (r.copied == 50 ? 0 : 1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Keys("namespace=n/").size(), 100u);
  auto first = dest_->Get("namespace=n/project=p0/hostname=h/date=2025-01-15/source=run/0.parquet");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, std::string(100, 'a'));
}

// Crash at every write index of a sync, power loss, restart: the re-run converges, no
// partial object is ever listed, and nothing already safely written is copied again.
TEST_P(DestinationConformance, KilledSyncConvergesWithoutPartialsOrRecopies) {
  if (!GetParam().env_backed) GTEST_SKIP() << "not an Env-backed destination";
  for (int crash_at = 0; crash_at < 40; crash_at += 3) {
    MemEnv mem;
    FaultInjectionEnv fault(&mem);
    ASSERT_TRUE(CreateDirs(&mem, "/src").ok());
    std::vector<std::string> contents;
    for (int i = 0; i < 8; ++i) {
      contents.push_back(std::string(static_cast<size_t>(1000 + i), static_cast<char>('0' + i)));
      ASSERT_TRUE(WriteFileAtomically(&mem, "/src/f" + std::to_string(i) + ".parquet", contents.back()).ok());
    }
    auto dest = GetParam().make(&fault, "/store");
    auto local = ListLocalTree(&mem, "/src", "p/");
    fault.CrashAfterWrites(crash_at);
    {
      auto manifest = Manifest::Load(&fault, "/lqhome/m");
      if (manifest.ok()) {
        auto plan = PlanSync(local.files, *manifest, dest.get(), "p/", {});
        if (plan.ok()) ApplySync(*plan, dest.get(), &*manifest, {});
      }
    }
    ASSERT_TRUE(fault.DropUnsyncedData().ok());
    fault.ClearFaults();
    // Whatever is listed now is whole.
    auto listed = dest->List("p/");
    ASSERT_TRUE(listed.ok());
    std::set<std::string> present;
    for (const auto& o : *listed) {
      auto got = dest->Get(o.key);
      ASSERT_TRUE(got.ok());
      int i = o.key[3] - '0';
      EXPECT_EQ(*got, contents[static_cast<size_t>(i)]) << "partial object " << o.key << " crash_at " << crash_at;
      present.insert(o.key);
    }
    auto manifest = Manifest::Load(&fault, "/lqhome/m");
    ASSERT_TRUE(manifest.ok());
    auto plan = PlanSync(local.files, *manifest, dest.get(), "p/", {});
    ASSERT_TRUE(plan.ok());
    for (const auto& f : plan->copy) EXPECT_FALSE(present.count(f.key)) << "re-copied " << f.key;
    SyncResult r = ApplySync(*plan, dest.get(), &*manifest, {});
    EXPECT_EQ(r.failed, 0u) << r.first_error;
    auto final_list = dest->List("p/");
    ASSERT_TRUE(final_list.ok());
    EXPECT_EQ(final_list->size(), 8u) << "crash_at " << crash_at;
    auto again = PlanSync(local.files, *manifest, dest.get(), "p/", {});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->copy.size(), 0u);
    EXPECT_EQ(again->skipped, 8u);
  }
}

// A destination whose requests fail from the (n_ok+1)-th on, as when lq is killed or
// the network drops mid-sync: the crash model of destinations not built on Env (S3,
// mem), where each request either happened whole or not at all.
class FailingDestination final : public Destination {
 public:
  FailingDestination(Destination* inner, int n_ok) : inner_(inner), budget_(n_ok) {}
  std::string Describe() const override { return inner_->Describe(); }
  Capabilities capabilities() const override { return inner_->capabilities(); }
  std::string local_root() const override { return inner_->local_root(); }
  Status Check() override {
    LQ_RETURN_IF_ERROR(Gate());
    return inner_->Check();
  }
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override {
    LQ_RETURN_IF_ERROR(Gate());
    return inner_->List(prefix);
  }
  Status Put(std::string_view key, const std::string& local_path, const PutOptions& options) override {
    LQ_RETURN_IF_ERROR(Gate());
    return inner_->Put(key, local_path, options);
  }
  Result<std::string> Get(std::string_view key) override {
    LQ_RETURN_IF_ERROR(Gate());
    return inner_->Get(key);
  }
  Status Delete(std::string_view key) override {
    LQ_RETURN_IF_ERROR(Gate());
    return inner_->Delete(key);
  }
  bool failed() const { return budget_ < 0; }

 private:
  Status Gate() { return --budget_ >= 0 ? Status::OK() : Status::IOError("simulated failure of every request"); }
  Destination* inner_;
  std::atomic<int> budget_;
};

// Requests failing from every index on, then a re-run: it converges, and nothing that
// reached the destination is copied again. Runs on every backend (S3 and mem too).
TEST_P(DestinationConformance, SyncFailingAfterEveryRequestConverges) {
  std::vector<std::string> paths, contents;
  for (int i = 0; i < 6; ++i) {
    contents.push_back(std::string(static_cast<size_t>(500 + i), static_cast<char>('0' + i)));
    paths.push_back(Local("f" + std::to_string(i), contents.back()));
  }
  bool finished = false;
  for (int n_ok = 0; !finished && n_ok < 20; ++n_ok) {
    std::string prefix = "fail" + std::to_string(n_ok) + "/";
    std::vector<LocalFile> local;
    for (size_t i = 0; i < paths.size(); ++i) {
      local.push_back({paths[i], prefix + "f" + std::to_string(i), contents[i].size(), 1});
    }
    std::string manifest_path = dir_ / ("fail-manifest-" + std::to_string(n_ok));
    {
      FailingDestination failing(dest_.get(), n_ok);
      auto manifest = Manifest::Load(Env::Default(), manifest_path);
      ASSERT_TRUE(manifest.ok());
      auto plan = PlanSync(local, *manifest, &failing, prefix, {});
      if (plan.ok()) ApplySync(*plan, &failing, &*manifest, {});
      finished = !failing.failed();
    }
    std::set<std::string> present = Keys(prefix);
    auto manifest = Manifest::Load(Env::Default(), manifest_path);
    ASSERT_TRUE(manifest.ok());
    auto plan = PlanSync(local, *manifest, dest_.get(), prefix, {});
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    for (const auto& f : plan->copy) EXPECT_FALSE(present.count(f.key)) << "re-copied " << f.key << " n_ok " << n_ok;
    SyncResult r = ApplySync(*plan, dest_.get(), &*manifest, {});
    EXPECT_EQ(r.failed, 0u) << r.first_error;
    EXPECT_EQ(Keys(prefix).size(), 6u) << "n_ok " << n_ok;
    for (size_t i = 0; i < paths.size(); ++i) EXPECT_EQ(*dest_->Get(prefix + "f" + std::to_string(i)), contents[i]);
    auto again = PlanSync(local, *manifest, dest_.get(), prefix, {});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->copy.size(), 0u);
  }
  EXPECT_TRUE(finished);
}

}  // namespace lq::sync::conformance

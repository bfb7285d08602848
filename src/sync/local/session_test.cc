// The sync session (sync/session.h) on MemEnv and FaultInjectionEnv, with a local
// destination whose I/O goes through the same Env: a crash after every write index,
// then a re-run, for an immutable and a mutable collection.
#include "sync/session.h"

#include <gtest/gtest.h>

#include <map>

#include "core/fault_injection_env.h"
#include "core/mem_env.h"
#include "sync/local/local_destination.h"

namespace lq::sync {
namespace {

// Every regular file under `root`, keyed under `prefix`.
class FolderCollection final : public Collection {
 public:
  FolderCollection(std::string root, std::string prefix, bool immutable)
      : root_(std::move(root)), prefix_(std::move(prefix)), immutable_(immutable) {}
  std::string prefix() const override { return prefix_; }
  bool immutable() const override { return immutable_; }
  std::string source_root() const override { return root_; }
  LocalTree List(Env* env, const Manifest* settled) override {
    return ListLocalTree(env, root_, prefix_, {nullptr, settled});
  }

 private:
  std::string root_, prefix_;
  bool immutable_;
};

void Write(Env* env, const std::string& path, const std::string& data) {
  ASSERT_TRUE(CreateDirs(env, std::string(DirName(path))).ok());
  ASSERT_TRUE(WriteFileAtomically(env, path, data).ok());
}

SessionOptions Options() {
  SessionOptions o;
  o.state_dir = "/home";
  return o;
}

// key -> content of what the destination lists.
std::map<std::string, std::string> Stored(Destination* dest, const std::string& prefix) {
  std::map<std::string, std::string> out;
  auto list = dest->List(prefix);
  EXPECT_TRUE(list.ok()) << list.status().ToString();
  if (!list.ok()) return out;
  for (const auto& o : *list) {
    auto got = dest->Get(o.key);
    EXPECT_TRUE(got.ok()) << o.key;
    if (got.ok()) out[o.key] = *got;
  }
  return out;
}

class SessionCrashTest : public ::testing::TestWithParam<bool> {};

TEST_P(SessionCrashTest, CrashAfterEveryWriteThenRerunConverges) {
  const bool immutable = GetParam();
  std::map<std::string, std::string> want;
  bool finished = false;
  for (int crash_at = 0; !finished && crash_at < 200; ++crash_at) {
    MemEnv mem;
    FaultInjectionEnv fault(&mem);
    want.clear();
    for (int i = 0; i < 5; ++i) {
      std::string rel = "d" + std::to_string(i % 2) + "/f" + std::to_string(i);
      std::string data(static_cast<size_t>(100 + i), static_cast<char>('a' + i));
      Write(&mem, "/src/" + rel, data);
      want["p/" + rel] = data;
    }
    want["p/.lq-synced"] = "";  // the prefix marker: compared by presence below
    LocalDestination dest(&fault, "/store");
    FolderCollection files("/src", "p/", immutable);
    fault.CrashAfterWrites(crash_at);
    (void)RunSync(&fault, &dest, &files, Options());  // crashes part-way (or finishes)
    finished = !fault.crashed();
    ASSERT_TRUE(fault.DropUnsyncedData().ok());

    // Whatever is listed after the crash is whole.
    for (const auto& [key, data] : Stored(&dest, "p/")) {
      if (key != "p/.lq-synced") {
        EXPECT_EQ(data, want[key]) << "partial " << key << " crash_at " << crash_at;
      }
    }
    auto rerun = RunSync(&fault, &dest, &files, Options());
    ASSERT_TRUE(rerun.ok()) << rerun.status().ToString() << " crash_at " << crash_at;
    EXPECT_EQ(rerun->result.failed, 0u) << rerun->result.first_error;
    auto stored = Stored(&dest, "p/");
    ASSERT_EQ(stored.size(), want.size()) << "crash_at " << crash_at;
    for (const auto& [key, data] : want) {
      ASSERT_TRUE(stored.count(key)) << key << " crash_at " << crash_at;
      if (key != "p/.lq-synced") {
        EXPECT_EQ(stored[key], data) << key;
      }
    }
    auto third = RunSync(&fault, &dest, &files, Options());
    ASSERT_TRUE(third.ok());
    EXPECT_EQ(third->plan.copy.size(), 0u) << "crash_at " << crash_at;
    EXPECT_EQ(third->plan.skipped, 5u);
    EXPECT_FALSE(FileExists(&mem, ManifestPath("/home", dest.Describe(), "p/") + ".applying"));
  }
  EXPECT_TRUE(finished) << "the session never ran to the end";
}

INSTANTIATE_TEST_SUITE_P(Collections, SessionCrashTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Immutable" : "Mutable"; });

// A per-device usage file is rewritten in place, possibly with the same size: it is
// sent again when its content changed, and not when only its mtime did.
TEST(SessionTest, MutableFilesAreComparedByContentNotSize) {
  MemEnv env;
  Write(&env, "/src/usage.parquet", "aaaa");
  LocalDestination dest(&env, "/store");
  FolderCollection usage("/src", "u/", /*immutable=*/false);
  auto r = RunSync(&env, &dest, &usage, Options());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->result.copied, 1u);

  Write(&env, "/src/usage.parquet", "bbbb");  // same size, same (fake) mtime
  r = RunSync(&env, &dest, &usage, Options());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->result.copied, 1u);
  EXPECT_EQ(*dest.Get("u/usage.parquet"), "bbbb");

  env.AdvanceMicros(5'000'000);
  Write(&env, "/src/usage.parquet", "bbbb");  // rewritten, same content: new mtime only
  r = RunSync(&env, &dest, &usage, Options());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->result.copied, 0u);
  EXPECT_EQ(r->plan.skipped, 1u);

  // An immutable collection trusts size and mtime (run files are never rewritten).
  FolderCollection runs("/src", "r/", /*immutable=*/true);
  ASSERT_TRUE(RunSync(&env, &dest, &runs, Options()).ok());
  Write(&env, "/src/usage.parquet", "cccc");
  r = RunSync(&env, &dest, &runs, Options());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->plan.copy.size(), 0u);
}

// A mutable file whose copy exists at the destination with the same size but that the
// manifest does not know (a new machine, a lost manifest) is sent, never adopted.
TEST(SessionTest, MutableFilesAreNeverAdoptedBySize) {
  MemEnv env;
  Write(&env, "/src/usage.parquet", "new!");
  Write(&env, "/other/usage.parquet", "old!");
  LocalDestination dest(&env, "/store");
  FolderCollection old_copy("/other", "u/", false);
  ASSERT_TRUE(RunSync(&env, &dest, &old_copy, Options()).ok());
  SessionOptions fresh = Options();
  fresh.state_dir = "/home2";  // no manifest
  FolderCollection usage("/src", "u/", false);
  auto r = RunSync(&env, &dest, &usage, fresh);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->plan.adopt.size(), 0u);
  EXPECT_EQ(*dest.Get("u/usage.parquet"), "new!");
}

TEST(SessionTest, OneSessionPerManifestAndNoDestinationInsideTheSource) {
  MemEnv env;
  Write(&env, "/src/f", "x");
  LocalDestination dest(&env, "/store");
  FolderCollection files("/src", "p/", true);
  ASSERT_TRUE(CreateDirs(&env, "/home/sync").ok());
  auto held = env.LockFile(ManifestPath("/home", dest.Describe(), "p/") + ".lock", 0, true);
  ASSERT_TRUE(held.ok());
  SessionOptions o = Options();
  o.lock_wait_micros = 1000;
  auto r = RunSync(&env, &dest, &files, o);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsUnavailable());
  EXPECT_NE(r.status().message().find("still running"), std::string::npos);
  held->reset();
  EXPECT_TRUE(RunSync(&env, &dest, &files, o).ok());

  LocalDestination inside(&env, "/src/store");
  auto bad = RunSync(&env, &inside, &files, Options());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("overlaps"), std::string::npos);
  EXPECT_FALSE(FileExists(&env, "/src/store"));
}

}  // namespace
}  // namespace lq::sync

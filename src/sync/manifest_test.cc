#include "sync/manifest.h"

#include <gtest/gtest.h>

#include "core/mem_env.h"

namespace lq::sync {
namespace {

TEST(ManifestTest, RecordsSurviveReloadAndTornLines) {
  MemEnv env;
  {
    auto m = Manifest::Load(&env, "/h/sync/x.manifest");
    ASSERT_TRUE(m.ok());
    EXPECT_TRUE(m->entries().empty());
    ASSERT_TRUE(m->Record("a/b", {10, 20}).ok());
    ASSERT_TRUE(m->Record("tab\there\nnewline%pct", {1, 2}).ok());
    ASSERT_TRUE(m->Record("gone", {3, 4}).ok());
    ASSERT_TRUE(m->Forget("gone").ok());
  }
  // A torn last line (a crash mid-append) is ignored.
  ASSERT_TRUE(AppendToFile(&env, "/h/sync/x.manifest", "99\t99\tpartial").ok());
  auto m = Manifest::Load(&env, "/h/sync/x.manifest");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->entries().size(), 2u);
  ASSERT_NE(m->Find("a/b"), nullptr);
  EXPECT_EQ(m->Find("a/b")->size, 10u);
  ASSERT_NE(m->Find("tab\there\nnewline%pct"), nullptr);
  EXPECT_EQ(m->Find("gone"), nullptr);
  EXPECT_EQ(m->Find("partial"), nullptr);
  ASSERT_TRUE(m->Compact().ok());
  auto again = Manifest::Load(&env, "/h/sync/x.manifest");
  EXPECT_EQ(again->entries().size(), 2u);
  EXPECT_EQ(UnescapeManifestKey(EscapeManifestKey("%0A\n")), "%0A\n");
}

}  // namespace
}  // namespace lq::sync

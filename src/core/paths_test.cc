#include "core/paths.h"

#include <gtest/gtest.h>

#include "core/mem_env.h"

namespace lq {
namespace {

TEST(PathsTest, LqHomePrecedence) {
  MemEnv env;
  env.SetEnvVar("HOME", "/home/u");
  auto h = LqHome(&env);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, "/home/u/.lq");  // nothing exists, no XDG: the seed default

  env.SetEnvVar("XDG_DATA_HOME", "/home/u/.local/share");
  EXPECT_EQ(*LqHome(&env), "/home/u/.local/share/lq");
  env.SetEnvVar("XDG_DATA_HOME", "relative/ignored");
  EXPECT_EQ(*LqHome(&env), "/home/u/.lq");
  env.SetEnvVar("XDG_DATA_HOME", "/home/u/.local/share");

  ASSERT_TRUE(CreateDirs(&env, "/home/u/.lq").ok());
  EXPECT_EQ(*LqHome(&env), "/home/u/.lq");  // an existing ~/.lq is never moved under the user

  env.SetEnvVar("LQ_HOME", "~/custom");
  EXPECT_EQ(*LqHome(&env), "/home/u/custom");
  env.SetEnvVar("LQ_HOME", "");
  EXPECT_EQ(*LqHome(&env), "/home/u/.lq");

  env.UnsetEnvVar("HOME");
  env.UnsetEnvVar("LQ_HOME");
  auto none = LqHome(&env);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("LQ_HOME"), std::string::npos);
}

TEST(PathsTest, AbsoluteAndNormalize) {
  MemEnv env;
  env.SetEnvVar("HOME", "/h");
  ASSERT_TRUE(CreateDirs(&env, "/work/p").ok());
  env.SetCurrentDir("/work/p");
  EXPECT_EQ(*AbsolutePath(&env, "a/../b//c/."), "/work/p/b/c");
  EXPECT_EQ(*AbsolutePath(&env, "~/x"), "/h/x");
  EXPECT_EQ(*AbsolutePath(&env, "/../.."), "/");
  EXPECT_EQ(*AbsolutePath(&env, "~other/x"), "/work/p/~other/x");
  EXPECT_EQ(NormalizePath("/a/./b/../c/"), "/a/c");
  EXPECT_TRUE(PathIsWithin("/a/b", "/a"));
  EXPECT_TRUE(PathIsWithin("/a", "/a"));
  EXPECT_FALSE(PathIsWithin("/ab", "/a"));
  EXPECT_TRUE(PathIsWithin("/x", "/"));
}

}  // namespace
}  // namespace lq

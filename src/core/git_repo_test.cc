#include "core/git_repo.h"

#include <gtest/gtest.h>

#include "core/mem_env.h"

namespace lq {
namespace {

void Write(MemEnv* env, const std::string& path, const std::string& text) {
  ASSERT_TRUE(CreateDirs(env, std::string(DirName(path))).ok());
  ASSERT_TRUE(WriteFileAtomically(env, path, text).ok());
}

const std::string kSha(40, 'a');
const std::string kSha2(40, 'b');

TEST(GitRepoTest, FindsRepoFromASubdirectoryAndReadsHead) {
  MemEnv env;
  Write(&env, "/p/.git/HEAD", "ref: refs/heads/main\n");
  Write(&env, "/p/.git/refs/heads/main", kSha + "\n");
  ASSERT_TRUE(CreateDirs(&env, "/p/src/deep").ok());
  auto repo = FindGitRepo(&env, "/p/src/deep");
  ASSERT_TRUE(repo.ok()) << repo.status().ToString();
  EXPECT_EQ(repo->work_tree, "/p");
  auto head = ReadGitHead(&env, *repo);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->branch, "main");
  EXPECT_EQ(head->commit, kSha);
}

TEST(GitRepoTest, PackedRefsDetachedHeadAndWorktrees) {
  MemEnv env;
  Write(&env, "/p/.git/HEAD", "ref: refs/heads/feature/x\n");
  Write(&env, "/p/.git/packed-refs", "# pack-refs with: peeled fully-peeled sorted\n" + kSha2 +
                                         " refs/heads/feature/x\n^" + kSha + "\n");
  auto repo = FindGitRepo(&env, "/p");
  ASSERT_TRUE(repo.ok());
  EXPECT_EQ(ReadGitHead(&env, *repo)->commit, kSha2);
  EXPECT_EQ(ReadGitHead(&env, *repo)->branch, "feature/x");

  // A linked worktree: .git is a file; its gitdir has its own HEAD and a commondir.
  Write(&env, "/wt/.git", "gitdir: /p/.git/worktrees/wt\n");
  Write(&env, "/p/.git/worktrees/wt/HEAD", kSha + "\n");
  Write(&env, "/p/.git/worktrees/wt/commondir", "../..\n");
  auto wt = FindGitRepo(&env, "/wt");
  ASSERT_TRUE(wt.ok()) << wt.status().ToString();
  EXPECT_EQ(wt->git_dir, "/p/.git/worktrees/wt");
  EXPECT_EQ(wt->common_dir, "/p/.git");
  auto head = ReadGitHead(&env, *wt);
  EXPECT_EQ(head->commit, kSha);
  EXPECT_EQ(head->branch, "");  // detached

  // A submodule: relative gitdir.
  Write(&env, "/p/lib/.git", "gitdir: ../.git/modules/lib\n");
  auto sub = FindGitRepo(&env, "/p/lib");
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(sub->git_dir, "/p/.git/modules/lib");
}

TEST(GitRepoTest, NotARepo) {
  MemEnv env;
  ASSERT_TRUE(CreateDirs(&env, "/plain/dir").ok());
  EXPECT_TRUE(FindGitRepo(&env, "/plain/dir").status().IsNotFound());
  Write(&env, "/bad/.git", "nonsense\n");
  EXPECT_FALSE(FindGitRepo(&env, "/bad").ok());
}

}  // namespace
}  // namespace lq

// Finding a git repository and reading its HEAD from the files in .git, without the git
// binary (it may be absent, and spawning it would slow every captured run).
#pragma once

#include <string>

#include "core/env.h"

namespace lq {

struct GitRepo {
  std::string work_tree;   // the directory holding .git
  std::string git_dir;     // .git, or the directory a .git file points to (worktree, submodule)
  std::string common_dir;  // where config, refs and packed-refs live (== git_dir unless a worktree)
};

// Walks up from abs_dir to the first ".git" (directory, or file "gitdir: PATH").
// NotFound when abs_dir is not inside a repository.
Result<GitRepo> FindGitRepo(Env* env, const std::string& abs_dir);

struct GitHead {
  std::string commit;  // 40 hex digits; "" for an unborn branch
  std::string branch;  // "main"; "" when HEAD is detached
};

// Resolves HEAD through loose refs and packed-refs.
Result<GitHead> ReadGitHead(Env* env, const GitRepo& repo);

}  // namespace lq

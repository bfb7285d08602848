// Where lq keeps things. Pure path logic over the Env, so tests control HOME/XDG.
#pragma once

#include <string>
#include <string_view>

#include "core/env.h"

namespace lq {

// The per-user lq directory (device identity, usage database, sync manifests, caches):
//   1. $LQ_HOME when set and non-empty;
//   2. else ~/.lq when it already exists (the seed's default, never moved under a user);
//   3. else $XDG_DATA_HOME/lq when XDG_DATA_HOME is set to an absolute path;
//   4. else ~/.lq.
// HOME must be set for 2-4; otherwise InvalidArgument telling the user to set LQ_HOME.
Result<std::string> LqHome(Env* env);

// "~" and "~/x" expand to $HOME; anything else is returned unchanged.
Result<std::string> ExpandUser(Env* env, std::string_view path);

// Makes `path` absolute against the current directory (after ExpandUser) and removes
// "." and ".." components and duplicate slashes lexically (symlinks are not resolved).
Result<std::string> AbsolutePath(Env* env, std::string_view path);
std::string NormalizePath(std::string_view abs_path);

// True when `path` is `dir` or lies inside it (both absolute and normalized).
bool PathIsWithin(std::string_view path, std::string_view dir);

}  // namespace lq

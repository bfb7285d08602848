// Project identity: (namespace, project) from the git remote, else from the directory path.
// See docs/identity.md for the rules. (Header restored after an accidental overwrite by a
// concurrent edit; declarations match project_identity.cc.)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"

namespace lq {

struct ProjectIdentity {
  std::string namespace_;  // safe (see SafeName)
  std::string project;     // safe
  std::string source;      // "git-remote:<remote name>" or "path"
  std::string remote_url;  // credentials removed ("" for path); safe to print
};

// NotFound for file:// and local-path remotes; InvalidArgument when unparseable.
Result<ProjectIdentity> IdentityFromRemoteUrl(std::string_view url);
ProjectIdentity IdentityFromPath(std::string_view abs_dir);
Result<ProjectIdentity> DetectProjectIdentity(Env* env, const std::string& abs_dir);
std::string SafeName(std::string_view name);
std::string RedactUrl(std::string_view url);

struct GitRemote {
  std::string name;
  std::string url;  // after url.<base>.insteadOf rewriting
};
// The remotes of a git config file, in file order.
std::vector<GitRemote> ParseGitRemotes(std::string_view config_text);

}  // namespace lq

// Project identity: the (namespace, project) pair that names a project in partition paths
// and object keys, derived so that one repository gets the same identity on every machine
// and every clone, whatever URL form (https, ssh, scp-like) each clone happens to use.
//
// The rule, in order:
//   1. The git remote: "origin", else the first remote with a url in config file order,
//      after url.<base>.insteadOf rewriting. Read from the files under .git; the git binary
//      is never run.
//   2. Otherwise (no repository, no remote, a file:// or local-path remote, or a URL lq
//      cannot read) the directory path.
//
// Both parts of an identity are always SafeName()s.
#pragma once

#include <string>
#include <string_view>

#include "core/env.h"

namespace lq {

struct ProjectIdentity {
  std::string namespace_;  // a SafeName
  std::string project;     // a SafeName
  // "git-remote:<remote name>" or "path". IdentityFromRemoteUrl, which knows no remote
  // name, leaves it "git-remote:"; DetectProjectIdentity fills the name in.
  std::string source;
  // The remote URL with credentials, query and fragment removed (RedactUrl); "" for "path".
  // Safe to print and to store.
  std::string remote_url;
};

// Derives an identity from one remote URL. Host-based forms, with the rules:
//   scheme URLs     https://, http://, git://, ssh://, git+ssh://, ssh+git://, ftp(s)://, any
//                   <scheme>://; user, password and port ignored; IPv6 hosts in brackets
//   scp-like        [user@]host:path, recognised, as by git, when the first ":" comes before
//                   any "/"; "host:~user/repo" and "host:/abs/path" included
//   remote helpers  <helper>::<url> reads <url>; codecommit::<region>://<repo> maps to the
//                   CodeCommit https host
// The path's segments (empty ones dropped, %XX decoded, ".git" or "/.git" removed from the
// end only) give project = the last segment and namespace = the others joined with "__"
// (so GitLab subgroups "group/sub/repo" give namespace "group__sub"); a single segment
// takes the host name (without port) as its namespace. Forge-specific forms are first
// brought to that shape, so that a forge's https and ssh URLs agree:
//   Azure DevOps    dev.azure.com/ORG/PROJ/_git/REPO, ssh.dev.azure.com:v3/ORG/PROJ/REPO,
//                   ORG.visualstudio.com/[DefaultCollection/]PROJ/_git/REPO and
//                   vs-ssh.visualstudio.com:v3/ORG/PROJ/REPO all give ORG__PROJ / REPO;
//                   the short ORG/_git/REPO (a repository named like its project) gives
//                   ORG__REPO / REPO. On other hosts (TFS), ".../_git/REPO" just drops "_git".
//   Bitbucket DC    .../scm/PROJ/REPO (https, with or without a context path such as
//                   /bitbucket) keeps PROJ/REPO, matching its ssh form (not on gitlab.com,
//                   where "scm" may be a group).
//   CodeCommit      git-codecommit.REGION.amazonaws.com/v1/repos/REPO gives the host / REPO.
//   googlesource    *.googlesource.com/a/PATH (Gerrit's authenticated prefix) reads as PATH.
// Host-based identities are lower-cased: forge names are case-insensitive and one project
// must get one identity everywhere.
//
// Errors: NotFound for file:// URLs and local paths (/x, ./x, ../x, ~/x, x, C:\x, C:/x,
// \\server\share), so the caller can fall back to the path rule; InvalidArgument for an
// empty or unreadable URL, an empty path, or a scheme-less "user:secret@host/path" (which
// git would read as host "user"). Messages never include the URL: it may hold a secret.
Result<ProjectIdentity> IdentityFromRemoteUrl(std::string_view url);

// The directory rule. The path is normalized lexically ("//", "." and ".." removed; it
// should be absolute). project = its last component; namespace = the components before it
// joined with "__" ("/home/teague/Projects/myapp" -> "home__teague__Projects" / "myapp");
// a top-level directory gets namespace "root", and "/" itself gets "root" / "_". Case is
// kept: it is local to one machine's file system. Both parts then go through SafeName.
ProjectIdentity IdentityFromPath(std::string_view abs_dir);

// Detects the identity of the project at abs_dir (see the rule at the top of this file).
// The repository is found by walking up from abs_dir to a ".git" directory or ".git" file
// ("gitdir: <path>", as in worktrees and submodules; see FindGitRepo in core/git_repo.h);
// remotes are read from the "config" of its common dir (a worktree's main repository, a
// submodule's own git dir). The path rule applies to abs_dir itself, not to the work tree.
// Errors only when a file exists but cannot be read or is malformed (a bad .git file or a
// config git would reject too), so that a broken repository is reported instead of being
// silently given a path identity that would change once it is repaired.
Result<ProjectIdentity> DetectProjectIdentity(Env* env, const std::string& abs_dir);

// Makes a name safe as one hive partition value or object-key component:
//   - bytes in [A-Za-z0-9._+~@-] are kept, every other byte (including "/", "=", "%",
//     space, control characters and each byte of a non-ASCII character) becomes %XX with
//     upper-case hex, so distinct names stay distinct and the original can be decoded;
//   - a "." that follows another "." is written %2E, and a name made only of dots has all
//     of them written %2E ("." -> "%2E", ".." -> "%2E%2E", "a..b" -> "a.%2Eb");
//   - "" becomes "_" (the one collision: "_" maps to itself too);
//   - a result longer than 120 bytes is cut to its first 103 bytes (fewer if that would
//     split a %XX) followed by "~" and 16 lower-case hex digits of the FNV-1a 64 hash of
//     the whole original name.
// So the result is 1..120 bytes and never contains "/", "=", "..", or a control character.
std::string SafeName(std::string_view name);

// True when `name` needs no change to be used where SafeName's results are: 1..120 bytes
// of [A-Za-z0-9._+~@-] and %XX escapes (upper-case hex), no "..", not all dots. Every
// SafeName result is one, so names that lq wrote can be told from hand-edited ones.
bool IsSafeName(std::string_view name);

// `name` itself when IsSafeName, else SafeName(name): applied to names read back from
// files people edit (.lq/config.yaml), so that a name lq wrote is never encoded twice.
std::string SafeNameOf(std::string_view name);

// Makes a remote URL safe to print and store: for "<scheme>://" URLs (also behind a
// "<helper>::" prefix) removes "user[:password]@" and any query string or fragment
// ("https://user:TOKEN@host/o/r.git?x#y" -> "https://host/o/r.git"). Scheme-less text is
// returned as is (scp-like "git@host:o/r" names no secret), except that a credential-shaped
// "user:secret@" before the first "/" is removed. Surrounding whitespace is trimmed.
std::string RedactUrl(std::string_view url);

}  // namespace lq

// What lq records about a run besides its output: where, on what, from which commit,
// under which CI, with which (allow-listed, never secret) environment variables.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/env.h"
#include "logs/run_spool.h"

namespace lq::logs {

// Fills the machine, git and CI fields of `meta` (cwd must already be set). Cheap: no
// child process is spawned (git state is read from .git; git_dirty stays unknown).
void CollectRunContext(Env* env, RunMeta* meta);

// True for names that look like they hold secrets (*KEY*, *TOKEN*, *SECRET*,
// *PASSWORD*, *CREDENTIAL*, *PASSWD*, *AUTH*, case-insensitive). Their values are never
// recorded, whatever the allow-list says.
bool LooksSecret(std::string_view name);

// The CI provider's identifying variables (GitHub Actions, GitLab, Buildkite, Jenkins,
// CircleCI, Azure Pipelines, generic CI=true), secrets excluded.
std::map<std::string, std::string> CollectCiVariables(Env* env);

// Build-relevant variables from a fixed allow-list (CC, CXX, CFLAGS, CMAKE_*, ...),
// secrets excluded.
std::map<std::string, std::string> CollectEnvironment(Env* env);

// Renders argv as a shell would need it typed (single quotes where needed).
std::string ShellJoin(const std::vector<std::string>& argv);

}  // namespace lq::logs

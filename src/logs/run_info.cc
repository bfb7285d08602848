#include "logs/run_info.h"

#include <sys/utsname.h>

#include <algorithm>
#include <cctype>

#include "core/device.h"
#include "core/git_repo.h"

namespace lq::logs {
namespace {

constexpr const char* kCiVariables[] = {
    "CI", "GITHUB_ACTIONS", "GITHUB_WORKFLOW", "GITHUB_RUN_ID", "GITHUB_RUN_NUMBER", "GITHUB_JOB",
    "GITHUB_REF", "GITHUB_SHA", "GITHUB_REPOSITORY", "RUNNER_OS", "GITLAB_CI", "CI_JOB_ID",
    "CI_PIPELINE_ID", "CI_COMMIT_SHA", "CI_COMMIT_REF_NAME", "CI_PROJECT_PATH", "BUILDKITE",
    "BUILDKITE_BUILD_NUMBER", "BUILDKITE_BRANCH", "JENKINS_URL", "BUILD_NUMBER", "JOB_NAME",
    "CIRCLECI", "CIRCLE_BUILD_NUM", "CIRCLE_BRANCH", "TF_BUILD", "BUILD_BUILDID",
    "BUILD_SOURCEBRANCH", "TRAVIS", "TRAVIS_BUILD_NUMBER"};

constexpr const char* kEnvironmentAllowList[] = {
    "CC", "CXX", "CFLAGS", "CXXFLAGS", "CPPFLAGS", "LDFLAGS", "MAKEFLAGS", "CMAKE_BUILD_TYPE",
    "CMAKE_GENERATOR", "CMAKE_PREFIX_PATH", "NINJA_STATUS", "RUSTFLAGS", "CARGO_BUILD_TARGET",
    "GOFLAGS", "GOOS", "GOARCH", "NODE_ENV", "VIRTUAL_ENV", "CONDA_DEFAULT_ENV", "PYTHONPATH",
    "JAVA_HOME", "LANG", "LC_ALL", "TZ", "SHELL", "TERM"};

}  // namespace

bool LooksSecret(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  for (const char* word : {"KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH"}) {
    if (upper.find(word) != std::string::npos) return true;
  }
  return false;
}

std::map<std::string, std::string> CollectCiVariables(Env* env) {
  std::map<std::string, std::string> out;
  for (const char* name : kCiVariables) {
    if (LooksSecret(name)) continue;
    if (auto v = env->GetEnvVar(name); v && !v->empty()) out[name] = *v;
  }
  return out;
}

std::map<std::string, std::string> CollectEnvironment(Env* env) {
  std::map<std::string, std::string> out;
  for (const char* name : kEnvironmentAllowList) {
    if (LooksSecret(name)) continue;
    if (auto v = env->GetEnvVar(name); v && !v->empty()) out[name] = *v;
  }
  return out;
}

void CollectRunContext(Env* env, RunMeta* meta) {
  meta->hostname = DataHostName(env);
  struct utsname u;
  if (::uname(&u) == 0) {
    meta->platform = u.sysname;
    std::transform(meta->platform.begin(), meta->platform.end(), meta->platform.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    meta->arch = u.machine;
  }
  if (auto repo = FindGitRepo(env, meta->cwd); repo.ok()) {
    if (auto head = ReadGitHead(env, *repo); head.ok()) {
      meta->git_commit = head->commit;
      meta->git_branch = head->branch;
    }
  }
  meta->ci = CollectCiVariables(env);
  meta->environment = CollectEnvironment(env);
}

std::string ShellJoin(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out.push_back(' ');
    bool plain = !a.empty() && std::all_of(a.begin(), a.end(), [](unsigned char c) {
      return std::isalnum(c) || std::string_view("-_./=:,+@%").find(static_cast<char>(c)) != std::string_view::npos;
    });
    if (plain) {
      out += a;
      continue;
    }
    out.push_back('\'');
    for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out.push_back('\'');
  }
  return out;
}

}  // namespace lq::logs

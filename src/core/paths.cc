#include "core/paths.h"

#include <vector>

namespace lq {

Result<std::string> ExpandUser(Env* env, std::string_view path) {
  if (path.empty() || path[0] != '~') return std::string(path);
  if (path.size() > 1 && path[1] != '/') return std::string(path);  // ~user is not expanded
  auto home = env->GetEnvVar("HOME");
  if (!home || home->empty()) {
    return Status::InvalidArgument("cannot expand '~': HOME is not set");
  }
  return *home + std::string(path.substr(1));
}

std::string NormalizePath(std::string_view abs_path) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < abs_path.size()) {
    size_t j = abs_path.find('/', i);
    if (j == std::string_view::npos) j = abs_path.size();
    std::string_view part = abs_path.substr(i, j - i);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out;
  for (auto p : parts) {
    out.push_back('/');
    out.append(p);
  }
  return out.empty() ? "/" : out;
}

Result<std::string> AbsolutePath(Env* env, std::string_view path) {
  LQ_ASSIGN_OR_RETURN(std::string expanded, ExpandUser(env, path));
  if (expanded.empty() || expanded[0] != '/') {
    LQ_ASSIGN_OR_RETURN(std::string cwd, env->CurrentDir());
    expanded = JoinPath(cwd, expanded);
  }
  return NormalizePath(expanded);
}

bool PathIsWithin(std::string_view path, std::string_view dir) {
  if (dir == "/") return true;
  if (path.substr(0, dir.size()) != dir) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

Result<std::string> LqHome(Env* env) {
  if (auto v = env->GetEnvVar("LQ_HOME"); v && !v->empty()) return AbsolutePath(env, *v);
  auto home = env->GetEnvVar("HOME");
  if (!home || home->empty()) {
    return Status::InvalidArgument("HOME is not set: set LQ_HOME to the directory lq should use");
  }
  std::string dot_lq = JoinPath(*home, ".lq");
  if (IsDirectory(env, dot_lq)) return dot_lq;
  if (auto xdg = env->GetEnvVar("XDG_DATA_HOME"); xdg && !xdg->empty() && (*xdg)[0] == '/') {
    return JoinPath(*xdg, "lq");
  }
  return dot_lq;
}

}  // namespace lq

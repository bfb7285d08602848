#include "core/git_repo.h"

#include "core/paths.h"

namespace lq {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return std::string(s);
}

std::string Resolve(const std::string& base, const std::string& path) {
  return NormalizePath(path.empty() || path[0] != '/' ? JoinPath(base, path) : path);
}

// Follows refs/... through loose files then packed-refs; depth-limited for symbolic loops.
std::string ResolveRef(Env* env, const std::string& common_dir, const std::string& ref, int depth = 0) {
  if (depth > 5) return "";
  if (auto loose = env->ReadFile(JoinPath(common_dir, ref)); loose.ok()) {
    std::string v = Trim(*loose);
    if (v.rfind("ref: ", 0) == 0) return ResolveRef(env, common_dir, Trim(v.substr(5)), depth + 1);
    return v;
  }
  auto packed = env->ReadFile(JoinPath(common_dir, "packed-refs"));
  if (!packed.ok()) return "";
  std::string_view text = *packed;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.size() > 41 && line[40] == ' ' && line.substr(41) == ref) return std::string(line.substr(0, 40));
  }
  return "";
}

}  // namespace

Result<GitRepo> FindGitRepo(Env* env, const std::string& abs_dir) {
  std::string dir = NormalizePath(abs_dir);
  for (;;) {
    std::string dot_git = JoinPath(dir, ".git");
    auto info = env->Stat(dot_git);
    if (info.ok()) {
      GitRepo repo;
      repo.work_tree = dir;
      if (info->is_dir()) {
        repo.git_dir = dot_git;
      } else {
        LQ_ASSIGN_OR_RETURN(std::string text, env->ReadFile(dot_git));
        std::string line = Trim(text.substr(0, text.find('\n')));
        if (line.rfind("gitdir:", 0) != 0) return Status::Corruption(dot_git + ": not a gitdir file");
        repo.git_dir = Resolve(dir, Trim(line.substr(7)));
      }
      repo.common_dir = repo.git_dir;
      if (auto common = env->ReadFile(JoinPath(repo.git_dir, "commondir")); common.ok()) {
        repo.common_dir = Resolve(repo.git_dir, Trim(*common));
      }
      return repo;
    }
    if (dir == "/") return Status::NotFound(abs_dir + ": not inside a git repository");
    dir = std::string(DirName(dir));
  }
}

Result<GitHead> ReadGitHead(Env* env, const GitRepo& repo) {
  LQ_ASSIGN_OR_RETURN(std::string head_text, env->ReadFile(JoinPath(repo.git_dir, "HEAD")));
  std::string head = Trim(head_text);
  GitHead out;
  if (head.rfind("ref: ", 0) == 0) {
    std::string ref = Trim(head.substr(5));
    if (ref.rfind("refs/heads/", 0) == 0) out.branch = ref.substr(11);
    // A worktree's own HEAD-relative refs live in git_dir; branches in common_dir.
    out.commit = ResolveRef(env, repo.common_dir, ref);
  } else {
    out.commit = head;
  }
  return out;
}

}  // namespace lq

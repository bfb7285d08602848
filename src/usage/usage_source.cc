#include "usage/usage_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace lq::usage {

const char* AgentName(Agent agent) {
  switch (agent) {
    case Agent::kClaude: return "claude";
    case Agent::kCodex: return "codex";
  }
  return "unknown";
}

const char* WarningName(WarningKind kind) {
  switch (kind) {
    case WarningKind::kMalformedLine: return "malformed line";
    case WarningKind::kRejectedEntry: return "entry rejected by the agent's rules";
    case WarningKind::kUnreadableFile: return "unreadable file";
    case WarningKind::kUnreadableDir: return "unreadable directory";
    case WarningKind::kSymlinkSkipped: return "symlink not followed";
    case WarningKind::kSymlinkLoop: return "symlink loop";
    case WarningKind::kCount: break;
  }
  return "warning";
}

uint32_t ParseOutput::ModelIndex(std::string_view name) {
  for (size_t i = 0; i < models.size(); ++i) {
    if (models[i] == name) return static_cast<uint32_t>(i);
  }
  models.emplace_back(name);
  return static_cast<uint32_t>(models.size() - 1);
}

const std::vector<std::unique_ptr<UsageSource>>& AllSources() {
  static const auto* sources = [] {
    auto* v = new std::vector<std::unique_ptr<UsageSource>>();
    v->push_back(NewClaudeSource());  // Agent::kClaude
    v->push_back(NewCodexSource());   // Agent::kCodex
    return v;
  }();
  return *sources;
}

namespace {

bool IsJsonlName(const std::string& name) {
  // Like Rust's Path::extension: a leading dot does not start an extension.
  constexpr std::string_view kExt = ".jsonl";
  return name.size() > kExt.size() && name.compare(name.size() - kExt.size(), kExt.size(), kExt) == 0;
}

void Walk(Env* env, const std::string& dir, int depth, std::vector<SourceFile>* files,
          std::vector<DiscoveryWarning>* warnings) {
  auto names = env->ListDir(dir);
  if (!names.ok()) {
    if (!names.status().IsNotFound()) warnings->push_back({WarningKind::kUnreadableDir, dir});
    return;
  }
  for (const std::string& name : *names) {
    std::string path = JoinPath(dir, name);
    auto info = env->Stat(path);  // lstat: symlinks are reported, not followed
    if (!info.ok()) continue;
    if (info->type == FileInfo::Type::kSymlink) {
      // Never followed (ccusage does not follow them either). Tell a loop apart: it is
      // the kind that would hang a naive walker.
      struct stat st;
      bool loop = ::stat(path.c_str(), &st) != 0 && errno == ELOOP;
      if (!loop && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        char resolved[PATH_MAX];
        if (::realpath(path.c_str(), resolved) != nullptr) {
          std::string r = resolved;
          std::string d = dir + "/";
          loop = d.compare(0, r.size() + 1, r + "/") == 0 || r + "/" == d;
        }
      }
      if (loop || IsJsonlName(name) || (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))) {
        warnings->push_back({loop ? WarningKind::kSymlinkLoop : WarningKind::kSymlinkSkipped, path});
      }
      continue;
    }
    if (info->is_dir()) {
      if (depth < 64) Walk(env, path, depth + 1, files, warnings);
      continue;
    }
    if (info->is_file() && IsJsonlName(name)) {
      SourceFile f;
      f.path = std::move(path);
      f.size = info->size;
      f.mtime_ns = info->mtime_ns;
      files->push_back(std::move(f));
    }
  }
}

}  // namespace

void CollectJsonl(Env* env, const std::string& dir, std::vector<SourceFile>* files,
                  std::vector<DiscoveryWarning>* warnings) {
  Walk(env, dir, 0, files, warnings);
}

size_t FindMarker(std::string_view hay, std::string_view needle) {
  const size_t n = needle.size();
  if (n < 2 || hay.size() < n) return hay.find(needle);
  size_t i = 0;
#if defined(__x86_64__)
  const __m128i first = _mm_set1_epi8(needle[0]);
  const __m128i last = _mm_set1_epi8(needle[n - 1]);
  const char* p = hay.data();
  const size_t limit = hay.size() - n + 1;  // candidate starts are < limit
  for (; i + 16 <= limit; i += 16) {
    __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + n - 1));
    unsigned mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
    while (mask != 0) {
      unsigned bit = static_cast<unsigned>(__builtin_ctz(mask));
      if (std::memcmp(p + i + bit + 1, needle.data() + 1, n - 2) == 0) return i + bit;
      mask &= mask - 1;
    }
  }
#endif
  size_t r = hay.substr(i).find(needle);
  return r == std::string_view::npos ? r : r + i;
}

}  // namespace lq::usage

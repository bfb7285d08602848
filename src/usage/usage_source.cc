#include "usage/usage_source.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <thread>

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

// Directory walking goes straight to the OS (readdir's d_type, fstatat relative to the
// open directory): with thousands of files this is the bulk of a run where nothing
// changed, and every path lookup saved counts.
// Lists one directory: its .jsonl files and symlink warnings, and its subdirectories.
void WalkOne(const std::string& dir, std::vector<SourceFile>* files, std::vector<DiscoveryWarning>* warnings,
             std::vector<std::string>* subdirs_out) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    if (errno != ENOENT && errno != ENOTDIR) warnings->push_back({WarningKind::kUnreadableDir, dir});
    return;
  }
  const int dfd = ::dirfd(d);
  std::vector<std::string>& subdirs = *subdirs_out;
  while (struct dirent* ent = ::readdir(d)) {
    const char* name = ent->d_name;
    if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
    unsigned char type = ent->d_type;
    struct stat st;
    bool have_stat = false;
    if (type == DT_UNKNOWN || type == DT_REG) {
      if (::fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      have_stat = true;
      type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
    }
    if (type == DT_DIR) {
      subdirs.push_back(JoinPath(dir, name));
      continue;
    }
    std::string sname = name;
    if (type == DT_LNK) {
      // Never followed (ccusage does not follow them either). Tell a loop apart: it is
      // the kind that would hang a naive walker.
      std::string path = JoinPath(dir, sname);
      struct stat target;
      bool resolves = ::stat(path.c_str(), &target) == 0;
      bool loop = !resolves && errno == ELOOP;
      bool is_dir = resolves && S_ISDIR(target.st_mode);
      if (is_dir) {
        char resolved[PATH_MAX];
        if (::realpath(path.c_str(), resolved) != nullptr) {
          std::string r = std::string(resolved) + "/";
          std::string here = dir + "/";
          loop = here.compare(0, r.size(), r) == 0;  // points at this directory or an ancestor
        }
      }
      if (loop || is_dir || IsJsonlName(sname)) {
        warnings->push_back({loop ? WarningKind::kSymlinkLoop : WarningKind::kSymlinkSkipped, path});
      }
      continue;
    }
    if (type != DT_REG || !IsJsonlName(sname)) continue;
    if (!have_stat && ::fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    SourceFile f;
    f.path = JoinPath(dir, sname);
    f.size = static_cast<uint64_t>(st.st_size);
    f.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    files->push_back(std::move(f));
  }
  ::closedir(d);
}

void Walk(const std::string& dir, int depth, std::vector<SourceFile>* files, std::vector<DiscoveryWarning>* warnings) {
  std::vector<std::string> subdirs;
  WalkOne(dir, files, warnings, &subdirs);
  if (depth >= 64) return;
  for (const auto& sub : subdirs) Walk(sub, depth + 1, files, warnings);
}

}  // namespace

void CollectJsonl(Env* /*env*/, const std::string& dir, std::vector<SourceFile>* files,
                  std::vector<DiscoveryWarning>* warnings) {
  // The top level holds one directory per project: walk them on two threads.
  std::vector<std::string> top;
  {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      if (errno != ENOENT && errno != ENOTDIR) warnings->push_back({WarningKind::kUnreadableDir, dir});
      return;
    }
    ::closedir(d);
  }
  // Files directly in `dir` first (depth 0 without recursion), then the subdirectories.
  std::vector<SourceFile> direct;
  std::vector<DiscoveryWarning> direct_warnings;
  WalkOne(dir, &direct, &direct_warnings, &top);
  files->insert(files->end(), std::make_move_iterator(direct.begin()), std::make_move_iterator(direct.end()));
  warnings->insert(warnings->end(), direct_warnings.begin(), direct_warnings.end());
  if (top.size() < 8) {
    for (const auto& sub : top) Walk(sub, 1, files, warnings);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<SourceFile> other_files;
  std::vector<DiscoveryWarning> other_warnings;
  auto work = [&](std::vector<SourceFile>* f, std::vector<DiscoveryWarning>* w) {
    for (size_t k; (k = next.fetch_add(1)) < top.size();) Walk(top[k], 1, f, w);
  };
  std::thread helper(work, &other_files, &other_warnings);
  work(files, warnings);
  helper.join();
  files->insert(files->end(), std::make_move_iterator(other_files.begin()), std::make_move_iterator(other_files.end()));
  warnings->insert(warnings->end(), other_warnings.begin(), other_warnings.end());
}

namespace {

#if defined(__x86_64__)
// First/last byte filter: candidate starts where needle[0] and needle[n-1] both match,
// confirmed with memcmp (Wojciech Muła's "SIMD-friendly" substring search).
__attribute__((target("avx2"))) size_t FindAvx2(std::string_view hay, std::string_view needle) {
  const size_t n = needle.size();
  const char* p = hay.data();
  const size_t limit = hay.size() - n + 1;
  const __m256i first = _mm256_set1_epi8(needle[0]);
  const __m256i last = _mm256_set1_epi8(needle[n - 1]);
  size_t i = 0;
  for (; i + 32 <= limit; i += 32) {
    __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + n - 1));
    unsigned mask = static_cast<unsigned>(
        _mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last))));
    while (mask != 0) {
      unsigned bit = static_cast<unsigned>(__builtin_ctz(mask));
      if (std::memcmp(p + i + bit + 1, needle.data() + 1, n - 2) == 0) return i + bit;
      mask &= mask - 1;
    }
  }
  size_t r = hay.substr(i).find(needle);
  return r == std::string_view::npos ? r : r + i;
}
#endif

size_t FindSse2(std::string_view hay, std::string_view needle) {
  const size_t n = needle.size();
  size_t i = 0;
#if defined(__x86_64__)
  const __m128i first = _mm_set1_epi8(needle[0]);
  const __m128i last = _mm_set1_epi8(needle[n - 1]);
  const char* p = hay.data();
  const size_t limit = hay.size() - n + 1;
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

#if defined(__x86_64__)
const bool kHasAvx2 = __builtin_cpu_supports("avx2");
#endif

}  // namespace

size_t FindMarker(std::string_view hay, std::string_view needle) {
  const size_t n = needle.size();
  if (n < 2 || hay.size() < n) return hay.find(needle);
#if defined(__x86_64__)
  if (kHasAvx2) return FindAvx2(hay, needle);
#endif
  return FindSse2(hay, needle);
}

}  // namespace lq::usage

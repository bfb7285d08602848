#include "core/mem_env.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <utility>

namespace lq {
namespace {

// Linux's limit on symlinks followed while resolving one path (ELOOP beyond).
constexpr int kMaxSymlinkHops = 40;

// Splits an absolute or relative path into its components, dropping empty ones (so
// duplicate, leading and trailing slashes vanish).
std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > i) out.emplace_back(path.substr(i, slash - i));
    i = slash + 1;
  }
  return out;
}

// "/" + components of an absolute path with "." dropped and ".." applied lexically.
std::string NormalizeAbsolute(std::string_view abs) {
  std::vector<std::string> kept;
  for (auto& c : SplitPath(abs)) {
    if (c == ".") continue;
    if (c == "..") {
      if (!kept.empty()) kept.pop_back();  // "/.." is "/"
      continue;
    }
    kept.push_back(std::move(c));
  }
  std::string out;
  for (const auto& c : kept) out += "/" + c;
  return out.empty() ? "/" : out;
}

}  // namespace

// A file, directory or symlink. Shared by its directory entry and by open WritableFiles,
// so a file stays writable after it is renamed or unlinked.
struct MemEnv::Inode {
  FileInfo::Type type = FileInfo::Type::kFile;
  std::string data;  // a file's contents, or a symlink's target
  std::map<std::string, std::shared_ptr<Inode>> children;  // a directory's entries, sorted
  int64_t mtime_ns = 0;
};

// The result of resolving a path: the directory that holds (or would hold) the entry.
struct MemEnv::Lookup {
  std::shared_ptr<Inode> parent;  // for "/" the root itself
  std::string name;               // "" for "/"
  std::string path;               // absolute, normalized, after following symlinks
  std::shared_ptr<Inode> node;    // nullptr when there is no such entry
};

class MemEnv::MemWritableFile final : public WritableFile {
 public:
  MemWritableFile(MemEnv* env, std::shared_ptr<Inode> node, bool append, std::string path)
      : env_(env), node_(std::move(node)), append_(append), path_(std::move(path)) {}

  // Writes at this handle's offset (at the end for kAppend, like O_APPEND); a gap left
  // by someone truncating the file meanwhile reads as zeros, as on POSIX.
  Status Append(std::string_view data) override {
    std::lock_guard<std::mutex> lock(env_->mu_);
    if (closed_) return Status::FromErrno(EBADF, path_);
    std::string& contents = node_->data;
    if (append_) pos_ = contents.size();
    if (contents.size() < pos_ + data.size()) contents.resize(pos_ + data.size(), '\0');
    contents.replace(pos_, data.size(), data);
    pos_ += data.size();
    node_->mtime_ns = env_->NowNanos();
    return Status::OK();
  }

  Status Sync() override {
    std::lock_guard<std::mutex> lock(env_->mu_);
    if (closed_) return Status::FromErrno(EBADF, path_);
    return Status::OK();
  }

  Status Close() override {
    std::lock_guard<std::mutex> lock(env_->mu_);
    closed_ = true;
    return Status::OK();
  }

 private:
  MemEnv* const env_;
  const std::shared_ptr<Inode> node_;
  const bool append_;
  const std::string path_;  // as given to OpenWritable, for messages
  size_t pos_ = 0;          // guarded by env_->mu_, like everything else
  bool closed_ = false;
};

MemEnv::MemEnv(uint64_t seed) : root_(std::make_shared<Inode>()), rng_state_(seed) {
  root_->type = FileInfo::Type::kDirectory;
  root_->mtime_ns = NowNanos();
}

MemEnv::~MemEnv() = default;

std::string MemEnv::AbsolutePath(std::string_view path) const {
  if (!path.empty() && path.front() == '/') return NormalizeAbsolute(path);
  return NormalizeAbsolute(cwd_ + "/" + std::string(path));
}

Result<MemEnv::Lookup> MemEnv::Resolve(const std::string& path, bool follow_last) {
  if (path.empty()) return Status::FromErrno(ENOENT, path);
  std::string abs = AbsolutePath(path);
  for (int hops = 0;; ++hops) {
    std::vector<std::string> comps = SplitPath(abs);
    if (comps.empty()) return Lookup{root_, "", "/", root_};
    std::shared_ptr<Inode> dir = root_;
    std::string dir_path;  // "" stands for "/"
    std::string next;      // set when a symlink sends us elsewhere
    for (size_t i = 0; i < comps.size(); ++i) {
      const bool last = i + 1 == comps.size();
      auto it = dir->children.find(comps[i]);
      std::shared_ptr<Inode> node = it == dir->children.end() ? nullptr : it->second;
      if (last && (node == nullptr || node->type != FileInfo::Type::kSymlink || !follow_last)) {
        return Lookup{dir, comps[i], dir_path + "/" + comps[i], node};
      }
      if (node == nullptr) return Status::FromErrno(ENOENT, path);
      if (node->type == FileInfo::Type::kSymlink) {
        const std::string& target = node->data;
        next = !target.empty() && target.front() == '/' ? target : dir_path + "/" + target;
        for (size_t j = i + 1; j < comps.size(); ++j) next += "/" + comps[j];
        break;
      }
      if (node->type != FileInfo::Type::kDirectory) return Status::FromErrno(ENOTDIR, path);
      dir = node;
      dir_path += "/" + comps[i];
    }
    if (hops >= kMaxSymlinkHops) return Status::FromErrno(ELOOP, path);
    abs = NormalizeAbsolute(next);
  }
}

class MemEnv::MemFileLock final : public FileLock {
 public:
  MemFileLock(MemEnv* env, std::string path) : env_(env), path_(std::move(path)) {}
  ~MemFileLock() override {
    {
      std::lock_guard<std::mutex> lock(env_->mu_);
      env_->locked_.erase(path_);
    }
    env_->lock_released_.notify_all();
  }

 private:
  MemEnv* env_;
  std::string path_;
};

Result<std::unique_ptr<FileLock>> MemEnv::LockFile(const std::string& path, int64_t wait_micros,
                                                   bool create_if_missing) {
  if (create_if_missing) {
    LQ_ASSIGN_OR_RETURN(auto file, OpenWritable(path, OpenMode::kAppend));  // create, keep content
    LQ_RETURN_IF_ERROR(file->Close());
  } else {
    LQ_RETURN_IF_ERROR(ReadFile(path).status());
  }
  std::unique_lock<std::mutex> lock(mu_);
  std::string key = AbsolutePath(path);
  auto unlocked = [&] { return !locked_.count(key); };
  if (wait_micros < 0) {
    lock_released_.wait(lock, unlocked);
  } else if (!lock_released_.wait_for(lock, std::chrono::microseconds(wait_micros), unlocked)) {
    return Status::Unavailable(path + " is locked by another process");
  }
  locked_.insert(key);
  return std::unique_ptr<FileLock>(new MemFileLock(this, key));
}

Result<std::string> MemEnv::ReadFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_ASSIGN_OR_RETURN(Lookup l, Resolve(path, /*follow_last=*/true));
  if (l.node == nullptr) return Status::FromErrno(ENOENT, path);
  if (l.node->type == FileInfo::Type::kDirectory) return Status::FromErrno(EISDIR, path);
  return l.node->data;
}

Result<std::unique_ptr<WritableFile>> MemEnv::OpenWritable(const std::string& path, OpenMode mode) {
  std::lock_guard<std::mutex> lock(mu_);
  // O_CREAT|O_EXCL does not follow a symlink in the last component; plain O_CREAT does,
  // and creates a dangling link's target.
  const bool exclusive = mode == OpenMode::kCreateExclusive;
  LQ_ASSIGN_OR_RETURN(Lookup l, Resolve(path, /*follow_last=*/!exclusive));
  std::shared_ptr<Inode> node = l.node;
  if (node != nullptr) {
    if (exclusive) return Status::FromErrno(EEXIST, path);
    if (node->type == FileInfo::Type::kDirectory) return Status::FromErrno(EISDIR, path);
    if (mode == OpenMode::kTruncate) {
      node->data.clear();
      node->mtime_ns = NowNanos();
    }
  } else {
    node = std::make_shared<Inode>();
    node->mtime_ns = NowNanos();
    l.parent->children[l.name] = node;
    l.parent->mtime_ns = NowNanos();
  }
  return std::unique_ptr<WritableFile>(
      new MemWritableFile(this, std::move(node), mode == OpenMode::kAppend, path));
}

Result<FileInfo> MemEnv::Stat(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_ASSIGN_OR_RETURN(Lookup l, Resolve(path, /*follow_last=*/false));
  if (l.node == nullptr) return Status::FromErrno(ENOENT, path);
  FileInfo info;
  info.type = l.node->type;
  // Directories report 0: their st_size is filesystem-specific and nobody may rely on it.
  info.size = l.node->type == FileInfo::Type::kDirectory ? 0 : l.node->data.size();
  info.mtime_ns = l.node->mtime_ns;
  return info;
}

Result<std::vector<std::string>> MemEnv::ListDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_ASSIGN_OR_RETURN(Lookup l, Resolve(dir, /*follow_last=*/true));
  if (l.node == nullptr) return Status::FromErrno(ENOENT, dir);
  if (l.node->type != FileInfo::Type::kDirectory) return Status::FromErrno(ENOTDIR, dir);
  std::vector<std::string> names;
  names.reserve(l.node->children.size());
  for (const auto& [name, child] : l.node->children) names.push_back(name);
  return names;  // std::map keeps them sorted
}

Status MemEnv::CreateDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_ASSIGN_OR_RETURN(Lookup l, Resolve(dir, /*follow_last=*/false));
  if (l.node != nullptr) {
    if (l.node->type == FileInfo::Type::kDirectory) return Status::OK();
    return Status::FromErrno(EEXIST, dir);
  }
  auto node = std::make_shared<Inode>();
  node->type = FileInfo::Type::kDirectory;
  node->mtime_ns = NowNanos();
  l.parent->children[l.name] = std::move(node);
  l.parent->mtime_ns = NowNanos();
  return Status::OK();
}

Status MemEnv::RemoveFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_ASSIGN_OR_RETURN(Lookup l, Resolve(path, /*follow_last=*/false));
  if (l.node == nullptr) return Status::FromErrno(ENOENT, path);
  if (l.node->type == FileInfo::Type::kDirectory) return Status::FromErrno(EISDIR, path);
  l.parent->children.erase(l.name);
  l.parent->mtime_ns = NowNanos();
  return Status::OK();
}

Status MemEnv::RemoveDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_ASSIGN_OR_RETURN(Lookup l, Resolve(dir, /*follow_last=*/false));
  if (l.node == nullptr) return Status::FromErrno(ENOENT, dir);
  if (l.node->type != FileInfo::Type::kDirectory) return Status::FromErrno(ENOTDIR, dir);
  if (l.node == root_) return Status::FromErrno(EBUSY, dir);
  if (!l.node->children.empty()) return Status::FromErrno(ENOTEMPTY, dir);
  l.parent->children.erase(l.name);
  l.parent->mtime_ns = NowNanos();
  return Status::OK();
}

Status MemEnv::Rename(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string what = from + " -> " + to;  // PosixEnv's wording
  auto src = Resolve(from, /*follow_last=*/false);
  if (!src.ok()) return Status::FromErrno(src.status().IsNotFound() ? ENOENT : ELOOP, what);
  auto dst = Resolve(to, /*follow_last=*/false);
  if (!dst.ok()) return Status::FromErrno(dst.status().IsNotFound() ? ENOENT : ELOOP, what);
  if (src->node == nullptr) return Status::FromErrno(ENOENT, what);
  if (src->node == root_ || dst->node == root_) return Status::FromErrno(EBUSY, what);
  if (src->node == dst->node) return Status::OK();  // rename(2): same file, nothing to do
  if (src->node->type == FileInfo::Type::kDirectory) {
    if (dst->path.compare(0, src->path.size() + 1, src->path + "/") == 0) {
      return Status::FromErrno(EINVAL, what);  // into its own subtree
    }
    if (dst->node != nullptr) {
      if (dst->node->type != FileInfo::Type::kDirectory) return Status::FromErrno(ENOTDIR, what);
      if (!dst->node->children.empty()) return Status::FromErrno(ENOTEMPTY, what);
    }
  } else if (dst->node != nullptr && dst->node->type == FileInfo::Type::kDirectory) {
    return Status::FromErrno(EISDIR, what);
  }
  dst->parent->children[dst->name] = src->node;
  src->parent->children.erase(src->name);
  src->parent->mtime_ns = NowNanos();
  dst->parent->mtime_ns = NowNanos();
  return Status::OK();
}

Status MemEnv::RenameNoReplace(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(mu_);
  // Errors as link(2) reports them, since that is what PosixEnv uses.
  LQ_ASSIGN_OR_RETURN(Lookup src, Resolve(from, /*follow_last=*/false));
  if (src.node == nullptr) return Status::FromErrno(ENOENT, to);
  LQ_ASSIGN_OR_RETURN(Lookup dst, Resolve(to, /*follow_last=*/false));
  if (dst.node != nullptr) return Status::FromErrno(EEXIST, to);
  if (src.node->type == FileInfo::Type::kDirectory) return Status::FromErrno(EPERM, to);
  dst.parent->children[dst.name] = src.node;
  src.parent->children.erase(src.name);
  src.parent->mtime_ns = NowNanos();
  dst.parent->mtime_ns = NowNanos();
  return Status::OK();
}

Status MemEnv::SyncDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_ASSIGN_OR_RETURN(Lookup l, Resolve(dir, /*follow_last=*/true));
  if (l.node == nullptr) return Status::FromErrno(ENOENT, dir);
  if (l.node->type != FileInfo::Type::kDirectory) return Status::FromErrno(ENOTDIR, dir);
  return Status::OK();
}

Status MemEnv::Symlink(const std::string& target, const std::string& link) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_ASSIGN_OR_RETURN(Lookup l, Resolve(link, /*follow_last=*/false));
  if (l.node != nullptr) return Status::FromErrno(EEXIST, link);
  if (target.empty()) return Status::FromErrno(ENOENT, link);  // symlink(2) refuses ""
  auto node = std::make_shared<Inode>();
  node->type = FileInfo::Type::kSymlink;
  node->data = target;  // verbatim, resolved only when followed
  node->mtime_ns = NowNanos();
  l.parent->children[l.name] = std::move(node);
  l.parent->mtime_ns = NowNanos();
  return Status::OK();
}

Result<std::string> MemEnv::ReadLink(const std::string& link) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_ASSIGN_OR_RETURN(Lookup l, Resolve(link, /*follow_last=*/false));
  if (l.node == nullptr) return Status::FromErrno(ENOENT, link);
  if (l.node->type != FileInfo::Type::kSymlink) return Status::FromErrno(EINVAL, link);
  return l.node->data;
}

std::optional<std::string> MemEnv::GetEnvVar(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = env_vars_.find(name);
  if (it == env_vars_.end()) return std::nullopt;
  return it->second;
}

Result<std::string> MemEnv::CurrentDir() {
  std::lock_guard<std::mutex> lock(mu_);
  return cwd_;
}

std::string MemEnv::HostName() {
  std::lock_guard<std::mutex> lock(mu_);
  return host_name_;
}

int MemEnv::ProcessId() { return kProcessId; }

Status MemEnv::RandomBytes(void* buf, size_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  auto* out = static_cast<unsigned char*>(buf);
  while (n > 0) {
    // splitmix64: a full-period generator, good enough for names and ids in tests.
    uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    for (int i = 0; i < 8 && n > 0; ++i, --n) {
      *out++ = static_cast<unsigned char>(z);
      z >>= 8;
    }
  }
  return Status::OK();
}

Result<ProcessResult> MemEnv::RunProcess(const std::vector<std::string>& argv) {
  if (argv.empty()) return Status::InvalidArgument("RunProcess: empty command");
  ProcessHandler handler;
  {
    std::lock_guard<std::mutex> lock(mu_);
    handler = process_handler_;
  }
  if (!handler) return ProcessResult{127, argv[0] + ": command not found"};
  return handler(argv);
}

int64_t MemEnv::NowMicros() {
  std::lock_guard<std::mutex> lock(mu_);
  return now_micros_;
}

void MemEnv::SleepForMicros(int64_t micros) { AdvanceMicros(micros); }

void MemEnv::SetEnvVar(const std::string& name, std::string value) {
  std::lock_guard<std::mutex> lock(mu_);
  env_vars_[name] = std::move(value);
}

void MemEnv::UnsetEnvVar(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  env_vars_.erase(name);
}

void MemEnv::SetCurrentDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  cwd_ = AbsolutePath(dir);
}

void MemEnv::SetHostName(std::string name) {
  std::lock_guard<std::mutex> lock(mu_);
  host_name_ = std::move(name);
}

void MemEnv::SetNowMicros(int64_t micros) {
  std::lock_guard<std::mutex> lock(mu_);
  now_micros_ = micros;
}

void MemEnv::AdvanceMicros(int64_t micros) {
  std::lock_guard<std::mutex> lock(mu_);
  if (micros > 0) now_micros_ += micros;  // time never runs backwards by sleeping
}

void MemEnv::SetProcessHandler(ProcessHandler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  process_handler_ = std::move(handler);
}

}  // namespace lq

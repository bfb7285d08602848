#include "core/env.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>

namespace lq {

Result<std::vector<Env::DirEntry>> Env::ListDirWithInfo(const std::string& dir) {
  LQ_ASSIGN_OR_RETURN(auto names, ListDir(dir));
  std::vector<DirEntry> out;
  out.reserve(names.size());
  for (auto& name : names) {
    auto info = Stat(JoinPath(dir, name));
    if (info.ok()) out.push_back({std::move(name), *info});
  }
  return out;
}

namespace {

// NewRandomAccessFile for Envs without a positioned read: each Read reads the file anew.
class RereadingFile final : public RandomAccessFile {
 public:
  RereadingFile(Env* env, std::string path) : env_(env), path_(std::move(path)) {}
  Result<size_t> Read(uint64_t offset, size_t n, char* scratch) const override {
    LQ_ASSIGN_OR_RETURN(std::string data, env_->ReadFile(path_));
    if (offset >= data.size()) return size_t{0};
    size_t got = std::min<uint64_t>(n, data.size() - offset);
    std::memcpy(scratch, data.data() + offset, got);
    return got;
  }

 private:
  Env* env_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<RandomAccessFile>> Env::NewRandomAccessFile(const std::string& path) {
  LQ_ASSIGN_OR_RETURN(FileInfo info, Stat(path));
  if (info.is_dir()) return Status::FromErrno(EISDIR, path);
  return std::unique_ptr<RandomAccessFile>(new RereadingFile(this, path));
}

Result<uint64_t> Env::CopyToNewFile(const std::string& from, const std::string& to, bool sync) {
  LQ_ASSIGN_OR_RETURN(std::string data, ReadFile(from));
  LQ_ASSIGN_OR_RETURN(auto file, OpenWritable(to, OpenMode::kCreateExclusive));
  Status s = file->Append(data);
  if (s.ok() && sync) s = file->Sync();
  Status closed = file->Close();
  if (s.ok()) s = closed;
  if (!s.ok()) {
    RemoveFile(to);
    return s;
  }
  return static_cast<uint64_t>(data.size());
}

std::string EnvVarOrEmpty(Env* env, const std::string& name) {
  auto v = env->GetEnvVar(name);
  return v ? *v : std::string();
}

bool FileExists(Env* env, const std::string& path) { return env->Stat(path).ok(); }

bool IsDirectory(Env* env, const std::string& path) {
  auto info = env->Stat(path);
  return info.ok() && info->is_dir();
}

Status CreateDirs(Env* env, const std::string& dir) {
  if (dir.empty() || dir == "." || dir == "/") return Status::OK();
  auto info = env->Stat(dir);
  if (info.ok()) {
    if (info->is_dir()) return Status::OK();
    if (info->type == FileInfo::Type::kSymlink) {
      // A symlink to a directory is fine (e.g. a store on another disk).
      auto target = env->ListDir(dir);
      if (target.ok()) return Status::OK();
    }
    return Status::AlreadyExists(dir + ": exists and is not a directory");
  }
  std::string_view parent = DirName(dir);
  if (parent != dir) LQ_RETURN_IF_ERROR(CreateDirs(env, std::string(parent)));
  return env->CreateDir(dir);
}

Status RemoveAll(Env* env, const std::string& path) {
  auto info = env->Stat(path);
  if (!info.ok()) return info.status().IsNotFound() ? Status::OK() : info.status();
  if (info->is_dir()) {
    LQ_ASSIGN_OR_RETURN(auto names, env->ListDir(path));
    for (const auto& name : names) LQ_RETURN_IF_ERROR(RemoveAll(env, JoinPath(path, name)));
    return env->RemoveDir(path);
  }
  return env->RemoveFile(path);
}

namespace {

// Writes data to a fresh temp file beside `path` and makes it durable.
Result<std::string> WriteTempBeside(Env* env, const std::string& path, std::string_view data) {
  LQ_ASSIGN_OR_RETURN(std::string suffix, RandomHex(env, 6));
  std::string tmp = path + ".tmp-" + std::to_string(env->ProcessId()) + "-" + suffix;
  LQ_ASSIGN_OR_RETURN(auto file, env->OpenWritable(tmp, Env::OpenMode::kCreateExclusive));
  Status s = file->Append(data);
  if (s.ok()) s = file->Sync();
  Status c = file->Close();
  if (s.ok()) s = c;
  if (!s.ok()) {
    env->RemoveFile(tmp);
    return s;
  }
  return tmp;
}

}  // namespace

Status WriteFileAtomically(Env* env, const std::string& path, std::string_view data) {
  LQ_ASSIGN_OR_RETURN(std::string tmp, WriteTempBeside(env, path, data));
  Status s = env->Rename(tmp, path);
  if (!s.ok()) {
    env->RemoveFile(tmp);
    return s;
  }
  return env->SyncDir(std::string(DirName(path)));
}

Status CreateFileOnce(Env* env, const std::string& path, std::string_view data) {
  LQ_ASSIGN_OR_RETURN(std::string tmp, WriteTempBeside(env, path, data));
  Status s = env->RenameNoReplace(tmp, path);
  if (!s.ok()) {
    env->RemoveFile(tmp);
    return s;
  }
  return env->SyncDir(std::string(DirName(path)));
}

Status AppendToFile(Env* env, const std::string& path, std::string_view data) {
  LQ_ASSIGN_OR_RETURN(auto file, env->OpenWritable(path, Env::OpenMode::kAppend));
  Status s = file->Append(data);
  if (s.ok()) s = file->Sync();
  Status c = file->Close();
  return s.ok() ? c : s;
}

Result<std::string> RandomHex(Env* env, size_t n_bytes) {
  std::string bytes(n_bytes, '\0');
  LQ_RETURN_IF_ERROR(env->RandomBytes(bytes.data(), n_bytes));
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n_bytes);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (!b.empty() && b.front() == '/') return std::string(b);
  std::string out(a);
  if (out.back() != '/') out.push_back('/');
  out.append(b);
  return out;
}

std::string_view DirName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string_view BaseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace lq

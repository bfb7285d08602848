#include "sync/local/local_destination.h"

#include "core/paths.h"

namespace lq::sync {
namespace {

void Walk(Env* env, const std::string& dir, const std::string& key_prefix, std::vector<ObjectInfo>* out) {
  auto names = env->ListDir(dir);
  if (!names.ok()) return;
  for (const auto& name : *names) {
    if (name.rfind(kTempPrefix, 0) == 0) continue;
    std::string path = dir + "/" + name;
    auto info = env->Stat(path);
    if (!info.ok()) continue;
    std::string key = key_prefix.empty() ? name : key_prefix + "/" + name;
    if (info->is_dir()) {
      Walk(env, path, key, out);
    } else if (info->is_file()) {
      out->push_back({key, info->size, info->mtime_ns});
    } else if (info->type == FileInfo::Type::kSymlink) {
      out->push_back({key, 0, info->mtime_ns});  // a symlink-mode link: listed, never followed
    }
  }
}

}  // namespace

Status LocalDestination::Check() {
  auto info = env_->Stat(root_);
  if (info.ok() && !info->is_dir() && info->type != FileInfo::Type::kSymlink) {
    return Status::InvalidArgument(root_ + " is a file, not a folder; choose a folder as the sync destination");
  }
  if (!info.ok()) {
    Status s = CreateDirs(env_, root_);
    if (!s.ok()) return s.WithContext("cannot create the sync destination");
  }
  // Writable? A probe file, removed at once.
  LQ_ASSIGN_OR_RETURN(std::string rnd, RandomHex(env_, 8));
  std::string probe = root_ + "/" + std::string(kTempPrefix) + "probe-" + rnd;
  auto file = env_->OpenWritable(probe, Env::OpenMode::kCreateExclusive);
  if (!file.ok()) return file.status().WithContext("the sync destination is not writable");
  Status closed = (*file)->Close();
  env_->RemoveFile(probe);
  return closed;
}

Result<std::vector<ObjectInfo>> LocalDestination::List(std::string_view prefix) {
  std::vector<ObjectInfo> out;
  // Walk from the deepest folder named entirely by the prefix, then filter.
  std::string_view dir_part = prefix.substr(0, prefix.rfind('/') == std::string_view::npos ? 0 : prefix.rfind('/'));
  std::string start = dir_part.empty() ? root_ : PathOf(dir_part);
  auto info = env_->Stat(start);
  if (!info.ok()) {
    if (info.status().IsNotFound()) return out;
    return info.status();
  }
  std::vector<ObjectInfo> all;
  Walk(env_, start, std::string(dir_part), &all);
  for (auto& o : all) {
    if (o.key.compare(0, prefix.size(), prefix) == 0) out.push_back(std::move(o));
  }
  return out;
}

Status LocalDestination::Put(std::string_view key, const std::string& local_path, const PutOptions& options) {
  LQ_RETURN_IF_ERROR(ValidateKey(key));
  std::string target = PathOf(key);
  std::string dir(DirName(target));
  LQ_RETURN_IF_ERROR(CreateDirs(env_, dir));
  if (options.only_if_absent && FileExists(env_, target)) return Status::AlreadyExists(std::string(key));
  LQ_ASSIGN_OR_RETURN(std::string rnd, RandomHex(env_, 8));
  std::string tmp = dir + "/" + std::string(kTempPrefix) + rnd;
  LQ_RETURN_IF_ERROR(env_->CopyToNewFile(local_path, tmp, /*sync=*/true).status());
  Status s = options.only_if_absent ? env_->RenameNoReplace(tmp, target) : env_->Rename(tmp, target);
  if (!s.ok()) {
    env_->RemoveFile(tmp);
    return s;
  }
  return env_->SyncDir(dir);
}

Result<std::string> LocalDestination::Get(std::string_view key) {
  LQ_RETURN_IF_ERROR(ValidateKey(key));
  return env_->ReadFile(PathOf(key));
}

Status LocalDestination::Delete(std::string_view key) {
  LQ_RETURN_IF_ERROR(ValidateKey(key));
  Status s = env_->RemoveFile(PathOf(key));
  return s.IsNotFound() ? Status::OK() : s;
}

namespace {

void RemoveTemps(Env* env, const std::string& dir) {
  auto names = env->ListDir(dir);
  if (!names.ok()) return;
  for (const auto& name : *names) {
    std::string path = dir + "/" + name;
    if (name.rfind(kTempPrefix, 0) == 0) {
      env->RemoveFile(path);
      continue;
    }
    auto info = env->Stat(path);
    if (info.ok() && info->is_dir()) RemoveTemps(env, path);
  }
}

}  // namespace

Status LocalDestination::RemoveTemporaries(std::string_view prefix) {
  std::string_view dir_part = prefix.substr(0, prefix.rfind('/') == std::string_view::npos ? 0 : prefix.rfind('/'));
  RemoveTemps(env_, dir_part.empty() ? root_ : PathOf(dir_part));
  return Status::OK();
}

Status LocalDestination::Link(std::string_view key, const std::string& target) {
  LQ_RETURN_IF_ERROR(ValidateKey(key));
  std::string path = PathOf(key);
  LQ_RETURN_IF_ERROR(CreateDirs(env_, std::string(DirName(path))));
  auto info = env_->Stat(path);
  if (info.ok()) {
    if (info->type == FileInfo::Type::kSymlink) {
      auto existing = env_->ReadLink(path);
      if (existing.ok() && *existing == target) return Status::OK();
      LQ_RETURN_IF_ERROR(env_->RemoveFile(path));
    } else {
      return Status::AlreadyExists(path + " exists and is not a link; remove it or sync with --mode copy");
    }
  }
  // Create the link under a temporary name and rename it, so the switch is atomic.
  LQ_ASSIGN_OR_RETURN(std::string rnd, RandomHex(env_, 8));
  std::string tmp = std::string(DirName(path)) + "/" + std::string(kTempPrefix) + rnd;
  LQ_RETURN_IF_ERROR(env_->Symlink(target, tmp));
  Status s = env_->Rename(tmp, path);
  if (!s.ok()) env_->RemoveFile(tmp);
  return s;
}

void RegisterLocalDestination(DestinationRegistry* registry) {
  registry->Register({"", [](Env* env, const std::string& url) -> Result<std::unique_ptr<Destination>> {
                        LQ_ASSIGN_OR_RETURN(std::string root, AbsolutePath(env, url));
                        return std::unique_ptr<Destination>(new LocalDestination(env, root));
                      }});
}

}  // namespace lq::sync

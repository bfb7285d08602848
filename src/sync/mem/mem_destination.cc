#include "sync/mem/mem_destination.h"

namespace lq::sync {

Result<std::vector<ObjectInfo>> MemDestination::List(std::string_view prefix) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ObjectInfo> out;
  for (auto it = objects_.lower_bound(prefix); it != objects_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
       ++it) {
    out.push_back({it->first, it->second.size(), 0});
  }
  return out;
}

Status MemDestination::Put(std::string_view key, const std::string& local_path, const PutOptions& options) {
  LQ_RETURN_IF_ERROR(ValidateKey(key));
  LQ_ASSIGN_OR_RETURN(std::string data, env_->ReadFile(local_path));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = objects_.find(key);
  if (it != objects_.end()) {
    if (options.only_if_absent) return Status::AlreadyExists(std::string(key) + " exists in " + Describe());
    it->second = std::move(data);
  } else {
    objects_.emplace(std::string(key), std::move(data));
  }
  return Status::OK();
}

Result<std::string> MemDestination::Get(std::string_view key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return Status::NotFound(std::string(key) + " not found in " + Describe());
  return it->second;
}

Status MemDestination::Delete(std::string_view key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = objects_.find(key);
  if (it != objects_.end()) objects_.erase(it);
  return Status::OK();
}

}  // namespace lq::sync

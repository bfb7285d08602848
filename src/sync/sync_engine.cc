#include "sync/sync_engine.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace lq::sync {
namespace {

void WalkLocal(Env* env, const std::string& dir, const std::string& rel, const std::string& key_prefix,
               const std::function<bool(const std::string&)>& keep, std::vector<LocalFile>* out) {
  auto entries = env->ListDirWithInfo(dir);
  if (!entries.ok()) return;
  for (const auto& [name, info] : *entries) {
    if (name.empty() || name[0] == '.') continue;  // temporaries, .gitignore, ...
    std::string path = dir + "/" + name;
    std::string child = rel.empty() ? name : rel + "/" + name;
    if (info.is_dir()) {
      WalkLocal(env, path, child, key_prefix, keep, out);
    } else if (info.is_file() && (!keep || keep(child))) {
      out->push_back({path, key_prefix + child, info.size, info.mtime_ns});
    }
  }
}

}  // namespace

std::vector<LocalFile> ListLocalTree(Env* env, const std::string& root, const std::string& key_prefix,
                                     const std::function<bool(const std::string&)>& keep) {
  std::vector<LocalFile> out;
  WalkLocal(env, root, "", key_prefix, keep, &out);
  return out;
}

Result<SyncPlan> PlanSync(const std::vector<LocalFile>& local, const Manifest& manifest, Destination* dest,
                          const std::string& prefix, const SyncOptions& options) {
  SyncPlan plan;
  std::vector<const LocalFile*> unknown;
  for (const auto& f : local) {
    const Manifest::Entry* e = options.force ? nullptr : manifest.Find(f.key);
    if (e != nullptr && e->size == f.size && e->mtime_ns == f.mtime_ns) {
      ++plan.skipped;
    } else if (e != nullptr || options.force) {
      plan.copy.push_back(f);  // changed locally (or forced): copy again
      plan.bytes += f.size;
    } else {
      unknown.push_back(&f);
    }
  }
  if (!unknown.empty()) {
    LQ_ASSIGN_OR_RETURN(std::vector<ObjectInfo> listing, dest->List(prefix));
    std::unordered_map<std::string, uint64_t> remote;
    for (const auto& o : listing) remote[o.key] = o.size;
    for (const LocalFile* f : unknown) {
      auto it = remote.find(f->key);
      if (it != remote.end() && it->second == f->size) {
        plan.adopt.push_back({f->key, {f->size, f->mtime_ns}});
      } else {
        plan.copy.push_back(*f);
        plan.bytes += f->size;
      }
    }
  }
  if (options.delete_extra) {
    std::unordered_set<std::string> present;
    for (const auto& f : local) present.insert(f.key);
    for (const auto& [key, e] : manifest.entries()) {
      if (key.compare(0, prefix.size(), prefix) == 0 && !present.count(key)) plan.remove.push_back(key);
    }
  }
  return plan;
}

SyncResult ApplySync(const SyncPlan& plan, Destination* dest, Manifest* manifest, const SyncOptions& options) {
  SyncResult result;
  result.planned = plan.copy.size();
  result.skipped = plan.skipped;
  std::mutex mu;
  auto fail = [&](const Status& s) {
    std::lock_guard<std::mutex> lock(mu);
    ++result.failed;
    if (result.first_error.empty()) result.first_error = s.message();
  };
  for (const auto& [key, entry] : plan.adopt) {
    Status s = manifest->Record(key, entry);
    if (s.ok()) ++result.adopted;
    else fail(s);
  }
  std::atomic<size_t> next{0};
  size_t done = 0;
  auto worker = [&] {
    for (size_t i = next++; i < plan.copy.size(); i = next++) {
      const LocalFile& f = plan.copy[i];
      Status s = dest->Put(f.key, f.path, {});
      if (s.ok()) s = manifest->Record(f.key, {f.size, f.mtime_ns});
      if (!s.ok()) {
        fail(s.WithContext(f.key));
        continue;
      }
      std::lock_guard<std::mutex> lock(mu);
      ++result.copied;
      result.bytes += f.size;
      ++done;
      if (options.progress) options.progress(done, plan.copy.size(), result.bytes);
    }
  };
  int threads = dest->capabilities().parallel_puts ? std::max(1, options.parallelism) : 1;
  threads = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), plan.copy.size()));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (const auto& key : plan.remove) {
    Status s = dest->Delete(key);
    if (s.ok()) s = manifest->Forget(key);
    if (s.ok()) ++result.deleted;
    else fail(s.WithContext(key));
  }
  return result;
}

}  // namespace lq::sync

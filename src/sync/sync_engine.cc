#include "sync/sync_engine.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace lq::sync {
namespace {

class TreeWalker {
 public:
  TreeWalker(Env* env, const std::string& key_prefix, const TreeOptions& options, LocalTree* out)
      : env_(env), key_prefix_(key_prefix), options_(options), out_(out) {}

  void Walk(const std::string& dir, const std::string& rel, int64_t mtime_ns) {
    std::string folder_key = rel.empty() ? key_prefix_ : key_prefix_ + rel + "/";
    if (!rel.empty() && TakeSettled(dir, folder_key, mtime_ns)) return;
    auto entries = env_->ListDirWithInfo(dir);
    if (!entries.ok()) return;
    size_t first = out_->files.size();
    bool has_subfolders = false;
    for (const auto& [name, info] : *entries) {  // files first: a folder's files stay together
      if (name.empty() || name[0] == '.') continue;  // temporaries, .gitignore, ...
      if (info.is_dir()) {
        has_subfolders = true;
        continue;
      }
      std::string child = rel.empty() ? name : rel + "/" + name;
      if (info.is_file() && (!options_.keep || options_.keep(child))) {
        out_->files.push_back({dir + "/" + name, key_prefix_ + child, info.size, info.mtime_ns});
      }
    }
    if (!has_subfolders) {
      out_->leaf_folders.push_back({folder_key, mtime_ns, first, out_->files.size() - first, false});
      return;
    }
    for (const auto& [name, info] : *entries) {
      if (name.empty() || name[0] == '.' || !info.is_dir()) continue;
      Walk(dir + "/" + name, rel.empty() ? name : rel + "/" + name, info.mtime_ns);
    }
  }

 private:
  using ManifestItem = std::pair<const std::string, Manifest::Entry>;

  bool TakeSettled(const std::string& dir, const std::string& folder_key, int64_t mtime_ns) {
    if (options_.settled == nullptr || mtime_ns == 0) return false;
    const Manifest::Folder* folder = options_.settled->FindFolder(folder_key);
    if (folder == nullptr || folder->mtime_ns != mtime_ns) return false;
    if (!indexed_) IndexManifest();
    auto it = by_folder_.find(folder_key);
    std::vector<std::string_view> names;
    if (it != by_folder_.end()) {
      for (const ManifestItem* item : it->second) names.push_back(std::string_view(item->first).substr(folder_key.size()));
    }
    // The manifest may still hold files deleted here since (synced before, kept until
    // --delete): then the names differ and the folder is listed after all.
    if (FolderNamesHash(names) != folder->names_hash) return false;
    size_t first = out_->files.size();
    if (it != by_folder_.end()) {
      for (const ManifestItem* item : it->second) {
        out_->files.push_back({dir + "/" + item->first.substr(folder_key.size()), item->first, item->second.size,
                               item->second.mtime_ns});
      }
    }
    out_->leaf_folders.push_back({folder_key, mtime_ns, first, out_->files.size() - first, true});
    return true;
  }

  void IndexManifest() {
    indexed_ = true;
    for (const auto& item : options_.settled->entries()) {
      size_t slash = item.first.rfind('/');
      if (slash == std::string::npos) continue;
      by_folder_[std::string_view(item.first).substr(0, slash + 1)].push_back(&item);
    }
  }

  Env* env_;
  const std::string& key_prefix_;
  const TreeOptions& options_;
  LocalTree* out_;
  bool indexed_ = false;
  std::unordered_map<std::string_view, std::vector<const ManifestItem*>> by_folder_;
};

}  // namespace

void LocalTree::Append(LocalTree&& other) {
  size_t base = files.size();
  for (auto& f : other.files) files.push_back(std::move(f));
  for (auto& d : other.leaf_folders) {
    d.first += base;
    leaf_folders.push_back(std::move(d));
  }
}

LocalTree ListLocalTree(Env* env, const std::string& root, const std::string& key_prefix,
                        const TreeOptions& options) {
  LocalTree out;
  TreeWalker(env, key_prefix, options, &out).Walk(root, "", 0);
  return out;
}

Status RecordSettledFolders(const LocalTree& tree, Manifest* manifest, int64_t now_micros) {
  const int64_t settled_before_ns = (now_micros - 2'000'000) * 1000;
  for (const LocalFolder& folder : tree.leaf_folders) {
    if (folder.mtime_ns == 0 || folder.mtime_ns >= settled_before_ns) continue;
    const Manifest::Folder* known = manifest->FindFolder(folder.key);
    if (folder.settled || (known != nullptr && known->mtime_ns == folder.mtime_ns)) continue;
    std::vector<std::string_view> names;
    bool all_synced = true;
    for (size_t i = folder.first; i < folder.first + folder.count && all_synced; ++i) {
      const LocalFile& f = tree.files[i];
      const Manifest::Entry* e = manifest->Find(f.key);
      all_synced = e != nullptr && e->size == f.size && e->mtime_ns == f.mtime_ns;
      names.push_back(std::string_view(f.key).substr(folder.key.size()));
    }
    if (all_synced) LQ_RETURN_IF_ERROR(manifest->RecordFolder(folder.key, {folder.mtime_ns, FolderNamesHash(names)}));
  }
  return Status::OK();
}

Result<bool> HasPrefixMarker(Destination* dest, const std::string& prefix) {
  auto marker = dest->Get(prefix + std::string(kPrefixMarker));
  if (marker.ok()) return true;
  if (marker.status().IsNotFound()) return false;
  return marker.status();
}

Status PutPrefixMarker(Env* env, Destination* dest, const std::string& prefix, const std::string& scratch_path) {
  LQ_RETURN_IF_ERROR(WriteFileAtomically(env, scratch_path,
                                         "lq sync keeps this file here. Without it, the next lq sync from the "
                                         "machine that wrote this folder checks every file again.\n"));
  Status s = dest->Put(prefix + std::string(kPrefixMarker), scratch_path, {});
  env->RemoveFile(scratch_path);
  return s;
}

Result<SyncPlan> PlanSync(const std::vector<LocalFile>& local, const Manifest& manifest, Destination* dest,
                          const std::string& prefix, const SyncOptions& options) {
  SyncPlan plan;
  std::vector<const LocalFile*> unknown;
  for (const auto& f : local) {
    const Manifest::Entry* e = options.force ? nullptr : manifest.Find(f.key);
    if (!options.immutable) {
      if (e != nullptr && e->size == f.size && e->content_hash != 0 && e->content_hash == f.content_hash) {
        ++plan.skipped;
      } else {
        plan.copy.push_back(f);  // new, rewritten, or never hashed: a same-size object proves nothing
        plan.bytes += f.size;
      }
      continue;
    }
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
      if (s.ok()) s = manifest->Record(f.key, {f.size, f.mtime_ns, f.content_hash});
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

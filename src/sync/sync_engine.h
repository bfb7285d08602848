// The sync engine: plan (what is new or changed) -> apply (copy, in parallel where the
// destination allows) -> record (manifest entry per confirmed write). It knows no
// backend: everything goes through Destination. A dry run returns exactly the plan
// apply would carry out.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/env.h"
#include "sync/destination.h"
#include "sync/manifest.h"

namespace lq::sync {

// A local file and the key it goes to.
struct LocalFile {
  std::string path;
  std::string key;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
};

// Lists the regular files under `root` (recursively, symlinks not followed, names
// starting with '.' skipped) as keys `key_prefix` + relative path. A missing root is
// an empty list.
std::vector<LocalFile> ListLocalTree(Env* env, const std::string& root, const std::string& key_prefix,
                                     const std::function<bool(const std::string& rel)>& keep = nullptr);

struct SyncOptions {
  bool force = false;         // copy everything again
  bool delete_extra = false;  // delete keys we synced before whose local file is gone
  int parallelism = 4;        // concurrent puts when the destination allows them
  // Called after each file (from worker threads, serialized): done, total, bytes done.
  std::function<void(size_t, size_t, uint64_t)> progress;
};

struct SyncPlan {
  std::vector<LocalFile> copy;
  std::vector<std::string> remove;  // keys to delete (only with delete_extra)
  std::vector<std::pair<std::string, Manifest::Entry>> adopt;  // already there: record only
  size_t skipped = 0;
  uint64_t bytes = 0;  // to copy
};

// Plans a sync of `local` into the keys under `prefix`. Keys the manifest does not
// know are looked up in the destination's listing (once): an object of the same size
// is adopted, not copied again — that is how a sync killed after a write but before
// recording it converges without copying twice. (Run files are immutable and uniquely
// named, so an equal size means the same file.)
Result<SyncPlan> PlanSync(const std::vector<LocalFile>& local, const Manifest& manifest, Destination* dest,
                          const std::string& prefix, const SyncOptions& options);

struct SyncResult {
  size_t planned = 0, copied = 0, skipped = 0, adopted = 0, deleted = 0, failed = 0;
  uint64_t bytes = 0;
  std::string first_error;
};

// Carries out the plan. Every confirmed write is recorded at once. Failures of single
// files do not stop the others; the result counts them and keeps the first error.
SyncResult ApplySync(const SyncPlan& plan, Destination* dest, Manifest* manifest, const SyncOptions& options);

}  // namespace lq::sync

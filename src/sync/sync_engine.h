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
  uint64_t content_hash = 0;  // FNV-1a 64 of the content; set for mutable collections only
};

// A leaf folder (one without subfolders) met by ListLocalTree; its files are
// files[first, first + count).
struct LocalFolder {
  std::string key;  // key prefix of its files, ending in '/'
  int64_t mtime_ns = 0;
  size_t first = 0, count = 0;
  bool settled = false;  // taken from the manifest, not listed
};

struct LocalTree {
  std::vector<LocalFile> files;
  std::vector<LocalFolder> leaf_folders;
  void Append(LocalTree&& other);
};

struct TreeOptions {
  std::function<bool(const std::string& rel)> keep;  // null: every regular file
  // When set, a leaf folder the manifest knows as settled, with the same mtime and the
  // same file names as then, is not listed: its files come from the manifest. Only for
  // trees whose files are created by rename and never modified in place (run files):
  // any create, rename or delete changes the folder's mtime, an in-place edit does not.
  const Manifest* settled = nullptr;
};

// Lists the regular files under `root` (recursively, symlinks not followed, names
// starting with '.' skipped) as keys `key_prefix` + relative path. A missing root is
// an empty tree.
LocalTree ListLocalTree(Env* env, const std::string& root, const std::string& key_prefix,
                        const TreeOptions& options = {});

// After a sync: records as settled every leaf folder whose files all reached the
// manifest unchanged and whose mtime is older than `now_micros` minus two seconds (a
// folder changed within the file system's timestamp granularity of the listing could
// change again without its mtime moving).
Status RecordSettledFolders(const LocalTree& tree, Manifest* manifest, int64_t now_micros);

// Every synced prefix holds this small object, written after its first sync. When it is
// missing the destination was wiped or replaced since: the manifest describes another
// store and must not be trusted (the plan then asks the listing about every file).
inline constexpr std::string_view kPrefixMarker = ".lq-synced";

// Whether the destination still holds the marker of `prefix` (NotFound -> false).
Result<bool> HasPrefixMarker(Destination* dest, const std::string& prefix);
// Writes the marker of `prefix`, by way of a scratch file at `scratch_path`.
Status PutPrefixMarker(Env* env, Destination* dest, const std::string& prefix, const std::string& scratch_path);

struct SyncOptions {
  bool force = false;         // copy everything again
  // Run files are written once under a unique name, so size and mtime identify their
  // content. Files rewritten in place (mutable collections) are compared by
  // LocalFile::content_hash against the manifest instead, and are never adopted from
  // the destination's listing by size.
  bool immutable = true;
  bool delete_extra = false;  // delete keys we synced before whose local file is gone
  // Concurrent puts when the destination allows them. Puts mostly wait (for fsync, for
  // the network), so more than the core count pays: 16 copies 256 MiB of 1 MiB run files
  // durably in 150-180 ms here, 4 in 185-190 ms, 2 in 240-300 ms.
  int parallelism = 16;
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

// Plans a sync of `local` into the keys under `prefix`. Immutable files: keys the
// manifest does not know are looked up in the destination's listing (once): an object
// of the same size is adopted, not copied again — that is how a sync killed after a
// write but before recording it converges without copying twice. (Run files are
// immutable and uniquely named, so an equal size means the same file.) Mutable files
// (options.immutable false): copied unless the manifest holds the same content hash.
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

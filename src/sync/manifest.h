// What one machine has synced to one destination prefix: key -> (size, mtime) of the
// local file when it was copied. The engine records an entry only after the
// destination confirmed the write, by appending one line to a journal, so a sync
// killed at any point loses at most the knowledge of writes in flight (which the next
// run recovers from the destination's listing instead of copying again).
//
// It also remembers settled folders: a local leaf folder whose files were all synced,
// with the folder's mtime and a hash of its file names then (see ListLocalTree).
//
// File: $LQ_HOME/sync/<id>.manifest, lines "size[:hash]\tmtime_ns\tkey" (key %-escaped for
// '%', tab, CR and LF), "-\t\tkey" for a forgotten key and "d<names hash>\tmtime_ns\t
// folder key/" for a settled folder; rewritten compactly by Compact(). Not thread-safe
// except Record/Forget/RecordFolder, which lock.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/env.h"

#include <memory>

namespace lq::sync {

class Manifest {
 public:
  struct Entry {
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    // FNV-1a 64 of the content when it was copied, for mutable collections (0: not
    // recorded). Written as "size:hash" in the size field, which older readers parse as
    // the size alone.
    uint64_t content_hash = 0;
  };

  // A missing file is an empty manifest. Torn or malformed lines are skipped.
  struct Folder {
    int64_t mtime_ns = 0;
    uint64_t names_hash = 0;  // FolderNamesHash of the file names it held
  };

  static Result<Manifest> Load(Env* env, std::string path);

  const Entry* Find(const std::string& key) const;
  const std::unordered_map<std::string, Entry>& entries() const { return entries_; }
  Status Record(const std::string& key, const Entry& entry);
  Status Forget(const std::string& key);

  // Settled folders, keyed by the folder's key prefix ("a/b/").
  const Folder* FindFolder(const std::string& key) const;
  Status RecordFolder(const std::string& key, const Folder& folder);
  // Forgets everything, in memory: the destination no longer holds what it records
  // (see kPrefixMarker). Compact() then writes the new state.
  void Clear();
  // Rewrites the file with the live entries only (atomically).
  Status Compact();

 private:
  Status Append(const std::string& line);
  Env* env_ = nullptr;
  std::unique_ptr<WritableFile> journal_;  // opened on first append
  std::string path_;
  std::unordered_map<std::string, Entry> entries_;
  std::unordered_map<std::string, Folder> folders_;
  std::unique_ptr<std::mutex> mu_ = std::make_unique<std::mutex>();
};

// Order-independent hash of a folder's file names (a sum of their FNV-1a hashes).
uint64_t FolderNamesHash(const std::vector<std::string_view>& names);

std::string EscapeManifestKey(std::string_view key);
std::string UnescapeManifestKey(std::string_view text);

}  // namespace lq::sync

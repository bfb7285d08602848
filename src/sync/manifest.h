// What one machine has synced to one destination prefix: key -> (size, mtime) of the
// local file when it was copied. The engine records an entry only after the
// destination confirmed the write, by appending one line to a journal, so a sync
// killed at any point loses at most the knowledge of writes in flight (which the next
// run recovers from the destination's listing instead of copying again).
//
// File: $LQ_HOME/sync/<id>.manifest, lines "size\tmtime_ns\tkey" (key %-escaped for
// '%', tab, CR and LF) and "-\t\tkey" for a forgotten key; rewritten compactly by
// Compact(). Not thread-safe except Record/Forget, which lock.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/env.h"

#include <memory>

namespace lq::sync {

class Manifest {
 public:
  struct Entry {
    uint64_t size = 0;
    int64_t mtime_ns = 0;
  };

  // A missing file is an empty manifest. Torn or malformed lines are skipped.
  static Result<Manifest> Load(Env* env, std::string path);

  const Entry* Find(const std::string& key) const;
  const std::unordered_map<std::string, Entry>& entries() const { return entries_; }
  Status Record(const std::string& key, const Entry& entry);
  Status Forget(const std::string& key);
  // Rewrites the file with the live entries only (atomically).
  Status Compact();

 private:
  Status Append(const std::string& line);
  Env* env_ = nullptr;
  std::unique_ptr<WritableFile> journal_;  // opened on first append
  std::string path_;
  std::unordered_map<std::string, Entry> entries_;
  std::unique_ptr<std::mutex> mu_ = std::make_unique<std::mutex>();
};

std::string EscapeManifestKey(std::string_view key);
std::string UnescapeManifestKey(std::string_view text);

}  // namespace lq::sync

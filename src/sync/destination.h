// Destination: where `lq sync` puts files (rclone's Fs, reduced to what lq needs).
// One implementation per folder under src/sync/ (local/, mem/, s3/, later azure/, ...),
// each registering itself in registry.h; the sync engine (sync_engine.h) and session
// (session.h) know only this interface, and every implementation passes the same
// conformance suite (conformance_suite.h).
//
// Keys are '/'-separated paths relative to the destination's root, as in object
// stores: no leading '/', no empty, "." or ".." component, no NUL. They may hold any
// other bytes (unicode, spaces, '=', very long components) — ValidateKey says which.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace lq::sync {

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  int64_t mtime_ns = 0;  // 0 when the destination does not know
};

struct Capabilities {
  bool symlinks = false;        // Link() works (local folders)
  bool parallel_puts = false;   // Put() may be called from several threads at once
  bool conditional_put = false; // PutOptions::only_if_absent is atomic
};

struct PutOptions {
  bool only_if_absent = false;  // AlreadyExists, and nothing written, if the key exists
};

class Destination {
 public:
  virtual ~Destination() = default;
  // For messages: "local:/home/me/.lq/projects", "s3://bucket/lq".
  virtual std::string Describe() const = 0;
  virtual Capabilities capabilities() const = 0;
  // The absolute folder objects are stored in, as files named by their keys, when the
  // destination is a local folder: --include-synced then reads it in place, and a sync
  // refuses a folder that overlaps its source. "" otherwise (read through a mirror).
  virtual std::string local_root() const { return ""; }
  // Checks the destination can be written (exists or can be created, is a folder, is
  // writable). Called before planning so a bad destination fails with one line and
  // nothing changed.
  virtual Status Check() = 0;
  // Every object whose key starts with `prefix` (a key prefix, not only a folder),
  // recursively, in no particular order. Temporary files of in-flight puts are not
  // listed. A missing prefix is an empty list, not an error.
  virtual Result<std::vector<ObjectInfo>> List(std::string_view prefix) = 0;
  // Stores the contents of local file `local_path` under `key`, atomically: a reader
  // sees the old object or the whole new one, never a part, even if lq dies mid-way.
  virtual Status Put(std::string_view key, const std::string& local_path, const PutOptions& options) = 0;
  virtual Result<std::string> Get(std::string_view key) = 0;
  // Deleting a missing key is OK.
  virtual Status Delete(std::string_view key) = 0;
  // Removes what interrupted puts under `prefix` left behind (temporary files, partial
  // uploads). Only called while no other sync writes under that prefix.
  virtual Status RemoveTemporaries(std::string_view prefix) {
    (void)prefix;
    return Status::OK();
  }
  // Makes `key` a symbolic link to the local directory `target` (symlink mode).
  virtual Status Link(std::string_view key, const std::string& target) {
    (void)key;
    (void)target;
    return Status::InvalidArgument(Describe() + " cannot hold symbolic links; use --mode copy");
  }
};

// OK when `key` is a valid key (see above); InvalidArgument naming the problem.
Status ValidateKey(std::string_view key);

}  // namespace lq::sync

// FaultInjectionEnv: wraps another Env to inject I/O errors and simulate power loss, so
// tests can check that lq's on-disk state survives ENOSPC, EIO and crashes at every
// step (leveldb's fault_injection_test habit).
//
// Everything is forwarded to the wrapped Env (an EnvWrapper), locks included. "Mutating operations" are OpenWritable,
// WritableFile::Append and ::Sync, CreateDir, RemoveFile, RemoveDir, Rename,
// RenameNoReplace, SyncDir and Symlink; reads (ReadFile, Stat, ListDir, ReadLink),
// WritableFile::Close and the process/clock methods are never failed.
//
// Crash model (what DropUnsyncedData restores), deliberately simple. It covers regular
// files written, renamed or removed through this Env since construction (or since the
// last DropUnsyncedData):
//   - A file's data is durable up to its last successful Sync(). Content a file had
//     before this Env first touched it counts as durable.
//   - Opening an existing file with kTruncate makes the truncation durable at once (the
//     classic zero-length-file-after-crash outcome) but not the data written after it.
//   - A newly created file survives iff it was synced (its directory entry is taken to be
//     durable with its data, as ext4 and xfs behave in practice); otherwise it vanishes.
//   - Rename and RenameNoReplace are durable only once SyncDir() is called on the target's
//     directory (for the new name) and the source's directory (for the old name). Until
//     then a crash rolls them back: the new name gets its previous durable state back
//     (old content, or absent) and the old name reappears with its synced content.
//   - RemoveFile is durable at once.
// Not modelled (left as they are on the wrapped Env): directories (CreateDir, RemoveDir,
// renaming a directory), symlinks and writes through them, writes at an offset other
// than the end (a kTruncate handle racing another writer), changes made behind this
// Env's back (other Envs, child processes), and partial writes by a failing wrapped Env.
// Paths name tracked files by their spelling with duplicate and trailing slashes
// collapsed: use one spelling per file (e.g. always absolute).
//
// Thread-safe: one mutex, held across each forwarded mutating call.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/env.h"

namespace lq {

class FaultInjectionEnv final : public EnvWrapper {
 public:
  // `base` is not owned and must outlive this Env and every file it opened.
  explicit FaultInjectionEnv(Env* base);
  ~FaultInjectionEnv() override;
  FaultInjectionEnv(const FaultInjectionEnv&) = delete;
  FaultInjectionEnv& operator=(const FaultInjectionEnv&) = delete;

  // --- fault controls ---
  // The next `n_ok` mutating operations go through (whatever the wrapped Env answers);
  // every one after that fails with `code` (not kOk) without reaching the wrapped Env,
  // until ClearFaults(). One exception keeps ENOSPC realistic: with kNoSpace, removals
  // (RemoveFile, RemoveDir) still succeed, since freeing space needs none; that is what
  // lets callers clean up their temp files on a full disk.
  void FailWritesAfter(int n_ok, Status::Code code);
  // After `n` more Append calls succeed the Env is crashed: every further mutating
  // operation fails with IOError("simulated crash: ..."). n <= 0 crashes it at once.
  void CrashAfterWrites(int n);
  bool crashed() const;
  // Cancels FailWritesAfter and CrashAfterWrites (a crashed Env works again).
  void ClearFaults();
  // Simulates power loss followed by a restart: rewrites the wrapped Env so that every
  // tracked file holds exactly its durable state per the model above, forgets all
  // tracking (what is on disk now is the durable baseline), invalidates every file
  // opened before (they fail with IOError) and calls ClearFaults(). Returns the first
  // error met while rewriting, after trying every file.
  Status DropUnsyncedData();

  // Calls made through this Env since construction, including the ones that failed.
  int append_count() const;
  int mutating_op_count() const;

  // --- Env: the mutating operations; everything else is EnvWrapper's forwarding ---
  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path,
                                                     OpenMode mode) override;
  // Env's own copy (read, then OpenWritable + Append), so faults and crashes apply to it.
  Result<uint64_t> CopyToNewFile(const std::string& from, const std::string& to, bool sync) override {
    return Env::CopyToNewFile(from, to, sync);
  }
  Status CreateDir(const std::string& dir) override;
  Status RemoveFile(const std::string& path) override;
  Status RemoveDir(const std::string& dir) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status RenameNoReplace(const std::string& from, const std::string& to) override;
  Status SyncDir(const std::string& dir) override;
  Status Symlink(const std::string& target, const std::string& link) override;

 private:
  struct Node;
  class FaultWritableFile;

  // Counts a mutating operation and returns the injected failure, if any. Requires mu_.
  Status BeforeMutation(const std::string& op, const std::string& what, bool is_removal);
  // Starts tracking the regular file or absent path `key`; false if it is something else
  // (a directory, a symlink) and so not modelled. Requires mu_.
  bool Track(const std::string& key);
  Status RenameImpl(const std::string& from, const std::string& to, bool no_replace);
  void ClearFaultsLocked();

  Env* const base_;
  mutable std::mutex mu_;
  int fail_budget_ = -1;  // -1: no FailWritesAfter in force
  Status::Code fail_code_ = Status::Code::kIOError;
  int crash_budget_ = -1;  // -1: no CrashAfterWrites in force
  bool crashed_ = false;
  int append_count_ = 0;
  int mutating_op_count_ = 0;
  uint64_t generation_ = 0;  // bumped by DropUnsyncedData to invalidate open files
  // Every tracked path is a key of both maps; nullptr means "no file there".
  std::map<std::string, std::shared_ptr<Node>> live_;     // what is there now
  std::map<std::string, std::shared_ptr<Node>> durable_;  // what a crash would leave
};

}  // namespace lq

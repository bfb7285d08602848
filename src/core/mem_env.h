// MemEnv: an Env whose files, clock, randomness, environment variables and child
// processes are all simulated in memory, for fast deterministic tests (leveldb's memenv
// habit).
//
// Contract: every Env method behaves like PosixEnv's on a local Linux filesystem, down to
// the Status codes (errors are built with Status::FromErrno and the errno Linux would
// report), so code tested against MemEnv behaves the same on disk. In particular:
//   - "/" exists initially; the current directory is "/" until SetCurrentDir().
//   - Paths are normalized: duplicate and trailing slashes collapse, "." and ".." are
//     resolved lexically (unlike the kernel, ".." after a symlink goes to the parent of
//     the link, not of its target), and relative paths are resolved against the current
//     directory.
//   - Files are inodes: an open WritableFile keeps writing to the same file after it is
//     renamed or removed, as with a POSIX file descriptor.
//   - Symlinks are entries holding their target text. Intermediate components are
//     followed (up to 40 hops), and so is the last one by ReadFile, OpenWritable (except
//     kCreateExclusive), ListDir and SyncDir; Stat, RemoveFile, Rename, RenameNoReplace,
//     Symlink, CreateDir and ReadLink act on the link itself.
//   - RenameNoReplace refuses directories with PermissionDenied, because PosixEnv
//     implements it with link(2), which does.
//   - Sync/SyncDir are no-ops: nothing here is lost in a "crash". Use FaultInjectionEnv
//     on top of a MemEnv for that.
//   - Modification times come from the fake clock (see SetNowMicros).
//
// Thread-safe: one mutex guards the whole state. WritableFiles it hands out must not
// outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <condition_variable>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"

namespace lq {

class MemEnv final : public Env {
 public:
  using ProcessHandler = std::function<Result<ProcessResult>(const std::vector<std::string>& argv)>;

  // Fixed start of the fake clock: 2024-01-01T00:00:00Z.
  static constexpr int64_t kDefaultNowMicros = 1704067200LL * 1000000;
  static constexpr int kProcessId = 4242;

  // `seed` drives RandomBytes: two MemEnvs built with the same seed produce the same
  // byte stream (given the same calls).
  explicit MemEnv(uint64_t seed = 0);
  ~MemEnv() override;
  MemEnv(const MemEnv&) = delete;
  MemEnv& operator=(const MemEnv&) = delete;

  // --- Env ---
  Result<std::string> ReadFile(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path,
                                                     OpenMode mode) override;
  Result<FileInfo> Stat(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& dir) override;
  Status CreateDir(const std::string& dir) override;
  Status RemoveFile(const std::string& path) override;
  Status RemoveDir(const std::string& dir) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status RenameNoReplace(const std::string& from, const std::string& to) override;
  Status SyncDir(const std::string& dir) override;
  Status Symlink(const std::string& target, const std::string& link) override;
  Result<std::string> ReadLink(const std::string& link) override;
  // Locks live in this MemEnv (keyed by the normalized path, symlinks not followed);
  // a bounded wait waits in real time, since only another thread can release a lock.
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path, int64_t wait_micros,
                                             bool create_if_missing) override;
  std::optional<std::string> GetEnvVar(const std::string& name) override;
  Result<std::string> CurrentDir() override;
  std::string HostName() override;
  int ProcessId() override;
  // Deterministic (splitmix64 from the seed), not cryptographic.
  Status RandomBytes(void* buf, size_t n) override;
  // Calls the handler set by SetProcessHandler (outside the lock, so it may use this
  // env). Without one, every command is "not found": exit code 127, like PosixEnv.
  Result<ProcessResult> RunProcess(const std::vector<std::string>& argv) override;
  int64_t NowMicros() override;
  // Advances the fake clock by `micros` at once; never blocks.
  void SleepForMicros(int64_t micros) override;

  // --- test controls ---
  // The process environment starts empty.
  void SetEnvVar(const std::string& name, std::string value);
  void UnsetEnvVar(const std::string& name);
  // Sets the directory relative paths resolve against. `dir` is normalized (relative to
  // the old current directory if relative) but need not exist, as after a removal.
  void SetCurrentDir(const std::string& dir);
  void SetHostName(std::string name);  // default "localhost"
  void SetNowMicros(int64_t micros);
  void AdvanceMicros(int64_t micros);
  void SetProcessHandler(ProcessHandler handler);

 private:
  struct Inode;
  class MemWritableFile;
  struct Lookup;
  class MemFileLock;

  // Resolves `path` to its parent directory and final entry. Requires mu_.
  Result<Lookup> Resolve(const std::string& path, bool follow_last);
  std::string AbsolutePath(std::string_view path) const;   // requires mu_
  int64_t NowNanos() const { return now_micros_ * 1000; }  // requires mu_

  std::mutex mu_;
  std::condition_variable lock_released_;
  std::set<std::string> locked_;  // paths held by a MemFileLock
  std::shared_ptr<Inode> root_;
  std::string cwd_ = "/";
  std::map<std::string, std::string> env_vars_;
  std::string host_name_ = "localhost";
  int64_t now_micros_ = kDefaultNowMicros;
  uint64_t rng_state_;
  ProcessHandler process_handler_;
};

}  // namespace lq

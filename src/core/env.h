// Env: the seam between lq's logic and the operating system (leveldb's habit).
//
// Everything that touches files, the clock, randomness, environment variables or child
// processes goes through an Env, so tests can swap in MemEnv (in memory) or
// FaultInjectionEnv (ENOSPC, EIO, crash-after-N-writes) and exercise failure paths
// deterministically. Env::Default() is the real POSIX one; it is thread-safe and never
// destroyed. Paths are plain strings; no method expands "~".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace lq {

struct FileInfo {
  enum class Type { kFile, kDirectory, kSymlink, kOther };
  Type type = Type::kFile;
  uint64_t size = 0;
  int64_t mtime_ns = 0;  // modification time, nanoseconds since the epoch
  bool is_dir() const { return type == Type::kDirectory; }
  bool is_file() const { return type == Type::kFile; }
};

// A file open for writing. Not thread-safe. Destroying an unclosed file closes it,
// dropping any error; call Close() to see it.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Makes everything appended so far durable (fsync).
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
};

// A file open for reads at any offset (pread(2)). Thread-safe: Read keeps no position.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to `n` bytes at `offset` into `scratch` and returns how many it read: fewer
  // than `n` only at the end of the file (0 at or past it).
  virtual Result<size_t> Read(uint64_t offset, size_t n, char* scratch) const = 0;
};

// A held advisory lock on a file (see Env::LockFile). Destroying it releases the lock.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

struct ProcessResult {
  int exit_code = 0;   // 128+N when killed by signal N, 127 when the program was not found
  std::string output;  // stdout and stderr, interleaved
};

class Env {
 public:
  enum class OpenMode {
    kTruncate,         // create or truncate
    kAppend,           // create or append
    kCreateExclusive,  // fail with AlreadyExists if the path exists (O_EXCL)
  };

  virtual ~Env() = default;
  // The process-wide POSIX Env. Never deleted.
  static Env* Default();

  // --- files ---
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Opens `path` for positioned reads (NotFound if absent). The POSIX Env reads with
  // pread(2) from one descriptor; the default reads the file again on each Read, which
  // is correct but slow: in-memory test Envs only.
  virtual Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path);
  virtual Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path,
                                                             OpenMode mode) = 0;
  // Like lstat(2): a symlink is reported as kSymlink, not followed. NotFound if absent.
  virtual Result<FileInfo> Stat(const std::string& path) = 0;
  // Names (not paths) of the entries of `dir`, sorted, without "." and "..".
  virtual Result<std::vector<std::string>> ListDir(const std::string& dir) = 0;
  // ListDir plus each entry's Stat (lstat semantics), sorted by name. Entries that
  // vanish meanwhile are left out. The POSIX Env does it with one directory fd and
  // fstatat, much cheaper than a path lookup per entry (tree walks of 10,000 files).
  struct DirEntry {
    std::string name;
    FileInfo info;
  };
  virtual Result<std::vector<DirEntry>> ListDirWithInfo(const std::string& dir);
  // Copies the file `from` into the new file `to` (AlreadyExists if it exists) and,
  // when `sync`, makes the copy durable. Returns the bytes copied; on failure `to` is
  // removed. The POSIX Env copies inside the kernel (copy_file_range(2)); the default
  // reads the file and appends it through OpenWritable, so fault injection applies.
  virtual Result<uint64_t> CopyToNewFile(const std::string& from, const std::string& to, bool sync);
  // Creates one directory; OK if it already exists as a directory.
  virtual Status CreateDir(const std::string& dir) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  // Removes an empty directory.
  virtual Status RemoveDir(const std::string& dir) = 0;
  // Atomically replaces `to` with `from` (rename(2)).
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // Atomically moves `from` to `to` unless `to` exists, in which case it returns
  // AlreadyExists and leaves both untouched. The basis of race-free "create once".
  virtual Status RenameNoReplace(const std::string& from, const std::string& to) = 0;
  // Makes the directory's entries (creations, renames) durable.
  virtual Status SyncDir(const std::string& dir) = 0;
  virtual Status Symlink(const std::string& target, const std::string& link) = 0;
  virtual Result<std::string> ReadLink(const std::string& link) = 0;
  // Makes a file (0600) or directory (0700) accessible to its owner only, for files
  // written by someone else on lq's behalf (DuckDB's Parquet and database files).
  // Everything lq creates through an Env is owner-only already: files 0600,
  // directories 0700 (less if the umask says so). Envs without permissions (MemEnv)
  // keep this default.
  virtual Status MakeOwnerOnly(const std::string& path) {
    (void)path;
    return Status::OK();
  }

  // Takes an exclusive advisory lock on `path` (its content left alone; when absent, the
  // file is created if `create_if_missing`, otherwise NotFound), waiting at most `wait_micros` for another holder to let go (0:
  // try once; < 0: as long as it takes). Unavailable when still held after the wait.
  // Locks are per call, not per process (flock(2) semantics): a second LockFile of a
  // path this process already holds waits like any other. Released when the returned
  // FileLock is destroyed or passed to UnlockFile, and by the kernel when the process
  // dies, so a crashed holder never leaves a stale lock.
  virtual Result<std::unique_ptr<FileLock>> LockFile(const std::string& path, int64_t wait_micros,
                                                     bool create_if_missing) = 0;
  // Releases `lock` (destroying it does the same, dropping any error).
  virtual Status UnlockFile(std::unique_ptr<FileLock> lock) {
    lock.reset();
    return Status::OK();
  }

  // --- process environment ---
  virtual std::optional<std::string> GetEnvVar(const std::string& name) = 0;
  virtual Result<std::string> CurrentDir() = 0;
  virtual std::string HostName() = 0;
  virtual int ProcessId() = 0;
  // Cryptographically random bytes (getrandom(2) on POSIX).
  virtual Status RandomBytes(void* buf, size_t n) = 0;
  // Runs argv[0] (searched in PATH) to completion and collects its output. For short
  // helper commands, not for build capture (which streams).
  virtual Result<ProcessResult> RunProcess(const std::vector<std::string>& argv) = 0;

  // --- clock ---
  // Wall-clock time, microseconds since the Unix epoch (UTC).
  virtual int64_t NowMicros() = 0;
  virtual void SleepForMicros(int64_t micros) = 0;
};

// An Env that forwards every call to another one (leveldb's EnvWrapper): derive from it
// and override only what differs (a fault, a variable, a counter). `target` is not owned
// and must outlive the wrapper.
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env* target) : target_(target) {}
  Env* target() const { return target_; }

  Result<std::string> ReadFile(const std::string& p) override { return target_->ReadFile(p); }
  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& p) override {
    return target_->NewRandomAccessFile(p);
  }
  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& p, OpenMode m) override {
    return target_->OpenWritable(p, m);
  }
  Result<FileInfo> Stat(const std::string& p) override { return target_->Stat(p); }
  Result<std::vector<std::string>> ListDir(const std::string& d) override { return target_->ListDir(d); }
  Result<std::vector<DirEntry>> ListDirWithInfo(const std::string& d) override {
    return target_->ListDirWithInfo(d);
  }
  Result<uint64_t> CopyToNewFile(const std::string& from, const std::string& to, bool sync) override {
    return target_->CopyToNewFile(from, to, sync);
  }
  Status CreateDir(const std::string& d) override { return target_->CreateDir(d); }
  Status RemoveFile(const std::string& p) override { return target_->RemoveFile(p); }
  Status RemoveDir(const std::string& d) override { return target_->RemoveDir(d); }
  Status Rename(const std::string& a, const std::string& b) override { return target_->Rename(a, b); }
  Status RenameNoReplace(const std::string& a, const std::string& b) override {
    return target_->RenameNoReplace(a, b);
  }
  Status SyncDir(const std::string& d) override { return target_->SyncDir(d); }
  Status Symlink(const std::string& t, const std::string& l) override { return target_->Symlink(t, l); }
  Result<std::string> ReadLink(const std::string& l) override { return target_->ReadLink(l); }
  Status MakeOwnerOnly(const std::string& p) override { return target_->MakeOwnerOnly(p); }
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& p, int64_t wait_micros, bool create) override {
    return target_->LockFile(p, wait_micros, create);
  }
  Status UnlockFile(std::unique_ptr<FileLock> lock) override { return target_->UnlockFile(std::move(lock)); }
  std::optional<std::string> GetEnvVar(const std::string& n) override { return target_->GetEnvVar(n); }
  Result<std::string> CurrentDir() override { return target_->CurrentDir(); }
  std::string HostName() override { return target_->HostName(); }
  int ProcessId() override { return target_->ProcessId(); }
  Status RandomBytes(void* buf, size_t n) override { return target_->RandomBytes(buf, n); }
  Result<ProcessResult> RunProcess(const std::vector<std::string>& argv) override {
    return target_->RunProcess(argv);
  }
  int64_t NowMicros() override { return target_->NowMicros(); }
  void SleepForMicros(int64_t micros) override { target_->SleepForMicros(micros); }

 private:
  Env* const target_;
};

// Helpers built only on the Env interface, so every Env gets them for free.
// The variable's value, or "" when it is unset.
std::string EnvVarOrEmpty(Env* env, const std::string& name);
bool FileExists(Env* env, const std::string& path);
bool IsDirectory(Env* env, const std::string& path);
// mkdir -p. OK when the directory already exists; fails if a component is a file.
Status CreateDirs(Env* env, const std::string& dir);
// Removes a file or a whole tree (never follows symlinks). OK if absent.
Status RemoveAll(Env* env, const std::string& path);
// Writes `data` so that readers see either the old file or the whole new one, never a
// mix, even across a crash: temp file in the same directory + fsync + rename + dir fsync.
Status WriteFileAtomically(Env* env, const std::string& path, std::string_view data);
// Creates `path` with `data` only if it does not exist yet, atomically and race-free
// across processes (temp + fsync + RenameNoReplace). Returns AlreadyExists otherwise;
// a reader never sees a partial file.
Status CreateFileOnce(Env* env, const std::string& path, std::string_view data);
// Appends `data` as one write followed by fsync (for append-only journals).
Status AppendToFile(Env* env, const std::string& path, std::string_view data);
// A new random hex string of 2*n_bytes characters.
Result<std::string> RandomHex(Env* env, size_t n_bytes);

// Path helpers (pure string functions).
std::string JoinPath(std::string_view a, std::string_view b);
std::string_view DirName(std::string_view path);   // "a/b/c" -> "a/b", "c" -> "."
std::string_view BaseName(std::string_view path);  // "a/b/c" -> "c"

}  // namespace lq

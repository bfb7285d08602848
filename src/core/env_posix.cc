// The real Env: POSIX system calls, nothing cached.
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "core/env.h"

extern char** environ;

namespace lq {
namespace {

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Append(std::string_view data) override {
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::FromErrno(errno, path_);
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::OK();
  }

  Status Sync() override {
    if (::fdatasync(fd_) != 0) return Status::FromErrno(errno, path_);
    return Status::OK();
  }

  Status Close() override {
    if (fd_ < 0) return Status::OK();
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return Status::FromErrno(errno, path_);
    return Status::OK();
  }

 private:
  std::string path_;
  int fd_;
};

// Copies `in` to `out` from their current offsets to EOF: in the kernel with
// copy_file_range(2), or with read/write where the kernel or file system cannot.
Result<uint64_t> CopyFd(int in, int out, const std::string& from, const std::string& to) {
  uint64_t total = 0;
  bool in_kernel = true;
  std::string buf;
  for (;;) {
    if (in_kernel) {
      ssize_t n = ::copy_file_range(in, nullptr, out, nullptr, size_t{1} << 30, 0);
      if (n > 0) {
        total += static_cast<uint64_t>(n);
        continue;
      }
      if (n == 0) return total;
      if (errno == EINTR) continue;
      if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
        return Status::FromErrno(errno, from + " -> " + to);
      }
      in_kernel = false;  // both offsets moved with what was copied so far
      buf.resize(1 << 16);
    }
    ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno(errno, from);
    if (n == 0) return total;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(out, buf.data() + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return Status::FromErrno(errno, to);
      done += w;
    }
    total += static_cast<uint64_t>(n);
  }
}

// lq's files hold build output, command lines and usage figures: owner-only. The
// umask still applies, so a stricter one (077 is already this) is respected.
constexpr mode_t kOwnerOnlyFile = 0600;
constexpr mode_t kOwnerOnlyDir = 0700;

class PosixRandomAccessFile final : public RandomAccessFile {
 public:
  PosixRandomAccessFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixRandomAccessFile() override { ::close(fd_); }
  Result<size_t> Read(uint64_t offset, size_t n, char* scratch) const override {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(fd_, scratch + got, n - got, static_cast<off_t>(offset + got));
      if (r < 0) {
        if (errno == EINTR) continue;
        return Status::FromErrno(errno, path_);
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    return got;
  }

 private:
  std::string path_;
  int fd_;
};

class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  ~PosixFileLock() override { ::close(fd_); }  // closing the descriptor drops the flock

 private:
  int fd_;
};

class PosixEnv final : public Env {
 public:
  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::FromErrno(errno, path);
    return std::unique_ptr<RandomAccessFile>(new PosixRandomAccessFile(path, fd));
  }

  // flock(2), not fcntl(2) locks: those are per process, so a second lock of the same
  // file from this process would succeed, and closing any descriptor of it drops them.
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path, int64_t wait_micros,
                                             bool create_if_missing) override {
    int fd = create_if_missing ? ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kOwnerOnlyFile)
                               : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::FromErrno(errno, path);
    auto lock = std::make_unique<PosixFileLock>(fd);
    const int64_t deadline = wait_micros > 0 ? NowMicros() + wait_micros : 0;
    for (;;) {
      if (::flock(fd, wait_micros < 0 ? LOCK_EX : LOCK_EX | LOCK_NB) == 0) {
        return std::unique_ptr<FileLock>(std::move(lock));
      }
      if (errno == EINTR) continue;
      if (errno != EWOULDBLOCK) return Status::FromErrno(errno, path);
      if (wait_micros == 0 || NowMicros() >= deadline) {
        return Status::Unavailable(path + " is locked by another process");
      }
      SleepForMicros(std::min<int64_t>(20'000, deadline - NowMicros() + 1));
    }
  }

  Result<std::string> ReadFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::FromErrno(errno, path);
    std::string out;
    struct stat st;
    if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
    char buf[1 << 16];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        ::close(fd);
        return Status::FromErrno(err, path);
      }
      if (n == 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return out;
  }

  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path,
                                                     OpenMode mode) override {
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC;
    switch (mode) {
      case OpenMode::kTruncate: flags |= O_TRUNC; break;
      case OpenMode::kAppend: flags |= O_APPEND; break;
      case OpenMode::kCreateExclusive: flags |= O_EXCL; break;
    }
    int fd = ::open(path.c_str(), flags, kOwnerOnlyFile);
    if (fd < 0) return Status::FromErrno(errno, path);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
  }

  Result<uint64_t> CopyToNewFile(const std::string& from, const std::string& to, bool sync) override {
    int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) return Status::FromErrno(errno, from);
    int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kOwnerOnlyFile);
    if (out < 0) {
      int err = errno;
      ::close(in);
      return Status::FromErrno(err, to);
    }
    Result<uint64_t> copied = CopyFd(in, out, from, to);
    Status s = copied.status();
    if (s.ok() && sync && ::fdatasync(out) != 0) s = Status::FromErrno(errno, to);
    if (::close(out) != 0 && s.ok()) s = Status::FromErrno(errno, to);
    ::close(in);
    if (!s.ok()) {
      ::unlink(to.c_str());
      return s;
    }
    return copied;
  }

  static FileInfo InfoFromStat(const struct stat& st) {
    FileInfo info;
    if (S_ISREG(st.st_mode)) info.type = FileInfo::Type::kFile;
    else if (S_ISDIR(st.st_mode)) info.type = FileInfo::Type::kDirectory;
    else if (S_ISLNK(st.st_mode)) info.type = FileInfo::Type::kSymlink;
    else info.type = FileInfo::Type::kOther;
    info.size = static_cast<uint64_t>(st.st_size);
    info.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return info;
  }

  Result<FileInfo> Stat(const std::string& path) override {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) return Status::FromErrno(errno, path);
    return InfoFromStat(st);
  }

  Result<std::vector<std::string>> ListDir(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return Status::FromErrno(errno, dir);
    std::vector<std::string> names;
    while (struct dirent* e = ::readdir(d)) {
      std::string_view name = e->d_name;
      if (name == "." || name == "..") continue;
      names.emplace_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
  }

  Result<std::vector<DirEntry>> ListDirWithInfo(const std::string& dir) override {
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return Status::FromErrno(errno, dir);
    DIR* d = ::fdopendir(dfd);
    if (d == nullptr) {
      int err = errno;
      ::close(dfd);
      return Status::FromErrno(err, dir);
    }
    std::vector<DirEntry> out;
    while (struct dirent* e = ::readdir(d)) {
      std::string_view name = e->d_name;
      if (name == "." || name == "..") continue;
      struct stat st;
      if (::fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      out.push_back({std::string(name), InfoFromStat(st)});
    }
    ::closedir(d);  // closes dfd
    std::sort(out.begin(), out.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    return out;
  }

  Status CreateDir(const std::string& dir) override {
    if (::mkdir(dir.c_str(), kOwnerOnlyDir) == 0) return Status::OK();
    int err = errno;
    if (err == EEXIST && IsDirectory(this, dir)) return Status::OK();
    return Status::FromErrno(err, dir);
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return Status::FromErrno(errno, path);
    return Status::OK();
  }

  Status RemoveDir(const std::string& dir) override {
    if (::rmdir(dir.c_str()) != 0) return Status::FromErrno(errno, dir);
    return Status::OK();
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return Status::FromErrno(errno, from + " -> " + to);
    return Status::OK();
  }

  Status RenameNoReplace(const std::string& from, const std::string& to) override {
    // link(2) fails with EEXIST atomically and works on every local filesystem we
    // target (renameat2(RENAME_NOREPLACE) does not on some, e.g. older overlayfs).
    if (::link(from.c_str(), to.c_str()) != 0) return Status::FromErrno(errno, to);
    ::unlink(from.c_str());
    return Status::OK();
  }

  Status SyncDir(const std::string& dir) override {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Status::FromErrno(errno, dir);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    // Some filesystems (e.g. certain FUSE mounts) refuse fsync on directories.
    if (rc != 0 && err != EINVAL && err != EBADF) return Status::FromErrno(err, dir);
    return Status::OK();
  }

  Status Symlink(const std::string& target, const std::string& link) override {
    if (::symlink(target.c_str(), link.c_str()) != 0) return Status::FromErrno(errno, link);
    return Status::OK();
  }

  Status MakeOwnerOnly(const std::string& path) override {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) return Status::FromErrno(errno, path);
    if (S_ISLNK(st.st_mode)) return Status::OK();  // never follow: the target is not ours
    mode_t want = S_ISDIR(st.st_mode) ? kOwnerOnlyDir : kOwnerOnlyFile;
    if ((st.st_mode & 07777) == (want & st.st_mode & 07777)) return Status::OK();  // as strict already
    if (::chmod(path.c_str(), st.st_mode & want & 07777) != 0) return Status::FromErrno(errno, path);
    return Status::OK();
  }

  Result<std::string> ReadLink(const std::string& link) override {
    char buf[PATH_MAX];
    ssize_t n = ::readlink(link.c_str(), buf, sizeof buf);
    if (n < 0) return Status::FromErrno(errno, link);
    return std::string(buf, static_cast<size_t>(n));
  }

  std::optional<std::string> GetEnvVar(const std::string& name) override {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  }

  Result<std::string> CurrentDir() override {
    char buf[PATH_MAX];
    if (::getcwd(buf, sizeof buf) == nullptr) return Status::FromErrno(errno, "getcwd");
    return std::string(buf);
  }

  std::string HostName() override {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
    return buf;
  }

  int ProcessId() override { return static_cast<int>(::getpid()); }

  Status RandomBytes(void* buf, size_t n) override {
    auto* p = static_cast<unsigned char*>(buf);
    while (n > 0) {
      ssize_t got = ::getrandom(p, n, 0);
      if (got < 0) {
        if (errno == EINTR) continue;
        return Status::FromErrno(errno, "getrandom");
      }
      p += got;
      n -= static_cast<size_t>(got);
    }
    return Status::OK();
  }

  Result<ProcessResult> RunProcess(const std::vector<std::string>& argv) override {
    if (argv.empty()) return Status::InvalidArgument("RunProcess: empty command");
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Status::FromErrno(errno, "pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid;
    int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
      ::close(fds[0]);
      if (rc == ENOENT) return ProcessResult{127, argv[0] + ": command not found"};
      return Status::FromErrno(rc, argv[0]);
    }
    ProcessResult result;
    char buf[1 << 14];
    for (;;) {
      ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      result.output.append(buf, static_cast<size_t>(n));
    }
    ::close(fds[0]);
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0) {
      if (errno != EINTR) return Status::FromErrno(errno, "waitpid");
    }
    if (WIFEXITED(wstatus)) result.exit_code = WEXITSTATUS(wstatus);
    else if (WIFSIGNALED(wstatus)) result.exit_code = 128 + WTERMSIG(wstatus);
    return result;
  }

  int64_t NowMicros() override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  void SleepForMicros(int64_t micros) override {
    std::this_thread::sleep_for(std::chrono::microseconds(micros));
  }
};

}  // namespace

Env* Env::Default() {
  static PosixEnv* env = new PosixEnv;  // never destroyed: usable from static destructors
  return env;
}

}  // namespace lq

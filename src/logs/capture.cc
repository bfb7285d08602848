#include "logs/capture.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lq::logs {
namespace {

// Signals lq forwards to the child. The handler only writes to a self-pipe.
constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
int g_signal_pipe[2] = {-1, -1};

void OnSignal(int sig, siginfo_t* info, void*) {
  // Signals a terminal generates (Ctrl-C) already reach the child when it shares our
  // process group; one sent to lq alone (kill PID) must be passed on. Encode which.
  unsigned char msg[2] = {static_cast<unsigned char>(sig),
                          static_cast<unsigned char>(info != nullptr && info->si_code <= 0)};
  int saved = errno;
  (void)!::write(g_signal_pipe[1], msg, sizeof msg);
  errno = saved;
}

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // our own stdout is gone (closed pipe): keep capturing regardless
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

struct Fds {
  int out = -1, err = -1;  // parent's read ends (err = -1 in pty mode)
};

}  // namespace

Result<CaptureResult> RunAndCapture(const CaptureOptions& options, OutputSink& sink) {
  if (options.argv.empty()) return Status::InvalidArgument("no command given");
  bool use_pty = options.mode == CaptureOptions::Mode::kPty ||
                 (options.mode == CaptureOptions::Mode::kAuto && ::isatty(STDOUT_FILENO));

  if (::pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return Status::FromErrno(errno, "pipe");

  // The child is started with posix_spawnp (vfork-like: no copy of lq's page tables,
  // which costs more than the whole command for `true`), so its set-up is expressed as
  // spawn attributes and file actions instead of code run between fork and exec.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  short flags = POSIX_SPAWN_SETSIGMASK;

  Fds parent;
  int child_out = -1, child_err = -1;  // our copies of the child's ends, closed after the spawn
  if (use_pty) {
    struct winsize ws {};
    bool have_ws = ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0;
    int master, slave;
    char slave_path[128];
    if (::openpty(&master, &slave, nullptr, nullptr, have_ws ? &ws : nullptr) != 0) {
      use_pty = false;  // no ptys available (containers): fall back to pipes
    } else if (::ptsname_r(master, slave_path, sizeof slave_path) != 0) {
      ::close(master);
      ::close(slave);
      use_pty = false;
    } else {
      ::fcntl(master, F_SETFD, FD_CLOEXEC);
      ::fcntl(slave, F_SETFD, FD_CLOEXEC);
      parent.out = master;
      child_out = child_err = slave;  // held open until the child has its own
      // A new session whose leader opens the slave without O_NOCTTY: on Linux the pty
      // becomes its controlling terminal (what setsid + TIOCSCTTY did), so the child's
      // job control and isatty() behave as in a terminal, and only lq's forwarding
      // delivers signals to it.
      flags |= POSIX_SPAWN_SETSID;
      posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, slave_path, O_RDWR, 0);
      posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    }
  }
  if (!use_pty) {
    int o[2], e[2];
    if (::pipe2(o, O_CLOEXEC) != 0 || ::pipe2(e, O_CLOEXEC) != 0) {
      int err = errno;
      posix_spawn_file_actions_destroy(&actions);
      posix_spawnattr_destroy(&attr);
      return Status::FromErrno(err, "pipe");
    }
    parent.out = o[0];
    parent.err = e[0];
    child_out = o[1];
    child_err = e[1];
    posix_spawn_file_actions_adddup2(&actions, child_out, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, child_err, STDERR_FILENO);
  }
  if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());

  // Block forwarded signals across the spawn so none is lost between the spawn and
  // handler setup; the child starts with the mask lq had before.
  sigset_t block, old_mask;
  sigemptyset(&block);
  for (int s : kForwarded) sigaddset(&block, s);
  ::sigprocmask(SIG_BLOCK, &block, &old_mask);
  posix_spawnattr_setsigmask(&attr, &old_mask);
  posix_spawnattr_setflags(&attr, flags);

  std::vector<char*> argv;
  for (const auto& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  // posix_spawnp reports a failed exec (or chdir) as its result; no child is left.
  int spawn_err = ::posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), environ);
  if (spawn_err == ENOEXEC) {
    // A script without #! line: execvp (and a shell) would run it with /bin/sh; the
    // shell does that when asked to exec it.
    std::vector<char*> sh_argv = {const_cast<char*>("sh"), const_cast<char*>("-c"),
                                  const_cast<char*>("exec \"$0\" \"$@\"")};
    sh_argv.insert(sh_argv.end(), argv.begin(), argv.end());
    spawn_err = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, sh_argv.data(), environ);
  }
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);

  ::close(child_out);
  if (child_err != child_out) ::close(child_err);

  CaptureResult result;
  if (spawn_err != 0) {
    ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
    ::close(parent.out);
    if (parent.err >= 0) ::close(parent.err);
    ::close(g_signal_pipe[0]);
    ::close(g_signal_pipe[1]);
    result.not_found = true;
    result.exit_code = spawn_err == ENOENT ? 127 : 126;
    // The spawn reports a chdir failure the same way: name the directory when it is that.
    bool bad_cwd = !options.cwd.empty() && ::access(options.cwd.c_str(), X_OK) != 0;
    if (bad_cwd) result.exit_code = 126;
    result.exec_error = bad_cwd ? options.cwd + ": " + std::strerror(errno)
                        : options.argv[0] + ": " +
                              (spawn_err == ENOENT ? std::string("command not found") : std::strerror(spawn_err));
    return result;
  }

  struct sigaction sa {}, old_actions[4];
  sa.sa_sigaction = OnSignal;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < 4; ++i) ::sigaction(kForwarded[i], &sa, &old_actions[i]);
  ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);

  char buf[1 << 16];
  bool out_open = true, err_open = parent.err >= 0;
  bool child_done = false;
  int wstatus = 0;
  while (out_open || err_open) {
    struct pollfd fds[3];
    nfds_t n = 0;
    fds[n++] = {g_signal_pipe[0], POLLIN, 0};
    int out_idx = -1, err_idx = -1;
    if (out_open) { out_idx = static_cast<int>(n); fds[n++] = {parent.out, POLLIN, 0}; }
    if (err_open) { err_idx = static_cast<int>(n); fds[n++] = {parent.err, POLLIN, 0}; }
    // Once the child has exited, output still in flight is drained; a grandchild that
    // keeps the pipe open (a daemon) must not keep lq waiting.
    int rc = ::poll(fds, n, child_done ? 100 : 200);
    if (rc < 0 && errno != EINTR) break;
    if (rc == 0) {
      sink.OnIdle();
      if (child_done) break;
      if (::waitpid(pid, &wstatus, WNOHANG) == pid) child_done = true;
      continue;
    }
    if (fds[0].revents & POLLIN) {
      unsigned char msg[2];
      while (::read(g_signal_pipe[0], msg, sizeof msg) == 2) {
        if (use_pty || msg[1]) ::kill(pid, msg[0]);
      }
    }
    auto pump = [&](int idx, int fd, bool from_stderr, bool& open) {
      if (idx < 0 || !(fds[idx].revents & (POLLIN | POLLHUP | POLLERR))) return;
      ssize_t got = ::read(fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) return;
      if (got <= 0) {  // EOF, or EIO from a pty whose slave side closed
        open = false;
        return;
      }
      std::string_view chunk(buf, static_cast<size_t>(got));
      result.output_bytes += got;
      if (options.echo) WriteAll(from_stderr ? STDERR_FILENO : STDOUT_FILENO, chunk);
      sink.OnOutput(chunk, from_stderr);
    };
    pump(out_idx, parent.out, false, out_open);
    pump(err_idx, parent.err, true, err_open);
  }
  ::close(parent.out);
  if (parent.err >= 0) ::close(parent.err);

  if (!child_done) {
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
      unsigned char msg[2];
      while (::read(g_signal_pipe[0], msg, sizeof msg) == 2) {
        if (use_pty || msg[1]) ::kill(pid, msg[0]);
      }
    }
  }
  for (size_t i = 0; i < 4; ++i) ::sigaction(kForwarded[i], &old_actions[i], nullptr);
  ::close(g_signal_pipe[0]);
  ::close(g_signal_pipe[1]);

  if (WIFEXITED(wstatus)) {
    result.exit_code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    result.term_signal = WTERMSIG(wstatus);
    result.exit_code = 128 + result.term_signal;
  }
  return result;
}

}  // namespace lq::logs

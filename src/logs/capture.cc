#include "logs/capture.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
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

  int exec_pipe[2];  // reports exec failure (errno) from the child; CLOEXEC closes it on success
  if (::pipe2(exec_pipe, O_CLOEXEC) != 0) return Status::FromErrno(errno, "pipe");
  if (::pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return Status::FromErrno(errno, "pipe");

  Fds parent;
  int child_out = -1, child_err = -1;
  if (use_pty) {
    struct winsize ws {};
    bool have_ws = ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0;
    int master, slave;
    if (::openpty(&master, &slave, nullptr, nullptr, have_ws ? &ws : nullptr) != 0) {
      use_pty = false;  // no ptys available (containers): fall back to pipes
    } else {
      ::fcntl(master, F_SETFD, FD_CLOEXEC);
      parent.out = master;
      child_out = child_err = slave;
    }
  }
  if (!use_pty) {
    int o[2], e[2];
    if (::pipe2(o, O_CLOEXEC) != 0 || ::pipe2(e, O_CLOEXEC) != 0) return Status::FromErrno(errno, "pipe");
    parent.out = o[0];
    parent.err = e[0];
    child_out = o[1];
    child_err = e[1];
  }

  // Block forwarded signals across fork so none is lost between fork and handler setup.
  sigset_t block, old_mask;
  sigemptyset(&block);
  for (int s : kForwarded) sigaddset(&block, s);
  ::sigprocmask(SIG_BLOCK, &block, &old_mask);

  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
    return Status::FromErrno(err, "fork");
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
    if (use_pty) {
      ::setsid();
      ::ioctl(child_out, TIOCSCTTY, 0);
    }
    ::dup2(child_out, STDOUT_FILENO);
    ::dup2(child_err, STDERR_FILENO);
    if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) {
      int err = errno;
      (void)!::write(exec_pipe[1], &err, sizeof err);
      ::_exit(126);
    }
    std::vector<char*> argv;
    for (const auto& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    int err = errno;
    (void)!::write(exec_pipe[1], &err, sizeof err);
    ::_exit(err == ENOENT ? 127 : 126);
  }

  // Parent.
  ::close(exec_pipe[1]);
  ::close(child_out);
  if (child_err != child_out) ::close(child_err);

  struct sigaction sa {}, old_actions[4];
  sa.sa_sigaction = OnSignal;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < 4; ++i) ::sigaction(kForwarded[i], &sa, &old_actions[i]);
  ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);

  CaptureResult result;
  int exec_errno = 0;
  if (::read(exec_pipe[0], &exec_errno, sizeof exec_errno) == static_cast<ssize_t>(sizeof exec_errno)) {
    result.not_found = true;
    result.exec_error = options.argv[0] + ": " +
                        (exec_errno == ENOENT ? std::string("command not found") : std::strerror(exec_errno));
  }
  ::close(exec_pipe[0]);

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

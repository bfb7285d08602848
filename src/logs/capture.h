// Runs a command the way a shell would, while copying its output to a sink: output
// streams live, stdin passes through, Ctrl-C/SIGTERM reach the child, and the result is
// the child's exit status. POSIX only; tested with real processes.
//
// Output goes through a pseudo-terminal when lq's own stdout is a terminal, so the
// child still sees a TTY and keeps its colours; otherwise through pipes (stdout and
// stderr kept apart and forwarded to lq's stdout and stderr).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace lq::logs {

class OutputSink {
 public:
  virtual ~OutputSink() = default;
  // A chunk of output in arrival order (`from_stderr` is always false in pty mode).
  virtual void OnOutput(std::string_view chunk, bool from_stderr) = 0;
  // No output for a while (at most every 200 ms while the command is quiet): a chance
  // to write out what is buffered, so it survives lq being killed.
  virtual void OnIdle() {}
};

struct CaptureOptions {
  std::vector<std::string> argv;  // argv[0] is searched in PATH
  std::string cwd;                // "" = lq's current directory
  enum class Mode { kAuto, kPipes, kPty } mode = Mode::kAuto;  // kAuto: pty iff stdout is a TTY
  bool echo = true;               // copy output to lq's stdout/stderr as it arrives
};

struct CaptureResult {
  int exit_code = 0;        // the child's code; 128+N if killed by signal N; 127 not found
  int term_signal = 0;      // N when the child was killed by a signal
  bool not_found = false;   // the program could not be executed (exit_code 127 or 126)
  std::string exec_error;   // why, when not_found
  int64_t output_bytes = 0;
};

// Runs argv to completion. Fails only when lq itself cannot run it (no pipes, spawn
// failed); a command that cannot be executed is a normal result with exit code 127
// (not found) or 126 (not executable), like a shell.
Result<CaptureResult> RunAndCapture(const CaptureOptions& options, OutputSink& sink);

}  // namespace lq::logs

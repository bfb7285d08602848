// A local test service (an echo server, s3rver, azurite): started by the test on
// 127.0.0.1, stopped by PID when the object goes away — never left running.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace lq::testing {

class Service {
 public:
  // Runs argv (argv[0] searched in PATH) in its own process group, with stdout on a pipe
  // and stderr in `log_path` (or /dev/null). Start() returns false if it could not run.
  Service(std::vector<std::string> argv, std::string log_path = "");
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  bool Start();
  // The next line the service printed on stdout (without '\n'), waiting at most
  // `timeout_ms`; "" on timeout or exit.
  std::string ReadLine(int timeout_ms = 10'000);
  // Waits until something accepts TCP connections on 127.0.0.1:port.
  static bool WaitForPort(int port, int timeout_ms = 10'000);
  // A port nothing listens on right now (bound and released).
  static int FreePort();
  void Stop();
  pid_t pid() const { return pid_; }

 private:
  std::vector<std::string> argv_;
  std::string log_path_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffered_;
};

}  // namespace lq::testing

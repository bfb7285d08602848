// A local test service (an echo server, s3rver, azurite): started by the test on
// 127.0.0.1, stopped by PID when the object goes away — never left running.
#pragma once

#include <sys/types.h>

#include <memory>
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

// s3rver (npm, installed in tools/ by scripts/install-deps.sh) on 127.0.0.1 on a free port,
// data and log (s3rver.log) under `dir`, with `bucket` created; credentials S3RVER/S3RVER.
// Sets *endpoint to "http://127.0.0.1:PORT"; nullptr if it did not come up. Node runs it
// with --openssl-legacy-provider: s3rver's list continuation tokens use DES.
std::unique_ptr<Service> StartS3rver(const std::string& dir, const std::string& bucket, std::string* endpoint);

}  // namespace lq::testing

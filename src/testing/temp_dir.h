// Test helpers shared by every component's tests: a self-removing temp directory and a
// way to run the built `lq` binary (path from $LQ_BINARY, set by CMake) as a user would.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace lq::testing {

// mkdtemp under $TMPDIR (or /tmp); removed recursively on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `lq args...` in `cwd` with the current environment plus `env` overrides (a value
// of "\x01unset" removes the variable). stdin is /dev/null.
CommandResult RunLq(const std::vector<std::string>& args, const std::string& cwd,
                    const std::map<std::string, std::string>& env = {});

std::string ReadFileOrDie(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& data);

}  // namespace lq::testing

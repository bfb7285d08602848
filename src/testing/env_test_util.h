// Helpers shared by the Env test files: the Env a parameterized test runs on (PosixEnv on
// a temp dir, or MemEnv) and small read/write shorthands.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/env.h"
#include "core/mem_env.h"
#include "testing/temp_dir.h"

namespace lq::env_testing {

inline Status WriteWith(Env* env, const std::string& path, std::string_view data,
                 Env::OpenMode mode = Env::OpenMode::kTruncate) {
  LQ_ASSIGN_OR_RETURN(auto file, env->OpenWritable(path, mode));
  LQ_RETURN_IF_ERROR(file->Append(data));
  return file->Close();
}

// The content, or "<status message>" so a failed read shows up in the expectation.
inline std::string ReadOr(Env* env, const std::string& path) {
  auto r = env->ReadFile(path);
  return r.ok() ? *r : "<" + r.status().ToString() + ">";
}

inline std::vector<std::string> Names(Env* env, const std::string& dir) {
  auto r = env->ListDir(dir);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<std::string>{};
}

using Strings = std::vector<std::string>;

// Owns the Env a test runs on: the real one on a fresh temp dir, or a fresh MemEnv with a
// scratch directory that is not "/" (so path handling is exercised like on disk).
struct EnvUnderTest {
  explicit EnvUnderTest(const std::string& kind) {
    if (kind == "Posix") {
      env = Env::Default();
      root = tmp.path();
    } else {
      mem = std::make_unique<MemEnv>(/*seed=*/42);
      env = mem.get();
      root = "/tmp/lq-test";
      Status s = CreateDirs(env, root);
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
  }
  lq::testing::TempDir tmp;
  std::unique_ptr<MemEnv> mem;
  Env* env = nullptr;
  std::string root;
};

inline std::string ParamName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace lq::env_testing

// The fixture most CLI tests share: a scratch LQ_HOME and a project folder where
// `lq init --namespace acme --project NAME` has run, and lq run as a user would run it
// (the built binary, in that folder, with only the environment given here).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "testing/temp_dir.h"

namespace lq::testing {

class LqProjectTest : public ::testing::Test {
 protected:
  // `folder`: the project's folder below the scratch dir ("" = the scratch dir itself).
  explicit LqProjectTest(std::string name = "app", std::string folder = "proj",
                         std::map<std::string, std::string> extra_env = {})
      : name_(std::move(name)), folder_(std::move(folder)), extra_env_(std::move(extra_env)) {}

  void SetUp() override {
    env_ = {{"LQ_HOME", home_.path()}, {"NO_COLOR", "1"}};
    env_.insert(extra_env_.begin(), extra_env_.end());
    std::filesystem::create_directories(project());
    ASSERT_EQ(Lq({"init", "--namespace", "acme", "--project", name_}).exit_code, 0);
  }
  std::string project() const { return folder_.empty() ? dir_.path() : dir_ / folder_; }
  CommandResult Lq(const std::vector<std::string>& args) { return RunLq(args, project(), env_); }
  // Runs lq, expects exit 0, and parses its stdout (a discarded value when it is not JSON).
  nlohmann::json Json(const std::vector<std::string>& args) {
    auto r = Lq(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  TempDir dir_, home_;
  std::map<std::string, std::string> env_;

 private:
  std::string name_, folder_;
  std::map<std::string, std::string> extra_env_;
};

}  // namespace lq::testing

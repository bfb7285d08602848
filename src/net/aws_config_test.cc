#include "net/aws_config.h"

#include <gtest/gtest.h>

#include "core/mem_env.h"

namespace lq::net {
namespace {

class AwsConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.SetEnvVar("HOME", "/home/dev");
    ASSERT_TRUE(CreateDirs(&env_, "/home/dev/.aws").ok());
  }
  void Write(const std::string& path, const std::string& text) {
    ASSERT_TRUE(CreateDirs(&env_, std::string(DirName(path))).ok());
    ASSERT_TRUE(WriteFileAtomically(&env_, path, text).ok());
  }
  MemEnv env_;
};

TEST_F(AwsConfigTest, NothingConfiguredSaysWhatToDo) {
  auto c = LoadAwsCredentials(&env_);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_NE(c.status().message().find("/home/dev/.aws/credentials"), std::string::npos) << c.status().message();
  EXPECT_EQ(LoadAwsRegion(&env_), "us-east-1");
}

TEST_F(AwsConfigTest, SharedFilesAndProfiles) {
  Write("/home/dev/.aws/credentials",
        "# aws configure wrote this\n"
        "[default]\n"
        "aws_access_key_id = AKDEFAULT\n"
        "aws_secret_access_key=SKDEFAULT\r\n"
        "\n"
        "[work]\n"
        "aws_access_key_id = AKWORK\n"
        "aws_secret_access_key = SKWORK\n"
        "aws_session_token = TOKEN\n");
  Write("/home/dev/.aws/config",
        "[default]\nregion = eu-central-1\n"
        "[profile work]\nregion = us-west-2\n"
        "[profile cfgonly]\naws_access_key_id = AKCFG\naws_secret_access_key = SKCFG\n");
  auto c = LoadAwsCredentials(&env_);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AKDEFAULT");
  EXPECT_EQ(c->secret_access_key, "SKDEFAULT");
  EXPECT_EQ(LoadAwsRegion(&env_), "eu-central-1");

  env_.SetEnvVar("AWS_PROFILE", "work");
  c = LoadAwsCredentials(&env_);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AKWORK");
  EXPECT_EQ(c->session_token, "TOKEN");
  EXPECT_EQ(LoadAwsRegion(&env_), "us-west-2");

  env_.SetEnvVar("AWS_PROFILE", "cfgonly");  // keys in ~/.aws/config only
  c = LoadAwsCredentials(&env_);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AKCFG");
  EXPECT_EQ(LoadAwsRegion(&env_), "us-east-1");

  env_.SetEnvVar("AWS_PROFILE", "missing");
  EXPECT_FALSE(LoadAwsCredentials(&env_).ok());
}

TEST_F(AwsConfigTest, EnvironmentWinsAndFilesCanMove) {
  Write("/home/dev/.aws/credentials", "[default]\naws_access_key_id = AKFILE\naws_secret_access_key = SKFILE\n");
  env_.SetEnvVar("AWS_ACCESS_KEY_ID", "AKENV");
  env_.SetEnvVar("AWS_SECRET_ACCESS_KEY", "SKENV");
  env_.SetEnvVar("AWS_REGION", "ap-south-1");
  env_.SetEnvVar("AWS_DEFAULT_REGION", "sa-east-1");
  auto c = LoadAwsCredentials(&env_);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AKENV");
  EXPECT_EQ(LoadAwsRegion(&env_), "ap-south-1");

  MemEnv other;
  other.SetEnvVar("HOME", "/nowhere");
  other.SetEnvVar("AWS_SHARED_CREDENTIALS_FILE", "/etc/lq-test/creds");
  other.SetEnvVar("AWS_CONFIG_FILE", "/etc/lq-test/config");
  ASSERT_TRUE(CreateDirs(&other, "/etc/lq-test").ok());
  ASSERT_TRUE(WriteFileAtomically(&other, "/etc/lq-test/creds", "[default]\naws_access_key_id=A\naws_secret_access_key=S\n").ok());
  ASSERT_TRUE(WriteFileAtomically(&other, "/etc/lq-test/config", "[default]\nregion=eu-north-1\n").ok());
  c = LoadAwsCredentials(&other);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "A");
  EXPECT_EQ(LoadAwsRegion(&other), "eu-north-1");
}

}  // namespace
}  // namespace lq::net

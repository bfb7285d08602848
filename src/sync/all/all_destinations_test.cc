#include "sync/all/all_destinations.h"

#include <gtest/gtest.h>

#include "core/mem_env.h"

namespace lq::sync {
namespace {

TEST(DestinationRegistryTest, MapsPathsAndUrlsToBackends) {
  MemEnv env;
  env.SetEnvVar("HOME", "/home/me");
  env.SetCurrentDir("/work");
  auto local = AllDestinations().Open(&env, "~/.lq/projects/");
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  EXPECT_EQ((*local)->local_root(), "/home/me/.lq/projects");
  auto relative = AllDestinations().Open(&env, "store");
  ASSERT_TRUE(relative.ok());
  EXPECT_EQ((*relative)->local_root(), "/work/store");

  env.SetEnvVar("AWS_ACCESS_KEY_ID", "AKIA");
  env.SetEnvVar("AWS_SECRET_ACCESS_KEY", "secret");
  auto s3 = AllDestinations().Open(&env, "s3://bkt/lq/");
  ASSERT_TRUE(s3.ok()) << s3.status().ToString();
  EXPECT_EQ((*s3)->Describe(), "s3://bkt/lq/");
  EXPECT_EQ((*s3)->local_root(), "");  // read through a mirror
}

TEST(DestinationRegistryTest, RefusesUnknownSchemesSecretsAndMalformedUrls) {
  MemEnv env;
  for (const char* url : {"ftp://host/x", "md:my_db", "s3://AKIA:SECRET@bkt/x", "s3://bkt/../x/", "s3://bkt/a//b/"}) {
    auto d = AllDestinations().Open(&env, url);
    ASSERT_FALSE(d.ok()) << url;
    EXPECT_EQ(d.status().code(), Status::Code::kInvalidArgument) << url << ": " << d.status().ToString();
    EXPECT_EQ(d.status().message().find("AKIA:SECRET"), std::string::npos);
  }
  auto unknown = AllDestinations().Open(&env, "ftp://host/x");
  EXPECT_NE(unknown.status().message().find("s3://"), std::string::npos) << unknown.status().ToString();
}

}  // namespace
}  // namespace lq::sync

// The S3 destination runs the destination conformance suite against s3rver (npm, in
// tools/), started once on 127.0.0.1 on a free port and stopped by PID at exit. Each test
// gets its own prefix in one bucket, so every destination starts empty.
#include "sync/s3/s3_destination.h"

#include <cstdlib>

#include "core/mem_env.h"
#include "sync/conformance_suite.h"
#include "testing/service.h"

namespace lq::sync {
namespace {

using conformance::ConformanceTarget;
using conformance::DestinationConformance;
using lq::testing::Service;

testing::TempDir& S3rverDir() {
  static testing::TempDir dir;  // destroyed after the server (constructed before it)
  return dir;
}

// The end of s3rver's log, for failure messages.
std::string S3rverLog() {
  std::string log = testing::ReadFileOrDie(S3rverDir() / "s3rver.log");
  return log.size() > 3000 ? log.substr(log.size() - 3000) : log;
}

// The endpoint of the one s3rver this test binary uses ("" if it did not start).
const std::string& S3rverEndpoint() {
  static testing::TempDir& dir = S3rverDir();
  static std::string endpoint;
  static std::unique_ptr<Service> server = testing::StartS3rver(dir.path(), "lq-test", &endpoint);
  return endpoint;
}

std::unique_ptr<S3Destination> MakeS3(const std::string& prefix, net::AwsCredentials creds = {"S3RVER", "S3RVER", ""}) {
  S3Location loc{S3rverEndpoint(), "lq-test", prefix, "us-east-1"};
  return std::make_unique<S3Destination>(Env::Default(), net::NewCurlHttpClient(Env::Default()), loc, creds,
                                         net::RetryPolicy{3, 10'000, 100'000});
}

std::unique_ptr<Destination> MakeConformance(Env*, const std::string& root) {
  return MakeS3("c" + std::to_string(std::hash<std::string>()(root)) + "/");
}

// s3rver stores an object as files named after its key plus "._S3rver_object" or
// "._S3rver_metadata.json", so ~230-byte components are its limit; S3 itself takes
// 1,024-byte keys.
INSTANTIATE_TEST_SUITE_P(S3, DestinationConformance,
                         ::testing::Values(ConformanceTarget{"s3", MakeConformance, false, 230}));

TEST(S3DestinationTest, ParsesUrlsAndEnvironment) {
  MemEnv env;
  auto loc = ParseS3Url(&env, "s3://bucket/lq/projects");
  ASSERT_TRUE(loc.ok());
  EXPECT_EQ(loc->bucket, "bucket");
  EXPECT_EQ(loc->prefix, "lq/projects/");
  EXPECT_EQ(loc->region, "us-east-1");
  EXPECT_EQ(loc->endpoint, "");
  env.SetEnvVar("AWS_DEFAULT_REGION", "eu-west-1");
  env.SetEnvVar("AWS_ENDPOINT_URL", "http://127.0.0.1:9000/");
  loc = ParseS3Url(&env, "s3://bkt");
  ASSERT_TRUE(loc.ok());
  EXPECT_EQ(loc->prefix, "");
  EXPECT_EQ(loc->region, "eu-west-1");
  EXPECT_EQ(loc->endpoint, "http://127.0.0.1:9000");
  env.SetEnvVar("AWS_ENDPOINT_URL_S3", "http://s3.local");
  env.SetEnvVar("AWS_REGION", "ap-south-1");
  loc = ParseS3Url(&env, "s3://bkt/");
  EXPECT_EQ(loc->endpoint, "http://s3.local");
  EXPECT_EQ(loc->region, "ap-south-1");
  EXPECT_FALSE(ParseS3Url(&env, "s3:///x").ok());
}

// Malformed prefixes and bucket names are refused before any request: S3 would store
// "a//b" and "../x" literally (then 404 per file) and a bad bucket "does not exist".
TEST(S3DestinationTest, RefusesMalformedUrlsUpFront) {
  MemEnv env;
  for (const char* url : {"s3://bkt/../x/", "s3://bkt/a//b/", "s3://bkt/./x", "s3://bkt//x", "s3://bkt/a/../b"}) {
    auto loc = ParseS3Url(&env, url);
    ASSERT_FALSE(loc.ok()) << url;
    EXPECT_EQ(loc.status().code(), Status::Code::kInvalidArgument) << url;
    EXPECT_NE(loc.status().message().find("bad prefix"), std::string::npos) << loc.status().ToString();
  }
  for (const char* url : {"s3://b/x", "s3://Bucket/x", "s3://bkt_1/", "s3://-bkt/", "s3://bkt-/", "s3://a..b/",
                          "s3://192.168.1.1/", "s3://bkt!/"}) {
    auto loc = ParseS3Url(&env, url);
    ASSERT_FALSE(loc.ok()) << url;
    EXPECT_NE(loc.status().message().find("bad bucket name"), std::string::npos) << loc.status().ToString();
  }
  for (const char* url : {"s3://my.bucket-1/a/b/", "s3://bkt/a b/ü/", "s3://123/"}) {
    EXPECT_TRUE(ParseS3Url(&env, url).ok()) << url;
  }
}

TEST(S3DestinationTest, ListsPastOnePage) {
  ASSERT_FALSE(S3rverEndpoint().empty());
  auto dest = MakeS3("paged/");
  testing::TempDir dir;
  testing::WriteFileOrDie(dir / "f", "x");
  for (int i = 0; i < 1005; ++i) ASSERT_TRUE(dest->Put("k/" + std::to_string(i), dir / "f", {}).ok()) << i;
  auto list = dest->List("k/");
  ASSERT_TRUE(list.ok()) << list.status().ToString() << "\n" << S3rverLog();
  EXPECT_EQ(list->size(), 1005u);  // S3 pages hold 1,000 keys
}

TEST(S3DestinationTest, ErrorsSayWhatToDo) {
  ASSERT_FALSE(S3rverEndpoint().empty());
  S3Location loc{S3rverEndpoint(), "no-such-bucket", "", "us-east-1"};
  S3Destination missing(Env::Default(), net::NewCurlHttpClient(Env::Default()), loc, {"S3RVER", "S3RVER", ""});
  Status s = missing.Check();
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_NE(s.message().find("does not exist"), std::string::npos) << s.ToString();
  auto bad_key = MakeS3("x/", {"NOBODY", "S3RVER", ""});
  s = bad_key->Check();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("AWS_ACCESS_KEY_ID"), std::string::npos) << s.ToString();
  S3Location down{"http://127.0.0.1:" + std::to_string(Service::FreePort()), "b", "", "us-east-1"};
  S3Destination unreachable(Env::Default(), net::NewCurlHttpClient(Env::Default()), down, {"S3RVER", "S3RVER", ""},
                            net::RetryPolicy{2, 1000, 1000});
  s = unreachable.Check();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("gave up after 2 attempts"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace lq::sync

#include "net/sigv4.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "testing/temp_dir.h"

namespace lq::net {
namespace {

using lq::testing::TempDir;
using lq::testing::WriteFileOrDie;

struct Case {
  std::string method, url;
  Headers headers;
  std::string body;
  bool unsigned_payload = false;
  std::string token;
  std::string region = "us-east-1";
};

// botocore's Authorization header for each case (the oracle), signed at `time`.
std::vector<std::string> Oracle(const std::vector<Case>& cases, int64_t time) {
  nlohmann::json list = nlohmann::json::array();
  for (const Case& c : cases) {
    nlohmann::json headers = nlohmann::json::array();
    for (const auto& [k, v] : c.headers) headers.push_back({k, v});
    list.push_back({{"method", c.method}, {"url", c.url}, {"headers", headers}, {"body", c.body},
                    {"unsigned_payload", c.unsigned_payload}, {"access_key", "AKIDEXAMPLE"},
                    {"secret_key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}, {"token", c.token},
                    {"service", "s3"}, {"region", c.region}, {"time", time}});
  }
  TempDir dir;
  WriteFileOrDie(dir / "in.json", list.dump());
  std::string script = std::string(std::getenv("LQ_SOURCE_DIR")) + "/src/net/testdata/sigv4_oracle.py";
  std::string cmd = "/usr/bin/python3 '" + script + "' < '" + (dir / "in.json") + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << out;
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(SigV4Test, MatchesBotocoreOnS3Requests) {
  const int64_t kTime = 1700000000;  // 2023-11-14T22:13:20Z
  std::vector<Case> cases = {
      {"GET", "http://127.0.0.1:9000/bucket/key.parquet", {}, ""},
      {"PUT", "http://127.0.0.1:9000/bucket/namespace%3Dacme/project%3Dapp/a%20b%C3%A9.parquet",
       {{"Content-Type", "application/octet-stream"}}, "parquet bytes"},
      {"GET", "http://127.0.0.1:9000/bucket?list-type=2&prefix=namespace%3Dacme%2F&continuation-token=a%2Bb%3D",
       {}, ""},
      {"GET", "http://localhost/bucket?prefix=a%20b&delimiter=%2F&max-keys=1000", {}, ""},
      {"DELETE", "https://s3.eu-west-1.amazonaws.com/bucket/k", {}, "", true, "", "eu-west-1"},
      {"HEAD", "https://bucket.s3.amazonaws.com:443/k~x_y-z.1", {{"X-Amz-Meta-Lq", "  two   spaces  "}}, "", true,
       "FQoGZXIvYXdzEXAMPLETOKEN"},
      {"PUT", "http://127.0.0.1:9000/bucket/copy", {{"x-amz-copy-source", "/bucket/src"}, {"If-None-Match", "*"}},
       ""},
      {"GET", "http://127.0.0.1:9000/", {}, ""},
  };
  std::vector<std::string> want = Oracle(cases, kTime);
  ASSERT_EQ(want.size(), cases.size());
  AwsCredentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    HttpRequest req;
    req.method = c.method;
    req.url = c.url;
    req.headers = c.headers;
    req.body = c.body;
    AwsCredentials with_token = creds;
    with_token.session_token = c.token;
    std::string payload = c.unsigned_payload ? std::string(kUnsignedPayload) : Sha256Hex(c.body);
    ASSERT_TRUE(SignV4(&req, with_token, c.region, "s3", kTime, payload).ok());
    EXPECT_EQ(*FindHeader(req.headers, "authorization"), want[i]) << c.method << " " << c.url;
    // Signing again (a retry) replaces the signature instead of adding one.
    ASSERT_TRUE(SignV4(&req, with_token, c.region, "s3", kTime, payload).ok());
    int authorizations = 0;
    for (const auto& h : req.headers) authorizations += h.first == "Authorization";
    EXPECT_EQ(authorizations, 1);
    EXPECT_EQ(*FindHeader(req.headers, "authorization"), want[i]);
  }
}

// The worked example of the AWS documentation ("GET Object" with a Range header).
TEST(SigV4Test, AwsDocumentationExample) {
  HttpRequest req;
  req.url = "https://examplebucket.s3.amazonaws.com/test.txt";
  req.headers = {{"Range", "bytes=0-9"}};
  AwsCredentials creds{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
  ASSERT_TRUE(SignV4(&req, creds, "us-east-1", "s3", 1369353600, Sha256Hex("")).ok());  // 2013-05-24
  EXPECT_EQ(*FindHeader(req.headers, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4Test, MissingCredentialsSayWhatToSet) {
  HttpRequest req;
  req.url = "http://127.0.0.1/b/k";
  Status s = SignV4(&req, {}, "us-east-1", "s3", 0, kUnsignedPayload);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("AWS_ACCESS_KEY_ID"), std::string::npos);
}

TEST(SigV4Test, Sha256OfStringsAndFiles) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  TempDir dir;
  std::string big(200'000, 'a');
  WriteFileOrDie(dir / "f", big);
  auto h = Sha256HexOfFile(dir / "f");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, Sha256Hex(big));
  EXPECT_FALSE(Sha256HexOfFile(dir / "missing").ok());
}

TEST(UrlTest, SplitAndEncode) {
  auto u = SplitUrl("http://127.0.0.1:9000/b/k%20x?list-type=2&prefix=a");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->host, "127.0.0.1:9000");
  EXPECT_EQ(u->path, "/b/k%20x");
  EXPECT_EQ(u->query, "list-type=2&prefix=a");
  auto bare = SplitUrl("https://host");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->path, "/");
  EXPECT_FALSE(SplitUrl("no-scheme/x").ok());
  EXPECT_FALSE(SplitUrl("http:///path").ok());
  EXPECT_EQ(UriEncode("namespace=a b/é~_.-", true), "namespace%3Da%20b/%C3%A9~_.-");
  EXPECT_EQ(UriEncode("a/b", false), "a%2Fb");
}

}  // namespace
}  // namespace lq::net

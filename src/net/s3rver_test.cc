// The libcurl client and SigV4 headers against a real S3 implementation: s3rver (npm,
// installed in tools/ by scripts/install-deps.sh), started on 127.0.0.1 on a free port
// and stopped by PID. s3rver 3.7 parses V4 Authorization headers and checks the access
// key, but does not recompute V4 signatures ("unimplemented" in its authentication
// middleware): sigv4_test.cc proves the signatures against botocore instead.
#include <gtest/gtest.h>

#include <cstdlib>

#include "net/http.h"
#include "net/sigv4.h"
#include "testing/service.h"
#include "testing/temp_dir.h"

namespace lq::net {
namespace {

using lq::testing::Service;
using lq::testing::TempDir;

class S3rverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = lq::testing::StartS3rver(dir_.path(), "lq-test", &endpoint_);
    ASSERT_NE(server_, nullptr) << "s3rver did not start";
    client_ = NewCurlHttpClient(Env::Default());
  }

  std::string Url(const std::string& key, const std::string& query = "") {
    return endpoint_ + "/lq-test/" + UriEncode(key, true) +
           (query.empty() ? "" : "?" + query);
  }
  Result<HttpResponse> Signed(HttpRequest req, const AwsCredentials& creds, std::string payload_hash = "") {
    if (payload_hash.empty()) payload_hash = Sha256Hex(req.body);
    LQ_RETURN_IF_ERROR(SignV4(&req, creds, "us-east-1", "s3", Env::Default()->NowMicros() / 1'000'000, payload_hash));
    return client_->Send(req);
  }

  TempDir dir_;
  std::string endpoint_;
  std::unique_ptr<Service> server_;
  std::unique_ptr<HttpClient> client_;
  AwsCredentials creds_{"S3RVER", "S3RVER", ""};
};

TEST_F(S3rverTest, SignedPutGetListDelete) {
  const std::string key = "namespace=acme/project=app/hostname=h é/date=2026-11-23/source=run/001 b+c=d.parquet";
  HttpRequest put;
  put.method = "PUT";
  put.url = Url(key);
  put.body = "PAR1 not really parquet";
  auto r = Signed(put, creds_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, 200) << r->body;

  // A file upload with an unsigned payload (what large uploads use).
  TempDir files;
  std::string big(2 << 20, 'q');
  lq::testing::WriteFileOrDie(files / "f", big);
  HttpRequest file_put;
  file_put.method = "PUT";
  file_put.url = Url("big/0.bin");
  file_put.body_file = files / "f";
  r = Signed(file_put, creds_, std::string(kUnsignedPayload));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, 200) << r->body;

  HttpRequest get;
  get.url = Url(key);
  r = Signed(get, creds_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body, put.body);
  get.url = Url("big/0.bin");
  r = Signed(get, creds_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body.size(), big.size());

  HttpRequest list;
  list.url = endpoint_ + "/lq-test?list-type=2&prefix=" +
             UriEncode("namespace=acme/", false);
  r = Signed(list, creds_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("<KeyCount>1</KeyCount>"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("001 b+c=d.parquet"), std::string::npos) << r->body;

  HttpRequest del;
  del.method = "DELETE";
  del.url = Url(key);
  r = Signed(del, creds_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 204) << r->body;
  r = Signed(get, creds_);  // big/0.bin is still there
  EXPECT_EQ(r->status, 200);
  get.url = Url(key);
  r = Signed(get, creds_);
  EXPECT_EQ(r->status, 404);
}

TEST_F(S3rverTest, AnUnknownAccessKeyIsRefused) {
  HttpRequest put;
  put.method = "PUT";
  put.url = Url("k");
  put.body = "x";
  auto r = Signed(put, {"NOT-A-KEY", "S3RVER", ""});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 403);
  EXPECT_NE(r->body.find("InvalidAccessKeyId"), std::string::npos) << r->body;
}

}  // namespace
}  // namespace lq::net

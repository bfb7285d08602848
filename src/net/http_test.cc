// The libcurl client against a real local HTTP server (testdata/echo_server.py).
#include "net/http.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/mem_env.h"
#include "net/sigv4.h"
#include "testing/service.h"
#include "testing/temp_dir.h"

namespace lq::net {
namespace {

using lq::testing::Service;
using lq::testing::TempDir;
using nlohmann::json;

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string script = std::string(std::getenv("LQ_SOURCE_DIR")) + "/src/net/testdata/echo_server.py";
    server_ = std::make_unique<Service>(std::vector<std::string>{"/usr/bin/python3", script});
    ASSERT_TRUE(server_->Start());
    std::string port = server_->ReadLine();
    ASSERT_FALSE(port.empty()) << "echo server did not start";
    base_ = "http://127.0.0.1:" + port;
    client_ = NewCurlHttpClient(Env::Default());
  }
  json Echo(const HttpRequest& req, int want_status = 200) {
    auto r = client_->Send(req);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return {};
    EXPECT_EQ(r->status, want_status);
    return json::parse(r->body, nullptr, false);
  }

  std::unique_ptr<Service> server_;
  std::string base_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(HttpClientTest, MethodsHeadersAndBodies) {
  HttpRequest get;
  get.url = base_ + "/bucket/key%20x?list-type=2";
  get.headers = {{"X-Amz-Date", "20240101T000000Z"}};
  json g = Echo(get);
  EXPECT_EQ(g["method"], "GET");
  EXPECT_EQ(g["path"], "/bucket/key%20x?list-type=2");
  EXPECT_EQ(g["headers"]["x-amz-date"], "20240101T000000Z");
  // Headers curl would add on its own are not sent: they would break a signature.
  EXPECT_FALSE(g["headers"].contains("expect"));

  HttpRequest put;
  put.method = "PUT";
  put.url = base_ + "/b/k";
  put.body = std::string(100'000, 'z');
  json p = Echo(put);
  EXPECT_EQ(p["method"], "PUT");
  EXPECT_EQ(p["length"], 100'000);
  EXPECT_EQ(p["sha256"], Sha256Hex(put.body));
  EXPECT_FALSE(p["headers"].contains("content-type"));
  EXPECT_FALSE(p["headers"].contains("expect"));

  TempDir dir;
  std::string data(3 << 20, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 131 % 251);
  lq::testing::WriteFileOrDie(dir / "upload", data);
  HttpRequest file_put;
  file_put.method = "PUT";
  file_put.url = base_ + "/b/big";
  file_put.body_file = dir / "upload";
  json f = Echo(file_put);
  EXPECT_EQ(f["length"], data.size());
  EXPECT_EQ(f["sha256"], Sha256Hex(data));

  HttpRequest empty_put;
  empty_put.method = "PUT";
  empty_put.url = base_ + "/b/empty";
  EXPECT_EQ(Echo(empty_put)["length"], 0);

  HttpRequest del;
  del.method = "DELETE";
  del.url = base_ + "/b/k";
  EXPECT_EQ(Echo(del)["method"], "DELETE");

  HttpRequest head;
  head.method = "HEAD";
  head.url = base_ + "/b/k";
  auto h = client_->Send(head);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(h->body, "");
  EXPECT_EQ(h->Header("x-echo"), "yes");
  EXPECT_EQ(h->Header("X-Echo"), "yes");
}

TEST_F(HttpClientTest, ErrorStatusesAreResultsTransportFailuresAreUnavailable) {
  HttpRequest req;
  req.url = base_ + "/status/503";
  auto r = client_->Send(req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);

  int port = Service::FreePort();
  req.url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  auto refused = client_->Send(req);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kUnavailable) << refused.status().ToString();

  req.url = "ftp://127.0.0.1/x";
  EXPECT_EQ(client_->Send(req).status().code(), Status::Code::kInvalidArgument);
  req.url = base_ + "/x";
  req.method = "PUT";
  req.body_file = "/nonexistent/upload";
  EXPECT_FALSE(client_->Send(req).ok());
}

// The machine's CA-bundle variables apply to https only: a plain-HTTP local endpoint
// works even when they name a file that does not exist.
TEST_F(HttpClientTest, CaBundleVariablesDoNotBreakPlainHttp) {
  MemEnv env;
  env.SetEnvVar("CURL_CA_BUNDLE", "/nonexistent/ca.pem");
  env.SetEnvVar("AWS_CA_BUNDLE", "/nonexistent/ca.pem");
  auto client = NewCurlHttpClient(&env);
  HttpRequest req;
  req.url = base_ + "/ok";
  auto r = client->Send(req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
}

// libcurl is loaded on first use: without it, a request fails with one line that says
// what to install, and nothing crashes. (In a child process: the library is loaded once
// per process, and other tests may have loaded the real one.)
TEST(CurlLoadingTest, MissingLibcurlIsAnErrorThatSaysWhatToInstall) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        ::setenv("LQ_CURL_LIBRARY", "/nonexistent/libcurl.so.4", 1);
        HttpRequest req;
        req.url = "http://127.0.0.1:9/x";
        auto r = NewCurlHttpClient(Env::Default())->Send(req);
        std::string msg = r.ok() ? "sent" : r.status().ToString();
        std::fprintf(stderr, "[%s]\n", msg.c_str());
        std::exit(!r.ok() && msg.find("install") != std::string::npos &&
                          msg.find('\n') == std::string::npos
                      ? 0
                      : 1);
      },
      ::testing::ExitedWithCode(0), "cannot load libcurl .*apt-get install libcurl4");
}

}  // namespace
}  // namespace lq::net

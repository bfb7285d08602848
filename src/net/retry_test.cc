#include "net/retry.h"

#include <gtest/gtest.h>

#include <deque>

#include "core/mem_env.h"

namespace lq::net {
namespace {

// A scripted HttpClient: answers from a list, recording what it was sent. (The real
// client against a real server is http_test.cc; this drives the retry schedule.)
class ScriptedClient : public HttpClient {
 public:
  explicit ScriptedClient(std::deque<Result<HttpResponse>> answers) : answers_(std::move(answers)) {}
  Result<HttpResponse> Send(const HttpRequest& request) override {
    sent.push_back(request);
    Result<HttpResponse> r = answers_.front();
    if (answers_.size() > 1) answers_.pop_front();
    return r;
  }
  std::vector<HttpRequest> sent;

 private:
  std::deque<Result<HttpResponse>> answers_;
};

HttpResponse Answer(int status, Headers headers = {}) {
  HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  return r;
}

TEST(RetryTest, RetriesThrottlingAndServerErrorsThenSucceeds) {
  MemEnv env;
  ScriptedClient client({Answer(503), Answer(429), Result<HttpResponse>(Status::Unavailable("reset")), Answer(200)});
  int64_t start = env.NowMicros();
  int prepared = 0;
  auto r = SendWithRetry(&client, &env, HttpRequest{}, {5, 100'000, 1'000'000}, [&](HttpRequest* req) {
    req->headers = {{"x-attempt", std::to_string(++prepared)}};
    return Status::OK();
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  ASSERT_EQ(client.sent.size(), 4u);
  EXPECT_EQ(client.sent[3].headers[0].second, "4");  // prepared (re-signed) before every attempt
  // Waits of at most 0.1 + 0.2 + 0.4 s.
  EXPECT_LE(env.NowMicros() - start, 700'000);
}

TEST(RetryTest, ClientErrorsAreNotRetried) {
  for (int status : {400, 403, 404, 412, 501}) {
    MemEnv env;
    ScriptedClient client({Answer(status), Answer(200)});
    auto r = SendWithRetry(&client, &env, HttpRequest{}, {});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, status);
    EXPECT_EQ(client.sent.size(), 1u) << status;
  }
  MemEnv env;
  ScriptedClient bad_url({Result<HttpResponse>(Status::InvalidArgument("not a URL"))});
  EXPECT_FALSE(SendWithRetry(&bad_url, &env, HttpRequest{}, {}).ok());
  EXPECT_EQ(bad_url.sent.size(), 1u);
}

TEST(RetryTest, GivesUpAfterMaxAttemptsWithTheLastOutcome) {
  MemEnv env;
  ScriptedClient always_503({Answer(503)});
  auto r = SendWithRetry(&always_503, &env, HttpRequest{}, {3, 1000, 10'000});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(always_503.sent.size(), 3u);

  ScriptedClient down({Result<HttpResponse>(Status::Unavailable("connection refused"))});
  auto d = SendWithRetry(&down, &env, HttpRequest{}, {4, 1000, 10'000});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(down.sent.size(), 4u);
  EXPECT_NE(d.status().ToString().find("gave up after 4 attempts"), std::string::npos) << d.status().ToString();
  EXPECT_NE(d.status().ToString().find("connection refused"), std::string::npos);
}

TEST(RetryTest, BackoffGrowsAndIsCappedAndRetryAfterIsHonoured) {
  MemEnv env;
  ScriptedClient client({Answer(503)});
  int64_t start = env.NowMicros();
  EXPECT_EQ(SendWithRetry(&client, &env, HttpRequest{}, {12, 1'000'000, 4'000'000})->status, 503);
  // 11 waits: at most 1 + 2 + 4 * 9 s.
  EXPECT_LE(env.NowMicros() - start, 39'000'000);

  MemEnv env2;
  ScriptedClient slow_down({Answer(503, {{"retry-after", "3"}}), Answer(200)});
  start = env2.NowMicros();
  auto r = SendWithRetry(&slow_down, &env2, HttpRequest{}, {5, 1000, 10'000'000});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_GE(env2.NowMicros() - start, 3'000'000);
  EXPECT_LE(env2.NowMicros() - start, 3'000'000);

  // A huge Retry-After (once multiplied into an overflow) waits the longest delay only.
  MemEnv env3;
  ScriptedClient huge({Answer(503, {{"retry-after", "9223372036854775"}}), Answer(200)});
  start = env3.NowMicros();
  ASSERT_TRUE(SendWithRetry(&huge, &env3, HttpRequest{}, {5, 1000, 10'000'000}).ok());
  EXPECT_EQ(env3.NowMicros() - start, 10'000'000);
}

}  // namespace
}  // namespace lq::net

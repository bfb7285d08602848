// Retries with exponential backoff and full jitter, for every destination that talks
// HTTP. Sleeping goes through Env, so tests run the whole schedule on MemEnv's clock.
#pragma once

#include <functional>

#include "core/env.h"
#include "net/http.h"

namespace lq::net {

struct RetryPolicy {
  int max_attempts = 5;
  int64_t base_delay_micros = 200'000;     // the first retry waits up to this
  int64_t max_delay_micros = 20'000'000;   // no single wait is longer
};

// Whether an answer is worth another try: 408, 429 and 5xx except 501 (S3's SlowDown is
// 503, throttling 429, a dropped connection behind a proxy 502/504).
bool IsRetryableStatus(int status);

// Sends `request`, and again after a transport failure (Unavailable) or a retryable
// status, waiting random(0, min(max, base * 2^n)) between attempts, or the server's
// Retry-After (seconds) when it names a longer wait. `prepare` runs before every attempt
// (to sign with a fresh date). Returns the first non-retryable outcome, or the last one
// when the attempts are used up (a transport error then says how many were made).
Result<HttpResponse> SendWithRetry(HttpClient* client, Env* env, HttpRequest request, const RetryPolicy& policy,
                                   const std::function<Status(HttpRequest*)>& prepare = nullptr);

}  // namespace lq::net

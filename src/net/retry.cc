#include "net/retry.h"

#include <algorithm>
#include <charconv>

namespace lq::net {

bool IsRetryableStatus(int status) {
  return status == 408 || status == 429 || (status >= 500 && status != 501);
}

Result<HttpResponse> SendWithRetry(HttpClient* client, Env* env, HttpRequest request, const RetryPolicy& policy,
                                   const std::function<Status(HttpRequest*)>& prepare) {
  int attempts = std::max(1, policy.max_attempts);
  for (int attempt = 1;; ++attempt) {
    if (prepare) LQ_RETURN_IF_ERROR(prepare(&request));
    Result<HttpResponse> r = client->Send(request);
    bool retry = r.ok() ? IsRetryableStatus(r->status) : r.status().code() == Status::Code::kUnavailable;
    if (!retry) return r;
    if (attempt >= attempts) {
      if (r.ok()) return r;
      return r.status().WithContext("gave up after " + std::to_string(attempts) + " attempts");
    }
    int64_t cap = policy.base_delay_micros;
    for (int i = 1; i < attempt && cap < policy.max_delay_micros; ++i) cap *= 2;
    cap = std::min(cap, policy.max_delay_micros);
    uint64_t random = 0;
    env->RandomBytes(&random, sizeof random);
    int64_t wait = cap > 0 ? static_cast<int64_t>(random % static_cast<uint64_t>(cap + 1)) : 0;
    if (r.ok()) {
      std::string after = r->Header("retry-after");
      int64_t seconds = 0;
      if (!after.empty() &&
          std::from_chars(after.data(), after.data() + after.size(), seconds).ec == std::errc() && seconds > 0) {
        // A server may send any number: compare before multiplying, which could overflow.
        int64_t wanted = seconds > policy.max_delay_micros / 1'000'000 ? policy.max_delay_micros : seconds * 1'000'000;
        wait = std::max(wait, std::min(wanted, policy.max_delay_micros));
      }
    }
    env->SleepForMicros(wait);
  }
}

}  // namespace lq::net

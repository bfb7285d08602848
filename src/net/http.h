// HTTP behind an interface (the seam the S3 and Azure destinations talk through), so
// retry and failure paths are tested deterministically; the real one is libcurl.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/env.h"
#include "core/status.h"

namespace lq::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // http(s)://host[:port]/path[?query], path and query already encoded
  Headers headers;
  std::string body;       // sent as is, unless body_file is set
  std::string body_file;  // an upload streamed from this file (Content-Length from its size)
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names lower-cased
  std::string body;
  // The first header named `name` (lower-case), or "".
  std::string Header(std::string_view name) const;
};

// The first header named `name` (ASCII case-insensitive) in `headers`, or nullptr.
const std::string* FindHeader(const Headers& headers, std::string_view name);

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // A response of any status is a result; transport failures (refused, reset, timeout,
  // TLS) are Unavailable, a bad URL or unreadable body_file another error.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

struct CurlOptions {
  int64_t connect_timeout_ms = 10'000;
  // A transfer slower than 1 KiB/s for this long is aborted (a stalled connection).
  int64_t stall_timeout_ms = 60'000;
};

// libcurl. For https:// it trusts the CA bundle named by CURL_CA_BUNDLE, AWS_CA_BUNDLE or
// SSL_CERT_FILE (read through `env`), else the system's; plain http:// ignores them.
// Thread-safe: one curl handle per call.
std::unique_ptr<HttpClient> NewCurlHttpClient(Env* env, CurlOptions options = {});

// Parts of a URL, without decoding. "http://h:9000/b/k?x=1" -> scheme "http",
// host "h:9000" (with the port, as in a Host header), path "/b/k", query "x=1".
struct UrlParts {
  std::string scheme, host, path, query;
};
Result<UrlParts> SplitUrl(std::string_view url);

// RFC 3986 percent-encoding of everything but unreserved characters (A-Z a-z 0-9 - _ . ~);
// '/' is kept when keep_slash (object keys in paths).
std::string UriEncode(std::string_view s, bool keep_slash);

}  // namespace lq::net

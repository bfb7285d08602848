// AWS Signature Version 4 (header auth), as S3 and S3-compatible stores expect it:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv4-create-signed-request.html
// Checked against botocore's signer (python3-botocore) in sigv4_test.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "net/http.h"

namespace lq::net {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // temporary credentials only
};

// The payload hash for requests whose body is not signed (S3 accepts it over TLS and
// plain HTTP alike).
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// Lower-case hex SHA-256 of `data`, and of a file's contents.
std::string Sha256Hex(std::string_view data);
Result<std::string> Sha256HexOfFile(const std::string& path);

// Signs `request` in place for `service` in `region` at `unix_seconds`: sets host,
// x-amz-date, x-amz-content-sha256 (= payload_sha256: a body hash, or
// kUnsignedPayload), x-amz-security-token when there is a session token, and
// Authorization. Every header present is signed. The path and query of the URL must
// already be encoded the way the service expects (UriEncode(key, true) for S3 keys);
// S3 does not normalize or re-encode paths, and neither does this.
Status SignV4(HttpRequest* request, const AwsCredentials& credentials, std::string_view region,
              std::string_view service, int64_t unix_seconds, std::string_view payload_sha256);

// The pieces, for tests and for error messages that show what was signed.
struct SigV4Parts {
  std::string signed_headers;  // "host;x-amz-content-sha256;x-amz-date"
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
};
Result<SigV4Parts> SigV4Compute(const HttpRequest& request, const AwsCredentials& credentials,
                                std::string_view region, std::string_view service, std::string_view amz_date,
                                std::string_view payload_sha256);

}  // namespace lq::net

// S3 (and S3-compatible stores: MinIO, s3rver, R2, ...) as a sync destination:
// s3://bucket/prefix/. Objects are written with one signed PUT each (atomic in S3: a
// reader sees the old object or the whole new one), listed with ListObjectsV2.
// Credentials come from the environment, never from .lq/config.yaml.
#pragma once

#include <memory>
#include <string>

#include "core/env.h"
#include "net/http.h"
#include "net/retry.h"
#include "net/sigv4.h"
#include "sync/destination.h"
#include "sync/registry.h"

namespace lq::sync {

struct S3Location {
  std::string endpoint;  // "https://s3.us-east-1.amazonaws.com" or AWS_ENDPOINT_URL(_S3)
  std::string bucket;
  std::string prefix;  // inside the bucket: "" or ending in '/'
  std::string region;
};

// s3://bucket[/prefix]. The endpoint is AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL when set
// (path-style addressing: endpoint/bucket/key), else AWS's regional endpoint; the region
// as net::LoadAwsRegion finds it. (Credentials: net::LoadAwsCredentials.)
// Malformed URLs are InvalidArgument, before any request: a bucket name S3 would refuse
// (ValidateBucketName), a prefix with empty, "." or ".." segments ("a//b/", "../x/").
Result<S3Location> ParseS3Url(Env* env, std::string_view url);
Status ValidateBucketName(std::string_view bucket);

class S3Destination final : public Destination {
 public:
  S3Destination(Env* env, std::unique_ptr<net::HttpClient> http, S3Location location, net::AwsCredentials credentials,
                net::RetryPolicy retry = {});

  std::string Describe() const override;
  Capabilities capabilities() const override { return {false, true, false}; }
  Status Check() override;
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  // only_if_absent: a HEAD first (S3-compatible stores differ on If-None-Match), so not
  // atomic against a concurrent writer of the same key (capabilities say so).
  Status Put(std::string_view key, const std::string& local_path, const PutOptions& options) override;
  Result<std::string> Get(std::string_view key) override;
  Status Delete(std::string_view key) override;

 private:
  std::string ObjectUrl(std::string_view key) const;
  std::string BucketUrl() const;
  Result<net::HttpResponse> Send(net::HttpRequest request, const std::string& payload_hash);
  Status ErrorFor(const net::HttpResponse& r, std::string_view what) const;

  Env* env_;
  std::unique_ptr<net::HttpClient> http_;
  S3Location loc_;
  net::AwsCredentials creds_;
  net::RetryPolicy retry_;
};

// The text of the first <tag>...</tag> in `xml` after `from` (entities decoded), or "".
std::string XmlText(std::string_view xml, std::string_view tag, size_t* from = nullptr);

// Claims "s3://": ParseS3Url, credentials from the environment (net/aws_config.h),
// libcurl for HTTP.
void RegisterS3Destination(DestinationRegistry* registry);

}  // namespace lq::sync

#include "sync/s3/s3_destination.h"

#include <algorithm>
#include <charconv>

#include "net/aws_config.h"


namespace lq::sync {
namespace {

std::string DecodeXmlEntities(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string_view::npos) {
      out.push_back('&');
      continue;
    }
    std::string_view ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp") out.push_back('&');
    else if (ent == "lt") out.push_back('<');
    else if (ent == "gt") out.push_back('>');
    else if (ent == "quot") out.push_back('"');
    else if (ent == "apos") out.push_back('\'');
    else if (!ent.empty() && ent[0] == '#') {
      uint32_t cp = 0;
      bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
      std::string_view digits = ent.substr(hex ? 2 : 1);
      std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      if (cp < 0x80) {  // UTF-8
        out.push_back(static_cast<char>(cp));
      } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      }
    } else {
      out.append(s.substr(i, semi - i + 1));  // unknown: kept as written
    }
    i = semi;
  }
  return out;
}

}  // namespace

std::string XmlText(std::string_view xml, std::string_view tag, size_t* from) {
  std::string open = "<" + std::string(tag) + ">", close = "</" + std::string(tag) + ">";
  size_t start = xml.find(open, from ? *from : 0);
  if (start == std::string_view::npos) return "";
  start += open.size();
  size_t end = xml.find(close, start);
  if (end == std::string_view::npos) return "";
  if (from) *from = end + close.size();
  return DecodeXmlEntities(xml.substr(start, end - start));
}

Status ValidateBucketName(std::string_view bucket) {
  // S3's rules for new buckets: 3-63 characters of a-z, 0-9, '.', '-', starting and
  // ending with a letter or digit, no "..", not shaped like an IP address.
  auto bad = [&](const char* why) {
    return Status::InvalidArgument("bad bucket name '" + std::string(bucket) + "': " + why +
                                   " (S3 bucket names: 3-63 of a-z 0-9 . -)");
  };
  if (bucket.size() < 3 || bucket.size() > 63) return bad("3 to 63 characters");
  bool all_digits_dots = true;
  for (char c : bucket) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) return bad("only lowercase letters, digits, '.' and '-'");
    if (!((c >= '0' && c <= '9') || c == '.')) all_digits_dots = false;
  }
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(bucket.front()) || !alnum(bucket.back())) return bad("must start and end with a letter or digit");
  if (bucket.find("..") != std::string_view::npos) return bad("no '..'");
  if (all_digits_dots && std::count(bucket.begin(), bucket.end(), '.') == 3) return bad("not an IP address");
  return Status::OK();
}

Result<S3Location> ParseS3Url(Env* env, std::string_view url) {
  if (url.rfind("s3://", 0) != 0) return Status::InvalidArgument("not an s3:// URL: " + std::string(url));
  std::string_view rest = url.substr(5);
  size_t slash = rest.find('/');
  S3Location loc;
  loc.bucket = std::string(rest.substr(0, slash));
  if (loc.bucket.empty()) return Status::InvalidArgument("no bucket in " + std::string(url) + " (s3://bucket/prefix/)");
  LQ_RETURN_IF_ERROR(ValidateBucketName(loc.bucket));
  loc.prefix = slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1));
  if (!loc.prefix.empty() && loc.prefix.back() != '/') loc.prefix += '/';
  // The prefix becomes part of every key: it must be a valid key path itself, or S3
  // would store "a//b" and "../x" literally while lq lists and reads them elsewhere.
  if (!loc.prefix.empty()) {
    Status key = ValidateKey(std::string_view(loc.prefix).substr(0, loc.prefix.size() - 1));
    if (!key.ok()) {
      return Status::InvalidArgument("bad prefix in " + std::string(url) +
                                     ": no empty, '.' or '..' path segments (s3://bucket/prefix/)");
    }
  }
  loc.region = net::LoadAwsRegion(env);
  loc.endpoint = EnvVarOrEmpty(env, "AWS_ENDPOINT_URL_S3");
  if (loc.endpoint.empty()) loc.endpoint = EnvVarOrEmpty(env, "AWS_ENDPOINT_URL");
  while (!loc.endpoint.empty() && loc.endpoint.back() == '/') loc.endpoint.pop_back();
  return loc;
}

S3Destination::S3Destination(Env* env, std::unique_ptr<net::HttpClient> http, S3Location location,
                             net::AwsCredentials credentials, net::RetryPolicy retry)
    : env_(env), http_(std::move(http)), loc_(std::move(location)), creds_(std::move(credentials)), retry_(retry) {}

std::string S3Destination::Describe() const { return "s3://" + loc_.bucket + "/" + loc_.prefix; }

// Path-style on a configured endpoint (MinIO, s3rver, ...), virtual-hosted on AWS.
std::string S3Destination::ObjectUrl(std::string_view key) const {
  std::string path = net::UriEncode(loc_.prefix + std::string(key), true);
  if (!loc_.endpoint.empty()) return loc_.endpoint + "/" + loc_.bucket + "/" + path;
  return "https://" + loc_.bucket + ".s3." + loc_.region + ".amazonaws.com/" + path;
}

Result<net::HttpResponse> S3Destination::Send(net::HttpRequest request, const std::string& payload_hash) {
  return net::SendWithRetry(http_.get(), env_, std::move(request), retry_, [&](net::HttpRequest* r) {
    return net::SignV4(r, creds_, loc_.region, "s3", env_->NowMicros() / 1'000'000, payload_hash);
  });
}

Status S3Destination::ErrorFor(const net::HttpResponse& r, std::string_view what) const {
  std::string code = XmlText(r.body, "Code"), message = XmlText(r.body, "Message");
  std::string text = std::string(what) + ": HTTP " + std::to_string(r.status) + (code.empty() ? "" : " " + code) +
                     (message.empty() ? "" : " (" + message + ")");
  if (r.status == 404 && code == "NoSuchBucket") {
    return Status::NotFound("bucket " + loc_.bucket + " does not exist; create it first (aws s3 mb s3://" +
                            loc_.bucket + ")");
  }
  if (r.status == 404) return Status::NotFound(text);
  if (r.status == 403 || r.status == 401) {
    return Status::PermissionDenied(text + "; check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and the bucket policy");
  }
  if (r.status == 412) return Status::AlreadyExists(text);
  return Status::IOError(text);
}

std::string S3Destination::BucketUrl() const {
  return loc_.endpoint.empty() ? "https://" + loc_.bucket + ".s3." + loc_.region + ".amazonaws.com/"
                               : loc_.endpoint + "/" + loc_.bucket;
}

Status S3Destination::Check() {
  // One key is enough to prove the bucket exists and the credentials may list it.
  net::HttpRequest req;
  req.url = BucketUrl() + "?list-type=2&max-keys=1&prefix=" + net::UriEncode(loc_.prefix, false);
  LQ_ASSIGN_OR_RETURN(net::HttpResponse r, Send(req, net::Sha256Hex("")));
  if (r.status != 200) return ErrorFor(r, "listing " + Describe());
  return Status::OK();
}

Result<std::vector<ObjectInfo>> S3Destination::List(std::string_view prefix) {
  std::vector<ObjectInfo> out;
  std::string bucket_url = BucketUrl();
  std::string full_prefix = loc_.prefix + std::string(prefix);
  std::string token;
  for (;;) {
    net::HttpRequest req;
    req.url = bucket_url + "?list-type=2&prefix=" + net::UriEncode(full_prefix, false) +
              (token.empty() ? "" : "&continuation-token=" + net::UriEncode(token, false));
    LQ_ASSIGN_OR_RETURN(net::HttpResponse r, Send(req, net::Sha256Hex("")));
    if (r.status != 200) return ErrorFor(r, "listing " + Describe() + std::string(prefix));
    size_t at = 0;
    for (;;) {
      size_t start = r.body.find("<Contents>", at);
      if (start == std::string::npos) break;
      size_t end = r.body.find("</Contents>", start);
      if (end == std::string::npos) break;
      std::string_view item(r.body.data() + start, end - start);
      std::string key = XmlText(item, "Key");
      uint64_t size = 0;
      std::string size_text = XmlText(item, "Size");
      std::from_chars(size_text.data(), size_text.data() + size_text.size(), size);
      if (key.compare(0, loc_.prefix.size(), loc_.prefix) == 0) {
        out.push_back({key.substr(loc_.prefix.size()), size, 0});
      }
      at = end;
    }
    if (XmlText(r.body, "IsTruncated") != "true") break;
    token = XmlText(r.body, "NextContinuationToken");
    if (token.empty()) break;
  }
  return out;
}

Status S3Destination::Put(std::string_view key, const std::string& local_path, const PutOptions& options) {
  LQ_RETURN_IF_ERROR(ValidateKey(key));
  if (options.only_if_absent) {
    net::HttpRequest head;
    head.method = "HEAD";
    head.url = ObjectUrl(key);
    LQ_ASSIGN_OR_RETURN(net::HttpResponse h, Send(head, net::Sha256Hex("")));
    if (h.status == 200) return Status::AlreadyExists(std::string(key));
    if (h.status != 404) return ErrorFor(h, "checking " + std::string(key));
  }
  auto info = env_->Stat(local_path);
  if (!info.ok()) return info.status();
  net::HttpRequest put;
  put.method = "PUT";
  put.url = ObjectUrl(key);
  put.body_file = local_path;
  put.headers = {{"Content-Type", "application/octet-stream"}};
  if (options.only_if_absent) put.headers.emplace_back("If-None-Match", "*");
  // Signed payload hash: the store verifies what it received, so a truncated upload
  // fails instead of landing.
  LQ_ASSIGN_OR_RETURN(std::string hash, net::Sha256HexOfFile(local_path));
  LQ_ASSIGN_OR_RETURN(net::HttpResponse r, Send(put, hash));
  if (r.status != 200) return ErrorFor(r, "uploading " + std::string(key));
  return Status::OK();
}

Result<std::string> S3Destination::Get(std::string_view key) {
  LQ_RETURN_IF_ERROR(ValidateKey(key));
  net::HttpRequest get;
  get.url = ObjectUrl(key);
  LQ_ASSIGN_OR_RETURN(net::HttpResponse r, Send(get, net::Sha256Hex("")));
  if (r.status != 200) return ErrorFor(r, "reading " + std::string(key));
  return std::move(r.body);
}

Status S3Destination::Delete(std::string_view key) {
  LQ_RETURN_IF_ERROR(ValidateKey(key));
  net::HttpRequest del;
  del.method = "DELETE";
  del.url = ObjectUrl(key);
  LQ_ASSIGN_OR_RETURN(net::HttpResponse r, Send(del, net::Sha256Hex("")));
  if (r.status == 200 || r.status == 204 || r.status == 404) return Status::OK();
  return ErrorFor(r, "deleting " + std::string(key));
}

void RegisterS3Destination(DestinationRegistry* registry) {
  registry->Register({"s3", [](Env* env, const std::string& url) -> Result<std::unique_ptr<Destination>> {
                        LQ_ASSIGN_OR_RETURN(S3Location location, ParseS3Url(env, url));
                        LQ_ASSIGN_OR_RETURN(net::AwsCredentials credentials, net::LoadAwsCredentials(env));
                        return std::unique_ptr<Destination>(new S3Destination(
                            env, net::NewCurlHttpClient(env), std::move(location), std::move(credentials)));
                      }});
}

}  // namespace lq::sync

#include "net/sigv4.h"

#include "core/percent_encoding.h"
#include "core/strings.h"

#include "net/sha256.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>

namespace lq::net {
namespace {

// Trimmed, with runs of spaces inside folded to one (SigV4 "Trimall").
std::string TrimAll(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// Query parameters re-encoded the SigV4 way and sorted by name, then value.
std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    std::string name = PercentDecode(part.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : PercentDecode(part.substr(eq + 1));
    params.emplace_back(UriEncode(name, false), UriEncode(value, false));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

// The Host header value: the URL's authority without a default port.
std::string HostOf(const UrlParts& url) {
  std::string_view host = url.host;
  if (url.scheme == "http" && host.size() > 3 && host.substr(host.size() - 3) == ":80") host.remove_suffix(3);
  if (url.scheme == "https" && host.size() > 4 && host.substr(host.size() - 4) == ":443") host.remove_suffix(4);
  return std::string(host);
}

std::string AmzDate(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

void SetHeader(Headers* headers, const std::string& name, const std::string& value) {
  for (auto& [k, v] : *headers) {
    if (AsciiLower(k) == name) {
      v = value;
      return;
    }
  }
  headers->emplace_back(name, value);
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  Sha256 h;
  h.Update(data);
  Sha256::Digest d = h.Final();
  return HexLower(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

Result<std::string> Sha256HexOfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  Sha256 h;
  std::string buf(1 << 16, '\0');
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    h.Update(std::string_view(buf.data(), static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) return Status::IOError("error reading " + path);
  Sha256::Digest d = h.Final();
  return HexLower(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

Result<SigV4Parts> SigV4Compute(const HttpRequest& request, const AwsCredentials& credentials,
                                std::string_view region, std::string_view service, std::string_view amz_date,
                                std::string_view payload_sha256) {
  LQ_ASSIGN_OR_RETURN(UrlParts url, SplitUrl(request.url));
  std::map<std::string, std::string> canonical;  // sorted by lower-case name
  for (const auto& [name, value] : request.headers) {
    std::string key = AsciiLower(name);
    std::string v = TrimAll(value);
    auto [it, inserted] = canonical.emplace(key, v);
    if (!inserted) it->second += "," + v;
  }
  SigV4Parts parts;
  std::string header_block;
  for (const auto& [k, v] : canonical) {
    header_block += k + ":" + v + "\n";
    parts.signed_headers += (parts.signed_headers.empty() ? "" : ";") + k;
  }
  parts.canonical_request = request.method + "\n" + (url.path.empty() ? "/" : url.path) + "\n" +
                            CanonicalQuery(url.query) + "\n" + header_block + "\n" + parts.signed_headers +
                            "\n" + std::string(payload_sha256);
  std::string date(amz_date.substr(0, 8));
  std::string scope = date + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
  parts.string_to_sign =
      "AWS4-HMAC-SHA256\n" + std::string(amz_date) + "\n" + scope + "\n" + Sha256Hex(parts.canonical_request);
  std::string key = HmacSha256("AWS4" + credentials.secret_access_key, date);
  key = HmacSha256(key, region);
  key = HmacSha256(key, service);
  key = HmacSha256(key, "aws4_request");
  std::string sig = HmacSha256(key, parts.string_to_sign);
  parts.signature = HexLower(sig);
  return parts;
}

Status SignV4(HttpRequest* request, const AwsCredentials& credentials, std::string_view region,
              std::string_view service, int64_t unix_seconds, std::string_view payload_sha256) {
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Status::InvalidArgument("no AWS credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
  }
  LQ_ASSIGN_OR_RETURN(UrlParts url, SplitUrl(request->url));
  std::string amz_date = AmzDate(unix_seconds);
  // Drop any earlier signature: signing twice (a retry) must not sign the old one.
  std::erase_if(request->headers, [](const auto& h) { return AsciiLower(h.first) == "authorization"; });
  SetHeader(&request->headers, "host", HostOf(url));
  SetHeader(&request->headers, "x-amz-date", amz_date);
  SetHeader(&request->headers, "x-amz-content-sha256", std::string(payload_sha256));
  if (!credentials.session_token.empty()) {
    SetHeader(&request->headers, "x-amz-security-token", credentials.session_token);
  }
  LQ_ASSIGN_OR_RETURN(SigV4Parts parts,
                      SigV4Compute(*request, credentials, region, service, amz_date, payload_sha256));
  request->headers.emplace_back(
      "Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + amz_date.substr(0, 8) +
                           "/" + std::string(region) + "/" + std::string(service) +
                           "/aws4_request, SignedHeaders=" + parts.signed_headers + ", Signature=" + parts.signature);
  return Status::OK();
}

}  // namespace lq::net

#include "net/http.h"

#include <curl/curl.h>

#include <cstdio>
#include <mutex>

#include "core/strings.h"

namespace lq::net {
namespace {

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  static_cast<HttpResponse*>(user)->body.append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    response->headers.clear();  // a new response (after 100-continue or a redirect)
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string name(TrimSpace(line.substr(0, colon)));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    response->headers.emplace_back(std::move(name), std::string(TrimSpace(line.substr(colon + 1))));
  }
  return size * n;
}

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient(Env* env, CurlOptions options) : env_(env), options_(options) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    for (const char* var : {"CURL_CA_BUNDLE", "AWS_CA_BUNDLE", "SSL_CERT_FILE"}) {
      auto v = env_->GetEnvVar(var);
      if (v && !v->empty()) {
        ca_bundle_ = *v;
        break;
      }
    }
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    LQ_ASSIGN_OR_RETURN(UrlParts url, SplitUrl(request.url));
    if (url.scheme != "http" && url.scheme != "https") {
      return Status::InvalidArgument("not an http(s) URL: " + request.url);
    }
    CURL* curl = curl_easy_init();
    if (curl == nullptr) return Status::Internal("curl_easy_init failed");
    HttpResponse response;
    curl_slist* headers = nullptr;
    FILE* upload = nullptr;
    char error[CURL_ERROR_SIZE] = {0};
    // Plain HTTP never looks at CA settings; https uses the configured bundle.
    if (url.scheme == "https" && !ca_bundle_.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_bundle_.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.stall_timeout_ms / 1000));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "lq");
    bool has_content_type = false;
    for (const auto& [name, value] : request.headers) {
      if (EqualsIgnoreAsciiCase(name, "content-type")) has_content_type = true;
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
    }
    // curl adds these unless told not to; a signed request must not change under it.
    headers = curl_slist_append(headers, "Expect:");
    if (!has_content_type) headers = curl_slist_append(headers, "Content-Type:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

    Status status;
    if (!request.body_file.empty()) {
      upload = std::fopen(request.body_file.c_str(), "rb");
      if (upload == nullptr) status = Status::FromErrno(errno, request.body_file);
      auto info = env_->Stat(request.body_file);
      if (status.ok() && !info.ok()) status = info.status();
      if (status.ok()) {
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_READDATA, upload);
        curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(info->size));
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      }
    } else if (request.method == "GET") {
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    if (status.ok()) {
      CURLcode rc = curl_easy_perform(curl);
      if (rc != CURLE_OK) {
        std::string what = error[0] != '\0' ? error : curl_easy_strerror(rc);
        status = Status::Unavailable(request.method + " " + url.scheme + "://" + url.host + url.path + ": " + what);
      } else {
        long code = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
        response.status = static_cast<int>(code);
      }
    }
    if (upload != nullptr) std::fclose(upload);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (!status.ok()) return status;
    return response;
  }

 private:
  Env* env_;
  CurlOptions options_;
  std::string ca_bundle_;
};

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  const std::string* v = FindHeader(headers, name);
  return v == nullptr ? std::string() : *v;
}

const std::string* FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreAsciiCase(k, name)) return &v;
  }
  return nullptr;
}

std::unique_ptr<HttpClient> NewCurlHttpClient(Env* env, CurlOptions options) {
  return std::make_unique<CurlHttpClient>(env, options);
}

Result<UrlParts> SplitUrl(std::string_view url) {
  UrlParts parts;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    return Status::InvalidArgument("not a URL: " + std::string(url));
  }
  parts.scheme = std::string(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  size_t path_start = rest.find_first_of("/?");
  parts.host = std::string(rest.substr(0, path_start));
  if (parts.host.empty()) return Status::InvalidArgument("no host in URL: " + std::string(url));
  rest = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  size_t q = rest.find('?');
  parts.path = std::string(rest.substr(0, q));
  if (q != std::string_view::npos) parts.query = std::string(rest.substr(q + 1));
  if (parts.path.empty()) parts.path = "/";
  return parts;
}

std::string UriEncode(std::string_view s, bool keep_slash) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~' || (keep_slash && c == '/');
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace lq::net

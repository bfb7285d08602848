#include "net/http.h"

#include <curl/curl.h>
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/strings.h"

namespace lq::net {
namespace {

// libcurl is loaded with dlopen on first use instead of being linked, like libduckdb
// (store/database.cc): linking it makes every lq process map and relocate curl and its
// TLS/Kerberos/LDAP/IDN/SSH chain before main() (~12 ms of CPU here), though only the
// commands that talk to a server need it. curl.h is used for types and constants only.
// Members carry a _fn suffix: curl.h defines api.curl_easy_setopt_fn(a,b,c) as a macro.
#define LQ_CURL_FUNCTIONS(X) \
  X(curl_global_init)        \
  X(curl_easy_init)          \
  X(curl_easy_setopt)        \
  X(curl_easy_perform)       \
  X(curl_easy_getinfo)       \
  X(curl_easy_strerror)      \
  X(curl_easy_cleanup)       \
  X(curl_slist_append)       \
  X(curl_slist_free_all)

struct CurlApi {
#define LQ_DECLARE(name) decltype(&::name) name##_fn = nullptr;
  LQ_CURL_FUNCTIONS(LQ_DECLARE)
#undef LQ_DECLARE
  Status status;
};

// $LQ_CURL_LIBRARY when set (a path; tests name a missing one), else the soname (the ABI
// lq was built against), then the unversioned name a development install provides.
std::vector<std::string> CurlCandidates() {
  const char* env = std::getenv("LQ_CURL_LIBRARY");
  if (env != nullptr && *env != '\0') return {env};
  return {"libcurl.so.4", "libcurl.so"};
}

const CurlApi& Curl() {
  static const CurlApi* api = [] {
    auto* a = new CurlApi;
    void* handle = nullptr;
    std::string errors;
    for (const std::string& name : CurlCandidates()) {
      handle = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle != nullptr) break;
      const char* e = ::dlerror();
      errors += "; " + std::string(e != nullptr ? e : name);
    }
    if (handle == nullptr) {
      a->status = Status::Unavailable("cannot load libcurl (libcurl.so.4)" + errors +
                                      "; install it (Debian/Ubuntu: apt-get install libcurl4)");
      return a;
    }
#define LQ_RESOLVE(name)                                                                   \
    a->name##_fn = reinterpret_cast<decltype(&::name)>(::dlsym(handle, #name));            \
    if (a->name##_fn == nullptr && a->status.ok()) {                                       \
      a->status = Status::Unavailable("libcurl.so.4 lacks " #name "; reinstall libcurl4"); \
    }
    LQ_CURL_FUNCTIONS(LQ_RESOLVE)
#undef LQ_RESOLVE
    if (a->status.ok() && a->curl_global_init_fn(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      a->status = Status::Internal("curl_global_init failed");
    }
    return a;
  }();
  return *api;
}

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
    const CurlApi& api = Curl();
    if (!api.status.ok()) return api.status;
    CURL* curl = api.curl_easy_init_fn();
    if (curl == nullptr) return Status::Internal("curl_easy_init failed");
    HttpResponse response;
    curl_slist* headers = nullptr;
    FILE* upload = nullptr;
    char error[CURL_ERROR_SIZE] = {0};
    // Plain HTTP never looks at CA settings; https uses the configured bundle.
    if (url.scheme == "https" && !ca_bundle_.empty()) api.curl_easy_setopt_fn(curl, CURLOPT_CAINFO, ca_bundle_.c_str());
    api.curl_easy_setopt_fn(curl, CURLOPT_URL, request.url.c_str());
    api.curl_easy_setopt_fn(curl, CURLOPT_ERRORBUFFER, error);
    api.curl_easy_setopt_fn(curl, CURLOPT_NOSIGNAL, 1L);
    api.curl_easy_setopt_fn(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
    api.curl_easy_setopt_fn(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    api.curl_easy_setopt_fn(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.stall_timeout_ms / 1000));
    api.curl_easy_setopt_fn(curl, CURLOPT_WRITEFUNCTION, OnBody);
    api.curl_easy_setopt_fn(curl, CURLOPT_WRITEDATA, &response);
    api.curl_easy_setopt_fn(curl, CURLOPT_HEADERFUNCTION, OnHeader);
    api.curl_easy_setopt_fn(curl, CURLOPT_HEADERDATA, &response);
    api.curl_easy_setopt_fn(curl, CURLOPT_USERAGENT, "lq");
    bool has_content_type = false;
    for (const auto& [name, value] : request.headers) {
      if (EqualsIgnoreAsciiCase(name, "content-type")) has_content_type = true;
      headers = api.curl_slist_append_fn(headers, (name + ": " + value).c_str());
    }
    // curl adds these unless told not to; a signed request must not change under it.
    headers = api.curl_slist_append_fn(headers, "Expect:");
    if (!has_content_type) headers = api.curl_slist_append_fn(headers, "Content-Type:");
    api.curl_easy_setopt_fn(curl, CURLOPT_HTTPHEADER, headers);

    Status status;
    if (!request.body_file.empty()) {
      upload = std::fopen(request.body_file.c_str(), "rb");
      if (upload == nullptr) status = Status::FromErrno(errno, request.body_file);
      auto info = env_->Stat(request.body_file);
      if (status.ok() && !info.ok()) status = info.status();
      if (status.ok()) {
        api.curl_easy_setopt_fn(curl, CURLOPT_UPLOAD, 1L);
        api.curl_easy_setopt_fn(curl, CURLOPT_READDATA, upload);
        api.curl_easy_setopt_fn(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(info->size));
        api.curl_easy_setopt_fn(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      }
    } else if (request.method == "GET") {
      api.curl_easy_setopt_fn(curl, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
      api.curl_easy_setopt_fn(curl, CURLOPT_NOBODY, 1L);
    } else {
      api.curl_easy_setopt_fn(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      api.curl_easy_setopt_fn(curl, CURLOPT_POSTFIELDS, request.body.data());
      api.curl_easy_setopt_fn(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    if (status.ok()) {
      CURLcode rc = api.curl_easy_perform_fn(curl);
      if (rc != CURLE_OK) {
        std::string what = error[0] != '\0' ? error : api.curl_easy_strerror_fn(rc);
        status = Status::Unavailable(request.method + " " + url.scheme + "://" + url.host + url.path + ": " + what);
      } else {
        long code = 0;
        api.curl_easy_getinfo_fn(curl, CURLINFO_RESPONSE_CODE, &code);
        response.status = static_cast<int>(code);
      }
    }
    if (upload != nullptr) std::fclose(upload);
    api.curl_slist_free_all_fn(headers);
    api.curl_easy_cleanup_fn(curl);
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

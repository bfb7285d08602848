#include "core/project_identity.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/fnv.h"
#include "core/git_config.h"
#include "core/git_repo.h"
#include "core/percent_encoding.h"
#include "core/strings.h"

namespace lq {
namespace {

constexpr size_t kNpos = std::string_view::npos;
constexpr size_t kMaxSafeName = 120;
constexpr size_t kTruncatedPrefix = 103;  // + "~" + 16 hex digits = kMaxSafeName

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// RFC 3986 scheme characters after the first; git uses the same set for "<helper>::".
bool IsSchemeChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '+' || c == '.' || c == '-'; }

// Length of a leading "[A-Za-z][A-Za-z0-9+.-]*" followed by `separator`; 0 when absent.
size_t SchemeLength(std::string_view url, std::string_view separator) {
  if (url.empty() || !IsAlpha(url[0])) return 0;
  size_t n = 1;
  while (n < url.size() && IsSchemeChar(url[n])) ++n;
  return url.substr(n).starts_with(separator) ? n : 0;
}

std::string Join(const std::vector<std::string>& parts, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) out += "__";
    out += parts[i];
  }
  return out;
}

// ---- remote URLs ----

// Where a remote lives: its host (lower case, no user or port) and its path.
struct RemoteLocation {
  std::string host;
  std::string_view path;
};

// Local paths as git tells them apart from scp-like URLs (no ":" before the first slash),
// plus DOS drive letters ("C:\x", "C:/x"): git only sees those on Windows, but a remote
// copied from a Windows machine is far likelier than a one-letter ssh host alias.
bool IsLocalPath(std::string_view url) {
  size_t colon = url.find(':');
  size_t slash = url.find_first_of("/\\");
  if (colon == kNpos || (slash != kNpos && slash < colon)) return true;
  return colon == 1 && IsAlpha(url[0]);
}

// "[user@]host[:port]" (or "[user@][v6addr][:port]") -> lower-cased host; the port, when
// present, must be numeric.
Result<std::string> HostOf(std::string_view authority) {
  if (size_t at = authority.rfind('@'); at != kNpos) authority.remove_prefix(at + 1);
  size_t host_end = authority.find(':');
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == kNpos) return Status::InvalidArgument("remote URL has an unclosed '[' host");
    host_end = close + 1;
  }
  std::string_view host = authority.substr(0, host_end);
  std::string_view port = host_end < authority.size() ? authority.substr(host_end) : "";
  bool port_ok =
      port.empty() || (port[0] == ':' && port.find_first_not_of("0123456789", 1) == kNpos);
  if (host.empty() || !port_ok) {
    return Status::InvalidArgument("remote URL has no valid host[:port]");
  }
  return AsciiLower(host);
}

// "<scheme>://authority/path[?query][#fragment]".
Result<RemoteLocation> LocateSchemeUrl(std::string_view url, size_t scheme_len) {
  std::string_view rest = url.substr(scheme_len + 3);
  rest = rest.substr(0, rest.find_first_of("?#"));
  size_t slash = rest.find('/');
  LQ_ASSIGN_OR_RETURN(std::string host, HostOf(rest.substr(0, slash)));
  return RemoteLocation{std::move(host), slash == kNpos ? "" : rest.substr(slash)};
}

// "[user@]host:path", the colon being the first one outside a bracketed host.
Result<RemoteLocation> LocateScpUrl(std::string_view url) {
  size_t bracket = url.starts_with("[") ? 0 : url.find("@[");
  size_t close = bracket == kNpos ? kNpos : url.find(']', bracket);
  size_t colon = url.find(':', close == kNpos ? 0 : close);
  if (colon == kNpos) return Status::InvalidArgument("remote URL has no ':' after its host");
  std::string_view path = url.substr(colon + 1);
  // "user:secret@host/path" (a URL missing its scheme) would parse as host "user": refuse it
  // rather than carry the secret into a name.
  size_t at = path.find('@');
  if (at != kNpos && at < path.find('/')) {
    return Status::InvalidArgument("remote URL looks like credentials without a scheme");
  }
  LQ_ASSIGN_OR_RETURN(std::string host, HostOf(url.substr(0, colon)));
  return RemoteLocation{std::move(host), path};
}

// AWS's helper form "codecommit::<region>://[profile@]<repo>" names the same repository as
// https://git-codecommit.<region>.amazonaws.com/v1/repos/<repo>.
std::optional<std::string> CodeCommitAsHttps(std::string_view helper, std::string_view address) {
  size_t region_len = SchemeLength(address, "://");
  if (AsciiLower(helper) != "codecommit" || region_len == 0) return std::nullopt;
  std::string_view repo = address.substr(region_len + 3);
  if (size_t at = repo.rfind('@'); at != kNpos) repo.remove_prefix(at + 1);
  return "https://git-codecommit." + std::string(address.substr(0, region_len)) +
         ".amazonaws.com/v1/repos/" + std::string(repo);
}

// Splits `url` (trimmed) into host and path. `storage` keeps rewritten text alive.
Result<RemoteLocation> LocateRemote(std::string_view url, std::string* storage) {
  if (size_t helper_len = SchemeLength(url, "::")) {
    std::string_view address = url.substr(helper_len + 2);
    if (auto https = CodeCommitAsHttps(url.substr(0, helper_len), address)) {
      *storage = std::move(*https);
      address = *storage;
    }
    return LocateRemote(address, storage);
  }
  if (AsciiLower(url.substr(0, 5)) == "file:") return Status::NotFound("the remote is a file:// URL");
  if (size_t scheme_len = SchemeLength(url, "://")) return LocateSchemeUrl(url, scheme_len);
  if (IsLocalPath(url)) return Status::NotFound("the remote is a local path");
  return LocateScpUrl(url);
}

// The path's segments: empty and "." ones dropped, %XX decoded, lower-cased, and a
// trailing ".git" (suffix, or a whole last segment as in "repo/.git") removed.
std::vector<std::string> PathSegments(std::string_view path) {
  std::vector<std::string> segments;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view segment = path.substr(0, slash);
    if (!segment.empty() && segment != ".") segments.push_back(AsciiLower(PercentDecode(segment)));
    path = slash == kNpos ? "" : path.substr(slash + 1);
  }
  if (!segments.empty() && segments.back() == ".git") segments.pop_back();
  if (!segments.empty() && segments.back().size() > 4 && segments.back().ends_with(".git")) {
    segments.back().resize(segments.back().size() - 4);
  }
  return segments;
}

bool IsAzureSshHost(std::string_view host) {
  return host == "ssh.dev.azure.com" || host == "vs-ssh.visualstudio.com";
}

// "org" for "org.visualstudio.com" (the legacy Azure DevOps host), else "".
std::string VisualStudioOrg(std::string_view host) {
  constexpr std::string_view kSuffix = ".visualstudio.com";
  if (!host.ends_with(kSuffix) || IsAzureSshHost(host)) return "";
  std::string_view org = host.substr(0, host.size() - kSuffix.size());
  return org.find('.') == kNpos ? std::string(org) : "";
}

// ".../[DefaultCollection/]PROJ/_git/REPO" -> PROJ/REPO, with the organization in front
// when the host names it. The repository is the last segment.
void ApplyAzureGitRule(std::string_view host, std::vector<std::string>* segments) {
  size_t git = 0;
  while (git < segments->size() && (*segments)[git] != "_git") ++git;
  if (git + 1 >= segments->size()) return;
  std::vector<std::string> out(segments->begin(), segments->begin() + git);
  std::string org = VisualStudioOrg(host);
  if (!org.empty()) {
    if (!out.empty() && out[0] == "defaultcollection") out.erase(out.begin());
    out.insert(out.begin(), org);
  }
  bool azure = host == "dev.azure.com" || !org.empty();
  if (azure && out.size() == 1) out.push_back(segments->back());  // project named as its repo
  out.push_back(segments->back());
  *segments = std::move(out);
}

// Brings forge-specific paths to the plain "namespace.../project" shape (see the header).
void ApplyForgeRules(std::string_view host, std::vector<std::string>* segments) {
  std::vector<std::string>& s = *segments;
  auto drop_front = [&s](size_t n) {
    s.erase(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(n));
  };
  if (IsAzureSshHost(host) && !s.empty() && s[0] == "v3") drop_front(1);
  ApplyAzureGitRule(host, segments);
  if (host.starts_with("git-codecommit.") && s.size() == 3 && s[0] == "v1" && s[1] == "repos") {
    drop_front(2);
  }
  if (host.ends_with(".googlesource.com") && s.size() >= 2 && s[0] == "a") drop_front(1);
  if (host != "gitlab.com" && s.size() >= 3 && s[s.size() - 3] == "scm") {
    drop_front(s.size() - 2);
  }
}

// ---- the path rule and the repository ----

// Lexically normalized components of a path: no empty or "." ones, ".." applied.
std::vector<std::string> PathComponents(std::string_view path) {
  std::vector<std::string> parts;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.emplace_back(part);
    }
    path = slash == kNpos ? "" : path.substr(slash + 1);
  }
  return parts;
}

// "origin" if it has a url, else the first remote that has one.
std::optional<GitRemote> PickRemote(const std::vector<GitRemote>& remotes) {
  for (const auto& r : remotes) {
    if (r.name == "origin") return r;
  }
  if (remotes.empty()) return std::nullopt;
  return remotes.front();
}

// The remote chosen by the repository's config, insteadOf applied; nullopt when there is
// no repository, no config or no remote.
Result<std::optional<GitRemote>> FindRemote(Env* env, const std::string& abs_dir) {
  auto repo = FindGitRepo(env, abs_dir);
  if (!repo.ok()) {
    if (repo.status().IsNotFound()) return std::optional<GitRemote>();
    return repo.status();
  }
  std::string config_path = JoinPath(repo->common_dir, "config");
  auto text = env->ReadFile(config_path);
  if (!text.ok()) {
    if (text.status().IsNotFound()) return std::optional<GitRemote>();
    return text.status();
  }
  LQ_ASSIGN_OR_RETURN(GitConfig config, GitConfig::Parse(*text, config_path));
  std::optional<GitRemote> remote = PickRemote(config.Remotes());
  if (remote) remote->url = config.RewriteUrl(remote->url);
  return remote;
}

}  // namespace

std::string SafeName(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (name.empty()) return "_";
  bool only_dots = name.find_first_not_of('.') == kNpos;
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool keep = IsAlpha(c) || IsDigit(c) || c == '.' || c == '_' || c == '+' || c == '~' ||
                c == '@' || c == '-';
    if (c == '.' && (only_dots || (i > 0 && name[i - 1] == '.'))) keep = false;
    if (keep) {
      out.push_back(c);
    } else {
      auto byte = static_cast<unsigned char>(c);
      out += {'%', kHex[byte >> 4], kHex[byte & 15]};
    }
  }
  if (out.size() <= kMaxSafeName) return out;
  // Every '%' in `out` starts an escape: back off rather than cut one in two.
  size_t cut = kTruncatedPrefix;
  if (out[cut - 1] == '%') {
    cut -= 1;
  } else if (out[cut - 2] == '%') {
    cut -= 2;
  }
  return out.substr(0, cut) + "~" + Hex16(Fnv1a64(name));
}

bool IsSafeName(std::string_view name) {
  if (name.empty() || name.size() > kMaxSafeName) return false;
  if (name.find_first_not_of('.') == kNpos || name.find("..") != kNpos) return false;
  auto is_hex = [](char c) { return IsDigit(c) || (c >= 'A' && c <= 'F'); };
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '%') {
      if (i + 2 >= name.size() || !is_hex(name[i + 1]) || !is_hex(name[i + 2])) return false;
      i += 2;
      continue;
    }
    bool keep = IsAlpha(c) || IsDigit(c) || c == '.' || c == '_' || c == '+' || c == '~' ||
                c == '@' || c == '-';
    if (!keep) return false;
  }
  return true;
}

std::string SafeNameOf(std::string_view name) {
  return IsSafeName(name) ? std::string(name) : SafeName(name);
}

std::string RedactUrl(std::string_view url) {
  url = TrimSpace(url);
  if (size_t helper_len = SchemeLength(url, "::")) {
    return std::string(url.substr(0, helper_len + 2)) + RedactUrl(url.substr(helper_len + 2));
  }
  size_t scheme_len = SchemeLength(url, "://");
  if (scheme_len == 0) {
    // Scheme-less: only "user:secret@" before the first slash is credential-shaped.
    size_t colon = url.find(':');
    size_t at = url.find('@');
    if (colon < at && at < url.find('/')) return std::string(url.substr(at + 1));
    return std::string(url);
  }
  std::string_view rest = url.substr(scheme_len + 3);
  rest = rest.substr(0, rest.find_first_of("?#"));
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (size_t at = authority.rfind('@'); at != kNpos) authority.remove_prefix(at + 1);
  std::string_view path = slash == kNpos ? "" : rest.substr(slash);
  return std::string(url.substr(0, scheme_len + 3)) + std::string(authority) + std::string(path);
}

Result<ProjectIdentity> IdentityFromRemoteUrl(std::string_view raw_url) {
  std::string_view url = TrimSpace(raw_url);
  if (url.empty()) return Status::InvalidArgument("the remote URL is empty");
  std::string storage;
  LQ_ASSIGN_OR_RETURN(RemoteLocation where, LocateRemote(url, &storage));
  std::vector<std::string> segments = PathSegments(where.path);
  ApplyForgeRules(where.host, &segments);
  if (segments.empty()) return Status::InvalidArgument("the remote URL has no repository path");
  ProjectIdentity id;
  bool single = segments.size() == 1;
  id.namespace_ = SafeName(single ? where.host : Join(segments, 0, segments.size() - 1));
  id.project = SafeName(segments.back());
  id.source = "git-remote:";
  id.remote_url = RedactUrl(url);
  return id;
}

ProjectIdentity IdentityFromPath(std::string_view abs_dir) {
  std::vector<std::string> parts = PathComponents(abs_dir);
  ProjectIdentity id;
  id.source = "path";
  if (parts.empty()) {
    id.namespace_ = "root";
    id.project = SafeName("");
    return id;
  }
  id.namespace_ = parts.size() == 1 ? "root" : SafeName(Join(parts, 0, parts.size() - 1));
  id.project = SafeName(parts.back());
  return id;
}

Result<ProjectIdentity> DetectProjectIdentity(Env* env, const std::string& abs_dir) {
  auto remote = FindRemote(env, abs_dir);
  if (!remote.ok()) return remote.status().WithContext("detecting the project identity");
  if (remote->has_value()) {
    auto id = IdentityFromRemoteUrl((*remote)->url);
    if (id.ok()) {
      id->source = "git-remote:" + (*remote)->name;
      return id;
    }
  }
  return IdentityFromPath(abs_dir);
}

}  // namespace lq

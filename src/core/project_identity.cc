#include "core/project_identity.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "core/git_repo.h"

namespace lq {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

std::string JoinParts(const std::vector<std::string>& parts, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (!out.empty()) out += "__";
    out += SafeName(parts[i]);
  }
  return out;
}

// Host and path of a remote, credentials and port dropped. NotFound for local remotes.
struct HostPath {
  std::string host;
  std::string path;
};

Result<HostPath> SplitRemote(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) {
    std::string scheme = Lower(url.substr(0, scheme_end));
    if (scheme == "file") return Status::NotFound("file:// remote");
    std::string_view rest = url.substr(scheme_end + 3);
    size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    size_t at = authority.rfind('@');
    if (at != std::string_view::npos) authority.remove_prefix(at + 1);
    if (!authority.empty() && authority.front() == '[') {  // [ipv6]:port
      size_t close = authority.find(']');
      authority = authority.substr(0, close == std::string_view::npos ? authority.size() : close + 1);
    } else if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
      authority = authority.substr(0, colon);
    }
    path = path.substr(0, path.find_first_of("?#"));
    return HostPath{Lower(authority), std::string(path)};
  }
  // scp-like: [user@]host:path, the colon before any slash; otherwise a local path.
  size_t colon = url.find(':');
  size_t slash = url.find('/');
  if (colon == std::string_view::npos || (slash != std::string_view::npos && slash < colon) || colon == 1) {
    return Status::NotFound("local path remote");  // includes C:\x (colon == 1)
  }
  std::string_view host = url.substr(0, colon);
  size_t at = host.rfind('@');
  if (at != std::string_view::npos) host.remove_prefix(at + 1);
  return HostPath{Lower(host), std::string(url.substr(colon + 1))};
}

}  // namespace

std::string SafeName(std::string_view name) {
  static const char kHex[] = "0123456789ABCDEF";
  bool only_dots = !name.empty() && name.find_first_not_of('.') == std::string_view::npos;
  std::string out;
  for (unsigned char c : name) {
    bool keep = std::isalnum(c) || c == '_' || c == '+' || c == '~' || c == '@' || c == '-' ||
                (c == '.' && !only_dots);
    if (keep && c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  if (out.empty()) return "_";
  // ".." cannot survive: only-dot names are fully encoded, and any other name containing
  // ".." is a single component that is not a path step.
  if (out.size() > 120) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : name) {
      h ^= c;
      h *= 1099511628211ull;
    }
    std::string hash(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) hash[static_cast<size_t>(i)] = kHex[h & 15];
    std::transform(hash.begin(), hash.end(), hash.begin(), [](unsigned char c) { return std::tolower(c); });
    size_t cut = 103;
    while (cut > 0 && (out[cut - 1] == '%' || (cut > 1 && out[cut - 2] == '%'))) --cut;  // not mid-escape
    out = out.substr(0, cut) + "~" + hash;
  }
  return out;
}

std::string RedactUrl(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  std::string_view rest = url.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  path = path.substr(0, path.find_first_of("?#"));
  return std::string(url.substr(0, scheme_end + 3)) + std::string(authority) + std::string(path);
}

Result<ProjectIdentity> IdentityFromRemoteUrl(std::string_view raw_url) {
  std::string_view url = TrimView(raw_url);
  if (url.empty()) return Status::InvalidArgument("empty remote URL");
  LQ_ASSIGN_OR_RETURN(HostPath hp, SplitRemote(url));
  std::vector<std::string> parts = SplitPath(hp.path);
  if (!parts.empty()) {
    std::string& last = parts.back();
    if (last.size() > 4 && Lower(last.substr(last.size() - 4)) == ".git") last.resize(last.size() - 4);
  }
  for (auto& p : parts) p = Lower(p);
  // Azure DevOps: dev.azure.com/org/proj/_git/repo, org.visualstudio.com/[DefaultCollection/]proj/_git/repo,
  // ssh.dev.azure.com:v3/org/proj/repo, vs-ssh.visualstudio.com:v3/org/proj/repo.
  bool azure_ssh = (hp.host == "ssh.dev.azure.com" || hp.host == "vs-ssh.visualstudio.com") && !parts.empty() &&
                   parts[0] == "v3";
  if (azure_ssh) parts.erase(parts.begin());
  auto git = std::find(parts.begin(), parts.end(), "_git");
  if (git != parts.end()) {
    parts.erase(git);
    if (hp.host.size() > 17 && hp.host.ends_with(".visualstudio.com")) {
      std::string org = hp.host.substr(0, hp.host.size() - 17);
      if (!parts.empty() && parts[0] == "defaultcollection") parts.erase(parts.begin());
      parts.insert(parts.begin(), org);
    }
  }
  // Bitbucket Server: /scm/proj/repo.
  if (parts.size() >= 3 && parts[0] == "scm") parts.erase(parts.begin());
  if (parts.empty()) return Status::InvalidArgument("remote URL has no repository path: " + RedactUrl(url));
  ProjectIdentity id;
  id.project = SafeName(parts.back());
  id.namespace_ = parts.size() == 1 ? SafeName(hp.host.empty() ? "_" : hp.host) : JoinParts(parts, 0, parts.size() - 1);
  id.remote_url = RedactUrl(url);  // scp-like URLs carry only a user name ("git@"): kept
  return id;
}

ProjectIdentity IdentityFromPath(std::string_view abs_dir) {
  std::vector<std::string> parts = SplitPath(abs_dir);
  ProjectIdentity id;
  id.source = "path";
  if (parts.empty()) {
    id.namespace_ = "root";
    id.project = "_";
    return id;
  }
  id.project = SafeName(parts.back());
  id.namespace_ = parts.size() == 1 ? "root" : JoinParts(parts, 0, parts.size() - 1);
  return id;
}

std::vector<GitRemote> ParseGitRemotes(std::string_view text) {
  struct Rewrite {
    std::string base, prefix;
  };
  std::vector<GitRemote> remotes;
  std::vector<Rewrite> rewrites;
  std::string section, subsection;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = TrimView(text.substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      size_t close = line.find(']');
      std::string_view head = line.substr(1, close == std::string_view::npos ? line.size() - 1 : close - 1);
      size_t quote = head.find('"');
      section = Lower(TrimView(head.substr(0, quote)));
      subsection.clear();
      if (quote != std::string_view::npos) {
        std::string_view sub = head.substr(quote + 1);
        for (size_t i = 0; i < sub.size() && sub[i] != '"'; ++i) {
          if (sub[i] == '\\' && i + 1 < sub.size()) ++i;
          subsection.push_back(sub[i]);
        }
      } else if (size_t dot = section.find('.'); dot != std::string::npos) {  // [remote.origin]
        subsection = section.substr(dot + 1);
        section.resize(dot);
      }
      continue;
    }
    size_t eq = line.find('=');
    std::string key = Lower(TrimView(line.substr(0, eq)));
    std::string value;
    if (eq != std::string_view::npos) {
      std::string_view v = TrimView(line.substr(eq + 1));
      bool quoted = false;
      for (size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        if (c == '"') {
          quoted = !quoted;
        } else if (c == '\\' && i + 1 < v.size()) {
          char n = v[++i];
          value.push_back(n == 'n' ? '\n' : n == 't' ? '\t' : n);
        } else if (!quoted && (c == '#' || c == ';')) {
          break;
        } else {
          value.push_back(c);
        }
      }
      value = std::string(TrimView(value));
    }
    if (section == "remote" && key == "url" && !subsection.empty()) {
      auto it = std::find_if(remotes.begin(), remotes.end(), [&](const GitRemote& r) { return r.name == subsection; });
      if (it == remotes.end()) remotes.push_back({subsection, value});  // the first url of a remote is its fetch URL
    } else if (section == "url" && key == "insteadof" && !subsection.empty()) {
      rewrites.push_back({subsection, value});
    }
  }
  // git applies the longest matching insteadOf prefix.
  for (auto& r : remotes) {
    const Rewrite* best = nullptr;
    for (const auto& w : rewrites) {
      if (!w.prefix.empty() && r.url.rfind(w.prefix, 0) == 0 && (!best || w.prefix.size() > best->prefix.size())) best = &w;
    }
    if (best) r.url = best->base + r.url.substr(best->prefix.size());
  }
  return remotes;
}

Result<ProjectIdentity> DetectProjectIdentity(Env* env, const std::string& abs_dir) {
  auto repo = FindGitRepo(env, abs_dir);
  if (repo.ok()) {
    auto config = env->ReadFile(JoinPath(repo->common_dir, "config"));
    if (config.ok()) {
      std::vector<GitRemote> remotes = ParseGitRemotes(*config);
      auto origin = std::find_if(remotes.begin(), remotes.end(), [](const GitRemote& r) { return r.name == "origin"; });
      const GitRemote* chosen = origin != remotes.end() ? &*origin : remotes.empty() ? nullptr : &remotes.front();
      if (chosen) {
        auto id = IdentityFromRemoteUrl(chosen->url);
        if (id.ok()) {
          id->source = "git-remote:" + chosen->name;
          return id;
        }
      }
    }
  }
  return IdentityFromPath(abs_dir);
}

}  // namespace lq

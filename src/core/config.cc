#include "core/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <mutex>
#include <set>
#include <vector>

#include "core/project_identity.h"
#include "core/strings.h"

namespace lq {
namespace {

Status ParseError(const std::string& origin, const YAML::Mark& mark, const std::string& what) {
  std::string where = origin;
  if (mark.line >= 0) where += ":" + std::to_string(mark.line + 1);
  if (mark.column >= 0) where += ":" + std::to_string(mark.column + 1);
  return Status::Corruption(where + ": " + what);
}

Status ReadString(const YAML::Node& parent, const char* key, const std::string& origin,
                  std::string* out) {
  YAML::Node n = parent[key];
  if (!n || n.IsNull()) return Status::OK();
  if (!n.IsScalar()) return ParseError(origin, n.Mark(), std::string(key) + " must be a string");
  *out = n.Scalar();
  return Status::OK();
}

Status ReadBool(const YAML::Node& parent, const char* key, const std::string& origin, bool* out) {
  YAML::Node n = parent[key];
  if (!n || n.IsNull()) return Status::OK();
  std::string v = n.IsScalar() ? AsciiLower(n.Scalar()) : "";
  if (v == "true" || v == "yes" || v == "on") *out = true;
  else if (v == "false" || v == "no" || v == "off") *out = false;
  else return ParseError(origin, n.Mark(), std::string(key) + " must be true or false");
  return Status::OK();
}

std::mutex warning_mu;
std::function<void(const std::string&)>* warning_handler = nullptr;  // guarded by warning_mu

// Reports `message` through the handler, once per process: a command that loads the
// config several times warns once.
void WarnOnce(const std::string& message) {
  static std::set<std::string>* reported = new std::set<std::string>;
  std::lock_guard<std::mutex> lock(warning_mu);
  if (warning_handler == nullptr || !reported->insert(message).second) return;
  (*warning_handler)(message);
}

// A name as typed, printable on one line.
std::string Printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// namespace and project become partition values and object-key components (namespace=X/
// project=Y/): a hand edit must not add a level ("a/b"), a "=" or "..", or leave one empty.
// Appends "project.KEY 'was' -> 'is'" to *changes when the name had to change.
void MakeNameSafe(const char* key, std::string* name, std::string* changes) {
  std::string safe = SafeNameOf(*name);
  if (safe == *name) return;
  *changes += std::string(changes->empty() ? "" : ", ") + "project." + key + " '" + Printable(*name) + "' as '" +
              safe + "'";
  *name = std::move(safe);
}

Status Interpret(const YAML::Node& root, const std::string& origin, ProjectConfig* config) {
  if (!root || root.IsNull()) return Status::OK();
  if (!root.IsMap()) return ParseError(origin, root.Mark(), "expected a mapping at the top level");
  if (YAML::Node p = root["project"]; p && !p.IsNull()) {
    if (!p.IsMap()) return ParseError(origin, p.Mark(), "project must be a mapping");
    LQ_RETURN_IF_ERROR(ReadString(p, "namespace", origin, &config->namespace_));
    LQ_RETURN_IF_ERROR(ReadString(p, "project", origin, &config->project));
  }
  std::string changes;
  MakeNameSafe("namespace", &config->namespace_, &changes);
  MakeNameSafe("project", &config->project, &changes);
  if (!changes.empty()) {
    WarnOnce(origin + ": using " + changes + " (names must be safe in paths and keys, docs/identity.md); " +
             "write them so in the file to silence this");
  }
  if (YAML::Node s = root["sync"]; s && !s.IsNull()) {
    if (!s.IsMap()) return ParseError(origin, s.Mark(), "sync must be a mapping");
    LQ_RETURN_IF_ERROR(ReadString(s, "destination", origin, &config->sync.destination));
    LQ_RETURN_IF_ERROR(ReadBool(s, "auto", origin, &config->sync.auto_sync));
    LQ_RETURN_IF_ERROR(ReadBool(s, "include_raw", origin, &config->sync.include_raw));
    if (!config->sync.destination.empty()) {
      Status v = ValidateDestination(config->sync.destination);
      if (!v.ok()) return ParseError(origin, s["destination"].Mark(), v.message());
    }
  }
  if (YAML::Node c = root["commands"]; c && !c.IsNull()) {
    if (!c.IsMap()) return ParseError(origin, c.Mark(), "commands must be a mapping of name: command");
    for (const auto& kv : c) {
      if (!kv.second.IsScalar()) return ParseError(origin, kv.second.Mark(), "a command must be a string");
      config->commands[kv.first.as<std::string>()] = kv.second.Scalar();
    }
  }
  return Status::OK();
}

// A YAML scalar for `value`, quoted only when YAML would misread it.
std::string YamlScalar(std::string_view value) {
  YAML::Emitter e;
  e << std::string(value);
  return e.c_str();
}

size_t Indent(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

bool IsBlankOrComment(std::string_view line) {
  size_t i = Indent(line);
  return i == line.size() || line[i] == '#' || line[i] == '\r';
}

// True when `line` (after its indentation) starts with "key:".
bool StartsWithKey(std::string_view line, std::string_view key) {
  line.remove_prefix(Indent(line));
  return line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ':';
}

// The "  # comment" tail of a scalar line, if any (a '#' preceded by a space outside quotes).
std::string TrailingComment(std::string_view line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t')) {
      size_t start = i;
      while (start > 0 && (line[start - 1] == ' ' || line[start - 1] == '\t')) --start;
      return std::string(line.substr(start));
    }
  }
  return "";
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find('\n', i);
    if (j == std::string::npos) j = text.size();
    lines.push_back(text.substr(i, j - i));
    i = j + 1;
  }
  return lines;
}

}  // namespace

Result<ConfigFile> ConfigFile::Parse(std::string text, const std::string& origin) {
  ConfigFile file;
  file.text_ = std::move(text);
  file.origin_ = origin;
  try {
    YAML::Node root = YAML::Load(file.text_);
    LQ_RETURN_IF_ERROR(Interpret(root, origin, &file.config_));
  } catch (const YAML::Exception& e) {
    return ParseError(origin, e.mark, e.msg);
  }
  return file;
}

Result<ConfigFile> ConfigFile::Load(Env* env, const std::string& path) {
  LQ_ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
  return Parse(std::move(text), path);
}

std::string ConfigFile::Render(const ProjectConfig& c) {
  std::string out;
  out += "# lq project configuration (keys: docs/config.md).\n";
  out += "# Edit freely: lq changes only the lines of the keys it sets.\n";
  out += "project:\n";
  out += "  namespace: " + YamlScalar(c.namespace_) + "\n";
  out += "  project: " + YamlScalar(c.project) + "\n";
  out += "\n";
  out += "sync:\n";
  out += "  # Where `lq sync` pushes: a folder (~/.lq/projects/) or a bucket (s3://bucket/lq/).\n";
  out += "  # Never put credentials here; they come from the environment.\n";
  out += "  destination:" + (c.sync.destination.empty() ? std::string("") : " " + YamlScalar(c.sync.destination)) + "\n";
  out += "  auto: " + std::string(c.sync.auto_sync ? "true" : "false") + "  # sync after each run?\n";
  out += "  include_raw: " + std::string(c.sync.include_raw ? "true" : "false") +
         "  # sync .lq/raw/ as well?\n";
  return out;
}

Status ConfigFile::Set(std::string_view dotted_key, std::string_view value) {
  size_t dot = dotted_key.find('.');
  if (dot == std::string_view::npos || dotted_key.find('.', dot + 1) != std::string_view::npos) {
    return Status::InvalidArgument("config key must look like section.key: " + std::string(dotted_key));
  }
  std::string_view section = dotted_key.substr(0, dot), key = dotted_key.substr(dot + 1);
  std::string scalar = YamlScalar(value);
  std::vector<std::string> lines = SplitLines(text_);

  // Find the top-level "section:" line and the extent of its block.
  size_t sec = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (Indent(lines[i]) == 0 && StartsWithKey(lines[i], section)) {
      sec = i;
      break;
    }
  }
  if (sec == lines.size()) {
    if (!lines.empty() && !lines.back().empty()) lines.emplace_back();
    lines.push_back(std::string(section) + ":");
    lines.push_back("  " + std::string(key) + ": " + scalar);
  } else {
    size_t end = sec + 1;
    size_t child_indent = 2;
    bool found = false;
    for (; end < lines.size(); ++end) {
      if (IsBlankOrComment(lines[end])) continue;
      size_t indent = Indent(lines[end]);
      if (indent == 0) break;
      child_indent = indent;
      if (StartsWithKey(lines[end], key)) {
        std::string comment = TrailingComment(lines[end]);
        lines[end] = std::string(indent, ' ') + std::string(key) + ": " + scalar + comment;
        found = true;
        break;
      }
    }
    if (!found) {
      // Insert after the block's last non-blank line.
      size_t at = end;
      while (at > sec + 1 && IsBlankOrComment(lines[at - 1])) --at;
      lines.insert(lines.begin() + static_cast<long>(at),
                   std::string(child_indent, ' ') + std::string(key) + ": " + scalar);
    }
  }
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  LQ_ASSIGN_OR_RETURN(ConfigFile updated, Parse(std::move(text), origin_));
  *this = std::move(updated);
  return Status::OK();
}

Status ConfigFile::Save(Env* env, const std::string& path) const {
  return WriteFileAtomically(env, path, text_);
}

void SetConfigWarningHandler(std::function<void(const std::string&)> handler) {
  std::lock_guard<std::mutex> lock(warning_mu);
  delete warning_handler;
  warning_handler = handler ? new std::function<void(const std::string&)>(std::move(handler)) : nullptr;
}

Result<std::string> FindLqDir(Env* env, const std::string& start_dir) {
  std::string dir = start_dir;
  for (;;) {
    std::string candidate = JoinPath(dir, ".lq");
    if (FileExists(env, JoinPath(candidate, "config.yaml"))) return candidate;
    std::string parent(DirName(dir));
    if (parent == dir) break;
    dir = parent;
  }
  return Status::NotFound("not an lq project (no .lq/config.yaml in " + start_dir +
                          " or above); run 'lq init' in the project first");
}

Status ValidateDestination(std::string_view dest) {
  auto refuse = [&](const std::string& why) {
    return Status::InvalidArgument(
        "sync.destination must not contain credentials (" + why +
        "); keep the plain location in .lq/config.yaml and put secrets in the environment "
        "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AZURE_STORAGE_KEY, motherduck_token)");
  };
  size_t scheme = dest.find("://");
  if (scheme != std::string_view::npos) {
    std::string_view rest = dest.substr(scheme + 3);
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    size_t at = authority.rfind('@');
    if (at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos) {
      return refuse("user:password@ in the URL");
    }
  }
  size_t q = dest.find('?');
  if (q != std::string_view::npos) {
    std::string query = AsciiLower(dest.substr(q + 1));
    static const char* kSecretParams[] = {"x-amz-signature", "x-amz-credential", "x-amz-security-token",
                                          "sig=", "token", "secret", "password", "access_key",
                                          "accountkey", "sharedaccesssignature"};
    for (const char* p : kSecretParams) {
      if (query.find(p) != std::string::npos) return refuse(std::string("query parameter ") + p);
    }
  }
  std::string lower = AsciiLower(dest);
  if (lower.find("accountkey=") != std::string::npos || lower.find("motherduck_token") != std::string::npos) {
    return refuse("an embedded key or token");
  }
  return Status::OK();
}

}  // namespace lq

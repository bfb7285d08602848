#include "net/aws_config.h"

#include <map>

#include "core/paths.h"
#include "core/strings.h"

namespace lq::net {
namespace {

// key -> value of one [section] of an INI file; empty when the file or section is missing.
std::map<std::string, std::string> IniSection(Env* env, const std::string& path, const std::string& section) {
  std::map<std::string, std::string> out;
  auto text = env->ReadFile(path);
  if (!text.ok()) return out;
  std::string_view rest = *text;
  bool in_section = false;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = TrimSpace(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      in_section = TrimSpace(line.substr(1, line.size() - 2)) == section;
      continue;
    }
    size_t eq = line.find('=');
    if (!in_section || eq == std::string_view::npos) continue;
    out.emplace(std::string(TrimSpace(line.substr(0, eq))), std::string(TrimSpace(line.substr(eq + 1))));
  }
  return out;
}

std::string Profile(Env* env) {
  std::string p = EnvVarOrEmpty(env, "AWS_PROFILE");
  return p.empty() ? "default" : p;
}

std::string FileOr(Env* env, const char* var, const char* home_relative) {
  std::string path = EnvVarOrEmpty(env, var);
  if (!path.empty()) {
    auto expanded = ExpandUser(env, path);
    return expanded.ok() ? *expanded : path;
  }
  std::string home = EnvVarOrEmpty(env, "HOME");
  return home.empty() ? "" : home + "/" + home_relative;
}

std::map<std::string, std::string> ConfigSection(Env* env) {
  std::string profile = Profile(env);
  return IniSection(env, FileOr(env, "AWS_CONFIG_FILE", ".aws/config"),
                    profile == "default" ? "default" : "profile " + profile);
}

}  // namespace

Result<AwsCredentials> LoadAwsCredentials(Env* env) {
  AwsCredentials c{EnvVarOrEmpty(env, "AWS_ACCESS_KEY_ID"), EnvVarOrEmpty(env, "AWS_SECRET_ACCESS_KEY"), EnvVarOrEmpty(env, "AWS_SESSION_TOKEN")};
  if (!c.access_key_id.empty() && !c.secret_access_key.empty()) return c;
  std::string credentials_file = FileOr(env, "AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
  for (const auto& section :
       {IniSection(env, credentials_file, Profile(env)), ConfigSection(env)}) {
    auto key = section.find("aws_access_key_id");
    auto secret = section.find("aws_secret_access_key");
    if (key == section.end() || secret == section.end() || key->second.empty() || secret->second.empty()) continue;
    auto token = section.find("aws_session_token");
    return AwsCredentials{key->second, secret->second, token == section.end() ? "" : token->second};
  }
  return Status::InvalidArgument("no AWS credentials for profile '" + Profile(env) +
                                 "': set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add the profile to " +
                                 credentials_file + " (aws configure); lq never stores them");
}

std::string LoadAwsRegion(Env* env) {
  for (const char* var : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    std::string v = EnvVarOrEmpty(env, var);
    if (!v.empty()) return v;
  }
  auto section = ConfigSection(env);
  auto it = section.find("region");
  return it != section.end() && !it->second.empty() ? it->second : "us-east-1";
}

}  // namespace lq::net

// .lq/config.yaml: the project's identity and sync settings, in the seed's shape:
//
//   project:
//     namespace: teaguesterling
//     project: lq
//   sync:
//     destination: ~/.lq/projects/
//     auto: false
//     include_raw: false
//
// The file is the user's: edits through ConfigFile::Set change only the line of the key
// they set, so comments, ordering and unknown keys survive. The config never holds
// credentials; destinations carrying secrets are refused (ValidateDestination).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "core/env.h"

namespace lq {

struct SyncConfig {
  std::string destination;  // "" = not configured
  bool auto_sync = false;   // key "auto"
  bool include_raw = false;
};

struct ProjectConfig {
  // Both always SafeNames (core/project_identity.h), whatever the file says: a name that
  // is not one ("a/b", "c=d", "", "..") is read as SafeName(name), and the change is
  // reported through SetConfigWarningHandler. A missing key reads as "" and so as "_".
  std::string namespace_;  // key "namespace"
  std::string project;
  SyncConfig sync;
  // commands: {name: shell command} registered with `lq register NAME -- CMD...`,
  // run with `lq run NAME` (through /bin/sh -c).
  std::map<std::string, std::string> commands;
};

class ConfigFile {
 public:
  // Parses `text`; `origin` names the file in error messages ("path:line:col: what").
  static Result<ConfigFile> Parse(std::string text, const std::string& origin);
  static Result<ConfigFile> Load(Env* env, const std::string& path);
  // A new, commented file for `config`.
  static std::string Render(const ProjectConfig& config);

  const ProjectConfig& config() const { return config_; }
  const std::string& text() const { return text_; }

  // Sets "section.key" (e.g. "project.namespace", "sync.auto") to a scalar value,
  // editing only that line (or inserting it), then re-parses to validate.
  Status Set(std::string_view dotted_key, std::string_view value);
  // Writes the file atomically.
  Status Save(Env* env, const std::string& path) const;

 private:
  ConfigFile() = default;
  std::string text_;
  std::string origin_;
  ProjectConfig config_;
};

// Where ConfigFile reports what it changed while loading (an unsafe hand-edited name):
// one line per change, each at most once per process. Without a handler (the default)
// nothing is reported. The CLI prints them as warnings.
void SetConfigWarningHandler(std::function<void(const std::string&)> handler);

// The project's .lq directory: `start_dir`/.lq or the nearest parent's. NotFound with
// advice to run `lq init` when there is none.
Result<std::string> FindLqDir(Env* env, const std::string& start_dir);

// Refuses destinations that embed secrets (user:password@, signed-URL or SAS query
// parameters, tokens): credentials belong in the environment or the tool's credential
// chain, never in a file that may be committed. The message says what to do instead.
Status ValidateDestination(std::string_view destination);

}  // namespace lq

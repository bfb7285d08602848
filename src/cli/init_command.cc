// lq init: create .lq/ and record the project's identity (seed "Project Identification").
#include "cli/commands.h"
#include "core/config.h"
#include "core/device.h"
#include "core/paths.h"
#include "core/project_identity.h"

namespace lq::cli {
namespace {

struct InitOptions {
  std::string namespace_override;
  std::string project_override;
  bool force = false;
  bool dry_run = false;
  bool json = false;
};

// Ignores lq's local data inside .lq/ so the project's own .gitignore needs no change;
// config.yaml stays committable (it names the project, it holds no secrets).
constexpr const char* kLqGitignore =
    "# Written by lq init: run data stays local; config.yaml may be committed.\n"
    "*\n"
    "!.gitignore\n"
    "!config.yaml\n";

std::string Describe(const ProjectIdentity& id) {
  if (id.source == "path") return "from the directory path (no git remote)";
  if (id.source == "override") return "set with --namespace/--project";
  std::string remote = id.source.substr(id.source.find(':') + 1);
  return "from git remote " + remote + " (" + id.remote_url + ")";
}

nlohmann::json ToJson(const std::string& root, const ProjectConfig& c, const std::string& source,
                      const std::string& remote, const DeviceIdentity* device, const char* status) {
  nlohmann::json j = {{"status", status},
                      {"root", root},
                      {"config", JoinPath(root, ".lq/config.yaml")},
                      {"namespace", c.namespace_},
                      {"project", c.project},
                      {"source", source},
                      {"remote_url", remote}};
  if (device) j["device"] = {{"device_id", device->device_id}, {"name", device->name}};
  return j;
}

Status RunInit(Context& ctx, const InitOptions& opt) {
  Env* env = ctx.env;
  Output& out = *ctx.out;
  LQ_ASSIGN_OR_RETURN(std::string root, ctx.WorkingDir());
  std::string lq_dir = JoinPath(root, ".lq");
  std::string config_path = JoinPath(lq_dir, "config.yaml");
  bool exists = FileExists(env, config_path);

  if (exists && !opt.force) {
    LQ_ASSIGN_OR_RETURN(ConfigFile existing, ConfigFile::Load(env, config_path));
    const ProjectConfig& c = existing.config();
    if (opt.json) {
      out.Json(ToJson(root, c, "config", "", nullptr, "already-initialized"));
      return Status::OK();
    }
    out.Line("lq is already initialized in " + root + " (nothing changed)");
    out.KeyValues({{"namespace", c.namespace_}, {"project", c.project}, {"config", config_path}});
    if (!opt.namespace_override.empty() || !opt.project_override.empty()) {
      out.Info("To apply --namespace/--project to an initialized project, add --force.");
    } else {
      out.Info("To detect the identity again, run: lq init --force");
    }
    return Status::OK();
  }

  if (!exists && !opt.force) {
    // A .lq/ further up already tracks this directory: a second one here would split the
    // project's runs in two without anyone noticing.
    std::string parent(DirName(root));
    if (parent != root) {
      auto enclosing = FindLqDir(env, parent);
      if (enclosing.ok()) {
        return Status::AlreadyExists("already inside the project at " + std::string(DirName(*enclosing)) +
                                     " (its .lq/); use --force to start a separate project here");
      }
    }
  }

  ProjectIdentity id;
  if (opt.namespace_override.empty() || opt.project_override.empty()) {
    LQ_ASSIGN_OR_RETURN(id, DetectProjectIdentity(env, root));
  }
  if (!opt.namespace_override.empty() || !opt.project_override.empty()) {
    if (!opt.namespace_override.empty()) id.namespace_ = SafeName(opt.namespace_override);
    if (!opt.project_override.empty()) id.project = SafeName(opt.project_override);
    id.source = "override";
  }

  ProjectConfig config;
  config.namespace_ = id.namespace_;
  config.project = id.project;

  if (opt.dry_run) {
    if (opt.json) {
      out.Json(ToJson(root, config, id.source, id.remote_url, nullptr, "dry-run"));
      return Status::OK();
    }
    out.Line(std::string(exists ? "Would update " : "Would create ") + config_path +
             " (dry run, nothing written)");
    out.KeyValues({{"namespace", config.namespace_}, {"project", config.project}, {"detected", Describe(id)}});
    return Status::OK();
  }

  LQ_RETURN_IF_ERROR(CreateDirs(env, JoinPath(lq_dir, "logs")));
  LQ_RETURN_IF_ERROR(CreateDirs(env, JoinPath(lq_dir, "raw")));
  std::string ignore_path = JoinPath(lq_dir, ".gitignore");
  if (!FileExists(env, ignore_path)) LQ_RETURN_IF_ERROR(WriteFileAtomically(env, ignore_path, kLqGitignore));

  if (exists) {
    // --force: re-detect, editing only the identity lines so comments and other keys stay.
    LQ_ASSIGN_OR_RETURN(ConfigFile file, ConfigFile::Load(env, config_path));
    LQ_RETURN_IF_ERROR(file.Set("project.namespace", config.namespace_));
    LQ_RETURN_IF_ERROR(file.Set("project.project", config.project));
    LQ_RETURN_IF_ERROR(file.Save(env, config_path));
    config = file.config();
  } else {
    LQ_RETURN_IF_ERROR(WriteFileAtomically(env, config_path, ConfigFile::Render(config)));
  }

  LQ_ASSIGN_OR_RETURN(std::string home, LqHome(env));
  LQ_ASSIGN_OR_RETURN(DeviceIdentity device, LoadOrCreateDevice(env, home));

  const char* status = exists ? "updated" : "initialized";
  if (opt.json) {
    out.Json(ToJson(root, config, id.source, id.remote_url, &device, status));
    return Status::OK();
  }
  out.Line(std::string(exists ? "Updated " : "Initialized ") + "lq in " + lq_dir);
  out.KeyValues({{"namespace", out.Bold(config.namespace_)},
                 {"project", out.Bold(config.project)},
                 {"detected", Describe(id)},
                 {"device", device.name + " (" + device.device_id + ")"}});
  std::string gitignore = JoinPath(root, ".gitignore");
  auto text = env->ReadFile(gitignore);
  if (!text.ok() || text->find(".lq") == std::string::npos) {
    out.Info("Note: .lq/.gitignore keeps run data (logs/, raw/) out of git; commit .lq/config.yaml "
             "to share the project identity, or add '.lq/' to .gitignore to keep it private.");
  }
  return Status::OK();
}

}  // namespace

void AddInitCommand(CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<InitOptions>();
  CLI::App* cmd = app.add_subcommand("init", "Start tracking this project: create .lq/ and detect its identity");
  cmd->footer(
      "The identity (namespace/project) comes from the git remote 'origin' (else the first\n"
      "remote), read from .git/config without the git binary; without a remote, from the\n"
      "directory path (/home/me/src/app -> namespace home__me__src, project app).\n"
      "Names are made safe for paths and object keys (docs/identity.md).\n"
      "Inside another project (a parent directory has .lq/), init refuses unless --force.\n\n"
      "Examples:\n"
      "  lq init\n"
      "  lq init --namespace acme --project api\n"
      "  lq init --force --dry-run     show what re-detection would change");
  cmd->add_option("--namespace", opt->namespace_override, "Use this namespace instead of detecting it");
  cmd->add_option("--project", opt->project_override, "Use this project name instead of detecting it");
  cmd->add_flag("-f,--force", opt->force, "Re-detect (or apply overrides) in an initialized project");
  cmd->add_flag("--dry-run", opt->dry_run, "Show what would be written, write nothing");
  cmd->add_flag("--json", opt->json, "Print the result as JSON");
  cmd->callback([&ctx, opt] { ctx.action = [&ctx, opt] { return RunInit(ctx, *opt); }; });
}

}  // namespace lq::cli

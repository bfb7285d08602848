// lq sync: push this project's runs to the central store (seed phase 2).
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>

#include "cli/flag_checks.h"
#include "cli/project_sync.h"
#include "core/config.h"
#include "core/device.h"
#include "core/paths.h"
#include "core/project_identity.h"
#include "logs/run_spool.h"
#include "store/run_store.h"
#include "sync/local/local_destination.h"
#include "net/aws_config.h"
#include "sync/s3/s3_destination.h"
#include "sync/project_collection.h"

namespace lq::cli {
namespace {

std::string HumanBytes(uint64_t b) {
  char buf[32];
  if (b >= (1u << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(b) / (1u << 30));
  else if (b >= (1u << 20)) std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(b) / (1u << 20));
  else if (b >= 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(b) / 1024);
  else std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(b));
  return buf;
}

nlohmann::json OutcomeJson(const ProjectSyncOutcome& o, bool dry_run) {
  nlohmann::json j = {{"destination", o.destination},
                      {"prefix", o.prefix},
                      {"dry_run", dry_run},
                      {"planned", o.plan.copy.size()},
                      {"copied", o.result.copied},
                      {"skipped", o.plan.skipped},
                      {"adopted", o.plan.adopt.size()},
                      {"deleted", o.result.deleted},
                      {"failed", o.result.failed},
                      {"bytes", dry_run ? o.plan.bytes : o.result.bytes}};
  if (dry_run) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& f : o.plan.copy) files.push_back(f.key);
    j["would_copy"] = files;
    j["would_delete"] = o.plan.remove;
  }
  if (o.linked) j["linked"] = true;
  if (!o.result.first_error.empty()) j["error"] = o.result.first_error;
  return j;
}

// Takes the (destination, project) lock, waiting at most `wait_micros` (< 0: forever).
Status WaitForLock(Env* env, int fd, int64_t wait_micros) {
  if (wait_micros < 0) {
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno != EINTR) return Status::FromErrno(errno, "lock");
    }
    return Status::OK();
  }
  int64_t deadline = env->NowMicros() + wait_micros;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) return Status::FromErrno(errno, "lock");
    if (env->NowMicros() >= deadline) {
      return Status::Unavailable("another lq sync of this project to this destination is still running");
    }
    env->SleepForMicros(20'000);
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<sync::Destination>> OpenDestination(Context& ctx, const std::string& destination,
                                                           const std::string& project_root) {
  LQ_RETURN_IF_ERROR(ValidateDestination(destination));
  if (destination.rfind("s3://", 0) == 0) {
    LQ_ASSIGN_OR_RETURN(sync::S3Location location, sync::ParseS3Url(ctx.env, destination));
    LQ_ASSIGN_OR_RETURN(net::AwsCredentials credentials, net::LoadAwsCredentials(ctx.env));
    return std::unique_ptr<sync::Destination>(new sync::S3Destination(
        ctx.env, net::NewCurlHttpClient(ctx.env), std::move(location), std::move(credentials)));
  }
  size_t scheme = destination.find("://");
  if (scheme != std::string::npos || destination.rfind("md:", 0) == 0) {
    return Status::InvalidArgument("destination '" + RedactUrl(destination) +
                                   "' is not supported yet; use a folder (e.g. ~/.lq/projects/)");
  }
  LQ_ASSIGN_OR_RETURN(std::string root, AbsolutePath(ctx.env, destination));
  if (PathIsWithin(root, project_root) || PathIsWithin(project_root, root)) {
    return Status::InvalidArgument("the sync destination " + root +
                                   " overlaps the project itself; choose a folder outside it");
  }
  return std::unique_ptr<sync::Destination>(new sync::LocalDestination(ctx.env, root));
}

Result<ProjectSyncOutcome> SyncProject(Context& ctx, const ProjectSyncRequest& req) {
  Env* env = ctx.env;
  LQ_ASSIGN_OR_RETURN(std::string cwd, ctx.WorkingDir());
  LQ_ASSIGN_OR_RETURN(std::string lq_dir, FindLqDir(env, cwd));
  std::string project_root(DirName(lq_dir));
  LQ_ASSIGN_OR_RETURN(ConfigFile config, ConfigFile::Load(env, JoinPath(lq_dir, "config.yaml")));
  std::string destination = req.destination.empty() ? config.config().sync.destination : req.destination;
  if (destination.empty()) {
    return Status::InvalidArgument("no destination: run 'lq sync ~/.lq/projects/' or set sync.destination in " +
                                   JoinPath(lq_dir, "config.yaml"));
  }
  if (req.mode != "copy" && req.mode != "symlink") return Status::InvalidArgument("--mode is copy or symlink");
  LQ_ASSIGN_OR_RETURN(auto dest, OpenDestination(ctx, destination, project_root));
  LQ_RETURN_IF_ERROR(dest->Check());

  ProjectSyncOutcome out;
  out.destination = dest->Describe();
  out.prefix = sync::ProjectPrefix(config.config().namespace_, config.config().project, SafeName(DataHostName(env)));

  if (req.mode == "symlink") {
    if (!dest->capabilities().symlinks) {
      return Status::InvalidArgument("--mode symlink needs a local folder; " + out.destination +
                                     " takes copies (--mode copy)");
    }
    out.linked = true;
    if (!req.dry_run) {
      std::string key = out.prefix.substr(0, out.prefix.size() - 1);
      LQ_RETURN_IF_ERROR(dest->Link(key, JoinPath(lq_dir, "logs")));
    }
    return out;
  }

  // Runs still in the spool become Parquet first, so they travel too.
  if (!logs::ListSpooledRuns(env, lq_dir).empty()) store::FinalizeSpooledRuns(env, lq_dir);

  LQ_ASSIGN_OR_RETURN(std::string home, LqHome(env));
  std::string manifest_path = sync::ManifestPath(home, dest->Describe(), out.prefix);
  LQ_RETURN_IF_ERROR(CreateDirs(env, std::string(DirName(manifest_path))));
  // One sync per (destination, project) at a time; others wait their turn.
  std::string lock_path = manifest_path + ".lock";
  int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0) return Status::FromErrno(errno, lock_path);
  struct Unlock {
    int fd;
    ~Unlock() { ::close(fd); }
  } unlock{lock_fd};
  if (!req.dry_run) LQ_RETURN_IF_ERROR(WaitForLock(env, lock_fd, req.lock_wait_micros));

  LQ_ASSIGN_OR_RETURN(sync::Manifest manifest, sync::Manifest::Load(env, manifest_path));
  // A store wiped or replaced since the last sync has lost its marker: what the manifest
  // says was synced is then not there any more.
  LQ_ASSIGN_OR_RETURN(bool marked, sync::HasPrefixMarker(dest.get(), out.prefix));
  if (!marked) manifest.Clear();
  // --force looks at every file; otherwise settled folders are taken from the manifest.
  sync::LocalTree local = sync::ProjectLogFiles(env, lq_dir, out.prefix, config.config().sync.include_raw,
                                                req.force ? nullptr : &manifest);
  sync::SyncOptions opts;
  opts.force = req.force;
  opts.delete_extra = req.delete_extra;
  opts.parallelism = req.transfers;
  if (req.progress) {
    opts.progress = [&ctx](size_t done, size_t total, uint64_t bytes) {
      std::fprintf(stderr, "\rlq sync: %zu/%zu files, %s   ", done, total, HumanBytes(bytes).c_str());
      if (done == total) std::fputc('\n', stderr);
      (void)ctx;
    };
  }
  LQ_ASSIGN_OR_RETURN(out.plan, sync::PlanSync(local.files, manifest, dest.get(), out.prefix, opts));
  if (req.dry_run) return out;
  if (out.plan.copy.empty() && out.plan.adopt.empty() && out.plan.remove.empty()) {
    // Nothing to copy: the manifest only learns which folders have settled since.
    out.result.skipped = out.plan.skipped;
    LQ_RETURN_IF_ERROR(sync::RecordSettledFolders(local, &manifest, env->NowMicros()));
    return out;  // (an unmarked store with local runs never gets here: they are all unknown)
  }
  // A marker that lives while a sync applies: if the previous sync died (kill -9, power
  // loss), this one first removes what its interrupted puts left behind.
  std::string marker = manifest_path + ".applying";
  if (FileExists(env, marker)) LQ_RETURN_IF_ERROR(dest->RemoveTemporaries(out.prefix));
  LQ_RETURN_IF_ERROR(WriteFileAtomically(env, marker, ""));
  out.result = sync::ApplySync(out.plan, dest.get(), &manifest, opts);
  LQ_RETURN_IF_ERROR(sync::RecordSettledFolders(local, &manifest, env->NowMicros()));
  LQ_RETURN_IF_ERROR(manifest.Compact());
  if (!marked && out.result.failed == 0) {
    LQ_RETURN_IF_ERROR(sync::PutPrefixMarker(env, dest.get(), out.prefix, manifest_path + ".marker"));
  }
  env->RemoveFile(marker);
  return out;
}

void AddSyncCommand(CLI::App& app, Context& ctx) {
  auto req = std::make_shared<ProjectSyncRequest>();
  auto json = std::make_shared<bool>(false);
  auto status = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("sync", "Push this project's runs to the central store");
  cmd->footer(
      "The destination is sync.destination from .lq/config.yaml, or the argument.\n"
      "Layout: DEST/namespace=X/project=Y/hostname=H/date=D/source=S/NNN_name_HHMMSS.parquet\n"
      "Copy mode copies only new or changed files (a manifest in LQ_HOME remembers what was\n"
      "synced); symlink mode links DEST/.../hostname=H to this project's .lq/logs.\n"
      "Deletions are never mirrored unless --delete is given.\n"
      "S3: credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the AWS_PROFILE in\n"
      "~/.aws/credentials, as the aws cli; AWS_ENDPOINT_URL(_S3) for S3-compatible stores.\n"
      "Credentials never go into .lq/config.yaml.\n\n"
      "Examples:\n"
      "  lq sync ~/.lq/projects/\n"      "  lq sync s3://my-bucket/lq/\n"
      "  lq sync --dry-run --json\n"
      "  lq sync --status\n"
      "  lq query --include-synced \"SELECT hostname, count(*) FROM lq_events GROUP BY ALL\"");
  cmd->add_option("DEST", req->destination, "A folder or s3://bucket/prefix/ (default: sync.destination)");
  cmd->add_flag("--dry-run", req->dry_run, "Show what would be copied, copy nothing");
  cmd->add_option("--mode", req->mode, "copy (default) or symlink")->check(CLI::IsMember({"copy", "symlink"}));
  cmd->add_flag("--status", *status, "What is synced and what is pending (writes nothing)");
  cmd->add_flag("-f,--force", req->force, "Copy everything again");
  cmd->add_flag("--delete", req->delete_extra, "Delete synced files whose local run was pruned");
  cmd->add_flag("-P,--progress", req->progress, "Show progress");
  cmd->add_option("--transfers", req->transfers, "Files copied at once (default 16)")->check(WholeNumber(1, 256));
  cmd->add_flag("--json", *json, "Print a JSON summary");
  cmd->callback([&ctx, req, json, status] {
    ctx.action = [&ctx, req, json, status]() -> Status {
      ProjectSyncRequest r = *req;
      if (*status) r.dry_run = true;
      LQ_ASSIGN_OR_RETURN(ProjectSyncOutcome o, SyncProject(ctx, r));
      if (*json) {
        nlohmann::json j = OutcomeJson(o, r.dry_run);
        if (*status) j["synced"] = o.plan.skipped + o.plan.adopt.size(), j["pending"] = o.plan.copy.size();
        ctx.out->Json(j);
      } else if (o.linked) {
        ctx.out->Line(std::string(r.dry_run ? "Would link " : "Linked ") + o.destination + "/" + o.prefix +
                      " -> this project's .lq/logs");
      } else if (*status) {
        ctx.out->Line(o.destination + "/" + o.prefix);
        ctx.out->KeyValues({{"synced", std::to_string(o.plan.skipped + o.plan.adopt.size()) + " files"},
                            {"pending", std::to_string(o.plan.copy.size()) + " files (" + HumanBytes(o.plan.bytes) + ")"}});
      } else if (r.dry_run) {
        for (const auto& f : o.plan.copy) ctx.out->Line("would copy  " + f.key);
        for (const auto& k : o.plan.remove) ctx.out->Line("would delete  " + k);
        ctx.out->Info("Dry run: " + std::to_string(o.plan.copy.size()) + " to copy (" + HumanBytes(o.plan.bytes) +
                      "), " + std::to_string(o.plan.skipped) + " already synced, nothing written.");
      } else {
        ctx.out->Info("Synced to " + o.destination + ": " + std::to_string(o.result.copied) + " copied (" +
                      HumanBytes(o.result.bytes) + "), " + std::to_string(o.plan.skipped + o.plan.adopt.size()) +
                      " already there" + (o.result.deleted ? ", " + std::to_string(o.result.deleted) + " deleted" : "") +
                      (o.result.failed ? ", " + std::to_string(o.result.failed) + " failed" : ""));
      }
      if (o.result.failed > 0) {
        return Status::IOError(std::to_string(o.result.failed) + " file(s) failed to sync; first: " +
                               o.result.first_error + "; run lq sync again to retry");
      }
      return Status::OK();
    };
  });
}

}  // namespace lq::cli

// lq sync: push this project's runs to the central store (seed phase 2). This file parses
// arguments and prints; the session (lock, manifest, plan, apply) is sync/session.h and
// the destination comes from the registry (sync/registry.h).
#include <cstdio>

#include "cli/flag_checks.h"
#include "cli/project_sync.h"
#include "core/config.h"
#include "core/device.h"
#include "core/paths.h"
#include "core/project_identity.h"
#include "logs/run_spool.h"
#include "store/run_store.h"
#include "sync/all/all_destinations.h"
#include "sync/project_collection.h"
#include "sync/session.h"

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

}  // namespace

Result<std::unique_ptr<sync::Destination>> OpenDestination(Context& ctx, const std::string& destination) {
  return sync::AllDestinations().Open(ctx.env, destination);
}

Result<ProjectSyncOutcome> SyncProject(Context& ctx, const ProjectSyncRequest& req) {
  Env* env = ctx.env;
  LQ_ASSIGN_OR_RETURN(std::string cwd, ctx.WorkingDir());
  LQ_ASSIGN_OR_RETURN(std::string lq_dir, FindLqDir(env, cwd));
  LQ_ASSIGN_OR_RETURN(ConfigFile config, ConfigFile::Load(env, JoinPath(lq_dir, "config.yaml")));
  std::string destination = req.destination.empty() ? config.config().sync.destination : req.destination;
  if (destination.empty()) {
    return Status::InvalidArgument("no destination: run 'lq sync ~/.lq/projects/' or set sync.destination in " +
                                   JoinPath(lq_dir, "config.yaml"));
  }
  if (req.mode != "copy" && req.mode != "symlink") return Status::InvalidArgument("--mode is copy or symlink");
  LQ_ASSIGN_OR_RETURN(auto dest, OpenDestination(ctx, destination));
  sync::ProjectCollection runs(lq_dir,
                               sync::ProjectPrefix(config.config().namespace_, config.config().project,
                                                   SafeName(DataHostName(env))),
                               config.config().sync.include_raw);

  ProjectSyncOutcome out;
  if (req.mode == "symlink") {
    LQ_RETURN_IF_ERROR(sync::CheckDestinationOutside(*dest, runs.source_root()));
    LQ_RETURN_IF_ERROR(dest->Check());
    out.destination = dest->Describe();
    out.prefix = runs.prefix();
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
  sync::SessionOptions opts;
  LQ_ASSIGN_OR_RETURN(opts.state_dir, LqHome(env));
  opts.dry_run = req.dry_run;
  opts.force = req.force;
  opts.delete_extra = req.delete_extra;
  opts.parallelism = req.transfers;
  opts.lock_wait_micros = req.lock_wait_micros;
  if (req.progress) {
    opts.progress = [](size_t done, size_t total, uint64_t bytes) {
      std::fprintf(stderr, "\rlq sync: %zu/%zu files, %s   ", done, total, HumanBytes(bytes).c_str());
      if (done == total) std::fputc('\n', stderr);
    };
  }
  LQ_ASSIGN_OR_RETURN(sync::SessionOutcome session, sync::RunSync(env, dest.get(), &runs, opts));
  out.destination = std::move(session.destination);
  out.prefix = std::move(session.prefix);
  out.plan = std::move(session.plan);
  out.result = std::move(session.result);
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

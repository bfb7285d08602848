#include "sync/session.h"

#include "core/fnv.h"
#include "core/paths.h"

namespace lq::sync {

std::string ManifestPath(const std::string& state_dir, const std::string& destination, const std::string& prefix) {
  return JoinPath(JoinPath(state_dir, "sync"), Hex16(Fnv1a64(destination + "\n" + prefix)) + ".manifest");
}

namespace {

// Mutable files are compared by content: hash each one (they are few and small, e.g. a
// device's daily usage). An unreadable file keeps hash 0, which never matches.
void HashContents(Env* env, std::vector<LocalFile>* files) {
  for (LocalFile& f : *files) {
    auto data = env->ReadFile(f.path);
    if (!data.ok()) continue;
    f.content_hash = Fnv1a64(*data);
    if (f.content_hash == 0) f.content_hash = 1;  // 0 means "not recorded"
    f.size = data->size();
  }
}

}  // namespace

Status CheckDestinationOutside(const Destination& dest, const std::string& source_root) {
  std::string root = dest.local_root();
  if (!root.empty() && !source_root.empty() && (PathIsWithin(root, source_root) || PathIsWithin(source_root, root))) {
    return Status::InvalidArgument("the sync destination " + root + " overlaps the project itself (" + source_root +
                                   "); choose a folder outside it");
  }
  return Status::OK();
}

Result<SessionOutcome> RunSync(Env* env, Destination* dest, Collection* collection, const SessionOptions& options) {
  SessionOutcome out;
  out.destination = dest->Describe();
  out.prefix = collection->prefix();
  LQ_RETURN_IF_ERROR(CheckDestinationOutside(*dest, collection->source_root()));
  LQ_RETURN_IF_ERROR(dest->Check());

  std::string manifest_path = ManifestPath(options.state_dir, out.destination, out.prefix);
  LQ_RETURN_IF_ERROR(CreateDirs(env, std::string(DirName(manifest_path))));
  // One session per (destination, prefix) at a time; others wait their turn.
  std::unique_ptr<FileLock> lock;
  if (!options.dry_run) {
    auto locked = env->LockFile(manifest_path + ".lock", options.lock_wait_micros, /*create_if_missing=*/true);
    if (!locked.ok() && locked.status().IsUnavailable()) {
      return Status::Unavailable("another lq sync of " + out.prefix + " to " + out.destination + " is still running");
    }
    LQ_ASSIGN_OR_RETURN(lock, std::move(locked));
  }

  LQ_ASSIGN_OR_RETURN(Manifest manifest, Manifest::Load(env, manifest_path));
  // A store wiped or replaced since the last sync has lost its marker: what the manifest
  // says was synced is then not there any more.
  LQ_ASSIGN_OR_RETURN(bool marked, HasPrefixMarker(dest, out.prefix));
  if (!marked) manifest.Clear();
  const bool immutable = collection->immutable();
  // --force looks at every file; otherwise settled folders are taken from the manifest.
  LocalTree local = collection->List(env, immutable && !options.force ? &manifest : nullptr);
  if (!immutable) HashContents(env, &local.files);

  SyncOptions opts;
  opts.force = options.force;
  opts.delete_extra = options.delete_extra;
  opts.immutable = immutable;
  opts.parallelism = options.parallelism;
  opts.progress = options.progress;
  LQ_ASSIGN_OR_RETURN(out.plan, PlanSync(local.files, manifest, dest, out.prefix, opts));
  if (options.dry_run) return out;
  auto record_settled = [&] {
    return immutable ? RecordSettledFolders(local, &manifest, env->NowMicros()) : Status::OK();
  };
  if (out.plan.copy.empty() && out.plan.adopt.empty() && out.plan.remove.empty()) {
    // Nothing to copy: the manifest only learns which folders have settled since.
    out.result.skipped = out.plan.skipped;
    LQ_RETURN_IF_ERROR(record_settled());
    return out;  // (an unmarked store with local files never gets here: they are all unknown)
  }
  // A marker that lives while a session applies: if the previous one died (kill -9,
  // power loss), this one first removes what its interrupted puts left behind.
  std::string applying = manifest_path + ".applying";
  if (FileExists(env, applying)) LQ_RETURN_IF_ERROR(dest->RemoveTemporaries(out.prefix));
  LQ_RETURN_IF_ERROR(WriteFileAtomically(env, applying, ""));
  out.result = ApplySync(out.plan, dest, &manifest, opts);
  LQ_RETURN_IF_ERROR(record_settled());
  LQ_RETURN_IF_ERROR(manifest.Compact());
  if (!marked && out.result.failed == 0) {
    LQ_RETURN_IF_ERROR(PutPrefixMarker(env, dest, out.prefix, manifest_path + ".marker"));
  }
  env->RemoveFile(applying);
  return out;
}

}  // namespace lq::sync

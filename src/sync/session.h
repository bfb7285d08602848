// A sync session: everything one `lq sync` does after the arguments are parsed, for any
// collection and any destination — lock, manifest, wiped-store marker, temporaries of
// an interrupted sync, plan, apply, settled folders, compaction. `lq sync`, sync.auto
// and the usage sync call it; none of them repeats it.
//
// State lives under `state_dir` (LQ_HOME): sync/<id>.manifest for (destination,
// prefix), its .lock (one session per manifest at a time), its .applying marker (set
// while a session applies: the next one first removes what an interrupted put left)
// and a scratch file for the prefix marker. Everything goes through Env, so
// FaultInjectionEnv crashes it at any write (session_test.cc).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/env.h"
#include "sync/collection.h"
#include "sync/destination.h"
#include "sync/sync_engine.h"

namespace lq::sync {

struct SessionOptions {
  std::string state_dir;  // LQ_HOME: where manifests and locks live
  bool dry_run = false;   // plan only; writes nothing and takes no lock
  bool force = false;
  bool delete_extra = false;
  int parallelism = 16;
  // How long to wait for another session on the same manifest (< 0: as long as it takes).
  int64_t lock_wait_micros = -1;
  std::function<void(size_t, size_t, uint64_t)> progress;  // see SyncOptions::progress
};

struct SessionOutcome {
  std::string destination;  // Destination::Describe()
  std::string prefix;
  SyncPlan plan;
  SyncResult result;  // empty for a dry run
};

// Syncs `collection` into `dest`. Refuses a destination that overlaps the collection's
// source folder. Per-file failures are counted in result (the caller reports them);
// a Status error means the session could not run (no lock, unreadable manifest, ...).
Result<SessionOutcome> RunSync(Env* env, Destination* dest, Collection* collection, const SessionOptions& options);

// InvalidArgument when `dest` is a local folder inside `source_root` or around it.
Status CheckDestinationOutside(const Destination& dest, const std::string& source_root);

// Where the manifest of (destination, prefix) lives under `state_dir`.
std::string ManifestPath(const std::string& state_dir, const std::string& destination, const std::string& prefix);

}  // namespace lq::sync

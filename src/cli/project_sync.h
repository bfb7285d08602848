// Syncing the current project's runs to a destination: used by `lq sync` and by
// sync.auto after each run. A thin layer over sync::RunSync (sync/session.h); URLs
// become destinations in the registry (sync/all/all_destinations.h).
#pragma once

#include <memory>
#include <string>

#include "cli/commands.h"
#include "sync/destination.h"
#include "sync/sync_engine.h"

namespace lq::cli {

struct ProjectSyncRequest {
  std::string destination;  // as typed or configured; "" = sync.destination
  std::string mode = "copy";  // copy | symlink
  bool dry_run = false;
  bool force = false;
  bool delete_extra = false;
  bool progress = false;
  int transfers = 16;
  // How long to wait for another sync of this project to this destination to finish;
  // < 0 waits as long as it takes (lq sync), sync.auto waits a bounded time.
  int64_t lock_wait_micros = -1;
};

struct ProjectSyncOutcome {
  std::string destination;  // described
  std::string prefix;
  sync::SyncPlan plan;
  sync::SyncResult result;
  bool linked = false;  // symlink mode
};

// Opens the destination a folder or URL names, through the registry. Refuses
// destinations with secrets, malformed URLs and unknown schemes (one line each).
Result<std::unique_ptr<sync::Destination>> OpenDestination(Context& ctx, const std::string& destination);

Result<ProjectSyncOutcome> SyncProject(Context& ctx, const ProjectSyncRequest& request);

}  // namespace lq::cli

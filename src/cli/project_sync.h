// Syncing the current project's runs to a destination: used by `lq sync` and by
// sync.auto after each run. The CLI is where destination URLs become backends.
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

// Opens a backend for a destination string: a local folder today (s3://, abfss://,
// md: come with their issues). Refuses destinations with secrets or inside the project.
Result<std::unique_ptr<sync::Destination>> OpenDestination(Context& ctx, const std::string& destination,
                                                           const std::string& project_root);

Result<ProjectSyncOutcome> SyncProject(Context& ctx, const ProjectSyncRequest& request);

}  // namespace lq::cli

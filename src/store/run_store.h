// A project's run data in DuckDB terms: converting spooled runs (logs/run_spool.h) to
// Parquet under .lq/logs/date=YYYY-MM-DD/source=S/NNN_name_HHMMSS.parquet, and the SQL
// surface (lq_events, lq_runs, lq_status(), lq_errors(n), ...) documented in
// docs/query.md.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/env.h"
#include "store/database.h"

namespace lq::store {

// The columns of one event row (run columns first). One definition for the Parquet
// writer, the empty-project view and the docs.
extern const char* const kEventColumnsSql;

struct FinalizeStats {
  int converted = 0;     // runs written to Parquet
  int in_progress = 0;   // runs still being captured
  int failed = 0;
  std::string last_error;
};

// Converts every finished spooled run of the project to Parquet; safe to run from many
// processes at once (each run is locked while converted) and after a crash at any
// point (the Parquet file appears by rename; the spool is removed after).
FinalizeStats FinalizeSpooledRuns(Env* env, const std::string& lq_dir);
// True when converted (or already gone), false when the run is still being captured.
Result<bool> FinalizeRun(Env* env, const std::string& lq_dir, int64_t run_id);

// Rebuilds the events cache (store/events_cache.h) when enough runs are not in it yet.
// Called by the detached finalizer after each run.
Status MaybeRebuildCache(Env* env, const std::string& lq_dir);

// The relative path of a run's Parquet file (seed layout), e.g.
// "logs/date=2025-01-15/source=run/001_build_143022.parquet".
std::string RunParquetPath(int64_t run_id, const std::string& source_type,
                           const std::string& source_name, int64_t started_at_us);

// What lq_events covers. By default the project's own runs; with include_synced also
// every run in the central store (a local folder), as one table with namespace,
// project and hostname columns, without double counting this machine's own copies.
struct EventScope {
  bool include_synced = false;
  std::string store_root;           // absolute folder of the central store
  // This project, this machine, as store-key components (SafeNames); lq_events shows
  // them %XX-decoded, as DuckDB reads every hive partition value.
  std::string local_namespace, local_project, local_hostname;
  std::string namespace_glob, project_glob, hostname_glob;     // filters ("" = all)
  // Create lq_runs, lq_status(), ... as well as lq_events. Commands that read only
  // lq_events skip them: defining them costs ~15 ms of DuckDB's parser per start.
  bool define_views = true;
};

// An in-memory DuckDB with the project's views and macros created over its Parquet
// files (and the store's, per scope). Spooled runs are finalized first.
class ProjectDatabase {
 public:
  static Result<std::unique_ptr<ProjectDatabase>> Open(Env* env, const std::string& lq_dir,
                                                       const EventScope& scope = {});
  Connection& connection() { return conn_; }

 private:
  ProjectDatabase(std::unique_ptr<Database> db, Connection conn)
      : db_(std::move(db)), conn_(std::move(conn)) {}
  std::unique_ptr<Database> db_;
  Connection conn_;
};

}  // namespace lq::store

// A derived, disposable cache that keeps reads fast with many runs: one Parquet file
// holding the rows of many run files, plus a manifest naming which runs it holds.
// The per-run Parquet files stay the source of truth (sync ships them); the cache can
// be deleted at any time.
//
//   .lq/cache/events-<generation>.parquet
//   .lq/cache/manifest      line 1: the cache file's name; then one run file per line
//                           (relative to .lq/)
//
// Readers read the cache plus the run files it does not hold. A rebuild writes a new
// generation, then the manifest (atomically), then deletes the generation before the
// previous one, so a reader holding the previous manifest still finds its file.
#pragma once

#include <string>
#include <vector>

#include "core/env.h"
#include "store/database.h"

namespace lq::store {

// Every Parquet run file of the project, relative to lq_dir ("logs/date=.../x.parquet").
std::vector<std::string> ListRunFiles(Env* env, const std::string& lq_dir);

struct EventFiles {
  std::vector<std::string> paths;  // absolute: the cache (if valid) + uncached run files
  size_t uncached = 0;             // run files read individually
};

// What to read. A cache that names a run file which no longer exists (pruned) is
// ignored, so a query never shows deleted runs.
EventFiles ResolveEventFiles(Env* env, const std::string& lq_dir, const std::vector<std::string>& run_files);

// Rewrites the cache to hold every run file in run_files. Skips (OK) when another
// process is rebuilding. `conn` is any DuckDB connection.
Status RebuildEventsCache(Env* env, const std::string& lq_dir, Connection& conn,
                          const std::vector<std::string>& run_files);

// Uncached run files beyond which the finalizer rebuilds the cache.
constexpr size_t kCacheRebuildThreshold = 16;

}  // namespace lq::store

// The usage scanner: discovers every agent's logs, reads only what changed since the
// last run (usage_cache.h), parses on two threads, deduplicates per agent and reduces
// the survivors to aggregates.
//
// Incremental rules (the result always equals a full read of the logs that exist plus
// the history of those deleted; scanner_test.cc checks it with random appends, new
// files, deletions and truncations):
// - same size and mtime as cached: not opened;
// - grown, and the bytes just before the cached end of the last complete line are
//   unchanged: only the new bytes are read, with the parser state saved at that offset;
// - anything else (shrunk, rewritten, new): read from the start;
// - gone: its records stay, as history (CachedFile::vanished): Claude Code deletes
//   sessions older than cleanupPeriodDays, and usage once counted must stay counted. They
//   still take part in deduplication, so the same responses in a file that remains, or in
//   the file when it reappears, count once. A deleted file keeps its place in the file
//   order (after the file that preceded it). Only ScanOptions::rebuild drops them;
// - a last line without '\n' is parsed for this run's numbers but never consumed: it is
//   read again, whole, until it is complete, so it counts exactly once.
//
// Logs are read with Env::NewRandomAccessFile (pread into a reused buffer, no per-line
// allocation); discovery, the cache and everything else go through Env too.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/env.h"
#include "usage/aggregate.h"
#include "usage/timezone.h"
#include "usage/usage_cache.h"
#include "usage/usage_source.h"

namespace lq::usage {

struct ScanOptions {
  std::string lq_home;          // where usage-cache.bin lives
  int threads = 2;
  bool full_rescan = false;     // read every log from the start (same results, only slower)
  // Ignore the cache entirely: usage is recomputed from the logs that exist now, and the
  // history of deleted logs is dropped.
  bool rebuild = false;
  // Called on the calling thread about ten times a second while files are read.
  std::function<void(uint64_t done_bytes, uint64_t total_bytes)> progress;
};

struct FileWarnings {
  std::string path;  // for display only
  Agent agent = Agent::kClaude;
  WarningCounts counts;
};

struct ScanStats {
  uint64_t files = 0;           // log files found
  uint64_t files_read = 0;      // read from the start
  uint64_t files_appended = 0;  // only new bytes read
  uint64_t files_removed = 0;   // files gone since the last scan (their usage is kept)
  uint64_t files_vanished = 0;  // deleted files whose usage is kept as history
  uint64_t bytes_read = 0;
  uint64_t records = 0;         // records held (before deduplication)
  uint64_t responses = 0;       // responses after deduplication
  bool changed = false;         // anything differs from the last scan
};

struct ScanResult {
  Aggregates local;             // in the machine's time zone
  ScanStats stats;
  WarningCounts warnings;       // all files and discovery
  std::vector<FileWarnings> file_warnings;
  std::vector<DiscoveryWarning> discovery_warnings;
  bool db_stale = false;        // usage.duckdb does not hold `local` yet
};

class Scanner {
 public:
  Scanner(Env* env, ScanOptions options);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  Result<ScanResult> Scan();
  // The same data in another time zone (computed from the cached records).
  Result<Aggregates> AggregateIn(const TimeZone& zone);
  // Saves the cache if anything changed; `db_written` records that usage.duckdb now
  // matches ScanResult::local.
  Status Commit(bool db_written);

  std::string cache_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Deduplicates and aggregates records (file order as in `files`) in `zone`.
Aggregates AggregateRecords(const std::vector<UsageRecord>& records, const std::vector<CachedFile>& files,
                            const std::vector<std::string>& models, const TimeZone& zone);

}  // namespace lq::usage

// $LQ_HOME/usage-cache.bin: what makes re-runs incremental.
//
// It is also the history of logs that no longer exist (usage counted once stays counted
// when an assistant deletes old sessions), so losing it loses that history.
//
// Per log file: a keyed hash of its path, its size and mtime, the byte offset just past
// its last complete line ("consumed"), a hash of the bytes just before that offset (to
// tell an append from a replaced file), the agent parser's state at that offset, warning
// counts, and the file's records (kept after the file is deleted: see `vanished`). Plus
// the random salt of every hash, the model-name table, and the aggregates of the last
// scan in the machine's time zone (so a run where nothing changed reads no records).
//
// Privacy: no path, prompt, session id, message id or request id is stored, only keyed
// 64-bit hashes, offsets, sizes, mtimes, instants, token counts and model names.
//
// Format: little-endian binary, versioned; a file that does not parse is ignored (the next
// scan rebuilds it). Replaced atomically (WriteCache: WriteFileAtomically's protocol,
// streamed so the records are never copied into one big string).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/env.h"
#include "usage/aggregate.h"
#include "usage/usage_source.h"

namespace lq::usage {

struct CachedFile {
  Agent agent = Agent::kClaude;
  uint64_t path_hash = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  uint64_t consumed = 0;     // offset after the last '\n' parsed
  uint64_t window_hash = 0;  // Hash64(salt, bytes [consumed - window_len, consumed))
  uint32_t window_len = 0;
  uint64_t record_begin = 0; // into UsageCache::records
  uint32_t record_count = 0; // records of complete lines
  uint32_t tail_count = 0;   // records of the unterminated last line (re-read on growth)
  std::string state;         // agent parser state at `consumed`
  WarningCounts warnings;
  // The log is gone (deleted by the assistant's cleanup, or by hand): its records are
  // kept as history and still take part in deduplication; only a rebuild drops them.
  bool vanished = false;
};

struct UsageCache {
  uint64_t salt = 0;
  bool db_current = false;  // usage.duckdb holds exactly `aggregates`
  std::vector<std::string> models;
  std::vector<CachedFile> files;
  bool has_aggregates = false;
  Aggregates aggregates;    // in the machine's zone at the time of the scan
  std::vector<UsageRecord> records;
  bool records_loaded = false;
};

inline constexpr const char* kCacheFileName = "usage-cache.bin";

// Reads the cache; NotFound when absent, Corruption when unreadable as a cache. With
// load_records false, `records` stays empty until LoadCacheRecords.
Result<UsageCache> LoadCache(Env* env, const std::string& path, bool load_records);
Status LoadCacheRecords(Env* env, const std::string& path, UsageCache* cache);
std::string EncodeCache(const UsageCache& cache);
// Replaces the cache file atomically (temp file, fsync, rename, fsync of the directory).
Status WriteCache(Env* env, const std::string& path, const UsageCache& cache);

}  // namespace lq::usage

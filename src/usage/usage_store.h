// $LQ_HOME/usage.duckdb: the aggregates lq keeps, one row per device and local day.
//
//   daily_usage(device_id, date, total_tokens, input_tokens, output_tokens,
//               cache_read_tokens, cache_write_tokens, session_count, prompt_count,
//               response_count, updated_at)            PRIMARY KEY (device_id, date)
//   daily_usage_by_model(device_id, date, agent, model, total_tokens, input_tokens,
//               output_tokens, cache_read_tokens, cache_write_tokens, response_count,
//               updated_at)                            PRIMARY KEY (device_id, date, agent, model)
//
// Dates are local days in the machine's time zone. Only rows whose values changed are
// rewritten, so updated_at (UTC) says when a day's numbers last changed: the sync merge is
// latest-wins per (device_id, date). Rows of other devices (synced in) are never touched.
#pragma once

#include <cstdint>
#include <string>

#include "core/env.h"
#include "core/status.h"
#include "usage/aggregate.h"

namespace lq::usage {

inline constexpr const char* kUsageDbFileName = "usage.duckdb";

struct DbWriteStats {
  uint64_t days_written = 0;   // daily_usage rows inserted or replaced
  uint64_t days_removed = 0;
  uint64_t model_rows_written = 0;
  // Set when the file at db_path was not a database (UsageDbFileState kCorrupt): it was
  // moved to this path and the database written anew from `local`.
  std::string corrupt_copy;
};

enum class UsageDbFileState {
  kMissing,     // no file: the next write creates it
  kLooksValid,  // a DuckDB database file (its header), or empty
  kCorrupt,     // a regular file without DuckDB's header: garbage, not a database
  kUnreadable,  // not a regular file, or cannot be opened or read
};

// Reads only the file's first bytes (DuckDB's "DUCK" magic at offset 8): cheap enough for
// runs where nothing changed, which otherwise never open the database.
UsageDbFileState ProbeUsageDb(Env* env, const std::string& db_path);

// Makes this device's rows equal `local`. A file that is kCorrupt (before or while
// opening) is moved aside to "<db_path>.corrupt-YYYYMMDDTHHMMSSZ" and the database
// written anew, which loses only rows synced in from other devices (they come back with
// the next sync); DbWriteStats::corrupt_copy says so. Any other failure (a lock held by
// another process, an unreadable path, a full disk) is an error and changes nothing.
Result<DbWriteStats> WriteUsageDb(Env* env, const std::string& db_path, const std::string& device_id,
                                  const Aggregates& local, int64_t now_micros);

}  // namespace lq::usage

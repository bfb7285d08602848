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

#include "core/status.h"
#include "usage/aggregate.h"

namespace lq::usage {

inline constexpr const char* kUsageDbFileName = "usage.duckdb";

struct DbWriteStats {
  uint64_t days_written = 0;   // daily_usage rows inserted or replaced
  uint64_t days_removed = 0;
  uint64_t model_rows_written = 0;
};

Result<DbWriteStats> WriteUsageDb(const std::string& db_path, const std::string& device_id,
                                  const Aggregates& local, int64_t now_micros);

}  // namespace lq::usage

// Aggregates: what lq keeps of the usage records, and the reports made from them.
//
// The scanner reduces deduplicated records to per-(agent, local day, model) token sums
// and per-(agent, local day) prompt counts and session-id hashes. Reports (daily,
// weekly, monthly, by model, one agent) are computed from these, never from raw logs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "usage/usage_source.h"

namespace lq::usage {

struct TokenSums {
  uint64_t input = 0;
  uint64_t output = 0;
  uint64_t cache_write = 0;
  uint64_t cache_read = 0;
  uint64_t total = 0;
  uint64_t responses = 0;
  void Add(const UsageRecord& r) {
    input += r.input;
    output += r.output;
    cache_write += r.cache_write;
    cache_read += r.cache_read;
    total += r.total;
    ++responses;
  }
  void Add(const TokenSums& o) {
    input += o.input;
    output += o.output;
    cache_write += o.cache_write;
    cache_read += o.cache_read;
    total += o.total;
    responses += o.responses;
  }
  bool operator==(const TokenSums&) const = default;
};

struct ModelDay {
  int64_t day = 0;  // days since 1970-01-01 in the aggregation's time zone
  Agent agent = Agent::kClaude;
  uint32_t model = 0;  // index into Aggregates::models
  TokenSums tokens;
};

struct AgentDay {
  int64_t day = 0;
  Agent agent = Agent::kClaude;
  uint64_t prompts = 0;
  std::vector<uint64_t> sessions;  // sorted, unique session-id hashes active that day
};

struct Aggregates {
  std::string zone_key;  // TimeZone::key() the days are in
  std::vector<std::string> models;
  std::vector<ModelDay> model_days;  // sorted by (day, agent, model)
  std::vector<AgentDay> agent_days;  // sorted by (day, agent)
};

enum class Period { kDay, kWeek, kMonth };

struct ReportOptions {
  Period period = Period::kDay;
  std::optional<int64_t> since;  // inclusive local days
  std::optional<int64_t> until;
  std::optional<Agent> agent;    // one agent, else all
  bool by_model = false;
  int week_start = 0;            // 0 = Sunday (as ccusage), 1 = Monday
};

struct ReportRow {
  std::string key;        // "YYYY-MM-DD" (day, or first day of the week) or "YYYY-MM"
  int64_t start_day = 0;
  std::string agent;      // by_model only
  std::string model;      // by_model only
  TokenSums tokens;
  uint64_t sessions = 0;  // distinct sessions in the period (not per model)
  uint64_t prompts = 0;
};

// Rows sorted by period, then agent and model. Periods without usage are absent.
std::vector<ReportRow> BuildReport(const Aggregates& agg, const ReportOptions& options);
// The sum of rows (sessions are distinct over the whole range).
ReportRow ReportTotal(const Aggregates& agg, const ReportOptions& options);

// The period a local day belongs to.
int64_t PeriodStart(int64_t day, Period period, int week_start);
std::string PeriodKey(int64_t start_day, Period period);

}  // namespace lq::usage

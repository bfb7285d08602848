#include "usage/aggregate.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_set>

#include "usage/timestamp.h"

namespace lq::usage {

int64_t PeriodStart(int64_t day, Period period, int week_start) {
  switch (period) {
    case Period::kDay:
      return day;
    case Period::kWeek: {
      // 1970-01-01 was a Thursday (weekday 4, Sunday = 0).
      int64_t weekday = ((day + 4) % 7 + 7) % 7;
      int64_t back = ((weekday - week_start) % 7 + 7) % 7;
      return day - back;
    }
    case Period::kMonth: {
      int64_t y;
      unsigned m, d;
      CivilFromDays(day, &y, &m, &d);
      return DaysFromCivil(y, m, 1);
    }
  }
  return day;
}

std::string PeriodKey(int64_t start_day, Period period) {
  std::string s = FormatDay(start_day);
  if (period == Period::kMonth) s.resize(7);
  return s;
}

namespace {

bool InRange(int64_t day, const ReportOptions& o) {
  if (o.since && day < *o.since) return false;
  if (o.until && day > *o.until) return false;
  return true;
}

bool AgentOk(Agent a, const ReportOptions& o) { return !o.agent || *o.agent == a; }

}  // namespace

std::vector<ReportRow> BuildReport(const Aggregates& agg, const ReportOptions& o) {
  // Key: (period start, agent, model) for by_model, else (period start).
  using Key = std::tuple<int64_t, int, std::string>;
  std::map<Key, ReportRow> rows;
  for (const ModelDay& md : agg.model_days) {
    if (!InRange(md.day, o) || !AgentOk(md.agent, o)) continue;
    int64_t start = PeriodStart(md.day, o.period, o.week_start);
    Key key = o.by_model ? Key{start, static_cast<int>(md.agent), md.model < agg.models.size() ? agg.models[md.model] : ""}
                         : Key{start, 0, ""};
    ReportRow& row = rows[key];
    row.start_day = start;
    if (o.by_model) {
      row.agent = AgentName(md.agent);
      row.model = std::get<2>(key).empty() ? "unknown" : std::get<2>(key);
    }
    row.tokens.Add(md.tokens);
  }
  // Sessions and prompts per period (not per model).
  std::map<int64_t, std::pair<std::unordered_set<uint64_t>, uint64_t>> per_period;
  for (const AgentDay& ad : agg.agent_days) {
    if (!InRange(ad.day, o) || !AgentOk(ad.agent, o)) continue;
    auto& p = per_period[PeriodStart(ad.day, o.period, o.week_start)];
    for (uint64_t s : ad.sessions) p.first.insert(s ^ (static_cast<uint64_t>(ad.agent) << 63));
    p.second += ad.prompts;
  }
  if (!o.by_model) {
    // Periods with prompts but no responses still show up.
    for (const auto& [start, p] : per_period) {
      ReportRow& row = rows[Key{start, 0, ""}];
      row.start_day = start;
      row.sessions = p.first.size();
      row.prompts = p.second;
    }
  } else {
    for (auto& [key, row] : rows) {
      auto it = per_period.find(row.start_day);
      if (it != per_period.end()) {
        row.sessions = it->second.first.size();
        row.prompts = it->second.second;
      }
    }
  }
  std::vector<ReportRow> out;
  out.reserve(rows.size());
  for (auto& [key, row] : rows) {
    row.key = PeriodKey(row.start_day, o.period);
    out.push_back(std::move(row));
  }
  return out;
}

ReportRow ReportTotal(const Aggregates& agg, const ReportOptions& o) {
  ReportRow total;
  total.key = "Total";
  for (const ModelDay& md : agg.model_days) {
    if (InRange(md.day, o) && AgentOk(md.agent, o)) total.tokens.Add(md.tokens);
  }
  std::unordered_set<uint64_t> sessions;
  for (const AgentDay& ad : agg.agent_days) {
    if (!InRange(ad.day, o) || !AgentOk(ad.agent, o)) continue;
    for (uint64_t s : ad.sessions) sessions.insert(s ^ (static_cast<uint64_t>(ad.agent) << 63));
    total.prompts += ad.prompts;
  }
  total.sessions = sessions.size();
  return total;
}

}  // namespace lq::usage

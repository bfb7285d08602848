#include "usage/usage_store.h"

#include <cstring>
#include <ctime>
#include <map>
#include <tuple>

#include "store/database.h"
#include "usage/timestamp.h"

namespace lq::usage {
namespace {

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS daily_usage (
  device_id TEXT, date DATE, total_tokens BIGINT, input_tokens BIGINT, output_tokens BIGINT,
  cache_read_tokens BIGINT, cache_write_tokens BIGINT, session_count INTEGER, prompt_count INTEGER,
  response_count INTEGER, updated_at TIMESTAMP, PRIMARY KEY (device_id, date));
CREATE TABLE IF NOT EXISTS daily_usage_by_model (
  device_id TEXT, date DATE, agent TEXT, model TEXT, total_tokens BIGINT, input_tokens BIGINT,
  output_tokens BIGINT, cache_read_tokens BIGINT, cache_write_tokens BIGINT, response_count INTEGER,
  updated_at TIMESTAMP, PRIMARY KEY (device_id, date, agent, model));
)";

struct DayRow {
  TokenSums t;
  int64_t sessions = 0, prompts = 0;
  bool operator==(const DayRow&) const = default;
};

Status Db(const Status& s, const char* what) {
  if (s.ok()) return s;
  return Status::IOError(std::string("usage.duckdb: ") + what + ": " + s.message());
}

int64_t I(uint64_t v) { return static_cast<int64_t>(v); }

// Makes this device's rows equal `agg` in the database at db_path (created if absent).
// Counts what changed into *stats.
Status WriteRows(const std::string& db_path, const std::string& device_id, const Aggregates& agg,
                 int64_t now_micros, DbWriteStats* stats_out) {
  // The rows this device should have.
  std::map<std::string, DayRow> days;
  for (const ModelDay& md : agg.model_days) days[FormatDay(md.day)].t.Add(md.tokens);
  for (const AgentDay& ad : agg.agent_days) {
    DayRow& r = days[FormatDay(ad.day)];
    r.sessions += static_cast<int64_t>(ad.sessions.size());
    r.prompts += static_cast<int64_t>(ad.prompts);
  }
  using ModelKey = std::tuple<std::string, std::string, std::string>;  // date, agent, model
  std::map<ModelKey, TokenSums> models;
  for (const ModelDay& md : agg.model_days) {
    std::string model = md.model < agg.models.size() ? agg.models[md.model] : "";
    if (model.empty()) model = "unknown";
    models[{FormatDay(md.day), AgentName(md.agent), model}].Add(md.tokens);
  }

  LQ_RETURN_IF_ERROR(store::LoadDuckDb());
  store::Database::Options options;
  options.threads = 1;
  auto db = store::Database::Open(db_path, options);
  if (!db.ok()) return Db(db.status(), "open");
  auto conn = store::Connection::Open(**db);
  if (!conn.ok()) return Db(conn.status(), "connect");
  LQ_RETURN_IF_ERROR(Db(conn->Execute(kSchema), "create tables"));

  // What is there now, with when each row last changed.
  std::map<std::string, std::pair<DayRow, int64_t>> have_days;
  {
    auto q = conn->Prepare(
        "SELECT strftime(date, '%Y-%m-%d'), input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, "
        "total_tokens, response_count, session_count, prompt_count, epoch_us(updated_at) FROM daily_usage "
        "WHERE device_id = ?");
    if (!q.ok()) return Db(q.status(), "read");
    LQ_RETURN_IF_ERROR(Db(q->Bind(1, device_id), "read"));
    auto r = q->Execute();
    if (!r.ok()) return Db(r.status(), "read");
    for (size_t i = 0; i < r->row_count(); ++i) {
      DayRow d;
      d.t = {static_cast<uint64_t>(r->GetInt64(1, i)), static_cast<uint64_t>(r->GetInt64(2, i)),
             static_cast<uint64_t>(r->GetInt64(3, i)), static_cast<uint64_t>(r->GetInt64(4, i)),
             static_cast<uint64_t>(r->GetInt64(5, i)), static_cast<uint64_t>(r->GetInt64(6, i))};
      d.sessions = r->GetInt64(7, i);
      d.prompts = r->GetInt64(8, i);
      have_days[r->GetString(0, i)] = {d, r->GetInt64(9, i)};
    }
  }
  std::map<ModelKey, std::pair<TokenSums, int64_t>> have_models;
  {
    auto q = conn->Prepare(
        "SELECT strftime(date, '%Y-%m-%d'), agent, model, input_tokens, output_tokens, cache_write_tokens, "
        "cache_read_tokens, total_tokens, response_count, epoch_us(updated_at) FROM daily_usage_by_model "
        "WHERE device_id = ?");
    if (!q.ok()) return Db(q.status(), "read");
    LQ_RETURN_IF_ERROR(Db(q->Bind(1, device_id), "read"));
    auto r = q->Execute();
    if (!r.ok()) return Db(r.status(), "read");
    for (size_t i = 0; i < r->row_count(); ++i) {
      have_models[{r->GetString(0, i), r->GetString(1, i), r->GetString(2, i)}] = {
          {static_cast<uint64_t>(r->GetInt64(3, i)), static_cast<uint64_t>(r->GetInt64(4, i)),
           static_cast<uint64_t>(r->GetInt64(5, i)), static_cast<uint64_t>(r->GetInt64(6, i)),
           static_cast<uint64_t>(r->GetInt64(7, i)), static_cast<uint64_t>(r->GetInt64(8, i))},
          r->GetInt64(9, i)};
    }
  }

  // Unchanged rows keep their updated_at; changed and new ones get now.
  DbWriteStats& stats = *stats_out;
  std::map<std::string, int64_t> day_stamp;
  for (const auto& [date, want] : days) {
    auto it = have_days.find(date);
    bool same = it != have_days.end() && it->second.first == want;
    day_stamp[date] = same ? it->second.second : now_micros;
    if (!same) ++stats.days_written;
  }
  for (const auto& [date, have] : have_days) {
    if (!days.count(date)) ++stats.days_removed;
  }
  std::map<ModelKey, int64_t> model_stamp;
  bool models_changed = have_models.size() != models.size();
  for (const auto& [key, t] : models) {
    auto it = have_models.find(key);
    bool same = it != have_models.end() && it->second.first == t;
    model_stamp[key] = same ? it->second.second : now_micros;
    if (!same) {
      ++stats.model_rows_written;
      models_changed = true;
    }
  }
  if (stats.days_written == 0 && stats.days_removed == 0 && !models_changed) return Status::OK();

  // Rewrite this device's rows in one transaction (bulk appends beat row-wise upserts).
  LQ_RETURN_IF_ERROR(Db(conn->Execute("BEGIN TRANSACTION"), "begin"));
  auto fail = [&](const Status& s, const char* what) {
    (void)conn->Execute("ROLLBACK");
    return Db(s, what);
  };
  for (const char* table : {"daily_usage", "daily_usage_by_model"}) {
    auto del = conn->Prepare(std::string("DELETE FROM ") + table + " WHERE device_id = ?");
    if (!del.ok()) return fail(del.status(), "delete");
    Status s = del->Bind(1, device_id);
    if (s.ok()) s = del->Execute().status();
    if (!s.ok()) return fail(s, "delete");
  }
  {
    auto app = conn->NewAppender("daily_usage");
    if (!app.ok()) return fail(app.status(), "append");
    for (const auto& [date, want] : days) {
      const TokenSums& t = want.t;
      Status s = app->Append(std::string_view(device_id));
      if (s.ok()) s = app->Append(std::string_view(date));
      for (uint64_t v : {t.total, t.input, t.output, t.cache_read, t.cache_write}) {
        if (s.ok()) s = app->Append(I(v));
      }
      if (s.ok()) s = app->Append(want.sessions);
      if (s.ok()) s = app->Append(want.prompts);
      if (s.ok()) s = app->Append(I(t.responses));
      if (s.ok()) s = app->AppendTimestampMicros(day_stamp[date]);
      if (s.ok()) s = app->EndRow();
      if (!s.ok()) return fail(s, "append");
    }
    Status s = app->Close();
    if (!s.ok()) return fail(s, "append");
  }
  {
    auto app = conn->NewAppender("daily_usage_by_model");
    if (!app.ok()) return fail(app.status(), "append");
    for (const auto& [key, t] : models) {
      Status s = app->Append(std::string_view(device_id));
      if (s.ok()) s = app->Append(std::string_view(std::get<0>(key)));
      if (s.ok()) s = app->Append(std::string_view(std::get<1>(key)));
      if (s.ok()) s = app->Append(std::string_view(std::get<2>(key)));
      for (uint64_t v : {t.total, t.input, t.output, t.cache_read, t.cache_write, t.responses}) {
        if (s.ok()) s = app->Append(I(v));
      }
      if (s.ok()) s = app->AppendTimestampMicros(model_stamp[key]);
      if (s.ok()) s = app->EndRow();
      if (!s.ok()) return fail(s, "append");
    }
    Status s = app->Close();
    if (!s.ok()) return fail(s, "append");
  }
  return Db(conn->Execute("COMMIT"), "commit");
}

// DuckDB's words for a file that is not (or no longer) a database it can read; the
// message also names the path, so only DuckDB's own phrases are looked for.
bool LooksCorrupt(const Status& s) {
  const std::string& m = s.message();
  return m.find("not a valid DuckDB database file") != std::string::npos ||
         m.find("Corrupt database file") != std::string::npos ||
         m.find("does not match stored checksum") != std::string::npos;
}

// "<db_path>.corrupt-20261204T163000Z", with "-2", "-3"... if that exists already.
Result<std::string> MoveAside(Env* env, const std::string& db_path, int64_t now_micros) {
  std::time_t secs = static_cast<std::time_t>(now_micros / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  std::string base = db_path + ".corrupt-" + stamp;
  for (int n = 1; n < 100; ++n) {
    std::string to = n == 1 ? base : base + "-" + std::to_string(n);
    Status s = env->RenameNoReplace(db_path, to);
    if (s.ok()) {
      // DuckDB's write-ahead log belongs to the old file; replayed into a new one it
      // would fail or resurrect garbage.
      std::string wal = db_path + ".wal";
      if (FileExists(env, wal)) (void)env->RenameNoReplace(wal, to + ".wal");
      return to;
    }
    if (!s.IsAlreadyExists()) return s;
  }
  return Status::AlreadyExists("too many " + base + "* files");
}

}  // namespace

UsageDbFileState ProbeUsageDb(Env* env, const std::string& db_path) {
  auto info = env->Stat(db_path);
  if (!info.ok()) return info.status().IsNotFound() ? UsageDbFileState::kMissing : UsageDbFileState::kUnreadable;
  if (!info->is_file()) return UsageDbFileState::kUnreadable;
  auto file = env->NewRandomAccessFile(db_path);
  if (!file.ok()) return UsageDbFileState::kUnreadable;
  char header[12];
  auto n = (*file)->Read(0, sizeof header, header);
  if (!n.ok()) return UsageDbFileState::kUnreadable;
  if (*n == 0) return UsageDbFileState::kLooksValid;  // DuckDB starts an empty file afresh
  if (*n < sizeof header || std::memcmp(header + 8, "DUCK", 4) != 0) return UsageDbFileState::kCorrupt;
  return UsageDbFileState::kLooksValid;
}

Result<DbWriteStats> WriteUsageDb(Env* env, const std::string& db_path, const std::string& device_id,
                                  const Aggregates& agg, int64_t now_micros) {
  DbWriteStats stats;
  if (ProbeUsageDb(env, db_path) == UsageDbFileState::kCorrupt) {
    LQ_ASSIGN_OR_RETURN(stats.corrupt_copy, MoveAside(env, db_path, now_micros));
  }
  Status written = WriteRows(db_path, device_id, agg, now_micros, &stats);
  if (!written.ok() && stats.corrupt_copy.empty() && LooksCorrupt(written)) {
    // A valid header over a damaged body is found only by reading it.
    std::string copy;
    LQ_ASSIGN_OR_RETURN(copy, MoveAside(env, db_path, now_micros));
    stats = DbWriteStats();
    stats.corrupt_copy = std::move(copy);
    written = WriteRows(db_path, device_id, agg, now_micros, &stats);
  }
  LQ_RETURN_IF_ERROR(written);
  return stats;
}

}  // namespace lq::usage

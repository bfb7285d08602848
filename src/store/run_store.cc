#include "store/run_store.h"

#include <unistd.h>

#include <ctime>

#include "logs/run_recovery.h"
#include "logs/run_spool.h"
#include "store/events_cache.h"

namespace lq::store {

#define LQ_RUN_COLUMNS                                                                          \
  "run_id BIGINT, source_name VARCHAR, source_type VARCHAR, command VARCHAR, "                  \
  "started_at TIMESTAMP, completed_at TIMESTAMP, duration_sec DOUBLE, exit_code INTEGER, "     \
  "cwd VARCHAR, hostname VARCHAR, platform VARCHAR, arch VARCHAR, git_commit VARCHAR, "        \
  "git_branch VARCHAR, git_dirty BOOLEAN, ci MAP(VARCHAR, VARCHAR), "                          \
  "environment MAP(VARCHAR, VARCHAR)"
#define LQ_EVENT_COLUMNS                                                                        \
  "event_id BIGINT, severity VARCHAR, file_path VARCHAR, line_number BIGINT, "                 \
  "column_number BIGINT, message VARCHAR, raw_text VARCHAR, tool_name VARCHAR, "               \
  "category VARCHAR, error_code VARCHAR, error_fingerprint VARCHAR, log_line_start BIGINT, "   \
  "log_line_end BIGINT"

const char* const kEventColumnsSql = LQ_RUN_COLUMNS ", " LQ_EVENT_COLUMNS;

namespace {

// The JSON columns of a spooled event line (logs::EventToJsonLine).
constexpr const char* kEventJsonColumns =
    "{event_id: 'BIGINT', severity: 'VARCHAR', file_path: 'VARCHAR', line_number: 'BIGINT', "
    "column_number: 'BIGINT', message: 'VARCHAR', raw_text: 'VARCHAR', tool_name: 'VARCHAR', "
    "category: 'VARCHAR', error_code: 'VARCHAR', error_fingerprint: 'VARCHAR', "
    "log_line_start: 'BIGINT', log_line_end: 'BIGINT'}";

std::string Str(const std::string& s) { return SqlQuote(s); }
std::string OrNull(const std::string& s) { return s.empty() ? "NULL" : SqlQuote(s); }

std::string MapLiteral(const std::map<std::string, std::string>& m) {
  if (m.empty()) return "MAP {}::MAP(VARCHAR, VARCHAR)";
  std::string out = "MAP {";
  bool first = true;
  for (const auto& [k, v] : m) {
    out += (first ? "" : ", ") + SqlQuote(k) + ": " + SqlQuote(v);
    first = false;
  }
  return out + "}";
}

std::string TimestampLiteral(int64_t micros) {
  return "make_timestamp(" + std::to_string(micros) + "::BIGINT)";
}

std::string SafeFilePart(const std::string& name) {
  std::string out;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    out.push_back(ok ? c : '_');
    if (out.size() >= 40) break;
  }
  return out.empty() ? "run" : out;
}

}  // namespace

std::string RunParquetPath(int64_t run_id, const std::string& source_type, const std::string& source_name,
                           int64_t started_at_us) {
  std::time_t secs = static_cast<std::time_t>(started_at_us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char date[16], hms[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
  std::strftime(hms, sizeof hms, "%H%M%S", &tm);
  return std::string("logs/date=") + date + "/source=" + SafeFilePart(source_type) + "/" +
         logs::FormatRunId(run_id) + "_" + SafeFilePart(source_name) + "_" + hms + ".parquet";
}

Result<bool> FinalizeRun(Env* env, const std::string& lq_dir, int64_t run_id) {
  logs::RunPaths paths = logs::RunPaths::For(lq_dir, run_id);
  auto lock = logs::LockRun(env, paths.meta, /*wait=*/false);
  if (lock.ok() && *lock == nullptr && FileExists(env, paths.done)) {
    // The capture has ended, so the holder is another finalizer: converting takes
    // milliseconds, and the caller wants to read the run, so wait for it.
    lock = logs::LockRun(env, paths.meta, /*wait=*/true);
  }
  if (!lock.ok()) {
    if (lock.status().IsNotFound()) return true;  // another finalizer just finished it
    return lock.status();
  }
  if (*lock == nullptr) return false;  // still being captured

  // Another finalizer may have converted it while we waited for the lock.
  if (!FileExists(env, paths.meta)) return true;
  LQ_ASSIGN_OR_RETURN(std::string meta_text, env->ReadFile(paths.meta));
  LQ_ASSIGN_OR_RETURN(logs::RunMeta meta, logs::MetaFromJson(meta_text));

  // Without done.json the capturing lq died: keep the run, exit code unknown, and take
  // the raw log's last write as its end.
  bool done_known = false;
  logs::RunDone done;
  if (auto text = env->ReadFile(paths.done); text.ok()) {
    auto parsed = logs::DoneFromJson(*text);
    if (parsed.ok()) {
      done = *parsed;
      done_known = true;
    }
  }
  if (!done_known) {
    // The live spool lags the output (parsers hold open blocks, events are batched):
    // the raw log has every line the command printed, so its events are rebuilt from it.
    // Without a raw log, the spooled events are what there is.
    (void)logs::RecoverEventsFromRawLog(env, paths, meta.format);
    auto raw = env->Stat(paths.raw);
    done.completed_at_us = raw.ok() ? raw->mtime_ns / 1000 : meta.started_at_us;
    if (done.completed_at_us < meta.started_at_us) done.completed_at_us = meta.started_at_us;
  }

  std::string rel = RunParquetPath(meta.run_id, meta.source_type, meta.source_name, meta.started_at_us);
  std::string target = JoinPath(lq_dir, rel);
  if (!FileExists(env, target)) {
    LQ_RETURN_IF_ERROR(CreateDirs(env, std::string(DirName(target))));
    Database::Options opts;
    opts.threads = 1;
    LQ_ASSIGN_OR_RETURN(auto db, Database::Open(":memory:", opts));
    LQ_ASSIGN_OR_RETURN(Connection conn, Connection::Open(*db));
    LQ_RETURN_IF_ERROR(conn.Execute("CREATE TEMP TABLE ev (" LQ_EVENT_COLUMNS ")"));
    auto events = env->Stat(paths.events);
    if (events.ok() && events->size > 0) {
      // ignore_errors: a line torn by a crash is skipped, the rest of the run is kept.
      LQ_RETURN_IF_ERROR(conn.Execute("INSERT INTO ev SELECT * FROM read_json(" + Str(paths.events) +
                                      ", format = 'newline_delimited', ignore_errors = true, columns = " +
                                      kEventJsonColumns + ")"));
    }
    double duration = static_cast<double>(done.completed_at_us - meta.started_at_us) / 1e6;
    std::string run_cols =
        std::to_string(meta.run_id) + "::BIGINT AS run_id, " + Str(meta.source_name) + " AS source_name, " +
        Str(meta.source_type) + " AS source_type, " + Str(meta.command) + " AS command, " +
        TimestampLiteral(meta.started_at_us) + " AS started_at, " + TimestampLiteral(done.completed_at_us) +
        " AS completed_at, " + std::to_string(duration) + "::DOUBLE AS duration_sec, " +
        (done_known && done.exit_code ? std::to_string(*done.exit_code) : std::string("NULL")) + "::INTEGER AS exit_code, " +
        Str(meta.cwd) + " AS cwd, " + Str(meta.hostname) + " AS hostname, " + Str(meta.platform) +
        " AS platform, " + Str(meta.arch) + " AS arch, " + OrNull(meta.git_commit) + "::VARCHAR AS git_commit, " +
        OrNull(meta.git_branch) + "::VARCHAR AS git_branch, " +
        (meta.git_dirty < 0 ? std::string("NULL") : meta.git_dirty ? std::string("true") : std::string("false")) +
        "::BOOLEAN AS git_dirty, " + MapLiteral(meta.ci) + " AS ci, " + MapLiteral(meta.environment) +
        " AS environment";
    std::string tmp = target + ".tmp-" + std::to_string(env->ProcessId());
    LQ_RETURN_IF_ERROR(conn.Execute("COPY (SELECT r.*, ev.* FROM (SELECT " + run_cols +
                                    ") r LEFT JOIN ev ON true ORDER BY ev.event_id) TO " + Str(tmp) +
                                    " (FORMAT PARQUET, COMPRESSION ZSTD)"));
    Status s = env->MakeOwnerOnly(tmp);  // DuckDB creates files 0666 & ~umask
    if (s.ok()) s = env->Rename(tmp, target);
    if (!s.ok()) {
      env->RemoveFile(tmp);
      return s;
    }
    env->SyncDir(std::string(DirName(target)));
  }
  // Parquet is in place: drop the spool (meta last, it is what marks a pending run).
  env->RemoveFile(paths.events);
  env->RemoveFile(paths.done);
  LQ_RETURN_IF_ERROR(env->RemoveFile(paths.meta));
  return true;
}

Status MaybeRebuildCache(Env* env, const std::string& lq_dir) {
  std::vector<std::string> run_files = ListRunFiles(env, lq_dir);
  if (ResolveEventFiles(env, lq_dir, run_files).uncached < kCacheRebuildThreshold) return Status::OK();
  Database::Options opts;
  opts.threads = 1;
  LQ_ASSIGN_OR_RETURN(auto db, Database::Open(":memory:", opts));
  LQ_ASSIGN_OR_RETURN(Connection conn, Connection::Open(*db));
  return RebuildEventsCache(env, lq_dir, conn, run_files);
}

FinalizeStats FinalizeSpooledRuns(Env* env, const std::string& lq_dir) {
  FinalizeStats stats;
  for (int64_t id : logs::ListSpooledRuns(env, lq_dir)) {
    auto converted = FinalizeRun(env, lq_dir, id);
    if (!converted.ok()) {
      ++stats.failed;
      stats.last_error = converted.status().message();
    } else if (*converted) {
      ++stats.converted;
    } else {
      ++stats.in_progress;
    }
  }
  return stats;
}

}  // namespace lq::store

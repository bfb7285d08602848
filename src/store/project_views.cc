// The SQL surface over a project's runs (docs/query.md): views and table macros created
// in an in-memory DuckDB over .lq/logs/**/*.parquet.
#include "core/percent_encoding.h"
#include "store/events_cache.h"
#include "store/run_store.h"

namespace lq::store {
namespace {

// Uncached run files beyond which a reader rebuilds the cache itself.
constexpr size_t kReadPathRebuild = 64;


constexpr const char* kViews = R"SQL(
CREATE VIEW lq_runs AS
  SELECT namespace, project, hostname, run_id,
         any_value(source_name) AS source_name, any_value(source_type) AS source_type,
         any_value(command) AS command, any_value(started_at) AS started_at,
         any_value(completed_at) AS completed_at, round(any_value(duration_sec), 3) AS duration_sec,
         any_value(exit_code) AS exit_code,
         any_value(cwd) AS cwd, any_value(git_commit) AS git_commit,
         any_value(git_branch) AS git_branch,
         count(*) FILTER (WHERE severity = 'error') AS errors,
         count(*) FILTER (WHERE severity = 'warning') AS warnings,
         -- exit_code is NULL when lq never saw it (a capture or import without
         -- --exit-code, or lq killed mid-run): errors in the log still mean FAIL.
         CASE WHEN any_value(exit_code) <> 0 OR count(*) FILTER (WHERE severity = 'error') > 0 THEN 'FAIL'
              WHEN any_value(exit_code) IS NULL THEN 'UNKNOWN'
              WHEN count(*) FILTER (WHERE severity = 'warning') > 0 THEN 'WARN'
              ELSE 'OK' END AS status
  FROM lq_events GROUP BY namespace, project, hostname, run_id;

CREATE VIEW lq_history AS
  SELECT run_id, status, source_name, source_type, started_at, duration_sec, exit_code, errors,
         warnings, hostname, git_branch, git_commit, command, namespace, project
  FROM lq_runs ORDER BY started_at DESC, run_id DESC;

CREATE MACRO lq_status() AS TABLE
  SELECT source_name, status, run_id, errors, warnings, exit_code, started_at, duration_sec,
         hostname, namespace, project
  FROM lq_runs
  QUALIFY row_number() OVER (PARTITION BY namespace, project, hostname, source_name
                             ORDER BY started_at DESC, run_id DESC) = 1
  ORDER BY started_at DESC, run_id DESC;

CREATE VIEW lq_summary AS
  SELECT source_name, count(*) AS runs,
         count(*) FILTER (WHERE status = 'FAIL') AS failed_runs,
         sum(errors)::BIGINT AS errors, sum(warnings)::BIGINT AS warnings,
         max(started_at) AS last_run, round(avg(duration_sec), 3) AS avg_duration_sec
  FROM lq_runs GROUP BY source_name ORDER BY last_run DESC;

CREATE MACRO lq_errors(n := 20) AS TABLE
  SELECT run_id, event_id, source_name, tool_name, file_path, line_number, column_number,
         error_code, message, error_fingerprint
  FROM lq_events WHERE severity = 'error'
  ORDER BY started_at DESC, run_id DESC, event_id LIMIT n;

CREATE MACRO lq_warnings(n := 20) AS TABLE
  SELECT run_id, event_id, source_name, tool_name, file_path, line_number, column_number,
         error_code, message, error_fingerprint
  FROM lq_events WHERE severity = 'warning'
  ORDER BY started_at DESC, run_id DESC, event_id LIMIT n;

CREATE MACRO lq_diff(a, b) AS TABLE
  WITH ea AS (SELECT error_fingerprint, any_value(message) AS message,
                     any_value(file_path) AS file_path, any_value(tool_name) AS tool_name, count(*) AS n
              FROM lq_events WHERE run_id = a AND severity = 'error' GROUP BY error_fingerprint),
       eb AS (SELECT error_fingerprint, any_value(message) AS message,
                     any_value(file_path) AS file_path, any_value(tool_name) AS tool_name, count(*) AS n
              FROM lq_events WHERE run_id = b AND severity = 'error' GROUP BY error_fingerprint)
  SELECT 'new' AS change, eb.* FROM eb WHERE error_fingerprint NOT IN (SELECT error_fingerprint FROM ea)
  UNION ALL
  SELECT 'fixed' AS change, ea.* FROM ea WHERE error_fingerprint NOT IN (SELECT error_fingerprint FROM eb)
  ORDER BY change, error_fingerprint;
)SQL";

}  // namespace

Result<std::unique_ptr<ProjectDatabase>> ProjectDatabase::Open(Env* env, const std::string& lq_dir,
                                                              const EventScope& key_scope) {
  // The local names come as store-key components (SafeNames: "a%2Fb", "my%20app"), but
  // DuckDB reads hive partition values %XX-decoded ("a/b"): rows of every origin carry
  // the decoded names, so that this machine's synced copies are recognised as its own.
  EventScope scope = key_scope;
  scope.local_namespace = PercentDecode(key_scope.local_namespace);
  scope.local_project = PercentDecode(key_scope.local_project);
  scope.local_hostname = PercentDecode(key_scope.local_hostname);
  FinalizeSpooledRuns(env, lq_dir);
  Database::Options opts;
  opts.threads = 2;
  LQ_ASSIGN_OR_RETURN(auto db, Database::Open(":memory:", opts));
  LQ_ASSIGN_OR_RETURN(Connection conn, Connection::Open(*db));
  std::vector<std::string> run_files = ListRunFiles(env, lq_dir);
  EventFiles sources = ResolveEventFiles(env, lq_dir, run_files);
  if (sources.uncached > kReadPathRebuild) {
    // The detached finalizers normally keep the cache current; this bounds the worst
    // case (finalizers that never ran, a pruned cache).
    if (RebuildEventsCache(env, lq_dir, conn, run_files).ok()) sources = ResolveEventFiles(env, lq_dir, run_files);
  }
  const std::vector<std::string>& files = sources.paths;
  std::string local_sql;
  if (files.empty()) {
    LQ_RETURN_IF_ERROR(conn.Execute(std::string("CREATE TABLE lq_no_events (") + kEventColumnsSql + ")"));
    local_sql = "SELECT * FROM lq_no_events";
  } else {
    // The run files carry every column; the hive partitions (date, source) repeat
    // started_at and source_type and are left out.
    local_sql = "SELECT * FROM read_parquet(" + SqlList(files) + ", hive_partitioning = false, union_by_name = true)";
  }
  // Every row says which project it belongs to, so one set of views serves the local
  // project and the union with the central store.
  std::string events = "SELECT " + SqlQuote(scope.local_namespace) + " AS namespace, " +
                       SqlQuote(scope.local_project) + " AS project, * FROM (" + local_sql + ")";
  if (!scope.include_synced) {
    LQ_RETURN_IF_ERROR(conn.Execute("CREATE VIEW lq_events AS " + events));
  } else {
    std::string pattern = scope.store_root + "/namespace=*/project=*/hostname=*/date=*/source=*/*.parquet";
    LQ_ASSIGN_OR_RETURN(QueryResult found, conn.Query("SELECT count(*) FROM glob(" + SqlQuote(pattern) + ")"));
    if (found.GetInt64(0, 0) > 0) {
      // This machine's own copies of this project are already counted locally. The folder
      // names are other machines' data: they stay strings (no autocast, which made a store
      // of only numeric names fail on `project = 'app'`), and reach SQL only as data.
      events += " UNION ALL BY NAME SELECT * EXCLUDE (date, source) FROM read_parquet(" + SqlQuote(pattern) +
                ", hive_partitioning = true, hive_types_autocast = false, union_by_name = true) WHERE NOT (namespace = " +
                SqlQuote(scope.local_namespace) + " AND project = " + SqlQuote(scope.local_project) +
                " AND hostname = " + SqlQuote(scope.local_hostname) + ")";
    }
    std::string where = "true";
    auto filter = [&](const char* col, const std::string& glob) {
      if (!glob.empty()) where += std::string(" AND ") + col + " GLOB " + SqlQuote(glob);
    };
    filter("namespace", scope.namespace_glob);
    filter("project", scope.project_glob);
    filter("hostname", scope.hostname_glob);
    LQ_RETURN_IF_ERROR(conn.Execute("CREATE VIEW lq_events AS SELECT * FROM (" + events + ") WHERE " + where));
  }
  if (scope.define_views) LQ_RETURN_IF_ERROR(conn.Execute(kViews));
  return std::unique_ptr<ProjectDatabase>(new ProjectDatabase(std::move(db), std::move(conn)));
}

}  // namespace lq::store

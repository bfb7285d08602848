// The read side: lq status / errors / warnings / summary / history / event / context /
// diff / query (sql) / prune. Each opens the project's DuckDB views (store/run_store.h),
// which first converts any run still waiting in the spool.
//
// Conventions of these commands (docs/query.md): "latest" means by start time, never by
// run id (ids are per machine); refs name the machine when it is not this one
// (cli/event_ref.h); readable output is cut to fit a terminal and never in a pipe
// (cli/event_display.h); JSON timestamps are RFC 3339 UTC; a run that does not exist is
// "no run N" and exit 1; no runs at all is a message and exit 0.
#include <algorithm>
#include <cstdio>
#include <ctime>

#include "cli/commands.h"
#include "cli/event_display.h"
#include "cli/event_ref.h"
#include "cli/flag_checks.h"
#include "cli/project_sync.h"
#include "cli/result_printer.h"
#include "core/config.h"
#include "core/device.h"
#include "core/numbers.h"
#include "core/fnv.h"
#include "core/paths.h"
#include "core/project_identity.h"
#include "logs/run_spool.h"
#include "store/events_cache.h"
#include "store/run_store.h"
#include "sync/mirror.h"

namespace lq::cli {
namespace {

using store::ProjectDatabase;

// --include-synced and its filters, shared by the read commands.
struct ScopeFlags {
  bool include_synced = false;
  std::string store, ns, project, hostname;
};

void AddScopeFlags(CLI::App* cmd, ScopeFlags* f) {
  cmd->add_flag("-s,--include-synced", f->include_synced,
                "Also runs synced to the central store (sync.destination or --store), from every machine");
  cmd->add_option("--store", f->store, "Central store for --include-synced: a folder, or s3://bucket/prefix/ (mirrored)");
  cmd->add_option("--namespace", f->ns, "Only these namespaces (glob)");
  cmd->add_option("--project", f->project, "Only these projects (glob)");
  cmd->add_option("--hostname", f->hostname, "Only these hosts (glob)");
}

Result<std::string> ProjectLqDir(Context& ctx) {
  LQ_ASSIGN_OR_RETURN(std::string cwd, ctx.WorkingDir());
  return FindLqDir(ctx.env, cwd);
}

// The folder --include-synced reads: a local store in place (it must exist: a mistyped
// --store is an error, not an empty result), any other through a local mirror of its
// run files, refreshed incrementally first: $LQ_HOME/mirror/<id>/ in the store's layout.
Result<std::string> SyncedStoreRoot(Context& ctx, const std::string& store) {
  LQ_ASSIGN_OR_RETURN(auto dest, OpenDestination(ctx, store));
  if (std::string root = dest->local_root(); !root.empty()) {
    if (!IsDirectory(ctx.env, root)) {
      return Status::NotFound("central store " + root +
                              " does not exist; check --store or sync.destination (lq sync creates it)");
    }
    return root;
  }
  LQ_ASSIGN_OR_RETURN(std::string home, LqHome(ctx.env));
  std::string mirror = JoinPath(JoinPath(home, "mirror"), Hex16(Fnv1a64(dest->Describe())));
  auto runs_only = [](const std::string& key) {
    return key.size() > 8 && key.compare(key.size() - 8, 8, ".parquet") == 0;
  };
  LQ_ASSIGN_OR_RETURN(sync::MirrorResult m, sync::MirrorStore(ctx.env, dest.get(), mirror, "", runs_only));
  if (m.fetched > 0 || m.removed > 0) {
    ctx.out->Info("Mirrored " + dest->Describe() + ": " + std::to_string(m.fetched) + " new run files, " +
                  std::to_string(m.removed) + " removed, " + std::to_string(m.kept) + " already here");
  }
  return mirror;
}

// `used`, when given, receives the scope the database was opened with (whose runs are
// local, the store's folder).
Result<std::unique_ptr<ProjectDatabase>> OpenProject(Context& ctx, const ScopeFlags& flags = {},
                                                     bool define_views = true, store::EventScope* used = nullptr) {
  LQ_ASSIGN_OR_RETURN(std::string lq_dir, ProjectLqDir(ctx));
  LQ_ASSIGN_OR_RETURN(ConfigFile config, ConfigFile::Load(ctx.env, JoinPath(lq_dir, "config.yaml")));
  store::EventScope scope;
  scope.local_namespace = config.config().namespace_;
  scope.local_project = config.config().project;
  scope.local_hostname = SafeName(DataHostName(ctx.env));
  scope.include_synced = flags.include_synced;
  scope.namespace_glob = flags.ns;
  scope.project_glob = flags.project;
  scope.hostname_glob = flags.hostname;
  scope.define_views = define_views;
  if (flags.include_synced) {
    std::string store = flags.store.empty() ? config.config().sync.destination : flags.store;
    if (store.empty()) {
      return Status::InvalidArgument("--include-synced needs a store: set sync.destination or pass --store PATH");
    }
    LQ_ASSIGN_OR_RETURN(scope.store_root, SyncedStoreRoot(ctx, store));
  }
  if (used != nullptr) *used = scope;
  return ProjectDatabase::Open(ctx.env, lq_dir, scope);
}

// lq query / lq sql: every statement runs in order and each result is printed as soon as
// it is there: readable tables separated by a blank line, or with --json one JSON array
// per statement (a single statement prints one array, as every --json command does).
Status RunStatements(Context& ctx, const std::string& sql, bool json, const ScopeFlags& scope) {
  auto no_sql = [] {
    return Status::InvalidArgument("no SQL statement to run (the query is empty or only comments); "
                                   "e.g. lq query \"SELECT * FROM lq_runs\"");
  };
  if (sql.find_first_not_of(" \t\r\n\f\v") == std::string::npos) return no_sql();
  LQ_ASSIGN_OR_RETURN(auto db, OpenProject(ctx, scope));
  size_t printed = 0;
  LQ_ASSIGN_OR_RETURN(size_t statements, db->connection().QueryEach(sql, [&](store::QueryResult& r) {
    if (!json && printed++ > 0) ctx.out->Line("");
    PrintResult(*ctx.out, r, json);
    return Status::OK();
  }));
  if (statements == 0) return no_sql();
  return Status::OK();
}

constexpr const char* kNoRunsYet = "No runs recorded yet; record one with: lq exec -- make (or lq import FILE)";

LocalIdentity LocalOf(const store::EventScope& scope) {
  return {scope.local_namespace, scope.local_project, scope.local_hostname};
}

std::string NoRunsMessage(const ScopeFlags& scope) {
  return scope.include_synced ? "No runs found here or in the store (check --store and the filters)" : kNoRunsYet;
}

Result<bool> AnyRun(store::Connection& conn, const std::string& condition = "true") {
  LQ_ASSIGN_OR_RETURN(store::QueryResult r,
                      conn.Query("SELECT count(*) FROM (SELECT 1 FROM lq_events WHERE " + condition + " LIMIT 1)"));
  return r.GetInt64(0, 0) > 0;
}

// NotFound unless the run of `condition` exists; "no run 999 (lq history lists runs)".
Status RequireRun(store::Connection& conn, const std::string& condition, const std::string& shown,
                  bool include_synced) {
  LQ_ASSIGN_OR_RETURN(bool any, AnyRun(conn, condition));
  if (any) return Status::OK();
  return Status::NotFound("no run " + shown + " (lq history" + (include_synced ? " --include-synced" : "") +
                          " lists runs)");
}

struct ListFlags {
  int limit = 20;
  std::string run;  // a run reference (event_ref.h); "" = the latest run of each command
  bool all = false;
  bool json = false;
  ScopeFlags scope;
};

// lq errors / lq warnings. By default the latest run of each command (per project and
// machine), as lq status shows them; --run one run; --all every run. Newest first.
Status ListEvents(Context& ctx, const char* severity, const ListFlags& f) {
  store::EventScope scope;
  LQ_ASSIGN_OR_RETURN(auto db, OpenProject(ctx, f.scope, /*define_views=*/false, &scope));  // lq_events only
  store::Connection& conn = db->connection();
  LocalIdentity local = LocalOf(scope);
  std::string runs, which;
  if (!f.run.empty()) {
    LQ_ASSIGN_OR_RETURN(RunRef ref, ParseRunRef(f.run));
    LQ_ASSIGN_OR_RETURN(std::string condition, RunCondition(ref, local, f.scope.include_synced));
    LQ_RETURN_IF_ERROR(RequireRun(conn, condition, f.run, f.scope.include_synced));
    runs = "SELECT DISTINCT namespace, project, hostname, run_id FROM lq_events WHERE " + condition;
    which = "in run " + f.run;
  } else if (!f.all) {
    runs = "SELECT namespace, project, hostname, run_id FROM (SELECT DISTINCT namespace, project, hostname, run_id, "
           "source_name, started_at FROM lq_events) QUALIFY row_number() OVER (PARTITION BY namespace, project, "
           "hostname, source_name ORDER BY started_at DESC, run_id DESC) = 1";
    which = "in the latest run of each command (lq status)";
  } else {
    which = "in any run";
  }
  std::string ref = (f.scope.include_synced ? RunRefSql(local) : std::string("run_id")) + " || ':' || event_id";
  std::string from = "FROM lq_events" + (runs.empty() ? "" : " JOIN (" + runs + ") USING (namespace, project, hostname, run_id)") +
                     " WHERE severity = " + store::SqlQuote(severity) +
                     " ORDER BY started_at DESC, namespace, project, hostname, run_id DESC, event_id LIMIT " +
                     std::to_string(f.limit);
  std::string sql =
      f.json ? "SELECT " + ref + " AS ref, namespace, project, hostname, run_id, event_id, source_name, started_at, "
                   "severity, tool_name, category, file_path, line_number, column_number, error_code, message, "
                   "error_fingerprint, log_line_start, log_line_end " + from
             : "SELECT " + ref + " AS ref, source_name, tool_name, "
                   "CASE WHEN file_path = '' THEN NULL ELSE file_path || CASE WHEN line_number > 0 THEN ':' || "
                   "line_number ELSE '' END || CASE WHEN column_number > 0 THEN ':' || column_number ELSE '' END END "
                   "AS location, error_code, message, error_fingerprint, count(*) OVER () AS total " + from;
  LQ_ASSIGN_OR_RETURN(store::QueryResult r, conn.Query(sql));
  if (r.row_count() == 0 && !f.json) {
    LQ_ASSIGN_OR_RETURN(bool any, AnyRun(conn));
    ctx.out->Info(any ? std::string("No ") + severity + "s " + which : NoRunsMessage(f.scope));
    return Status::OK();
  }
  FitColumns fit;  // the readable columns above, "total" left out
  fit.location = 3;
  fit.message = 5;
  fit.droppable = 6;
  PrintRows(*ctx.out, r, f.json, "", fit, {"total"});
  if (!f.json && r.GetInt64(r.column_count() - 1, 0) > static_cast<int64_t>(r.row_count())) {
    ctx.out->Info("(" + std::to_string(r.row_count()) + " of " + std::to_string(r.GetInt64(r.column_count() - 1, 0)) +
                  "; -n N for more)");
  }
  return Status::OK();
}

void AddListCommand(CLI::App& app, Context& ctx, const char* name, const char* severity, const char* help) {
  auto f = std::make_shared<ListFlags>();
  CLI::App* cmd = app.add_subcommand(name, help);
  cmd->footer(std::string("By default the ") + name +
              " of the latest run of each command (the runs lq status shows), newest first;\n"
              "--run for one run, --all for every run. REF (RUN:EVENT) goes to lq context / lq event.\n\n"
              "Examples:\n  lq " + name + "\n  lq " + name + " --all -n 50 --json\n  lq " + name +
              " --run 12\n  lq " + name + " --include-synced --run laptop:16");
  cmd->add_option("-n,--limit", f->limit, "At most this many (default 20)")->check(WholeNumber(1));
  cmd->add_option("--run", f->run, "Only this run: RUN, or HOST:RUN with --include-synced");
  cmd->add_flag("-a,--all", f->all, "Across all runs");
  cmd->add_flag("--json", f->json, "JSON array of objects");
  AddScopeFlags(cmd, &f->scope);
  cmd->callback([&ctx, f, severity] { ctx.action = [&ctx, f, severity] { return ListEvents(ctx, severity, *f); }; });
}

// The readable form of a timestamp column: to the second, as people read it.
std::string ReadableTime(const std::string& column) {
  return "strftime(" + column + ", '%Y-%m-%d %H:%M:%S') AS " + column;
}

// lq status / lq summary / lq history. `readable` ("columns FROM view") and `json_sql`
// select from the views; with --include-synced the readable table starts with hostname
// and project when `per_host` (the view has them).
void AddRunsCommand(CLI::App& app, Context& ctx, const char* name, const char* help, std::string readable,
                    std::string json_sql, std::string footer, bool with_limit, bool per_host) {
  auto limit = std::make_shared<int>(20);
  auto json = std::make_shared<bool>(false);
  auto scope = std::make_shared<ScopeFlags>();
  CLI::App* cmd = app.add_subcommand(name, help);
  cmd->footer(footer);
  if (with_limit) cmd->add_option("-n,--limit", *limit, "At most this many (default 20)")->check(WholeNumber(1));
  cmd->add_flag("--json", *json, "JSON array of objects");
  AddScopeFlags(cmd, scope.get());
  cmd->callback([&ctx, limit, json, scope, readable, json_sql, with_limit, per_host] {
    ctx.action = [&ctx, limit, json, scope, readable, json_sql, with_limit, per_host]() -> Status {
      std::string sql =
          *json ? json_sql : "SELECT " + std::string(per_host && scope->include_synced ? "hostname, project, " : "") + readable;
      if (with_limit) sql += " LIMIT " + std::to_string(*limit);
      LQ_ASSIGN_OR_RETURN(auto db, OpenProject(ctx, *scope));
      LQ_ASSIGN_OR_RETURN(store::QueryResult r, db->connection().Query(sql));
      FitColumns fit;
      fit.message = r.column_count() > 0 && r.column_name(r.column_count() - 1) == "command"
                        ? static_cast<int>(r.column_count() - 1)
                        : -1;
      PrintRows(*ctx.out, r, *json, NoRunsMessage(*scope), fit);
      return Status::OK();
    };
  });
}

// Finds one event; NotFound naming what is missing (the run, or the event in it).
Result<store::QueryResult> FindEvent(store::Connection& conn, const std::string& columns, const EventRef& ref,
                                     const std::string& ref_text, const LocalIdentity& local, bool include_synced) {
  LQ_ASSIGN_OR_RETURN(std::string condition, RunCondition(ref.run, local, include_synced));
  if (ref.run.run_id == 0) {
    LQ_ASSIGN_OR_RETURN(bool any, AnyRun(conn));
    if (!any) return Status::NotFound("no runs recorded yet; record one with: lq exec -- make");
  } else {
    std::string run_text = ref_text.substr(0, ref_text.rfind(':'));
    LQ_RETURN_IF_ERROR(RequireRun(conn, condition, run_text, include_synced));
  }
  LQ_ASSIGN_OR_RETURN(store::QueryResult r, conn.Query("SELECT " + columns + " FROM lq_events WHERE " + condition +
                                                       " AND event_id = " + std::to_string(ref.event_id)));
  if (r.row_count() == 0) {
    return Status::NotFound("no event " + ref_text + "; list them with: lq errors --all" +
                            (include_synced ? " --include-synced" : ""));
  }
  return r;
}

Status ShowEvent(Context& ctx, const std::string& ref_text, const ScopeFlags& flags, bool json) {
  LQ_ASSIGN_OR_RETURN(EventRef ref, ParseEventRef(ref_text));
  store::EventScope scope;
  LQ_ASSIGN_OR_RETURN(auto db, OpenProject(ctx, flags, /*define_views=*/false, &scope));
  LocalIdentity local = LocalOf(scope);
  LQ_ASSIGN_OR_RETURN(store::QueryResult q, FindEvent(db->connection(), "* EXCLUDE (ci, environment)", ref, ref_text,
                                                      local, flags.include_synced));
  if (json) {
    ctx.out->Json(JsonRows(q)[0]);
    return Status::OK();
  }
  std::vector<std::pair<std::string, std::string>> rows;
  std::string raw_text;
  for (size_t c = 0; c < q.column_count(); ++c) {
    if (q.IsNull(c, 0)) continue;
    if (q.column_name(c) == "raw_text") {
      raw_text = q.GetString(c, 0);
    } else {
      rows.emplace_back(q.column_name(c), TerminalSafeText(q.GetString(c, 0), false));
    }
  }
  ctx.out->KeyValues(rows);
  if (!raw_text.empty()) {
    ctx.out->Line("");
    size_t pos = 0;
    while (pos <= raw_text.size()) {
      size_t nl = std::min(raw_text.find('\n', pos), raw_text.size());
      ctx.out->Line(TerminalSafeText(std::string_view(raw_text).substr(pos, nl - pos)));
      pos = nl + 1;
    }
  }
  return Status::OK();
}

Status ShowContext(Context& ctx, const std::string& ref_text, int context_lines, const ScopeFlags& flags, bool json) {
  LQ_ASSIGN_OR_RETURN(EventRef ref, ParseEventRef(ref_text));
  store::EventScope scope;
  LQ_ASSIGN_OR_RETURN(auto db, OpenProject(ctx, flags, /*define_views=*/false, &scope));
  LocalIdentity local = LocalOf(scope);
  LQ_ASSIGN_OR_RETURN(store::QueryResult r,
                      FindEvent(db->connection(), "namespace, project, hostname, run_id, log_line_start, log_line_end",
                                ref, ref_text, local, flags.include_synced));
  std::string ns = r.GetString(0, 0), project = r.GetString(1, 0), host = r.GetString(2, 0);
  int64_t run_id = r.GetInt64(3, 0), first = r.GetInt64(4, 0), last = r.GetInt64(5, 0);
  bool local_run = !flags.include_synced || (ns == local.ns && project == local.project && host == local.hostname);
  LQ_ASSIGN_OR_RETURN(std::string lq_dir, ProjectLqDir(ctx));
  // Another machine's raw log is in the store only when that machine syncs them.
  std::string raw_path =
      local_run ? logs::RunPaths::For(lq_dir, run_id).raw
                : logs::RunPaths::For(scope.store_root + "/namespace=" + ns + "/project=" + project + "/hostname=" + host,
                                      run_id)
                      .raw;
  Result<std::string> raw = ctx.env->ReadFile(raw_path);
  if (!raw.ok()) {
    std::string run_text = FormatRunRef(local, ns, project, host, run_id);
    return Status::NotFound("the raw log of run " + run_text + " is not " +
                            (local_run ? std::string("here (") + raw_path + ")"
                                       : "in the store (machines send raw logs only with sync.include_raw: true)") +
                            "; lq event " + ref_text + (flags.include_synced ? " --include-synced" : "") +
                            " shows the event's own lines");
  }
  int64_t from = std::max<int64_t>(1, first - context_lines), to = last + context_lines;
  nlohmann::json lines = nlohmann::json::array();
  int64_t number = 1;
  size_t pos = 0;
  while (pos < raw->size() && number <= to) {  // a final newline ends the last line
    size_t nl = raw->find('\n', pos);
    if (nl == std::string::npos) nl = raw->size();
    if (number >= from) {
      std::string text = raw->substr(pos, nl - pos);
      if (!text.empty() && text.back() == '\r') text.pop_back();
      bool in_event = number >= first && number <= last;
      if (json) {
        lines.push_back({{"line", number}, {"text", text}, {"in_event", in_event}});
      } else {
        // The log's own escapes and control characters would act on the terminal (or
        // land in a file): shown as plain text, lq's own marking only.
        std::string safe = TerminalSafeText(text);
        char prefix[32];
        std::snprintf(prefix, sizeof prefix, "%s%6lld | ", in_event ? ">" : " ", static_cast<long long>(number));
        ctx.out->Line(std::string(prefix) + (in_event ? ctx.out->Bold(safe) : safe));
      }
    }
    if (nl == raw->size()) break;
    pos = nl + 1;
    ++number;
  }
  if (json) {
    ctx.out->Json({{"ref", FormatRunRef(local, ns, project, host, run_id) + ":" + std::to_string(ref.event_id)},
                   {"run_id", run_id},
                   {"event_id", ref.event_id},
                   {"raw_log", raw_path},
                   {"lines", lines}});
  }
  return Status::OK();
}

Status Diff(Context& ctx, const std::vector<std::string>& runs, bool json) {
  store::EventScope scope;
  LQ_ASSIGN_OR_RETURN(auto db, OpenProject(ctx, {}, /*define_views=*/true, &scope));
  store::Connection& conn = db->connection();
  int64_t a = 0, b = 0;
  if (runs.size() == 2) {
    int64_t* ids[] = {&a, &b};
    for (int i = 0; i < 2; ++i) {
      LQ_ASSIGN_OR_RETURN(RunRef ref, ParseRunRef(runs[i]));
      if (!ref.is_local()) return Status::InvalidArgument("lq diff compares this machine's runs; name them as lq history does");
      LQ_ASSIGN_OR_RETURN(std::string condition, RunCondition(ref, LocalOf(scope), false));
      LQ_RETURN_IF_ERROR(RequireRun(conn, condition, runs[i], false));
      *ids[i] = ref.run_id;
    }
  } else if (runs.empty()) {
    LQ_ASSIGN_OR_RETURN(bool any, AnyRun(conn));
    if (!any) {
      if (json) ctx.out->Json(nlohmann::json::array());
      if (!json) ctx.out->Info(kNoRunsYet);
      return Status::OK();
    }
    // The latest run against the previous run of the same name, by start time.
    LQ_ASSIGN_OR_RETURN(store::QueryResult r,
                        conn.Query("WITH latest AS (SELECT run_id, source_name, started_at FROM lq_runs ORDER BY "
                                   "started_at DESC, run_id DESC LIMIT 1) SELECT (SELECT r.run_id FROM lq_runs r, "
                                   "latest l WHERE r.source_name = l.source_name AND (r.started_at < l.started_at OR "
                                   "(r.started_at = l.started_at AND r.run_id < l.run_id)) ORDER BY r.started_at DESC, "
                                   "r.run_id DESC LIMIT 1), (SELECT run_id FROM latest)"));
    if (r.row_count() == 0 || r.IsNull(0, 0) || r.IsNull(1, 0)) {
      return Status::NotFound("need two runs of the same command to diff; or name them: lq diff RUN_A RUN_B");
    }
    a = r.GetInt64(0, 0);
    b = r.GetInt64(1, 0);
  } else {
    return Status::InvalidArgument("lq diff takes no run or two runs (RUN_A RUN_B)");
  }
  LQ_ASSIGN_OR_RETURN(store::QueryResult r,
                      conn.Query("SELECT * FROM lq_diff(" + std::to_string(a) + ", " + std::to_string(b) + ")"));
  if (!json) ctx.out->Info("Errors in run " + std::to_string(b) + " compared with run " + std::to_string(a) + ":");
  FitColumns fit;
  fit.message = 2;  // change, error_fingerprint, message, ...
  PrintRows(*ctx.out, r, json, "No new or fixed errors", fit);
  return Status::OK();
}

Status Prune(Context& ctx, const std::string& older_than, bool dry_run, bool json) {
  Result<int64_t> age = ParseDuration(older_than);
  if (!age.ok()) return Status::InvalidArgument("--older-than " + age.status().message());
  LQ_ASSIGN_OR_RETURN(std::string lq_dir, ProjectLqDir(ctx));
  store::FinalizeSpooledRuns(ctx.env, lq_dir);
  Env* env = ctx.env;
  // age is at most 100 years (ParseDuration), so the cutoff is in the past and in range.
  int64_t cutoff_micros = env->NowMicros() - *age * 1000000;
  std::time_t cutoff = static_cast<std::time_t>(cutoff_micros / 1000000);
  std::tm tm{};
  gmtime_r(&cutoff, &tm);
  char cutoff_date[16];
  std::strftime(cutoff_date, sizeof cutoff_date, "%Y-%m-%d", &tm);
  int64_t runs = 0, bytes = 0;
  std::vector<std::string> removed;
  // Whole days older than the cutoff go (partitions are by UTC start date).
  for (const std::string& rel : store::ListRunFiles(env, lq_dir)) {  // logs/date=D/source=S/NNN_...
    if (rel.compare(5, 5, "date=") != 0 || rel.substr(10, 10) >= cutoff_date) continue;
    std::string path = JoinPath(lq_dir, rel);
    if (auto info = env->Stat(path); info.ok()) bytes += static_cast<int64_t>(info->size);
    ++runs;
    removed.push_back(path);
    int64_t id = ParseNonNegativeInt(std::string_view(BaseName(rel)).substr(0, BaseName(rel).find('_'))).value_or(0);
    std::string raw = logs::RunPaths::For(lq_dir, id).raw;
    if (auto info = env->Stat(raw); id > 0 && info.ok()) {
      bytes += static_cast<int64_t>(info->size);
      removed.push_back(raw);
    }
  }
  if (!dry_run) {
    for (const auto& p : removed) env->RemoveFile(p);
    // Drop the emptied date=/source= folders.
    for (const auto& p : removed) {
      std::string dir(DirName(p));
      if (env->RemoveDir(dir).ok()) env->RemoveDir(std::string(DirName(dir)));
    }
  }
  if (json) {
    ctx.out->Json({{"runs", runs},
                   {"bytes", bytes},
                   {"dry_run", dry_run},
                   {"before", cutoff_date},
                   {"cutoff", FormatRfc3339Utc(cutoff_micros)},
                   {"files", removed}});
  } else {
    ctx.out->Line(std::string(dry_run ? "Would remove " : "Removed ") + std::to_string(runs) + " run(s) started before " +
                  cutoff_date + " (" + std::to_string(bytes / 1024) + " KiB)");
  }
  return Status::OK();
}

}  // namespace

void AddQueryCommands(CLI::App& app, Context& ctx) {
  AddRunsCommand(app, ctx, "status", "Latest run of each command: OK, WARN or FAIL",
                 "source_name, status, run_id, errors, warnings, exit_code, " + ReadableTime("started_at") +
                     ", duration_sec FROM lq_status()",
                 "SELECT * FROM lq_status()", "Examples:\n  lq status\n  lq status --json", false, true);
  AddListCommand(app, ctx, "errors", "error", "Errors of the latest run of each command (file:line, message)");
  AddListCommand(app, ctx, "warnings", "warning", "Warnings of the latest run of each command");
  AddRunsCommand(app, ctx, "summary", "Per command: runs, failures, errors, warnings, average duration",
                 "source_name, runs, failed_runs, errors, warnings, " + ReadableTime("last_run") +
                     ", avg_duration_sec FROM lq_summary",
                 "SELECT * FROM lq_summary", "Examples:\n  lq summary --json", false, false);
  // The table keeps to what fits a terminal; --json has every column.
  AddRunsCommand(app, ctx, "history", "Recorded runs, newest first",
                 "run_id, status, source_name, source_type, " + ReadableTime("started_at") +
                     ", duration_sec, exit_code, errors, warnings, command FROM lq_history",
                 "SELECT * FROM lq_history",
                 "Examples:\n  lq history -n 50\n  lq history --json\n  lq history --include-synced --hostname 'ci-*'",
                 true, true);
  {
    auto ref = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto scope = std::make_shared<ScopeFlags>();
    CLI::App* cmd = app.add_subcommand("event", "Everything recorded about one event");
    cmd->footer("REF as lq errors prints it: RUN:EVENT, HOST:RUN:EVENT (with --include-synced), or EVENT\n"
                "in the latest run.\n\nExamples:\n  lq event 12:3\n  lq event laptop:16:1 --include-synced");
    cmd->add_option("REF", *ref, "RUN:EVENT")->required();
    cmd->add_flag("--json", *json, "JSON");
    AddScopeFlags(cmd, scope.get());
    cmd->callback([&ctx, ref, json, scope] {
      ctx.action = [&ctx, ref, json, scope] { return ShowEvent(ctx, *ref, *scope, *json); };
    });
  }
  {
    auto ref = std::make_shared<std::string>();
    auto lines = std::make_shared<int>(3);
    auto json = std::make_shared<bool>(false);
    auto scope = std::make_shared<ScopeFlags>();
    CLI::App* cmd = app.add_subcommand("context", "The raw log lines around an event");
    cmd->footer("REF as lq errors prints it (RUN:EVENT). Escape sequences and control characters of\n"
                "the log are not printed (--json has the text as recorded).\n\n"
                "Examples:\n  lq context 12:3\n  lq context 3 --lines 10");
    cmd->add_option("REF", *ref, "RUN:EVENT")->required();
    cmd->add_option("-c,--lines", *lines, "Lines before and after (default 3)")->check(WholeNumber(0));
    cmd->add_option("--context", *lines, "Old name of --lines")->check(WholeNumber(0))->group("");
    cmd->add_flag("--json", *json, "JSON");
    AddScopeFlags(cmd, scope.get());
    cmd->callback([&ctx, ref, lines, json, scope] {
      ctx.action = [&ctx, ref, lines, json, scope] { return ShowContext(ctx, *ref, *lines, *scope, *json); };
    });
  }
  {
    auto runs = std::make_shared<std::vector<std::string>>();
    auto json = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("diff", "New and fixed errors between two runs (by fingerprint)");
    cmd->footer("Without runs: the latest run against the previous run of the same command.\n\n"
                "Examples:\n  lq diff\n  lq diff 11 12 --json");
    cmd->add_option("RUNS", *runs, "RUN_A RUN_B");
    cmd->add_flag("--json", *json, "JSON array of objects");
    cmd->callback([&ctx, runs, json] { ctx.action = [&ctx, runs, json] { return Diff(ctx, *runs, *json); }; });
  }
  for (const char* name : {"query", "sql"}) {
    auto sql = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto scope = std::make_shared<ScopeFlags>();
    CLI::App* cmd = app.add_subcommand(name, "Run DuckDB SQL over the project's runs (views: lq_events, lq_runs, ...)");
    cmd->footer("Views and macros: lq_events, lq_runs, lq_history, lq_summary, lq_status(),\n"
                "lq_errors(n), lq_warnings(n), lq_diff(a, b) — see docs/query.md.\n\n"
                "Examples:\n"
                "  lq query \"SELECT tool_name, count(*) FROM lq_events GROUP BY ALL\"\n"
                "  lq sql \"SELECT * FROM lq_errors(5)\" --json");
    cmd->add_option("SQL", *sql, "The query")->required();
    cmd->add_flag("--json", *json, "JSON array of objects");
    AddScopeFlags(cmd, scope.get());
    cmd->callback([&ctx, sql, json, scope] {
      ctx.action = [&ctx, sql, json, scope] { return RunStatements(ctx, *sql, *json, *scope); };
    });
  }
  {
    auto older = std::make_shared<std::string>();
    auto dry_run = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("prune", "Delete local runs older than an age (never synced copies)");
    cmd->footer("AGE is a whole number and a unit (s, m, h, d, w), at most 100 years.\n\n"
                "Examples:\n  lq prune --older-than 30d --dry-run\n  lq prune --older-than 2w");
    cmd->add_option("--older-than", *older, "Age: 30d, 12h, 2w")->required();
    cmd->add_flag("--dry-run", *dry_run, "Show what would be removed");
    cmd->add_flag("--json", *json, "JSON summary");
    cmd->callback([&ctx, older, dry_run, json] {
      ctx.action = [&ctx, older, dry_run, json] { return Prune(ctx, *older, *dry_run, *json); };
    });
  }
}

}  // namespace lq::cli

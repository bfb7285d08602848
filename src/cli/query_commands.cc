// The read side: lq status / errors / warnings / summary / history / event / context /
// diff / query (sql) / prune. Each opens the project's DuckDB views (store/run_store.h),
// which first converts any run still waiting in the spool.
#include <cstdio>
#include <ctime>

#include "cli/commands.h"
#include "cli/project_sync.h"
#include "cli/result_printer.h"
#include "core/config.h"
#include "core/device.h"
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

Result<std::unique_ptr<ProjectDatabase>> OpenProject(Context& ctx, const ScopeFlags& flags = {},
                                                     bool define_views = true) {
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
  return ProjectDatabase::Open(ctx.env, lq_dir, scope);
}

Status RunQuery(Context& ctx, const std::string& sql, bool json, const ScopeFlags& scope = {},
                bool define_views = true) {
  LQ_ASSIGN_OR_RETURN(auto db, OpenProject(ctx, scope, define_views));
  LQ_ASSIGN_OR_RETURN(store::QueryResult r, db->connection().Query(sql));
  PrintResult(*ctx.out, r, json);
  return Status::OK();
}

// "12", "012" -> 12. InvalidArgument otherwise.
Result<int64_t> ParseRunId(const std::string& s) {
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || v <= 0) return Status::InvalidArgument("'" + s + "' is not a run number");
  return static_cast<int64_t>(v);
}

// An event reference: "RUN:EVENT" (as lq errors prints them) or "EVENT" in the latest run.
struct EventRef {
  int64_t run_id = 0;  // 0 = latest run
  int64_t event_id = 0;
};

Result<EventRef> ParseEventRef(const std::string& s) {
  EventRef ref;
  size_t colon = s.find(':');
  if (colon != std::string::npos) {
    LQ_ASSIGN_OR_RETURN(ref.run_id, ParseRunId(s.substr(0, colon)));
    LQ_ASSIGN_OR_RETURN(ref.event_id, ParseRunId(s.substr(colon + 1)));
  } else {
    LQ_ASSIGN_OR_RETURN(ref.event_id, ParseRunId(s));
  }
  return ref;
}

std::string RunFilter(int64_t run_id) {
  return run_id > 0 ? std::to_string(run_id) : std::string("(SELECT max(run_id) FROM lq_events)");
}

struct ListFlags {
  int limit = 20;
  int64_t run = 0;
  bool all = false;
  bool json = false;
  ScopeFlags scope;
};

Status ListEvents(Context& ctx, const char* severity, const ListFlags& f) {
  std::string where = std::string("severity = '") + severity + "'";
  if (!f.all && !f.scope.include_synced) where += " AND run_id = " + RunFilter(f.run);
  if (f.scope.include_synced && f.run > 0) where += " AND run_id = " + std::to_string(f.run);
  std::string sql =
      "SELECT run_id || ':' || event_id AS ref, " + std::string(f.scope.include_synced ? "hostname, project, " : "") +
      "source_name, tool_name, "
      "CASE WHEN file_path = '' THEN NULL ELSE file_path || CASE WHEN line_number > 0 THEN ':' || line_number "
      "ELSE '' END || CASE WHEN column_number > 0 THEN ':' || column_number ELSE '' END END AS location, "
      "error_code, message, error_fingerprint AS fingerprint "
      "FROM lq_events WHERE " + where + " ORDER BY run_id DESC, event_id LIMIT " + std::to_string(f.limit);
  if (f.json) {
    sql = "SELECT namespace, project, hostname, run_id, event_id, source_name, severity, tool_name, category, file_path, line_number, "
          "column_number, error_code, message, error_fingerprint, log_line_start, log_line_end FROM lq_events WHERE " +
          where + " ORDER BY run_id DESC, event_id LIMIT " + std::to_string(f.limit);
  }
  return RunQuery(ctx, sql, f.json, f.scope, /*define_views=*/false);  // reads lq_events only
}

void AddListCommand(CLI::App& app, Context& ctx, const char* name, const char* severity, const char* help) {
  auto f = std::make_shared<ListFlags>();
  CLI::App* cmd = app.add_subcommand(name, help);
  cmd->footer(std::string("By default the latest run's ") + name +
              "; --all for every run, newest first.\n\nExamples:\n  lq " + name + "\n  lq " + name +
              " --all -n 50 --json\n  lq " + name + " --run 12");
  cmd->add_option("-n,--limit", f->limit, "At most this many (default 20)")->check(CLI::PositiveNumber);
  cmd->add_option("--run", f->run, "Only this run");
  cmd->add_flag("-a,--all", f->all, "Across all runs");
  cmd->add_flag("--json", f->json, "JSON array of objects");
  AddScopeFlags(cmd, &f->scope);
  cmd->callback([&ctx, f, severity] { ctx.action = [&ctx, f, severity] { return ListEvents(ctx, severity, *f); }; });
}

void AddSimpleQuery(CLI::App& app, Context& ctx, const char* name, const char* help, std::string sql,
                    std::string footer) {
  auto json = std::make_shared<bool>(false);
  auto scope = std::make_shared<ScopeFlags>();
  CLI::App* cmd = app.add_subcommand(name, help);
  cmd->footer(footer);
  cmd->add_flag("--json", *json, "JSON array of objects");
  AddScopeFlags(cmd, scope.get());
  cmd->callback([&ctx, json, sql, scope] {
    ctx.action = [&ctx, json, sql, scope] { return RunQuery(ctx, sql, *json, *scope); };
  });
}

Status ShowContext(Context& ctx, const std::string& ref_text, int context_lines, bool json) {
  LQ_ASSIGN_OR_RETURN(EventRef ref, ParseEventRef(ref_text));
  LQ_ASSIGN_OR_RETURN(std::string lq_dir, ProjectLqDir(ctx));
  LQ_ASSIGN_OR_RETURN(auto db, ProjectDatabase::Open(ctx.env, lq_dir));
  LQ_ASSIGN_OR_RETURN(store::QueryResult r,
                      db->connection().Query("SELECT run_id, log_line_start, log_line_end FROM lq_events WHERE run_id = " +
                                             RunFilter(ref.run_id) + " AND event_id = " + std::to_string(ref.event_id)));
  if (r.row_count() == 0) return Status::NotFound("no event " + ref_text + "; list them with: lq errors");
  int64_t run_id = r.GetInt64(0, 0), first = r.GetInt64(1, 0), last = r.GetInt64(2, 0);
  std::string raw_path = logs::RunPaths::For(lq_dir, run_id).raw;
  LQ_ASSIGN_OR_RETURN(std::string raw, ctx.env->ReadFile(raw_path));
  int64_t from = std::max<int64_t>(1, first - context_lines), to = last + context_lines;
  nlohmann::json lines = nlohmann::json::array();
  int64_t number = 1;
  size_t pos = 0;
  while (pos <= raw.size() && number <= to) {
    size_t nl = raw.find('\n', pos);
    if (nl == std::string::npos) nl = raw.size();
    if (number >= from) {
      std::string text = raw.substr(pos, nl - pos);
      if (!text.empty() && text.back() == '\r') text.pop_back();
      bool in_event = number >= first && number <= last;
      if (json) {
        lines.push_back({{"line", number}, {"text", text}, {"in_event", in_event}});
      } else {
        char prefix[32];
        std::snprintf(prefix, sizeof prefix, "%s%6lld | ", in_event ? ">" : " ", static_cast<long long>(number));
        ctx.out->Line(std::string(prefix) + (in_event ? ctx.out->Bold(text) : text));
      }
    }
    if (nl == raw.size()) break;
    pos = nl + 1;
    ++number;
  }
  if (json) ctx.out->Json({{"run_id", run_id}, {"event_id", ref.event_id}, {"raw_log", raw_path}, {"lines", lines}});
  return Status::OK();
}

Status Diff(Context& ctx, const std::vector<std::string>& runs, bool json) {
  LQ_ASSIGN_OR_RETURN(auto db, OpenProject(ctx));
  int64_t a = 0, b = 0;
  if (runs.size() == 2) {
    LQ_ASSIGN_OR_RETURN(a, ParseRunId(runs[0]));
    LQ_ASSIGN_OR_RETURN(b, ParseRunId(runs[1]));
  } else if (runs.empty()) {
    // The latest run against the previous run of the same name.
    LQ_ASSIGN_OR_RETURN(store::QueryResult r,
                        db->connection().Query("WITH latest AS (SELECT run_id, source_name FROM lq_runs ORDER BY "
                                               "run_id DESC LIMIT 1) SELECT (SELECT max(r.run_id) FROM lq_runs r, latest "
                                               "l WHERE r.source_name = l.source_name AND r.run_id < l.run_id), "
                                               "(SELECT run_id FROM latest)"));
    if (r.row_count() == 0 || r.IsNull(0, 0) || r.IsNull(1, 0)) {
      return Status::NotFound("need two runs of the same command to diff; or name them: lq diff RUN_A RUN_B");
    }
    a = r.GetInt64(0, 0);
    b = r.GetInt64(1, 0);
  } else {
    return Status::InvalidArgument("lq diff takes no run or two runs (RUN_A RUN_B)");
  }
  LQ_ASSIGN_OR_RETURN(store::QueryResult r,
                      db->connection().Query("SELECT * FROM lq_diff(" + std::to_string(a) + ", " + std::to_string(b) + ")"));
  if (!json) ctx.out->Info("Errors in run " + std::to_string(b) + " compared with run " + std::to_string(a) + ":");
  PrintResult(*ctx.out, r, json);
  return Status::OK();
}

// "30d", "12h", "2w" -> seconds.
Result<int64_t> ParseAge(const std::string& s) {
  char* end = nullptr;
  long long n = std::strtoll(s.c_str(), &end, 10);
  std::string unit = end ? end : "";
  int64_t mult = unit == "d" ? 86400 : unit == "h" ? 3600 : unit == "w" ? 7 * 86400 : unit == "m" ? 60 : 0;
  if (s.empty() || n <= 0 || mult == 0) {
    return Status::InvalidArgument("--older-than takes a number with a unit: 30d, 12h, 2w");
  }
  return static_cast<int64_t>(n) * mult;
}

Status Prune(Context& ctx, const std::string& older_than, bool dry_run, bool json) {
  LQ_ASSIGN_OR_RETURN(int64_t age, ParseAge(older_than));
  LQ_ASSIGN_OR_RETURN(std::string lq_dir, ProjectLqDir(ctx));
  store::FinalizeSpooledRuns(ctx.env, lq_dir);
  Env* env = ctx.env;
  std::time_t cutoff = static_cast<std::time_t>(env->NowMicros() / 1000000 - age);
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
    int64_t id = std::strtoll(std::string(BaseName(rel)).c_str(), nullptr, 10);
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
    ctx.out->Json({{"runs", runs}, {"bytes", bytes}, {"dry_run", dry_run}, {"before", cutoff_date}, {"files", removed}});
  } else {
    ctx.out->Line(std::string(dry_run ? "Would remove " : "Removed ") + std::to_string(runs) + " run(s) started before " +
                  cutoff_date + " (" + std::to_string(bytes / 1024) + " KiB)");
  }
  return Status::OK();
}

}  // namespace

void AddQueryCommands(CLI::App& app, Context& ctx) {
  AddSimpleQuery(app, ctx, "status", "Latest run of each command: OK, WARN or FAIL", "SELECT * FROM lq_status()",
                 "Examples:\n  lq status\n  lq status --json");
  AddListCommand(app, ctx, "errors", "error", "Errors found in runs (file:line, message, fingerprint)");
  AddListCommand(app, ctx, "warnings", "warning", "Warnings found in runs");
  AddSimpleQuery(app, ctx, "summary", "Per command: runs, failures, errors, warnings, average duration",
                 "SELECT * FROM lq_summary", "Examples:\n  lq summary --json");
  {
    auto limit = std::make_shared<int>(20);
    auto json = std::make_shared<bool>(false);
    auto scope = std::make_shared<ScopeFlags>();
    CLI::App* cmd = app.add_subcommand("history", "Recorded runs, newest first");
    cmd->footer("Examples:\n  lq history -n 50\n  lq history --json\n  lq history --include-synced --hostname 'ci-*'");
    cmd->add_option("-n,--limit", *limit, "At most this many (default 20)")->check(CLI::PositiveNumber);
    cmd->add_flag("--json", *json, "JSON array of objects");
    AddScopeFlags(cmd, scope.get());
    cmd->callback([&ctx, limit, json, scope] {
      ctx.action = [&ctx, limit, json, scope] {
        // The table keeps to what fits a terminal; --json has every column.
        std::string cols = *json ? "*"
                                 : "run_id, status, source_name AS name, source_type AS type, "
                                   "strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started_utc, "
                                   "duration_sec AS secs, exit_code AS exit, errors, warnings, command";
        if (!*json && scope->include_synced) cols = "hostname, project, " + cols;
        return RunQuery(ctx, "SELECT " + cols + " FROM lq_history LIMIT " + std::to_string(*limit), *json, *scope);
      };
    });
  }
  {
    auto ref = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("event", "Everything recorded about one event");
    cmd->footer("REF is RUN:EVENT as lq errors prints it, or EVENT in the latest run.\n\nExamples:\n  lq event 12:3");
    cmd->add_option("REF", *ref, "RUN:EVENT")->required();
    cmd->add_flag("--json", *json, "JSON");
    cmd->callback([&ctx, ref, json] {
      ctx.action = [&ctx, ref, json]() -> Status {
        LQ_ASSIGN_OR_RETURN(EventRef r, ParseEventRef(*ref));
        LQ_ASSIGN_OR_RETURN(auto db, OpenProject(ctx));
        LQ_ASSIGN_OR_RETURN(store::QueryResult q,
                            db->connection().Query("SELECT * EXCLUDE (ci, environment) FROM lq_events WHERE run_id = " +
                                                   RunFilter(r.run_id) + " AND event_id = " + std::to_string(r.event_id)));
        if (q.row_count() == 0) return Status::NotFound("no event " + *ref + "; list them with: lq errors");
        if (*json) {
          ctx.out->Json(ResultToJson(q)[0]);
          return Status::OK();
        }
        std::vector<std::pair<std::string, std::string>> rows;
        for (size_t c = 0; c < q.column_count(); ++c) {
          if (!q.IsNull(c, 0) && q.column_name(c) != "raw_text") rows.emplace_back(q.column_name(c), q.GetString(c, 0));
        }
        ctx.out->KeyValues(rows);
        for (size_t c = 0; c < q.column_count(); ++c) {
          if (q.column_name(c) == "raw_text") ctx.out->Line("\n" + q.GetString(c, 0));
        }
        return Status::OK();
      };
    });
  }
  {
    auto ref = std::make_shared<std::string>();
    auto lines = std::make_shared<int>(3);
    auto json = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("context", "The raw log lines around an event");
    cmd->footer("Examples:\n  lq context 12:3\n  lq context 3 -C 10");
    cmd->add_option("REF", *ref, "RUN:EVENT")->required();
    cmd->add_option("-C,--context", *lines, "Lines before and after (default 3)")->check(CLI::NonNegativeNumber);
    cmd->add_flag("--json", *json, "JSON");
    cmd->callback([&ctx, ref, lines, json] {
      ctx.action = [&ctx, ref, lines, json] { return ShowContext(ctx, *ref, *lines, *json); };
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
      ctx.action = [&ctx, sql, json, scope] { return RunQuery(ctx, *sql, *json, *scope); };
    });
  }
  {
    auto older = std::make_shared<std::string>();
    auto dry_run = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("prune", "Delete local runs older than an age (never synced copies)");
    cmd->footer("Examples:\n  lq prune --older-than 30d --dry-run\n  lq prune --older-than 2w");
    cmd->add_option("--older-than", *older, "Age: 30d, 12h, 2w")->required();
    cmd->add_flag("-n,--dry-run", *dry_run, "Show what would be removed");
    cmd->add_flag("--json", *json, "JSON summary");
    cmd->callback([&ctx, older, dry_run, json] {
      ctx.action = [&ctx, older, dry_run, json] { return Prune(ctx, *older, *dry_run, *json); };
    });
  }
}

}  // namespace lq::cli

// lq usage: AI coding assistant token usage (Claude Code, Codex CLI), kept as daily
// aggregates in $LQ_HOME/usage.duckdb. See docs/usage.md.
//
//   lq usage                         the last 30 days (or 30 ending --until, or from --since),
//                                    one row per day with usage, with a bar
//   lq usage daily|weekly|monthly    [--since D] [--until D] [--timezone TZ] [--by-model]
//                                    [--agent claude|codex] [--json] [--verbose]
//   lq usage scan                    update only
//
// Every form first brings the cache and database up to date (only new bytes are read).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "cli/commands.h"
#include "core/device.h"
#include "core/paths.h"
#include "usage/aggregate.h"
#include "usage/scanner.h"
#include "usage/timestamp.h"
#include "usage/timezone.h"
#include "usage/usage_store.h"

namespace lq::cli {
namespace {

using usage::Agent;
using usage::Period;

struct UsageArgs {
  std::string since, until, timezone, agent;
  bool by_model = false;
  bool json = false;
  bool verbose = false;
  bool rescan = false;
  bool rebuild = false;
  std::string week_start = "sunday";
};

std::string Thousands(uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string HumanBytes(uint64_t b) {
  char buf[32];
  if (b >= (1ull << 30)) {
    std::snprintf(buf, sizeof buf, "%.2f GB", static_cast<double>(b) / (1ull << 30));
  } else if (b >= (1ull << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(b) / (1ull << 20));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(b) / 1024.0);
  }
  return buf;
}

bool Utf8Locale() {
  for (const char* var : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* v = std::getenv(var);
    if (v == nullptr || *v == '\0') continue;
    std::string s(v);
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s.find("utf-8") != std::string::npos || s.find("utf8") != std::string::npos;
  }
  return false;
}

// A bar of `width` cells for value/max: Unicode eighth blocks, or '#' without UTF-8.
std::string Bar(uint64_t value, uint64_t max, int width, bool unicode) {
  if (max == 0 || value == 0) return "";
  double cells = static_cast<double>(value) / static_cast<double>(max) * width;
  if (!unicode) {
    int n = std::max(1, static_cast<int>(cells + 0.5));
    return std::string(static_cast<size_t>(n), '#');
  }
  static const char* kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  int eighths = std::max(1, static_cast<int>(cells * 8 + 0.5));
  std::string s;
  for (int i = 0; i < eighths / 8; ++i) s += "█";
  s += kEighths[eighths % 8];
  return s;
}

size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

// A table with right-aligned numeric columns.
void PrintTable(Output& out, const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                const std::vector<bool>& numeric, size_t total_row = SIZE_MAX, size_t bar_col = SIZE_MAX) {
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) width[c] = DisplayWidth(header[c]);
  for (const auto& r : rows) {
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], DisplayWidth(r[c]));
  }
  auto line = [&](const std::vector<std::string>& r, bool bold) {
    std::string s;
    for (size_t c = 0; c < r.size(); ++c) {
      std::string pad(width[c] - DisplayWidth(r[c]), ' ');
      std::string cell = numeric[c] ? pad + r[c] : (c == bar_col || c + 1 == r.size() ? r[c] : r[c] + pad);
      s += (c ? "  " : "") + cell;
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out.Line(bold ? out.Bold(s) : s);
  };
  line(header, true);
  for (size_t i = 0; i < rows.size(); ++i) line(rows[i], i == total_row);
}

class ScanProgress {
 public:
  explicit ScanProgress(bool enabled) : enabled_(enabled), start_(Clock::now()) {}
  ~ScanProgress() { Clear(); }
  void operator()(uint64_t done, uint64_t total) {
    if (!enabled_ || total == 0) return;
    if (Clock::now() - start_ < std::chrono::seconds(1)) return;
    std::fprintf(stderr, "\rlq: reading assistant logs… %3d%% (%s of %s)", static_cast<int>(done * 100 / total),
                 HumanBytes(done).c_str(), HumanBytes(total).c_str());
    std::fflush(stderr);
    shown_ = true;
  }
  void Clear() {
    if (shown_) std::fprintf(stderr, "\r\033[K");
    shown_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  bool shown_ = false;
  Clock::time_point start_;
};

void ReportWarnings(Context& ctx, const usage::ScanResult& r, bool verbose, bool always) {
  using usage::WarningKind;
  std::vector<std::string> parts;
  for (int k = 0; k < usage::kWarningKinds; ++k) {
    auto kind = static_cast<WarningKind>(k);
    if (kind == WarningKind::kRejectedEntry && !verbose) continue;  // ccusage drops these silently too
    uint32_t n = r.warnings.Get(kind);
    if (n > 0) parts.push_back(std::to_string(n) + " " + usage::WarningName(kind) + (n == 1 ? "" : "s"));
  }
  if (parts.empty() || (!always && !verbose && !r.stats.changed)) return;
  std::string msg = "skipped ";
  for (size_t i = 0; i < parts.size(); ++i) msg += (i ? ", " : "") + parts[i];
  if (!verbose) msg += " (--verbose lists them)";
  ctx.out->Warn(msg);
  if (!verbose) return;
  for (const auto& w : r.discovery_warnings) ctx.out->Info("  " + w.path + ": " + usage::WarningName(w.kind));
  for (const auto& f : r.file_warnings) {
    std::string line = "  " + f.path + ":";
    bool first = true;
    for (int k = 0; k < usage::kWarningKinds; ++k) {
      uint32_t n = f.counts.n[static_cast<size_t>(k)];
      if (n == 0) continue;
      line += std::string(first ? " " : ", ") + std::to_string(n) + " " + usage::WarningName(static_cast<WarningKind>(k));
      first = false;
    }
    ctx.out->Info(line);
  }
}

struct Prepared {
  usage::ScanResult scan;
  usage::Aggregates agg;
  usage::TimeZone zone = usage::TimeZone::Utc();
  std::string home;
  bool db_updated = false;
  std::unique_ptr<usage::Scanner> scanner;
};

// One line, whatever DuckDB's message held.
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

// Scans, updates the database when needed, and returns aggregates in the wanted zone.
// `db_required` (lq usage scan, whose job is the database): a database that cannot be
// written is an error; for reports it is a warning, their numbers come from the logs.
Result<Prepared> Prepare(Context& ctx, const UsageArgs& a, bool always_warn, bool db_required) {
  Prepared p;
  LQ_ASSIGN_OR_RETURN(p.zone, usage::TimeZone::Resolve(ctx.env, a.timezone));
  LQ_ASSIGN_OR_RETURN(p.home, LqHome(ctx.env));
  ScanProgress progress(::isatty(2) != 0);
  usage::ScanOptions opt;
  opt.lq_home = p.home;
  opt.full_rescan = a.rescan;
  opt.rebuild = a.rebuild;
  if (a.rebuild) {
    ctx.out->Warn("--rebuild: recomputing usage from the logs that exist now; the usage of deleted logs is dropped "
                  "from usage.duckdb for good");
  }
  opt.progress = [&progress](uint64_t d, uint64_t t) { progress(d, t); };
  p.scanner = std::make_unique<usage::Scanner>(ctx.env, opt);
  auto scan = p.scanner->Scan();
  progress.Clear();
  if (!scan.ok()) return scan.status().WithContext("cannot scan assistant logs");
  p.scan = std::move(*scan);
  bool db_ok = false;
  Status db_error;
  if (p.scan.db_stale) {
    LQ_RETURN_IF_ERROR(CreateDirs(ctx.env, p.home));
    auto device = LoadOrCreateDevice(ctx.env, p.home);
    if (!device.ok()) return device.status().WithContext("cannot read this device's identity");
    auto t0 = std::chrono::steady_clock::now();
    auto written = usage::WriteUsageDb(ctx.env, JoinPath(p.home, usage::kUsageDbFileName), device->device_id,
                                       p.scan.local, ctx.env->NowMicros());
    if (ctx.env->GetEnvVar("LQ_USAGE_TIMING").has_value()) {
      std::fprintf(stderr, "usage timing: %-10s %7.1f ms\n", "database",
                   std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    if (!written.ok()) {
      db_error = written.status();
      if (!db_required) {
        ctx.out->Warn(OneLine(db_error.message()) +
                      "; the numbers below are from the logs, the database was not updated");
      }
    } else {
      db_ok = true;
      p.db_updated = true;
      if (!written->corrupt_copy.empty()) {
        ctx.out->Warn("usage.duckdb was not a readable database; moved it to " + written->corrupt_copy +
                      " and rebuilt it from the scanned logs and cache");
      }
    }
  }
  Status c = p.scanner->Commit(db_ok);
  if (!db_error.ok() && db_required) {
    return Status::IOError(OneLine(db_error.message()) + "; if another lq holds it, retry, else move " +
                           JoinPath(p.home, usage::kUsageDbFileName) + " away and run 'lq usage scan' again");
  }
  if (!c.ok()) ctx.out->Warn("cannot save the usage cache (" + c.message() + "); the next run reads everything again");
  ReportWarnings(ctx, p.scan, a.verbose, always_warn);
  if (p.zone.key() == p.scan.local.zone_key) {
    p.agg = p.scan.local;
  } else {
    LQ_ASSIGN_OR_RETURN(p.agg, p.scanner->AggregateIn(p.zone));
  }
  return p;
}

Result<usage::ReportOptions> ReportOptionsFrom(const UsageArgs& a, Period period) {
  usage::ReportOptions o;
  o.period = period;
  o.by_model = a.by_model;
  if (!a.since.empty()) {
    auto d = usage::ParseDay(a.since);
    if (!d) return Status::InvalidArgument("--since '" + a.since + "' is not a date; use YYYY-MM-DD");
    o.since = *d;
  }
  if (!a.until.empty()) {
    auto d = usage::ParseDay(a.until);
    if (!d) return Status::InvalidArgument("--until '" + a.until + "' is not a date; use YYYY-MM-DD");
    o.until = *d;
  }
  if (o.since && o.until && *o.since > *o.until) {
    return Status::InvalidArgument("--since is after --until; swap them");
  }
  if (!a.agent.empty()) {
    if (a.agent == "claude") {
      o.agent = Agent::kClaude;
    } else if (a.agent == "codex") {
      o.agent = Agent::kCodex;
    } else {
      return Status::InvalidArgument("unknown --agent '" + a.agent + "'; use claude or codex");
    }
  }
  if (a.week_start == "monday") {
    o.week_start = 1;
  } else if (a.week_start != "sunday") {
    return Status::InvalidArgument("--week-start must be sunday or monday");
  }
  return o;
}

nlohmann::json RowJson(const usage::ReportRow& r, bool by_model, const std::string& device_id) {
  nlohmann::json j = nlohmann::json::object();
  j["date"] = r.key;
  if (by_model) {
    j["agent"] = r.agent;
    j["model"] = r.model;
  }
  j["input_tokens"] = r.tokens.input;
  j["output_tokens"] = r.tokens.output;
  j["cache_read_tokens"] = r.tokens.cache_read;
  j["cache_write_tokens"] = r.tokens.cache_write;
  j["total_tokens"] = r.tokens.total;
  if (by_model) {
    j["session_count"] = nullptr;  // sessions and prompts are per period, not per model
    j["prompt_count"] = nullptr;
  } else {
    j["session_count"] = r.sessions;
    j["prompt_count"] = r.prompts;
  }
  j["response_count"] = r.tokens.responses;
  j["device_id"] = device_id;
  return j;
}

Result<std::string> DeviceId(Context& ctx, const std::string& home) {
  LQ_ASSIGN_OR_RETURN(DeviceIdentity d, LoadOrCreateDevice(ctx.env, home));
  return d.device_id;
}

void PrintRows(Context& ctx, const std::vector<usage::ReportRow>& rows, const usage::ReportRow& total, bool by_model,
               Period period) {
  Output& out = *ctx.out;
  const char* first = period == Period::kDay ? "Date" : period == Period::kWeek ? "Week" : "Month";
  std::vector<std::string> header = {first};
  std::vector<bool> numeric = {false};
  if (by_model) {
    header.insert(header.end(), {"Agent", "Model"});
    numeric.insert(numeric.end(), {false, false});
  }
  header.insert(header.end(), {"Input", "Output", "Cache write", "Cache read", "Total"});
  numeric.insert(numeric.end(), 5, true);
  if (!by_model) {
    header.insert(header.end(), {"Sessions", "Prompts"});
    numeric.insert(numeric.end(), 2, true);
  }
  header.push_back("Responses");
  numeric.push_back(true);
  size_t bar_col = SIZE_MAX;
  if (!by_model) {
    header.push_back("");
    numeric.push_back(false);
    bar_col = header.size() - 1;
  }
  uint64_t max_total = 0;
  for (const auto& r : rows) max_total = std::max(max_total, r.tokens.total);
  const bool unicode = Utf8Locale();
  std::vector<std::vector<std::string>> cells;
  auto add = [&](const usage::ReportRow& r, bool is_total) {
    std::vector<std::string> c = {r.key};
    if (by_model) c.insert(c.end(), {is_total ? "" : r.agent, is_total ? "" : r.model});
    for (uint64_t v : {r.tokens.input, r.tokens.output, r.tokens.cache_write, r.tokens.cache_read, r.tokens.total}) {
      c.push_back(Thousands(v));
    }
    if (!by_model) c.insert(c.end(), {Thousands(r.sessions), Thousands(r.prompts)});
    c.push_back(Thousands(r.tokens.responses));
    if (!by_model) c.push_back(is_total ? "" : Bar(r.tokens.total, max_total, 24, unicode));
    cells.push_back(std::move(c));
  };
  for (const auto& r : rows) add(r, false);
  add(total, true);
  PrintTable(out, header, cells, numeric, cells.size() - 1, bar_col);
}

// "no Claude Code or Codex logs found in DIR, DIR...; set ..." naming the directories the
// sources actually looked in (CLAUDE_CONFIG_DIR and CODEX_HOME included).
std::string NoLogsMessage(Env* env) {
  std::string dirs;
  for (const auto& source : usage::AllSources()) {
    for (const auto& d : source->SearchedDirs(env)) dirs += (dirs.empty() ? "" : ", ") + d;
  }
  if (dirs.empty()) dirs = "(no HOME, CLAUDE_CONFIG_DIR or CODEX_HOME set)";
  return "no Claude Code or Codex logs found in " + dirs +
         "; set CLAUDE_CONFIG_DIR / CODEX_HOME if they live elsewhere";
}

Status RunReport(Context& ctx, const UsageArgs& a, Period period, bool last_30_days) {
  LQ_ASSIGN_OR_RETURN(usage::ReportOptions o, ReportOptionsFrom(a, period));
  LQ_ASSIGN_OR_RETURN(usage::TimeZone zone, usage::TimeZone::Resolve(ctx.env, a.timezone));
  int64_t today;
  {
    usage::DayMapper mapper(zone);
    today = mapper.Day(ctx.env->NowMicros() / 1000);
  }
  if (o.since && *o.since > today) {
    // Not an empty report: a date no log can have yet is a typo (2099 for 2025).
    return Status::InvalidArgument("--since " + usage::FormatDay(*o.since) + " is after today (" +
                                   usage::FormatDay(today) + ")");
  }
  if (last_30_days) {
    if (!o.until) o.until = today;
    if (!o.since) o.since = *o.until - 29;
    if (*o.since > today) {
      return Status::InvalidArgument("--until " + usage::FormatDay(*o.until) + " leaves no day up to today (" +
                                     usage::FormatDay(today) + ") in the 30 days it ends");
    }
  }
  LQ_ASSIGN_OR_RETURN(Prepared p, Prepare(ctx, a, false, false));
  // Days without usage are left out, as ccusage leaves them out: a month of zero rows
  // says less than "no usage".
  std::vector<usage::ReportRow> rows = usage::BuildReport(p.agg, o);
  usage::ReportRow total = usage::ReportTotal(p.agg, o);
  if (a.json) {
    LQ_ASSIGN_OR_RETURN(std::string device_id, DeviceId(ctx, p.home));
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& r : rows) arr.push_back(RowJson(r, o.by_model, device_id));
    ctx.out->Json(arr);
    return Status::OK();
  }
  if (rows.empty()) {
    if (p.scan.stats.files == 0) {
      std::string message = NoLogsMessage(ctx.env);
      message[0] = 'N';
      ctx.out->Line(message + ".");
      return Status::OK();
    }
    std::string what = a.agent.empty() ? "No usage" : "No " + a.agent + " usage";
    if (o.since && o.until) {
      what += " from " + usage::FormatDay(*o.since) + " to " + usage::FormatDay(*o.until);
    } else if (o.since) {
      what += " since " + usage::FormatDay(*o.since);
    } else if (o.until) {
      what += " until " + usage::FormatDay(*o.until);
    }
    ctx.out->Line(what + " in " + Thousands(p.scan.stats.files) + " log files.");
    return Status::OK();
  }
  PrintRows(ctx, rows, total, o.by_model, period);
  return Status::OK();
}

Status RunScan(Context& ctx, const UsageArgs& a) {
  auto start = std::chrono::steady_clock::now();
  LQ_ASSIGN_OR_RETURN(Prepared p, Prepare(ctx, a, true, true));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto& s = p.scan.stats;
  uint64_t days = 0;
  {
    int64_t last = INT64_MIN;
    for (const auto& md : p.scan.local.model_days) {
      if (md.day != last) ++days;
      last = md.day;
    }
  }
  if (a.json) {
    ctx.out->Json({{"files", s.files},
                   {"files_read", s.files_read},
                   {"files_appended", s.files_appended},
                   {"files_removed", s.files_removed},
                   {"files_vanished", s.files_vanished},
                   {"bytes_read", s.bytes_read},
                   {"responses", s.responses},
                   {"days", days},
                   {"warnings", p.scan.warnings.Total()},
                   {"database_updated", p.db_updated},
                   {"seconds", secs}});
    return Status::OK();
  }
  if (s.files == 0) ctx.out->Info("lq: " + NoLogsMessage(ctx.env));
  char t[32];
  std::snprintf(t, sizeof t, "%.2f s", secs);
  ctx.out->Line("Scanned " + Thousands(s.files) + " log files in " + t + ": read " + Thousands(s.files_read) +
                ", appended " + Thousands(s.files_appended) + ", removed " + Thousands(s.files_removed) + " (" +
                HumanBytes(s.bytes_read) + ").");
  if (s.files_vanished > 0) {
    ctx.out->Line("Kept the usage of " + Thousands(s.files_vanished) +
                  " deleted log files as history ('lq usage scan --rebuild' drops it).");
  }
  ctx.out->Line(Thousands(s.responses) + " responses over " + Thousands(days) + " days; usage.duckdb " +
                (p.db_updated ? "updated." : "already up to date."));
  return Status::OK();
}

void AddReportOptions(CLI::App* cmd, UsageArgs& a, bool with_range) {
  if (with_range) {
    cmd->add_option("--since", a.since, "First day (YYYY-MM-DD), inclusive");
    cmd->add_option("--until", a.until, "Last day (YYYY-MM-DD), inclusive");
  }
  cmd->add_option("-z,--timezone", a.timezone, "IANA time zone for days (default: this machine's)");
  cmd->add_option("--agent", a.agent, "Only one agent: claude or codex");
  cmd->add_flag("--by-model", a.by_model, "One row per agent and model");
  cmd->add_flag("--json", a.json, "Print a JSON array");
  cmd->add_flag("-v,--verbose", a.verbose, "List skipped lines, files and symlinks");
  cmd->add_flag("--rescan", a.rescan, "Read every log again (keeps the usage of deleted logs)");
  cmd->add_flag("--rebuild", a.rebuild,
                "Recompute from the logs that exist now, dropping the usage of deleted logs (warns)");
}

}  // namespace

void AddUsageCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<UsageArgs>();
  CLI::App* cmd = app.add_subcommand("usage", "AI coding assistant token usage (Claude Code, Codex), per day");
  cmd->footer(
      "Reads ~/.claude/projects (and ~/.config/claude, or CLAUDE_CONFIG_DIR) and ~/.codex/sessions\n"
      "(or CODEX_HOME); token numbers equal ccusage's. Only new bytes are read on later runs.\n"
      "lq keeps daily totals only ($LQ_HOME/usage.duckdb): no prompts, paths or ids.\n"
      "Usage stays counted when an assistant deletes old logs (Claude Code's cleanupPeriodDays);\n"
      "--rebuild recomputes from the logs that exist now and drops it.\n\n"
      "Examples:\n"
      "  lq usage                          the last 30 days\n"
      "  lq usage daily --since 2025-06-01 --agent claude\n"
      "  lq usage monthly --by-model --json\n"
      "  lq usage weekly --timezone Europe/Paris\n"
      "  lq usage scan                     update the database only");
  cmd->require_subcommand(0, 1);
  AddReportOptions(cmd, *args, true);

  struct Sub {
    const char* name;
    const char* help;
    Period period;
  };
  for (const Sub& s : {Sub{"daily", "Usage per day", Period::kDay}, Sub{"weekly", "Usage per week", Period::kWeek},
                       Sub{"monthly", "Usage per month", Period::kMonth}}) {
    CLI::App* sub = cmd->add_subcommand(s.name, s.help);
    AddReportOptions(sub, *args, true);
    if (s.period == Period::kWeek) {
      sub->add_option("--week-start", args->week_start, "sunday (as ccusage) or monday")
          ->check(CLI::IsMember({"sunday", "monday"}));
    }
    Period period = s.period;
    sub->callback([&ctx, args, period] {
      ctx.action = [&ctx, args, period] { return RunReport(ctx, *args, period, false); };
    });
  }
  CLI::App* scan = cmd->add_subcommand("scan", "Read new log lines and update usage.duckdb; print a summary");
  scan->add_flag("--json", args->json, "Print the summary as JSON");
  scan->add_flag("-v,--verbose", args->verbose, "List skipped lines, files and symlinks");
  scan->add_flag("--rescan", args->rescan, "Read every log again (keeps the usage of deleted logs)");
  scan->add_flag("--rebuild", args->rebuild,
                 "Recompute from the logs that exist now, dropping the usage of deleted logs (warns)");
  scan->callback([&ctx, args] { ctx.action = [&ctx, args] { return RunScan(ctx, *args); }; });

  cmd->callback([&ctx, cmd, args] {
    if (!cmd->get_subcommands().empty()) return;
    ctx.action = [&ctx, args] { return RunReport(ctx, *args, Period::kDay, true); };
  });
}

}  // namespace lq::cli

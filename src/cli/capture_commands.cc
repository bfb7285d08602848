// lq exec / run / register / capture / import: put a build or test run on record.
//
// The capture path never loads DuckDB: output is parsed as it streams and spooled
// (logs/run_spool.h); a detached `lq internal-finalize` converts the run to Parquet
// right after lq exits, and every read command finalizes whatever is still pending.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "cli/commands.h"
#include "cli/project_sync.h"
#include "core/command_redaction.h"
#include "core/config.h"
#include "logs/capture.h"
#include "logs/junit_xml.h"
#include "logs/parser.h"
#include "logs/run_info.h"
#include "logs/run_spool.h"
#include "store/run_store.h"

extern char** environ;

namespace lq::cli {
namespace {

struct CaptureFlags {
  std::string name;
  std::string format = "auto";
  bool quiet = false;
  bool json = false;
  bool dry_run = false;
  int exit_code = -1;  // capture/import --exit-code; -1: not given (recorded as NULL)
};

// Receives output: raw log + streaming parse + spooled events. Without a spool (a dry
// run) it only parses and counts.
class RunRecorder final : public logs::OutputSink, public logs::EventSink {
 public:
  RunRecorder(logs::RunSpool* spool, std::string_view format) : spool_(spool), parser_(format) {}

  void OnOutput(std::string_view chunk, bool) override {
    if (spool_ != nullptr && write_status_.ok()) write_status_ = spool_->AppendRaw(chunk);
    parser_.Feed(chunk, *this);
    if (spool_ != nullptr && write_status_.ok()) write_status_ = spool_->FlushEventsIfDue();
  }
  void OnIdle() override {
    if (spool_ != nullptr && write_status_.ok()) write_status_ = spool_->FlushEvents();
  }
  void OnEvent(logs::Event e) override {
    ++done_.events;
    if (e.severity == logs::Severity::kError) ++done_.errors;
    if (e.severity == logs::Severity::kWarning) ++done_.warnings;
    if (spool_ != nullptr && write_status_.ok()) write_status_ = spool_->AppendEvent(e, done_.events);
  }
  logs::RunDone Finish() {
    parser_.Finish(*this);
    return done_;
  }
  // A JUnit XML report instead of a log: its events, and the XML as the raw log.
  Status RecordJunit(std::string_view xml) {
    if (spool_ != nullptr && write_status_.ok()) write_status_ = spool_->AppendRaw(xml);
    return logs::ParseJunitXml(xml, *this);
  }
  const Status& write_status() const { return write_status_; }

 private:
  logs::RunSpool* spool_;
  logs::LogParser parser_;
  logs::RunDone done_;
  Status write_status_;
};

// .lq/finalize.lock: held by the one `lq internal-finalize` converting a project's
// spooled runs. Null when another process holds it (or the lock cannot be taken at all,
// when finalizing is left to the next read command).
std::unique_ptr<FileLock> TryLockFinalizer(Env* env, const std::string& lq_dir) {
  auto lock = env->LockFile(JoinPath(lq_dir, "finalize.lock"), /*wait_micros=*/0, /*create_if_missing=*/true);
  return lock.ok() ? std::move(*lock) : nullptr;
}

// Spooled runs whose writer has finished (done.json written): what a finalizer converts.
std::vector<int64_t> FinishedSpooledRuns(Env* env, const std::string& lq_dir) {
  std::vector<int64_t> ids;
  for (int64_t id : logs::ListSpooledRuns(env, lq_dir)) {
    if (env->Stat(logs::RunPaths::For(lq_dir, id).done).ok()) ids.push_back(id);
  }
  return ids;
}

// Starts `lq internal-finalize` detached (own session, no stdio), not waited for —
// unless one is running for this project: it re-checks the spool after it lets go of
// the lock, so it converts this run too (it loads DuckDB, ~25 ms of CPU that back-to-back
// runs would otherwise pay once each, competing with the next command).
void SpawnFinalizer(Env* env, const std::string& lq_dir, const std::string& project_root) {
  if (TryLockFinalizer(env, lq_dir) == nullptr) return;
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return;
  self[n] = '\0';
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  for (int fd = 0; fd < 3; ++fd) posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", O_RDWR, 0);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  std::string dir = project_root;
  char arg0[] = "lq", arg1[] = "-C", arg3[] = "internal-finalize";
  char* argv[] = {arg0, arg1, dir.data(), arg3, nullptr};
  pid_t pid;
  posix_spawn(&pid, self, &fa, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
}

std::string DefaultName(const std::vector<std::string>& argv) {
  if (argv.empty()) return "run";
  std::string_view base = BaseName(argv[0]);
  return std::string(base.empty() ? "run" : base);
}

void PrintSummary(Context& ctx, const logs::RunMeta& meta, const logs::RunDone& done, bool json) {
  double secs = static_cast<double>(done.completed_at_us - meta.started_at_us) / 1e6;
  if (json) {
    ctx.out->Json({{"run_id", meta.run_id},
                   {"source_name", meta.source_name},
                   {"source_type", meta.source_type},
                   {"exit_code", done.exit_code ? nlohmann::json(*done.exit_code) : nlohmann::json(nullptr)},
                   {"errors", done.errors},
                   {"warnings", done.warnings},
                   {"events", done.events},
                   {"duration_sec", secs}});
    return;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2fs", secs);
  Output& out = *ctx.out;
  std::string counts = std::to_string(done.errors) + (done.errors == 1 ? " error, " : " errors, ") +
                       std::to_string(done.warnings) + (done.warnings == 1 ? " warning" : " warnings");
  std::string exit = done.exit_code ? "exit " + std::to_string(*done.exit_code) + ", " : "";
  std::string line = "lq: run " + logs::FormatRunId(meta.run_id) + " " + meta.source_name + ": " + counts +
                     " (" + exit + buf + ")";
  if (done.errors > 0) line += " — see: lq errors";
  out.Info(line);
}

// What is being recorded: a command to run, or a stream to read.
struct RunInput {
  std::vector<std::string> argv;  // exec/run
  int fd = -1;                    // capture (stdin) / import (file)
  bool echo = true;
  bool junit = false;             // fd holds a JUnit XML report
};

// --format junit, or auto and the file starts like XML with a testsuite.
bool LooksLikeJunit(const std::string& path, const std::string& format) {
  if (format == "junit") return true;
  if (format != "auto") return false;
  char head[512] = {};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ssize_t n = ::read(fd, head, sizeof head - 1);
  ::close(fd);
  std::string_view h(head, n > 0 ? static_cast<size_t>(n) : 0);
  return (h.find("<?xml") != std::string_view::npos || h.find("<testsuite") != std::string_view::npos) &&
         h.find("<test") != std::string_view::npos;
}

// What a dry run of a command would be recorded as: .lq/seq holds the last run id.
int64_t PeekNextRunId(Env* env, const std::string& lq_dir) {
  auto text = env->ReadFile(JoinPath(lq_dir, "seq"));
  return (text.ok() ? std::strtoll(text->c_str(), nullptr, 10) : 0) + 1;
}

void WriteAllStdout(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(STDOUT_FILENO, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // our stdout is gone: keep reading (and recording) regardless
    data.remove_prefix(static_cast<size_t>(n));
  }
}

// Reads a stream to its end, copying it to stdout when `echo`. Waits at most 200 ms at
// a time so the recorder can write out buffered events while the writer is quiet.
Result<int64_t> Pump(int fd, bool echo, RunRecorder& recorder, const std::string& what) {
  char buf[1 << 16];
  int64_t bytes = 0;
  for (;;) {
    struct pollfd p = {fd, POLLIN, 0};
    int ready = ::poll(&p, 1, 200);
    if (ready == 0) {
      recorder.OnIdle();
      continue;
    }
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno(errno, what);
    if (n == 0) return bytes;
    std::string_view chunk(buf, static_cast<size_t>(n));
    if (echo) WriteAllStdout(chunk);
    recorder.OnOutput(chunk, false);
    bytes += n;
  }
}

// When lq cannot record, the user's command still runs (its exit code stands) and a
// piped stream still reaches stdout: recording is lq's business, never a reason to
// stop a build.
Status RunUnrecorded(Context& ctx, const RunInput& input) {
  if (!input.argv.empty()) {
    class Discard final : public logs::OutputSink {
      void OnOutput(std::string_view, bool) override {}
    } discard;
    logs::CaptureOptions opts;
    opts.argv = input.argv;
    LQ_ASSIGN_OR_RETURN(logs::CaptureResult r, logs::RunAndCapture(opts, discard));
    if (r.not_found) std::fputs(("lq: " + r.exec_error + "\n").c_str(), stderr);
    ctx.exit_code = r.exit_code;
    return Status::OK();
  }
  RunRecorder counter(nullptr, "auto");
  LQ_RETURN_IF_ERROR(Pump(input.fd, /*echo=*/true, counter, "stdin").status());
  ctx.exit_code = 0;
  return Status::OK();
}

Status Record(Context& ctx, const std::string& source_type, const std::string& source_name,
              const std::string& command, const RunInput& input, const CaptureFlags& flags) {
  Env* env = ctx.env;
  LQ_ASSIGN_OR_RETURN(std::string cwd, ctx.WorkingDir());
  if (flags.format != "auto" && flags.format != "junit" && !logs::MakeParser(flags.format)) {
    std::string known = "auto, junit";
    for (const auto& n : logs::ParserNames()) known += ", " + n;
    return Status::InvalidArgument("unknown --format '" + flags.format + "'; known: " + known +
                                   " (aliases: lq import --help)");
  }
  // exec, run and capture pass something through (a command, a stream); import does not.
  bool passes_through = !input.argv.empty() || input.echo;
  std::string recorded_command = RedactCommandLine(command);
  auto found = FindLqDir(env, cwd);
  if (!found.ok()) {
    if (!passes_through) return found.status();
    std::string why = found.status().IsNotFound() ? "no .lq/ here or above; run `lq init` to start tracking"
                                                  : found.status().message();
    if (flags.dry_run) {
      ctx.out->Line("dry run: would run " + recorded_command + " (not recorded: " + why + "); nothing run");
      return Status::OK();
    }
    ctx.out->Warn("not recording: " + why);
    return RunUnrecorded(ctx, input);
  }
  const std::string& lq_dir = *found;
  if (flags.dry_run && !input.argv.empty()) {
    ctx.out->Line("dry run: would run " + recorded_command + " and record it as run " +
                  logs::FormatRunId(PeekNextRunId(env, lq_dir)) + " '" + source_name + "' (" + source_type +
                  "); nothing run, nothing written");
    return Status::OK();
  }

  logs::RunMeta meta;
  meta.source_type = source_type;
  meta.source_name = source_name;
  meta.command = recorded_command;
  meta.format = input.junit ? "junit" : flags.format;
  meta.started_at_us = env->NowMicros();
  meta.cwd = cwd;
  meta.pid = env->ProcessId();
  logs::CollectRunContext(env, &meta);
  // Allow-listed variables (CFLAGS, CI URLs) can carry a secret in their value too.
  for (auto* vars : {&meta.environment, &meta.ci}) {
    for (auto& [name, value] : *vars) value = RedactCommandLine(value);
  }

  std::optional<logs::RunSpool> spool;
  if (flags.dry_run) {
    meta.run_id = PeekNextRunId(env, lq_dir);
  } else {
    Result<int64_t> id = logs::AllocateRunId(env, lq_dir);
    Status began = id.status();
    if (id.ok()) {
      meta.run_id = *id;
      Result<logs::RunSpool> opened = logs::RunSpool::Begin(env, lq_dir, meta);
      began = opened.status();
      if (opened.ok()) spool.emplace(std::move(opened).value());
    }
    if (!began.ok()) {
      if (!passes_through) return began;
      ctx.out->Warn("not recording: " + began.message());
      return RunUnrecorded(ctx, input);
    }
  }

  RunRecorder recorder(spool ? &*spool : nullptr, flags.format);
  std::optional<int> exit_code;
  int64_t bytes = 0;
  if (!input.argv.empty()) {
    logs::CaptureOptions opts;
    opts.argv = input.argv;
    opts.cwd = cwd;
    LQ_ASSIGN_OR_RETURN(logs::CaptureResult r, logs::RunAndCapture(opts, recorder));
    if (r.not_found) {
      std::string msg = "lq: " + r.exec_error + "\n";
      recorder.OnOutput(msg, true);
      std::fputs(msg.c_str(), stderr);
    }
    exit_code = r.exit_code;
    bytes = r.output_bytes;
  } else if (input.junit) {
    std::string xml;
    char buf[1 << 16];
    for (ssize_t n; (n = ::read(input.fd, buf, sizeof buf)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Status::FromErrno(errno, command);
      xml.append(buf, static_cast<size_t>(n));
    }
    Status parsed = recorder.RecordJunit(xml);
    if (!parsed.ok()) ctx.out->Warn(command + ": " + parsed.message() + " (events found before it are kept)");
    bytes = static_cast<int64_t>(xml.size());
  } else {
    LQ_ASSIGN_OR_RETURN(bytes, Pump(input.fd, input.echo, recorder, command.empty() ? "stdin" : command));
  }
  // A stream or a file says nothing of how its writer ended: unknown (NULL) unless told.
  if (flags.exit_code >= 0) exit_code = flags.exit_code;

  logs::RunDone done = recorder.Finish();
  done.exit_code = exit_code;
  done.output_bytes = bytes;
  done.completed_at_us = env->NowMicros();
  Status recorded = recorder.write_status();
  if (spool) {
    if (recorded.ok()) recorded = spool->Finish(done);
    spool.reset();  // releases the run's lock, before the finalizer starts
  }
  ctx.exit_code = input.argv.empty() ? 0 : exit_code.value_or(0);
  if (flags.dry_run) {
    std::string counts = std::to_string(done.errors) + (done.errors == 1 ? " error, " : " errors, ") +
                         std::to_string(done.warnings) + (done.warnings == 1 ? " warning" : " warnings");
    std::string line = "dry run: would record run " + logs::FormatRunId(meta.run_id) + " '" + source_name +
                       "' (" + source_type + "): " + counts + "; nothing written";
    if (input.echo) {
      ctx.out->Info("lq: " + line);  // stdout carries the stream
    } else {
      ctx.out->Line(line);
    }
    return Status::OK();
  }
  if (!recorded.ok()) {
    if (!passes_through) return recorded;
    ctx.out->Warn("run " + logs::FormatRunId(meta.run_id) + " was not fully recorded: " + recorded.message());
  }

  if (!flags.quiet || flags.json) PrintSummary(ctx, meta, done, flags.json);
  auto config = ConfigFile::Load(env, JoinPath(lq_dir, "config.yaml"));
  if (config.ok() && config->config().sync.auto_sync && !config->config().sync.destination.empty()) {
    // sync.auto: the user chose to pay for DuckDB and the copy now. A failure is a
    // warning: the run is recorded and its exit code stands.
    auto converted = store::FinalizeRun(env, lq_dir, meta.run_id);
    ProjectSyncRequest req;
    req.lock_wait_micros = 2'000'000;  // a long sync elsewhere must not hold this command
    auto synced = converted.ok() ? SyncProject(ctx, req) : Result<ProjectSyncOutcome>(converted.status());
    if (!synced.ok()) {
      ctx.out->Warn("auto-sync failed: " + synced.status().message() + "; the run is kept, run 'lq sync' later");
    } else if (synced->result.failed > 0) {
      ctx.out->Warn("auto-sync: " + std::to_string(synced->result.failed) + " file(s) failed: " +
                    synced->result.first_error + "; run 'lq sync' later");
    }
    return Status::OK();
  }
  SpawnFinalizer(env, lq_dir, std::string(DirName(lq_dir)));
  return Status::OK();
}

// The --format help: every family with the aliases that select it.
std::string FormatHelp() {
  std::string text = "Formats (--format): auto (default: every parser, per line), junit (JUnit XML),";
  size_t col = text.size();
  for (const auto& name : logs::ParserNames()) {
    std::string item = " " + name;
    std::string aliases;
    for (const auto& a : logs::ParserAliases()) {
      if (a.family == name) aliases += (aliases.empty() ? "" : " ") + std::string(a.alias);
    }
    if (!aliases.empty()) item += " (" + aliases + ")";
    item += ",";
    if (col + item.size() > 88) {
      text += "\n ";
      col = 1;
    }
    text += item;
    col += item.size();
  }
  text.pop_back();
  return text + ".";
}

void AddCaptureFlags(CLI::App* cmd, CaptureFlags* f, bool with_format) {
  cmd->add_option("--name", f->name, "Name this run (default: the command's name)");
  if (with_format) cmd->add_option("--format", f->format, "Parser: auto (default), junit, or a tool (gcc, clang, pytest, ...; list: lq import --help)");
  cmd->add_flag("-q,--quiet", f->quiet, "No summary line on stderr");
  cmd->add_flag("--json", f->json, "Print the run summary as JSON on stdout");
  cmd->add_flag("--dry-run", f->dry_run,
                "Write nothing: exec/run say what they would run and record (and do not run it); "
                "capture/import parse and report what they would record");
}

// capture and import read output lq did not run: they record no exit code unless told.
void AddExitCodeFlag(CLI::App* cmd, CaptureFlags* f) {
  cmd->add_option("--exit-code", f->exit_code,
                  "The exit code of the command that wrote the log (default: unknown, recorded as NULL)")
      ->check(CLI::Range(0, 255));
}

}  // namespace

void AddCaptureCommands(CLI::App& app, Context& ctx) {
  {
    auto flags = std::make_shared<CaptureFlags>();
    auto argv = std::make_shared<std::vector<std::string>>();
    CLI::App* cmd = app.add_subcommand("exec", "Run a command and record its output, errors and warnings");
    cmd->footer(
        "The command runs as if typed directly: output streams live (colours kept on a\n"
        "terminal), stdin passes through, Ctrl-C reaches it, and lq exits with its exit code.\n\n"
        "Examples:\n"
        "  lq exec -- make -j8\n"
        "  lq exec --name tests -- ctest --output-on-failure\n"
        "  lq exec --dry-run -- make     # what would run and be recorded; runs nothing\n\n"
        "Secrets in the command line (--password=..., https://user:token@..., TOKEN=...) are\n"
        "replaced by *** in the record; the command itself gets its real arguments.");
    AddCaptureFlags(cmd, flags.get(), true);
    cmd->add_option("command", *argv, "The command and its arguments (after --)")->required();
    cmd->positionals_at_end();
    cmd->callback([&ctx, flags, argv] {
      ctx.action = [&ctx, flags, argv] {
        RunInput in;
        in.argv = *argv;
        return Record(ctx, "exec", flags->name.empty() ? DefaultName(*argv) : flags->name,
                      logs::ShellJoin(*argv), in, *flags);
      };
    });
  }
  {
    auto flags = std::make_shared<CaptureFlags>();
    auto name = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("run", "Run a registered command (lq register) and record it");
    cmd->footer("Examples:\n  lq register build -- make -j8\n  lq run build");
    AddCaptureFlags(cmd, flags.get(), true);
    cmd->add_option("NAME", *name, "A name from .lq/config.yaml commands:")->required();
    cmd->callback([&ctx, flags, name] {
      ctx.action = [&ctx, flags, name]() -> Status {
        LQ_ASSIGN_OR_RETURN(std::string cwd, ctx.WorkingDir());
        LQ_ASSIGN_OR_RETURN(std::string lq_dir, FindLqDir(ctx.env, cwd));
        LQ_ASSIGN_OR_RETURN(ConfigFile config, ConfigFile::Load(ctx.env, JoinPath(lq_dir, "config.yaml")));
        auto it = config.config().commands.find(*name);
        if (it == config.config().commands.end()) {
          return Status::InvalidArgument("no command named '" + *name + "'; register it with: lq register " +
                                         *name + " -- COMMAND...");
        }
        RunInput in;
        in.argv = {"/bin/sh", "-c", it->second};
        return Record(ctx, "run", flags->name.empty() ? *name : flags->name, it->second, in, *flags);
      };
    });
  }
  {
    auto name = std::make_shared<std::string>();
    auto argv = std::make_shared<std::vector<std::string>>();
    auto force = std::make_shared<bool>(false);
    auto dry_run = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("register", "Save a command under a name for lq run");
    cmd->footer("Examples:\n  lq register build -- make -j8\n  lq register test -- pytest -x\n"
                "  lq register --dry-run build -- make   # show what would be saved");
    cmd->add_option("NAME", *name, "Name (letters, digits, - and _)")->required();
    cmd->add_option("command", *argv, "The command (after --)")->required();
    cmd->add_flag("-f,--force", *force, "Replace an existing command of that name");
    cmd->add_flag("--dry-run", *dry_run, "Print what would be saved; write nothing");
    cmd->callback([&ctx, name, argv, force, dry_run] {
      ctx.action = [&ctx, name, argv, force, dry_run]() -> Status {
        for (char c : *name) {
          if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
            return Status::InvalidArgument("command name '" + *name + "' may use only letters, digits, - and _");
          }
        }
        LQ_ASSIGN_OR_RETURN(std::string cwd, ctx.WorkingDir());
        LQ_ASSIGN_OR_RETURN(std::string lq_dir, FindLqDir(ctx.env, cwd));
        std::string path = JoinPath(lq_dir, "config.yaml");
        LQ_ASSIGN_OR_RETURN(ConfigFile config, ConfigFile::Load(ctx.env, path));
        if (config.config().commands.count(*name) && !*force) {
          return Status::AlreadyExists("a command named '" + *name + "' exists (" +
                                       config.config().commands.at(*name) + "); add --force to replace it");
        }
        std::string command = logs::ShellJoin(*argv);
        if (*dry_run) {
          ctx.out->Line("dry run: would register '" + *name + "': " + command + " in " + path +
                        "; nothing written");
          return Status::OK();
        }
        LQ_RETURN_IF_ERROR(config.Set("commands." + *name, command));
        LQ_RETURN_IF_ERROR(config.Save(ctx.env, path));
        ctx.out->Line("Registered '" + *name + "': " + command + "   (run it with: lq run " + *name + ")");
        return Status::OK();
      };
    });
  }
  {
    auto flags = std::make_shared<CaptureFlags>();
    CLI::App* cmd = app.add_subcommand("capture", "Record a log read from stdin (e.g. make 2>&1 | lq capture)");
    cmd->footer(
        "A stream carries no exit code: the run's exit_code is unknown (NULL) unless given with\n"
        "--exit-code. To keep the command's code, let lq run it (lq exec -- make), or:\n"
        "  make > build.log 2>&1; lq import build.log --exit-code $?\n\n"
        "Examples:\n  make 2>&1 | lq capture --name build\n  ./ci.sh 2>&1 | lq capture -q");
    AddCaptureFlags(cmd, flags.get(), true);
    AddExitCodeFlag(cmd, flags.get());
    cmd->callback([&ctx, flags] {
      ctx.action = [&ctx, flags] {
        RunInput in;
        in.fd = STDIN_FILENO;
        return Record(ctx, "capture", flags->name.empty() ? "capture" : flags->name, "", in, *flags);
      };
    });
  }
  {
    auto flags = std::make_shared<CaptureFlags>();
    auto file = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("import", "Record an existing log file");
    cmd->footer(FormatHelp() + "\n\n" +
                "A JUnit XML report (pytest --junitxml, ctest --output-junit, gtest, Surefire) is\n"
                "recognised, or forced with --format junit.\n\n"
                "Examples:\n  lq import build.log\n  lq import ci-output.txt --name ci --format gcc\n"
                "  lq import report.xml --name tests\n"
                "  make > build.log 2>&1; lq import build.log --exit-code $?");
    AddCaptureFlags(cmd, flags.get(), true);
    AddExitCodeFlag(cmd, flags.get());
    cmd->add_option("FILE", *file, "The log file")->required()->check(CLI::ExistingFile);
    cmd->callback([&ctx, flags, file] {
      ctx.action = [&ctx, flags, file]() -> Status {
        int fd = ::open(file->c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return Status::FromErrno(errno, *file);
        RunInput in;
        in.fd = fd;
        in.echo = false;
        in.junit = LooksLikeJunit(*file, flags->format);
        std::string name = flags->name.empty() ? std::string(BaseName(*file)) : flags->name;
        Status s = Record(ctx, "import", name, *file, in, *flags);
        ::close(fd);
        ctx.exit_code = s.ok() ? 0 : -1;  // an import succeeds whatever the log says
        return s;
      };
    });
  }
  {
    CLI::App* cmd = app.add_subcommand("internal-finalize", "");  // hidden: converts spooled runs
    cmd->group("");
    cmd->callback([&ctx, cmd] {
      (void)cmd;
      ctx.action = [&ctx]() -> Status {
        // Background work: never compete with the user's next build for a core.
        (void)!::nice(19);
        LQ_ASSIGN_OR_RETURN(std::string cwd, ctx.WorkingDir());
        LQ_ASSIGN_OR_RETURN(std::string lq_dir, FindLqDir(ctx.env, cwd));
        // One finalizer per project at a time (the lq exec that skips spawning relies on
        // the holder's re-check below). A run that finished while the lock was held had
        // its own spawn skipped: after releasing the lock, go round again for any
        // finished run this pass did not attempt (one that failed is left to reads).
        store::FinalizeStats stats;
        for (;;) {
          std::unique_ptr<FileLock> lock = TryLockFinalizer(ctx.env, lq_dir);
          if (lock == nullptr) break;  // another finalizer holds it and will re-check in turn
          std::vector<int64_t> attempted = FinishedSpooledRuns(ctx.env, lq_dir);
          store::FinalizeStats pass = store::FinalizeSpooledRuns(ctx.env, lq_dir);
          stats.failed += pass.failed;
          if (pass.failed > 0) stats.last_error = pass.last_error;
          Status cache = store::MaybeRebuildCache(ctx.env, lq_dir);
          if (!cache.ok()) {
            ++stats.failed;
            stats.last_error = cache.message();
          }
          lock.reset();
          bool more = false;
          for (int64_t id : FinishedSpooledRuns(ctx.env, lq_dir)) {
            more = more || std::find(attempted.begin(), attempted.end(), id) == attempted.end();
          }
          if (!more) break;
        }
        if (stats.failed > 0) return Status::IOError(stats.last_error);
        return Status::OK();
      };
    });
  }
}

}  // namespace lq::cli

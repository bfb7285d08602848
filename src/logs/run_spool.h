// The capture path's on-disk journal. A run never waits on DuckDB: while the command
// runs, lq appends its raw output to .lq/raw/NNN.log and the parsed events to
// .lq/spool/NNN.events.jsonl; at the end it writes .lq/spool/NNN.done.json. Converting
// a spooled run to Parquet (store/run_store.h) happens in a detached process right
// after, or on the next read — so killing lq at any moment loses nothing but the
// exit code of a run that was still going.
//
// Concurrency: the capture process holds an exclusive flock(2) on NNN.meta.json for the
// whole run. A finalizer that can take that lock knows the writer has ended (or died:
// the kernel drops the lock with the process) and, holding it, that no other
// finalizer is converting the same run.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/env.h"
#include "logs/event.h"

namespace lq::logs {

struct RunMeta {
  int64_t run_id = 0;
  std::string source_name;  // the registered command name, --name, or argv[0]'s basename
  std::string source_type;  // run | exec | import | capture
  std::string command;      // as the user typed it (shell-quoted when needed), secrets redacted
  std::string format = "auto";  // the --format the output was parsed with (to re-parse it)
  int64_t started_at_us = 0;
  std::string cwd, hostname, platform, arch;
  std::string git_commit, git_branch;
  int git_dirty = -1;  // -1 unknown, 0 clean, 1 dirty
  std::map<std::string, std::string> ci;
  std::map<std::string, std::string> environment;
  int pid = 0;
};

struct RunDone {
  std::optional<int> exit_code;  // unknown (NULL) for a stream or a file: lq did not run it
  int64_t completed_at_us = 0;
  int64_t errors = 0, warnings = 0, events = 0, output_bytes = 0;
};

// Paths of one run's files inside a project's .lq directory.
struct RunPaths {
  std::string meta, events, done, raw;
  static RunPaths For(const std::string& lq_dir, int64_t run_id);
};

// Formats a run id as the seed's NNN (at least 3 digits).
std::string FormatRunId(int64_t run_id);

// Allocates the next run id of the project: a counter in .lq/seq under the lock
// .lq/seq.lock (Env::LockFile), so 8 runs starting at once get 8 distinct ids.
Result<int64_t> AllocateRunId(Env* env, const std::string& lq_dir);

// An open run being captured. Holds the meta lock until destroyed.
class RunSpool {
 public:
  // Creates .lq/spool/NNN.meta.json (atomically) and takes its lock.
  static Result<RunSpool> Begin(Env* env, const std::string& lq_dir, const RunMeta& meta);
  RunSpool(RunSpool&&) noexcept;
  RunSpool& operator=(RunSpool&&) = delete;
  ~RunSpool();

  const RunPaths& paths() const { return paths_; }
  // Appends raw output (not fsynced: it survives lq being killed, like any write).
  Status AppendRaw(std::string_view chunk);
  // Buffers the event line; it reaches the file once kEventFlushBytes are pending, or
  // when the caller flushes: FlushEventsIfDue after each chunk of output (writes once
  // the oldest line has waited kEventFlushMicros) and FlushEvents when the output goes
  // quiet, as the capture loop does. One write(2) per batch instead of one per event is what keeps
  // a log of a million warnings at parsing speed.
  Status AppendEvent(const Event& event, int64_t event_id);
  // Writes the buffered events when the oldest has waited kEventFlushMicros.
  Status FlushEventsIfDue();
  Status FlushEvents();
  // Writes done.json atomically (after the buffered events). The run is then complete.
  Status Finish(const RunDone& done);

  static constexpr int64_t kEventFlushMicros = 200'000;
  static constexpr size_t kEventFlushBytes = 64 * 1024;

 private:
  RunSpool() = default;
  Env* env_ = nullptr;
  RunPaths paths_;
  std::string pending_events_;  // whole lines not yet written
  int64_t pending_since_us_ = 0;
  std::unique_ptr<FileLock> lock_;  // on the meta file, held while the run is open
  int raw_fd_ = -1;
  int events_fd_ = -1;
};

// Serialization shared by the writer and the finalizer.
std::string MetaToJson(const RunMeta& meta);
Result<RunMeta> MetaFromJson(const std::string& text);
std::string DoneToJson(const RunDone& done);
Result<RunDone> DoneFromJson(const std::string& text);
std::string EventToJsonLine(const Event& event, int64_t event_id);
void AppendEventJsonLine(const Event& event, int64_t event_id, std::string* line);

// Takes the lock of a spooled run (NotFound when its meta file is gone). Returns null
// (and OK) when someone holds it and `wait` is false; otherwise the held lock.
Result<std::unique_ptr<FileLock>> LockRun(Env* env, const std::string& meta_path, bool wait);
// Spooled run ids awaiting conversion, ascending.
std::vector<int64_t> ListSpooledRuns(Env* env, const std::string& lq_dir);

}  // namespace lq::logs

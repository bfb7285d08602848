#include "logs/run_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace lq::logs {
namespace {

// Run files hold the command's whole output: owner-only, like the rest of .lq/.
constexpr mode_t kPrivateFileMode = 0600;

using nlohmann::json;

std::string Dump(const json& j) {
  // Invalid UTF-8 in log text is replaced, never a reason to lose the run.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Status WriteAllFd(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, what);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

template <typename T>
T Get(const json& j, const char* key, T fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    return fallback;
  }
}

}  // namespace

std::string FormatRunId(int64_t run_id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%03lld", static_cast<long long>(run_id));
  return buf;
}

RunPaths RunPaths::For(const std::string& lq_dir, int64_t run_id) {
  std::string id = FormatRunId(run_id);
  std::string spool = JoinPath(lq_dir, "spool");
  return RunPaths{JoinPath(spool, id + ".meta.json"), JoinPath(spool, id + ".events.jsonl"),
                  JoinPath(spool, id + ".done.json"), JoinPath(JoinPath(lq_dir, "raw"), id + ".log")};
}

Result<int64_t> AllocateRunId(Env* env, const std::string& lq_dir) {
  // The lock is a file of its own: the counter is replaced by rename (never torn, even
  // if lq is killed mid-write), which would swap the inode a lock on `seq` is held on.
  std::string seq_path = JoinPath(lq_dir, "seq");
  LQ_ASSIGN_OR_RETURN(auto lock, env->LockFile(seq_path + ".lock", /*wait_micros=*/-1, /*create_if_missing=*/true));
  auto text = env->ReadFile(seq_path);
  if (!text.ok() && !text.status().IsNotFound()) return text.status();
  int64_t next = (text.ok() ? std::strtoll(text->c_str(), nullptr, 10) : 0) + 1;
  // Not fsynced, like the rest of the spool: it must survive lq being killed, which a
  // page-cache write does; the capture path does not pay for an fsync.
  std::string tmp = seq_path + ".tmp";
  {
    LQ_ASSIGN_OR_RETURN(auto file, env->OpenWritable(tmp, Env::OpenMode::kTruncate));
    LQ_RETURN_IF_ERROR(file->Append(std::to_string(next) + "\n"));
    LQ_RETURN_IF_ERROR(file->Close());
  }
  LQ_RETURN_IF_ERROR(env->Rename(tmp, seq_path));
  return next;
}

std::string MetaToJson(const RunMeta& m) {
  json j = {{"run_id", m.run_id},           {"source_name", m.source_name},
            {"source_type", m.source_type}, {"command", m.command},
            {"started_at_us", m.started_at_us}, {"cwd", m.cwd},
            {"hostname", m.hostname},       {"platform", m.platform},
            {"arch", m.arch},               {"git_commit", m.git_commit},
            {"git_branch", m.git_branch},   {"ci", m.ci},
            {"environment", m.environment}, {"pid", m.pid},
            {"format", m.format}};
  j["git_dirty"] = m.git_dirty < 0 ? json(nullptr) : json(m.git_dirty == 1);
  return Dump(j) + "\n";
}

Result<RunMeta> MetaFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Corruption("run metadata is not JSON");
  RunMeta m;
  m.run_id = Get<int64_t>(j, "run_id", 0);
  m.source_name = Get<std::string>(j, "source_name", "");
  m.source_type = Get<std::string>(j, "source_type", "");
  m.command = Get<std::string>(j, "command", "");
  m.started_at_us = Get<int64_t>(j, "started_at_us", 0);
  m.cwd = Get<std::string>(j, "cwd", "");
  m.hostname = Get<std::string>(j, "hostname", "");
  m.platform = Get<std::string>(j, "platform", "");
  m.arch = Get<std::string>(j, "arch", "");
  m.git_commit = Get<std::string>(j, "git_commit", "");
  m.git_branch = Get<std::string>(j, "git_branch", "");
  auto dirty = j.find("git_dirty");
  m.git_dirty = (dirty == j.end() || !dirty->is_boolean()) ? -1 : (dirty->get<bool>() ? 1 : 0);
  m.ci = Get<std::map<std::string, std::string>>(j, "ci", {});
  m.environment = Get<std::map<std::string, std::string>>(j, "environment", {});
  m.pid = Get<int>(j, "pid", 0);
  m.format = Get<std::string>(j, "format", "auto");
  if (m.run_id <= 0) return Status::Corruption("run metadata has no run_id");
  return m;
}

std::string DoneToJson(const RunDone& d) {
  return Dump({{"exit_code", d.exit_code ? json(*d.exit_code) : json(nullptr)},
               {"completed_at_us", d.completed_at_us},
               {"errors", d.errors},
               {"warnings", d.warnings},
               {"events", d.events},
               {"output_bytes", d.output_bytes}}) +
         "\n";
}

Result<RunDone> DoneFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Corruption("run completion record is not JSON");
  RunDone d;
  if (auto code = j.find("exit_code"); code != j.end() && code->is_number_integer()) d.exit_code = code->get<int>();
  d.completed_at_us = Get<int64_t>(j, "completed_at_us", 0);
  d.errors = Get<int64_t>(j, "errors", 0);
  d.warnings = Get<int64_t>(j, "warnings", 0);
  d.events = Get<int64_t>(j, "events", 0);
  d.output_bytes = Get<int64_t>(j, "output_bytes", 0);
  return d;
}

namespace {

// Appends `s` as a JSON string. Invalid UTF-8 becomes U+FFFD (as nlohmann's "replace"
// handler does): log text is bytes, and an invalid line must not cost the event.
void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  out.push_back('"');
  size_t i = 0, run = 0;  // [run, i) is copied as is
  auto flush = [&] { out.append(s.substr(run, i - run)); };
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      // Length and valid second-byte range of a UTF-8 sequence starting with c.
      size_t len = 0;
      unsigned char lo = 0x80, hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) len = 2;
      else if (c == 0xE0) len = 3, lo = 0xA0;
      else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) len = 3;
      else if (c == 0xED) len = 3, hi = 0x9F;
      else if (c == 0xF0) len = 4, lo = 0x90;
      else if (c >= 0xF1 && c <= 0xF3) len = 4;
      else if (c == 0xF4) len = 4, hi = 0x8F;
      bool valid = len > 0 && i + len <= s.size();
      for (size_t k = 1; valid && k < len; ++k) {
        auto b = static_cast<unsigned char>(s[i + k]);
        valid = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
      }
      if (valid) {
        i += len;
        continue;
      }
      flush();
      out.append(kReplacement);
      run = ++i;
      continue;
    }
    flush();
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\t': out.append("\\t"); break;
      case '\r': out.append("\\r"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
    run = ++i;
  }
  flush();
  out.push_back('"');
}

}  // namespace

// Written by hand, not through nlohmann::json: a log of warnings produces an event per
// line, and building a JSON object per event cost more than parsing the line.
std::string EventToJsonLine(const Event& e, int64_t event_id) {
  std::string out;
  AppendEventJsonLine(e, event_id, &out);
  return out;
}

void AppendEventJsonLine(const Event& e, int64_t event_id, std::string* line) {
  std::string& out = *line;
  out.reserve(out.size() + 192 + e.raw_text.size() + e.message.size() + e.file_path.size());
  auto field = [&](std::string_view name, std::string_view value) {
    out.append(",\"").append(name).append("\":");
    AppendJsonString(out, value);
  };
  auto number = [&](std::string_view name, int64_t value) {
    out.append(",\"").append(name).append("\":").append(std::to_string(value));
  };
  out.append("{\"event_id\":").append(std::to_string(event_id));
  field("severity", SeverityName(e.severity));
  field("file_path", e.file_path);
  number("line_number", e.line_number);
  number("column_number", e.column_number);
  field("message", e.message);
  field("raw_text", e.raw_text);
  field("tool_name", e.tool_name);
  field("category", e.category);
  field("error_code", e.error_code);
  field("error_fingerprint", e.fingerprint);
  number("log_line_start", e.log_line_start);
  number("log_line_end", e.log_line_end);
  out.append("}\n");
}

Result<RunSpool> RunSpool::Begin(Env* env, const std::string& lq_dir, const RunMeta& meta) {
  RunSpool spool;
  spool.env_ = env;
  spool.paths_ = RunPaths::For(lq_dir, meta.run_id);
  LQ_RETURN_IF_ERROR(CreateDirs(env, std::string(DirName(spool.paths_.meta))));
  LQ_RETURN_IF_ERROR(CreateDirs(env, std::string(DirName(spool.paths_.raw))));
  // Lock first, publish second: a finalizer that sees the meta file and can lock it
  // must be sure the run has ended. The lock is taken on a file we create exclusively.
  std::string tmp = spool.paths_.meta + ".tmp";
  LQ_ASSIGN_OR_RETURN(spool.lock_, env->LockFile(tmp, /*wait_micros=*/-1, /*create_if_missing=*/true));
  // No fsync on the capture path (it would cost the run milliseconds): the spool must
  // survive lq being killed, which page-cache writes do; power loss may lose a run.
  {
    // Truncated in place: the lock is held on this inode.
    LQ_ASSIGN_OR_RETURN(auto file, env->OpenWritable(tmp, Env::OpenMode::kTruncate));
    LQ_RETURN_IF_ERROR(file->Append(MetaToJson(meta)));
    LQ_RETURN_IF_ERROR(file->Close());
  }
  LQ_RETURN_IF_ERROR(env->Rename(tmp, spool.paths_.meta));
  spool.raw_fd_ = ::open(spool.paths_.raw.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, kPrivateFileMode);
  if (spool.raw_fd_ < 0) return Status::FromErrno(errno, spool.paths_.raw);
  spool.events_fd_ = ::open(spool.paths_.events.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, kPrivateFileMode);
  if (spool.events_fd_ < 0) return Status::FromErrno(errno, spool.paths_.events);
  return spool;
}

RunSpool::RunSpool(RunSpool&& o) noexcept
    : env_(o.env_),
      paths_(std::move(o.paths_)),
      pending_events_(std::move(o.pending_events_)),
      pending_since_us_(o.pending_since_us_),
      lock_(std::move(o.lock_)),
      raw_fd_(std::exchange(o.raw_fd_, -1)),
      events_fd_(std::exchange(o.events_fd_, -1)) {}

RunSpool::~RunSpool() {
  if (events_fd_ >= 0) (void)FlushEvents();
  for (int fd : {raw_fd_, events_fd_}) {
    if (fd >= 0) ::close(fd);
  }
}

Status RunSpool::AppendRaw(std::string_view chunk) { return WriteAllFd(raw_fd_, chunk, paths_.raw); }

Status RunSpool::AppendEvent(const Event& event, int64_t event_id) {
  // One clock read per batch, not per event; the capture loop checks the age per chunk.
  if (pending_events_.empty()) pending_since_us_ = env_->NowMicros();
  AppendEventJsonLine(event, event_id, &pending_events_);
  if (pending_events_.size() >= kEventFlushBytes) return FlushEvents();
  return Status::OK();
}

Status RunSpool::FlushEventsIfDue() {
  if (pending_events_.empty() || env_->NowMicros() - pending_since_us_ < kEventFlushMicros) return Status::OK();
  return FlushEvents();
}

Status RunSpool::FlushEvents() {
  // Whole lines on an O_APPEND file: a crash mid-write leaves at most a torn last line,
  // which the finalizer skips (and a crashed run's events are re-parsed from the raw log).
  if (pending_events_.empty()) return Status::OK();
  Status s = WriteAllFd(events_fd_, pending_events_, paths_.events);
  pending_events_.clear();
  return s;
}

Status RunSpool::Finish(const RunDone& done) {
  LQ_RETURN_IF_ERROR(FlushEvents());
  // Atomic (temp + rename) so a finalizer never reads half a record; not fsynced, as above.
  std::string tmp = paths_.done + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, kPrivateFileMode);
  if (fd < 0) return Status::FromErrno(errno, tmp);
  Status s = WriteAllFd(fd, DoneToJson(done), tmp);
  ::close(fd);
  if (s.ok() && ::rename(tmp.c_str(), paths_.done.c_str()) != 0) s = Status::FromErrno(errno, paths_.done);
  return s;
}

Result<std::unique_ptr<FileLock>> LockRun(Env* env, const std::string& meta_path, bool wait) {
  auto lock = env->LockFile(meta_path, wait ? -1 : 0, /*create_if_missing=*/false);
  if (!lock.ok() && lock.status().IsUnavailable()) return std::unique_ptr<FileLock>();
  return lock;
}

std::vector<int64_t> ListSpooledRuns(Env* env, const std::string& lq_dir) {
  std::vector<int64_t> ids;
  auto names = env->ListDir(JoinPath(lq_dir, "spool"));
  if (!names.ok()) return ids;
  constexpr std::string_view kSuffix = ".meta.json";
  for (const auto& name : *names) {
    if (name.size() <= kSuffix.size() || name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
      continue;
    }
    int64_t id = std::strtoll(name.c_str(), nullptr, 10);
    if (id > 0) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace lq::logs

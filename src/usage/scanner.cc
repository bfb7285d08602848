#include "usage/scanner.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/numbers.h"
#include "usage/hash.h"
#include "usage/usage_store.h"

namespace lq::usage {
namespace {

constexpr size_t kChunk = 256u << 10;     // bytes per read: fits in L2, so parsing reads what the copy just wrote
constexpr uint32_t kWindow = 4096;         // bytes hashed before `consumed`

struct Job {
  size_t slot = 0;             // index into the new file list
  const UsageSource* source = nullptr;
  const SourceFile* file = nullptr;
  bool append = false;         // start at the cached consumed offset
  uint64_t start = 0;
  std::string state;
  uint64_t verify_hash = 0;
  uint32_t verify_len = 0;
  // Results.
  bool ok = false;
  bool restarted = false;      // an append turned out to be a rewrite
  ParseOutput complete;        // records of complete lines from `start`
  ParseOutput tail;            // records of the unterminated last line
  uint64_t consumed = 0;
  uint64_t window_hash = 0;
  uint32_t window_len = 0;
  std::string end_state;
  uint64_t bytes = 0;
};

class FileReader {
 public:
  FileReader(Env* env, std::atomic<uint64_t>* progress) : env_(env), progress_(progress) {}

  void Run(const ParseContext& ctx, Job* job) {
    auto file = env_->NewRandomAccessFile(job->file->path);
    if (!file.ok()) {
      job->complete.warnings.Add(WarningKind::kUnreadableFile);
      return;
    }
    const RandomAccessFile& fd = **file;
    if (job->append && !Verify(fd, ctx, job)) {
      job->restarted = true;
      job->append = false;
      job->start = 0;
      job->state.clear();
    }
    job->ok = Process(fd, ctx, job);
  }

 private:
  // pread(2) through Env: -1 on an error, else the bytes read.
  static ssize_t Pread(const RandomAccessFile& fd, char* buf, size_t n, uint64_t offset) {
    auto got = fd.Read(offset, n, buf);
    return got.ok() ? static_cast<ssize_t>(*got) : -1;
  }

  bool Verify(const RandomAccessFile& fd, const ParseContext& ctx, const Job* job) {
    if (job->verify_len == 0) return job->start == 0;
    Reserve(job->verify_len);
    ssize_t n = Pread(fd, buf_.data(), job->verify_len, job->start - job->verify_len);
    if (n != static_cast<ssize_t>(job->verify_len)) return false;
    return Hash64(ctx.salt, std::string_view(buf_.data(), job->verify_len)) == job->verify_hash;
  }

  void Reserve(size_t n) {
    if (buf_.size() < n + kParsePadding) buf_.resize(n + kParsePadding);
  }

  bool Process(const RandomAccessFile& fd, const ParseContext& ctx, Job* job) {
    const uint64_t end = job->file->size;
    uint64_t pos = job->start;
    size_t have = 0;  // bytes in buf_ starting at a line start
    std::string state = job->state;
    uint64_t block_start = job->start;  // file offset of buf_[0]
    while (pos < end) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(kChunk, end - pos));
      Reserve(have + want);
      ssize_t n = Pread(fd, buf_.data() + have, want, pos);
      if (n < 0) {
        job->complete.warnings.Add(WarningKind::kUnreadableFile);
        return false;
      }
      if (n == 0) break;  // the file shrank while we read: stop at what exists
      pos += static_cast<uint64_t>(n);
      have += static_cast<size_t>(n);
      job->bytes += static_cast<uint64_t>(n);
      progress_->fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
      const void* nl = ::memrchr(buf_.data(), '\n', have);
      if (nl == nullptr) continue;  // a line longer than the chunk: read on
      size_t complete = static_cast<size_t>(static_cast<const char*>(nl) - buf_.data()) + 1;
      job->source->Parse(ctx, *job->file, std::string_view(buf_.data(), complete), &state, &job->complete);
      std::memmove(buf_.data(), buf_.data() + complete, have - complete);
      have -= complete;
      block_start += complete;
    }
    job->consumed = block_start;
    job->end_state = state;
    if (have > 0) {
      std::string tail_state = state;
      job->source->Parse(ctx, *job->file, std::string_view(buf_.data(), have), &tail_state, &job->tail);
    }
    job->window_len = static_cast<uint32_t>(std::min<uint64_t>(kWindow, job->consumed));
    if (job->window_len > 0) {
      Reserve(job->window_len);
      ssize_t n = Pread(fd, buf_.data(), job->window_len, job->consumed - job->window_len);
      if (n != static_cast<ssize_t>(job->window_len)) {
        job->window_len = 0;
        job->consumed = 0;  // cannot verify later: the next change rereads the file
      } else {
        job->window_hash = Hash64(ctx.salt, std::string_view(buf_.data(), job->window_len));
      }
    }
    // Keep buffers of ordinary size between files (a 50 MB line should not pin 50 MB).
    if (buf_.size() > 4 * kChunk) std::vector<char>().swap(buf_);
    return true;
  }

  std::vector<char> buf_;
  Env* env_;
  std::atomic<uint64_t>* progress_;
};

uint64_t RandomSalt(Env* env) {
  uint64_t salt = 0;
  if (!env->RandomBytes(&salt, sizeof salt).ok() || salt == 0) {
    salt = static_cast<uint64_t>(env->NowMicros()) * 0x9e3779b97f4a7c15ull + 1;
  }
  return salt;
}

struct DayAgentModel {
  int64_t day;
  uint8_t agent;
  uint32_t model;
  bool operator==(const DayAgentModel&) const = default;
};
struct DamHash {
  size_t operator()(const DayAgentModel& k) const {
    return HashCombine(HashCombine(static_cast<uint64_t>(k.day), k.agent), k.model);
  }
};

}  // namespace

Aggregates AggregateRecords(const std::vector<UsageRecord>& records, const std::vector<CachedFile>& files,
                            const std::vector<std::string>& models, const TimeZone& zone) {
  Aggregates agg;
  agg.zone_key = zone.key();
  agg.models = models;
  std::unordered_map<DayAgentModel, TokenSums, DamHash> sums;
  struct DayInfo {
    uint64_t prompts = 0;
    std::vector<uint64_t> sessions;
  };
  std::map<std::pair<int64_t, uint8_t>, DayInfo> days;
  DayMapper mapper(zone);
  const auto& sources = AllSources();
  for (int a = 0; a < kAgentCount; ++a) {
    std::vector<const UsageRecord*> responses;
    std::vector<const UsageRecord*> prompts;
    for (const CachedFile& f : files) {
      if (static_cast<int>(f.agent) != a) continue;
      const UsageRecord* begin = records.data() + f.record_begin;
      const UsageRecord* end = begin + f.record_count + f.tail_count;
      for (const UsageRecord* r = begin; r != end; ++r) {
        (r->kind == RecordKind::kResponse ? responses : prompts).push_back(r);
      }
    }
    sources[static_cast<size_t>(a)]->Resolve(&responses);
    // Records of one file are mostly in time order: remember the last lookups.
    int64_t last_hour = INT64_MIN, last_day = 0;
    auto day_of = [&](int64_t ts) {
      int64_t hour = ts >= 0 ? ts / 3'600'000 : -((-ts + 3'599'999) / 3'600'000);
      if (hour != last_hour) {
        last_hour = hour;
        last_day = mapper.Day(hour * 3'600'000);
        if (mapper.Day(hour * 3'600'000 + 3'599'999) != last_day) last_hour = INT64_MIN;  // a day starts inside
      }
      return last_hour == INT64_MIN ? mapper.Day(ts) : last_day;
    };
    TokenSums* last_sum = nullptr;
    DayAgentModel last_key{INT64_MIN, 0, 0};
    DayInfo* last_info = nullptr;
    int64_t last_info_day = INT64_MIN;
    for (const UsageRecord* r : responses) {
      int64_t day = day_of(r->ts_ms);
      DayAgentModel key{day, static_cast<uint8_t>(a), r->model};
      if (!(key == last_key)) {
        last_sum = &sums[key];
        last_key = key;
      }
      last_sum->Add(*r);
      if (day != last_info_day) {
        last_info = &days[{day, static_cast<uint8_t>(a)}];
        last_info_day = day;
      }
      last_info->sessions.push_back(r->session);
    }
    std::unordered_set<uint64_t> seen;
    seen.reserve(prompts.size());
    for (const UsageRecord* r : prompts) {
      if (!seen.insert(r->key_a).second) continue;  // a resumed session copies its prompts
      DayInfo& d = days[{day_of(r->ts_ms), static_cast<uint8_t>(a)}];
      ++d.prompts;
      d.sessions.push_back(r->session);
    }
  }
  agg.model_days.reserve(sums.size());
  for (const auto& [k, t] : sums) {
    agg.model_days.push_back({k.day, static_cast<Agent>(k.agent), k.model, t});
  }
  std::sort(agg.model_days.begin(), agg.model_days.end(), [&](const ModelDay& x, const ModelDay& y) {
    if (x.day != y.day) return x.day < y.day;
    if (x.agent != y.agent) return x.agent < y.agent;
    return models[x.model] < models[y.model];
  });
  for (auto& [k, d] : days) {
    std::sort(d.sessions.begin(), d.sessions.end());
    d.sessions.erase(std::unique(d.sessions.begin(), d.sessions.end()), d.sessions.end());
    agg.agent_days.push_back({k.first, static_cast<Agent>(k.second), d.prompts, std::move(d.sessions)});
  }
  return agg;
}

namespace {

// usage.duckdb is there and, as far as its first bytes tell, a database: a file
// overwritten with garbage must be rebuilt even when no log changed.
bool DbFilePresent(Env* env, const std::string& lq_home) {
  std::string path = JoinPath(lq_home, kUsageDbFileName);
  return FileExists(env, path) && ProbeUsageDb(env, path) != UsageDbFileState::kCorrupt;
}

}  // namespace

struct Scanner::Impl {
  Env* env;
  ScanOptions options;
  UsageCache cache;      // the state after Scan()
  bool dirty = false;
  bool have_result = false;
  std::string path() const { return JoinPath(options.lq_home, kCacheFileName); }
};

Scanner::Scanner(Env* env, ScanOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->env = env;
  impl_->options = std::move(options);
}

Scanner::~Scanner() = default;

std::string Scanner::cache_path() const { return impl_->path(); }

Result<ScanResult> Scanner::Scan() {
  Env* env = impl_->env;
  const ScanOptions& opt = impl_->options;
  ScanResult result;
  LQ_ASSIGN_OR_RETURN(TimeZone local_zone, TimeZone::Resolve(env, ""));

  // LQ_USAGE_TIMING=1 prints how long each phase took (for bench/usage.sh and tuning).
  const bool timing = env->GetEnvVar("LQ_USAGE_TIMING").has_value();
  auto t0 = std::chrono::steady_clock::now();
  auto phase = [&](const char* name) {
    if (!timing) return;
    auto t1 = std::chrono::steady_clock::now();
    std::fprintf(stderr, "usage timing: %-10s %7.1f ms\n", name,
                 std::chrono::duration<double, std::milli>(t1 - t0).count());
    t0 = t1;
  };
  // 1. Discover.
  const auto& sources = AllSources();
  std::vector<std::vector<SourceFile>> found(sources.size());
  for (size_t a = 0; a < sources.size(); ++a) {
    found[a] = sources[a]->Discover(env, &result.discovery_warnings);
  }
  for (const auto& w : result.discovery_warnings) result.warnings.Add(w.kind);

  phase("discover");
  // 2. The previous state.
  UsageCache old;
  bool have_old = false;
  if (!opt.rebuild) {
    auto loaded = LoadCache(env, impl_->path(), false);
    if (loaded.ok()) {
      old = std::move(*loaded);
      have_old = true;
    }
  }
  UsageCache& now = impl_->cache;
  now = UsageCache();
  now.salt = have_old ? old.salt : RandomSalt(env);
  now.models = old.models;
  ParseContext ctx{now.salt};

  std::unordered_map<uint64_t, size_t> old_index;  // (agent, path hash) -> old file
  old_index.reserve(old.files.size());
  for (size_t i = 0; i < old.files.size(); ++i) {
    old_index.emplace(HashCombine(old.files[i].path_hash, static_cast<uint64_t>(old.files[i].agent)), i);
  }

  phase("cache");
  // 3. Classify.
  std::vector<const SourceFile*> slot_file;
  std::vector<Agent> slot_agent;
  std::vector<long> slot_old;  // old file index reused as is, or -1
  std::vector<Job> jobs;
  std::vector<bool> old_seen(old.files.size(), false);
  uint64_t revived = 0;  // vanished files that are back
  for (size_t a = 0; a < sources.size(); ++a) {
    for (const SourceFile& f : found[a]) {
      const size_t slot = slot_file.size();
      slot_file.push_back(&f);
      slot_agent.push_back(static_cast<Agent>(a));
      uint64_t ph = Hash64(now.salt, f.path);
      auto it = old_index.find(HashCombine(ph, a));
      const CachedFile* prev = nullptr;
      if (it != old_index.end()) {
        prev = &old.files[it->second];
        old_seen[it->second] = true;
        revived += prev->vanished;
      }
      if (opt.full_rescan) prev = nullptr;  // read from the start (its history is replaced by what it holds)
      if (prev && prev->size == f.size && prev->mtime_ns == f.mtime_ns) {
        slot_old.push_back(static_cast<long>(it->second));
        continue;
      }
      slot_old.push_back(-1);
      Job job;
      job.slot = slot;
      job.source = sources[a].get();
      job.file = &f;
      if (prev && f.size >= prev->consumed && prev->consumed > 0) {
        job.append = true;
        job.start = prev->consumed;
        job.state = prev->state;
        job.verify_hash = prev->window_hash;
        job.verify_len = prev->window_len;
      }
      jobs.push_back(std::move(job));
    }
  }
  for (size_t i = 0; i < old.files.size(); ++i) {
    if (old_seen[i]) continue;
    ++result.stats.files_vanished;
    if (!old.files[i].vanished) ++result.stats.files_removed;
  }
  result.stats.files = slot_file.size();

  // 4. Nothing changed: the cached aggregates are the answer.
  if (have_old && jobs.empty() && result.stats.files_removed == 0 && revived == 0 && old.has_aggregates &&
      old.aggregates.zone_key == local_zone.key()) {
    now = std::move(old);
    for (size_t s = 0; s < slot_file.size(); ++s) {
      const CachedFile& cf = now.files[static_cast<size_t>(slot_old[s])];
      if (cf.warnings.Total() > 0) {
        result.file_warnings.push_back({slot_file[s]->path, slot_agent[s], cf.warnings});
        result.warnings.Merge(cf.warnings);
      }
    }
    // The cache's file list is in this run's order already (same set, same sort).
    result.local = now.aggregates;
    result.db_stale = !now.db_current || !DbFilePresent(env, opt.lq_home);
    for (const auto& md : result.local.model_days) result.stats.responses += md.tokens.responses;
    impl_->dirty = false;
    impl_->have_result = true;
    return result;
  }

  phase("classify");
  // 5. Read what changed, largest first, on the worker threads.
  bool need_old_records = result.stats.files_vanished > 0;
  for (long o : slot_old) need_old_records |= o >= 0;
  for (const Job& j : jobs) need_old_records |= j.append;
  if (need_old_records) {
    Status s = LoadCacheRecords(env, impl_->path(), &old);
    if (!s.ok()) {
      // The cache vanished or broke under us: read everything (its history is lost).
      const bool saved = impl_->options.rebuild;
      impl_->options.rebuild = true;
      auto r = Scan();
      impl_->options.rebuild = saved;
      return r;
    }
  }
  std::vector<size_t> order(jobs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  uint64_t total_bytes = 0;
  for (const Job& j : jobs) total_bytes += j.file->size - j.start;
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return jobs[x].file->size - jobs[x].start > jobs[y].file->size - jobs[y].start;
  });
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> done_bytes{0};
  std::mutex mu;
  std::condition_variable cv;
  int running = 0;
  auto worker = [&] {
    FileReader reader(env, &done_bytes);
    for (size_t k; (k = next.fetch_add(1)) < order.size();) reader.Run(ctx, &jobs[order[k]]);
    std::lock_guard<std::mutex> lock(mu);
    --running;
    cv.notify_all();
  };
  int threads = opt.threads;
  if (auto t = env->GetEnvVar("LQ_USAGE_THREADS"); t) {
    if (std::optional<int64_t> n = ParseNonNegativeInt(*t); n && *n > 0) threads = static_cast<int>(std::min<int64_t>(*n, 256));
  }
  int nthreads = std::max(1, std::min<int>(threads, static_cast<int>(jobs.size())));
  if (total_bytes < (1u << 20)) nthreads = 1;
  if (nthreads == 1 && !opt.progress) {
    running = 1;
    worker();
  } else {
    // Workers read; this thread only reports progress (about ten times a second).
    running = nthreads;
    std::vector<std::thread> threads;
    for (int t = 0; t < nthreads; ++t) threads.emplace_back(worker);
    {
      std::unique_lock<std::mutex> lock(mu);
      while (running > 0) {
        cv.wait_for(lock, std::chrono::milliseconds(100));
        if (running > 0 && opt.progress) {
          lock.unlock();
          opt.progress(done_bytes.load(), total_bytes);
          lock.lock();
        }
      }
    }
    for (auto& t : threads) t.join();
  }
  if (opt.progress) opt.progress(done_bytes.load(), total_bytes);

  phase("read+parse");
  // 6. The new cache: files in discovery order, records concatenated.
  std::unordered_map<std::string, uint32_t> model_ids;
  for (uint32_t i = 0; i < now.models.size(); ++i) model_ids.emplace(now.models[i], i);
  auto global_model = [&](const ParseOutput& out, uint32_t local) {
    const std::string& name = out.models[local];
    auto it = model_ids.find(name);
    if (it != model_ids.end()) return it->second;
    now.models.push_back(name);
    uint32_t id = static_cast<uint32_t>(now.models.size() - 1);
    model_ids.emplace(now.models.back(), id);
    return id;
  };
  std::vector<Job*> job_of_slot(slot_file.size(), nullptr);
  for (Job& j : jobs) job_of_slot[j.slot] = &j;
  {
    size_t total = 0;
    for (long o : slot_old) {
      if (o >= 0) total += old.files[static_cast<size_t>(o)].record_count + old.files[static_cast<size_t>(o)].tail_count;
    }
    for (size_t i = 0; i < old.files.size(); ++i) {
      if (!old_seen[i]) total += old.files[i].record_count + old.files[i].tail_count;
    }
    for (const Job& j : jobs) {
      total += j.complete.records.size() + j.tail.records.size();
      if (j.append) total += old.files[old_index.at(HashCombine(Hash64(now.salt, j.file->path), static_cast<uint64_t>(
                                                                    j.source->agent())))].record_count;
    }
    now.records.reserve(total);
  }
  auto append_records = [&](const ParseOutput& out, uint32_t* count) {
    std::vector<uint32_t> map(out.models.size());
    for (uint32_t i = 0; i < map.size(); ++i) map[i] = global_model(out, i);
    for (UsageRecord r : out.records) {
      r.model = map[r.model];
      now.records.push_back(r);
      ++*count;
    }
  };
  for (size_t s = 0; s < slot_file.size(); ++s) {
    const SourceFile& f = *slot_file[s];
    if (slot_old[s] >= 0) {
      CachedFile cf = old.files[static_cast<size_t>(slot_old[s])];
      auto b = old.records.begin() + static_cast<long>(cf.record_begin);
      cf.record_begin = now.records.size();
      cf.vanished = false;
      now.records.insert(now.records.end(), b, b + cf.record_count + cf.tail_count);
      if (cf.warnings.Total() > 0) {
        result.file_warnings.push_back({f.path, slot_agent[s], cf.warnings});
        result.warnings.Merge(cf.warnings);
      }
      now.files.push_back(std::move(cf));
      continue;
    }
    Job& j = *job_of_slot[s];
    if (!j.ok) {  // unreadable: not cached, so the next run tries again
      result.file_warnings.push_back({f.path, slot_agent[s], j.complete.warnings});
      result.warnings.Merge(j.complete.warnings);
      continue;
    }
    CachedFile cf;
    cf.agent = slot_agent[s];
    cf.path_hash = Hash64(now.salt, f.path);
    cf.size = f.size;
    cf.mtime_ns = f.mtime_ns;
    cf.record_begin = now.records.size();
    if (j.append) {
      const CachedFile& prev = old.files[old_index.at(HashCombine(cf.path_hash, static_cast<uint64_t>(cf.agent)))];
      auto b = old.records.begin() + static_cast<long>(prev.record_begin);
      now.records.insert(now.records.end(), b, b + prev.record_count);
      cf.record_count = prev.record_count;
      cf.warnings = prev.warnings;
      ++result.stats.files_appended;
    } else {
      ++result.stats.files_read;
    }
    append_records(j.complete, &cf.record_count);
    append_records(j.tail, &cf.tail_count);
    std::vector<UsageRecord>().swap(j.complete.records);  // keep one copy of the records at a time
    std::vector<UsageRecord>().swap(j.tail.records);
    cf.warnings.Merge(j.complete.warnings);  // not the tail's: it may be a line still being written
    cf.consumed = j.consumed;
    cf.window_hash = j.window_hash;
    cf.window_len = j.window_len;
    cf.state = std::move(j.end_state);
    result.stats.bytes_read += j.bytes;
    if (cf.warnings.Total() > 0) {
      result.file_warnings.push_back({f.path, slot_agent[s], cf.warnings});
      result.warnings.Merge(cf.warnings);
    }
    now.files.push_back(std::move(cf));
  }
  // The history of deleted logs. Each keeps its place in the file order (deduplication
  // keeps the first of equal copies, so order decides which session a copied response
  // belongs to): right after the cached file that preceded it, so deleting files never
  // changes what the others count.
  if (result.stats.files_vanished > 0) {
    std::vector<long> new_pos(old.files.size(), -1);
    for (size_t p = 0; p < now.files.size(); ++p) {
      auto it = old_index.find(HashCombine(now.files[p].path_hash, static_cast<uint64_t>(now.files[p].agent)));
      if (it != old_index.end()) new_pos[it->second] = static_cast<long>(p);
    }
    std::vector<std::vector<size_t>> after(now.files.size() + 1);  // [p + 1]: vanished files after file p
    long anchor = -1;
    for (size_t i = 0; i < old.files.size(); ++i) {
      if (new_pos[i] >= 0) {
        anchor = new_pos[i];
      } else if (!old_seen[i]) {
        after[static_cast<size_t>(anchor + 1)].push_back(i);
      }
    }
    std::vector<CachedFile> live = std::move(now.files);
    now.files.clear();
    now.files.reserve(live.size() + result.stats.files_vanished);
    for (size_t p = 0; p <= live.size(); ++p) {
      if (p > 0) now.files.push_back(std::move(live[p - 1]));
      for (size_t i : after[p]) {
        CachedFile cf = old.files[i];
        auto b = old.records.begin() + static_cast<long>(cf.record_begin);
        cf.record_begin = now.records.size();
        cf.vanished = true;
        now.records.insert(now.records.end(), b, b + cf.record_count + cf.tail_count);
        now.files.push_back(std::move(cf));
      }
    }
  }
  now.records_loaded = true;
  result.stats.records = now.records.size();

  phase("merge");
  // 7. Deduplicate and aggregate in the machine's zone.
  now.aggregates = AggregateRecords(now.records, now.files, now.models, local_zone);
  now.has_aggregates = true;
  result.stats.changed = !have_old || !jobs.empty() || result.stats.files_removed > 0 || revived > 0 ||
                         !old.has_aggregates || !(old.aggregates.zone_key == local_zone.key());
  bool same_as_db = have_old && old.db_current && old.has_aggregates &&
                    old.aggregates.zone_key == now.aggregates.zone_key &&
                    old.aggregates.model_days.size() == now.aggregates.model_days.size();
  if (same_as_db) {
    for (size_t i = 0; i < now.aggregates.model_days.size() && same_as_db; ++i) {
      const ModelDay& x = old.aggregates.model_days[i];
      const ModelDay& y = now.aggregates.model_days[i];
      same_as_db = x.day == y.day && x.agent == y.agent && old.models[x.model] == now.models[y.model] &&
                   x.tokens == y.tokens;
    }
    same_as_db = same_as_db && old.aggregates.agent_days.size() == now.aggregates.agent_days.size();
    for (size_t i = 0; i < now.aggregates.agent_days.size() && same_as_db; ++i) {
      const AgentDay& x = old.aggregates.agent_days[i];
      const AgentDay& y = now.aggregates.agent_days[i];
      same_as_db = x.day == y.day && x.agent == y.agent && x.prompts == y.prompts && x.sessions == y.sessions;
    }
  }
  now.db_current = same_as_db && DbFilePresent(env, opt.lq_home);
  result.db_stale = !now.db_current;
  result.local = now.aggregates;
  for (const auto& md : result.local.model_days) result.stats.responses += md.tokens.responses;
  phase("aggregate");
  impl_->dirty = true;
  impl_->have_result = true;
  return result;
}

Result<Aggregates> Scanner::AggregateIn(const TimeZone& zone) {
  if (!impl_->have_result) return Status::Internal("AggregateIn before Scan");
  UsageCache& c = impl_->cache;
  if (c.has_aggregates && c.aggregates.zone_key == zone.key()) return c.aggregates;
  if (!c.records_loaded) LQ_RETURN_IF_ERROR(LoadCacheRecords(impl_->env, impl_->path(), &c));
  return AggregateRecords(c.records, c.files, c.models, zone);
}

Status Scanner::Commit(bool db_written) {
  if (!impl_->have_result) return Status::OK();
  UsageCache& c = impl_->cache;
  bool was_current = c.db_current;
  if (db_written) c.db_current = true;
  if (!impl_->dirty && c.db_current == was_current) return Status::OK();
  auto t0 = std::chrono::steady_clock::now();
  if (!c.records_loaded) LQ_RETURN_IF_ERROR(LoadCacheRecords(impl_->env, impl_->path(), &c));
  LQ_RETURN_IF_ERROR(CreateDirs(impl_->env, impl_->options.lq_home));
  LQ_RETURN_IF_ERROR(WriteCache(impl_->env, impl_->path(), c));
  if (impl_->env->GetEnvVar("LQ_USAGE_TIMING").has_value()) {
    std::fprintf(stderr, "usage timing: %-10s %7.1f ms\n", "save cache",
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  impl_->dirty = false;
  return Status::OK();
}

}  // namespace lq::usage

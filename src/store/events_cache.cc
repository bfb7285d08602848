#include "store/events_cache.h"

#include <cstdlib>
#include <unordered_set>

namespace lq::store {
namespace {

constexpr const char* kCacheDir = "cache";


}  // namespace

std::vector<std::string> ListRunFiles(Env* env, const std::string& lq_dir) {
  std::vector<std::string> files;
  std::string logs = JoinPath(lq_dir, "logs");
  auto dates = env->ListDir(logs);
  if (!dates.ok()) return files;
  for (const auto& d : *dates) {
    if (d.rfind("date=", 0) != 0) continue;
    auto sources = env->ListDir(JoinPath(logs, d));
    if (!sources.ok()) continue;
    for (const auto& s : *sources) {
      if (s.rfind("source=", 0) != 0) continue;
      std::string rel_dir = "logs/" + d + "/" + s;
      auto names = env->ListDir(JoinPath(lq_dir, rel_dir));
      if (!names.ok()) continue;
      for (const auto& n : *names) {
        if (n.size() > 8 && n.compare(n.size() - 8, 8, ".parquet") == 0) files.push_back(rel_dir + "/" + n);
      }
    }
  }
  return files;
}

EventFiles ResolveEventFiles(Env* env, const std::string& lq_dir, const std::vector<std::string>& run_files) {
  EventFiles out;
  std::unordered_set<std::string> cached;
  std::string cache_file;
  std::string cache_dir = JoinPath(lq_dir, kCacheDir);
  if (auto manifest = env->ReadFile(JoinPath(cache_dir, "manifest")); manifest.ok()) {
    std::string_view text = *manifest;
    bool first = true;
    while (!text.empty()) {
      size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      if (first) {
        cache_file = JoinPath(cache_dir, line);
        first = false;
      } else if (!line.empty()) {
        cached.emplace(line);
      }
    }
  }
  std::unordered_set<std::string> present(run_files.begin(), run_files.end());
  bool valid = !cache_file.empty() && FileExists(env, cache_file);
  for (const auto& c : cached) {
    if (!present.count(c)) {
      valid = false;  // the cache holds a run that was pruned
      break;
    }
  }
  if (valid) out.paths.push_back(cache_file);
  for (const auto& f : run_files) {
    if (!valid || !cached.count(f)) {
      out.paths.push_back(JoinPath(lq_dir, f));
      ++out.uncached;
    }
  }
  return out;
}

Status RebuildEventsCache(Env* env, const std::string& lq_dir, Connection& conn,
                          const std::vector<std::string>& run_files) {
  std::string cache_dir = JoinPath(lq_dir, kCacheDir);
  LQ_RETURN_IF_ERROR(CreateDirs(env, cache_dir));
  std::string lock_path = JoinPath(cache_dir, "lock");
  auto lock = env->LockFile(lock_path, /*wait_micros=*/0, /*create_if_missing=*/true);
  if (!lock.ok()) return lock.status().IsUnavailable() ? Status::OK() : lock.status();  // someone else is at it

  // Generations count up; the number is kept in the lock file, rewritten in place (a
  // rename would replace the inode the lock is held on).
  auto gen_read = env->ReadFile(lock_path);
  long long gen = (gen_read.ok() ? std::atoll(gen_read->c_str()) : 0) + 1;
  std::string name = "events-" + std::to_string(gen) + ".parquet";
  std::string target = JoinPath(cache_dir, name);
  if (run_files.empty()) return Status::OK();
  std::vector<std::string> abs;
  for (const auto& f : run_files) abs.push_back(JoinPath(lq_dir, f));
  std::string tmp = target + ".tmp";
  LQ_RETURN_IF_ERROR(conn.Execute("COPY (SELECT * FROM read_parquet(" + SqlList(abs) +
                                  ", union_by_name = true) ORDER BY run_id, event_id) TO " + SqlQuote(tmp) +
                                  " (FORMAT PARQUET, COMPRESSION ZSTD)"));
  LQ_RETURN_IF_ERROR(env->MakeOwnerOnly(tmp));  // DuckDB creates files 0666 & ~umask
  LQ_RETURN_IF_ERROR(env->Rename(tmp, target));
  std::string manifest = name + "\n";
  for (const auto& f : run_files) manifest += f + "\n";
  LQ_RETURN_IF_ERROR(WriteFileAtomically(env, JoinPath(cache_dir, "manifest"), manifest));
  std::string gen_text = std::to_string(gen) + "\n";
  {
    LQ_ASSIGN_OR_RETURN(auto gen_file, env->OpenWritable(lock_path, Env::OpenMode::kTruncate));
    LQ_RETURN_IF_ERROR(gen_file->Append(gen_text));
    LQ_RETURN_IF_ERROR(gen_file->Close());
  }
  // Keep the previous generation for readers that loaded the old manifest.
  if (gen > 2) env->RemoveFile(JoinPath(cache_dir, "events-" + std::to_string(gen - 2) + ".parquet"));
  return Status::OK();
}

}  // namespace lq::store

// The "project logs" collection: which local files of a project travel, and under which
// keys (seed layout):
//   namespace=X/project=Y/hostname=H/date=YYYY-MM-DD/source=S/NNN_name_HHMMSS.parquet
//   namespace=X/project=Y/hostname=H/raw/NNN.log          (only with sync.include_raw)
// (The device-usage collection, usage/device_id=D/..., is added by the usage sync.)
#pragma once

#include <string>
#include <vector>

#include "core/env.h"
#include "sync/collection.h"
#include "sync/sync_engine.h"

namespace lq::sync {

// "namespace=X/project=Y/hostname=H/" — the values must already be safe names.
std::string ProjectPrefix(const std::string& ns, const std::string& project, const std::string& hostname);

// The project's Parquet run files (and raw logs when include_raw), keyed under prefix.
// With `settled`, run-file folders the manifest knows as settled are not listed (run
// files are written once, by rename); raw logs grow while a run lasts and are always
// listed.
LocalTree ProjectLogFiles(Env* env, const std::string& lq_dir, const std::string& prefix, bool include_raw,
                          const Manifest* settled = nullptr);

// A project's runs as a Collection (immutable: run files are written once, by rename).
class ProjectCollection final : public Collection {
 public:
  // `lq_dir` is the project's absolute .lq folder; `prefix` from ProjectPrefix.
  ProjectCollection(std::string lq_dir, std::string prefix, bool include_raw)
      : lq_dir_(std::move(lq_dir)), prefix_(std::move(prefix)), include_raw_(include_raw) {}
  std::string prefix() const override { return prefix_; }
  bool immutable() const override { return true; }
  std::string source_root() const override { return std::string(DirName(lq_dir_)); }
  LocalTree List(Env* env, const Manifest* settled) override {
    return ProjectLogFiles(env, lq_dir_, prefix_, include_raw_, settled);
  }

 private:
  std::string lq_dir_, prefix_;
  bool include_raw_;
};

}  // namespace lq::sync

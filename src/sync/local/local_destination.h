// A folder as a destination: a local central store (~/.lq/projects), or a folder that
// Syncthing or OneDrive replicates. All I/O goes through Env, so the conformance and
// crash tests run it on MemEnv and FaultInjectionEnv too.
//
// Put writes "<dir>/.lq-tmp-<random>" beside the target, fsyncs it and renames it into
// place, then fsyncs the directory: readers (and file-sync daemons) never see a partial
// object. Temporary names start with ".lq-tmp-" and are never listed.
#pragma once

#include <memory>
#include <string>

#include "core/env.h"
#include "sync/destination.h"
#include "sync/registry.h"

namespace lq::sync {

class LocalDestination final : public Destination {
 public:
  // `root` must be absolute.
  LocalDestination(Env* env, std::string root) : env_(env), root_(std::move(root)) {}

  std::string Describe() const override { return "local:" + root_; }
  Capabilities capabilities() const override { return {true, true, true}; }
  std::string local_root() const override { return root_; }
  Status Check() override;
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  Status Put(std::string_view key, const std::string& local_path, const PutOptions& options) override;
  Result<std::string> Get(std::string_view key) override;
  Status Delete(std::string_view key) override;
  Status Link(std::string_view key, const std::string& target) override;
  Status RemoveTemporaries(std::string_view prefix) override;

  const std::string& root() const { return root_; }

 private:
  std::string PathOf(std::string_view key) const { return root_ + "/" + std::string(key); }
  Env* env_;
  std::string root_;
};

constexpr std::string_view kTempPrefix = ".lq-tmp-";

// Claims destinations without a scheme: "/abs", "~/x", "relative" (made absolute).
void RegisterLocalDestination(DestinationRegistry* registry);

}  // namespace lq::sync

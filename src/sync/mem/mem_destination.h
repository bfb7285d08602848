// An in-memory destination: objects in a map, for tests of the engine and the session
// that need no folder and no service, and as the smallest example of a backend. Put
// reads the local file through the Env it was given and swaps the object in under a
// mutex, so it is atomic; it passes the whole conformance suite.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/env.h"
#include "sync/destination.h"

namespace lq::sync {

class MemDestination final : public Destination {
 public:
  // `env` reads the local files Put sends; `name` appears in Describe() ("mem:name").
  MemDestination(Env* env, std::string name) : env_(env), name_(std::move(name)) {}

  std::string Describe() const override { return "mem:" + name_; }
  Capabilities capabilities() const override { return {false, true, true}; }
  Status Check() override { return Status::OK(); }
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  Status Put(std::string_view key, const std::string& local_path, const PutOptions& options) override;
  Result<std::string> Get(std::string_view key) override;
  Status Delete(std::string_view key) override;

 private:
  Env* env_;
  std::string name_;
  std::mutex mu_;
  std::map<std::string, std::string, std::less<>> objects_;
};

}  // namespace lq::sync

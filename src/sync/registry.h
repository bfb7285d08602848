// The destination registry: one place that maps what a user types (a folder, "~/x",
// "s3://bucket/prefix/", later "az://", "abfss://", "md:") to a Destination. Each
// backend registers itself from its own folder (rclone's fs.Register): a
// RegisterXDestination(DestinationRegistry*) beside its class, listed once in
// sync/all/all_destinations.cc. Nothing else — not the CLI, not the session — names a
// backend.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/env.h"
#include "sync/destination.h"

namespace lq::sync {

struct DestinationBackend {
  // "s3" claims "s3://..."; "" claims everything without a scheme (local paths).
  std::string scheme;
  // Parses `url` and opens the destination, without network I/O (Check() does that).
  // A malformed URL is InvalidArgument naming what is wrong and the expected form.
  std::function<Result<std::unique_ptr<Destination>>(Env* env, const std::string& url)> open;
};

class DestinationRegistry {
 public:
  // A later registration of the same scheme replaces the earlier one.
  void Register(DestinationBackend backend);
  // Opens the destination `url` names. URLs carrying secrets (ValidateDestination) and
  // schemes no backend claims are InvalidArgument, one line.
  Result<std::unique_ptr<Destination>> Open(Env* env, const std::string& url) const;
  // "s3://, az://" — for messages.
  std::string Schemes() const;

 private:
  std::vector<DestinationBackend> backends_;
};

}  // namespace lq::sync

// A local, read-only mirror of a remote store (S3, later Azure): what `--include-synced`
// queries when the central store is not a folder. Incremental: an object is fetched when
// the mirror lacks it or holds another size (run files are immutable and uniquely named);
// mirror files whose object is gone are removed. Written atomically, so a query never
// reads a half-downloaded file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/env.h"
#include "sync/destination.h"

namespace lq::sync {

struct MirrorResult {
  size_t fetched = 0, kept = 0, removed = 0;
  uint64_t bytes = 0;
};

// Mirrors the objects under `prefix` for which keep(key) holds into `local_root`/key.
Result<MirrorResult> MirrorStore(Env* env, Destination* source, const std::string& local_root,
                                 const std::string& prefix, const std::function<bool(const std::string&)>& keep);

}  // namespace lq::sync

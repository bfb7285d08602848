// After a crash: the events of a run whose capturing lq died (no done.json), rebuilt
// from its raw log. The live spool lags the output by design: parsers hold a block until
// it ends (the gcc parser holds a whole run of compiler lines to tell gcc from clang),
// and the spool batches lines for up to RunSpool::kEventFlushMicros. The raw log is
// written chunk by chunk before parsing, so re-parsing it recovers every event of every
// line the command printed, exactly as a full parse of the same log would.
#pragma once

#include <cstdint>
#include <string>

#include "core/env.h"
#include "logs/run_spool.h"

namespace lq::logs {

struct RecoveredEvents {
  int64_t events = 0, errors = 0, warnings = 0;
};

// Parses `paths.raw` with `format` (a --format value, "junit" included) and replaces
// `paths.events` with the result (written to a temporary file, then renamed, so a
// crash here leaves the old file). Caller holds the run's lock. NotFound when there is
// no raw log (the spooled events are then all there is).
Result<RecoveredEvents> RecoverEventsFromRawLog(Env* env, const RunPaths& paths, const std::string& format);

}  // namespace lq::logs

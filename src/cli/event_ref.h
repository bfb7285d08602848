// References to runs and events as lq prints them and takes them back (lq errors ->
// lq context / lq event / --run / lq diff). Run ids are numbered per project and
// machine, so with --include-synced "16" alone is ambiguous; a reference names the
// machine (and the project) whenever the run is not this project's on this machine:
//
//   RUN                      this project, this machine        12
//   HOST:RUN                 this project, another machine     laptop:16
//   NAMESPACE/PROJECT/HOST:RUN  another project                acme/web/laptop:3
//
// and an event reference is a run reference, ':', the event id (12:3, laptop:16:1), or
// just the event id, meaning that event in the latest local run. Names in the store are
// SafeName()s (core/project_identity.h): they never contain ':' or '/', so the forms
// cannot be confused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace lq::cli {

// Whose runs count as "local": the project's identity and this machine's name in data.
struct LocalIdentity {
  std::string ns, project, hostname;
};

struct RunRef {
  std::string ns, project, hostname;  // empty: the local project / machine
  int64_t run_id = 0;                 // 0: the latest local run (event references only)
  bool is_local() const { return ns.empty() && project.empty() && hostname.empty(); }
};

struct EventRef {
  RunRef run;
  int64_t event_id = 0;
};

// InvalidArgument (exit 2) naming the forms above when `text` is none of them.
Result<RunRef> ParseRunRef(std::string_view text);
Result<EventRef> ParseEventRef(std::string_view text);

// The shortest reference to run `run_id` of namespace/project/hostname, as above.
std::string FormatRunRef(const LocalIdentity& local, const std::string& ns,
                         const std::string& project, const std::string& hostname, int64_t run_id);
// The same as a SQL expression over lq_events' columns (namespace, project, hostname,
// run_id), for building refs in a query.
std::string RunRefSql(const LocalIdentity& local);

// A SQL condition on lq_events selecting the run. With include_synced false only local
// runs exist, and a reference to another machine's run is an InvalidArgument saying to
// add --include-synced. run_id 0 selects the latest local run by start time.
Result<std::string> RunCondition(const RunRef& ref, const LocalIdentity& local,
                                 bool include_synced);

}  // namespace lq::cli

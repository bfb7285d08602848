#include "cli/event_ref.h"

#include "core/numbers.h"
#include "store/database.h"

namespace lq::cli {
namespace {

const char* const kRunForms =
    "a run is RUN, HOST:RUN or NAMESPACE/PROJECT/HOST:RUN, as lq history prints it";
const char* const kEventForms =
    "an event is RUN:EVENT, HOST:RUN:EVENT or NAMESPACE/PROJECT/HOST:RUN:EVENT, as lq errors "
    "prints it";

std::optional<int64_t> PositiveId(std::string_view s) {
  std::optional<int64_t> n = ParseNonNegativeInt(s);
  if (!n || *n == 0) return std::nullopt;
  return n;
}

// The HOST or NAMESPACE/PROJECT/HOST before a run id.
bool ParseWhere(std::string_view where, RunRef* ref) {
  if (where.find(':') != std::string_view::npos) return false;
  size_t slash = where.find('/');
  if (slash == std::string_view::npos) {
    ref->hostname = std::string(where);
    return !where.empty();
  }
  size_t second = where.find('/', slash + 1);
  if (second == std::string_view::npos || where.find('/', second + 1) != std::string_view::npos)
    return false;
  ref->ns = std::string(where.substr(0, slash));
  ref->project = std::string(where.substr(slash + 1, second - slash - 1));
  ref->hostname = std::string(where.substr(second + 1));
  return !ref->ns.empty() && !ref->project.empty() && !ref->hostname.empty();
}

}  // namespace

Result<RunRef> ParseRunRef(std::string_view text) {
  RunRef ref;
  size_t colon = text.rfind(':');
  std::string_view id = colon == std::string_view::npos ? text : text.substr(colon + 1);
  std::optional<int64_t> run = PositiveId(id);
  if (!run || (colon != std::string_view::npos && !ParseWhere(text.substr(0, colon), &ref))) {
    return Status::InvalidArgument("'" + std::string(text) + "' is not a run; " + kRunForms);
  }
  ref.run_id = *run;
  return ref;
}

Result<EventRef> ParseEventRef(std::string_view text) {
  EventRef ref;
  size_t colon = text.rfind(':');
  std::optional<int64_t> event =
      PositiveId(colon == std::string_view::npos ? text : text.substr(colon + 1));
  if (!event)
    return Status::InvalidArgument("'" + std::string(text) + "' is not an event; " + kEventForms);
  ref.event_id = *event;
  if (colon != std::string_view::npos) {
    Result<RunRef> run = ParseRunRef(text.substr(0, colon));
    if (!run.ok())
      return Status::InvalidArgument("'" + std::string(text) + "' is not an event; " + kEventForms);
    ref.run = *run;
  }
  return ref;
}

std::string FormatRunRef(const LocalIdentity& local, const std::string& ns,
                         const std::string& project, const std::string& hostname, int64_t run_id) {
  std::string id = std::to_string(run_id);
  if (ns != local.ns || project != local.project)
    return ns + "/" + project + "/" + hostname + ":" + id;
  if (hostname != local.hostname) return hostname + ":" + id;
  return id;
}

std::string RunRefSql(const LocalIdentity& local) {
  return "CASE WHEN namespace <> " + store::SqlQuote(local.ns) + " OR project <> " +
         store::SqlQuote(local.project) +
         " THEN namespace || '/' || project || '/' || hostname || ':' WHEN hostname <> " +
         store::SqlQuote(local.hostname) + " THEN hostname || ':' ELSE '' END || run_id";
}

Result<std::string> RunCondition(const RunRef& ref, const LocalIdentity& local,
                                 bool include_synced) {
  const std::string ns = ref.ns.empty() ? local.ns : ref.ns;
  const std::string project = ref.project.empty() ? local.project : ref.project;
  const std::string host = ref.hostname.empty() ? local.hostname : ref.hostname;
  bool local_run = ns == local.ns && project == local.project && host == local.hostname;
  if (!include_synced) {
    if (!local_run) {
      return Status::InvalidArgument(
          FormatRunRef(local, ns, project, host, ref.run_id == 0 ? 1 : ref.run_id) +
          " is a synced run; add --include-synced (and --store if sync.destination "
          "is not set)");
    }
    // Every local run file is this project's, whatever hostname it recorded.
    if (ref.run_id > 0) return "run_id = " + std::to_string(ref.run_id);
    return std::string(
        "run_id = (SELECT run_id FROM lq_events ORDER BY started_at DESC, run_id DESC LIMIT 1)");
  }
  std::string where = "namespace = " + store::SqlQuote(ns) +
                      " AND project = " + store::SqlQuote(project) +
                      " AND hostname = " + store::SqlQuote(host);
  if (ref.run_id > 0) return where + " AND run_id = " + std::to_string(ref.run_id);
  return where + " AND run_id = (SELECT run_id FROM lq_events WHERE " + where +
         " ORDER BY started_at DESC, run_id DESC LIMIT 1)";
}

}  // namespace lq::cli

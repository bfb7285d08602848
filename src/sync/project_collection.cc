#include "sync/project_collection.h"


namespace lq::sync {

std::string ProjectPrefix(const std::string& ns, const std::string& project, const std::string& hostname) {
  return "namespace=" + ns + "/project=" + project + "/hostname=" + hostname + "/";
}

LocalTree ProjectLogFiles(Env* env, const std::string& lq_dir, const std::string& prefix, bool include_raw,
                          const Manifest* settled) {
  auto parquet_only = [](const std::string& rel) {
    return rel.size() > 8 && rel.compare(rel.size() - 8, 8, ".parquet") == 0;
  };
  LocalTree files = ListLocalTree(env, JoinPath(lq_dir, "logs"), prefix, {parquet_only, settled});
  if (include_raw) {
    auto logs_only = [](const std::string& rel) {
      return rel.size() > 4 && rel.compare(rel.size() - 4, 4, ".log") == 0;
    };
    files.Append(ListLocalTree(env, JoinPath(lq_dir, "raw"), prefix + "raw/", {logs_only}));
  }
  return files;
}

}  // namespace lq::sync

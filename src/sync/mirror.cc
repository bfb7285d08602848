#include "sync/mirror.h"

#include <unordered_set>

#include "sync/sync_engine.h"

namespace lq::sync {

Result<MirrorResult> MirrorStore(Env* env, Destination* source, const std::string& local_root,
                                 const std::string& prefix, const std::function<bool(const std::string&)>& keep) {
  MirrorResult result;
  LQ_ASSIGN_OR_RETURN(std::vector<ObjectInfo> remote, source->List(prefix));
  std::unordered_set<std::string> wanted;
  for (const ObjectInfo& o : remote) {
    if (keep && !keep(o.key)) continue;
    LQ_RETURN_IF_ERROR(ValidateKey(o.key));  // never write outside local_root
    wanted.insert(o.key);
    std::string path = JoinPath(local_root, o.key);
    auto info = env->Stat(path);
    if (info.ok() && info->is_file() && info->size == o.size) {
      ++result.kept;
      continue;
    }
    LQ_ASSIGN_OR_RETURN(std::string data, source->Get(o.key));
    LQ_RETURN_IF_ERROR(CreateDirs(env, std::string(DirName(path))));
    LQ_RETURN_IF_ERROR(WriteFileAtomically(env, path, data));
    ++result.fetched;
    result.bytes += data.size();
  }
  std::string prefix_dir = prefix.substr(0, prefix.rfind('/') == std::string::npos ? 0 : prefix.rfind('/') + 1);
  for (const LocalFile& f : ListLocalTree(env, JoinPath(local_root, prefix_dir), prefix_dir).files) {
    if (f.key.compare(0, prefix.size(), prefix) != 0 || (keep && !keep(f.key)) || wanted.count(f.key)) continue;
    if (env->RemoveFile(f.path).ok()) ++result.removed;
  }
  return result;
}

}  // namespace lq::sync

#include "sync/registry.h"

#include "core/config.h"
#include "core/project_identity.h"

namespace lq::sync {

void DestinationRegistry::Register(DestinationBackend backend) {
  for (auto& b : backends_) {
    if (b.scheme == backend.scheme) {
      b = std::move(backend);
      return;
    }
  }
  backends_.push_back(std::move(backend));
}

std::string DestinationRegistry::Schemes() const {
  std::string out;
  for (const auto& b : backends_) {
    if (b.scheme.empty()) continue;
    if (!out.empty()) out += ", ";
    out += b.scheme + "://";
  }
  return out;
}

Result<std::unique_ptr<Destination>> DestinationRegistry::Open(Env* env, const std::string& url) const {
  LQ_RETURN_IF_ERROR(ValidateDestination(url));
  // "scheme://..." or MotherDuck's "md:..."; anything else is a path ("a:b" included).
  size_t sep = url.find("://");
  std::string scheme = sep != std::string::npos ? url.substr(0, sep) : url.rfind("md:", 0) == 0 ? "md" : "";
  for (const auto& b : backends_) {
    if (b.scheme == scheme) return b.open(env, url);
  }
  std::string known = Schemes();
  return Status::InvalidArgument("destination '" + RedactUrl(url) +
                                 "' is not supported yet; use a folder (e.g. ~/.lq/projects/)" +
                                 (known.empty() ? "" : " or " + known));
}

}  // namespace lq::sync

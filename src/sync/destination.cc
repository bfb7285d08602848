#include "sync/destination.h"

namespace lq::sync {

Status ValidateKey(std::string_view key) {
  if (key.empty()) return Status::InvalidArgument("empty key");
  if (key.front() == '/') return Status::InvalidArgument("key starts with '/': " + std::string(key));
  if (key.find('\0') != std::string_view::npos) return Status::InvalidArgument("key contains NUL");
  size_t i = 0;
  while (i <= key.size()) {
    size_t j = key.find('/', i);
    if (j == std::string_view::npos) j = key.size();
    std::string_view part = key.substr(i, j - i);
    if (part.empty() || part == "." || part == "..") {
      return Status::InvalidArgument("key has an empty, '.' or '..' component: " + std::string(key));
    }
    if (part.size() > 255) return Status::InvalidArgument("key component longer than 255 bytes");
    i = j + 1;
  }
  return Status::OK();
}

}  // namespace lq::sync

#include "usage/timezone.h"

#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <optional>

namespace lq::usage {
namespace {

std::mutex& TzMutex() {
  static std::mutex m;
  return m;
}

bool SafeZoneName(const std::string& name) {
  if (name.empty() || name.size() > 128 || name.front() == '/' || name.front() == '-') return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    std::string part = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    for (char c : part) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                c == '-' || c == '+';
      if (!ok) return false;
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

Result<TimeZone> TimeZone::Resolve(Env* env, const std::string& name) {
  if (name.empty()) {
    auto tz = env->GetEnvVar("TZ");
    if (tz && !tz->empty()) return TimeZone("", "TZ=" + *tz);
    auto target = env->ReadLink("/etc/localtime");
    if (target.ok()) return TimeZone("", "localtime=" + *target);
    auto content = env->ReadFile("/etc/localtime");
    if (content.ok()) return TimeZone("", "localtime#" + std::to_string(std::hash<std::string>{}(*content)));
    return TimeZone("", "UTC");
  }
  if (name == "UTC" || name == "Etc/UTC" || name == "GMT" || name == "Z") return TimeZone(name, "UTC");
  if (SafeZoneName(name)) {
    auto dir = env->GetEnvVar("TZDIR");
    std::string base = dir && !dir->empty() ? *dir : "/usr/share/zoneinfo";
    auto info = env->Stat(JoinPath(base, name));
    if (info.ok() && (info->is_file() || info->type == FileInfo::Type::kSymlink)) return TimeZone(name, name);
  }
  return Status::InvalidArgument("unknown time zone '" + name +
                                 "'; use an IANA name such as Europe/Paris, America/New_York or UTC");
}

struct DayMapper::Impl {
  std::unique_lock<std::mutex> lock{TzMutex()};
  std::optional<std::string> saved_tz;
  bool changed = false;
  bool utc = false;
  // Hour bucket -> offset (seconds) when constant over the whole hour.
  std::unordered_map<int64_t, int32_t> hour_offset;

  int64_t OffsetAt(int64_t utc_s) {
    if (utc) return 0;
    time_t t = static_cast<time_t>(utc_s);
    struct tm tm;
    if (localtime_r(&t, &tm) == nullptr) return 0;
    return tm.tm_gmtoff;
  }
};

DayMapper::DayMapper(const TimeZone& zone) : impl_(std::make_unique<Impl>()) {
  if (zone.key() == "UTC") {
    impl_->utc = true;
    return;
  }
  if (!zone.name().empty()) {
    const char* old = std::getenv("TZ");
    if (old) impl_->saved_tz = old;
    ::setenv("TZ", zone.name().c_str(), 1);
    impl_->changed = true;
  }
  ::tzset();
}

DayMapper::~DayMapper() {
  if (impl_->changed) {
    if (impl_->saved_tz) {
      ::setenv("TZ", impl_->saved_tz->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }
}

int64_t DayMapper::OffsetSeconds(int64_t utc_ms) {
  int64_t s = FloorDiv(utc_ms, 1000);
  int64_t hour = FloorDiv(s, 3600);
  auto it = impl_->hour_offset.find(hour);
  if (it != impl_->hour_offset.end()) return it->second;
  int64_t a = impl_->OffsetAt(hour * 3600);
  int64_t b = impl_->OffsetAt(hour * 3600 + 3599);
  if (a == b) {
    impl_->hour_offset.emplace(hour, static_cast<int32_t>(a));
    return a;
  }
  return impl_->OffsetAt(s);  // a transition inside this hour: ask for the exact second
}

int64_t DayMapper::Day(int64_t utc_ms) {
  int64_t s = FloorDiv(utc_ms, 1000);
  return FloorDiv(s + OffsetSeconds(utc_ms), 86400);
}

}  // namespace lq::usage

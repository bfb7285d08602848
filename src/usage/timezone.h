// Which local day a UTC instant falls on, for any IANA time zone.
//
// Records keep UTC milliseconds; the day is computed when a report is made, so the same
// cache serves every --timezone. The machine's zone (TZ, else /etc/localtime) is the
// default, as for ccusage. Conversion uses the C library's tz database (localtime_r with
// TZ set for the duration of a DayMapper) behind a per-hour offset cache, so a million
// records cost a few thousand localtime_r calls.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/env.h"

namespace lq::usage {

class TimeZone {
 public:
  // `name` is an IANA name ("Europe/Paris", "UTC"); "" means the machine's zone.
  // InvalidArgument for names the tz database does not know.
  static Result<TimeZone> Resolve(Env* env, const std::string& name);
  static TimeZone Utc() { return TimeZone("UTC", "UTC"); }

  // The name given (or "" for the machine default).
  const std::string& name() const { return name_; }
  // Identifies the zone's rules for caching: the IANA name, or for the machine default
  // the TZ value or the /etc/localtime target.
  const std::string& key() const { return key_; }

 private:
  TimeZone(std::string name, std::string key) : name_(std::move(name)), key_(std::move(key)) {}
  std::string name_;
  std::string key_;
};

// Maps instants to local day numbers (days since 1970-01-01 in the zone). Not
// thread-safe and holds a process-wide lock for its lifetime (the TZ variable is global):
// make one, map everything, drop it.
class DayMapper {
 public:
  explicit DayMapper(const TimeZone& zone);
  ~DayMapper();
  DayMapper(const DayMapper&) = delete;
  DayMapper& operator=(const DayMapper&) = delete;

  int64_t Day(int64_t utc_ms);
  // The instant's offset from UTC in seconds.
  int64_t OffsetSeconds(int64_t utc_ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lq::usage

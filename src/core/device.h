// Device identity: which machine a row of telemetry came from.
//
// $LQ_HOME/device.yaml holds a random device_id (a UUIDv4, not derived from hostname
// or MAC, so renaming or cloning a machine's hardware never merges or splits data) and
// a display name defaulting to the hostname. The id is created once, race-free across
// processes (CreateFileOnce), and never rewritten except together with the same id.
#pragma once

#include <string>

#include "core/env.h"

namespace lq {

struct DeviceIdentity {
  std::string device_id;   // "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  std::string name;        // display name, yours to change
  std::string created_at;  // UTC, ISO 8601
};

// Reads $LQ_HOME/device.yaml; NotFound when the device has no identity yet.
Result<DeviceIdentity> LoadDevice(Env* env, const std::string& lq_home);
// Loads the identity, creating it (and lq_home) first if needed. Safe when many
// processes call it at once: all of them get the same id.
Result<DeviceIdentity> LoadOrCreateDevice(Env* env, const std::string& lq_home);
// Changes the display name only; the device_id stays.
Result<DeviceIdentity> RenameDevice(Env* env, const std::string& lq_home, const std::string& name);

// The host name recorded with runs and used in the store layout (hostname=H):
// $LQ_HOSTNAME when set (containers and CI runners whose host names change on every
// boot), else the system's host name.
std::string DataHostName(Env* env);

// Names are 1-64 bytes without control characters.
Status ValidateDeviceName(const std::string& name);
// A random UUIDv4 from env->RandomBytes.
Result<std::string> NewUuid(Env* env);
// Formats microseconds since the epoch as "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatUtc(int64_t micros);

}  // namespace lq

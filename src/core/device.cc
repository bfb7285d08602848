#include "core/device.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <ctime>

namespace lq {
namespace {

constexpr const char* kDeviceFile = "device.yaml";

bool IsUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

}  // namespace

Status ValidateDeviceName(const std::string& name) {
  if (name.empty()) return Status::InvalidArgument("device name must not be empty");
  if (name.size() > 64) return Status::InvalidArgument("device name is longer than 64 bytes");
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return Status::InvalidArgument("device name has a control character");
  }
  return Status::OK();
}

namespace {

std::string Render(const DeviceIdentity& d) {
  YAML::Emitter name;
  name << d.name;
  return "# lq device identity. device_id is random and never changes;\n"
         "# name is yours to change: lq device rename NAME\n"
         "device_id: " + d.device_id + "\n" +
         "name: " + name.c_str() + "\n" +
         "created_at: " + d.created_at + "\n";
}

}  // namespace

std::string DataHostName(Env* env) {
  if (auto v = env->GetEnvVar("LQ_HOSTNAME"); v && !v->empty()) return *v;
  return env->HostName();
}

Result<std::string> NewUuid(Env* env) {
  unsigned char b[16];
  LQ_RETURN_IF_ERROR(env->RandomBytes(b, sizeof b));
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return std::string(out);
}

std::string FormatUtc(int64_t micros) {
  std::time_t secs = static_cast<std::time_t>(micros / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<DeviceIdentity> LoadDevice(Env* env, const std::string& lq_home) {
  std::string path = JoinPath(lq_home, kDeviceFile);
  LQ_ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
  DeviceIdentity d;
  try {
    YAML::Node root = YAML::Load(text);
    if (root.IsMap()) {
      if (root["device_id"]) d.device_id = root["device_id"].as<std::string>();
      if (root["name"]) d.name = root["name"].as<std::string>();
      if (root["created_at"]) d.created_at = root["created_at"].as<std::string>();
    }
  } catch (const YAML::Exception& e) {
    return Status::Corruption(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!IsUuid(d.device_id)) {
    // Never replace a damaged identity silently: the id ties this machine's synced data.
    return Status::Corruption(path + ": device_id is missing or not a UUID; restore the file from "
                              "a backup, or delete it to start this machine as a new device");
  }
  return d;
}

Result<DeviceIdentity> LoadOrCreateDevice(Env* env, const std::string& lq_home) {
  auto existing = LoadDevice(env, lq_home);
  if (existing.ok() || !existing.status().IsNotFound()) return existing;
  LQ_RETURN_IF_ERROR(CreateDirs(env, lq_home));
  DeviceIdentity d;
  LQ_ASSIGN_OR_RETURN(d.device_id, NewUuid(env));
  d.name = env->HostName();
  if (!ValidateDeviceName(d.name).ok()) d.name = "device";
  d.created_at = FormatUtc(env->NowMicros());
  Status s = CreateFileOnce(env, JoinPath(lq_home, kDeviceFile), Render(d));
  if (s.ok()) return d;
  if (s.IsAlreadyExists()) return LoadDevice(env, lq_home);  // another process won the race
  return s;
}

Result<DeviceIdentity> RenameDevice(Env* env, const std::string& lq_home, const std::string& name) {
  LQ_RETURN_IF_ERROR(ValidateDeviceName(name));
  LQ_ASSIGN_OR_RETURN(DeviceIdentity d, LoadOrCreateDevice(env, lq_home));
  d.name = name;
  LQ_RETURN_IF_ERROR(WriteFileAtomically(env, JoinPath(lq_home, kDeviceFile), Render(d)));
  return d;
}

}  // namespace lq

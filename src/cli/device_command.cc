// lq device: this machine's identity ($LQ_HOME/device.yaml).
#include "cli/commands.h"
#include "core/device.h"
#include "core/paths.h"

namespace lq::cli {
namespace {

void Show(Output& out, const DeviceIdentity& d, const std::string& home, bool json) {
  if (json) {
    out.Json({{"device_id", d.device_id}, {"name", d.name}, {"created_at", d.created_at}, {"lq_home", home}});
    return;
  }
  out.KeyValues({{"name", out.Bold(d.name)},
                 {"device_id", d.device_id},
                 {"created_at", d.created_at},
                 {"lq_home", home}});
}

}  // namespace

void AddDeviceCommand(CLI::App& app, Context& ctx) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("device", "Show this machine's device identity");
  cmd->footer(
      "The device_id is random, created once and never changed: it ties this machine's\n"
      "synced data together. The name is only for display.\n\n"
      "Examples:\n"
      "  lq device\n"
      "  lq device rename laptop");
  cmd->add_flag("--json", *json, "Print as JSON");
  cmd->require_subcommand(0, 1);

  auto name = std::make_shared<std::string>();
  auto dry_run = std::make_shared<bool>(false);
  CLI::App* rename = cmd->add_subcommand("rename", "Change this device's display name (the id stays)");
  rename->add_option("NAME", *name, "The new display name")->required();
  rename->add_flag("--dry-run", *dry_run, "Show the change, write nothing");
  rename->add_flag("--json", *json, "Print as JSON");

  cmd->callback([&ctx, cmd, json] {
    if (!cmd->get_subcommands().empty()) return;
    ctx.action = [&ctx, json] {
      LQ_ASSIGN_OR_RETURN(std::string home, LqHome(ctx.env));
      LQ_ASSIGN_OR_RETURN(DeviceIdentity d, LoadOrCreateDevice(ctx.env, home));
      Show(*ctx.out, d, home, *json);
      return Status::OK();
    };
  });
  rename->callback([&ctx, name, dry_run, json] {
    ctx.action = [&ctx, name, dry_run, json] {
      LQ_ASSIGN_OR_RETURN(std::string home, LqHome(ctx.env));
      if (*dry_run) {
        LQ_RETURN_IF_ERROR(ValidateDeviceName(*name));
        auto loaded = LoadDevice(ctx.env, home);
        if (!loaded.ok() && !loaded.status().IsNotFound()) return loaded.status();
        DeviceIdentity d = loaded.ok() ? *loaded : DeviceIdentity{"(created on first use)", ctx.env->HostName(), ""};
        if (!*json) ctx.out->Line("Would rename '" + d.name + "' to '" + *name + "' (dry run)");
        d.name = *name;
        if (*json) Show(*ctx.out, d, home, true);
        return Status::OK();
      }
      LQ_ASSIGN_OR_RETURN(DeviceIdentity d, RenameDevice(ctx.env, home, *name));
      Show(*ctx.out, d, home, *json);
      return Status::OK();
    };
  });
}

}  // namespace lq::cli

// The command groups of the lq CLI. Each Add*Command registers its subcommand(s) on the
// root app; when one is chosen on the command line, its callback stores the work to do
// in ctx.action, which Main runs after parsing so every error becomes an exit code.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "cli/output.h"
#include "core/env.h"

namespace lq::cli {

struct Context {
  Env* env = nullptr;
  Output* out = nullptr;
  std::string directory;         // -C DIR: run as if started in DIR ("" = current directory)
  std::function<Status()> action;
  int exit_code = -1;  // when >= 0 and the action succeeded: the exit code (lq exec passes the child's)

  // The directory lq acts on, absolute.
  Result<std::string> WorkingDir() const;
};

void AddInitCommand(CLI::App& app, Context& ctx);
void AddDeviceCommand(CLI::App& app, Context& ctx);
void AddCompletionsCommand(CLI::App& app, Context& ctx);
void AddCaptureCommands(CLI::App& app, Context& ctx);
void AddQueryCommands(CLI::App& app, Context& ctx);
void AddUsageCommand(CLI::App& app, Context& ctx);
void AddSyncCommand(CLI::App& app, Context& ctx);

}  // namespace lq::cli

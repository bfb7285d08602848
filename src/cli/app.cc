#include "cli/app.h"

#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "core/paths.h"
#include "store/database.h"

#ifndef LQ_VERSION
#define LQ_VERSION "0.0.0"
#endif

namespace lq::cli {

Result<std::string> Context::WorkingDir() const {
  return AbsolutePath(env, directory.empty() ? "." : directory);
}

namespace {

constexpr const char* kFooter = R"(Examples:
  lq init                            start tracking this project (.lq/)
  lq exec -- make -j8                run a build, record its errors and warnings
  lq errors                          what broke in the latest runs (file:line, message)
  lq usage                           AI assistant tokens per day (Claude Code, Codex)
  lq sync ~/.lq/projects/            copy this project's runs to a central store
  lq history --include-synced        runs from every machine that synced there
  lq completions bash > /etc/bash_completion.d/lq

Exit codes: 0 ok, 1 the command failed, 2 usage error.
Environment: LQ_HOME (default ~/.lq), LQ_HOSTNAME (this machine's name in synced data),
CLAUDE_CONFIG_DIR and CODEX_HOME (where lq usage looks), NO_COLOR.)";

}  // namespace

int Main(int argc, char** argv) {
  Output out(stdout, stderr);
  Context ctx;
  ctx.env = Env::Default();
  ctx.out = &out;

  CLI::App app("lq keeps your build/test logs and AI-assistant usage in local Parquet/DuckDB\n"
               "and syncs them across your machines.",
               "lq");
  app.footer(kFooter);
  // Lazily: naming DuckDB's version loads libduckdb, which only --version should pay for.
  app.set_version_flag("-V,--version", [] {
    return std::string("lq ") + LQ_VERSION + " (duckdb " + store::LibraryVersion() + ")";
  });
  app.add_option("-C,--directory", ctx.directory, "Run as if lq was started in this directory")
      ->check(CLI::ExistingDirectory);
  app.require_subcommand(0, 1);
  app.fallthrough();

  AddInitCommand(app, ctx);
  AddDeviceCommand(app, ctx);
  AddCaptureCommands(app, ctx);
  AddQueryCommands(app, ctx);
  AddUsageCommand(app, ctx);
  AddSyncCommand(app, ctx);
  AddCompletionsCommand(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string where = "lq";
    for (CLI::App* sub = &app; sub != nullptr;) {
      auto subs = sub->get_subcommands();
      if (subs.empty()) break;
      sub = subs.front();
      where += " " + sub->get_name();
    }
    out.Error(std::string(e.what()) + "; see '" + where + " --help'");
    return kExitUsage;
  }

  if (!ctx.action) {
    out.Print(app.help());
    return kExitOk;
  }
  try {
    Status s = ctx.action();
    if (!s.ok()) out.Error(s);
    if (s.ok() && ctx.exit_code >= 0) return ctx.exit_code;
    return ExitCodeFor(s);
  } catch (const std::exception& e) {
    // Libraries we call may throw; nothing escapes as a crash.
    out.Error(std::string("internal error: ") + e.what() + "; please report it");
    return kExitFailed;
  }
}

}  // namespace lq::cli

#include "cli/app.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "core/config.h"
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

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
// two neighbours each cost 1 ("hsitory" is 1 from "history").
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The visible subcommand of `app` nearest to `word`, or "" when none is close enough to
// be a plausible typo (at most a third of the longer name, and at least 2, may differ) or
// a prefix of it.
std::string NearestSubcommand(const CLI::App& app, std::string_view word) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    const std::string& name = sub->get_name();
    size_t distance = name.rfind(word, 0) == 0 ? 1 : EditDistance(word, name);
    size_t limit = std::max<size_t>(2, std::max(word.size(), name.size()) / 3);
    if (distance <= limit && distance < best_distance) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

// For a word left over where a command has subcommands: "unknown command 'histroy' (did
// you mean 'history'?); see 'lq --help'". "" when the error is about something else.
// `extras` are the words nothing took, wherever CLI11 left them (a subcommand passes
// words it cannot use up to its parent).
std::string UnknownCommandMessage(const CLI::App& deepest, const std::string& where,
                                  const std::vector<std::string>& extras) {
  bool has_commands = !deepest.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }).empty();
  if (!has_commands) return "";
  if (extras.empty() || extras.front().empty() || extras.front()[0] == '-') return "";
  const std::string& word = extras.front();
  std::string msg = "unknown command '" + (where == "lq" ? word : where.substr(3) + " " + word) + "'";
  std::string nearest = NearestSubcommand(deepest, word);
  if (!nearest.empty()) msg += " (did you mean '" + (where == "lq" ? nearest : where.substr(3) + " " + nearest) + "'?)";
  return msg + "; see '" + where + " --help'";
}

}  // namespace

int Main(int argc, char** argv) {
  Output out(stdout, stderr);
  // A hand-edited name in .lq/config.yaml that had to be made safe: one warning line.
  SetConfigWarningHandler([&out](const std::string& message) { out.Warn(message); });
  struct ClearHandler {
    ~ClearHandler() { SetConfigWarningHandler(nullptr); }
  } clear_handler;
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
    CLI::App* deepest = &app;
    for (;;) {
      auto subs = deepest->get_subcommands();
      if (subs.empty()) break;
      deepest = subs.front();
      where += " " + deepest->get_name();
    }
    std::string unknown;
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      unknown = UnknownCommandMessage(*deepest, where, app.remaining(true));
    }
    if (!unknown.empty()) {
      out.Error(unknown);
      return kExitUsage;
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

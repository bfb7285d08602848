// ninja: tool_name "ninja", category "build".
//
//   FAILED: CMakeFiles/app.dir/main.cc.o        error, message = the failed edge's outputs
//   FAILED: [code=1] out.o                      (ninja >= 1.13 prints the exit code; it is
//   /usr/bin/c++ ... -c main.cc                 left out of the message and of error_code so
//                                               the fingerprint does not depend on the ninja
//                                               version). The command on the next line is
//                                               part of the event; it also tells the gcc
//                                               parser whether clang or gcc produced the
//                                               diagnostics that follow.
//   ninja: build stopped: subcommand failed.    error "build stopped: subcommand failed."
//   ninja: error: loading 'build.ninja': ...    error (also "ninja: fatal: ...")
//   ninja: warning: ...                         warning
// Not events: "ninja: Entering directory `x'", "ninja: no work to do.", "[3/10] ..." lines.
#include "logs/build_parsers.h"

namespace lq::logs::buildtools {
namespace {

class NinjaParser final : public ToolParser {
 public:
  explicit NinjaParser(std::shared_ptr<BuildContext> context)
      : context_(context ? std::move(context) : std::make_shared<BuildContext>()) {}

  std::string_view name() const override { return "ninja"; }

  bool Feed(const Line& line, EventSink& sink) override {
    std::string_view s = line.text;
    if (s.empty()) return false;
    const char c = s[0];
    if (expect_command_) {
      expect_command_ = false;
      if (c != '[' && !StartsWith(s, "ninja: ") && !StartsWith(s, "FAILED: ")) {
        AppendLine(pending_, line);
        context_->last_compiler = CompilerOfCommand(s);
        return true;
      }
    }
    if (c == 'F' && StartsWith(s, "FAILED: ")) {
      std::string_view outputs = s.substr(8);
      if (StartsWith(outputs, "[code=")) {
        size_t close = outputs.find("] ");
        if (close != std::string_view::npos) outputs.remove_prefix(close + 2);
      }
      Start(line, Severity::kError, Trim(outputs), sink);
      expect_command_ = true;
      return true;
    }
    if (c != 'n' || !StartsWith(s, "ninja: ")) return false;
    std::string_view rest = s.substr(7);
    if (StartsWith(rest, "build stopped: ")) {
      Start(line, Severity::kError, rest, sink);
    } else if (StartsWith(rest, "error: ")) {
      Start(line, Severity::kError, rest.substr(7), sink);
    } else if (StartsWith(rest, "fatal: ")) {
      Start(line, Severity::kError, rest.substr(7), sink);
    } else if (StartsWith(rest, "warning: ")) {
      Start(line, Severity::kWarning, rest.substr(9), sink);
    } else {
      return false;
    }
    return true;
  }

  void Flush(EventSink& sink) override {
    expect_command_ = false;
    Emit(sink);
  }

 private:
  void Start(const Line& line, Severity sev, std::string_view msg, EventSink& sink) {
    Emit(sink);
    pending_ = Event();
    AppendLine(pending_, line);
    pending_.severity = sev;
    pending_.message = std::string(TrimRight(msg));
    pending_.tool_name = "ninja";
    pending_.category = "build";
    has_pending_ = true;
  }

  void Emit(EventSink& sink) {
    if (!has_pending_) return;
    has_pending_ = false;
    sink.OnEvent(std::move(pending_));
    pending_ = Event();
  }

  std::shared_ptr<BuildContext> context_;
  Event pending_;
  bool has_pending_ = false;
  bool expect_command_ = false;  // the line after "FAILED:" is the command
};

}  // namespace

std::unique_ptr<ToolParser> MakeNinjaParser(std::shared_ptr<BuildContext> context) {
  return std::make_unique<NinjaParser>(std::move(context));
}

}  // namespace lq::logs::buildtools

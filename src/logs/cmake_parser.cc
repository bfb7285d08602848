// CMake configure/generate diagnostics: tool_name "cmake", category "build".
//
//   CMake Error at CMakeLists.txt:12 (find_package):     header: severity, file, line
//     By not providing "FindFoo.cmake" in ...             indented body, blank lines inside
//     asked CMake to find ...                             it, "Call Stack (most recent call
//                                                         first):" and the "This warning is
//     Could not find a package configuration ...         for project developers" trailer
//   Call Stack (most recent call first):                  all belong to the event; it ends
//     CMakeLists.txt:4 (include)                          at the first other line (trailing
//                                                         blank lines are claimed but not
//                                                         part of it).
// message = the first paragraph of the body, its lines trimmed and joined by spaces
// ("By not providing "FindFoo.cmake" in CMAKE_MODULE_PATH this project has asked CMake ...").
// Headers: "CMake Error at F:L (cmd):", "CMake Error in F:", "CMake Error at F:L:",
// "CMake Error:" (body follows), "CMake Error: message" (one line), and the same for
// "CMake Warning", "CMake Warning (dev)", "CMake Error (dev)", "CMake Deprecation Warning",
// "CMake Deprecation Error", "CMake Internal Error". error_code: "dev" for (dev) (author)
// warnings, "deprecation" for deprecation ones, "" otherwise.
#include "logs/build_parsers.h"

namespace lq::logs::buildtools {
namespace {

class CmakeParser final : public ToolParser {
 public:
  std::string_view name() const override { return "cmake"; }

  bool Feed(const Line& line, EventSink& sink) override {
    std::string_view s = line.text;
    if (has_pending_) {
      if (TrimRight(s).empty()) {
        ++blank_lines_;
        if (!pending_.message.empty()) message_done_ = true;
        return true;
      }
      if (s[0] == ' ' || s[0] == '\t') {
        AddBodyLine(line);
        if (!message_done_) {
          if (!pending_.message.empty()) pending_.message.push_back(' ');
          pending_.message.append(Trim(s));
        }
        return true;
      }
      if (s == "Call Stack (most recent call first):" ||
          StartsWith(s, "This warning is for project developers.") ||
          StartsWith(s, "This error is for project developers.")) {
        AddBodyLine(line);
        message_done_ = true;
        return true;
      }
    }
    if (s.size() < 12 || s[0] != 'C' || !StartsWith(s, "CMake ")) return false;
    return OnHeader(line, s.substr(6), sink);
  }

  void Flush(EventSink& sink) override { Emit(sink); }

 private:
  bool OnHeader(const Line& line, std::string_view r, EventSink& sink) {
    Severity sev;
    std::string_view code;
    if (StartsWith(r, "Error")) {
      sev = Severity::kError;
      r.remove_prefix(5);
    } else if (StartsWith(r, "Warning")) {
      sev = Severity::kWarning;
      r.remove_prefix(7);
    } else if (StartsWith(r, "Deprecation Warning")) {
      sev = Severity::kWarning;
      code = "deprecation";
      r.remove_prefix(19);
    } else if (StartsWith(r, "Deprecation Error")) {
      sev = Severity::kError;
      code = "deprecation";
      r.remove_prefix(17);
    } else if (StartsWith(r, "Internal Error")) {
      sev = Severity::kError;
      r.remove_prefix(14);
      if (StartsWith(r, " (please report a bug)")) r.remove_prefix(22);
    } else {
      return false;
    }
    if (StartsWith(r, " (dev)")) {
      code = "dev";
      r.remove_prefix(6);
    }
    std::string_view file, inline_message;
    int64_t ln = 0;
    if (StartsWith(r, " at ") || StartsWith(r, " in ")) {
      std::string_view loc = TrimRight(r.substr(4));
      if (loc.empty() || loc.back() != ':') return false;
      loc.remove_suffix(1);
      if (!loc.empty() && loc.back() == ')') {  // "CMakeLists.txt:12 (find_package)"
        size_t open = loc.rfind(" (");
        if (open != std::string_view::npos) loc = loc.substr(0, open);
      }
      int64_t col = 0;
      SplitLocation(loc, &file, &ln, &col);
    } else if (StartsWith(r, ": ")) {
      inline_message = Trim(r.substr(2));
    } else if (r != ":") {
      return false;
    }
    Emit(sink);
    pending_ = Event();
    AppendLine(pending_, line);
    pending_.severity = sev;
    pending_.file_path = std::string(file);
    pending_.line_number = ln;
    pending_.message = std::string(inline_message);
    pending_.error_code = std::string(code);
    pending_.tool_name = "cmake";
    pending_.category = "build";
    has_pending_ = true;
    message_done_ = !inline_message.empty();
    blank_lines_ = 0;
    return true;
  }

  void AddBodyLine(const Line& line) {
    for (; blank_lines_ > 0; --blank_lines_) pending_.raw_text.push_back('\n');
    AppendLine(pending_, line);
  }

  void Emit(EventSink& sink) {
    if (!has_pending_) return;
    has_pending_ = false;
    if (pending_.message.empty()) {  // a header with no body: use the header itself
      std::string_view header = pending_.raw_text;
      header = header.substr(0, header.find('\n'));
      if (StartsWith(header, "CMake ")) header.remove_prefix(6);
      if (!header.empty() && header.back() == ':') header.remove_suffix(1);
      pending_.message = std::string(header);
    }
    sink.OnEvent(std::move(pending_));
    pending_ = Event();
    blank_lines_ = 0;
  }

  Event pending_;
  bool has_pending_ = false;
  bool message_done_ = false;  // the first body paragraph ended
  int blank_lines_ = 0;        // blank lines claimed since the last body line
};

}  // namespace

std::unique_ptr<ToolParser> MakeCmakeParser() { return std::make_unique<CmakeParser>(); }

}  // namespace lq::logs::buildtools

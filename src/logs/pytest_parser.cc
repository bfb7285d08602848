// pytest's terminal report.
//
//   =================================== FAILURES ===================================
//   ________________________________ test_add_wrong ________________________________
//
//       def test_add_wrong():
//   >       assert add(1, 1) == 3
//   E       assert 2 == 3
//
//   tests/test_calc.py:10: AssertionError
//   =========================== short test summary info ============================
//   FAILED tests/test_calc.py::test_add_wrong - assert 2 == 3
//   ERROR tests/test_calc.py::test_uses_fixture - ValueError: fixture failed
//   ========== 1 failed, 2 passed, 1 error in 0.04s ==========
//
// One event per failed test (and per error: setup/teardown errors, collection errors).
// A failure section ("____ name ____" in the FAILURES/ERRORS regions) gives the location
// (its last "path:N: ..." line, or the innermost '  File "..", line N' with --tb=native)
// and the message (its first "E   " line); the short-summary line ("FAILED nodeid - msg")
// gives the node id. Sections are held until their summary line (or the end of the
// session) so each failure is reported once; summary lines without a section (--tb=no)
// are events of their own, located at the test file. --tb=line entries ("/p/x.py:10:
// assert 2 == 3" directly under FAILURES) pair with the summary lines in order.
// Warnings from the "warnings summary" region are warning events.
//
// message: "<nodeid> - <first E line>" (or "<section name> - ..." without a summary),
// error_code: the exception type ("AssertionError", "ModuleNotFoundError").
#include <unordered_set>
#include <vector>

#include "logs/test_parsers.h"

namespace lq::logs {
namespace {

using namespace tp;

struct Section {
  bool error = false;  // from the ERRORS region (setup/teardown/collection)
  std::string name;    // "test_add_wrong", "TestThing.test_method", "tests/x.py" (collection)
  std::string file;
  int64_t line = 0;
  std::string location_rest;  // text after the last location: "AssertionError", "in helper"
  std::string first_e;        // first "E   " line, without the prefix
  std::string native_exception;
  std::string raw;
  size_t raw_end = 0;  // raw up to the last non-blank line
  int64_t start = 0, end = 0;
  bool captured = false;     // inside "---- Captured stdout call ----": no more parsing
  bool after_frame = false;  // --tb=native: a frame was the last thing seen
};

class PytestParser final : public ToolParser {
 public:
  std::string_view name() const override { return "pytest"; }

  bool Feed(const Line& line, EventSink& sink) override {
    if (region_ == Region::kNone) {
      std::string_view t = line.text;
      if (t.size() < 5 || (t[0] != '=' && t[0] != 'F' && t[0] != 'E')) return false;
    }
    return FeedSlow(line, sink);
  }

 private:
  LQ_NOINLINE bool FeedSlow(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    if (text.empty()) {
      if (region_ == Region::kNone) return false;
      if (region_ == Region::kSummary) {
        EndRegion(sink);
        return false;
      }
      if (current_ != nullptr) AppendRaw(&current_->raw, text);
      return true;
    }
    char c = text[0];
    if (c == '=') {
      if (HandleTitle(line, sink)) return true;
    } else if (c == '!' && region_ != Region::kNone &&
               text.find(" Interrupted: ") != std::string_view::npos) {
      return true;
    }
    switch (region_) {
      case Region::kNone:
        if (c == 'F' || c == 'E') return SummaryLine(line, sink);
        return false;
      case Region::kFailures:
      case Region::kErrors:
        FailureRegionLine(line);
        return true;
      case Region::kSummary:
        if (SummaryLine(line, sink)) return true;
        if (IsStatsLine(text)) {
          EndSession(sink);
          return true;
        }
        EndRegion(sink);
        return false;
      case Region::kWarnings:
        WarningLine(line, sink);
        return true;
      case Region::kIgnore:
        return true;
    }
    return false;
  }

 public:
  void Flush(EventSink& sink) override { EndRegion(sink); }

 private:
  enum class Region { kNone, kFailures, kErrors, kSummary, kWarnings, kIgnore };

  // "===== title =====": region changes and session boundaries. False if not pytest's.
  bool HandleTitle(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    if (text.size() < 5 || text.back() != '=' || text[1] != '=') return false;
    size_t b = 0;
    while (b < text.size() && text[b] == '=') ++b;
    size_t e = text.size();
    while (e > b && text[e - 1] == '=') --e;
    if (b < 2 || b >= e || text[b] != ' ' || text[e - 1] != ' ') return false;
    std::string_view title = Trim(text.substr(b, e - b));
    if (title.empty()) return false;
    if (title == "test session starts") {
      EndSession(sink);
      in_session_ = true;
      return true;
    }
    Region next;
    if (title == "FAILURES") {
      next = Region::kFailures;
    } else if (title == "ERRORS") {
      next = Region::kErrors;
    } else if (title == "short test summary info") {
      next = Region::kSummary;
    } else if (title == "warnings summary") {
      next = Region::kWarnings;
    } else if (title == "PASSES" || title == "XFAILURES" || title == "XPASSES" ||
               StartsWith(title, "slowest ") || EndsWith(title, " summary info")) {
      next = Region::kIgnore;
    } else if (IsStatsLine(title)) {
      EndSession(sink);
      return true;
    } else {
      if (!in_session_ && region_ == Region::kNone) return false;
      next = Region::kNone;
    }
    FinishSection();
    region_ = next;
    if (next == Region::kNone) EmitPending(sink);
    return true;
  }

  // "5 failed, 2 passed, 1 skipped in 0.04s" (also "no tests ran in 0.01s").
  static bool IsStatsLine(std::string_view s) {
    size_t in = s.rfind(" in ");
    if (in == std::string_view::npos || in + 4 >= s.size() || !IsDigit(s[in + 4])) return false;
    return Contains(s, " failed") || Contains(s, " passed") || Contains(s, " error") ||
           Contains(s, " skipped") || Contains(s, " deselected") || Contains(s, "no tests ran") ||
           Contains(s, " xfailed") || Contains(s, " warning");
  }

  void FailureRegionLine(const Line& line) {
    std::string_view text = line.text;
    if (text.size() >= 5 && text[0] == '_' && text[1] == '_' && text.back() == '_') {
      size_t b = 0;
      while (b < text.size() && text[b] == '_') ++b;
      size_t e = text.size();
      while (e > b && text[e - 1] == '_') --e;
      std::string_view title = Trim(text.substr(b, e - b));
      if (!title.empty()) {
        FinishSection();
        StartSection(line, title);
        return;
      }
    }
    if (current_ == nullptr) {
      // --tb=line: "/p/tests/test_x.py:10: assert 2 == 3", one per failure.
      Location loc;
      if (ParseLocationPrefix(text, &loc) && loc.terminated && !loc.rest.empty()) {
        StartSection(line, "");
        current_->file.assign(loc.file);
        current_->line = loc.line;
        current_->first_e.assign(Trim(loc.rest));
        FinishSection();
      }
      return;
    }
    Section& s = *current_;
    AppendRaw(&s.raw, text);
    if (!IsBlank(text)) {
      s.end = line.number;
      s.raw_end = s.raw.size();
    }
    if (s.captured) return;
    char c = text[0];
    if (c == '-' && StartsWith(text, "----") && Contains(text, " Captured ")) {
      s.captured = true;
      return;
    }
    if (c == 'E' && text.size() > 1 && text[1] == ' ') {
      if (s.first_e.empty()) s.first_e.assign(Trim(text.substr(1)));
      return;
    }
    if (c == ' ') {
      std::string_view file;
      int64_t number = 0;
      if (ParsePythonFrame(text, &file, &number)) {
        s.file.assign(file);
        s.line = number;
        s.location_rest.clear();
        s.after_frame = true;
      }
      return;
    }
    if (c == '>' || c == '_') return;
    if (s.after_frame) {  // --tb=native: the exception line after the frames
      s.after_frame = false;
      if (!PythonExceptionType(text).empty()) s.native_exception.assign(Trim(text));
      return;
    }
    Location loc;
    if (ParseLocationPrefix(text, &loc) && loc.terminated) {
      s.file.assign(loc.file);
      s.line = loc.line;
      s.location_rest.assign(Trim(loc.rest));
    }
  }

  void StartSection(const Line& line, std::string_view title) {
    current_ = std::make_unique<Section>();
    Section& s = *current_;
    s.error = region_ == Region::kErrors;
    if (StartsWith(title, "ERROR at setup of ")) {
      title.remove_prefix(18);
    } else if (StartsWith(title, "ERROR at teardown of ")) {
      title.remove_prefix(21);
    } else if (StartsWith(title, "ERROR collecting ")) {
      title.remove_prefix(17);
    }
    s.name.assign(title);
    s.start = s.end = line.number;
    AppendRaw(&s.raw, line.text);
    s.raw_end = s.raw.size();
  }

  void FinishSection() {
    if (current_ == nullptr) return;
    current_->raw.resize(std::min(current_->raw.size(), current_->raw_end));
    pending_.push_back(std::move(*current_));
    current_.reset();
  }

  // "FAILED nodeid[ - message]" / "ERROR nodeid[ - message]". False if not one.
  bool SummaryLine(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    bool error;
    if (StartsWith(text, "FAILED ")) {
      error = false;
      text.remove_prefix(7);
    } else if (StartsWith(text, "ERROR ")) {
      error = true;
      text.remove_prefix(6);
    } else {
      if (region_ == Region::kSummary) {
        // XFAIL/XPASS/SKIPPED/PASSED lines of -rA belong to the summary too.
        for (std::string_view p : {"XFAIL ", "XPASS ", "SKIPPED ", "PASSED "}) {
          if (StartsWith(text, p)) return true;
        }
      }
      return false;
    }
    std::string_view nodeid = text, msg;
    size_t dash = text.find(" - ");
    if (dash != std::string_view::npos) {
      nodeid = text.substr(0, dash);
      msg = Trim(text.substr(dash + 3));
    }
    nodeid = Trim(nodeid);
    size_t sep = nodeid.find("::");
    std::string_view path = nodeid.substr(0, sep);
    if (path.empty() || path.find(' ') != std::string_view::npos) return false;
    if (sep == std::string_view::npos && !EndsWith(path, ".py")) return false;
    // The section title for this node id: "Class.test" for "path::Class::test".
    std::string name;
    if (sep == std::string_view::npos) {
      name.assign(path);
    } else {
      std::string_view rest = nodeid.substr(sep + 2);
      for (size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == ':' && i + 1 < rest.size() && rest[i + 1] == ':') {
          name.push_back('.');
          ++i;
        } else {
          name.push_back(rest[i]);
        }
      }
    }
    std::string key = (error ? "E:" : "F:") + name;
    // A section for this test, by name, else the next unnamed --tb=line entry.
    for (size_t i = 0; i < pending_.size(); ++i) {
      if (pending_[i].error == error && (pending_[i].name == name || pending_[i].name.empty())) {
        if (pending_[i].name.empty()) {
          bool named_later = false;
          for (size_t j = i + 1; j < pending_.size(); ++j) named_later |= pending_[j].name == name;
          if (named_later) continue;
        }
        Section s = std::move(pending_[i]);
        pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(i));
        EmitSection(s, nodeid, path, msg, sink);
        emitted_.insert(std::move(key));
        return true;
      }
    }
    if (emitted_.count(key) != 0) return true;  // already reported from its section
    Event e = MakeEvent("pytest", "test");
    e.file_path.assign(path);
    e.error_code = ErrorCodeOf({}, msg);
    e.message.assign(nodeid);
    e.message += " -";
    AppendMessagePart(&e.message, msg.empty() ? std::string_view(error ? "error" : "failed") : msg,
                      1024);
    e.raw_text.assign(line.text);
    e.log_line_start = e.log_line_end = line.number;
    sink.OnEvent(std::move(e));
    emitted_.insert(std::move(key));
    return true;
  }

  static std::string ErrorCodeOf(std::string_view location_rest, std::string_view msg) {
    if (!location_rest.empty() && PythonExceptionType(location_rest) == location_rest) {
      return std::string(location_rest);
    }
    std::string_view type = PythonExceptionType(msg);
    if (!type.empty() && type != msg) return std::string(type);
    if (StartsWith(msg, "assert ") || msg == "assert") return "AssertionError";
    if (!type.empty() && (EndsWith(type, "Error") || EndsWith(type, "Exception")))
      return std::string(type);
    return {};
  }

  void EmitSection(Section& s, std::string_view nodeid, std::string_view summary_path,
                   std::string_view summary_msg, EventSink& sink) {
    Event e = MakeEvent("pytest", "test");
    std::string_view msg = s.first_e;
    if (msg.empty()) msg = s.native_exception;
    if (msg.empty()) msg = summary_msg;
    if (s.file.empty()) s.file.assign(summary_path);
    e.file_path = std::move(s.file);
    e.line_number = s.line;
    std::string_view id = nodeid;
    if (id.empty()) id = s.name;
    if (id.empty()) id = e.file_path;
    e.message.assign(id);
    e.message += " -";
    AppendMessagePart(&e.message,
                      msg.empty() ? std::string_view(s.error ? "error" : "failed") : msg, 1024);
    e.error_code = ErrorCodeOf(s.location_rest, msg);
    e.raw_text = std::move(s.raw);
    e.log_line_start = s.start;
    e.log_line_end = s.end;
    sink.OnEvent(std::move(e));
  }

  // "  /p/tests/test_x.py:3: DeprecationWarning: old api" under "warnings summary".
  void WarningLine(const Line& line, EventSink& sink) {
    std::string_view text = line.text;
    if (text.size() < 4 || text[0] != ' ' || text[1] != ' ' || text[2] == ' ') return;
    Location loc;
    if (!ParseLocationPrefix(text.substr(2), &loc) || !loc.terminated) return;
    std::string_view type = PythonExceptionType(loc.rest);
    if (!EndsWith(type, "Warning")) return;
    Event e = MakeEvent("pytest", "test", Severity::kWarning);
    e.file_path.assign(loc.file);
    e.line_number = loc.line;
    AppendMessagePart(&e.message, loc.rest, 1024);
    e.error_code.assign(type);
    e.raw_text.assign(text);
    e.log_line_start = e.log_line_end = line.number;
    sink.OnEvent(std::move(e));
  }

  void EmitPending(EventSink& sink) {
    FinishSection();
    for (Section& s : pending_) {
      emitted_.insert((s.error ? "E:" : "F:") + s.name);
      EmitSection(s, {}, {}, {}, sink);
    }
    pending_.clear();
  }

  void EndRegion(EventSink& sink) {
    EmitPending(sink);
    region_ = Region::kNone;
  }

  // The stats line ("2 failed, 1 passed in 0.1s") or a new session: a later summary
  // line is a new failure (another pytest run in the same log).
  void EndSession(EventSink& sink) {
    EndRegion(sink);
    in_session_ = false;
    emitted_.clear();
  }

  Region region_ = Region::kNone;
  bool in_session_ = false;
  std::unique_ptr<Section> current_;
  std::vector<Section> pending_;
  std::unordered_set<std::string> emitted_;  // "F:name" / "E:name" already reported this session
};

}  // namespace

std::unique_ptr<ToolParser> MakePytestParser() { return std::make_unique<PytestParser>(); }

}  // namespace lq::logs

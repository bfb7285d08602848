#include "logs/parser.h"

#include <cctype>
#include <cstring>

#include "core/fnv.h"
#include "logs/parser_groups.h"

namespace lq::logs {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
    case Severity::kInfo: return "info";
  }
  return "error";
}

std::vector<std::unique_ptr<ToolParser>> MakeAllParsers() {
  // Specific formats first: test frameworks, then language tools that share the
  // "file:line:col:" shape with compilers, then compilers/linkers/build tools.
  std::vector<std::unique_ptr<ToolParser>> parsers;
  AddTestParsers(&parsers);
  AddLanguageToolParsers(&parsers);
  AddBuildToolParsers(&parsers);
  return parsers;
}

const std::vector<ParserAlias>& ParserAliases() {
  static const std::vector<ParserAlias> kAliases = {
      {"clang", "gcc"},      {"clang++", "gcc"},  {"g++", "gcc"},       {"cc", "gcc"},
      {"c++", "gcc"},        {"lld", "ld"},       {"ld.lld", "ld"},     {"gold", "ld"},
      {"ld.gold", "ld"},     {"mold", "ld"},      {"ld64", "ld"},       {"cargo", "rustc"},
      {"rust", "rustc"},     {"golang", "go"},    {"typescript", "tsc"}, {"googletest", "gtest"},
      {"cl", "msvc"},        {"java", "javac"},   {"mvn", "maven"},     {"kotlin", "kotlinc"},
      {"nodejs", "node"},    {"traceback", "python"}, {"gha", "github-actions"},
      {"msbuild", "dotnet"}, {"csc", "dotnet"},   {"fsc", "dotnet"},    {"vbc", "dotnet"},
      {"dotnet-test", "vstest"}, {"xunit", "vstest"}, {"nunit", "vstest"}, {"mstest", "vstest"},
  };
  return kAliases;
}

std::unique_ptr<ToolParser> MakeParser(std::string_view name) {
  for (const auto& a : ParserAliases()) {
    if (a.alias == name) name = a.family;
  }
  for (auto& p : MakeAllParsers()) {
    if (p->name() == name) return std::move(p);
  }
  return nullptr;
}

std::vector<std::string> ParserNames() {
  std::vector<std::string> names;
  for (const auto& p : MakeAllParsers()) names.emplace_back(p->name());
  return names;
}

std::string_view StripAnsi(std::string_view in, std::string& scratch) {
  const char* esc = static_cast<const char*>(std::memchr(in.data(), '\033', in.size()));
  if (esc == nullptr) return in;
  scratch.clear();
  size_t i = 0;
  while (i < in.size()) {
    char c = in[i];
    if (c != '\033') {
      scratch.push_back(c);
      ++i;
      continue;
    }
    ++i;
    if (i >= in.size()) break;
    if (in[i] == '[') {  // CSI: parameters/intermediates, then a final byte 0x40-0x7e
      ++i;
      while (i < in.size() && !(in[i] >= 0x40 && in[i] <= 0x7e)) ++i;
      ++i;
    } else if (in[i] == ']' || in[i] == 'P' || in[i] == 'X' || in[i] == '^' || in[i] == '_') {
      // OSC, DCS, SOS, PM, APC: a string ending with BEL or ESC backslash
      ++i;
      while (i < in.size() && in[i] != '\a' && !(in[i] == '\033' && i + 1 < in.size() && in[i + 1] == '\\')) ++i;
      i += (i < in.size() && in[i] == '\a') ? 1 : 2;
    } else {
      // ESC, intermediates 0x20-0x2f, one final byte: ESC c, ESC =, ESC ( B, ESC # 8, ...
      while (i < in.size() && in[i] >= 0x20 && in[i] <= 0x2f) ++i;
      ++i;
    }
  }
  return scratch;
}

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// GitHub Actions log lines start with "2024-01-15T10:20:30.1234567Z ".
std::string_view StripActionsTimestamp(std::string_view s) {
  if (s.size() < 21 || !IsDigit(s[0]) || s[4] != '-' || s[7] != '-' || s[10] != 'T') return s;
  size_t z = s.find('Z', 19);
  if (z == std::string_view::npos || z > 40 || z + 1 >= s.size() || s[z + 1] != ' ') return s;
  return s.substr(z + 2);
}

// Adds fingerprints before passing events on.
class FingerprintingSink final : public EventSink {
 public:
  explicit FingerprintingSink(EventSink& next) : next_(next) {}
  void OnEvent(Event e) override {
    if (e.fingerprint.empty()) e.fingerprint = ErrorFingerprint(e);
    next_.OnEvent(std::move(e));
  }

 private:
  EventSink& next_;
};

}  // namespace

LogParser::LogParser(std::string_view format) {
  if (format.empty() || format == "auto") {
    parsers_ = MakeAllParsers();
  } else if (auto p = MakeParser(format)) {
    parsers_.push_back(std::move(p));
  }
}

LogParser::~LogParser() = default;

void LogParser::Feed(std::string_view chunk, EventSink& sink) {
  FingerprintingSink fp(sink);
  while (!chunk.empty()) {
    const char* nl = static_cast<const char*>(std::memchr(chunk.data(), '\n', chunk.size()));
    if (nl == nullptr) {
      // Keep at most kMaxLineBytes of an unfinished line; the rest cannot matter to parsers.
      size_t room = partial_.size() < kMaxLineBytes ? kMaxLineBytes - partial_.size() : 0;
      partial_.append(chunk.substr(0, std::min(room, chunk.size())));
      return;
    }
    size_t len = static_cast<size_t>(nl - chunk.data());
    if (partial_.empty()) {
      FeedLine(chunk.substr(0, std::min(len, kMaxLineBytes)), fp);
    } else {
      size_t room = partial_.size() < kMaxLineBytes ? kMaxLineBytes - partial_.size() : 0;
      partial_.append(chunk.substr(0, std::min(room, len)));
      FeedLine(partial_, fp);
      partial_.clear();
    }
    chunk.remove_prefix(len + 1);
  }
}

void LogParser::Finish(EventSink& sink) {
  FingerprintingSink fp(sink);
  if (!partial_.empty()) {
    std::string last = std::move(partial_);
    partial_.clear();
    FeedLine(last, fp);
  }
  for (auto& p : parsers_) p->Flush(fp);
  active_ = nullptr;
}

void LogParser::FeedLine(std::string_view raw, EventSink& sink) {
  ++line_number_;
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  Line line{StripActionsTimestamp(StripAnsi(raw, scratch_)), line_number_};
  if (active_ != nullptr) {
    if (active_->Feed(line, sink)) return;
    active_->Flush(sink);
    ToolParser* previous = active_;
    active_ = nullptr;
    for (auto& p : parsers_) {
      if (p.get() != previous && p->Feed(line, sink)) {
        active_ = p.get();
        return;
      }
    }
    return;
  }
  for (auto& p : parsers_) {
    if (p->Feed(line, sink)) {
      active_ = p.get();
      return;
    }
  }
}

// ---- fingerprints ----

namespace {

// One field of the fingerprint, followed by the byte 0xFF as a separator, so that
// ("ab", "c") and ("a", "bc") differ.
void FnvAdd(uint64_t& h, std::string_view s) { h = Fnv1a64("\xff", Fnv1a64(s, h)); }

bool IsPathChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '/' || c == '\\' ||
         c == '.' || c == '_' || c == '-' || c == ':' || c == '~' || c == '+';
}

}  // namespace

std::string NormalizeMessage(std::string_view m) {
  std::string out;
  out.reserve(m.size());
  size_t i = 0;
  while (i < m.size()) {
    char c = m[i];
    // A path-like token (contains '/' or '\\'): keep only its last component.
    if (IsPathChar(c)) {
      size_t j = i;
      bool has_sep = false;
      while (j < m.size() && IsPathChar(m[j])) {
        has_sep |= (m[j] == '/' || m[j] == '\\');
        ++j;
      }
      std::string_view tok = m.substr(i, j - i);
      if (has_sep) {
        while (!tok.empty() && (tok.back() == '/' || tok.back() == '\\' || tok.back() == ':')) tok.remove_suffix(1);
        size_t slash = tok.find_last_of("/\\");
        if (slash != std::string_view::npos) tok = tok.substr(slash + 1);
      }
      // Runs of digits (and 0x hex literals) become N: line numbers, counts, addresses.
      for (size_t k = 0; k < tok.size();) {
        if (!IsDigit(tok[k])) {
          out.push_back(tok[k++]);
          continue;
        }
        out.push_back('N');
        if (tok[k] == '0' && k + 1 < tok.size() && tok[k + 1] == 'x') {
          k += 2;
          while (k < tok.size() && std::isxdigit(static_cast<unsigned char>(tok[k]))) ++k;
        } else {
          while (k < tok.size() && IsDigit(tok[k])) ++k;
        }
      }
      i = j;
      continue;
    }
    if (c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      while (i < m.size() && (m[i] == ' ' || m[i] == '\t')) ++i;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string ErrorFingerprint(const Event& e) {
  uint64_t h = kFnv1aOffset;
  FnvAdd(h, e.tool_name);
  FnvAdd(h, e.error_code);
  FnvAdd(h, NormalizeMessage(e.message));
  return Hex16(h);
}

}  // namespace lq::logs

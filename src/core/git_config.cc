#include "core/git_config.h"

#include <optional>

namespace lq {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }
// Key characters, as git's iskeychar().
bool IsKeyChar(char c) { return IsAlnum(c) || c == '-'; }
// Whitespace other than the newline, which ends lines and is handled on its own.
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// A character-at-a-time reader modelled on git's config.c, so that the same bytes mean
// the same thing to both: "\r\n" reads as "\n", and the end of the text reads as one
// final "\n" (with at_end() then true).
class Parser {
 public:
  Parser(std::string_view text, std::string_view file_name) : text_(text), file_(file_name) {
    if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);  // UTF-8 BOM, as git
  }

  Result<std::vector<GitConfigEntry>> Run() {
    std::vector<GitConfigEntry> out;
    bool comment = false;
    for (;;) {
      char c = Next();
      if (c == '\n') {
        if (at_end_) return out;
        comment = false;
      } else if (comment || IsBlank(c)) {
        continue;
      } else if (c == '#' || c == ';') {
        comment = true;
      } else if (c == '[') {
        // The rest of the line may hold a variable ("[core] bare = true"), as in git.
        LQ_RETURN_IF_ERROR(ReadSectionHeader());
      } else if (IsAlpha(c) && have_section_) {
        LQ_RETURN_IF_ERROR(ReadVariable(c, &out));
      } else {
        return Error(have_section_ ? "expected a key" : "a key must follow a [section] header");
      }
    }
  }

 private:
  char Next() {
    if (pos_ >= text_.size()) {
      at_end_ = true;
      return '\n';
    }
    char c = text_[pos_++];
    if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') c = text_[pos_++];
    if (c == '\n') ++line_;
    return c;
  }

  Status Error(std::string_view what) const {
    // Lines are counted as consumed, so a failure on a newline reports the next line.
    int line = (pos_ > 0 && text_[pos_ - 1] == '\n') ? line_ - 1 : line_;
    return Status::Corruption(file_ + ":" + std::to_string(line) + ": bad config line (" +
                              std::string(what) + ")");
  }

  // After "[": "name]", "name \"subsection\"]", or the deprecated "name.sub]".
  Status ReadSectionHeader() {
    std::string name;
    for (;;) {
      char c = Next();
      if (at_end_) return Error("unterminated section header");
      if (c == ']') break;
      if (IsBlank(c)) return ReadSubsection(std::move(name));
      if (!IsKeyChar(c) && c != '.') return Error("bad character in section name");
      name.push_back(Lower(c));
    }
    if (name.empty()) return Error("empty section name");
    // [remote.origin] means remote "origin" (lower-cased, as git does for this form).
    size_t dot = name.find('.');
    section_ = name.substr(0, dot);
    subsection_ = dot == std::string::npos ? "" : name.substr(dot + 1);
    have_section_ = true;
    return Status::OK();
  }

  // After `[name` and a blank: blanks, then a quoted subsection and "]". In subsection
  // names a backslash makes the next character literal (git reads "\t" as "t").
  Status ReadSubsection(std::string name) {
    char c = ' ';
    while (IsBlank(c)) c = Next();
    if (c != '"') return Error("expected a quoted subsection name");
    std::string sub;
    for (;;) {
      c = Next();
      if (c == '"') break;
      if (c == '\\') c = Next();
      if (c == '\n') return Error("unterminated subsection name");
      sub.push_back(c);
    }
    if (Next() != ']') return Error("expected ']' after the subsection name");
    if (name.empty()) return Error("empty section name");
    section_ = std::move(name);
    subsection_ = std::move(sub);
    have_section_ = true;
    return Status::OK();
  }

  // `first` is the key's first letter, already read.
  Status ReadVariable(char first, std::vector<GitConfigEntry>* out) {
    GitConfigEntry entry{section_, subsection_, std::string(1, Lower(first)), ""};
    char c = Next();
    for (; !at_end_ && IsKeyChar(c); c = Next()) entry.key.push_back(Lower(c));
    while (c == ' ' || c == '\t') c = Next();
    if (c != '\n') {
      if (c != '=') return Error("expected '=' after the key");
      std::optional<std::string> value = ReadValue();
      if (!value) return Error("unterminated quote or unknown escape in the value");
      entry.value = std::move(*value);
    }
    out->push_back(std::move(entry));
    return Status::OK();
  }

  // After "=": the value up to the end of its line, as git's parse_value(). nullopt on a
  // newline inside quotes or an unknown escape.
  std::optional<std::string> ReadValue() {
    std::string value;
    bool quote = false;
    bool comment = false;
    size_t trim_to = std::string::npos;  // where trailing unquoted blanks began
    for (;;) {
      char c = Next();
      if (c == '\n') {
        if (quote) return std::nullopt;
        if (trim_to != std::string::npos) value.resize(trim_to);
        return value;
      }
      if (comment) continue;
      if (IsBlank(c) && !quote) {
        if (value.empty()) continue;  // leading blanks
        if (trim_to == std::string::npos) trim_to = value.size();
        value.push_back(c);
        continue;
      }
      if (!quote && (c == '#' || c == ';')) {
        comment = true;
        continue;
      }
      trim_to = std::string::npos;
      if (c == '"') {
        quote = !quote;
      } else if (c == '\\') {
        c = Next();
        if (c == '\n' && !at_end_) continue;  // backslash-newline: the value goes on
        std::optional<char> escaped = Unescape(c);
        if (!escaped) return std::nullopt;
        value.push_back(*escaped);
      } else {
        value.push_back(c);
      }
    }
  }

  // The character a value's "\<c>" stands for; git knows no other escapes than these.
  static std::optional<char> Unescape(char c) {
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'b':
        return '\b';
      case '\\':
      case '"':
        return c;
      default:
        return std::nullopt;
    }
  }

  std::string_view text_;
  std::string file_;
  size_t pos_ = 0;
  int line_ = 1;
  bool at_end_ = false;
  bool have_section_ = false;
  std::string section_;
  std::string subsection_;
};

}  // namespace

Result<GitConfig> GitConfig::Parse(std::string_view text, std::string_view file_name) {
  LQ_ASSIGN_OR_RETURN(auto entries, Parser(text, file_name).Run());
  GitConfig config;
  config.entries_ = std::move(entries);
  return config;
}

std::vector<std::string> GitConfig::GetAll(std::string_view section, std::string_view subsection,
                                           std::string_view key) const {
  std::vector<std::string> values;
  for (const auto& e : entries_) {
    if (e.section == section && e.subsection == subsection && e.key == key) {
      values.push_back(e.value);
    }
  }
  return values;
}

std::vector<GitRemote> GitConfig::Remotes() const {
  std::vector<GitRemote> remotes;
  for (const auto& e : entries_) {
    if (e.section != "remote" || e.key != "url" || e.value.empty()) continue;
    bool seen = false;
    for (const auto& r : remotes) seen = seen || r.name == e.subsection;
    if (!seen) remotes.push_back({e.subsection, e.value});
  }
  return remotes;
}

std::string GitConfig::RewriteUrl(std::string_view url) const {
  const GitConfigEntry* best = nullptr;
  for (const auto& e : entries_) {
    if (e.section != "url" || e.key != "insteadof" || e.value.empty()) continue;
    if (!url.starts_with(e.value)) continue;
    if (best == nullptr || e.value.size() > best->value.size()) best = &e;
  }
  if (best == nullptr) return std::string(url);
  return best->subsection + std::string(url.substr(best->value.size()));
}

}  // namespace lq

// A reader for git's config file format, enough to find a repository's remotes without the
// git binary (which may be absent, and would be slow to spawn on every run).
//
// Syntax follows git-config(1) "CONFIGURATION FILE": [section] and [section "subsection"]
// headers (plus the deprecated [section.subsection]); section and key names are
// case-insensitive, subsection names case-sensitive; "#" and ";" start comments outside
// quotes; values may be double-quoted, use the escapes \" \\ \n \t \b, and continue on the
// next line after a trailing backslash; surrounding whitespace is trimmed, inner whitespace
// kept; a key without "=" is git's implicit boolean true (stored as ""). What git rejects
// (an unknown escape, an unterminated quote or header, a key outside any section) is
// Corruption here too, so a file git would refuse is never half-read.
//
// Not supported, on purpose: [include] and [includeIf] are kept as plain entries but never
// followed. Remotes live in the repository's own config in practice, and following
// includes would make a project's identity depend on files outside the repository.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace lq {

// One "key = value" line, as git would name it section.subsection.key.
struct GitConfigEntry {
  std::string section;     // lower-cased
  std::string subsection;  // as written; "" when the header had none
  std::string key;         // lower-cased
  std::string value;       // unquoted and unescaped; "" for a bare key
};

struct GitRemote {
  std::string name;
  std::string url;  // the remote's first "url" (the one git fetches from)
};

class GitConfig {
 public:
  // Parses the text of one config file. `file_name` only labels error messages, which
  // name the line ("<file_name>:<line>: ...") but never echo its content: a URL in it may
  // carry a token.
  static Result<GitConfig> Parse(std::string_view text, std::string_view file_name);

  const std::vector<GitConfigEntry>& entries() const { return entries_; }

  // Every value of section.subsection.key, in file order. `section` and `key` must be
  // given in lower case; `subsection` matches exactly.
  std::vector<std::string> GetAll(std::string_view section, std::string_view subsection,
                                  std::string_view key) const;

  // Remotes that have a non-empty url, ordered by where their first url appears.
  std::vector<GitRemote> Remotes() const;

  // Applies url.<base>.insteadOf as git does: of all insteadOf prefixes that start `url`,
  // the longest (the first configured, on a tie) is replaced by its <base>. Returns `url`
  // unchanged when none matches. pushInsteadOf is ignored: lq only cares where the
  // repository is fetched from.
  std::string RewriteUrl(std::string_view url) const;

 private:
  std::vector<GitConfigEntry> entries_;
};

}  // namespace lq

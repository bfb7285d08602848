#include "core/command_redaction.h"

#include <vector>

#include "core/project_identity.h"
#include "core/strings.h"

namespace lq {
namespace {

constexpr size_t kNpos = std::string_view::npos;
constexpr int kMaxDepth = 3;  // sh -c 'bash -c "..."': deep enough, never unbounded

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.';
}

// One word of a command line: its bytes as written and the value a shell would pass.
struct Word {
  std::string_view raw;
  std::string value;
};

// Splits at unquoted blanks. Quoting as in POSIX sh: '...' literal, "..." with \ before
// " \ $ `, a backslash outside quotes escapes the next byte. An unterminated quote runs to
// the end (the record is not a shell, it only needs to find the words).
std::vector<Word> SplitWords(std::string_view s, std::vector<std::string_view>* gaps) {
  std::vector<Word> words;
  size_t i = 0;
  for (;;) {
    size_t gap_start = i;
    while (i < s.size() && IsBlank(s[i])) ++i;
    gaps->push_back(s.substr(gap_start, i - gap_start));
    if (i >= s.size()) break;
    size_t start = i;
    Word w;
    while (i < s.size() && !IsBlank(s[i])) {
      char c = s[i];
      if (c == '\'') {
        size_t end = s.find('\'', i + 1);
        if (end == kNpos) end = s.size();
        w.value.append(s.substr(i + 1, end - i - 1));
        i = end + 1;
      } else if (c == '"') {
        ++i;
        while (i < s.size() && s[i] != '"') {
          if (s[i] == '\\' && i + 1 < s.size() && std::string_view("\"\\$`").find(s[i + 1]) != kNpos) ++i;
          w.value.push_back(s[i++]);
        }
        ++i;
      } else if (c == '\\' && i + 1 < s.size()) {
        w.value.push_back(s[i + 1]);
        i += 2;
      } else {
        w.value.push_back(c);
        ++i;
      }
    }
    i = std::min(i, s.size());
    w.raw = s.substr(start, i - start);
    words.push_back(std::move(w));
  }
  return words;
}

// Written back as a shell would need it; '*' stays bare so "***" reads as a placeholder.
std::string Quote(std::string_view v) {
  bool plain = !v.empty();
  for (char c : v) {
    bool ok = IsNameChar(c) || std::string_view("/=:,+@%*").find(c) != kNpos;
    if (!ok) plain = false;
  }
  if (plain) return std::string(v);
  std::string out = "'";
  for (char c : v) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string Normalized(std::string_view name) {
  std::string n = AsciiLower(name);
  for (char& c : n) {
    if (c == '-' || c == '.') c = '_';
  }
  return n;
}

bool HasPart(std::string_view name, std::string_view part) {
  for (size_t pos = name.find(part); pos != kNpos; pos = name.find(part, pos + 1)) {
    bool starts = pos == 0 || name[pos - 1] == '_';
    size_t end = pos + part.size();
    bool ends = end == name.size() || name[end] == '_';
    if (starts && ends) return true;
  }
  return false;
}

// Known password options: "-pSECRET" for the MySQL clients, "-p SECRET" for sshpass.
bool AttachedDashPIsPassword(std::string_view program) {
  return program == "mysql" || program == "mysqldump" || program == "mysqladmin" || program == "mariadb" ||
         program == "mariadb-dump";
}

bool IsExactSecretName(std::string_view name) {
  std::string n = Normalized(name);
  for (std::string_view exact : {"password", "passwd", "pass", "passin", "passout", "token", "secret", "apikey",
                                 "api_key", "auth", "passphrase"}) {
    if (n == exact) return true;
  }
  return false;
}

// "https://user:secret@host/p?access_token=x" anywhere in `v` (after "--opt=" or "KEY=").
std::string RedactUrlsIn(std::string_view v) {
  size_t sep = v.find("://");
  if (sep == kNpos) return std::string(v);
  size_t start = sep;
  while (start > 0 && (IsNameChar(v[start - 1]) || v[start - 1] == '+')) --start;
  std::string_view url = v.substr(start);
  std::string_view authority = url.substr(sep - start + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  std::string out(v.substr(0, start));
  std::string rebuilt;
  if (authority.find('@') != kNpos) {
    rebuilt = RedactUrl(url);  // git remotes' rule: userinfo, query and fragment go
  } else {
    rebuilt = std::string(url);
    size_t q = rebuilt.find('?');
    // Secret-named query parameters keep their name: "?access_token=***&page=2".
    while (q != std::string::npos && q < rebuilt.size()) {
      size_t name_start = q + 1;
      size_t end = rebuilt.find_first_of("&#", name_start);
      if (end == std::string::npos) end = rebuilt.size();
      size_t eq = rebuilt.find('=', name_start);
      if (eq != std::string::npos && eq < end &&
          LooksLikeSecretName(std::string_view(rebuilt).substr(name_start, eq - name_start))) {
        rebuilt.replace(eq + 1, end - eq - 1, kRedacted);
        end = eq + 1 + kRedacted.size();
      }
      q = end < rebuilt.size() && rebuilt[end] == '&' ? end : std::string::npos;
    }
  }
  return out + rebuilt;
}

bool IsAuthScheme(std::string_view w) {
  return EqualsIgnoreAsciiCase(w, "Bearer") || EqualsIgnoreAsciiCase(w, "Basic") ||
         EqualsIgnoreAsciiCase(w, "Token") || EqualsIgnoreAsciiCase(w, "Digest");
}

// "Authorization: Bearer X" -> "Authorization: Bearer ***"; "" when `v` is no such header.
std::string RedactHeader(std::string_view v) {
  size_t colon = v.find(':');
  if (colon == kNpos) return "";
  std::string_view name = v.substr(0, colon);
  if (name.empty()) return "";
  for (char c : name) {
    if (!IsNameChar(c) || c == '.') return "";  // a header name is one token
  }
  if (!EqualsIgnoreAsciiCase(name, "Authorization") && !EqualsIgnoreAsciiCase(name, "Proxy-Authorization") &&
      !LooksLikeSecretName(name)) {
    return "";
  }
  std::string_view rest = TrimSpace(v.substr(colon + 1));
  if (rest.empty()) return "";  // "secret:" alone is a word, not a header
  size_t space = rest.find(' ');
  std::string out(v.substr(0, colon + 1));
  out += ' ';
  if (space != kNpos && IsAuthScheme(rest.substr(0, space))) out += std::string(rest.substr(0, space)) + ' ';
  return out + std::string(kRedacted);
}

struct State {
  std::string program;     // basename of the current simple command's program
  bool hide_next = false;  // the previous word announced a secret ("--password", "Bearer")
  bool user_next = false;  // curl -u user:password
};

// Programs that run the next word as the command: it is the one whose options count.
bool IsWrapper(std::string_view p) {
  return p == "sudo" || p == "env" || p == "exec" || p == "time" || p == "nice" || p == "nohup" || p == "command";
}

std::string RedactLine(std::string_view line, int depth);

// The value of one word, redacted; equal to `v` when nothing in it is secret.
std::string RedactWord(const std::string& v, State& st, int depth) {
  if (st.hide_next) {
    st.hide_next = false;
    if (!v.empty() && v[0] != '-') return std::string(kRedacted);
  }
  if (st.user_next) {
    st.user_next = false;
    if (size_t colon = v.find(':'); colon != std::string::npos) return v.substr(0, colon + 1) + std::string(kRedacted);
  }
  // Words that end one command and start another reset what "-p" means.
  if (v == ";" || v == "&&" || v == "||" || v == "|" || v == "&") {
    st.program.clear();
    return v;
  }
  if (std::string h = RedactHeader(v); !h.empty()) return h;
  if (size_t space = v.find(' '); space != std::string::npos && IsAuthScheme(std::string_view(v).substr(0, space))) {
    return v.substr(0, space) + " " + std::string(kRedacted);
  }
  if (IsAuthScheme(v)) {
    st.hide_next = true;
    return v;
  }
  // A script (sh -c '...', ssh host 'cmd ...'): its words follow the same rules.
  if (depth < kMaxDepth && v.find_first_of(" \t\n") != std::string::npos) {
    return RedactLine(v, depth + 1);
  }
  if (v.size() >= 2 && v[0] == '-') {
    std::string_view opt = std::string_view(v).substr(v[1] == '-' ? 2 : 1);
    size_t eq = opt.find('=');
    std::string_view name = opt.substr(0, eq);
    if (v.size() > 2 && v[1] == 'p' && AttachedDashPIsPassword(st.program)) return "-p" + std::string(kRedacted);
    // "--password", and "-password" (Java and Go tools), but "-psecret" is "-p secret"
    // to most programs: a single dash needs the exact name.
    bool long_name = v[1] == '-' || (name.size() > 2 && (eq != std::string_view::npos || IsExactSecretName(name)));
    if (eq != std::string_view::npos) {
      std::string prefix = v.substr(0, v.size() - opt.size() + eq + 1);
      if (long_name && LooksLikeSecretName(name)) return prefix + std::string(kRedacted);
      State inner;
      return prefix + RedactWord(std::string(opt.substr(eq + 1)), inner, depth);
    }
    if (long_name && LooksLikeSecretName(name)) {
      st.hide_next = true;
      return v;
    }
    if (v == "-p" && st.program == "sshpass") st.hide_next = true;
    if ((v == "-u" || v == "--user" || v == "-U" || v == "--proxy-user") && (st.program == "curl" || st.program == "wget")) {
      st.user_next = true;
    }
    return v;
  }
  // KEY=value: an environment assignment (env, docker -e, make VAR=...).
  if (size_t eq = v.find('='); eq != std::string::npos && eq > 0) {
    std::string_view key = std::string_view(v).substr(0, eq);
    bool identifier = true;
    for (char c : key) identifier &= IsNameChar(c) && c != '.';
    if (identifier) {
      if (LooksLikeSecretName(key)) return v.substr(0, eq + 1) + std::string(kRedacted);
      State inner;
      return v.substr(0, eq + 1) + RedactWord(v.substr(eq + 1), inner, depth);
    }
  }
  if (st.program.empty() || IsWrapper(st.program)) {
    size_t slash = v.rfind('/');
    st.program = v.substr(slash == std::string::npos ? 0 : slash + 1);
  }
  return RedactUrlsIn(v);
}

std::string RedactLine(std::string_view line, int depth) {
  std::vector<std::string_view> gaps;
  std::vector<Word> words = SplitWords(line, &gaps);
  State st;
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < words.size(); ++i) {
    out.append(gaps[i]);
    std::string redacted = RedactWord(words[i].value, st, depth);
    if (redacted == words[i].value) {
      out.append(words[i].raw);
    } else {
      out += Quote(redacted);
    }
  }
  if (gaps.size() > words.size()) out.append(gaps.back());
  return out;
}

}  // namespace

bool LooksLikeSecretName(std::string_view raw) {
  std::string n = Normalized(raw);
  while (!n.empty() && n.front() == '_') n.erase(0, 1);
  if (n.empty() || n.starts_with("no_")) return false;
  // A name for where a secret is, or for its kind, is not the secret.
  for (std::string_view tail : {"_file", "_stdin", "_path", "_env", "_cmd", "_command", "_helper", "_type",
                                "_prompt", "_length", "_policy", "_method", "_mode", "_url", "_dir"}) {
    if (n.ends_with(tail)) return false;
  }
  for (std::string_view part : {"password", "passwd", "secret", "credential", "credentials", "apikey",
                                "api_key", "access_key", "private_key", "passphrase"}) {
    if (n.find(part) != std::string::npos) return true;
  }
  for (std::string_view part : {"token", "tokens", "auth", "pass", "pw", "passin", "passout"}) {
    if (HasPart(n, part)) return true;
  }
  // TOKEN, GITHUB_TOKEN, authtoken, x_auth_token: the endings are enough.
  return n.ends_with("token") || n.ends_with("authorization");
}

std::string RedactCommandLine(std::string_view command_line) { return RedactLine(command_line, 0); }

}  // namespace lq

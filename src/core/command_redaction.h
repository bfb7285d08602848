// Secrets out of recorded command lines. lq stores the command of every run (the
// `command` column) and `lq sync` ships it to the store, so a password typed on the
// command line would travel with it. The command itself always runs with its real
// arguments; only the record is redacted.
#pragma once

#include <string>
#include <string_view>

namespace lq {

// The placeholder that replaces a secret.
inline constexpr std::string_view kRedacted = "***";

// Returns `command_line` (words separated by blanks, quoted the way a POSIX shell reads
// them, e.g. logs::ShellJoin's output or a registered `sh -c` string) with secrets
// replaced by "***". Pure function; a word is rewritten only when it matches, every other
// byte is kept. The rules (docs/capture.md, "Secrets in command lines"):
//   * URL credentials: "https://bob:TOKEN@host/x" -> "https://host/x" (core's RedactUrl,
//     as for git remotes), wherever the URL starts in the word ("--repo=https://...");
//     query parameters whose names look secret keep their name: "?access_token=***";
//   * the value of an option whose name looks secret (password, passwd, pass, token,
//     secret, api-key, apikey, access-key, client-secret, auth, auth-token, credential(s),
//     private-key, ... with - or _), in both "--opt=value" and "--opt value" forms;
//   * "-pSECRET" (mysql, mysqldump, mariadb) and "-p SECRET" (sshpass), only after those
//     programs, where -p is known to mean a password;
//   * KEY=value words whose KEY looks secret (*TOKEN*, *SECRET*, *PASSWORD*, *PASSWD*,
//     *API_KEY*, *APIKEY*, *ACCESS_KEY*, *CREDENTIAL*, *PRIVATE_KEY*, *AUTH*): "KEY=***";
//   * HTTP credentials: a word "Authorization: ..." / "Proxy-Authorization: ..." keeps
//     its scheme ("Authorization: Bearer ***"), a "Bearer X" / "Basic X" word becomes
//     "Bearer ***", and a lone "Bearer"/"Basic" word hides the word after it;
//   * a quoted word that is itself a command line (sh -c '...') is redacted by the same
//     rules, recursively.
std::string RedactCommandLine(std::string_view command_line);

// True when an option, variable or parameter name looks like it holds a secret
// (case-insensitive; '-' and '_' are the same).
bool LooksLikeSecretName(std::string_view name);

}  // namespace lq

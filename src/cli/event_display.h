// Showing recorded log text, event lists and run tables (lq status, errors, warnings,
// summary, history, event, context, diff) to people and scripts.
//
// Log text comes from other tools and may hold terminal escape sequences (colour, OSC
// titles and hyperlinks, clear-screen) and control characters; printed as is they would
// act on the user's terminal, or land in a file piped to. TerminalSafeText removes them.
//
// A table of events fits the terminal: on a terminal of width W the message is cut
// first, then (if still too wide) the error_fingerprint column left out, then the path
// of the location cut from the left ("…/src/x.c:12:5"): the file name, line and
// column always stay. Off a terminal (width 0) nothing is cut.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/output.h"
#include "store/database.h"

namespace lq::cli {

// `text` without terminal escape sequences (logs::StripAnsi), and without the other C0
// control characters and DEL; a tab stays a tab when keep_tab, else becomes a space.
std::string TerminalSafeText(std::string_view text, bool keep_tab = true);

// Display width: code points of UTF-8 text (wide characters count one).
size_t DisplayWidth(std::string_view text);

struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each row has header.size() cells
  std::vector<bool> right_aligned;             // per column (numbers)
};

// Names the columns FitToWidth may cut or leave out; -1 when absent.
struct FitColumns {
  int message = -1;    // cut on the right with "…"
  int location = -1;   // file:line:col, cut on the left keeping file:line:col
  int droppable = -1;  // left out when cutting the message is not enough
};

// Shrinks `table` to fit `width` columns (0: leave as is) in the order above.
void FitToWidth(TextTable* table, size_t width, const FitColumns& columns);

// Aligned columns separated by two spaces, the header in bold.
void PrintTextTable(Output& out, const TextTable& table);

// A query result as a table of terminal-safe text; columns named in `hidden` left out.
TextTable TableOf(const store::QueryResult& result, const std::vector<std::string>& hidden = {});
// The JSON array of a result (cli/result_printer.h), TIMESTAMP columns in RFC 3339.
nlohmann::json JsonRows(const store::QueryResult& result);
// A result for people (fit to the terminal, never cut in a pipe) or as JSON. An empty
// result prints `empty` on stderr (JSON: []).
void PrintRows(Output& out, const store::QueryResult& result, bool json, const std::string& empty,
               FitColumns fit = {}, const std::vector<std::string>& hidden = {});

}  // namespace lq::cli

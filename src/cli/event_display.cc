#include "cli/event_display.h"

#include <algorithm>

#include "cli/result_printer.h"
#include "logs/parser.h"

namespace lq::cli {
namespace {

constexpr size_t kMinMessageWidth = 20;
constexpr size_t kMinMessageWidthLast = 10;  // once every other way has been taken

// The first `n` code points of `s`.
std::string FirstCodePoints(std::string_view s, size_t n) {
  size_t i = 0, cps = 0;
  while (i < s.size() && cps < n) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) ++i;
    ++cps;
  }
  return std::string(s.substr(0, i));
}

// The last `n` code points of `s`.
std::string LastCodePoints(std::string_view s, size_t n) {
  size_t i = s.size(), cps = 0;
  while (i > 0 && cps < n) {
    --i;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) --i;
    ++cps;
  }
  return std::string(s.substr(i));
}

std::string CutRight(const std::string& s, size_t width) {
  if (DisplayWidth(s) <= width) return s;
  return width == 0 ? std::string() : FirstCodePoints(s, width - 1) + "…";
}

// "…" + the end of the path, never shorter than the file name with its :line:col.
std::string CutPathLeft(const std::string& location, size_t width) {
  size_t total = DisplayWidth(location);
  if (total <= width) return location;
  size_t slash = location.rfind('/');
  if (slash == std::string::npos) return location;  // nothing but file:line:col
  size_t tail = DisplayWidth(std::string_view(location).substr(slash + 1));
  size_t keep = std::max(width > 0 ? width - 1 : 0, tail);
  if (keep >= total) return location;
  return "…" + LastCodePoints(location, keep);
}

size_t ColumnWidth(const TextTable& t, size_t c) {
  size_t w = DisplayWidth(t.header[c]);
  for (const auto& row : t.rows) w = std::max(w, DisplayWidth(row[c]));
  return w;
}

size_t TableWidth(const TextTable& t) {
  size_t total = 0;
  for (size_t c = 0; c < t.header.size(); ++c) total += ColumnWidth(t, c) + (c > 0 ? 2 : 0);
  return total;
}

void ShrinkMessage(TextTable* t, size_t c, size_t width, size_t floor) {
  size_t total = TableWidth(*t), w = ColumnWidth(*t, c);
  if (total <= width || w <= floor) return;
  size_t target = std::max(floor, w - std::min(w, total - width));
  for (auto& row : t->rows) row[c] = CutRight(row[c], target);
}

}  // namespace

std::string TerminalSafeText(std::string_view text, bool keep_tab) {
  std::string scratch;
  std::string_view plain = logs::StripAnsi(text, scratch);
  std::string out;
  out.reserve(plain.size());
  for (char ch : plain) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\t') {
      out.push_back(keep_tab ? '\t' : ' ');
    } else if (c >= 0x20 && c != 0x7f) {
      out.push_back(ch);
    }
  }
  return out;
}

size_t DisplayWidth(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

void FitToWidth(TextTable* t, size_t width, const FitColumns& cols) {
  if (width == 0 || TableWidth(*t) <= width) return;
  if (cols.message >= 0) ShrinkMessage(t, cols.message, width, kMinMessageWidth);
  if (cols.droppable >= 0 && TableWidth(*t) > width) {
    size_t d = cols.droppable;
    t->header.erase(t->header.begin() + d);
    t->right_aligned.erase(t->right_aligned.begin() + d);
    for (auto& row : t->rows) row.erase(row.begin() + d);
    FitColumns rest = cols;
    rest.droppable = -1;
    if (rest.message > cols.droppable) --rest.message;
    if (rest.location > cols.droppable) --rest.location;
    FitToWidth(t, width, rest);
    return;
  }
  if (cols.location >= 0 && TableWidth(*t) > width) {
    size_t c = cols.location, total = TableWidth(*t), w = ColumnWidth(*t, c);
    size_t target = w - std::min(w, total - width);
    for (auto& row : t->rows) row[c] = CutPathLeft(row[c], target);
  }
  if (cols.message >= 0) ShrinkMessage(t, cols.message, width, kMinMessageWidthLast);
}

void PrintTextTable(Output& out, const TextTable& t) {
  size_t cols = t.header.size();
  std::vector<size_t> width(cols);
  for (size_t c = 0; c < cols; ++c) width[c] = ColumnWidth(t, c);
  auto print = [&](const std::vector<std::string>& cells, bool header) {
    std::string line;
    for (size_t c = 0; c < cols; ++c) {
      std::string pad(width[c] - DisplayWidth(cells[c]), ' ');
      std::string cell =
          (t.right_aligned[c] && !header) ? pad + cells[c] : cells[c] + (c + 1 < cols ? pad : "");
      line += (c ? "  " : "") + (header ? out.Bold(cell) : cell);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out.Line(line);
  };
  print(t.header, true);
  for (const auto& row : t.rows) print(row, false);
}

// The JSON of a result, timestamps in RFC 3339 (output.h).
nlohmann::json JsonRows(const store::QueryResult& r) {
  nlohmann::json rows = ResultToJson(r);
  for (size_t c = 0; c < r.column_count(); ++c) {
    if (r.column_type(c) != store::ColumnType::kTimestamp) continue;
    for (auto& row : rows) {
      auto& v = row[r.column_name(c)];
      if (v.is_string()) v = Rfc3339FromSqlTimestamp(v.get<std::string>());
    }
  }
  return rows;
}

TextTable TableOf(const store::QueryResult& r, const std::vector<std::string>& hidden) {
  TextTable t;
  std::vector<size_t> shown;
  for (size_t c = 0; c < r.column_count(); ++c) {
    if (std::find(hidden.begin(), hidden.end(), r.column_name(c)) != hidden.end()) continue;
    shown.push_back(c);
    t.header.push_back(r.column_name(c));
    t.right_aligned.push_back(r.column_type(c) == store::ColumnType::kInteger ||
                              r.column_type(c) == store::ColumnType::kDouble);
  }
  for (size_t row = 0; row < r.row_count(); ++row) {
    std::vector<std::string> cells;
    for (size_t c : shown)
      cells.push_back(r.IsNull(c, row) ? "" : TerminalSafeText(r.GetString(c, row), false));
    t.rows.push_back(std::move(cells));
  }
  return t;
}

void PrintRows(Output& out, const store::QueryResult& r, bool json, const std::string& empty,
               FitColumns fit, const std::vector<std::string>& hidden) {
  if (json) {
    out.Json(JsonRows(r));
    return;
  }
  if (r.row_count() == 0) {
    out.Info(empty);
    return;
  }
  TextTable t = TableOf(r, hidden);
  FitToWidth(&t, out.terminal_width(), fit);
  PrintTextTable(out, t);
}

}  // namespace lq::cli

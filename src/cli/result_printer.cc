#include "cli/result_printer.h"

#include <algorithm>

namespace lq::cli {
namespace {

// Display width of UTF-8 text: code points, not bytes (close enough for a terminal).
size_t Width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

std::string Cell(std::string v, size_t max_width) {
  for (auto& c : v) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  if (Width(v) <= max_width) return v;
  // Cut at a code-point boundary.
  size_t keep = 0, cps = 0;
  while (keep < v.size() && cps < max_width - 1) {
    ++keep;
    while (keep < v.size() && (static_cast<unsigned char>(v[keep]) & 0xc0) == 0x80) ++keep;
    ++cps;
  }
  return v.substr(0, keep) + "…";
}

}  // namespace

nlohmann::json ResultToJson(const store::QueryResult& r) {
  nlohmann::json rows = nlohmann::json::array();
  for (size_t row = 0; row < r.row_count(); ++row) {
    nlohmann::json obj = nlohmann::json::object();
    for (size_t col = 0; col < r.column_count(); ++col) {
      std::string name = r.column_name(col);
      if (r.IsNull(col, row)) {
        obj[name] = nullptr;
        continue;
      }
      switch (r.column_type(col)) {
        case store::ColumnType::kInteger: obj[name] = r.GetInt64(col, row); break;
        case store::ColumnType::kDouble: obj[name] = r.GetDouble(col, row); break;
        case store::ColumnType::kBoolean: obj[name] = r.GetBool(col, row); break;
        default: obj[name] = r.GetString(col, row); break;
      }
    }
    rows.push_back(std::move(obj));
  }
  return rows;
}

void PrintTable(Output& out, const store::QueryResult& r, size_t max_width) {
  size_t cols = r.column_count();
  std::vector<std::vector<std::string>> cells(r.row_count() + 1, std::vector<std::string>(cols));
  std::vector<size_t> width(cols, 0);
  std::vector<bool> numeric(cols, false);
  for (size_t c = 0; c < cols; ++c) {
    cells[0][c] = r.column_name(c);
    numeric[c] = r.column_type(c) == store::ColumnType::kInteger || r.column_type(c) == store::ColumnType::kDouble;
    for (size_t row = 0; row < r.row_count(); ++row) {
      cells[row + 1][c] = Cell(r.IsNull(c, row) ? "" : r.GetString(c, row), max_width);
    }
    for (const auto& line : cells) width[c] = std::max(width[c], Width(line[c]));
  }
  for (size_t row = 0; row < cells.size(); ++row) {
    std::string line;
    for (size_t c = 0; c < cols; ++c) {
      const std::string& v = cells[row][c];
      std::string pad(width[c] - Width(v), ' ');
      std::string cell = (numeric[c] && row > 0) ? pad + v : v + (c + 1 < cols ? pad : "");
      line += (c ? "  " : "") + (row == 0 ? out.Bold(cell) : cell);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out.Line(line);
  }
}

void PrintResult(Output& out, const store::QueryResult& r, bool json) {
  if (json) {
    out.Json(ResultToJson(r));
    return;
  }
  if (r.row_count() == 0) {
    out.Info("(no rows)");
    return;
  }
  PrintTable(out, r);
}

}  // namespace lq::cli

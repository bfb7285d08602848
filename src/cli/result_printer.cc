#include "cli/result_printer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace lq::cli {
namespace {

// Display width of UTF-8 text: code points, not bytes (close enough for a terminal).
size_t Width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

// C0 controls and DEL, and C1 controls (U+0080..U+009F, bytes C2 80..C2 9F), become
// spaces: a value must not break the table's lines or reach the terminal as an escape.
std::string Printable(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    auto c = static_cast<unsigned char>(v[i]);
    if (c < 0x20 || c == 0x7f) {
      out.push_back(' ');
    } else if (c == 0xc2 && i + 1 < v.size() && static_cast<unsigned char>(v[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(v[i + 1]) <= 0x9f) {
      out.push_back(' ');
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string Cell(const std::string& text, size_t max_width) {
  std::string v = Printable(text);
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

namespace {

// HUGEINT, UHUGEINT, BIGNUM: a JSON number while it fits 64 bits, else the exact digits.
nlohmann::json WideInteger(const std::string& digits) {
  const char* end = digits.data() + digits.size();
  int64_t i = 0;
  if (auto r = std::from_chars(digits.data(), end, i); r.ec == std::errc() && r.ptr == end) return i;
  uint64_t u = 0;
  if (auto r = std::from_chars(digits.data(), end, u); r.ec == std::errc() && r.ptr == end) return u;
  return digits;
}

bool StringKeys(store::ValueType t) { return t == store::ValueType::kVarchar || t == store::ValueType::kEnum; }

}  // namespace

nlohmann::json ValueToJson(const store::Value& v) {
  using store::ValueType;
  switch (v.type) {
    case ValueType::kNull: return nullptr;
    case ValueType::kBoolean: return v.b;
    case ValueType::kTinyint:
    case ValueType::kSmallint:
    case ValueType::kInteger:
    case ValueType::kBigint: return v.i;
    case ValueType::kUtinyint:
    case ValueType::kUsmallint:
    case ValueType::kUinteger:
    case ValueType::kUbigint: return v.u;
    case ValueType::kHugeint:
    case ValueType::kUhugeint:
    case ValueType::kBignum: return WideInteger(v.text);
    case ValueType::kFloat:
    case ValueType::kDouble:
      // A FLOAT goes through its shortest text, so 0.1 stays 0.1 and not 0.10000000149011612.
      if (!std::isfinite(v.d)) return store::ValueToText(v);
      return v.type == ValueType::kFloat ? std::strtod(store::ValueToText(v).c_str(), nullptr) : v.d;
    case ValueType::kDecimal:
      // Up to 15 digits a double holds the decimal exactly, and prints it back the same.
      if (v.decimal_width <= 15) return std::strtod(v.text.c_str(), nullptr);
      return v.text;
    case ValueType::kDate:
    case ValueType::kTimestamp:
    case ValueType::kTimestampTz:
    case ValueType::kTimestampS:
    case ValueType::kTimestampMs:
    case ValueType::kTimestampNs: return store::ValueToRfc3339(v);
    case ValueType::kList:
    case ValueType::kArray: {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& c : v.children) a.push_back(ValueToJson(c));
      return a;
    }
    case ValueType::kStruct: {
      bool unnamed = true;
      for (const auto& n : v.names) unnamed &= n.empty();
      if (unnamed) {  // row(1, 'a'): no names to key an object by
        nlohmann::json a = nlohmann::json::array();
        for (const auto& c : v.children) a.push_back(ValueToJson(c));
        return a;
      }
      nlohmann::json o = nlohmann::json::object();
      for (size_t k = 0; k < v.children.size() && k < v.names.size(); ++k) o[v.names[k]] = ValueToJson(v.children[k]);
      return o;
    }
    case ValueType::kMap: {
      if (StringKeys(v.key_type)) {
        nlohmann::json o = nlohmann::json::object();
        for (size_t k = 0; k + 1 < v.children.size(); k += 2) o[v.children[k].text] = ValueToJson(v.children[k + 1]);
        return o;
      }
      nlohmann::json a = nlohmann::json::array();
      for (size_t k = 0; k + 1 < v.children.size(); k += 2) {
        a.push_back({{"key", ValueToJson(v.children[k])}, {"value", ValueToJson(v.children[k + 1])}});
      }
      return a;
    }
    case ValueType::kUnion: return v.children.empty() ? nlohmann::json(nullptr) : ValueToJson(v.children[0]);
    default: return store::ValueToText(v);
  }
}

nlohmann::json ResultToJson(const store::QueryResult& r) {
  nlohmann::json rows = nlohmann::json::array();
  std::vector<std::string> names;
  for (size_t col = 0; col < r.column_count(); ++col) names.push_back(r.column_name(col));
  for (size_t row = 0; row < r.row_count(); ++row) {
    nlohmann::json obj = nlohmann::json::object();
    for (size_t col = 0; col < r.column_count(); ++col) obj[names[col]] = ValueToJson(r.GetValue(col, row));
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
    cells[0][c] = Printable(r.column_name(c));
    numeric[c] = r.column_type(c) == store::ColumnType::kInteger || r.column_type(c) == store::ColumnType::kDouble;
    for (size_t row = 0; row < r.row_count(); ++row) {
      cells[row + 1][c] = Cell(r.GetString(c, row), max_width);
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

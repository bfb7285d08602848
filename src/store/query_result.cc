// QueryResult: a DuckDB result read through its data chunks. The per-value C API
// (duckdb_value_*) is deprecated and cannot read nested types: it crashed on a LIST
// after a UUID. Chunks can hold every type; cells become Value trees on demand.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "store/duckdb_api.h"

namespace lq::store {
namespace {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

std::string TakeString(char* s) {
  std::string out = s ? s : "";
  if (s) Api().duckdb_free(s);
  return out;
}

ValueType TypeFor(duckdb_type id) {
  switch (id) {
    case DUCKDB_TYPE_BOOLEAN: return ValueType::kBoolean;
    case DUCKDB_TYPE_TINYINT: return ValueType::kTinyint;
    case DUCKDB_TYPE_SMALLINT: return ValueType::kSmallint;
    case DUCKDB_TYPE_INTEGER: return ValueType::kInteger;
    case DUCKDB_TYPE_BIGINT: return ValueType::kBigint;
    case DUCKDB_TYPE_UTINYINT: return ValueType::kUtinyint;
    case DUCKDB_TYPE_USMALLINT: return ValueType::kUsmallint;
    case DUCKDB_TYPE_UINTEGER: return ValueType::kUinteger;
    case DUCKDB_TYPE_UBIGINT: return ValueType::kUbigint;
    case DUCKDB_TYPE_HUGEINT: return ValueType::kHugeint;
    case DUCKDB_TYPE_UHUGEINT: return ValueType::kUhugeint;
    case DUCKDB_TYPE_FLOAT: return ValueType::kFloat;
    case DUCKDB_TYPE_DOUBLE: return ValueType::kDouble;
    case DUCKDB_TYPE_DECIMAL: return ValueType::kDecimal;
    case DUCKDB_TYPE_VARCHAR: return ValueType::kVarchar;
    case DUCKDB_TYPE_BLOB: return ValueType::kBlob;
    case DUCKDB_TYPE_BIT: return ValueType::kBit;
    case DUCKDB_TYPE_UUID: return ValueType::kUuid;
    case DUCKDB_TYPE_ENUM: return ValueType::kEnum;
    case DUCKDB_TYPE_BIGNUM: return ValueType::kBignum;
    case DUCKDB_TYPE_DATE: return ValueType::kDate;
    case DUCKDB_TYPE_TIME: return ValueType::kTime;
    case DUCKDB_TYPE_TIME_NS: return ValueType::kTimeNs;
    case DUCKDB_TYPE_TIME_TZ: return ValueType::kTimeTz;
    case DUCKDB_TYPE_TIMESTAMP: return ValueType::kTimestamp;
    case DUCKDB_TYPE_TIMESTAMP_TZ: return ValueType::kTimestampTz;
    case DUCKDB_TYPE_TIMESTAMP_S: return ValueType::kTimestampS;
    case DUCKDB_TYPE_TIMESTAMP_MS: return ValueType::kTimestampMs;
    case DUCKDB_TYPE_TIMESTAMP_NS: return ValueType::kTimestampNs;
    case DUCKDB_TYPE_INTERVAL: return ValueType::kInterval;
    case DUCKDB_TYPE_LIST: return ValueType::kList;
    case DUCKDB_TYPE_ARRAY: return ValueType::kArray;
    case DUCKDB_TYPE_STRUCT: return ValueType::kStruct;
    case DUCKDB_TYPE_MAP: return ValueType::kMap;
    case DUCKDB_TYPE_UNION: return ValueType::kUnion;
    case DUCKDB_TYPE_SQLNULL: return ValueType::kNull;
    default: return ValueType::kOther;
  }
}

// Reads `lt` (and destroys it).
TypeNode Describe(duckdb_logical_type lt) {
  const DuckDbApi& api = Api();
  TypeNode t;
  t.id = api.duckdb_get_type_id(lt);
  t.type = TypeFor(t.id);
  auto child = [&](duckdb_logical_type c) { t.children.push_back(Describe(c)); };
  switch (t.id) {
    case DUCKDB_TYPE_DECIMAL:
      t.width = api.duckdb_decimal_width(lt);
      t.scale = api.duckdb_decimal_scale(lt);
      t.internal = api.duckdb_decimal_internal_type(lt);
      break;
    case DUCKDB_TYPE_ENUM:
      t.internal = api.duckdb_enum_internal_type(lt);
      for (uint32_t k = 0; k < api.duckdb_enum_dictionary_size(lt); ++k) {
        t.labels.push_back(TakeString(api.duckdb_enum_dictionary_value(lt, k)));
      }
      break;
    case DUCKDB_TYPE_LIST: child(api.duckdb_list_type_child_type(lt)); break;
    case DUCKDB_TYPE_ARRAY:
      t.array_size = api.duckdb_array_type_array_size(lt);
      child(api.duckdb_array_type_child_type(lt));
      break;
    case DUCKDB_TYPE_MAP:
      child(api.duckdb_map_type_key_type(lt));
      child(api.duckdb_map_type_value_type(lt));
      break;
    case DUCKDB_TYPE_STRUCT:
      for (idx_t k = 0; k < api.duckdb_struct_type_child_count(lt); ++k) {
        t.names.push_back(TakeString(api.duckdb_struct_type_child_name(lt, k)));
        child(api.duckdb_struct_type_child_type(lt, k));
      }
      break;
    case DUCKDB_TYPE_UNION:
      for (idx_t k = 0; k < api.duckdb_union_type_member_count(lt); ++k) {
        t.names.push_back(TakeString(api.duckdb_union_type_member_name(lt, k)));
        child(api.duckdb_union_type_member_type(lt, k));
      }
      break;
    default: break;
  }
  api.duckdb_destroy_logical_type(&lt);
  return t;
}

template <typename T>
T At(duckdb_vector v, idx_t row) {
  T out;
  std::memcpy(&out, static_cast<const char*>(Api().duckdb_vector_get_data(v)) + row * sizeof(T), sizeof(T));
  return out;
}

std::string StringAt(duckdb_vector v, idx_t row) {
  auto s = At<duckdb_string_t>(v, row);
  uint32_t len = s.value.inlined.length;
  // Inlined strings live inside the vector's own array; take them from there, not the copy.
  if (len <= 12) {
    const auto* base = static_cast<const duckdb_string_t*>(Api().duckdb_vector_get_data(v)) + row;
    return std::string(base->value.inlined.inlined, len);
  }
  return std::string(s.value.pointer.ptr, len);
}

std::string U128Text(UInt128 v) {
  if (v == 0) return "0";
  std::string s;
  for (; v > 0; v /= 10) s.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
  std::reverse(s.begin(), s.end());
  return s;
}

std::string I128Text(Int128 v) {
  return v < 0 ? "-" + U128Text(UInt128(0) - static_cast<UInt128>(v)) : U128Text(static_cast<UInt128>(v));
}

Int128 HugeAt(duckdb_vector v, idx_t row) {
  auto h = At<duckdb_hugeint>(v, row);
  return static_cast<Int128>((static_cast<UInt128>(static_cast<uint64_t>(h.upper)) << 64) | h.lower);
}

// "-1.50" from the unscaled integer -150 and scale 2.
std::string DecimalText(Int128 unscaled, uint8_t scale) {
  bool neg = unscaled < 0;
  std::string digits = U128Text(neg ? UInt128(0) - static_cast<UInt128>(unscaled) : static_cast<UInt128>(unscaled));
  if (scale > 0) {
    if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
    digits.insert(digits.size() - scale, ".");
  }
  return neg ? "-" + digits : digits;
}

std::string UuidText(duckdb_vector v, idx_t row) {
  auto h = At<duckdb_hugeint>(v, row);
  // DuckDB flips the top bit so that UUIDs sort as unsigned numbers.
  uint64_t hi = static_cast<uint64_t>(h.upper) ^ (uint64_t{1} << 63);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xffff), static_cast<unsigned long long>(hi & 0xffff),
                static_cast<unsigned long long>(h.lower >> 48),
                static_cast<unsigned long long>(h.lower & 0xffffffffffffULL));
  return buf;
}

// BIT: a padding count byte, then the bits, the first `padding` of which are not part
// of the value.
std::string BitText(const std::string& bytes) {
  if (bytes.empty()) return "";
  auto padding = static_cast<unsigned char>(bytes[0]);
  std::string out;
  for (size_t bit = padding; bit < (bytes.size() - 1) * 8; ++bit) {
    out.push_back((static_cast<unsigned char>(bytes[1 + bit / 8]) >> (7 - bit % 8)) & 1 ? '1' : '0');
  }
  return out;
}

// BIGNUM: a 3-byte header (top bit set for >= 0) and big-endian magnitude bytes, every
// byte inverted for negative numbers.
std::string BignumText(const std::string& bytes) {
  if (bytes.size() < 3) return "";
  bool negative = (static_cast<unsigned char>(bytes[0]) & 0x80) == 0;
  std::vector<uint32_t> mag;  // base 256, most significant first
  for (size_t k = 3; k < bytes.size(); ++k) {
    auto b = static_cast<unsigned char>(bytes[k]);
    mag.push_back(negative ? static_cast<unsigned char>(~b) : b);
  }
  std::string digits;
  while (!mag.empty()) {
    uint32_t rem = 0;
    std::vector<uint32_t> next;
    for (uint32_t d : mag) {
      uint32_t cur = rem * 256 + d;
      if (!next.empty() || cur / 10 > 0) next.push_back(cur / 10);
      rem = cur % 10;
    }
    digits.push_back(static_cast<char>('0' + rem));
    mag.swap(next);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (digits.empty()) digits = "0";
  std::reverse(digits.begin(), digits.end());
  return negative && digits != "0" ? "-" + digits : digits;
}

bool Valid(duckdb_vector v, idx_t row) {
  uint64_t* validity = Api().duckdb_vector_get_validity(v);
  return validity == nullptr || ((validity[row / 64] >> (row % 64)) & 1) != 0;
}

uint64_t EnumIndex(duckdb_type internal, duckdb_vector v, idx_t row) {
  switch (internal) {
    case DUCKDB_TYPE_UTINYINT: return At<uint8_t>(v, row);
    case DUCKDB_TYPE_USMALLINT: return At<uint16_t>(v, row);
    default: return At<uint32_t>(v, row);
  }
}

Int128 DecimalUnscaled(duckdb_type internal, duckdb_vector v, idx_t row) {
  switch (internal) {
    case DUCKDB_TYPE_SMALLINT: return At<int16_t>(v, row);
    case DUCKDB_TYPE_INTEGER: return At<int32_t>(v, row);
    case DUCKDB_TYPE_BIGINT: return At<int64_t>(v, row);
    default: return HugeAt(v, row);
  }
}

std::string TimeTzText(duckdb_vector v, idx_t row) {
  duckdb_time_tz_struct t = Api().duckdb_from_time_tz(At<duckdb_time_tz>(v, row));
  Value time;
  time.type = ValueType::kTime;
  time.i = ((t.time.hour * 60LL + t.time.min) * 60 + t.time.sec) * 1000000 + t.time.micros;
  int32_t off = t.offset < 0 ? -t.offset : t.offset;
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%c%02d", t.offset < 0 ? '-' : '+', off / 3600);
  if (off % 3600 != 0) n += std::snprintf(buf + n, sizeof buf - static_cast<size_t>(n), ":%02d", off / 60 % 60);
  if (off % 60 != 0) std::snprintf(buf + n, sizeof buf - static_cast<size_t>(n), ":%02d", off % 60);
  return ValueToText(time) + buf;
}

Value Read(const TypeNode& t, duckdb_vector v, idx_t row) {
  Value out;
  if (t.type == ValueType::kNull || !Valid(v, row)) return out;
  const DuckDbApi& api = Api();
  out.type = t.type;
  switch (t.id) {
    case DUCKDB_TYPE_BOOLEAN: out.b = At<bool>(v, row); break;
    case DUCKDB_TYPE_TINYINT: out.i = At<int8_t>(v, row); break;
    case DUCKDB_TYPE_SMALLINT: out.i = At<int16_t>(v, row); break;
    case DUCKDB_TYPE_INTEGER: out.i = At<int32_t>(v, row); break;
    case DUCKDB_TYPE_BIGINT: out.i = At<int64_t>(v, row); break;
    case DUCKDB_TYPE_UTINYINT: out.u = At<uint8_t>(v, row); break;
    case DUCKDB_TYPE_USMALLINT: out.u = At<uint16_t>(v, row); break;
    case DUCKDB_TYPE_UINTEGER: out.u = At<uint32_t>(v, row); break;
    case DUCKDB_TYPE_UBIGINT: out.u = At<uint64_t>(v, row); break;
    case DUCKDB_TYPE_HUGEINT: out.text = I128Text(HugeAt(v, row)); break;
    case DUCKDB_TYPE_UHUGEINT: {
      auto h = At<duckdb_uhugeint>(v, row);
      out.text = U128Text((static_cast<UInt128>(h.upper) << 64) | h.lower);
      break;
    }
    case DUCKDB_TYPE_FLOAT: out.d = At<float>(v, row); break;
    case DUCKDB_TYPE_DOUBLE: out.d = At<double>(v, row); break;
    case DUCKDB_TYPE_DECIMAL:
      out.text = DecimalText(DecimalUnscaled(t.internal, v, row), t.scale);
      out.decimal_width = t.width;
      break;
    case DUCKDB_TYPE_VARCHAR:
    case DUCKDB_TYPE_BLOB: out.text = StringAt(v, row); break;
    case DUCKDB_TYPE_BIT: out.text = BitText(StringAt(v, row)); break;
    case DUCKDB_TYPE_BIGNUM: out.text = BignumText(StringAt(v, row)); break;
    case DUCKDB_TYPE_UUID: out.text = UuidText(v, row); break;
    case DUCKDB_TYPE_ENUM: {
      uint64_t k = EnumIndex(t.internal, v, row);
      out.text = k < t.labels.size() ? t.labels[k] : std::to_string(k);
      break;
    }
    case DUCKDB_TYPE_DATE: out.i = At<int32_t>(v, row); break;
    case DUCKDB_TYPE_TIME:
    case DUCKDB_TYPE_TIME_NS:
    case DUCKDB_TYPE_TIMESTAMP:
    case DUCKDB_TYPE_TIMESTAMP_TZ:
    case DUCKDB_TYPE_TIMESTAMP_S:
    case DUCKDB_TYPE_TIMESTAMP_MS:
    case DUCKDB_TYPE_TIMESTAMP_NS: out.i = At<int64_t>(v, row); break;
    case DUCKDB_TYPE_TIME_TZ: out.text = TimeTzText(v, row); break;
    case DUCKDB_TYPE_INTERVAL: {
      auto iv = At<duckdb_interval>(v, row);
      out.months = iv.months;
      out.days = iv.days;
      out.i = iv.micros;
      break;
    }
    case DUCKDB_TYPE_LIST:
    case DUCKDB_TYPE_MAP: {
      if (t.id == DUCKDB_TYPE_MAP) out.key_type = t.children[0].type;
      auto entry = At<duckdb_list_entry>(v, row);
      duckdb_vector child = api.duckdb_list_vector_get_child(v);
      for (uint64_t k = entry.offset; k < entry.offset + entry.length; ++k) {
        if (t.id == DUCKDB_TYPE_LIST) {
          out.children.push_back(Read(t.children[0], child, k));
        } else {  // a MAP is a LIST of STRUCT(key, value)
          out.children.push_back(Read(t.children[0], api.duckdb_struct_vector_get_child(child, 0), k));
          out.children.push_back(Read(t.children[1], api.duckdb_struct_vector_get_child(child, 1), k));
        }
      }
      break;
    }
    case DUCKDB_TYPE_ARRAY: {
      duckdb_vector child = api.duckdb_array_vector_get_child(v);
      for (uint64_t k = row * t.array_size; k < (row + 1) * t.array_size; ++k) {
        out.children.push_back(Read(t.children[0], child, k));
      }
      break;
    }
    case DUCKDB_TYPE_STRUCT:
      out.names = t.names;
      for (size_t k = 0; k < t.children.size(); ++k) {
        out.children.push_back(Read(t.children[k], api.duckdb_struct_vector_get_child(v, k), row));
      }
      break;
    case DUCKDB_TYPE_UNION: {
      // Stored as a STRUCT whose first child is the tag of the member that holds the value.
      uint8_t tag = At<uint8_t>(api.duckdb_struct_vector_get_child(v, 0), row);
      if (tag < t.children.size()) {
        out.names.push_back(t.names[tag]);
        out.children.push_back(Read(t.children[tag], api.duckdb_struct_vector_get_child(v, tag + 1u), row));
      }
      break;
    }
    default:
      out.type = ValueType::kOther;
      out.text = "(unsupported type " + std::to_string(t.id) + ")";
      break;
  }
  return out;
}

}  // namespace

QueryResult::Rep::~Rep() {
  for (auto& chunk : chunks) Api().duckdb_destroy_data_chunk(&chunk);
  Api().duckdb_destroy_result(&result);
}

void QueryResult::Rep::Load() {
  const DuckDbApi& api = Api();
  for (idx_t c = 0; c < api.duckdb_column_count(&result); ++c) {
    types.push_back(Describe(api.duckdb_column_logical_type(&result, c)));
  }
  size_t rows = 0;
  while (duckdb_data_chunk chunk = api.duckdb_fetch_chunk(result)) {
    size_t n = api.duckdb_data_chunk_get_size(chunk);
    if (n == 0) {
      api.duckdb_destroy_data_chunk(&chunk);
      break;
    }
    rows += n;
    chunks.push_back(chunk);
    chunk_end.push_back(rows);
  }
}

QueryResult::QueryResult() : rep_(std::make_unique<Rep>()) {}
QueryResult::QueryResult(QueryResult&&) noexcept = default;
QueryResult& QueryResult::operator=(QueryResult&&) noexcept = default;
QueryResult::~QueryResult() = default;

size_t QueryResult::column_count() const { return rep_->types.size(); }
size_t QueryResult::row_count() const { return rep_->chunk_end.empty() ? 0 : rep_->chunk_end.back(); }

std::string QueryResult::column_name(size_t col) const {
  const char* name = Api().duckdb_column_name(&rep_->result, col);
  return name ? name : "";
}

ValueType QueryResult::column_value_type(size_t col) const { return rep_->types[col].type; }

ColumnType QueryResult::column_type(size_t col) const {
  switch (column_value_type(col)) {
    case ValueType::kBoolean: return ColumnType::kBoolean;
    case ValueType::kTinyint:
    case ValueType::kSmallint:
    case ValueType::kInteger:
    case ValueType::kBigint:
    case ValueType::kUtinyint:
    case ValueType::kUsmallint:
    case ValueType::kUinteger:
    case ValueType::kUbigint:
    case ValueType::kHugeint:
    case ValueType::kUhugeint:
    case ValueType::kBignum: return ColumnType::kInteger;
    case ValueType::kFloat:
    case ValueType::kDouble:
    case ValueType::kDecimal: return ColumnType::kDouble;
    case ValueType::kVarchar: return ColumnType::kVarchar;
    case ValueType::kDate: return ColumnType::kDate;
    case ValueType::kTimestamp:
    case ValueType::kTimestampTz:
    case ValueType::kTimestampS:
    case ValueType::kTimestampMs:
    case ValueType::kTimestampNs: return ColumnType::kTimestamp;
    default: return ColumnType::kOther;
  }
}

Value QueryResult::GetValue(size_t col, size_t row) const {
  assert(col < column_count() && row < row_count());
  size_t chunk = static_cast<size_t>(std::upper_bound(rep_->chunk_end.begin(), rep_->chunk_end.end(), row) -
                                     rep_->chunk_end.begin());
  size_t first = chunk == 0 ? 0 : rep_->chunk_end[chunk - 1];
  duckdb_vector v = Api().duckdb_data_chunk_get_vector(rep_->chunks[chunk], col);
  return Read(rep_->types[col], v, row - first);
}

bool QueryResult::IsNull(size_t col, size_t row) const { return GetValue(col, row).is_null(); }

std::string QueryResult::GetString(size_t col, size_t row) const { return ValueToText(GetValue(col, row)); }

double QueryResult::GetDouble(size_t col, size_t row) const {
  Value v = GetValue(col, row);
  switch (v.type) {
    case ValueType::kBoolean: return v.b ? 1 : 0;
    case ValueType::kTinyint:
    case ValueType::kSmallint:
    case ValueType::kInteger:
    case ValueType::kBigint: return static_cast<double>(v.i);
    case ValueType::kUtinyint:
    case ValueType::kUsmallint:
    case ValueType::kUinteger:
    case ValueType::kUbigint: return static_cast<double>(v.u);
    case ValueType::kFloat:
    case ValueType::kDouble: return v.d;
    case ValueType::kHugeint:
    case ValueType::kUhugeint:
    case ValueType::kDecimal:
    case ValueType::kBignum: return std::strtod(v.text.c_str(), nullptr);
    default: return 0;
  }
}

int64_t QueryResult::GetInt64(size_t col, size_t row) const {
  Value v = GetValue(col, row);
  switch (v.type) {
    case ValueType::kBoolean: return v.b;
    case ValueType::kTinyint:
    case ValueType::kSmallint:
    case ValueType::kInteger:
    case ValueType::kBigint: return v.i;
    case ValueType::kUtinyint:
    case ValueType::kUsmallint:
    case ValueType::kUinteger:
    case ValueType::kUbigint: return static_cast<int64_t>(v.u);
    case ValueType::kHugeint:
    case ValueType::kUhugeint:
    case ValueType::kBignum: return std::strtoll(v.text.c_str(), nullptr, 10);
    default: {
      // DuckDB rounds a fraction to the nearest integer when casting; so does this.
      double d = GetDouble(col, row);
      return d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : std::llround(d);
    }
  }
}

bool QueryResult::GetBool(size_t col, size_t row) const {
  Value v = GetValue(col, row);
  return v.type == ValueType::kBoolean ? v.b : GetDouble(col, row) != 0;
}

}  // namespace lq::store

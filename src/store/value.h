// One value of a query result as a small tree, free of duckdb.h: what QueryResult
// (database.h) hands to printers. Every DuckDB type has a place here; nested types
// (LIST, ARRAY, STRUCT, MAP, UNION) hold their children.
//
// Contracts:
// - ValueToText renders a value as DuckDB does when casting it to VARCHAR (what the
//   DuckDB CLI shows), with one documented difference: TIMESTAMP WITH TIME ZONE is
//   always shown in UTC ("+00"), whatever the machine's time zone.
// - Timestamps of every unit are taken as UTC (lq records UTC throughout).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lq::store {

enum class ValueType : uint8_t {
  kNull,  // a NULL of any type, or DuckDB's NULL type
  kBoolean,
  kTinyint,
  kSmallint,
  kInteger,
  kBigint,
  kUtinyint,
  kUsmallint,
  kUinteger,
  kUbigint,
  kHugeint,   // exact digits in text
  kUhugeint,  // exact digits in text
  kFloat,
  kDouble,
  kDecimal,  // exact digits in text ("-1.50"); decimal_width says how wide the column is
  kVarchar,
  kBlob,         // the raw bytes in text
  kBit,          // "0101..." in text
  kUuid,         // canonical lower-case text
  kEnum,         // the label in text
  kBignum,       // exact digits in text
  kDate,         // days since 1970-01-01 in i
  kTime,         // microseconds since midnight in i
  kTimeNs,       // nanoseconds since midnight in i
  kTimeTz,       // DuckDB's text ("10:00:00+05:30") in text
  kTimestamp,    // microseconds since the epoch in i (also for TIMESTAMP WITH TIME ZONE)
  kTimestampTz,  // as kTimestamp; rendered with "+00"
  kTimestampS,   // seconds in i
  kTimestampMs,  // milliseconds in i
  kTimestampNs,  // nanoseconds in i
  kInterval,     // months, days, and microseconds in i
  kList,
  kArray,
  kStruct,  // children with names
  kMap,     // children: key, value, key, value, ...
  kUnion,   // children: the one active member, its name in names[0]
  kOther,   // a type lq cannot decode; text says which
};

struct Value {
  ValueType type = ValueType::kNull;
  bool b = false;
  int64_t i = 0;                 // signed integers; DATE, TIME, timestamps as said above
  uint64_t u = 0;                // unsigned integers up to UBIGINT
  double d = 0;                  // FLOAT, DOUBLE
  int32_t months = 0, days = 0;  // INTERVAL (with micros in i)
  uint8_t decimal_width = 0;     // DECIMAL
  std::string text;
  std::vector<Value> children;
  std::vector<std::string> names;         // STRUCT field names, UNION member name
  ValueType key_type = ValueType::kNull;  // MAP: the declared key type (even when empty)

  bool is_null() const { return type == ValueType::kNull; }
  bool is_nested() const {
    return type == ValueType::kList || type == ValueType::kArray || type == ValueType::kStruct ||
           type == ValueType::kMap || type == ValueType::kUnion;
  }
  bool is_timestamp() const {
    return type == ValueType::kTimestamp || type == ValueType::kTimestampTz || type == ValueType::kTimestampS ||
           type == ValueType::kTimestampMs || type == ValueType::kTimestampNs;
  }
};

// DuckDB's VARCHAR rendering ("" for a top-level NULL, "NULL" inside a nested value).
std::string ValueToText(const Value& v);
// A timestamp (any unit) as RFC 3339 UTC: "2026-12-04T16:00:00Z", with as many fractional
// digits as are non-zero; "infinity" / "-infinity" as DuckDB names them. A DATE as
// YYYY-MM-DD. Other types: ValueToText.
std::string ValueToRfc3339(const Value& v);

}  // namespace lq::store

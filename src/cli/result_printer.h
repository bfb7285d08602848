// Prints a DuckDB result the lq way: a readable table for people, a JSON array of
// objects with --json. Every DuckDB type is printed (docs/query.md, "Output"):
// - table: each value as DuckDB renders it cast to VARCHAR (store::ValueToText), NULL blank;
// - JSON: typed. Integers are numbers (HUGEINT/UHUGEINT too while they fit 64 bits, exact
//   strings beyond); DECIMAL is a number up to 15 digits wide and an exact string wider;
//   NaN/Infinity are the strings "nan"/"inf"/"-inf"; DATE is "YYYY-MM-DD"; timestamps are
//   RFC 3339 UTC; LIST/ARRAY are arrays, STRUCT objects, MAP an object when its keys are
//   strings and else an array of {"key", "value"}; NULL is null at any depth; everything
//   else (UUID, BLOB, INTERVAL, TIME, ENUM, BIT, ...) is DuckDB's text.
#pragma once

#include <nlohmann/json.hpp>

#include "cli/output.h"
#include "store/database.h"

namespace lq::cli {

nlohmann::json ValueToJson(const store::Value& value);
nlohmann::json ResultToJson(const store::QueryResult& result);
// Columns wider than max_width are cut with "…"; control characters (C0, DEL, C1) are
// shown as spaces, so a value can neither break the table nor drive the terminal.
void PrintTable(Output& out, const store::QueryResult& result, size_t max_width = 60);
void PrintResult(Output& out, const store::QueryResult& result, bool json);

}  // namespace lq::cli

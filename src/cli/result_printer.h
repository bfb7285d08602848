// Prints a DuckDB result the lq way: a readable table for people, a JSON array of
// objects (typed: numbers, booleans, null) with --json.
#pragma once

#include <nlohmann/json.hpp>

#include "cli/output.h"
#include "store/database.h"

namespace lq::cli {

nlohmann::json ResultToJson(const store::QueryResult& result);
// Columns wider than max_width are cut with "…"; control characters are shown as spaces.
void PrintTable(Output& out, const store::QueryResult& result, size_t max_width = 60);
void PrintResult(Output& out, const store::QueryResult& result, bool json);

}  // namespace lq::cli

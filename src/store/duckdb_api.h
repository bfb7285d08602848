// Internal to store/ (CMake keeps duckdb.h's include path private to it): DuckDB's C
// API as lq loads it, and what QueryResult keeps of a result. No header outside store/
// may include this one.
#pragma once

#include <duckdb.h>

#include <string>
#include <vector>

#include "store/database.h"

namespace lq::store {

// libduckdb.so is loaded with dlopen on first use instead of being linked: linking it
// costs every lq process ~13 ms of dynamic relocation before main(), and the capture
// path (lq exec/run) must start in well under that. Only commands that query or write
// Parquet pay for DuckDB.
#define LQ_DUCKDB_FUNCTIONS(X)          \
  X(duckdb_append_bool)                 \
  X(duckdb_append_double)               \
  X(duckdb_append_int64)                \
  X(duckdb_append_null)                 \
  X(duckdb_append_timestamp)            \
  X(duckdb_append_varchar_length)       \
  X(duckdb_appender_close)              \
  X(duckdb_appender_create)             \
  X(duckdb_appender_destroy)            \
  X(duckdb_appender_end_row)            \
  X(duckdb_appender_error)              \
  X(duckdb_appender_flush)              \
  X(duckdb_array_type_array_size)       \
  X(duckdb_array_type_child_type)       \
  X(duckdb_array_vector_get_child)      \
  X(duckdb_bind_boolean)                \
  X(duckdb_bind_double)                 \
  X(duckdb_bind_int64)                  \
  X(duckdb_bind_null)                   \
  X(duckdb_bind_varchar_length)         \
  X(duckdb_clear_bindings)              \
  X(duckdb_close)                       \
  X(duckdb_column_count)                \
  X(duckdb_column_logical_type)         \
  X(duckdb_column_name)                 \
  X(duckdb_connect)                     \
  X(duckdb_create_config)               \
  X(duckdb_data_chunk_get_size)         \
  X(duckdb_data_chunk_get_vector)       \
  X(duckdb_decimal_internal_type)       \
  X(duckdb_decimal_scale)               \
  X(duckdb_decimal_width)               \
  X(duckdb_destroy_config)              \
  X(duckdb_destroy_data_chunk)          \
  X(duckdb_destroy_extracted)           \
  X(duckdb_destroy_logical_type)        \
  X(duckdb_destroy_prepare)             \
  X(duckdb_destroy_result)              \
  X(duckdb_disconnect)                  \
  X(duckdb_enum_dictionary_size)        \
  X(duckdb_enum_dictionary_value)       \
  X(duckdb_enum_internal_type)          \
  X(duckdb_execute_prepared)            \
  X(duckdb_extract_statements)          \
  X(duckdb_extract_statements_error)    \
  X(duckdb_fetch_chunk)                 \
  X(duckdb_free)                        \
  X(duckdb_from_time_tz)                \
  X(duckdb_get_type_id)                 \
  X(duckdb_library_version)             \
  X(duckdb_list_type_child_type)        \
  X(duckdb_list_vector_get_child)       \
  X(duckdb_map_type_key_type)           \
  X(duckdb_map_type_value_type)         \
  X(duckdb_open_ext)                    \
  X(duckdb_prepare)                     \
  X(duckdb_prepare_error)               \
  X(duckdb_prepare_extracted_statement) \
  X(duckdb_query)                       \
  X(duckdb_result_error)                \
  X(duckdb_set_config)                  \
  X(duckdb_struct_type_child_count)     \
  X(duckdb_struct_type_child_name)      \
  X(duckdb_struct_type_child_type)      \
  X(duckdb_struct_vector_get_child)     \
  X(duckdb_union_type_member_count)     \
  X(duckdb_union_type_member_name)      \
  X(duckdb_union_type_member_type)      \
  X(duckdb_vector_get_data)             \
  X(duckdb_vector_get_validity)

struct DuckDbApi {
#define LQ_DECLARE(name) decltype(&::name) name = nullptr;
  LQ_DUCKDB_FUNCTIONS(LQ_DECLARE)
#undef LQ_DECLARE
};

// Only valid after LoadDuckDb() returned OK (Database::Open checks it).
const DuckDbApi& Api();

// A column's logical type, read once per result so that reading a cell asks DuckDB
// nothing but where the vectors are.
struct TypeNode {
  duckdb_type id = DUCKDB_TYPE_INVALID;
  ValueType type = ValueType::kOther;
  duckdb_type internal = DUCKDB_TYPE_INVALID;  // DECIMAL and ENUM storage
  uint8_t width = 0, scale = 0;                // DECIMAL
  uint64_t array_size = 0;                     // ARRAY
  std::vector<std::string> labels;             // ENUM dictionary
  std::vector<std::string> names;              // STRUCT fields, UNION members
  std::vector<TypeNode> children;              // LIST/ARRAY: element; MAP: key, value; STRUCT/UNION: members
};

struct QueryResult::Rep {
  duckdb_result result{};
  std::vector<TypeNode> types;
  std::vector<duckdb_data_chunk> chunks;
  std::vector<size_t> chunk_end;  // rows up to and including chunk k
  ~Rep();
  // After a successful query: reads the column types and takes every chunk.
  void Load();
};

}  // namespace lq::store

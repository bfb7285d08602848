// The RAII wrapper around DuckDB's C API. This is the only component that sees
// duckdb.h (CMake keeps its include path private to store/); everything else talks
// to DuckDB through these classes.
//
// Contracts:
// - No method throws; failures come back as Status with DuckDB's own message.
// - A Database may be shared by several Connections; a Connection, and everything
//   made from it (PreparedStatement, Appender), is used by one thread at a time and
//   must not outlive its Database.
// - Objects are move-only and release their DuckDB handle exactly once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/value.h"

namespace lq::store {

enum class ColumnType { kBoolean, kInteger, kDouble, kVarchar, kDate, kTimestamp, kOther };

// A fully materialized query result, read through DuckDB's data chunks (every type,
// nested ones included). Out-of-range (col, row) is a caller bug (checked by assert).
class QueryResult {
 public:
  QueryResult(QueryResult&&) noexcept;
  QueryResult& operator=(QueryResult&&) noexcept;
  ~QueryResult();

  size_t column_count() const;
  size_t row_count() const;
  std::string column_name(size_t col) const;
  ColumnType column_type(size_t col) const;
  // The column's DuckDB type, as Value names it (never kNull unless the column is NULL-typed).
  ValueType column_value_type(size_t col) const;
  // The value as a tree; nested NULLs are Values of type kNull.
  Value GetValue(size_t col, size_t row) const;
  bool IsNull(size_t col, size_t row) const;
  // Any value rendered as DuckDB renders it when cast to VARCHAR ("" for NULL); see ValueToText.
  std::string GetString(size_t col, size_t row) const;
  // Numbers converted as a C cast would (0 for NULL and for non-numbers).
  int64_t GetInt64(size_t col, size_t row) const;
  double GetDouble(size_t col, size_t row) const;
  bool GetBool(size_t col, size_t row) const;

 private:
  friend class Connection;
  friend class PreparedStatement;
  QueryResult();
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

class Database {
 public:
  struct Options {
    bool read_only = false;
    int threads = 0;             // 0: DuckDB's default (all cores)
    std::string memory_limit;    // e.g. "512MB"; empty: DuckDB's default
  };
  // Opens (or creates) the database file at `path`; ":memory:" or "" for in-memory.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, const Options& options);
  static Result<std::unique_ptr<Database>> Open(const std::string& path) { return Open(path, {}); }
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

 private:
  friend class Connection;
  Database() = default;
  void* db_ = nullptr;  // duckdb_database
};

class PreparedStatement;
class Appender;

class Connection {
 public:
  static Result<Connection> Open(Database& db);
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  // Runs one or more statements, discarding any result.
  Status Execute(std::string_view sql);
  // Runs one or more statements; the result is the last one's.
  Result<QueryResult> Query(std::string_view sql);
  // Runs each statement of `sql` in order, handing its result to `each` before the next
  // one runs; stops at the first failure (of a statement, or of `each`). Returns how many
  // statements `sql` holds: 0 when it is only whitespace and comments.
  Result<size_t> QueryEach(std::string_view sql, const std::function<Status(QueryResult&)>& each);
  Result<PreparedStatement> Prepare(std::string_view sql);
  // Appends rows to `table` (in `schema`, "" for the default) much faster than INSERTs.
  Result<Appender> NewAppender(const std::string& table, const std::string& schema = "");

 private:
  Connection() = default;
  void* conn_ = nullptr;  // duckdb_connection
};

// Parameters are numbered from 1, as in DuckDB's "$1" / "?" placeholders.
class PreparedStatement {
 public:
  PreparedStatement(PreparedStatement&&) noexcept;
  PreparedStatement& operator=(PreparedStatement&&) noexcept;
  ~PreparedStatement();

  Status Bind(size_t index, int64_t value);
  Status Bind(size_t index, double value);
  Status Bind(size_t index, bool value);
  Status Bind(size_t index, std::string_view value);
  Status Bind(size_t index, const char* value) { return Bind(index, std::string_view(value)); }
  Status BindNull(size_t index);
  Status ClearBindings();
  Result<QueryResult> Execute();

 private:
  friend class Connection;
  PreparedStatement() = default;
  void* stmt_ = nullptr;  // duckdb_prepared_statement
};

// Rows are buffered by DuckDB and written on Flush()/Close(); call Close() to see errors
// (the destructor closes silently).
class Appender {
 public:
  Appender(Appender&&) noexcept;
  Appender& operator=(Appender&&) noexcept;
  ~Appender();

  Status Append(int64_t value);
  Status Append(double value);
  Status Append(bool value);
  Status Append(std::string_view value);
  Status Append(const char* value) { return Append(std::string_view(value)); }
  Status AppendNull();
  // A TIMESTAMP column, microseconds since the epoch (UTC).
  Status AppendTimestampMicros(int64_t micros);
  Status EndRow();
  Status Flush();
  Status Close();

 private:
  friend class Connection;
  Appender() = default;
  Status Check(int state);
  void* app_ = nullptr;  // duckdb_appender
};

// Loads libduckdb.so if not yet loaded (see database.cc for where it is searched).
// Unavailable with a message saying what to do when it cannot be loaded.
Status LoadDuckDb();
// "v1.4.4" etc., or "unavailable".
std::string LibraryVersion();
// Quotes `s` as a SQL string literal ('it''s').
std::string SqlQuote(std::string_view s);
// Quotes `s` as a SQL identifier ("my ""col""").
std::string SqlQuoteIdentifier(std::string_view s);
// A SQL list of quoted strings: ['a', 'b'].
std::string SqlList(const std::vector<std::string>& values);

}  // namespace lq::store

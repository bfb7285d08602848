#include "store/database.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace lq::store {
namespace {

Connection Connect(Database& db) {
  auto c = Connection::Open(db);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(c).value();
}

TEST(DatabaseTest, QueryReturnsTypedValues) {
  auto db = Database::Open(":memory:");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  Connection conn = Connect(**db);
  auto r = conn.Query("SELECT 42::BIGINT AS n, 'it''s' AS s, 1.5 AS d, NULL AS z, true AS b, DATE '2025-01-15' AS day");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->column_count(), 6u);
  ASSERT_EQ(r->row_count(), 1u);
  EXPECT_EQ(r->column_name(0), "n");
  EXPECT_EQ(r->column_type(0), ColumnType::kInteger);
  EXPECT_EQ(r->GetInt64(0, 0), 42);
  EXPECT_EQ(r->GetString(1, 0), "it's");
  EXPECT_EQ(r->column_type(1), ColumnType::kVarchar);
  EXPECT_DOUBLE_EQ(r->GetDouble(2, 0), 1.5);
  EXPECT_TRUE(r->IsNull(3, 0));
  EXPECT_EQ(r->GetString(3, 0), "");
  EXPECT_TRUE(r->GetBool(4, 0));
  EXPECT_EQ(r->column_type(5), ColumnType::kDate);
  EXPECT_EQ(r->GetString(5, 0), "2025-01-15");
}

TEST(DatabaseTest, BadSqlIsAnErrorWithDuckDbsMessage) {
  auto db = Database::Open("");
  ASSERT_TRUE(db.ok());
  Connection conn = Connect(**db);
  auto r = conn.Query("SELEC 1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("syntax error"), std::string::npos) << r.status().message();
  EXPECT_FALSE(conn.Prepare("SELECT * FROM missing_table").ok());
}

TEST(DatabaseTest, PreparedStatementBindsEveryType) {
  auto db = Database::Open("");
  ASSERT_TRUE(db.ok());
  Connection conn = Connect(**db);
  ASSERT_TRUE(conn.Execute("CREATE TABLE t(i BIGINT, d DOUBLE, b BOOLEAN, s VARCHAR)").ok());
  auto stmt = conn.Prepare("INSERT INTO t VALUES ($1, $2, $3, $4)");
  ASSERT_TRUE(stmt.ok()) << stmt.status().ToString();
  for (int64_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(stmt->Bind(1, i).ok());
    ASSERT_TRUE(stmt->Bind(2, 0.5 * static_cast<double>(i)).ok());
    ASSERT_TRUE(stmt->Bind(3, i % 2 == 0).ok());
    ASSERT_TRUE(stmt->Bind(4, std::string_view("nul\0byte", 8)).ok());
    ASSERT_TRUE(stmt->Execute().ok());
  }
  ASSERT_TRUE(stmt->BindNull(4).ok());
  ASSERT_TRUE(stmt->Execute().ok());
  EXPECT_FALSE(stmt->Bind(9, int64_t{1}).ok());
  auto r = conn.Query("SELECT count(*), sum(i), count(s), max(length(s)) FROM t");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->GetInt64(0, 0), 4);
  EXPECT_EQ(r->GetInt64(1, 0), 0 + 1 + 2 + 2);
  EXPECT_EQ(r->GetInt64(2, 0), 3);
  EXPECT_EQ(r->GetInt64(3, 0), 8);  // the embedded NUL survives the round trip
}

TEST(DatabaseTest, AppenderWritesRowsAndReportsErrors) {
  auto db = Database::Open("");
  ASSERT_TRUE(db.ok());
  Connection conn = Connect(**db);
  ASSERT_TRUE(conn.Execute("CREATE TABLE e(id BIGINT, msg VARCHAR, ts TIMESTAMP, ok BOOLEAN)").ok());
  auto app = conn.NewAppender("e");
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  for (int64_t i = 0; i < 1000; ++i) {
    ASSERT_TRUE(app->Append(i).ok());
    ASSERT_TRUE(app->Append("message").ok());
    ASSERT_TRUE(app->AppendTimestampMicros(1736899200000000 + i).ok());
    ASSERT_TRUE(app->AppendNull().ok());
    ASSERT_TRUE(app->EndRow().ok());
  }
  ASSERT_TRUE(app->Close().ok());
  auto r = conn.Query("SELECT count(*), min(ts)::VARCHAR FROM e");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->GetInt64(0, 0), 1000);
  EXPECT_EQ(r->GetString(1, 0), "2025-01-15 00:00:00");
  EXPECT_FALSE(conn.NewAppender("no_such_table").ok());
}

TEST(DatabaseTest, ParquetRoundTripAndPersistence) {
  testing::TempDir dir;
  std::string file = dir / "x.duckdb";
  std::string parquet = dir / "events.parquet";
  {
    auto db = Database::Open(file);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    Connection conn = Connect(**db);
    ASSERT_TRUE(conn.Execute("CREATE TABLE k AS SELECT range AS i FROM range(10)").ok());
    ASSERT_TRUE(conn.Execute("COPY k TO " + SqlQuote(parquet) + " (FORMAT PARQUET, COMPRESSION ZSTD)").ok());
  }
  Database::Options ro;
  ro.read_only = true;
  auto db = Database::Open(file, ro);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  Connection conn = Connect(**db);
  auto r = conn.Query("SELECT sum(i) FROM k");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->GetInt64(0, 0), 45);
  EXPECT_FALSE(conn.Execute("INSERT INTO k VALUES (1)").ok());
  auto p = conn.Query("SELECT count(*) FROM read_parquet(" + SqlQuote(parquet) + ")");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->GetInt64(0, 0), 10);
}

TEST(DatabaseTest, OpenFailsWithPathInMessage) {
  auto db = Database::Open("/nonexistent-dir/for/lq/x.duckdb");
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("/nonexistent-dir/for/lq/x.duckdb"), std::string::npos);
}

TEST(DatabaseTest, SqlQuoteEscapesQuotes) {
  EXPECT_EQ(SqlQuote("a'b"), "'a''b'");
  EXPECT_EQ(SqlQuote(""), "''");
  EXPECT_EQ(SqlQuoteIdentifier("my \"col\""), "\"my \"\"col\"\"\"");
  EXPECT_FALSE(LibraryVersion().empty());
  // Both read back as exactly what was quoted, whatever SQL they hold.
  auto db = Database::Open("");
  ASSERT_TRUE(db.ok());
  Connection conn = Connect(**db);
  std::string hostile = "x'); COPY (SELECT 1) TO 'pwn' --\"";
  auto r = conn.Query("SELECT " + SqlQuote(hostile) + " AS " + SqlQuoteIdentifier(hostile));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->column_name(0), hostile);
  EXPECT_EQ(r->GetString(0, 0), hostile);
}

// One value of every DuckDB type (and the corner cases of each rendering), next to
// DuckDB's own cast of it to VARCHAR: ValueToText must agree with DuckDB on each.
constexpr const char* kEveryType = R"SQL(
  true AS bool, -5::TINYINT AS tinyint, 300::SMALLINT AS smallint, -70000::INTEGER AS integer,
  9007199254740993::BIGINT AS bigint, 200::UTINYINT AS utinyint, 60000::USMALLINT AS usmallint,
  4000000000::UINTEGER AS uinteger, 18446744073709551615::UBIGINT AS ubigint,
  170141183460469231731687303715884105727::HUGEINT AS hugeint_max,
  (-170141183460469231731687303715884105727 - 1)::HUGEINT AS hugeint_min,
  340282366920938463463374607431768211455::UHUGEINT AS uhugeint_max,
  0.1::FLOAT AS float, 16777216::FLOAT AS float_whole, 1e20::DOUBLE AS double_big, 1e-7::DOUBLE AS double_small,
  1e15::DOUBLE AS double_1e15, 1e16::DOUBLE AS double_1e16, 0.0001::DOUBLE AS double_1e4, 2::DOUBLE / 3 AS third,
  -123.456::DOUBLE AS double_neg, 'nan'::DOUBLE AS nan, '-inf'::DOUBLE AS ninf,
  -0.05::DECIMAL(4, 2) AS dec_small, 123.456::DECIMAL(30, 10) AS dec_huge, 12345678901234.5678::DECIMAL(18, 4) AS dec_64,
  5::DECIMAL(3, 0) AS dec_whole, -7.5::DECIMAL(9, 1) AS dec_32,
  'it''s' || chr(9) || 'tab ' || chr(10) || 'nl é' AS varchar, ''::VARCHAR AS empty,
  '\xAA\x5C\x27\x22A\x00'::BLOB AS blob, '1010110'::BIT AS bit, '101'::BIT AS bit_short,
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID AS uuid, '00000000-0000-0000-0000-000000000001'::UUID AS uuid_low,
  'y'::ENUM('x', 'y') AS enum,
  '123456789012345678901234567890'::BIGNUM AS bignum, '-98765432109876543210'::BIGNUM AS bignum_neg, 0::BIGNUM AS bignum_zero,
  DATE '2026-12-04' AS date, DATE '1969-12-31' AS date_before_epoch, DATE '0000-03-01' AS date_bc,
  'infinity'::DATE AS date_inf, '-infinity'::DATE AS date_ninf,
  TIME '10:00:01.5' AS time, TIME '23:59:59.000001' AS time_micro,
  TIMETZ '10:00:00+05:30' AS timetz, TIMETZ '10:00:00-03' AS timetz_neg,
  TIMESTAMP '2026-12-04 16:00:00' AS ts, TIMESTAMP '1960-01-01 00:00:00.25' AS ts_before_epoch,
  TIMESTAMPTZ '2026-12-04 16:00:00.123+00' AS tstz, TIMESTAMP_S '2026-12-04 16:00:00' AS ts_s,
  TIMESTAMP_MS '2026-12-04 16:00:00.120' AS ts_ms, TIMESTAMP_NS '2026-12-04 16:00:00.123456789' AS ts_ns,
  'infinity'::TIMESTAMP AS ts_inf,
  INTERVAL '1 year 14 months 3 days 04:05:06.5' AS interval, -INTERVAL '3 days 1 second' AS interval_neg,
  INTERVAL '0 seconds' AS interval_zero, INTERVAL 1 MICROSECOND AS interval_micro, INTERVAL '-1 month' AS interval_month,
  [1, NULL] AS list, ['a', 'b c', 'd,e', NULL, 'NULL', '', 'x''y', ' lead', 'a\b', chr(9) || 'x'] AS list_str,
  [[1, 2], [], NULL] AS list_list, NULL::INTEGER[] AS list_null, [TIMESTAMP '2026-01-01 10:00:00'] AS list_ts,
  [DATE '2026-01-01'] AS list_date, [INTERVAL 1 DAY] AS list_interval, [1.5::DOUBLE, 1e20] AS list_double,
  ['\x41\x00a'::BLOB] AS list_blob, [1.5::DECIMAL(4, 2)] AS list_decimal, [true] AS list_bool,
  [{'a': 1}] AS list_struct, {'a': NULL, 'b c': 'x y', 'it''s': [1]} AS struct,
  {'k': {'inner': 'v'}} AS struct_struct, row(1, 'a') AS struct_unnamed,
  MAP {'k': 'v,w', 'z': NULL} AS map, MAP {1: [1, 2]} AS map_int, MAP {}::MAP(VARCHAR, INT) AS map_empty,
  [1, 2, 3]::INTEGER[3] AS array, [['a'], ['b']]::VARCHAR[1][2] AS array_nested,
  union_value(num := 2)::UNION(num INTEGER, str VARCHAR) AS union_num,
  union_value(str := 'x, y')::UNION(num INTEGER, str VARCHAR) AS union_str,
  NULL AS null_plain, NULL::VARCHAR AS null_varchar
)SQL";

TEST(DatabaseTest, EveryTypeRendersAsDuckDbCastsItToVarchar) {
  auto db = Database::Open("");
  ASSERT_TRUE(db.ok());
  Connection conn = Connect(**db);
  ASSERT_TRUE(conn.Execute("SET TimeZone = 'UTC'").ok());  // ValueToText shows TIMESTAMPTZ in UTC
  auto r = conn.Query(std::string("WITH t AS MATERIALIZED (SELECT") + kEveryType +
                      ") SELECT *, COLUMNS(*)::VARCHAR FROM t");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  size_t n = r->column_count() / 2;
  ASSERT_GT(n, 80u);
  ASSERT_EQ(r->row_count(), 1u);
  for (size_t c = 0; c < n; ++c) {
    Value v = r->GetValue(c, 0);
    EXPECT_NE(v.type, ValueType::kOther) << r->column_name(c);
    // DuckDB's VARCHAR of NULL is NULL, which GetString shows as "".
    EXPECT_EQ(ValueToText(v), r->GetString(n + c, 0)) << r->column_name(c);
  }
}

TEST(DatabaseTest, NestedValuesKeepTheirShapeAndNulls) {
  auto db = Database::Open("");
  ASSERT_TRUE(db.ok());
  Connection conn = Connect(**db);
  // The reproducer of the crash: a UUID column followed by a LIST.
  auto r = conn.Query("SELECT uuid() AS u, [1, NULL] AS l, {'a': NULL} AS s, NULL::INTEGER[] AS n, "
                      "MAP {1: 'x'} AS m, 18446744073709551615::UBIGINT AS big");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->GetString(0, 0).size(), 36u);
  Value list = r->GetValue(1, 0);
  ASSERT_EQ(list.type, ValueType::kList);
  ASSERT_EQ(list.children.size(), 2u);
  EXPECT_EQ(list.children[0].type, ValueType::kInteger);
  EXPECT_EQ(list.children[0].i, 1);
  EXPECT_TRUE(list.children[1].is_null());
  Value s = r->GetValue(2, 0);
  ASSERT_EQ(s.type, ValueType::kStruct);
  ASSERT_EQ(s.names, std::vector<std::string>{"a"});
  EXPECT_TRUE(s.children[0].is_null());
  EXPECT_TRUE(r->IsNull(3, 0));
  EXPECT_EQ(r->GetString(3, 0), "");
  Value m = r->GetValue(4, 0);
  ASSERT_EQ(m.type, ValueType::kMap);
  EXPECT_EQ(m.key_type, ValueType::kInteger);
  ASSERT_EQ(m.children.size(), 2u);
  EXPECT_EQ(m.children[0].i, 1);
  EXPECT_EQ(m.children[1].text, "x");
  EXPECT_EQ(r->column_value_type(5), ValueType::kUbigint);
  EXPECT_EQ(r->GetValue(5, 0).u, 18446744073709551615ULL);
  EXPECT_EQ(r->GetString(5, 0), "18446744073709551615");
}

TEST(DatabaseTest, RowsAcrossManyChunks) {
  auto db = Database::Open("");
  ASSERT_TRUE(db.ok());
  Connection conn = Connect(**db);
  auto r = conn.Query("SELECT i, [i, NULL] AS l, i::VARCHAR AS s FROM range(5000) t(i) ORDER BY i");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->row_count(), 5000u);
  for (size_t row : {0u, 2047u, 2048u, 4095u, 4096u, 4999u}) {
    EXPECT_EQ(r->GetInt64(0, row), static_cast<int64_t>(row));
    EXPECT_EQ(r->GetString(1, row), "[" + std::to_string(row) + ", NULL]");
    EXPECT_EQ(r->GetString(2, row), std::to_string(row));
  }
}

TEST(DatabaseTest, RfcTimestampsAreUtcWithFractionOnlyWhenNonZero) {
  auto db = Database::Open("");
  ASSERT_TRUE(db.ok());
  Connection conn = Connect(**db);
  auto r = conn.Query("SELECT TIMESTAMP '2026-12-04 16:00:00', TIMESTAMPTZ '2026-12-04 16:00:00.5+00', "
                      "TIMESTAMP_NS '2026-12-04 16:00:00.000000001', TIMESTAMP_S '1969-12-31 23:59:59', "
                      "TIMESTAMP_MS '2026-12-04 16:00:00.120', DATE '2026-12-04', 'infinity'::TIMESTAMP");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ValueToRfc3339(r->GetValue(0, 0)), "2026-12-04T16:00:00Z");
  EXPECT_EQ(ValueToRfc3339(r->GetValue(1, 0)), "2026-12-04T16:00:00.5Z");
  EXPECT_EQ(ValueToRfc3339(r->GetValue(2, 0)), "2026-12-04T16:00:00.000000001Z");
  EXPECT_EQ(ValueToRfc3339(r->GetValue(3, 0)), "1969-12-31T23:59:59Z");
  EXPECT_EQ(ValueToRfc3339(r->GetValue(4, 0)), "2026-12-04T16:00:00.12Z");
  EXPECT_EQ(ValueToRfc3339(r->GetValue(5, 0)), "2026-12-04");
  EXPECT_EQ(ValueToRfc3339(r->GetValue(6, 0)), "infinity");
}

TEST(DatabaseTest, QueryEachRunsEveryStatementInOrder) {
  auto db = Database::Open("");
  ASSERT_TRUE(db.ok());
  Connection conn = Connect(**db);
  std::vector<std::string> seen;
  auto collect = [&](QueryResult& r) {
    seen.push_back(r.row_count() ? r.column_name(0) + "=" + r.GetString(0, 0) : "-");
    return Status::OK();
  };
  auto n = conn.QueryEach("SELECT 1 AS a; CREATE TABLE t(i INT); INSERT INTO t VALUES (7); SELECT i FROM t", collect);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 4u);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], "a=1");
  EXPECT_EQ(seen[3], "i=7");
  for (const char* nothing : {"", "  \n ", "-- only a comment\n", "/* block */ ;"}) {
    auto none = conn.QueryEach(nothing, collect);
    ASSERT_TRUE(none.ok()) << nothing << ": " << none.status().ToString();
    EXPECT_EQ(*none, 0u) << nothing;
  }
  // A failing statement stops the rest, after the earlier ones were handed over.
  seen.clear();
  auto bad = conn.QueryEach("SELECT 2 AS b; SELECT nope FROM t; SELECT 3 AS c", collect);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(seen, std::vector<std::string>{"b=2"});
  auto syntax = conn.QueryEach("SELEC 1", collect);
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.status().message().find("syntax error"), std::string::npos);
}

TEST(DatabaseTest, ErrorsShowTheCaretBlockOnce) {
  auto db = Database::Open("");
  ASSERT_TRUE(db.ok());
  Connection conn = Connect(**db);
  for (const char* sql : {"SELECT nope FROM range(3)", "SELECT 1 +* 2"}) {
    auto q = conn.Query(sql);
    ASSERT_FALSE(q.ok());
    const std::string& m = q.status().message();
    size_t first = m.find("LINE 1:");
    ASSERT_NE(first, std::string::npos) << m;
    EXPECT_EQ(m.find("LINE 1:", first + 1), std::string::npos) << m;
    auto each = conn.QueryEach(sql, [](QueryResult&) { return Status::OK(); });
    ASSERT_FALSE(each.ok());
    first = each.status().message().find("LINE 1:");
    ASSERT_NE(first, std::string::npos) << each.status().message();
    EXPECT_EQ(each.status().message().find("LINE 1:", first + 1), std::string::npos) << each.status().message();
  }
}

}  // namespace
}  // namespace lq::store

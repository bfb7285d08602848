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
  EXPECT_FALSE(LibraryVersion().empty());
}

}  // namespace
}  // namespace lq::store

// lq query / lq sql on the built binary: every DuckDB type printed readable and as JSON,
// several statements, empty queries, SQL errors, and --include-synced over a store whose
// folder names hold SQL.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "testing/cli_fixture.h"
#include "testing/temp_dir.h"

namespace lq::cli {
namespace {

using lq::testing::RunLq;
using lq::testing::TempDir;
namespace fs = std::filesystem;
using nlohmann::json;

class QueryCliTest : public testing::LqProjectTest {
 protected:
};

// One value of each type (issue 9): the readable form is DuckDB's VARCHAR cast, the JSON
// form is typed.
constexpr const char* kEveryType =
    "SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID AS u, [1, NULL] AS l, {'a': NULL, 'b': 'x "
    "y'} AS s, "
    "NULL::INTEGER[] AS nl, MAP {'k': 'v,w'} AS ms, MAP {1: [1, 2]} AS mi, [1, 2, 3]::INTEGER[3] "
    "AS arr, "
    "'y'::ENUM('x', 'y') AS e, TIMESTAMPTZ '2026-12-04 16:00:00+00' AS tstz, "
    "TIMESTAMPTZ '2026-12-04 16:00:00.25+00' AS tstz_frac, TIMESTAMP_NS '2026-12-04 "
    "16:00:00.123456789' AS ts_ns, "
    "TIMESTAMP_MS '2026-12-04 16:00:00.5' AS ts_ms, TIMESTAMP_S '2026-12-04 16:00:00' AS ts_s, "
    "TIMESTAMP '2026-12-04 16:00:00' AS ts, TIME '10:00:01.5' AS t, DATE '2026-12-04' AS d, "
    "170141183460469231731687303715884105727::HUGEINT AS huge, 42::HUGEINT AS huge_small, "
    "340282366920938463463374607431768211455::UHUGEINT AS uhuge, 18446744073709551615::UBIGINT AS "
    "ubig, "
    "'\\xAA\\x5C\\x27\\x22A'::BLOB AS b, INTERVAL '1 year 2 months 3 days 04:05:06.5' AS i, "
    "-0.05::DECIMAL(4, 2) AS dec, 123.456::DECIMAL(30, 10) AS dec_wide, '1010110'::BIT AS bit, "
    "'tab' || chr(9) || 'nl' || chr(10) || 'esc' || chr(27) || '[31m' AS ctl, 0.1::FLOAT AS f, "
    "'nan'::DOUBLE AS nan, [[1, 2], [], NULL] AS ll, {'in': {'x': [NULL]}} AS deep";

TEST_F(QueryCliTest, EveryTypeReadable) {
  auto r = Lq({"query", kEveryType});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* cell : {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                           "[1, NULL]",
                           "{'a': NULL, 'b': x y}",
                           "{k='v,w'}",
                           "{1=[1, 2]}",
                           "[1, 2, 3]",
                           "2026-12-04 16:00:00+00",
                           "2026-12-04 16:00:00.25+00",
                           "2026-12-04 16:00:00.123456789",
                           "2026-12-04 16:00:00.5",
                           "10:00:01.5",
                           "2026-12-04",
                           "170141183460469231731687303715884105727",
                           "340282366920938463463374607431768211455",
                           "18446744073709551615",
                           "\\xAA\\x5C\\x27\\x22A",
                           "1 year 2 months 3 days 04:05:06.5",
                           "-0.05",
                           "123.4560000000",
                           "1010110",
                           "0.1",
                           "nan",
                           "[[1, 2], [], NULL]",
                           "{'in': {'x': [NULL]}}"}) {
    EXPECT_NE(r.out.find(cell), std::string::npos) << cell << "\n" << r.out;
  }
  // Control characters never reach the terminal and never break the table's lines.
  EXPECT_NE(r.out.find("tab nl esc [31m"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  size_t lines = 0;
  for (char c : r.out) lines += c == '\n';
  EXPECT_EQ(lines, 2u) << r.out;  // header and one row
}

TEST_F(QueryCliTest, EveryTypeJson) {
  json j = Json({"query", "--json", kEveryType});
  ASSERT_TRUE(j.is_array() && j.size() == 1) << j.dump();
  const json& row = j[0];
  EXPECT_EQ(row["u"], "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(row["l"], json::parse("[1, null]"));
  EXPECT_EQ(row["s"], json::parse(R"({"a": null, "b": "x y"})"));
  EXPECT_TRUE(row["nl"].is_null());
  EXPECT_EQ(row["ms"], json::parse(R"({"k": "v,w"})"));
  EXPECT_EQ(row["mi"], json::parse(R"([{"key": 1, "value": [1, 2]}])"));
  EXPECT_EQ(row["arr"], json::parse("[1, 2, 3]"));
  EXPECT_EQ(row["e"], "y");
  EXPECT_EQ(row["tstz"], "2026-12-04T16:00:00Z");
  EXPECT_EQ(row["tstz_frac"], "2026-12-04T16:00:00.25Z");
  EXPECT_EQ(row["ts_ns"], "2026-12-04T16:00:00.123456789Z");
  EXPECT_EQ(row["ts_ms"], "2026-12-04T16:00:00.5Z");
  EXPECT_EQ(row["ts_s"], "2026-12-04T16:00:00Z");
  EXPECT_EQ(row["ts"], "2026-12-04T16:00:00Z");
  EXPECT_EQ(row["t"], "10:00:01.5");
  EXPECT_EQ(row["d"], "2026-12-04");
  EXPECT_EQ(row["huge"],
            "170141183460469231731687303715884105727");  // beyond 64 bits: exact string
  EXPECT_EQ(row["huge_small"], 42);
  EXPECT_TRUE(row["huge_small"].is_number_integer());
  EXPECT_EQ(row["uhuge"], "340282366920938463463374607431768211455");
  ASSERT_TRUE(row["ubig"].is_number_unsigned()) << row["ubig"].dump();
  EXPECT_EQ(row["ubig"].get<uint64_t>(), 18446744073709551615ULL);
  EXPECT_EQ(row["b"], "\\xAA\\x5C\\x27\\x22A");
  EXPECT_EQ(row["i"], "1 year 2 months 3 days 04:05:06.5");
  EXPECT_EQ(row["dec"], -0.05);
  EXPECT_EQ(row["dec_wide"], "123.4560000000");  // wider than 15 digits: exact string
  EXPECT_EQ(row["bit"], "1010110");
  EXPECT_EQ(row["ctl"], "tab\tnl\nesc\x1b[31m");  // JSON keeps the exact text (escaped by JSON)
  EXPECT_EQ(row["f"], 0.1);
  EXPECT_EQ(row["nan"], "nan");
  EXPECT_EQ(row["ll"], json::parse("[[1, 2], [], null]"));
  EXPECT_EQ(row["deep"], json::parse(R"({"in": {"x": [null]}})"));
}

TEST_F(QueryCliTest, UuidFollowedByNestedColumnsDoesNotCrash) {
  for (const char* sql : {"SELECT uuid() AS u, [1,2] AS l", "SELECT uuid() AS u, {'a': 1} AS s, MAP {'k': 1} AS m"}) {
    auto r = Lq({"query", sql});
    EXPECT_EQ(r.exit_code, 0) << sql << ": " << r.err;
    auto j = Lq({"query", "--json", sql});
    ASSERT_EQ(j.exit_code, 0) << sql << ": " << j.err;
    EXPECT_EQ(json::parse(j.out)[0]["u"].get<std::string>().size(), 36u);
  }
}

TEST_F(QueryCliTest, CiAndEnvironmentMapsArePrinted) {
  env_["CI"] = "true";
  env_["GITHUB_RUN_ID"] = "4242";
  env_["CC"] = "clang-test";
  ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  auto r = Lq({"query", "SELECT ci, environment FROM lq_events"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("GITHUB_RUN_ID=4242"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CC=clang-test"), std::string::npos) << r.out;
  json j = Json({"query", "--json", "SELECT ci, environment FROM lq_events"});
  ASSERT_EQ(j.size(), 1u) << j.dump();
  EXPECT_EQ(j[0]["ci"]["GITHUB_RUN_ID"], "4242");
  EXPECT_EQ(j[0]["ci"]["CI"], "true");
  EXPECT_EQ(j[0]["environment"]["CC"], "clang-test");
}

TEST_F(QueryCliTest, EveryStatementsResultIsPrinted) {
  auto r = Lq({"query", "SELECT 1 AS a; SELECT 2 AS b"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "a\n1\n\nb\n2\n");
  // --json: one array per statement, one after the other (jq reads them as a stream).
  auto j = Lq({"query", "--json", "SELECT 1 AS a; SELECT 2 AS b UNION ALL SELECT 3"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  std::istringstream in(j.out);
  std::vector<json> docs;
  json doc;
  while (in >> std::ws && in.peek() != EOF) {
    in >> doc;
    docs.push_back(doc);
  }
  ASSERT_EQ(docs.size(), 2u) << j.out;
  EXPECT_EQ(docs[0], json::parse(R"([{"a": 1}])"));
  EXPECT_EQ(docs[1], json::parse(R"([{"b": 2}, {"b": 3}])"));
  // A single statement prints a single array, as before.
  EXPECT_EQ(Json({"query", "--json", "SELECT 1 AS a"}), json::parse(R"([{"a": 1}])"));
  // A failing statement stops the rest; what ran before it is printed.
  std::string out_file = dir_ / "later.csv";
  auto bad = Lq({"query", "SELECT 1 AS first; SELECT nope; COPY (SELECT 1) TO '" + out_file + "'"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "first\n    1\n");
  EXPECT_FALSE(fs::exists(out_file));
}

TEST_F(QueryCliTest, EmptyQueryIsAUsageError) {
  for (const char* sql : {"", "   \n\t", "-- only a comment", "/* nothing */ ;"}) {
    auto r = Lq({"query", sql});
    EXPECT_EQ(r.exit_code, 2) << "'" << sql << "': " << r.out;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("lq: error: no SQL statement"), std::string::npos) << r.err;
    EXPECT_EQ(Lq({"sql", "--json", sql}).exit_code, 2) << sql;
  }
}

TEST_F(QueryCliTest, SqlErrorShowsTheCaretBlockOnce) {
  for (const char* sql : {"SELECT nope FROM lq_runs", "SELEC 1", "SELECT 1; SELECT nope FROM lq_runs"}) {
    auto r = Lq({"query", sql});
    EXPECT_EQ(r.exit_code, 2) << sql;
    size_t first = r.err.find("LINE 1:");
    ASSERT_NE(first, std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("LINE 1:", first + 1), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("lq: error:"), 0u) << r.err;
  }
}

// A store is written by other machines: its folder names are data. Nothing in them may
// run as SQL when this machine reads the store.
TEST_F(QueryCliTest, IncludeSyncedNeverRunsSqlFromFolderNames) {
  ASSERT_EQ(Lq({"exec", "-q", "--", "sh", "-c", "echo 'main.c:3:1: error: boom' >&2; exit 1"}).exit_code, 1);
  std::string store = dir_ / "store";
  ASSERT_EQ(Lq({"sync", store}).exit_code, 0);
  fs::path mine;
  for (auto& e : fs::directory_iterator(store + "/namespace=acme/project=app")) mine = e.path();
  ASSERT_FALSE(mine.empty());
  // COPY ... TO a relative path would land in the project folder, lq's working directory.
  const std::string pwn = "x'); COPY (SELECT 1) TO 'pwn.csv' (FORMAT CSV); --";
  const std::string pwn_ident = "y\"); COPY (SELECT 1) TO 'pwn2.csv'; --";
  std::string evil = store + "/namespace=" + pwn_ident + "/project=" + pwn + "/hostname=" + pwn;
  fs::create_directories(fs::path(evil).parent_path());
  fs::copy(mine, evil, fs::copy_options::recursive);

  json all = Json({"query", "--include-synced", "--store", store, "--json",
                   "SELECT namespace, project, hostname, count(*) AS runs FROM lq_runs "
                   "GROUP BY namespace, project, hostname ORDER BY namespace = 'acme'"});
  ASSERT_EQ(all.size(), 2u) << all.dump();
  EXPECT_EQ(all[0]["hostname"], pwn);  // read back as data, exactly
  EXPECT_EQ(all[0]["project"], pwn);
  EXPECT_EQ(all[0]["namespace"], pwn_ident);
  // The filters take quotes as data too.
  json only = Json({"history", "--include-synced", "--store", store, "--hostname", "x'*", "--project", pwn,
                    "--namespace", "y\"*", "--json"});
  ASSERT_EQ(only.size(), 1u) << only.dump();
  EXPECT_EQ(only[0]["hostname"], pwn);
  auto errors = Lq({"errors", "--include-synced", "--store", store, "--json"});
  EXPECT_EQ(errors.exit_code, 0) << errors.err;
  EXPECT_FALSE(fs::exists(project() + "/pwn.csv"));
  EXPECT_FALSE(fs::exists(project() + "/pwn2.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "pwn.csv"));
}

// Folder names that look like numbers stay names: DuckDB would read an all-numeric
// `project=` partition as BIGINT, and comparing it with this project's name failed.
TEST_F(QueryCliTest, IncludeSyncedKeepsNumericFolderNamesAsText) {
  ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  std::string scratch = dir_ / "scratch";
  ASSERT_EQ(Lq({"sync", scratch}).exit_code, 0);
  fs::path mine;
  for (auto& e : fs::directory_iterator(scratch + "/namespace=acme/project=app")) mine = e.path();
  ASSERT_FALSE(mine.empty());
  std::string store = dir_ / "store";
  std::string other = store + "/namespace=007/project=42/hostname=1234";
  fs::create_directories(fs::path(other).parent_path());
  fs::copy(mine, other, fs::copy_options::recursive);
  json all = Json({"query", "--include-synced", "--store", store, "--json",
                   "SELECT namespace, project, hostname FROM lq_runs ORDER BY namespace = 'acme'"});
  ASSERT_EQ(all.size(), 2u) << all.dump();
  EXPECT_EQ(all[0]["namespace"], "007");
  EXPECT_EQ(all[0]["project"], "42");
  EXPECT_EQ(all[0]["hostname"], "1234");
}

}  // namespace
}  // namespace lq::cli

#include "cli/event_display.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace lq::cli {
namespace {

TextTable Errors(const std::string& location, const std::string& message) {
  TextTable t;
  t.header = {"ref", "location", "message", "error_fingerprint"};
  t.right_aligned = {false, false, false, false};
  t.rows = {{"12:3", location, message, "0123456789abcdef"}};
  return t;
}

FitColumns ErrorColumns() {
  FitColumns f;
  f.location = 1;
  f.message = 2;
  f.droppable = 3;
  return f;
}

size_t Width(const TextTable& t) {
  size_t total = 0;
  for (size_t c = 0; c < t.header.size(); ++c) {
    size_t w = DisplayWidth(t.header[c]);
    for (const auto& row : t.rows) w = std::max(w, DisplayWidth(row[c]));
    total += w + (c ? 2 : 0);
  }
  return total;
}

TEST(FitToWidthTest, NoTerminalNoCut) {
  TextTable t = Errors("src/" + std::string(100, 'p') + "/main.c:1234:56", std::string(200, 'm'));
  TextTable before = t;
  FitToWidth(&t, 0, ErrorColumns());
  EXPECT_EQ(t.rows, before.rows);
  EXPECT_EQ(t.header, before.header);
}

TEST(FitToWidthTest, CutsTheMessageFirst) {
  TextTable t = Errors("src/main.c:12:5",
                       "a message of some length that does not fit in eighty columns here at all");
  FitToWidth(&t, 80, ErrorColumns());
  EXPECT_EQ(t.header.size(), 4u);  // the fingerprint stays: cutting the message was enough
  EXPECT_EQ(t.rows[0][1], "src/main.c:12:5");
  EXPECT_LE(Width(t), 80u);
  EXPECT_EQ(t.rows[0][2].substr(0, 12), "a message of");
  EXPECT_NE(t.rows[0][2].find("…"), std::string::npos);
}

TEST(FitToWidthTest, ThenDropsTheFingerprintThenCutsThePathFromTheLeft) {
  std::string location = "src/" + std::string(100, 'p') + "/main.c:1234:56";
  TextTable t = Errors(location, std::string(200, 'm'));
  FitToWidth(&t, 80, ErrorColumns());
  ASSERT_EQ(t.header.size(), 3u);
  EXPECT_EQ(t.header[2], "message");
  EXPECT_LE(Width(t), 80u);
  const std::string& cut = t.rows[0][1];
  EXPECT_EQ(cut.rfind("…", 0), 0u) << cut;
  EXPECT_EQ(cut.substr(cut.size() - 15), "/main.c:1234:56") << cut;  // file:line:col kept
  EXPECT_GE(DisplayWidth(t.rows[0][2]), 10u);
}

TEST(FitToWidthTest, FileLineColumnSurvivesAnyWidth) {
  TextTable t = Errors("a/very/long/path/to/some_file_with_a_long_name.cc:1234:56", "message");
  FitToWidth(&t, 20, ErrorColumns());
  EXPECT_EQ(t.rows[0][1], "…some_file_with_a_long_name.cc:1234:56");
}

TEST(FitToWidthTest, CutsAtCodePoints) {
  TextTable t = Errors("x.c:1:1", std::string("ünïcödé ") + std::string(100, 'x'));
  FitToWidth(&t, 40, ErrorColumns());
  EXPECT_EQ(t.rows[0][2].substr(0, std::string("ünïcödé").size()), "ünïcödé");
  EXPECT_LE(Width(t), 40u);
}

TEST(TerminalSafeTextTest, RemovesEscapesAndControls) {
  EXPECT_EQ(TerminalSafeText("\033]0;title\a\033[2J\033[Hx\033[1;31my\033[0m\x01z\x7f\tw"),
            "xyz\tw");
  EXPECT_EQ(TerminalSafeText("a\tb\rc\n", false), "a bc");
  EXPECT_EQ(TerminalSafeText("plain ünïcödé"), "plain ünïcödé");
}

TEST(PrintTextTableTest, AlignsAndTrims) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  Output o(out, err, /*stdout_is_tty=*/false, /*color=*/false);
  TextTable t;
  t.header = {"n", "name"};
  t.right_aligned = {true, false};
  t.rows = {{"7", "a"}, {"123", "bb"}};
  PrintTextTable(o, t);
  std::fflush(out);
  std::rewind(out);
  char buf[256] = {};
  size_t n = std::fread(buf, 1, sizeof buf - 1, out);
  EXPECT_EQ(std::string(buf, n), "n    name\n  7  a\n123  bb\n");
  std::fclose(out);
  std::fclose(err);
}

TEST(Rfc3339Test, FormatsUtcWithTheFractionOnlyWhenThereIsOne) {
  EXPECT_EQ(FormatRfc3339Utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(1733330224'000000), "2024-12-04T16:37:04Z");
  EXPECT_EQ(FormatRfc3339Utc(1733330224'120000), "2024-12-04T16:37:04.12Z");
  EXPECT_EQ(FormatRfc3339Utc(1733330224'000001), "2024-12-04T16:37:04.000001Z");
  EXPECT_EQ(FormatRfc3339Utc(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(Rfc3339FromSqlTimestamp("2024-12-04 16:37:04.12"), "2024-12-04T16:37:04.12Z");
  EXPECT_EQ(Rfc3339FromSqlTimestamp("2024-12-04 16:37:04"), "2024-12-04T16:37:04Z");
  EXPECT_EQ(Rfc3339FromSqlTimestamp("2024-12-04T16:37:04Z"), "2024-12-04T16:37:04Z");  // already
  EXPECT_EQ(Rfc3339FromSqlTimestamp("infinity"), "infinity");
}

}  // namespace
}  // namespace lq::cli

#include "core/git_config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lq {
namespace {

GitConfig ParseOrDie(std::string_view text) {
  auto config = GitConfig::Parse(text, "config");
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return config.ok() ? *config : GitConfig();
}

std::string Get(const GitConfig& config, std::string_view section, std::string_view sub,
                std::string_view key) {
  std::vector<std::string> values = config.GetAll(section, sub, key);
  return values.empty() ? "<unset>" : values.back();
}

TEST(GitConfigTest, SectionsSubsectionsAndKeyCase) {
  GitConfig c = ParseOrDie(
      "[Remote \"Origin\"]\n"
      "\tURL = a\n"
      "[remote \"origin\"]\n"
      "\turl = b\n"
      "[remote.Legacy]\n"  // deprecated form: the subsection is lower-cased
      "\turl = c\n"
      "[core] bare = true\n");  // a variable may follow the header on its line
  EXPECT_EQ(Get(c, "remote", "Origin", "url"), "a");
  EXPECT_EQ(Get(c, "remote", "origin", "url"), "b");
  EXPECT_EQ(Get(c, "remote", "legacy", "url"), "c");
  EXPECT_EQ(Get(c, "core", "", "bare"), "true");
}

TEST(GitConfigTest, ValuesCommentsQuotesAndEscapes) {
  GitConfig c = ParseOrDie(
      "# comment\n"
      "; another\n"
      "[s]\n"
      "  plain = some value   # trailing comment\n"
      "  semi = x ; comment\n"
      "  quoted = \"  # not a comment ; \"  \n"
      "  escapes = \"a\\\"b\\\\c\\td\\ne\"\n"
      "  inner = a  \t b\n"
      "  mixed = \"a\"b\" c\"\n"
      "  cont = first \\\n"
      "    second\n"
      "  bare\n"
      "  empty =\n"
      "  dash-key = 1\n");
  EXPECT_EQ(Get(c, "s", "", "plain"), "some value");
  EXPECT_EQ(Get(c, "s", "", "semi"), "x");
  EXPECT_EQ(Get(c, "s", "", "quoted"), "  # not a comment ; ");
  EXPECT_EQ(Get(c, "s", "", "escapes"), "a\"b\\c\td\ne");
  EXPECT_EQ(Get(c, "s", "", "inner"), "a  \t b");
  EXPECT_EQ(Get(c, "s", "", "mixed"), "ab c");
  EXPECT_EQ(Get(c, "s", "", "cont"), "first     second");
  EXPECT_EQ(Get(c, "s", "", "bare"), "");
  EXPECT_EQ(Get(c, "s", "", "empty"), "");
  EXPECT_EQ(Get(c, "s", "", "dash-key"), "1");
}

TEST(GitConfigTest, CrlfBomAndEscapedSubsection) {
  GitConfig c = ParseOrDie("\xEF\xBB\xBF[remote \"we\\\"ird\\\\na\\me\"]\r\n\turl = u \r\n");
  EXPECT_EQ(Get(c, "remote", "we\"ird\\name", "url"), "u");
}

TEST(GitConfigTest, IncludesAreKeptButNotFollowed) {
  GitConfig c =
      ParseOrDie("[include]\n\tpath = other.cfg\n[includeIf \"gitdir:~/w/\"]\n\tpath = w\n");
  ASSERT_EQ(c.entries().size(), 2u);
  EXPECT_EQ(c.entries()[0].section, "include");
  EXPECT_EQ(c.entries()[1].section, "includeif");
  EXPECT_EQ(c.entries()[1].subsection, "gitdir:~/w/");
}

TEST(GitConfigTest, WhatGitRejectsIsCorruption) {
  struct Case {
    const char* text;
    int line;
  };
  const Case cases[] = {
      {"key = v\n", 1},                    // no section yet
      {"[s]\n\tk = \"open\n", 2},          // unterminated quote
      {"[s]\n\tk = bad \\q escape\n", 2},  // unknown escape
      {"[s]\n\tk = \\", 2},                // backslash at the end of the file
      {"[s\n", 1},                         // unterminated header
      {"[s \"sub]\n", 1},                  // unterminated subsection
      {"[s sub]\n", 1},                    // subsection without quotes
      {"[s \"sub\" ]\n", 1},               // junk after the subsection
      {"[s_x]\n", 1},                      // bad section character
      {"[]\n", 1},                         // empty section
      {"[s]\n\n\tk v\n", 3},               // key without '='
      {"[s]\n\t1k = v\n", 2},              // key must start with a letter
  };
  for (const auto& c : cases) {
    auto parsed = GitConfig::Parse(c.text, "cfg");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().code(), Status::Code::kCorruption) << c.text;
    EXPECT_NE(parsed.status().message().find("cfg:" + std::to_string(c.line) + ":"),
              std::string::npos)
        << c.text << " -> " << parsed.status().ToString();
  }
}

TEST(GitConfigTest, ErrorsNeverEchoTheLine) {
  auto parsed = GitConfig::Parse("[remote \"o\"]\n\turl = \"https://u:SECRET@h/x\n", "cfg");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message().find("SECRET"), std::string::npos);
}

TEST(GitConfigTest, RemotesInFileOrderWithTheirFirstUrl) {
  GitConfig c = ParseOrDie(
      "[remote \"nourl\"]\n\tfetch = +refs/heads/*:refs/remotes/nourl/*\n"
      "[remote \"upstream\"]\n\turl = up1\n\turl = up2\n"
      "[remote \"empty\"]\n\turl =\n"
      "[remote \"origin\"]\n\tfetch = x\n"
      "[remote \"origin\"]\n\turl = o\n"
      "[remote \"upstream\"]\n\turl = up3\n");
  std::vector<GitRemote> remotes = c.Remotes();
  ASSERT_EQ(remotes.size(), 2u);
  EXPECT_EQ(remotes[0].name, "upstream");
  EXPECT_EQ(remotes[0].url, "up1");
  EXPECT_EQ(remotes[1].name, "origin");
  EXPECT_EQ(remotes[1].url, "o");
}

TEST(GitConfigTest, InsteadOfTakesTheLongestPrefix) {
  GitConfig c = ParseOrDie(
      "[url \"https://github.com/\"]\n\tinsteadOf = gh:\n\tInsteadOf = github:\n"
      "[url \"git@github.com:acme/\"]\n\tinsteadOf = gh:acme/\n"
      "[url \"https://first/\"]\n\tinsteadOf = dup:\n"
      "[url \"https://second/\"]\n\tinsteadOf = dup:\n"
      "[url \"https://push-only/\"]\n\tpushInsteadOf = gh:\n");
  EXPECT_EQ(c.RewriteUrl("gh:me/repo"), "https://github.com/me/repo");
  EXPECT_EQ(c.RewriteUrl("github:me/repo"), "https://github.com/me/repo");
  EXPECT_EQ(c.RewriteUrl("gh:acme/tool"), "git@github.com:acme/tool");
  EXPECT_EQ(c.RewriteUrl("dup:x"), "https://first/x");  // a tie goes to the first
  EXPECT_EQ(c.RewriteUrl("https://gitlab.com/a/b"), "https://gitlab.com/a/b");
}

}  // namespace
}  // namespace lq

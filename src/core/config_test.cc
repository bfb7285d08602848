#include "core/config.h"

#include <gtest/gtest.h>

#include "core/env.h"
#include "testing/temp_dir.h"

namespace lq {
namespace {

constexpr const char* kSeedConfig = R"(# my project
project:
  namespace: teaguesterling   # from git
  project: lq

sync:
  destination: ~/.lq/projects/  # or s3://bucket/lq/
  auto: false                   # auto-sync after each run?
  include_raw: false            # sync .lq/raw/ as well?
custom:
  keep: me
)";

TEST(ConfigTest, ParsesTheSeedShape) {
  auto f = ConfigFile::Parse(kSeedConfig, "config.yaml");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->config().namespace_, "teaguesterling");
  EXPECT_EQ(f->config().project, "lq");
  EXPECT_EQ(f->config().sync.destination, "~/.lq/projects/");
  EXPECT_FALSE(f->config().sync.auto_sync);
  EXPECT_FALSE(f->config().sync.include_raw);
}

TEST(ConfigTest, RenderedFileRoundTrips) {
  ProjectConfig c;
  c.namespace_ = "home__me";
  c.project = "weird: name #1";
  c.sync.destination = "s3://bucket/lq/";
  c.sync.auto_sync = true;
  auto f = ConfigFile::Parse(ConfigFile::Render(c), "x");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->config().namespace_, "home__me");
  // Quoted on the way out (YAML would read "weird" then a comment), made safe on the way in.
  EXPECT_EQ(f->config().project, "weird%3A%20name%20%231");
  EXPECT_EQ(f->config().sync.destination, "s3://bucket/lq/");
  EXPECT_TRUE(f->config().sync.auto_sync);
  EXPECT_FALSE(f->config().sync.include_raw);

  ProjectConfig empty;
  auto g = ConfigFile::Parse(ConfigFile::Render(empty), "x");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->config().sync.destination, "");
}

TEST(ConfigTest, SetEditsOnlyThatLineAndKeepsCommentsAndUnknownKeys) {
  auto f = ConfigFile::Parse(kSeedConfig, "config.yaml");
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->Set("project.namespace", "acme").ok());
  ASSERT_TRUE(f->Set("sync.auto", "true").ok());
  EXPECT_EQ(f->config().namespace_, "acme");
  EXPECT_TRUE(f->config().sync.auto_sync);
  std::string expected = kSeedConfig;
  expected.replace(expected.find("teaguesterling"), 14, "acme");
  expected.replace(expected.find("auto: false"), 11, "auto: true");
  EXPECT_EQ(f->text(), expected);
}

TEST(ConfigTest, SetInsertsMissingKeysAndSections) {
  auto f = ConfigFile::Parse("project:\n  namespace: a\n# tail comment\n", "c");
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->Set("project.project", "b").ok());
  ASSERT_TRUE(f->Set("sync.destination", "/srv/lq store").ok());
  EXPECT_EQ(f->config().project, "b");
  EXPECT_EQ(f->config().sync.destination, "/srv/lq store");
  EXPECT_NE(f->text().find("# tail comment"), std::string::npos);
  EXPECT_FALSE(f->Set("nodot", "x").ok());
  EXPECT_FALSE(f->Set("a.b.c", "x").ok());
}

TEST(ConfigTest, MalformedFileNamesFileAndLine) {
  auto f = ConfigFile::Parse("project:\n  namespace: a\n  project: [unclosed\n", "/p/.lq/config.yaml");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), Status::Code::kCorruption);
  EXPECT_NE(f.status().message().find("/p/.lq/config.yaml:"), std::string::npos) << f.status().message();

  auto g = ConfigFile::Parse("project:\n  namespace: a\nsync:\n  auto: maybe\n", "cfg");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("cfg:4:"), std::string::npos) << g.status().message();
  EXPECT_NE(g.status().message().find("true or false"), std::string::npos);

  EXPECT_FALSE(ConfigFile::Parse("- a\n- b\n", "cfg").ok());
  EXPECT_FALSE(ConfigFile::Parse("project: 3\n", "cfg").ok());
  EXPECT_TRUE(ConfigFile::Parse("", "cfg").ok());
}

TEST(ConfigTest, DestinationsWithSecretsAreRefused) {
  const char* bad[] = {
      "https://user:hunter2@host/bucket/",
      "s3://AKIA:SECRET@bucket/lq/",
      "https://acct.blob.core.windows.net/c?sv=2020&sig=abc",
      "https://bucket.s3.amazonaws.com/x?X-Amz-Signature=abc&X-Amz-Credential=k",
      "md:lq?motherduck_token=abc",
      "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc",
  };
  for (const char* d : bad) {
    Status s = ValidateDestination(d);
    EXPECT_FALSE(s.ok()) << d;
    EXPECT_NE(s.message().find("environment"), std::string::npos);
    EXPECT_EQ(s.message().find("hunter2"), std::string::npos);
  }
  const char* good[] = {"~/.lq/projects/", "s3://bucket/lq/", "/srv/store", "md:lq",
                        "abfss://ws@onelake.dfs.fabric.microsoft.com/lh.Lakehouse/Files/lq",
                        "https://user@host/path"};
  for (const char* d : good) EXPECT_TRUE(ValidateDestination(d).ok()) << d;

  auto f = ConfigFile::Parse("sync:\n  destination: https://u:p@h/b\n", "cfg");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("cfg:2"), std::string::npos) << f.status().message();
}

TEST(ConfigTest, SaveIsAtomicAndLoadReadsIt) {
  testing::TempDir dir;
  ProjectConfig c;
  c.namespace_ = "n";
  c.project = "p";
  std::string path = dir / "config.yaml";
  auto f = ConfigFile::Parse(ConfigFile::Render(c), path);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->Save(Env::Default(), path).ok());
  auto g = ConfigFile::Load(Env::Default(), path);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->config().project, "p");
  auto names = Env::Default()->ListDir(dir.path());
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->size(), 1u);  // no temp file left behind
  EXPECT_TRUE(ConfigFile::Load(Env::Default(), dir / "missing.yaml").status().IsNotFound());
}

// Hand-edited names that would add a key level, a "=" or "..", or be empty are read as
// their SafeName; each change is reported once per process, in one line.
TEST(ConfigTest, UnsafeHandEditedNamesAreMadeSafeAndReportedOnce) {
  std::vector<std::string> warnings;
  SetConfigWarningHandler([&warnings](const std::string& m) { warnings.push_back(m); });
  const std::string text = "project:\n  namespace: \"a/b\"\n  project: \"c=d\\n..\"\n";
  for (int i = 0; i < 2; ++i) {
    auto f = ConfigFile::Parse(text, "/p/.lq/config.yaml");
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    EXPECT_EQ(f->config().namespace_, "a%2Fb");
    EXPECT_EQ(f->config().project, "c%3Dd%0A.%2E");
  }
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "/p/.lq/config.yaml: using project.namespace 'a/b' as 'a%2Fb', project.project 'c=d\\x0a..' as "
            "'c%3Dd%0A.%2E' (names must be safe in paths and keys, docs/identity.md); write them so in the file to "
            "silence this");
  // Safe names, including escapes lq itself wrote, are kept and not reported.
  auto kept = ConfigFile::Parse("project:\n  namespace: home__me\n  project: my%20app\n", "x");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->config().project, "my%20app");
  // Empty and missing names are "_", as docs/identity.md says.
  auto empty = ConfigFile::Parse("project:\n  namespace: ''\n", "y");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->config().namespace_, "_");
  EXPECT_EQ(empty->config().project, "_");
  EXPECT_EQ(warnings.size(), 2u);
  SetConfigWarningHandler(nullptr);
  EXPECT_TRUE(ConfigFile::Parse("project:\n  namespace: 'z/z'\n", "z").ok());  // no handler: silent
  EXPECT_EQ(warnings.size(), 2u);
}

}  // namespace
}  // namespace lq

#include "core/project_identity.h"

#include <gtest/gtest.h>

#include <set>

#include "core/mem_env.h"

namespace lq {
namespace {

struct RemoteCase {
  const char* url;
  const char* ns;
  const char* project;
};

// Every remote form of docs/identity.md, plus shapes seen in the wild.
const RemoteCase kRemotes[] = {
    {"git@github.com:owner/repo.git", "owner", "repo"},
    {"git@github.com:owner/repo", "owner", "repo"},
    {"github.com:owner/repo.git", "owner", "repo"},
    {"https://github.com/owner/repo", "owner", "repo"},
    {"https://github.com/owner/repo.git", "owner", "repo"},
    {"https://github.com/owner/repo.git/", "owner", "repo"},
    {"https://github.com/owner/repo/", "owner", "repo"},
    {"http://github.com/owner/repo", "owner", "repo"},
    {"git://github.com/owner/repo.git", "owner", "repo"},
    {"ssh://git@host:2222/owner/repo.git", "owner", "repo"},
    {"ssh://git@github.com/owner/repo.git", "owner", "repo"},
    {"git+ssh://git@github.com/owner/repo.git", "owner", "repo"},
    {"ssh+git://git@github.com/owner/repo.git", "owner", "repo"},
    {"https://user:TOKEN@host/owner/repo.git", "owner", "repo"},
    {"https://x-access-token:ghs_abc@github.com/owner/repo.git", "owner", "repo"},
    {"https://oauth2:glpat-xyz@gitlab.com/group/repo.git", "group", "repo"},
    {"https://gitlab.com/group/sub/repo", "group__sub", "repo"},
    {"git@gitlab.com:group/sub/subsub/repo.git", "group__sub__subsub", "repo"},
    {"https://dev.azure.com/org/proj/_git/repo", "org__proj", "repo"},
    {"https://org@dev.azure.com/org/proj/_git/repo", "org__proj", "repo"},
    {"git@ssh.dev.azure.com:v3/org/proj/repo", "org__proj", "repo"},
    {"https://org.visualstudio.com/proj/_git/repo", "org__proj", "repo"},
    {"https://org.visualstudio.com/DefaultCollection/proj/_git/repo", "org__proj", "repo"},
    {"org@vs-ssh.visualstudio.com:v3/org/proj/repo", "org__proj", "repo"},
    {"https://bitbucket.example.com/scm/proj/repo.git", "proj", "repo"},
    {"git@bitbucket.org:team/repo.git", "team", "repo"},
    {"ssh://host/~user/repo.git", "~user", "repo"},
    {"https://host.example.com/repo", "host.example.com", "repo"},
    {"https://host.example.com:8443/repo.git", "host.example.com", "repo"},
    {"https://GitHub.com/Owner/Repo", "owner", "repo"},
    {"GIT@GITHUB.COM:Owner/Repo.GIT", "owner", "repo"},
    {"  https://github.com/owner/repo.git  \n", "owner", "repo"},
    {"https://github.com/owner/repo.git?ref=main#frag", "owner", "repo"},
    {"https://github.com/owner/my.repo.git", "owner", "my.repo"},
    {"https://[::1]:8080/owner/repo.git", "owner", "repo"},
    {"https://codeberg.org/owner/repo.git", "owner", "repo"},
};

TEST(GitRemoteTest, TableOfRemoteForms) {
  for (const auto& c : kRemotes) {
    auto id = IdentityFromRemoteUrl(c.url);
    ASSERT_TRUE(id.ok()) << c.url << ": " << id.status().ToString();
    EXPECT_EQ(id->namespace_, c.ns) << c.url;
    EXPECT_EQ(id->project, c.project) << c.url;
  }
}

TEST(GitRemoteTest, LocalRemotesFallBack) {
  for (const char* url : {"file:///srv/git/x.git", "FILE:///x", "/srv/git/x.git", "../x", "./x", "x", "C:\\x",
                          "C:/repos/x"}) {
    EXPECT_TRUE(IdentityFromRemoteUrl(url).status().IsNotFound()) << url;
  }
  EXPECT_EQ(IdentityFromRemoteUrl("").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(IdentityFromRemoteUrl("https://host/").status().code(), Status::Code::kInvalidArgument);
}

TEST(GitRemoteTest, CredentialsNeverSurvive) {
  for (const char* url : {"https://user:TOKEN@host/owner/repo.git", "https://TOKEN@host/owner/repo.git",
                          "https://host/owner/repo.git?private_token=TOKEN"}) {
    auto id = IdentityFromRemoteUrl(url);
    ASSERT_TRUE(id.ok());
    for (const std::string& field : {id->namespace_, id->project, id->remote_url}) {
      EXPECT_EQ(field.find("TOKEN"), std::string::npos) << url << " -> " << field;
    }
  }
  EXPECT_EQ(RedactUrl("https://u:p@h:1/a/b?x=1#y"), "https://h:1/a/b");
  EXPECT_EQ(RedactUrl("git@github.com:o/r.git"), "git@github.com:o/r.git");
}

TEST(GitRemoteTest, PathRule) {
  auto id = IdentityFromPath("/home/teague/Projects/myapp");
  EXPECT_EQ(id.namespace_, "home__teague__Projects");
  EXPECT_EQ(id.project, "myapp");
  EXPECT_EQ(id.source, "path");
  EXPECT_EQ(IdentityFromPath("/srv").namespace_, "root");
  EXPECT_EQ(IdentityFromPath("/srv").project, "srv");
  EXPECT_EQ(IdentityFromPath("/").project, "_");
  EXPECT_EQ(IdentityFromPath("/home/me/My Projects/app=1").namespace_, "home__me__My%20Projects");
  EXPECT_EQ(IdentityFromPath("/home/me/My Projects/app=1").project, "app%3D1");
}

TEST(SafeNameTest, HostileNamesBecomeSafe) {
  std::set<std::string> outputs;
  const std::string inputs[] = {"a/b", "=", "..", ".", "...", "a..b", "\n", "tab\there", "\x7f", "%41",
                                "héllo", "日本", "", std::string(500, 'x'), std::string(500, 'x') + "y",
                                std::string(200, '/'), "con", "a b", "a\\b"};
  for (const auto& in : inputs) {
    std::string out = SafeName(in);
    EXPECT_EQ(out.find('/'), std::string::npos) << in;
    EXPECT_EQ(out.find('='), std::string::npos) << in;
    EXPECT_NE(out, "..");
    EXPECT_NE(out, ".");
    EXPECT_LE(out.size(), 120u) << in;
    for (unsigned char c : out) EXPECT_TRUE(c >= 0x21 && c < 0x7f) << in;
    outputs.insert(out);
  }
  EXPECT_EQ(outputs.size(), std::size(inputs));  // distinct in, distinct out
  EXPECT_EQ(SafeName("owner"), "owner");
  EXPECT_EQ(SafeName("my-repo_1.2+x~y@z"), "my-repo_1.2+x~y@z");
  EXPECT_EQ(SafeName("a/b"), "a%2Fb");
  EXPECT_EQ(SafeName(".."), "%2E%2E");
  EXPECT_EQ(SafeName(""), "_");
  EXPECT_EQ(SafeName("é"), "%C3%A9");
}

TEST(GitConfigTest, RemotesInsteadOfAndQuoting) {
  const char* text =
      "[core]\n\tbare = false\n"
      "[remote \"upstream\"]\n\turl = git@github.com:up/repo.git\n"
      "; a comment\n"
      "[Remote \"origin\"]\n\tURL = \"gh:me/repo\" # trailing comment\n\turl = https://mirror/x/y\n"
      "[url \"git@github.com:\"]\n\tinsteadOf = gh:\n"
      "[remote.legacy]\n\turl = https://h/a/b\n";
  auto remotes = ParseGitRemotes(text);
  ASSERT_EQ(remotes.size(), 3u);
  EXPECT_EQ(remotes[0].name, "upstream");
  EXPECT_EQ(remotes[1].name, "origin");
  EXPECT_EQ(remotes[1].url, "git@github.com:me/repo");
  EXPECT_EQ(remotes[2].name, "legacy");
}

void Write(MemEnv* env, const std::string& path, const std::string& text) {
  ASSERT_TRUE(CreateDirs(env, std::string(DirName(path))).ok());
  ASSERT_TRUE(WriteFileAtomically(env, path, text).ok());
}

TEST(ProjectIdentityTest, OriginPreferredElseFirstRemoteElsePath) {
  MemEnv env;
  Write(&env, "/p/.git/config",
        "[remote \"upstream\"]\n\turl = https://github.com/up/repo\n[remote \"origin\"]\n\turl = "
        "https://github.com/me/fork\n");
  auto id = DetectProjectIdentity(&env, "/p");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->namespace_, "me");
  EXPECT_EQ(id->source, "git-remote:origin");

  Write(&env, "/q/.git/config", "[remote \"upstream\"]\n\turl = https://github.com/up/repo\n");
  EXPECT_EQ(DetectProjectIdentity(&env, "/q")->namespace_, "up");

  Write(&env, "/r/.git/config", "[core]\n\tbare = false\n");
  EXPECT_EQ(DetectProjectIdentity(&env, "/r")->source, "path");

  Write(&env, "/s/.git/config", "[remote \"origin\"]\n\turl = /srv/git/s.git\n");
  auto local = DetectProjectIdentity(&env, "/s");
  EXPECT_EQ(local->source, "path");
  EXPECT_EQ(local->namespace_, "root");
  EXPECT_EQ(local->project, "s");

  ASSERT_TRUE(CreateDirs(&env, "/home/u/Projects/app").ok());
  EXPECT_EQ(DetectProjectIdentity(&env, "/home/u/Projects/app")->namespace_, "home__u__Projects");
}

TEST(ProjectIdentityTest, WorktreesAndSubmodulesReadTheRightConfig) {
  MemEnv env;
  Write(&env, "/main/.git/config", "[remote \"origin\"]\n\turl = git@github.com:acme/main.git\n");
  Write(&env, "/main/.git/worktrees/wt/commondir", "../..\n");
  Write(&env, "/wt/.git", "gitdir: /main/.git/worktrees/wt\n");
  auto wt = DetectProjectIdentity(&env, "/wt");
  ASSERT_TRUE(wt.ok());
  EXPECT_EQ(wt->project, "main");

  Write(&env, "/main/.git/modules/lib/config", "[remote \"origin\"]\n\turl = https://github.com/acme/lib.git\n");
  Write(&env, "/main/lib/.git", "gitdir: ../.git/modules/lib\n");
  ASSERT_TRUE(CreateDirs(&env, "/main/lib/src").ok());
  auto sub = DetectProjectIdentity(&env, "/main/lib/src");
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(sub->project, "lib");
}

}  // namespace
}  // namespace lq

#include "core/project_identity.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "core/env.h"
#include "testing/temp_dir.h"

namespace lq {
namespace {

using ::lq::testing::TempDir;
using ::lq::testing::WriteFileOrDie;

struct RemoteCase {
  const char* url;
  const char* ns;
  const char* project;
};

// Every form of the brief and docs/identity.md, plus forms seen in the wild.
const RemoteCase kRemoteForms[] = {
    // scp-like: [user@]host:path
    {"git@github.com:owner/repo.git", "owner", "repo"},
    {"git@github.com:owner/repo", "owner", "repo"},
    {"git@github.com:owner/repo.git/", "owner", "repo"},
    {"github.com:owner/repo.git", "owner", "repo"},
    {"gh:owner/repo", "owner", "repo"},  // an ~/.ssh/config Host alias
    {"deploy@git.example.com:team/app.git", "team", "app"},
    {"git@bitbucket.org:team/repo.git", "team", "repo"},
    {"git@git.example.com:/srv/git/repo.git", "srv__git", "repo"},
    // scheme URLs
    {"https://github.com/owner/repo", "owner", "repo"},
    {"https://github.com/owner/repo.git", "owner", "repo"},
    {"https://github.com/owner/repo.git/", "owner", "repo"},
    {"https://github.com/owner/repo/", "owner", "repo"},
    {"https://github.com//owner//repo.git", "owner", "repo"},
    {"http://github.com/owner/repo", "owner", "repo"},
    {"git://github.com/owner/repo.git", "owner", "repo"},
    {"ssh://git@github.com/owner/repo.git", "owner", "repo"},
    {"ssh://git@host:2222/owner/repo.git", "owner", "repo"},
    {"git+ssh://git@github.com/owner/repo.git", "owner", "repo"},
    {"ssh+git://git@github.com/owner/repo.git", "owner", "repo"},
    {"ftps://host.example/owner/repo.git", "owner", "repo"},
    {"https://codeberg.org/owner/repo.git", "owner", "repo"},
    {"https://github.com/owner/repo.git?ref=main#readme", "owner", "repo"},
    {"https://[::1]:8080/owner/repo.git", "owner", "repo"},
    {"ssh://git@[2001:db8::1]:22/owner/repo.git", "owner", "repo"},
    {"git@[::1]:owner/repo.git", "owner", "repo"},
    // credentials are ignored
    {"https://user:TOKEN@host/owner/repo.git", "owner", "repo"},
    {"https://x-access-token:ghs_abc@github.com/owner/repo.git", "owner", "repo"},
    {"https://oauth2:glpat-xyz@gitlab.com/group/repo.git", "group", "repo"},
    // remote helpers
    {"persistent-https::https://host.example/owner/repo", "owner", "repo"},
    // GitLab subgroups
    {"https://gitlab.com/group/sub/repo", "group__sub", "repo"},
    {"git@gitlab.com:group/sub/subsub/repo.git", "group__sub__subsub", "repo"},
    {"https://gitlab.com/scm/sub/repo", "scm__sub", "repo"},  // "scm" is a group there
    // Azure DevOps
    {"https://dev.azure.com/org/proj/_git/repo", "org__proj", "repo"},
    {"https://org@dev.azure.com/org/proj/_git/repo", "org__proj", "repo"},
    {"git@ssh.dev.azure.com:v3/org/proj/repo", "org__proj", "repo"},
    {"ssh://git@ssh.dev.azure.com:22/v3/org/proj/repo", "org__proj", "repo"},
    {"https://org.visualstudio.com/proj/_git/repo", "org__proj", "repo"},
    {"https://org.visualstudio.com/DefaultCollection/proj/_git/repo", "org__proj", "repo"},
    {"org@vs-ssh.visualstudio.com:v3/org/proj/repo", "org__proj", "repo"},
    {"ssh://org@org.visualstudio.com:22/DefaultCollection/proj/_git/repo", "org__proj", "repo"},
    {"https://dev.azure.com/org/_git/repo", "org__repo", "repo"},
    {"https://org.visualstudio.com/_git/repo", "org__repo", "repo"},
    {"https://dev.azure.com/Org/My%20Project/_git/My%20Repo", "org__my%20project", "my%20repo"},
    {"git@ssh.dev.azure.com:v3/Org/My%20Project/My%20Repo", "org__my%20project", "my%20repo"},
    {"https://tfs.example.com/tfs/Coll/proj/_git/repo", "tfs__coll__proj", "repo"},
    // Bitbucket Data Center / Server (https has /scm/, ssh does not)
    {"https://bitbucket.example.com/scm/proj/repo.git", "proj", "repo"},
    {"https://host.example/bitbucket/scm/proj/repo.git", "proj", "repo"},
    {"ssh://git@bitbucket.example.com:7999/proj/repo.git", "proj", "repo"},
    {"https://bitbucket.example.com/scm/~user/repo.git", "~user", "repo"},
    // ~user paths (ssh, git://, scp-like), sourcehut
    {"ssh://host/~user/repo.git", "~user", "repo"},
    {"git://host/~user/repo.git", "~user", "repo"},
    {"host:~user/repo.git", "~user", "repo"},
    {"git@host:/~user/repo.git", "~user", "repo"},
    {"https://git.sr.ht/~user/repo", "~user", "repo"},
    // AWS CodeCommit, Gerrit on googlesource
    {"https://git-codecommit.us-east-1.amazonaws.com/v1/repos/MyRepo",
     "git-codecommit.us-east-1.amazonaws.com", "myrepo"},
    {"ssh://git-codecommit.us-east-1.amazonaws.com/v1/repos/myrepo",
     "git-codecommit.us-east-1.amazonaws.com", "myrepo"},
    {"codecommit::us-east-1://MyRepo", "git-codecommit.us-east-1.amazonaws.com", "myrepo"},
    {"codecommit::us-east-1://profile@myrepo", "git-codecommit.us-east-1.amazonaws.com", "myrepo"},
    {"https://chromium.googlesource.com/chromium/src", "chromium", "src"},
    {"https://chromium.googlesource.com/a/chromium/src", "chromium", "src"},
    // one path segment: the host names the namespace
    {"https://host.example.com/repo", "host.example.com", "repo"},
    {"https://Host.Example.com:8443/repo.git", "host.example.com", "repo"},
    {"git@host.example.com:repo.git", "host.example.com", "repo"},
    {"https://gist.github.com/0123abcd.git", "gist.github.com", "0123abcd"},
    // case, whitespace, ".git" only at the end
    {"https://GitHub.com/Owner/Repo", "owner", "repo"},
    {"GIT@GITHUB.COM:Owner/Repo.GIT", "owner", "repo"},
    {"  https://github.com/owner/repo.git \t\n", "owner", "repo"},
    {"https://github.com/owner/repo.github.io", "owner", "repo.github.io"},
    {"https://github.com/owner/my.repo.git", "owner", "my.repo"},
    {"https://host.example/owner.git/repo", "owner.git", "repo"},
    {"https://host.example/owner/repo/.git", "owner", "repo"},
    // hostile segments still give safe names
    {"https://host.example/own%2Fer/re=po", "own%2Fer", "re%3Dpo"},
    {"https://host.example/a/../repo", "a__.%2E", "repo"},
};

TEST(GitRemoteUrlTest, TableOfRemoteForms) {
  for (const auto& c : kRemoteForms) {
    auto id = IdentityFromRemoteUrl(c.url);
    ASSERT_TRUE(id.ok()) << c.url << ": " << id.status().ToString();
    EXPECT_EQ(id->namespace_, c.ns) << c.url;
    EXPECT_EQ(id->project, c.project) << c.url;
    EXPECT_EQ(id->source, "git-remote:") << c.url;
  }
}

TEST(GitRemoteUrlTest, LocalRemotesAreNotFound) {
  for (const char* url :
       {"file:///srv/git/x.git", "FILE:///x", "file:/srv/x", "/srv/git/x.git", "../x", "./x", ".",
        "x", "~/x", "dir/with:colon", "C:\\x", "C:/repos/x", "\\\\server\\share\\x"}) {
    EXPECT_TRUE(IdentityFromRemoteUrl(url).status().IsNotFound()) << url;
  }
}

TEST(GitRemoteUrlTest, UnreadableRemotesAreInvalidArgument) {
  for (const char* url :
       {"", "   \n", "https://host.example", "https://host.example/", "https://host.example/.git",
        "git@host.example:", "git@host.example:/", "https:///owner/repo",
        "ssh://git@host:port/owner/repo", "ssh://git@[::1/owner/repo", "codecommit://repo"}) {
    EXPECT_EQ(IdentityFromRemoteUrl(url).status().code(), Status::Code::kInvalidArgument) << url;
  }
}

TEST(GitRemoteUrlTest, CredentialsNeverReachAnyField) {
  for (const char* url :
       {"https://user:TOKEN@host.example/owner/repo.git", "https://TOKEN@github.com/owner/repo",
        "https://oauth2:TOKEN@gitlab.com/g/s/repo.git?private_token=TOKEN#TOKEN",
        "ssh://user:TOKEN@host.example:22/owner/repo",
        "persistent-https::https://u:TOKEN@host.example/owner/repo"}) {
    auto id = IdentityFromRemoteUrl(url);
    ASSERT_TRUE(id.ok()) << url;
    for (const std::string& field : {id->namespace_, id->project, id->source, id->remote_url}) {
      EXPECT_EQ(field.find("TOKEN"), std::string::npos) << url << " -> " << field;
      EXPECT_EQ(field.find("token"), std::string::npos) << url << " -> " << field;
    }
  }
  // A URL missing its scheme must not turn its secret into a host or namespace.
  auto schemeless = IdentityFromRemoteUrl("oauth2:TOKEN@gitlab.com/owner/repo");
  EXPECT_EQ(schemeless.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(schemeless.status().message().find("TOKEN"), std::string::npos);
}

TEST(GitRemoteUrlTest, RemoteUrlIsRedacted) {
  auto id = IdentityFromRemoteUrl(" https://user:TOKEN@GitHub.com/Owner/Repo.git?x=1 ");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->remote_url, "https://GitHub.com/Owner/Repo.git");
  EXPECT_EQ(IdentityFromRemoteUrl("git@github.com:o/r.git")->remote_url, "git@github.com:o/r.git");
}

TEST(GitRemoteUrlTest, RedactUrl) {
  EXPECT_EQ(RedactUrl("https://u:p@h:1/a/b?x=1#y"), "https://h:1/a/b");
  EXPECT_EQ(RedactUrl("https://u:p@h"), "https://h");
  EXPECT_EQ(RedactUrl("https://u:p@h?q"), "https://h");
  EXPECT_EQ(RedactUrl("https://u:p@ss@h/x"), "https://h/x");
  EXPECT_EQ(RedactUrl("ssh://git@h:22/x"), "ssh://h:22/x");
  EXPECT_EQ(RedactUrl("https://h/a@b/c"), "https://h/a@b/c");  // '@' in the path stays
  EXPECT_EQ(RedactUrl("persistent-https::https://u:p@h/x"), "persistent-https::https://h/x");
  EXPECT_EQ(RedactUrl("git@github.com:o/r.git"), "git@github.com:o/r.git");
  EXPECT_EQ(RedactUrl("oauth2:secret@gitlab.com/o/r"), "gitlab.com/o/r");
  EXPECT_EQ(RedactUrl("/srv/git/x.git"), "/srv/git/x.git");
  EXPECT_EQ(RedactUrl("  https://h/x \n"), "https://h/x");
}

TEST(ProjectIdentityTest, PathRule) {
  ProjectIdentity id = IdentityFromPath("/home/teague/Projects/myapp");
  EXPECT_EQ(id.namespace_, "home__teague__Projects");
  EXPECT_EQ(id.project, "myapp");
  EXPECT_EQ(id.source, "path");
  EXPECT_EQ(id.remote_url, "");

  EXPECT_EQ(IdentityFromPath("/srv").namespace_, "root");
  EXPECT_EQ(IdentityFromPath("/srv").project, "srv");
  EXPECT_EQ(IdentityFromPath("/").namespace_, "root");
  EXPECT_EQ(IdentityFromPath("/").project, "_");
  EXPECT_EQ(IdentityFromPath("//home//me/./x/../app/").namespace_, "home__me");
  EXPECT_EQ(IdentityFromPath("//home//me/./x/../app/").project, "app");
  EXPECT_EQ(IdentityFromPath("/Home/Me/App").namespace_, "Home__Me");  // case kept
  ProjectIdentity hostile = IdentityFromPath("/home/me/My Projects/app=1");
  EXPECT_EQ(hostile.namespace_, "home__me__My%20Projects");
  EXPECT_EQ(hostile.project, "app%3D1");
  EXPECT_EQ(IdentityFromPath("/home/me/.../x").namespace_, "home__me__.%2E%2E");
}

TEST(SafeNameTest, KeepsSafeBytesAndEscapesTheRest) {
  EXPECT_EQ(SafeName("owner"), "owner");
  EXPECT_EQ(SafeName("my-repo_1.2+x~y@Z"), "my-repo_1.2+x~y@Z");
  EXPECT_EQ(SafeName("a/b"), "a%2Fb");
  EXPECT_EQ(SafeName("k=v"), "k%3Dv");
  EXPECT_EQ(SafeName("100%"), "100%25");
  EXPECT_EQ(SafeName("a b"), "a%20b");
  EXPECT_EQ(SafeName("\n"), "%0A");
  EXPECT_EQ(SafeName("\x7f"), "%7F");
  EXPECT_EQ(SafeName("é"), "%C3%A9");
  EXPECT_EQ(SafeName(""), "_");
  EXPECT_EQ(SafeName("."), "%2E");
  EXPECT_EQ(SafeName(".."), "%2E%2E");
  EXPECT_EQ(SafeName("a..b"), "a.%2Eb");
  EXPECT_EQ(SafeName(".hidden"), ".hidden");
  EXPECT_EQ(SafeName(std::string_view("a\0b", 3)), "a%00b");
}

TEST(SafeNameTest, LongNamesAreCutWithAStableHash) {
  std::string long_name(500, 'x');
  std::string out = SafeName(long_name);
  ASSERT_EQ(out.size(), 120u);
  EXPECT_EQ(out.substr(0, 104), std::string(103, 'x') + "~");
  EXPECT_EQ(out, SafeName(long_name));  // stable
  EXPECT_NE(out, SafeName(long_name + "y"));
  EXPECT_EQ(SafeName(std::string(120, 'x')), std::string(120, 'x'));  // at the limit: kept
  // The cut never splits an escape: 102 safe bytes then "/" would put "%2F" across byte 103.
  std::string escaped = SafeName(std::string(102, 'a') + std::string(50, '/'));
  EXPECT_EQ(escaped.substr(0, 103), std::string(102, 'a') + "~");
}

TEST(SafeNameTest, HostileNamesBecomeSafeAndStayDistinct) {
  std::vector<std::string> inputs = {"a/b",
                                     "a%2Fb",
                                     "=",
                                     "..",
                                     ".",
                                     "...",
                                     "a..b",
                                     "a.%2Eb",
                                     "\n",
                                     "\r\n",
                                     "tab\there",
                                     "\x01",
                                     "\x7f",
                                     "%41",
                                     "A",
                                     "héllo",
                                     "日本",
                                     "",
                                     "../../etc/passwd",
                                     "a b",
                                     "a\\b",
                                     "con",
                                     "x=1/y=2",
                                     "~",
                                     "@",
                                     "-"};
  inputs.push_back(std::string(500, 'x'));
  inputs.push_back(std::string(500, 'x') + "y");
  inputs.push_back(std::string(200, '/'));
  inputs.push_back(std::string(200, '.'));
  std::set<std::string> outputs;
  for (const auto& in : inputs) {
    std::string out = SafeName(in);
    EXPECT_FALSE(out.empty()) << in;
    EXPECT_LE(out.size(), 120u) << in;
    EXPECT_EQ(out.find('/'), std::string::npos) << in;
    EXPECT_EQ(out.find('='), std::string::npos) << in;
    EXPECT_EQ(out.find(".."), std::string::npos) << in;
    for (unsigned char c : out) EXPECT_TRUE(c > 0x20 && c < 0x7f) << in;
    outputs.insert(out);
  }
  EXPECT_EQ(outputs.size(), inputs.size());  // distinct inputs, distinct outputs
}

// A repository laid out on disk under a temp dir. Paths are relative to it.
class ProjectIdentityRepoTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& rel) const { return tmp_ / rel; }
  void Write(const std::string& rel, const std::string& text) const {
    WriteFileOrDie(Path(rel), text);
  }
  void MakeDir(const std::string& rel) const {
    ASSERT_TRUE(CreateDirs(Env::Default(), Path(rel)).ok());
  }
  Result<ProjectIdentity> Detect(const std::string& rel) const {
    return DetectProjectIdentity(Env::Default(), Path(rel));
  }
  TempDir tmp_;
};

TEST_F(ProjectIdentityRepoTest, NoRepositoryUsesThePathRule) {
  MakeDir("Projects/app");
  auto id = Detect("Projects/app");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->source, "path");
  EXPECT_EQ(id->project, "app");
  EXPECT_EQ(id->namespace_, IdentityFromPath(Path("Projects/app")).namespace_);
}

TEST_F(ProjectIdentityRepoTest, OriginIsPreferredOverAnEarlierRemote) {
  Write("p/.git/config",
        "[core]\n\trepositoryformatversion = 0\n"
        "[remote \"upstream\"]\n\turl = https://github.com/up/repo\n"
        "[remote \"origin\"]\n\turl = https://user:TOKEN@github.com/Me/Fork.git\n");
  MakeDir("p/src/deep");
  auto id = Detect("p/src/deep");  // found by walking up
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->namespace_, "me");
  EXPECT_EQ(id->project, "fork");
  EXPECT_EQ(id->source, "git-remote:origin");
  EXPECT_EQ(id->remote_url, "https://github.com/Me/Fork.git");
}

TEST_F(ProjectIdentityRepoTest, FirstRemoteWithAUrlWhenThereIsNoOrigin) {
  Write("p/.git/config",
        "[remote \"zeta\"]\n\tfetch = +refs/heads/*:refs/remotes/zeta/*\n"
        "[remote \"mirror\"]\n\turl = git@gitlab.com:group/sub/repo.git\n"
        "[remote \"alpha\"]\n\turl = https://github.com/a/b\n");
  auto id = Detect("p");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->namespace_, "group__sub");
  EXPECT_EQ(id->project, "repo");
  EXPECT_EQ(id->source, "git-remote:mirror");
}

TEST_F(ProjectIdentityRepoTest, NoUsableRemoteUsesThePathRule) {
  Write("none/.git/config", "[core]\n\tbare = false\n");
  Write("local/.git/config", "[remote \"origin\"]\n\turl = /srv/git/local.git\n");
  Write("file/.git/config", "[remote \"origin\"]\n\turl = file:///srv/git/file.git\n");
  Write("bad/.git/config", "[remote \"origin\"]\n\turl = https://host.example/\n");
  MakeDir("noconfig/.git");
  for (const char* dir : {"none", "local", "file", "bad", "noconfig"}) {
    auto id = Detect(dir);
    ASSERT_TRUE(id.ok()) << dir << ": " << id.status().ToString();
    EXPECT_EQ(id->source, "path") << dir;
    EXPECT_EQ(id->project, dir);
    EXPECT_EQ(id->remote_url, "") << dir;
  }
}

TEST_F(ProjectIdentityRepoTest, InsteadOfIsApplied) {
  Write("p/.git/config",
        "[url \"https://github.com/\"]\n\tinsteadOf = gh:\n"
        "[remote \"origin\"]\n\turl = gh:Acme/Tool.git\n");
  auto id = Detect("p");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->namespace_, "acme");
  EXPECT_EQ(id->project, "tool");
  EXPECT_EQ(id->remote_url, "https://github.com/Acme/Tool.git");
}

TEST_F(ProjectIdentityRepoTest, WorktreeReadsTheMainRepositoryConfig) {
  Write("main/.git/config", "[remote \"origin\"]\n\turl = git@github.com:acme/main.git\n");
  Write("main/.git/worktrees/wt/HEAD", "ref: refs/heads/feature\n");
  Write("main/.git/worktrees/wt/commondir", "../..\n");
  Write("wt/.git", "gitdir: " + Path("main/.git/worktrees/wt") + "\n");
  Write("wt2/.git", "gitdir: ../main/.git/worktrees/wt\n");  // relative to the .git file's dir
  for (const char* dir : {"wt", "wt2"}) {
    auto id = Detect(dir);
    ASSERT_TRUE(id.ok()) << dir << ": " << id.status().ToString();
    EXPECT_EQ(id->namespace_, "acme") << dir;
    EXPECT_EQ(id->project, "main") << dir;
  }
}

TEST_F(ProjectIdentityRepoTest, SubmoduleReadsItsOwnConfig) {
  Write("super/.git/config", "[remote \"origin\"]\n\turl = https://github.com/acme/super.git\n");
  Write("super/.git/modules/lib/config",
        "[remote \"origin\"]\n\turl = https://github.com/vendor/lib.git\n");
  Write("super/lib/.git", "gitdir: ../.git/modules/lib\n");
  MakeDir("super/lib/src");
  auto id = Detect("super/lib/src");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->namespace_, "vendor");
  EXPECT_EQ(id->project, "lib");
  auto super = Detect("super");
  ASSERT_TRUE(super.ok());
  EXPECT_EQ(super->project, "super");
}

TEST_F(ProjectIdentityRepoTest, BrokenRepositoryIsAnErrorNotAPathIdentity) {
  Write("p/.git/config", "[remote \"origin\"]\n\turl = \"https://github.com/a/b\n");
  auto id = Detect("p");
  EXPECT_EQ(id.status().code(), Status::Code::kCorruption);
  EXPECT_NE(id.status().message().find("config:2"), std::string::npos) << id.status().ToString();
}

// Names read back from files people edit: safe ones are kept as they are (so what lq wrote
// is never encoded twice), anything else goes through SafeName.
TEST(SafeNameOfTest, KeepsSafeNamesAndEncodesTheRest) {
  for (const char* safe : {"acme", "home__me__src", "my%20app", "a.b", "v1.2+x~y@z-w_", "%2E%2E", ".hidden",
                           "_"}) {
    EXPECT_TRUE(IsSafeName(safe)) << safe;
    EXPECT_EQ(SafeNameOf(safe), safe);
  }
  for (const char* unsafe : {"", ".", "..", "a..b", "a/b", "c=d", "50%", "%2f", "%G1", "a b", "\xc3\xa9", "x\ny"}) {
    EXPECT_FALSE(IsSafeName(unsafe)) << unsafe;
    EXPECT_EQ(SafeNameOf(unsafe), SafeName(unsafe)) << unsafe;
    EXPECT_TRUE(IsSafeName(SafeName(unsafe))) << unsafe;
  }
  std::string long_name(121, 'a');
  EXPECT_FALSE(IsSafeName(long_name));
  EXPECT_EQ(SafeNameOf(long_name).size(), 120u);
  // Every SafeName result is recognised as safe, so SafeNameOf is idempotent on them.
  for (const std::string& name : {std::string("a/b"), std::string(300, '/'), std::string("...."), std::string("%")}) {
    EXPECT_EQ(SafeNameOf(SafeName(name)), SafeName(name)) << name;
  }
}

}  // namespace
}  // namespace lq

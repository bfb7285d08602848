// End-to-end: lq sync to a local central store, and --include-synced queries.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "testing/service.h"
#include "testing/cli_fixture.h"
#include "testing/temp_dir.h"

namespace lq::cli {
namespace {

using lq::testing::ReadFileOrDie;
using lq::testing::RunLq;
using lq::testing::TempDir;
using lq::testing::WriteFileOrDie;
namespace fs = std::filesystem;
using nlohmann::json;

class SyncCliTest : public testing::LqProjectTest {
 protected:
  std::string store() { return dir_ / "store"; }
  int Parquets(const std::string& root) {
    int n = 0;
    if (!fs::exists(root)) return 0;
    for (auto& e : fs::recursive_directory_iterator(root)) n += e.path().extension() == ".parquet";
    return n;
  }
};

TEST_F(SyncCliTest, CopiesIncrementallyAndDryRunMatchesApply) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  json dry = Json({"sync", store(), "--dry-run", "--json"});
  EXPECT_EQ(dry["planned"], 3);
  EXPECT_EQ(dry["would_copy"].size(), 3u);
  EXPECT_FALSE(fs::exists(store() + "/namespace=acme"));
  json first = Json({"sync", store(), "--json"});
  EXPECT_EQ(first["copied"], 3);
  EXPECT_EQ(first["planned"], dry["planned"]);
  EXPECT_GT(first["bytes"].get<int64_t>(), 0);
  std::string key = dry["would_copy"][0];
  EXPECT_TRUE(fs::exists(store() + "/" + key)) << key;
  EXPECT_EQ(key.rfind("namespace=acme/project=app/hostname=", 0), 0u) << key;
  json again = Json({"sync", store(), "--json"});
  EXPECT_EQ(again["copied"], 0);
  EXPECT_EQ(again["skipped"], 3);
  ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  json third = Json({"sync", store(), "--json"});
  EXPECT_EQ(third["copied"], 1);
  json status = Json({"sync", store(), "--status", "--json"});
  EXPECT_EQ(status["pending"], 0);
  EXPECT_EQ(status["synced"], 4);
  json forced = Json({"sync", store(), "--force", "--json"});
  EXPECT_EQ(forced["copied"], 4);
}

// Folders whose mtime is older than the last sync are taken from the manifest without
// listing them: new, pruned and --delete'd runs must still be seen.
TEST_F(SyncCliTest, SettledFoldersStillSeeNewAndDeletedRuns) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  auto age_folders = [&] {  // as if the runs were made a minute ago
    ASSERT_EQ(Lq({"history"}).exit_code, 0);  // turns spooled runs into run files first
    auto old = fs::file_time_type::clock::now() - std::chrono::minutes(1);
    for (auto& e : fs::recursive_directory_iterator(project() + "/.lq/logs")) {
      if (e.is_directory()) fs::last_write_time(e.path(), old);
    }
  };
  age_folders();
  EXPECT_EQ(Json({"sync", store(), "--json"})["copied"], 3);
  EXPECT_EQ(Json({"sync", store(), "--json"})["skipped"], 3);
  int settled = 0;  // the manifest now knows the run folder as settled
  for (auto& e : fs::directory_iterator(home_.path() + "/sync")) {
    if (e.path().extension() != ".manifest") continue;
    std::string text = ReadFileOrDie(e.path());
    for (size_t at = 0; (at = text.find("\nd", at)) != std::string::npos; ++at) ++settled;
    settled += text.rfind("d", 0) == 0;
  }
  EXPECT_EQ(settled, 1);
  json status = Json({"sync", store(), "--status", "--json"});
  EXPECT_EQ(status["synced"], 3);

  ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);  // same date= and source= folder
  json dry = Json({"sync", store(), "--dry-run", "--json"});
  ASSERT_EQ(dry["would_copy"].size(), 1u);
  EXPECT_EQ(Json({"sync", store(), "--json"})["copied"], 1);
  age_folders();
  EXPECT_EQ(Json({"sync", store(), "--json"})["skipped"], 4);

  std::string gone = store() + "/" + dry["would_copy"][0].get<std::string>();
  ASSERT_TRUE(fs::exists(gone));
  std::string local_run;
  for (auto& e : fs::recursive_directory_iterator(project() + "/.lq/logs")) {
    if (e.path().filename() == fs::path(gone).filename()) local_run = e.path();
  }
  ASSERT_FALSE(local_run.empty());
  fs::remove(local_run);
  age_folders();
  json kept = Json({"sync", store(), "--json"});
  EXPECT_EQ(kept["deleted"], 0);
  EXPECT_TRUE(fs::exists(gone));  // never deleted without --delete
  json mirrored = Json({"sync", store(), "--delete", "--json"});
  EXPECT_EQ(mirrored["deleted"], 1);
  EXPECT_FALSE(fs::exists(gone));
  EXPECT_EQ(Json({"sync", store(), "--json"})["skipped"], 3);
  EXPECT_EQ(Parquets(store()), 3);
}

// A store wiped (or replaced by an empty one) since the last sync: the manifest says
// everything was synced, the store's missing marker says otherwise.
TEST_F(SyncCliTest, AWipedStoreIsFilledAgain) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  EXPECT_EQ(Json({"sync", store(), "--json"})["copied"], 3);
  fs::remove_all(store());
  EXPECT_EQ(Json({"sync", store(), "--status", "--json"})["pending"], 3);
  EXPECT_EQ(Json({"sync", store(), "--json"})["copied"], 3);
  EXPECT_EQ(Parquets(store()), 3);
  // A store that lost only its marker (or was written by an older lq) is adopted as it
  // is: nothing copied twice.
  for (auto& e : fs::recursive_directory_iterator(store())) {
    if (e.path().filename() == ".lq-synced") fs::remove(e.path());
  }
  json adopted = Json({"sync", store(), "--json"});
  EXPECT_EQ(adopted["copied"], 0);
  EXPECT_EQ(adopted["adopted"], 3);
  EXPECT_EQ(Json({"sync", store(), "--json"})["skipped"], 3);
}

// lq sync to S3 (s3rver on 127.0.0.1), credentials and endpoint from the environment as
// the aws cli takes them.
TEST_F(SyncCliTest, SyncsToS3) {
  TempDir s3dir;
  std::string endpoint;
  auto s3rver = lq::testing::StartS3rver(s3dir.path(), "lq-bucket", &endpoint);
  ASSERT_NE(s3rver, nullptr) << "s3rver did not start";
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  env_["AWS_SHARED_CREDENTIALS_FILE"] = s3dir.path() + "/no-credentials";  // not the machine's own
  env_["AWS_CONFIG_FILE"] = s3dir.path() + "/no-config";
  auto no_creds = Lq({"sync", "s3://lq-bucket/lq"});
  EXPECT_NE(no_creds.exit_code, 0);
  EXPECT_NE(no_creds.err.find("AWS_ACCESS_KEY_ID"), std::string::npos) << no_creds.err;
  EXPECT_EQ(std::count(no_creds.err.begin(), no_creds.err.end(), '\n'), 1) << no_creds.err;

  env_["AWS_ACCESS_KEY_ID"] = "S3RVER";
  env_["AWS_SECRET_ACCESS_KEY"] = "S3RVER";
  env_["AWS_ENDPOINT_URL"] = endpoint;
  json first = Json({"sync", "s3://lq-bucket/lq/", "--json"});
  EXPECT_EQ(first["destination"], "s3://lq-bucket/lq/");
  EXPECT_EQ(first["copied"], 3);
  EXPECT_EQ(Json({"sync", "s3://lq-bucket/lq/", "--json"})["skipped"], 3);
  int stored = 0;  // s3rver keeps objects as files: the run files are really there
  for (auto& e : fs::recursive_directory_iterator(s3dir.path() + "/data/lq-bucket/lq")) {
    std::string name = e.path().filename().string();
    stored += name.size() > 23 && name.compare(name.size() - 23, 23, ".parquet._S3rver_object") == 0;
  }
  EXPECT_EQ(stored, 3);
  // Another machine's runs arrive through the bucket; --include-synced reads a mirror.
  auto laptop_env = env_;
  laptop_env["LQ_HOSTNAME"] = "laptop";
  ASSERT_EQ(RunLq({"sync", "s3://lq-bucket/lq/"}, project(), laptop_env).exit_code, 0);
  auto first_query = Lq({"history", "--include-synced", "--store", "s3://lq-bucket/lq/", "--json"});
  ASSERT_EQ(first_query.exit_code, 0) << first_query.err;
  EXPECT_NE(first_query.err.find("Mirrored s3://lq-bucket/lq/: 6 new run files"), std::string::npos)
      << first_query.err;
  json both = json::parse(first_query.out);
  ASSERT_EQ(both.size(), 6u);  // 3 here + 3 from the laptop; this machine's copies not twice
  int laptop = 0;
  for (const auto& run : both) laptop += run["hostname"] == "laptop";
  EXPECT_EQ(laptop, 3);
  auto again = Lq({"history", "--include-synced", "--store", "s3://lq-bucket/lq/", "--json"});
  EXPECT_EQ(again.err, "");  // nothing new to fetch
  EXPECT_EQ(json::parse(again.out).size(), 6u);

  auto symlink = Lq({"sync", "s3://lq-bucket/lq/", "--mode", "symlink"});
  EXPECT_EQ(symlink.exit_code, 2);
  EXPECT_NE(symlink.err.find("needs a local folder"), std::string::npos) << symlink.err;
  auto missing = Lq({"sync", "s3://no-such-bucket/lq/"});
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
}

TEST_F(SyncCliTest, BadDestinationsFailWithOneLineAndChangeNothing) {
  ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  WriteFileOrDie(dir_ / "afile", "x");
  for (const std::string& dest : std::vector<std::string>{dir_ / "afile", project() + "/inside", "s3://KEY:SECRET@bucket/lq"}) {
    auto r = Lq({"sync", dest});
    EXPECT_NE(r.exit_code, 0) << dest;
    EXPECT_EQ(r.err.rfind("lq: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.find("KEY:SECRET"), std::string::npos);
  }
  EXPECT_EQ(ReadFileOrDie(dir_ / "afile"), "x");
  EXPECT_FALSE(fs::exists(project() + "/inside"));
  auto none = Lq({"sync"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("sync.destination"), std::string::npos);
}

TEST_F(SyncCliTest, SymlinkModeLinksTheHostFolder) {
  ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  ASSERT_EQ(Lq({"history"}).exit_code, 0);  // finalize the run
  auto r = Lq({"sync", store(), "--mode", "symlink"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  bool found = false;
  for (auto& e : fs::recursive_directory_iterator(store())) {
    if (fs::is_symlink(e.path())) {
      found = true;
      EXPECT_EQ(fs::read_symlink(e.path()), fs::path(project() + "/.lq/logs"));
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(SyncCliTest, IncludeSyncedUnionsHostsWithoutDoubleCounting) {
  ASSERT_EQ(Lq({"register", "build", "--", "sh", "-c", "echo 'main.c:3:1: error: boom' >&2; exit 1"}).exit_code, 0);
  ASSERT_EQ(Lq({"run", "-q", "build"}).exit_code, 1);
  ASSERT_EQ(Json({"sync", store(), "--json"})["copied"], 1);
  // Another machine's copy of the same project, as it would arrive via the store.
  fs::path mine;
  for (auto& e : fs::directory_iterator(store() + "/namespace=acme/project=app")) mine = e.path();
  fs::copy(mine, store() + "/namespace=acme/project=app/hostname=laptop", fs::copy_options::recursive);
  std::string cfg = ReadFileOrDie(project() + "/.lq/config.yaml");
  cfg.replace(cfg.find("destination:"), 12, "destination: " + store() + " #");
  WriteFileOrDie(project() + "/.lq/config.yaml", cfg);

  json local = Json({"query", "SELECT count(*) AS runs FROM lq_runs", "--json"});
  EXPECT_EQ(local[0]["runs"], 1);
  json all = Json({"query", "--include-synced", "SELECT hostname, count(*) AS runs FROM lq_runs GROUP BY ALL ORDER BY 1",
                   "--json"});
  ASSERT_EQ(all.size(), 2u) << all.dump();  // this machine once (not twice), the laptop once
  EXPECT_EQ(all[0]["runs"], 1);
  EXPECT_EQ(all[1]["runs"], 1);
  json laptop = Json({"history", "--include-synced", "--hostname", "lap*", "--json"});
  ASSERT_EQ(laptop.size(), 1u);
  EXPECT_EQ(laptop[0]["hostname"], "laptop");
  EXPECT_EQ(laptop[0]["namespace"], "acme");
  json other_project = Json({"history", "--include-synced", "--project", "nope", "--json"});
  EXPECT_EQ(other_project.size(), 0u);
  // The seed's example queries, as written (the second's s3:// path is the store here).
  std::string glob = store() + "/namespace=acme/project=app/**/*.parquet";
  json errors = Json({"query", "--json",
                      "SELECT hostname, COUNT(*) as errors FROM read_parquet('" + glob +
                          "') WHERE severity = 'error' GROUP BY hostname ORDER BY hostname"});
  ASSERT_EQ(errors.size(), 2u) << errors.dump();
  EXPECT_EQ(errors[0]["hostname"], "laptop");  // the hive partition names the machine
  EXPECT_EQ(errors[0]["errors"], 1);
  EXPECT_EQ(errors[1]["errors"], 1);
  json durations = Json({"query", "--json",
                         "SELECT hostname, AVG(duration_sec) as avg_duration FROM read_parquet('" + glob +
                             "') WHERE source_name = 'build' GROUP BY hostname"});
  EXPECT_EQ(durations.size(), 2u) << durations.dump();
}

TEST_F(SyncCliTest, AutoSyncAfterEachRunNeverChangesTheExitCode) {
  std::string cfg = ReadFileOrDie(project() + "/.lq/config.yaml");
  cfg.replace(cfg.find("destination:"), 12, "destination: " + store() + " #");
  cfg.replace(cfg.find("auto: false"), 11, "auto: true");
  WriteFileOrDie(project() + "/.lq/config.yaml", cfg);
  auto r = Lq({"exec", "-q", "--", "sh", "-c", "exit 4"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(Parquets(store()), 1);
  // Another sync holding the lock: the command waits a bounded time, then warns.
  int locks = 0;
  for (auto& e : fs::directory_iterator(home_.path() + "/sync")) {
    if (e.path().extension() != ".lock") continue;
    ++locks;
    int fd = ::open(e.path().c_str(), O_RDWR);
    ASSERT_EQ(::flock(fd, LOCK_EX), 0);
    auto start = std::chrono::steady_clock::now();
    auto held = Lq({"exec", "-q", "--", "sh", "-c", "exit 3"});
    auto took = std::chrono::steady_clock::now() - start;
    ::close(fd);
    EXPECT_EQ(held.exit_code, 3);
    EXPECT_NE(held.err.find("still running"), std::string::npos) << held.err;
    EXPECT_LT(took, std::chrono::seconds(10));
  }
  EXPECT_EQ(locks, 1);
  EXPECT_EQ(Parquets(store()), 1);
  EXPECT_EQ(Json({"sync", "--json"})["copied"], 1);  // the run travels with the next sync
  // A broken destination: a warning, the run kept, the exit code unchanged.
  fs::remove_all(store());
  WriteFileOrDie(store(), "now a file");
  auto bad = Lq({"exec", "-q", "--", "sh", "-c", "exit 5"});
  EXPECT_EQ(bad.exit_code, 5);
  EXPECT_NE(bad.err.find("lq: warning: auto-sync failed"), std::string::npos) << bad.err;
  EXPECT_EQ(Json({"history", "--json"}).size(), 3u);
}

// Starts `lq sync DEST` (lq itself, so the kill hits nothing else: other tests may run
// lq sync), kills it with SIGKILL once `count()` reaches 3, and returns count() then.
int KillSyncMidway(const std::string& dir, const std::string& dest, const std::map<std::string, std::string>& env,
                   const std::function<int()>& count) {
  const char* lq = std::getenv("LQ_BINARY");
  pid_t pid = fork();
  if (pid == 0) {
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    int null = ::open("/dev/null", O_WRONLY);
    if (lq == nullptr || null < 0 || chdir(dir.c_str()) != 0) _exit(127);
    dup2(null, 1), dup2(null, 2);
    execl(lq, "lq", "sync", dest.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 2000 && count() < 3; ++i) usleep(1000);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  return count();
}

TEST_F(SyncCliTest, KillNineMidSyncThenRerunConverges) {
  // Many runs so the sync takes a moment; kill it at once, then sync again.
  for (int i = 0; i < 40; ++i) ASSERT_EQ(Lq({"import", "-q", "--name", "r", "/etc/os-release"}).exit_code, 0);
  ASSERT_EQ(Lq({"history", "-n", "1"}).exit_code, 0);
  int present = KillSyncMidway(project(), store(), env_, [&] { return Parquets(store()); });
  json r = Json({"sync", store(), "--json"});
  EXPECT_EQ(r["failed"], 0);
  EXPECT_LE(r["copied"].get<int>(), 40 - present);  // nothing already there copied again
  EXPECT_EQ(Parquets(store()), 40);
  for (auto& e : fs::recursive_directory_iterator(store())) {
    EXPECT_EQ(e.path().filename().string().rfind(".lq-tmp-", 0), std::string::npos) << e.path();
  }
  json again = Json({"sync", store(), "--json"});
  EXPECT_EQ(again["copied"], 0);
}

TEST_F(SyncCliTest, KillNineMidS3SyncThenRerunConverges) {
  TempDir s3dir;
  std::string endpoint;
  auto s3rver = lq::testing::StartS3rver(s3dir.path(), "lq-bucket", &endpoint);
  ASSERT_NE(s3rver, nullptr) << "s3rver did not start";
  env_["AWS_ACCESS_KEY_ID"] = env_["AWS_SECRET_ACCESS_KEY"] = "S3RVER";
  env_["AWS_ENDPOINT_URL"] = endpoint;
  for (int i = 0; i < 40; ++i) ASSERT_EQ(Lq({"import", "-q", "--name", "r", "/etc/os-release"}).exit_code, 0);
  ASSERT_EQ(Lq({"history", "-n", "1"}).exit_code, 0);
  auto objects = [&] {
    int n = 0;
    std::string root = s3dir.path() + "/data/lq-bucket";
    if (!fs::exists(root)) return 0;
    for (auto& e : fs::recursive_directory_iterator(root)) {
      std::string name = e.path().filename().string();
      n += name.size() > 23 && name.compare(name.size() - 23, 23, ".parquet._S3rver_object") == 0;
    }
    return n;
  };
  int present = KillSyncMidway(project(), "s3://lq-bucket/lq/", env_, objects);
  json r = Json({"sync", "s3://lq-bucket/lq/", "--json"});
  EXPECT_EQ(r["failed"], 0);
  EXPECT_LE(r["copied"].get<int>(), 40 - present);
  EXPECT_EQ(objects(), 40);
  EXPECT_EQ(Json({"sync", "s3://lq-bucket/lq/", "--json"})["copied"], 0);
}

// Issue 9 item 19: malformed S3 URLs are refused before any request, with one usage
// line, instead of "bucket does not exist" or a 404 per file.
TEST_F(SyncCliTest, MalformedS3UrlsAreUsageErrors) {
  ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  for (const std::string url : {"s3://bkt/../x/", "s3://bkt/a//b/", "s3://Bad_Bucket/x/"}) {
    auto r = Lq({"sync", url});
    EXPECT_EQ(r.exit_code, 2) << url << ": " << r.err;
    EXPECT_EQ(r.err.rfind("lq: error: bad ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

// Issue 9 item 13: a --store that does not exist is an error on every --include-synced
// command, not an empty result.
TEST_F(SyncCliTest, IncludeSyncedWithAMissingStoreFails) {
  ASSERT_EQ(Lq({"exec", "-q", "--", "true"}).exit_code, 0);
  for (const std::string cmd : {"summary", "errors", "warnings", "history", "status"}) {
    auto r = Lq({cmd, "--include-synced", "--store", "/nonexistent"});
    EXPECT_EQ(r.exit_code, 1) << cmd << ": " << r.err;
    EXPECT_EQ(r.err, "lq: error: central store /nonexistent does not exist; check --store or sync.destination "
                     "(lq sync creates it)\n")
        << cmd;
  }
  auto q = Lq({"query", "--include-synced", "--store", "/nonexistent", "SELECT 1"});
  EXPECT_EQ(q.exit_code, 1) << q.err;
}

}  // namespace
}  // namespace lq::cli

#include "store/run_store.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "logs/run_spool.h"
#include "store/events_cache.h"
#include "testing/temp_dir.h"

namespace lq::store {
namespace {

namespace fs = std::filesystem;

// 2025-01-15 14:30:22 UTC
constexpr int64_t kStart = 1736951422000000;

logs::Event MakeEvent(logs::Severity sev, const std::string& msg, const std::string& fp) {
  logs::Event e;
  e.severity = sev;
  e.message = msg;
  e.file_path = "src/main.c";
  e.line_number = 3;
  e.tool_name = "gcc";
  e.fingerprint = fp;
  e.log_line_start = e.log_line_end = 2;
  return e;
}

// Spools a finished (or, with finish=false, abandoned) run.
void SpoolRun(const std::string& lq_dir, int64_t id, const std::string& name, int exit_code,
              const std::vector<logs::Event>& events, bool finish = true, int64_t start = kStart) {
  logs::RunMeta meta;
  meta.run_id = id;
  meta.source_name = name;
  meta.source_type = "exec";
  meta.command = "make";
  meta.started_at_us = start;
  meta.hostname = "snape";
  meta.environment = {{"CC", "gcc"}};
  auto spool = logs::RunSpool::Begin(Env::Default(), lq_dir, meta);
  ASSERT_TRUE(spool.ok()) << spool.status().ToString();
  ASSERT_TRUE(spool->AppendRaw("make\nsrc/main.c:3:1: error: x\n").ok());
  int64_t n = 0;
  for (const auto& e : events) ASSERT_TRUE(spool->AppendEvent(e, ++n).ok());
  if (finish) {
    logs::RunDone done;
    done.exit_code = exit_code;
    done.completed_at_us = start + 1500000;
    ASSERT_TRUE(spool->Finish(done).ok());
  }
}

class RunStoreTest : public ::testing::Test {
 protected:
  std::string lq() { return dir_.path(); }
  Result<QueryResult> Query(const std::string& sql) {
    auto db = ProjectDatabase::Open(Env::Default(), lq());
    if (!db.ok()) return db.status();
    return (*db)->connection().Query(sql);
  }
  testing::TempDir dir_;
};

TEST_F(RunStoreTest, FinalizedRunLandsInTheSeedLayout) {
  SpoolRun(lq(), 1, "build", 2, {MakeEvent(logs::Severity::kError, "x", "f1")});
  FinalizeStats stats = FinalizeSpooledRuns(Env::Default(), lq());
  EXPECT_EQ(stats.converted, 1);
  EXPECT_EQ(stats.failed, 0) << stats.last_error;
  EXPECT_TRUE(fs::exists(lq() + "/logs/date=2025-01-15/source=exec/001_build_143022.parquet"));
  EXPECT_FALSE(fs::exists(lq() + "/spool/001.meta.json"));
  EXPECT_TRUE(fs::exists(lq() + "/raw/001.log"));
  EXPECT_EQ(RunParquetPath(12, "run", "my build!", kStart), "logs/date=2025-01-15/source=run/012_my_build__143022.parquet");
}

TEST_F(RunStoreTest, ViewsAnswerTheQuestions) {
  SpoolRun(lq(), 1, "build", 2,
           {MakeEvent(logs::Severity::kError, "a", "fa"), MakeEvent(logs::Severity::kError, "b", "fb"),
            MakeEvent(logs::Severity::kWarning, "w", "fw")});
  SpoolRun(lq(), 2, "build", 1, {MakeEvent(logs::Severity::kError, "b", "fb"), MakeEvent(logs::Severity::kError, "c", "fc")});
  SpoolRun(lq(), 3, "test", 0, {});
  auto runs = Query("SELECT run_id, errors, warnings, status, exit_code FROM lq_runs ORDER BY run_id");
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  ASSERT_EQ(runs->row_count(), 3u);
  EXPECT_EQ(runs->GetInt64(1, 0), 2);
  EXPECT_EQ(runs->GetInt64(2, 0), 1);
  EXPECT_EQ(runs->GetString(3, 0), "FAIL");
  EXPECT_EQ(runs->GetString(3, 2), "OK");  // a run with no events still has its row
  auto status = Query("SELECT source_name, run_id FROM lq_status() ORDER BY source_name");
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  ASSERT_EQ(status->row_count(), 2u);
  EXPECT_EQ(status->GetInt64(1, 0), 2);  // latest build
  auto diff = Query("SELECT change, error_fingerprint FROM lq_diff(1, 2)");
  ASSERT_TRUE(diff.ok()) << diff.status().ToString();
  ASSERT_EQ(diff->row_count(), 2u);
  EXPECT_EQ(diff->GetString(0, 0), "fixed");
  EXPECT_EQ(diff->GetString(1, 0), "fa");
  EXPECT_EQ(diff->GetString(0, 1), "new");
  EXPECT_EQ(diff->GetString(1, 1), "fc");
  auto errors = Query("SELECT count(*) FROM lq_errors(10)");
  ASSERT_TRUE(errors.ok());
  EXPECT_EQ(errors->GetInt64(0, 0), 4);
  auto env = Query("SELECT environment['CC'] FROM lq_events LIMIT 1");
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->GetString(0, 0), "gcc");
  auto summary = Query("SELECT runs, failed_runs FROM lq_summary WHERE source_name = 'build'");
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->GetInt64(0, 0), 2);
}

TEST_F(RunStoreTest, EmptyProjectHasTheViews) {
  auto r = Query("SELECT count(*) FROM lq_history");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->GetInt64(0, 0), 0);
  EXPECT_TRUE(Query("SELECT * FROM lq_status()").ok());
}

TEST_F(RunStoreTest, AbandonedRunIsKeptWithUnknownExitCode) {
  SpoolRun(lq(), 1, "build", 0, {MakeEvent(logs::Severity::kError, "a", "fa")}, /*finish=*/false);
  // Simulate the torn last line of a killed writer; without a raw log to re-parse, the
  // spooled events are what is kept.
  std::string events = lq() + "/spool/001.events.jsonl";
  testing::WriteFileOrDie(events, testing::ReadFileOrDie(events) + "{\"event_id\": 2, \"sever");
  ASSERT_EQ(std::remove((lq() + "/raw/001.log").c_str()), 0);
  auto r = Query("SELECT status, exit_code IS NULL, errors FROM lq_runs");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->row_count(), 1u);
  EXPECT_EQ(r->GetString(0, 0), "FAIL");  // it has an error, whatever the exit code was
  EXPECT_TRUE(r->GetBool(1, 0));
  EXPECT_EQ(r->GetInt64(2, 0), 1);
}

// The spool lags the output (parsers hold open blocks, lines are batched): a run whose
// writer died gets its events from the raw log, every line of it.
TEST_F(RunStoreTest, AbandonedRunGetsItsEventsFromTheRawLog) {
  SpoolRun(lq(), 1, "build", 0, {}, /*finish=*/false);  // no event reached the spool
  auto r = Query("SELECT status, exit_code IS NULL, errors, "
                 "(SELECT any_value(file_path) FROM lq_events WHERE severity = 'error') FROM lq_runs");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->row_count(), 1u);
  EXPECT_EQ(r->GetString(0, 0), "FAIL");
  EXPECT_TRUE(r->GetBool(1, 0));
  EXPECT_EQ(r->GetInt64(2, 0), 1);
  EXPECT_EQ(r->GetString(3, 0), "src/main.c");
}

TEST_F(RunStoreTest, ConcurrentFinalizersConvertOnce) {
  for (int i = 1; i <= 5; ++i) SpoolRun(lq(), i, "build", 0, {MakeEvent(logs::Severity::kWarning, "w", "fw")});
  std::vector<pid_t> pids;
  for (int i = 0; i < 4; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      FinalizeStats s = FinalizeSpooledRuns(Env::Default(), lq());
      _exit(s.failed == 0 ? 0 : 1);
    }
    pids.push_back(pid);
  }
  for (pid_t p : pids) {
    int status = 0;
    waitpid(p, &status, 0);
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  int files = 0;
  for (auto& e : fs::recursive_directory_iterator(lq() + "/logs")) files += e.path().extension() == ".parquet";
  EXPECT_EQ(files, 5);
  auto r = Query("SELECT count(*) FROM lq_runs");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->GetInt64(0, 0), 5);
  for (auto& e : fs::recursive_directory_iterator(lq())) {
    EXPECT_EQ(e.path().string().find(".tmp"), std::string::npos) << e.path();
  }
}

}  // namespace
}  // namespace lq::store

namespace lq::store {
namespace {

TEST_F(RunStoreTest, EventsCacheGivesTheSameAnswersAndNeverShowsPrunedRuns) {
  for (int i = 1; i <= 20; ++i) {
    SpoolRun(lq(), i, "build", i % 2, {MakeEvent(logs::Severity::kError, "e" + std::to_string(i % 3), "f")});
  }
  auto before = Query("SELECT count(*), sum(run_id) FROM lq_events");
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  ASSERT_TRUE(MaybeRebuildCache(Env::Default(), lq()).ok());
  std::vector<std::string> runs = ListRunFiles(Env::Default(), lq());
  ASSERT_EQ(runs.size(), 20u);
  EXPECT_EQ(ResolveEventFiles(Env::Default(), lq(), runs).uncached, 0u);
  EXPECT_EQ(ResolveEventFiles(Env::Default(), lq(), runs).paths.size(), 1u);
  auto after = Query("SELECT count(*), sum(run_id) FROM lq_events");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->GetInt64(0, 0), before->GetInt64(0, 0));
  EXPECT_EQ(after->GetInt64(1, 0), before->GetInt64(1, 0));

  SpoolRun(lq(), 21, "build", 0, {});  // a new run: read beside the cache
  auto with_new = Query("SELECT count(DISTINCT run_id) FROM lq_events");
  ASSERT_TRUE(with_new.ok());
  EXPECT_EQ(with_new->GetInt64(0, 0), 21);

  fs::remove(lq() + "/" + runs[0]);  // pruned: the cache holding it must not be used
  auto pruned = Query("SELECT count(DISTINCT run_id) FROM lq_events");
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(pruned->GetInt64(0, 0), 20);
}

}  // namespace
}  // namespace lq::store

// End-to-end: the read commands (status, errors, warnings, summary, history, event,
// context, diff, prune) as a user meets them: in a pipe, with bad numbers, with runs
// that do not exist, with no runs at all, and across machines syncing to one store.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

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

bool IsOneLineError(const std::string& err) {
  return err.rfind("lq: error: ", 0) == 0 && err.find('\n') == err.size() - 1;
}

// "2026-12-04T16:37:04Z" or "2026-12-04T16:37:04.123Z".
bool IsRfc3339Utc(const json& v) {
  if (!v.is_string()) return false;
  std::string s = v.get<std::string>();
  auto digits = [&](size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i) {
      if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    }
    return true;
  };
  if (s.size() < 20 || !digits(0, 4) || s[4] != '-' || !digits(5, 2) || s[7] != '-' ||
      !digits(8, 2) || s[10] != 'T' || !digits(11, 2) || s[13] != ':' || !digits(14, 2) ||
      s[16] != ':' || !digits(17, 2) || s.back() != 'Z') {
    return false;
  }
  return s.size() == 20 || (s[19] == '.' && s.size() > 21 && digits(20, s.size() - 21));
}

class ReadCommandsCliTest : public testing::LqProjectTest {
 protected:
  ReadCommandsCliTest() : LqProjectTest("app", "proj", {{"LQ_HOSTNAME", "desk"}}) {}
  // Records a run named `name` that prints `output` and exits with `exit_code`.
  void Run(const std::string& name, const std::string& output, int exit_code = 0) {
    WriteFileOrDie(dir_ / "out.txt", output);
    auto r = Lq({"exec", "-q", "--name", name, "--", "sh", "-c",
                 "cat '" + (dir_ / "out.txt") + "'; exit " + std::to_string(exit_code)});
    ASSERT_EQ(r.exit_code, exit_code) << r.err;
  }
};

// Item 2: an age that overflowed once deleted every run.
TEST_F(ReadCommandsCliTest, PruneRefusesAgesThatOverflowOrAreNotAges) {
  Run("build", "ok\n");
  Run("build", "ok\n");
  for (const char* age : {"99999999999999999999d", "9223372036854775807d", "1000000d", "36501d"}) {
    auto r = Lq({"prune", "--older-than", age});
    EXPECT_EQ(r.exit_code, 2) << age;
    EXPECT_TRUE(IsOneLineError(r.err)) << r.err;
    EXPECT_NE(r.err.find("100 years"), std::string::npos) << r.err;
  }
  for (const char* age : {"0d", "-5d", "30", "30x", ""}) {
    auto r = Lq({"prune", "--older-than", age});
    EXPECT_EQ(r.exit_code, 2) << age;
    EXPECT_TRUE(IsOneLineError(r.err)) << r.err;
  }
  EXPECT_EQ(Json({"history", "--json"}).size(), 2u);  // nothing deleted
  json longest = Json({"prune", "--older-than", "36500d", "--json"});
  EXPECT_EQ(longest["runs"], 0);
  EXPECT_GE(longest["before"].get<std::string>(), "1920");  // not a year -711
  EXPECT_TRUE(IsRfc3339Utc(longest["cutoff"])) << longest.dump();
  EXPECT_EQ(Json({"history", "--json"}).size(), 2u);
}

// Item 12: a clean run of one command does not hide another command's failure.
TEST_F(ReadCommandsCliTest, ErrorsCoverTheLatestRunOfEachCommand) {
  Run("build", "main.c:3:1: error: boom\n", 1);
  Run("test", "test.c:9:2: error: expected 1\n", 1);
  WriteFileOrDie(dir_ / "clean.log", "all good\n");
  ASSERT_EQ(Lq({"import", "-q", dir_ / "clean.log"}).exit_code, 0);
  json status = Json({"status", "--json"});
  ASSERT_EQ(status.size(), 3u);
  int failed = 0;
  for (const auto& s : status) failed += s["status"] == "FAIL";
  EXPECT_EQ(failed, 2);
  json errors = Json({"errors", "--json"});
  ASSERT_EQ(errors.size(), 2u) << errors.dump();
  EXPECT_EQ(errors[0]["source_name"], "test");  // newest first
  EXPECT_EQ(errors[0]["ref"], "2:1");
  EXPECT_EQ(errors[1]["source_name"], "build");
  auto readable = Lq({"errors"});
  EXPECT_EQ(readable.exit_code, 0);
  EXPECT_NE(readable.out.find("main.c:3:1"), std::string::npos) << readable.out;
  EXPECT_NE(readable.out.find("test.c:9:2"), std::string::npos) << readable.out;
  // A newer, fixed build: its failure is gone from lq errors, the test's stays.
  Run("build", "fine\n");
  errors = Json({"errors", "--json"});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]["source_name"], "test");
  // --run: one run; a run without errors says so.
  json one = Json({"errors", "--run", "1", "--json"});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0]["file_path"], "main.c");
  auto clean = Lq({"errors", "--run", "3"});
  EXPECT_EQ(clean.exit_code, 0);
  EXPECT_EQ(clean.out, "");
  EXPECT_NE(clean.err.find("No errors in run 3"), std::string::npos) << clean.err;
  EXPECT_EQ(Json({"errors", "--all", "--json"}).size(), 2u);
  EXPECT_EQ(Json({"errors", "--all", "-n", "1", "--json"}).size(), 1u);
}

// Item 14: in a pipe nothing is cut; the location keeps its line and column.
TEST_F(ReadCommandsCliTest, ErrorsInAPipeKeepTheWholeLocationAndMessage) {
  std::string path = "src/" + std::string(80, 'd') + "/very/deep/directory/structure/main.c";
  std::string message = "this message is long: " + std::string(150, 'm');
  Run("build", path + ":1234:56: error: " + message + "\n", 1);
  auto r = Lq({"errors"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(path + ":1234:56"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(message), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("error_fingerprint"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("…"), std::string::npos) << r.out;
  auto history = Lq({"history"});
  EXPECT_NE(history.out.find("out.txt'\\''; exit 1'\n"), std::string::npos) << history.out;  // all of it
}

// Item 15: readable range errors; runs that do not exist are errors, not "(no rows)".
TEST_F(ReadCommandsCliTest, BadNumbersAndMissingRunsAreOneLineErrors) {
  Run("build", "main.c:3:1: error: boom\n", 1);
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string says;
  };
  for (const Case& c : std::vector<Case>{
           {{"errors", "-n", "0"}, 2, "--limit: must be at least 1, not 0"},
           {{"warnings", "--limit", "-3"}, 2, "must be at least 1"},
           {{"history", "-n", "ten"}, 2, "'ten' is not a whole number"},
           {{"context", "1:1", "--lines", "-1"}, 2, "--lines: must be at least 0, not -1"},
           {{"sync", dir_ / "store", "--transfers", "0"}, 2, "must be from 1 to 256, not 0"},
           {{"diff", "999", "1000"}, 1, "no run 999 (lq history lists runs)"},
           {{"diff", "1", "1000"}, 1, "no run 1000 (lq history lists runs)"},
           {{"errors", "--run", "999"}, 1, "no run 999 (lq history lists runs)"},
           {{"warnings", "--run", "999"}, 1, "no run 999 (lq history lists runs)"},
           {{"event", "999:1"}, 1, "no run 999 (lq history lists runs)"},
           {{"context", "999:1"}, 1, "no run 999 (lq history lists runs)"},
           {{"event", "1:99"}, 1, "no event 1:99"},
           {{"event", "1:x"}, 2, "is not an event"},
           {{"errors", "--run", "0"}, 2, "is not a run"},
           {{"event", "99999999999999999999:1"}, 2, "is not an event"},
       }) {
    auto r = Lq(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args[0] << " " << c.args[1] << ": " << r.err;
    EXPECT_TRUE(IsOneLineError(r.err)) << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("0.000000"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

// "No runs yet" is a message and exit 0 for the listing commands (valid JSON with
// --json), and an error for commands that name one event.
TEST_F(ReadCommandsCliTest, AProjectWithoutRunsSaysSo) {
  for (std::string cmd : {"status", "errors", "warnings", "summary", "history", "diff"}) {
    auto r = Lq({cmd});
    EXPECT_EQ(r.exit_code, 0) << cmd << ": " << r.err;
    EXPECT_EQ(r.out, "") << cmd;
    EXPECT_NE(r.err.find("No runs recorded yet"), std::string::npos) << cmd << ": " << r.err;
    auto j = Lq({cmd, "--json"});
    EXPECT_EQ(j.exit_code, 0) << cmd << ": " << j.err;
    json parsed = json::parse(j.out, nullptr, false);
    EXPECT_TRUE(parsed.is_array() && parsed.empty()) << cmd << ": " << j.out;
  }
  for (std::string cmd : {"event", "context"}) {
    auto r = Lq({cmd, "1"});
    EXPECT_EQ(r.exit_code, 1) << cmd;
    EXPECT_TRUE(IsOneLineError(r.err)) << r.err;
    EXPECT_NE(r.err.find("no runs recorded yet"), std::string::npos) << r.err;
  }
}

// Item 21: one meaning per short flag across commands; old long names still work.
TEST_F(ReadCommandsCliTest, FlagsMeanTheSameEverywhere) {
  Run("build", "l1\nl2\nmain.c:3:1: error: boom\nl4\nl5\nl6\n", 1);
  auto lines = Lq({"context", "1:1", "--lines", "1"});
  ASSERT_EQ(lines.exit_code, 0) << lines.err;
  EXPECT_EQ(lines.out.find("l1"), std::string::npos) << lines.out;
  EXPECT_NE(lines.out.find("l2"), std::string::npos) << lines.out;
  EXPECT_EQ(Lq({"context", "1:1", "-c", "1"}).out, lines.out);
  EXPECT_EQ(Lq({"context", "1:1", "--context", "1"}).out, lines.out);  // the old name, hidden
  EXPECT_EQ(Lq({"context", "--help"}).out.find("--context"), std::string::npos);
  // -n is a count; it no longer means --dry-run (which has no short form) or --name.
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"prune", "--older-than", "1d", "-n"},
                                             {"sync", dir_ / "store", "-n"},
                                             {"device", "rename", "x", "-n"},
                                             {"exec", "-n", "x", "--", "true"}}) {
    auto r = Lq(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "store"));
  EXPECT_EQ(Json({"history", "--json"}).size(), 1u);
  EXPECT_EQ(Json({"prune", "--older-than", "1d", "--dry-run", "--json"})["dry_run"], true);
  EXPECT_EQ(Lq({"exec", "-q", "--name", "named", "--", "true"}).exit_code, 0);
  EXPECT_EQ(Json({"history", "-n", "1", "--json"})[0]["source_name"], "named");
}

// Item 22: one set of column names (the schema's), RFC 3339 in JSON, and no terminal
// escapes from the log reach a pipe.
TEST_F(ReadCommandsCliTest, SchemaNamesRfc3339AndNoEscapesInAPipe) {
  Run("build",
      "\033]0;evil title\007\033[2J\033[Hbefore\r\n\033[1;31mmain.c:3:1: error: "
      "boom\033[0m\x01\n\033(Bafter\n",
      1);
  auto history = Lq({"history"});
  auto status = Lq({"status"});
  for (const auto* r : {&history, &status}) {
    ASSERT_EQ(r->exit_code, 0) << r->err;
    for (const char* name : {"run_id", "source_name", "started_at", "duration_sec", "exit_code"}) {
      EXPECT_NE(r->out.find(name), std::string::npos) << name << " in\n" << r->out;
    }
    std::string header = r->out.substr(0, r->out.find('\n')) + " ";
    for (const char* old : {"started_utc", "secs ", " exit ", " name ", " type "}) {
      EXPECT_EQ(header.find(old), std::string::npos) << old << " in\n" << header;
    }
  }
  EXPECT_TRUE(IsRfc3339Utc(Json({"history", "--json"})[0]["started_at"]));
  EXPECT_TRUE(IsRfc3339Utc(Json({"status", "--json"})[0]["started_at"]));
  EXPECT_TRUE(IsRfc3339Utc(Json({"summary", "--json"})[0]["last_run"]));
  EXPECT_TRUE(IsRfc3339Utc(Json({"errors", "--json"})[0]["started_at"]));
  EXPECT_TRUE(IsRfc3339Utc(Json({"event", "1:1", "--json"})["started_at"]));
  EXPECT_TRUE(IsRfc3339Utc(Json({"event", "1:1", "--json"})["completed_at"]));

  for (const auto& args :
       std::vector<std::vector<std::string>>{{"context", "1:1"}, {"event", "1:1"}, {"errors"}}) {
    auto r = Lq(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (char c : r.out) {
      auto u = static_cast<unsigned char>(c);
      EXPECT_TRUE(u >= 0x20 || c == '\n') << args[0] << " printed control byte " << int(u) << ":\n"
                                          << r.out;
    }
    EXPECT_EQ(r.out.find("evil title"), std::string::npos) << r.out;
  }
  auto context = Lq({"context", "1:1"});
  EXPECT_NE(context.out.find("before"), std::string::npos) << context.out;
  EXPECT_NE(context.out.find(">     2 | main.c:3:1: error: boom\n"), std::string::npos)
      << context.out;
  EXPECT_NE(context.out.find("after"), std::string::npos) << context.out;
  // --json keeps the text as recorded (JSON escapes it).
  EXPECT_NE(
      Json({"context", "1:1", "--json"})["lines"][1]["text"].get<std::string>().find("\033[1;31m"),
      std::string::npos);
}

// Item 9: two machines sync to one store. "Latest" is by time, not by run id, and refs
// name the machine, so every ref lq errors prints works in lq event / lq context.
TEST_F(ReadCommandsCliTest, TwoMachinesRefsAreUnambiguousAndNewestComesFirst) {
  std::string store = dir_ / "store";
  // The laptop: the same project, three runs (ids 1-3) and raw logs synced; another
  // project of its too.
  auto laptop_env = env_;
  laptop_env["LQ_HOSTNAME"] = "laptop";
  std::string laptop = dir_ / "laptop";
  std::string web = dir_ / "web";
  fs::create_directories(laptop);
  fs::create_directories(web);
  auto on = [&](const std::string& where, const std::vector<std::string>& args) {
    auto r = RunLq(args, where, laptop_env);
    EXPECT_LE(r.exit_code, 1) << args[0] << ": " << r.err;
    return r;
  };
  on(laptop, {"init", "--namespace", "acme", "--project", "app"});
  std::string cfg = ReadFileOrDie(laptop + "/.lq/config.yaml");
  cfg.replace(cfg.find("include_raw: false"), 18, "include_raw: true");
  WriteFileOrDie(laptop + "/.lq/config.yaml", cfg);
  for (int i = 1; i <= 3; ++i) {
    on(laptop, {"exec", "-q", "--name", "build", "--", "sh", "-c",
                "echo 'laptop line'; echo 'lap.c:" + std::to_string(i) + ":1: error: laptop " +
                    std::to_string(i) + "'; exit 1"});
  }
  ASSERT_EQ(on(laptop, {"sync", store}).exit_code, 0);
  on(web, {"init", "--namespace", "acme", "--project", "web"});
  on(web,
     {"exec", "-q", "--name", "lint", "--", "sh", "-c", "echo 'web.js:1:1: error: web'; exit 1"});
  ASSERT_EQ(on(web, {"sync", store}).exit_code, 0);
  // This machine: one run (id 1), the newest of all, synced as well.
  Run("build", "desk.c:7:1: error: desk\n", 1);
  ASSERT_EQ(Lq({"sync", store}).exit_code, 0);

  std::vector<std::string> synced = {"--include-synced", "--store", store};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), synced.begin(), synced.end());
    return args;
  };
  json errors = Json(with({"errors", "--json"}));
  ASSERT_EQ(errors.size(), 3u) << errors.dump();  // the latest build here and there, web's lint
  EXPECT_EQ(errors[0]["hostname"], "desk");       // newest first, though its run id is the lowest
  EXPECT_EQ(errors[0]["ref"], "1:1");
  std::vector<std::string> refs;
  for (const auto& e : errors) refs.push_back(e["ref"]);
  EXPECT_NE(std::find(refs.begin(), refs.end(), "laptop:3:1"), refs.end()) << errors.dump();
  EXPECT_NE(std::find(refs.begin(), refs.end(), "acme/web/laptop:1:1"), refs.end())
      << errors.dump();
  EXPECT_EQ(Json(with({"history", "--json"}))[0]["hostname"], "desk");

  // Every printed ref resolves to its own event.
  for (const auto& e : errors) {
    json event = Json(with({"event", e["ref"], "--json"}));
    EXPECT_EQ(event["hostname"], e["hostname"]);
    EXPECT_EQ(event["project"], e["project"]);
    EXPECT_EQ(event["message"], e["message"]);
  }
  auto laptop_context = Lq(with({"context", "laptop:3:1"}));
  ASSERT_EQ(laptop_context.exit_code, 0) << laptop_context.err;
  EXPECT_NE(laptop_context.out.find("lap.c:3:1: error: laptop 3"), std::string::npos)
      << laptop_context.out;
  auto local_context = Lq(with({"context", "1:1"}));
  ASSERT_EQ(local_context.exit_code, 0) << local_context.err;
  EXPECT_NE(local_context.out.find("desk.c:7:1"), std::string::npos) << local_context.out;
  // web syncs no raw logs: the event is there, its log is not.
  auto web_context = Lq(with({"context", "acme/web/laptop:1:1"}));
  EXPECT_EQ(web_context.exit_code, 1);
  EXPECT_TRUE(IsOneLineError(web_context.err)) << web_context.err;
  EXPECT_NE(web_context.err.find("include_raw"), std::string::npos) << web_context.err;

  json one = Json(with({"errors", "--run", "laptop:2", "--json"}));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0]["message"], "laptop 2");
  auto missing = Lq(with({"errors", "--run", "laptop:9"}));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no run laptop:9 (lq history --include-synced lists runs)"),
            std::string::npos)
      << missing.err;
  auto needs_synced = Lq({"event", "laptop:3:1"});
  EXPECT_EQ(needs_synced.exit_code, 2);
  EXPECT_NE(needs_synced.err.find("--include-synced"), std::string::npos) << needs_synced.err;
  // Without --include-synced the local refs stay as they were.
  EXPECT_EQ(Json({"errors", "--json"})[0]["ref"], "1:1");
}

}  // namespace
}  // namespace lq::cli

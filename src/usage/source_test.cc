// Each agent's source on its own: discovery and parsing of a small fixture, without the
// ccusage oracle (so these run everywhere).
#include <gtest/gtest.h>

#include <filesystem>

#include "usage/hash.h"
#include "usage/usage_source.h"
#include "usage/usage_test_util.h"

namespace lq::usage {
namespace {

using testutil::WriteFile;

ParseOutput ParseAll(const UsageSource& src, const SourceFile& f, std::string data) {
  ParseOutput out;
  std::string state;
  size_t n = data.size();
  data.append(kParsePadding, ' ');
  src.Parse(ParseContext{42}, f, std::string_view(data.data(), n), &state, &out);
  return out;
}

TEST(UsageClaudeSource, DiscoversRootsAndDerivesSessions) {
  lq::testing::TempDir dir;
  std::string a = dir / "a", b = dir / "b";
  WriteFile(a + "/projects/p/s1.jsonl", "");
  WriteFile(a + "/projects/p/s2/chat.jsonl", "");
  WriteFile(a + "/projects/p/s2/subagents/agent-1.jsonl", "");
  WriteFile(a + "/projects/p/notes.txt", "");
  WriteFile(a + "/projects/p/.jsonl", "");
  WriteFile(b + "/projects/q/s3.jsonl", "");
  testutil::OverlayEnv env({{"CLAUDE_CONFIG_DIR", a + ", " + b + "/projects ,/does/not/exist"}});
  std::vector<DiscoveryWarning> warnings;
  auto files = NewClaudeSource()->Discover(&env, &warnings);
  ASSERT_EQ(files.size(), 4u);
  std::map<std::string, std::string> session;
  for (const auto& f : files) session[f.path.substr(dir.path().size())] = f.path_session;
  EXPECT_EQ(session["/a/projects/p/s1.jsonl"], "s1");
  EXPECT_EQ(session["/a/projects/p/s2/chat.jsonl"], "s2");
  EXPECT_EQ(session["/a/projects/p/s2/subagents/agent-1.jsonl"], "s2");
  EXPECT_EQ(session["/b/projects/q/s3.jsonl"], "s3");
  EXPECT_TRUE(warnings.empty());
}

TEST(UsageClaudeSource, ParsesUsagePromptsAndKeepsOnlyHashes) {
  auto src = NewClaudeSource();
  SourceFile f{"/x/projects/p/sess.jsonl", 0, 0, "sess"};
  std::string data = testutil::JoinLines({
      R"({"type":"user","sessionId":"S","message":{"role":"user","content":"hello"},"uuid":"u1","timestamp":"2025-03-10T10:00:00.000Z"})",
      R"({"type":"assistant","sessionId":"S","message":{"id":"msg_1","model":"claude-opus-4-1","usage":{"input_tokens":3,"output_tokens":4,"cache_creation_input_tokens":99,"cache_creation":{"ephemeral_5m_input_tokens":5,"ephemeral_1h_input_tokens":6},"cache_read_input_tokens":7,"speed":"fast"}},"requestId":"r1","isSidechain":true,"timestamp":"2025-03-10T10:00:01.000Z"})",
      R"({"type":"summary","summary":"no usage here"})",
      R"({"message":{"usage":{"input_tokens":1,"output_tokens":1}},"timestamp":"2025-03-10T10:00:02.000Z"})",
      R"({"message":{"usage":{"input_tokens":1,"output_tokens":1}},"timestamp":"bad"})",
      R"({"message":{"usage":{"input_tokens":1,)",
  });
  ParseOutput out = ParseAll(*src, f, data);
  ASSERT_EQ(out.records.size(), 3u);
  const UsageRecord& a = out.records[1];
  EXPECT_EQ(a.kind, RecordKind::kResponse);
  EXPECT_EQ(a.input, 3u);
  EXPECT_EQ(a.cache_write, 11u);  // the cache_creation object wins over the flat field
  EXPECT_EQ(a.total, 3u + 4u + 11u + 7u);
  EXPECT_EQ(out.models[a.model], "claude-opus-4-1-fast");
  EXPECT_EQ(a.key_a, Hash64(42, "msg_1"));
  EXPECT_EQ(a.key_b, Hash64(42, "r1"));
  EXPECT_EQ(a.session, Hash64(42, "S"));
  EXPECT_TRUE(a.flags & kFlagSidechain);
  EXPECT_EQ(out.records[0].kind, RecordKind::kPrompt);
  EXPECT_EQ(out.records[0].key_a, Hash64(42, "u1"));
  EXPECT_EQ(out.records[2].session, Hash64(42, "sess"));  // no sessionId: the path's session
  EXPECT_FALSE(out.records[2].flags & kFlagMessageId);
  EXPECT_EQ(out.warnings.Get(WarningKind::kRejectedEntry), 1u);
  EXPECT_EQ(out.warnings.Get(WarningKind::kMalformedLine), 1u);
}

TEST(UsageCodexSource, DiscoversSessionsAndArchiveAndParsesState) {
  lq::testing::TempDir dir;
  std::string home = dir / "codex";
  WriteFile(home + "/sessions/2025/03/10/rollout-a.jsonl", "");
  WriteFile(home + "/archived_sessions/2025/03/10/rollout-a.jsonl", "");
  WriteFile(home + "/archived_sessions/rollout-b.jsonl", "");
  testutil::OverlayEnv env({{"CODEX_HOME", home}});
  std::vector<DiscoveryWarning> warnings;
  auto src = NewCodexSource();
  auto files = src->Discover(&env, &warnings);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].path_session, "rollout-b");
  EXPECT_EQ(files[1].path_session, "2025/03/10/rollout-a");

  // State carries across calls: the repeated total in the second part counts nothing.
  auto tc = [](const std::string& ts, int total_in, int last_in) {
    return "{\"timestamp\":\"" + ts + "\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\",\"info\":{" +
           "\"total_token_usage\":{\"input_tokens\":" + std::to_string(total_in) + ",\"output_tokens\":1}," +
           "\"last_token_usage\":{\"input_tokens\":" + std::to_string(last_in) + ",\"cached_input_tokens\":2," +
           "\"output_tokens\":1}}}}\n";
  };
  std::string part1 = "{\"timestamp\":\"2025-03-10T10:00:00.000Z\",\"type\":\"turn_context\",\"payload\":{\"model\":\"o3\"}}\n" +
                      tc("2025-03-10T10:00:01.000Z", 10, 10);
  std::string part2 = tc("2025-03-10T10:00:02.000Z", 10, 10) + tc("2025-03-10T10:00:03.000Z", 25, 15);
  ParseOutput out;
  std::string state;
  for (std::string part : {part1, part2}) {
    size_t n = part.size();
    part.append(kParsePadding, ' ');
    src->Parse(ParseContext{1}, files[1], std::string_view(part.data(), n), &state, &out);
  }
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0].input, 8u);
  EXPECT_EQ(out.records[0].cache_read, 2u);
  EXPECT_EQ(out.records[1].input, 13u);
  EXPECT_EQ(out.models[out.records[1].model], "o3");
}

}  // namespace
}  // namespace lq::usage

// The seam between the usage scanner and each AI coding assistant ("agent").
//
// An agent is one UsageSource in one file (claude_source.cc, codex_source.cc) plus a
// fixture test. A source knows three things:
//   1. Discover: where its logs are (missing directories are fine; symlinks are never
//      followed and are counted as warnings instead).
//   2. Parse: turn bytes of one log into UsageRecords. The scanner hands it complete
//      lines only, possibly a later part of a file that grew (incremental scans), with
//      the per-file parser state saved after the previous part.
//   3. Resolve: the agent's cross-file deduplication, over all its records in file order.
//
// Records hold UTC instants, token counts, a model index and 64-bit keyed hashes of the
// ids needed for deduplication. No path, prompt text or id ever leaves Parse in clear.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"

namespace lq::usage {

enum class Agent : uint8_t { kClaude = 0, kCodex = 1 };
inline constexpr int kAgentCount = 2;
const char* AgentName(Agent agent);  // "claude", "codex"

enum class RecordKind : uint8_t {
  kResponse = 0,  // a model response with token usage
  kPrompt = 1,    // a prompt a person typed (no tokens)
};

enum RecordFlag : uint8_t {
  kFlagSidechain = 1,     // Claude: isSidechain == true
  kFlagMessageId = 2,     // Claude: message.id present (key_a valid)
  kFlagRequestId = 4,     // Claude: requestId present (key_b valid)
  kFlagSpeed = 8,         // Claude: usage.speed present
};

struct UsageRecord {
  int64_t ts_ms = 0;      // UTC
  uint64_t key_a = 0;     // Claude: message id hash; Codex: timestamp text hash; prompt: its key
  uint64_t key_b = 0;     // Claude: request id hash; Codex: reasoning tokens
  uint64_t session = 0;   // session id hash
  uint64_t input = 0;     // tokens as reported (Codex: without the cached part)
  uint64_t output = 0;
  uint64_t cache_write = 0;
  uint64_t cache_read = 0;
  uint64_t total = 0;     // the agent's own total (Claude: the sum of the four)
  double cost = 0;        // Claude: tie-break between equal-total duplicates
  uint32_t model = 0;     // index into the model table of the ParseOutput / scan
  RecordKind kind = RecordKind::kResponse;
  uint8_t flags = 0;
  uint8_t reserved[2] = {0, 0};  // explicit, so no uninitialized padding reaches the cache
};
static_assert(sizeof(UsageRecord) == 88, "UsageRecord must have no implicit padding");

// Problems counted while scanning; never an abort.
enum class WarningKind : uint8_t {
  kMalformedLine = 0,  // a candidate line that is not valid JSON (or not UTF-8)
  kRejectedEntry,      // valid JSON that the agent's rules drop (bad timestamp, null field, ...)
  kUnreadableFile,
  kUnreadableDir,
  kSymlinkSkipped,     // symlinks are not followed
  kSymlinkLoop,        // a symlink that resolves to itself
  kCount,
};
inline constexpr int kWarningKinds = static_cast<int>(WarningKind::kCount);
const char* WarningName(WarningKind kind);

struct WarningCounts {
  std::array<uint32_t, kWarningKinds> n{};
  void Add(WarningKind k, uint32_t count = 1) { n[static_cast<int>(k)] += count; }
  uint32_t Get(WarningKind k) const { return n[static_cast<int>(k)]; }
  uint64_t Total() const {
    uint64_t t = 0;
    for (auto v : n) t += v;
    return t;
  }
  void Merge(const WarningCounts& o) {
    for (int i = 0; i < kWarningKinds; ++i) n[i] += o.n[i];
  }
};

// A problem found while discovering files (printed with --verbose, never stored).
struct DiscoveryWarning {
  WarningKind kind;
  std::string path;
};

struct SourceFile {
  std::string path;     // absolute; lives only in memory
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  // The session id the agent derives from the path (Claude: the session folder or file
  // stem; Codex: the path relative to sessions/ without ".jsonl"). Hashed by Parse.
  std::string path_session;
};

struct ParseContext {
  uint64_t salt = 0;  // key for Hash64 of every id
};

struct ParseOutput {
  std::vector<UsageRecord> records;  // in line order for each kind
  std::vector<std::string> models;   // record.model indexes this table
  WarningCounts warnings;
  uint32_t ModelIndex(std::string_view name);
};

// simdjson reads up to this many bytes past the end of the data it parses; buffers
// handed to Parse must have them (their content is irrelevant).
inline constexpr size_t kParsePadding = 64;

class UsageSource {
 public:
  virtual ~UsageSource() = default;
  virtual Agent agent() const = 0;

  // The directories Discover looks in, whether or not they exist, for messages such as
  // "no logs found in ...".
  virtual std::vector<std::string> SearchedDirs(Env* env) const = 0;

  // The agent's log files, sorted by path (the order ccusage deduplicates in).
  virtual std::vector<SourceFile> Discover(Env* env, std::vector<DiscoveryWarning>* warnings) const = 0;

  // Parses `data`: whole lines of `file` ('\n'-terminated, except possibly the last one),
  // with kParsePadding readable bytes after data.end(). `state` is the parser state the
  // previous call for this file left (empty at the start of a file); Parse updates it.
  virtual void Parse(const ParseContext& ctx, const SourceFile& file, std::string_view data,
                     std::string* state, ParseOutput* out) const = 0;

  // Deduplicates this agent's responses across all files: `responses` is every response
  // record in file order; on return it holds the survivors (in first-seen order).
  virtual void Resolve(std::vector<const UsageRecord*>* responses) const = 0;
};

std::unique_ptr<UsageSource> NewClaudeSource();
std::unique_ptr<UsageSource> NewCodexSource();
// Every agent lq knows, indexed by Agent.
const std::vector<std::unique_ptr<UsageSource>>& AllSources();

// Shared helpers for sources.
// Lists `dir` recursively for regular files whose name ends in ".jsonl" (with a
// non-empty stem), never following symlinks. Missing or unreadable directories are
// fine (an unreadable one is counted). Results are appended unsorted.
void CollectJsonl(Env* env, const std::string& dir, std::vector<SourceFile>* files,
                  std::vector<DiscoveryWarning>* warnings);
// Finds `needle` in `haystack` (SIMD first/last byte filter); npos if absent.
size_t FindMarker(std::string_view haystack, std::string_view needle);

}  // namespace lq::usage

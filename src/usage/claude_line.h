// How ccusage 20.0.24 reads one Claude Code JSONL line, for claude_source.cc: the textual
// null-field rule and serde-like typed reading on a simdjson DOM. The DOM parse validates
// the whole line the way serde_json does for ccusage (strings and their escapes, numbers,
// literals, nesting deeper than 127 levels, trailing bytes), so a line ccusage cannot
// read is not read here. Views point into the parsed line; internal to lq_usage.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace lq::usage::claude_line {

namespace dom = simdjson::dom;

// Outcome of reading a value: ok, or the serde type does not match.
enum class Rd { kOk, kBadType };

struct Usage {
  uint64_t input = 0, output = 0, cache_creation_flat = 0, cache_read = 0;
  bool has_input = false, has_output = false;
  bool has_cc_object = false;
  uint64_t cc5m = 0, cc1h = 0;
  bool has_speed = false, fast = false;

  uint64_t CacheWrite() const {
    if (!has_cc_object) return cache_creation_flat;
    uint64_t s = cc5m + cc1h;
    return s < cc5m ? UINT64_MAX : s;  // saturating, as ccusage
  }
  // A stand-in for ccusage's cost, used only to break ties between duplicates of one
  // message (same model): Anthropic's price ratios, input = 1.
  double Cost() const {
    double cw5 = has_cc_object ? static_cast<double>(cc5m) : static_cast<double>(cache_creation_flat);
    double cw1 = has_cc_object ? static_cast<double>(cc1h) : 0.0;
    return static_cast<double>(input) + 5.0 * static_cast<double>(output) + 1.25 * cw5 + 2.0 * cw1 +
           0.1 * static_cast<double>(cache_read);
  }
};

struct Message {
  Usage usage;
  bool has_usage = false;
  bool has_model = false, has_id = false;
  std::string_view model, id;
  dom::element usage_element;
};

// The fields both line shapes share (DailyUsageEntry / DailyAgentProgressMessage).
struct Entry {
  bool has_ts = false;
  std::string_view ts;
  Message msg;
  bool has_msg = false;
  bool has_version = false;
  std::string_view version;
  bool has_session = false;
  std::string_view session;
  bool has_cost = false;
  double cost = 0;
  bool has_rid = false;
  std::string_view rid;
  std::optional<bool> side;
};

struct Advisor {
  std::string_view model;
  Usage usage;
};

bool IsWs(char c);
// ccusage's has_unsupported_null_field: a null under one of its keys anywhere in the line.
bool HasUnsupportedNull(std::string_view line);

// Option<String> / Option<bool> / Option<f64>: null -> absent.
Rd ReadOptString(dom::element v, bool* present, std::string_view* out);
Rd ReadOptBool(dom::element v, std::optional<bool>* out);
Rd ReadOptF64(dom::element v, bool* present, double* out);
Rd ReadMessage(dom::element v, Message* m);
Rd ReadTimestamp(dom::element v, Entry* en);
// The agent-progress wrapper's `data`.
Rd ReadProgressData(dom::element v, Entry* en);
// message.usage.iterations of the top-level message (advisor entries).
bool ReadAdvisors(dom::object top, std::vector<Advisor>* out);
// A version that starts N.N.N.
bool IsSemverPrefix(std::string_view v);
// Prompt text that was not typed by a person (commands, hooks, interrupts).
bool IsSyntheticPromptText(std::string_view s);

}  // namespace lq::usage::claude_line

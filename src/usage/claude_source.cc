// Claude Code: ~/.claude/projects/**/*.jsonl (and ~/.config/claude, or CLAUDE_CONFIG_DIR).
//
// Reproduces ccusage 20.0.24 (`ccusage claude daily`) exactly; each rule is confirmed by
// an oracle test in claude_oracle_test.cc and written up in docs/usage.md:
// - a line is looked at only if it holds the bytes `"usage":{`; `type` is never checked;
// - a line is dropped if any key in it named id, cwd, model, speed, costUSD, version,
//   sessionId, requestId, isApiErrorMessage, cache_read_input_tokens or
//   cache_creation_input_tokens has the value null (a null `model` inside
//   message.usage.iterations is allowed);
// - the line must deserialize the way serde does: top level {timestamp: string,
//   message: {usage: {input_tokens, output_tokens: u64, cache_*: u64, speed:
//   "standard"|"fast", cache_creation: {ephemeral_5m/1h_input_tokens}}, model, id},
//   version, sessionId, costUSD, requestId, isSidechain} with no duplicate known key;
//   otherwise an agent-progress line {sessionId?, data: {message: {timestamp, message,
//   costUSD, requestId, isSidechain}}};
// - timestamp per ParseTimestampMs; version must start N.N.N; sessionId, requestId,
//   message.id and model must not be empty strings;
// - cache creation is ephemeral_5m + ephemeral_1h when a cache_creation object exists;
// - usage.iterations entries of type advisor_message with a model add entries with
//   message id "<id>:advisor:<n>";
// - deduplication: see Resolve below.
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "core/paths.h"
#include "usage/hash.h"
#include "usage/timestamp.h"
#include "usage/usage_source.h"

namespace lq::usage {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

constexpr std::string_view kUsageMarker = "\"usage\":{";
constexpr std::string_view kUserMarker = "\"type\":\"user\"";

// ---------------------------------------------------------------------------------
// The null-field rule (ccusage's has_unsupported_null_field), textual like ccusage.

bool IsWs(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsUnsupportedNullKey(std::string_view k) {
  switch (k.size()) {
    case 2: return k == "id";
    case 3: return k == "cwd";
    case 5: return k == "model" || k == "speed";
    case 7: return k == "costUSD" || k == "version";
    case 9: return k == "sessionId" || k == "requestId";
    case 17: return k == "isApiErrorMessage";
    case 23: return k == "cache_read_input_tokens";
    case 27: return k == "cache_creation_input_tokens";
    default: return false;
  }
}

size_t SkipWs(std::string_view s, size_t i) {
  while (i < s.size() && IsWs(s[i])) ++i;
  return i;
}

// Index of the quote closing the string whose contents start at `i`.
std::optional<size_t> StringEnd(std::string_view s, size_t i) {
  while (i < s.size()) {
    if (s[i] == '\\') {
      i += 2;
      continue;
    }
    if (s[i] == '"') return i;
    ++i;
  }
  return std::nullopt;
}

std::optional<size_t> ContainerEnd(std::string_view s, size_t i) {
  int depth = 1;
  while (i < s.size()) {
    char c = s[i];
    if (c == '"') {
      auto e = StringEnd(s, i + 1);
      if (!e) return std::nullopt;
      i = *e;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      if (--depth == 0) return i;
    }
    ++i;
  }
  return std::nullopt;
}

// The body of the `iterations` array that is a direct member of a `usage` object.
std::optional<std::pair<size_t, size_t>> IterationsSpan(std::string_view line) {
  constexpr std::string_view kKey = "\"usage\"";
  size_t off = 0;
  while (true) {
    size_t f = line.find(kKey, off);
    if (f == std::string_view::npos) return std::nullopt;
    off = f + kKey.size();
    size_t i = SkipWs(line, off);
    if (i >= line.size() || line[i] != ':') continue;
    i = SkipWs(line, i + 1);
    if (i >= line.size() || line[i] != '{') continue;
    i = SkipWs(line, i + 1);
    // Walk the members of this object.
    bool found_other = false;
    while (i < line.size() && line[i] == '"') {
      auto key_end = StringEnd(line, i + 1);
      if (!key_end) return std::nullopt;
      std::string_view key = line.substr(i + 1, *key_end - i - 1);
      size_t v = SkipWs(line, *key_end + 1);
      if (v >= line.size() || line[v] != ':') break;
      v = SkipWs(line, v + 1);
      if (v >= line.size()) break;
      size_t vend;
      if (line[v] == '[' && key == "iterations") {
        auto e = ContainerEnd(line, v + 1);
        if (!e) return std::nullopt;
        return std::make_pair(v + 1, *e);
      } else if (line[v] == '[' || line[v] == '{') {
        auto e = ContainerEnd(line, v + 1);
        if (!e) return std::nullopt;
        vend = *e;
      } else if (line[v] == '"') {
        auto e = StringEnd(line, v + 1);
        if (!e) return std::nullopt;
        vend = *e;
      } else {
        size_t e = v;
        while (e < line.size() && line[e] != ',' && line[e] != '}') ++e;
        vend = e - 1;
      }
      i = SkipWs(line, vend + 1);
      if (i < line.size() && line[i] == ',') {
        i = SkipWs(line, i + 1);
        continue;
      }
      found_other = true;
      break;
    }
    (void)found_other;
  }
}

bool HasUnsupportedNull(std::string_view line) {
  bool span_done = false;
  std::optional<std::pair<size_t, size_t>> span;
  size_t off = 0;
  while (off < line.size()) {
    size_t f = FindMarker(line.substr(off), "null");
    if (f == std::string_view::npos) return false;
    size_t idx = off + f;
    off = idx + 4;
    size_t j = idx;
    while (j > 0 && IsWs(line[j - 1])) --j;
    if (j == 0 || line[j - 1] != ':') continue;
    --j;
    while (j > 0 && IsWs(line[j - 1])) --j;
    if (j == 0 || line[j - 1] != '"') continue;
    size_t close = j - 1;
    if (close == 0) continue;
    size_t open = line.rfind('"', close - 1);
    if (open == std::string_view::npos) continue;
    std::string_view key = line.substr(open + 1, close - open - 1);
    if (!IsUnsupportedNullKey(key)) continue;
    if (key == "model") {
      if (!span_done) {
        span = IterationsSpan(line);
        span_done = true;
      }
      if (span && idx >= span->first && idx < span->second) continue;
    }
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------
// serde-like typed reading with simdjson On-Demand.

// Outcome of reading a value: ok, wrong shape (the serde type does not match), or the
// line is not valid JSON at all.
enum class Rd { kOk, kBadType, kBadJson };

Rd FromError(error_code e) {
  if (e == simdjson::SUCCESS) return Rd::kOk;
  if (e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_OUT_OF_RANGE) {
    return Rd::kBadType;
  }
  return Rd::kBadJson;
}

Rd Worse(Rd a, Rd b) { return a > b ? a : b; }

Rd ReadU64(od::value& v, uint64_t* out) {
  od::json_type t;
  if (auto e = v.type().get(t); e) return FromError(e);
  if (t != od::json_type::number) return Rd::kBadType;
  std::string_view tok = v.raw_json_token();
  while (!tok.empty() && IsWs(tok.back())) tok.remove_suffix(1);
  size_t i = 0;
  bool negative = false;
  if (i < tok.size() && tok[i] == '-') {
    negative = true;
    ++i;
  }
  if (i >= tok.size()) return Rd::kBadJson;
  if (tok[i] == '0' && i + 1 < tok.size() && tok[i + 1] >= '0' && tok[i + 1] <= '9') return Rd::kBadJson;
  uint64_t value = 0;
  for (; i < tok.size(); ++i) {
    char c = tok[i];
    if (c == '.' || c == 'e' || c == 'E') return Rd::kBadType;  // a float: not a u64
    if (c < '0' || c > '9') return Rd::kBadJson;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - d) / 10) return Rd::kBadType;  // does not fit
    value = value * 10 + d;
  }
  if (negative && value != 0) return Rd::kBadType;
  *out = value;
  return Rd::kOk;
}

Rd ReadF64(od::value& v, double* out) {
  od::json_type t;
  if (auto e = v.type().get(t); e) return FromError(e);
  if (t != od::json_type::number) return Rd::kBadType;
  return FromError(v.get_double().get(*out));
}

// Option<String>: null -> absent.
Rd ReadOptString(od::value& v, bool* present, std::string_view* out) {
  od::json_type t;
  if (auto e = v.type().get(t); e) return FromError(e);
  if (t == od::json_type::null) {
    bool n;
    if (auto e = v.is_null().get(n); e) return FromError(e);
    *present = false;
    return Rd::kOk;
  }
  if (t != od::json_type::string) return Rd::kBadType;
  *present = true;
  return FromError(v.get_string().get(*out));
}

Rd ReadOptBool(od::value& v, std::optional<bool>* out) {
  od::json_type t;
  if (auto e = v.type().get(t); e) return FromError(e);
  if (t == od::json_type::null) {
    bool n;
    if (auto e = v.is_null().get(n); e) return FromError(e);
    out->reset();
    return Rd::kOk;
  }
  if (t != od::json_type::boolean) return Rd::kBadType;
  bool b;
  Rd r = FromError(v.get_bool().get(b));
  if (r == Rd::kOk) *out = b;
  return r;
}

bool IsNull(od::value& v, Rd* r) {
  od::json_type t;
  if (auto e = v.type().get(t); e) {
    *r = FromError(e);
    return false;
  }
  *r = Rd::kOk;
  if (t != od::json_type::null) return false;
  bool n;
  if (auto e = v.is_null().get(n); e) *r = FromError(e);
  return true;
}

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
  double Cost() const {
    double cw5 = has_cc_object ? static_cast<double>(cc5m) : static_cast<double>(cache_creation_flat);
    double cw1 = has_cc_object ? static_cast<double>(cc1h) : 0.0;
    return static_cast<double>(input) + 5.0 * static_cast<double>(output) + 1.25 * cw5 + 2.0 * cw1 +
           0.1 * static_cast<double>(cache_read);
  }
};

Rd ReadCacheCreation(od::value& v, Usage* u) {
  od::json_type t;
  if (auto e = v.type().get(t); e) return FromError(e);
  if (t == od::json_type::null) {
    bool n;
    return FromError(v.is_null().get(n));
  }
  if (t == od::json_type::array) {
    od::array a;
    if (auto e = v.get_array().get(a); e) return FromError(e);
    int i = 0;
    for (auto el : a) {
      od::value ev;
      if (auto e = el.get(ev); e) return FromError(e);
      if (i >= 2) return Rd::kBadType;
      uint64_t x;
      Rd r = ReadU64(ev, &x);
      if (r != Rd::kOk) return r;
      (i == 0 ? u->cc5m : u->cc1h) = x;
      ++i;
    }
    u->has_cc_object = true;
    return Rd::kOk;
  }
  if (t != od::json_type::object) return Rd::kBadType;
  od::object o;
  if (auto e = v.get_object().get(o); e) return FromError(e);
  bool seen5 = false, seen1 = false;
  for (auto f : o) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key); e) return FromError(e);
    od::value fv;
    if (auto e = f.value().get(fv); e) return FromError(e);
    if (key == "ephemeral_5m_input_tokens") {
      if (seen5) return Rd::kBadType;
      seen5 = true;
      Rd r = ReadU64(fv, &u->cc5m);
      if (r != Rd::kOk) return r;
    } else if (key == "ephemeral_1h_input_tokens") {
      if (seen1) return Rd::kBadType;
      seen1 = true;
      Rd r = ReadU64(fv, &u->cc1h);
      if (r != Rd::kOk) return r;
    }
  }
  u->has_cc_object = true;
  return Rd::kOk;
}

// Reads a usage object's known members; `extra` sees the others (for iterations).
template <typename Extra>
Rd ReadUsageMembers(od::object& o, Usage* u, Extra extra) {
  unsigned seen = 0;
  for (auto f : o) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key); e) return FromError(e);
    od::value fv;
    if (auto e = f.value().get(fv); e) return FromError(e);
    unsigned bit = 0;
    Rd r = Rd::kOk;
    if (key == "input_tokens") {
      bit = 1;
      r = ReadU64(fv, &u->input);
      u->has_input = true;
    } else if (key == "output_tokens") {
      bit = 2;
      r = ReadU64(fv, &u->output);
      u->has_output = true;
    } else if (key == "cache_creation_input_tokens") {
      bit = 4;
      r = ReadU64(fv, &u->cache_creation_flat);
    } else if (key == "cache_read_input_tokens") {
      bit = 8;
      r = ReadU64(fv, &u->cache_read);
    } else if (key == "speed") {
      bit = 16;
      Rd nr;
      if (IsNull(fv, &nr)) {
        r = nr;
      } else if (nr != Rd::kOk) {
        r = nr;
      } else {
        std::string_view s;
        bool present = false;
        r = ReadOptString(fv, &present, &s);
        if (r == Rd::kOk) {
          if (s == "fast") {
            u->has_speed = u->fast = true;
          } else if (s == "standard") {
            u->has_speed = true;
          } else {
            r = Rd::kBadType;
          }
        }
      }
    } else if (key == "cache_creation") {
      bit = 32;
      r = ReadCacheCreation(fv, u);
    } else {
      r = extra(key, fv);
    }
    if (bit != 0) {
      if (seen & bit) return Rd::kBadType;  // serde: duplicate field
      seen |= bit;
    }
    if (r != Rd::kOk) return r;
  }
  if (!u->has_input || !u->has_output) return Rd::kBadType;
  return Rd::kOk;
}

struct Message {
  Usage usage;
  bool has_usage = false;
  bool has_model = false, has_id = false;
  std::string_view model, id;
};

Rd ReadMessage(od::value& v, Message* m) {
  od::object o;
  if (auto e = v.get_object().get(o); e) return FromError(e);
  unsigned seen = 0;
  for (auto f : o) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key); e) return FromError(e);
    od::value fv;
    if (auto e = f.value().get(fv); e) return FromError(e);
    unsigned bit = 0;
    Rd r = Rd::kOk;
    if (key == "usage") {
      bit = 1;
      od::object uo;
      if (auto e = fv.get_object().get(uo); e) return FromError(e);
      r = ReadUsageMembers(uo, &m->usage, [](std::string_view, od::value&) { return Rd::kOk; });
      m->has_usage = true;
    } else if (key == "model") {
      bit = 2;
      r = ReadOptString(fv, &m->has_model, &m->model);
    } else if (key == "id") {
      bit = 4;
      r = ReadOptString(fv, &m->has_id, &m->id);
    }
    if (bit != 0) {
      if (seen & bit) return Rd::kBadType;
      seen |= bit;
    }
    if (r != Rd::kOk) return r;
  }
  return m->has_usage ? Rd::kOk : Rd::kBadType;
}

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

bool IsSemverPrefix(std::string_view v) {
  size_t i = 0;
  auto digits = [&] {
    size_t s = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    return i > s;
  };
  if (!digits() || i >= v.size() || v[i] != '.') return false;
  ++i;
  if (!digits() || i >= v.size() || v[i] != '.') return false;
  ++i;
  return i < v.size() && v[i] >= '0' && v[i] <= '9';
}

// Reads the progress wrapper's data.message.
Rd ReadProgressMessage(od::value& v, Entry* en) {
  od::object o;
  if (auto e = v.get_object().get(o); e) return FromError(e);
  unsigned seen = 0;
  for (auto f : o) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key); e) return FromError(e);
    od::value fv;
    if (auto e = f.value().get(fv); e) return FromError(e);
    unsigned bit = 0;
    Rd r = Rd::kOk;
    if (key == "timestamp") {
      bit = 1;
      od::json_type t;
      if (auto e = fv.type().get(t); e) return FromError(e);
      if (t != od::json_type::string) return Rd::kBadType;
      r = FromError(fv.get_string().get(en->ts));
      en->has_ts = true;
    } else if (key == "message") {
      bit = 2;
      r = ReadMessage(fv, &en->msg);
      en->has_msg = true;
    } else if (key == "costUSD") {
      bit = 4;
      Rd nr;
      if (!IsNull(fv, &nr) && nr == Rd::kOk) {
        r = ReadF64(fv, &en->cost);
        en->has_cost = true;
      } else {
        r = nr;
      }
    } else if (key == "requestId") {
      bit = 8;
      r = ReadOptString(fv, &en->has_rid, &en->rid);
    } else if (key == "isSidechain") {
      bit = 16;
      r = ReadOptBool(fv, &en->side);
    }
    if (bit != 0) {
      if (seen & bit) return Rd::kBadType;
      seen |= bit;
    }
    if (r != Rd::kOk) return r;
  }
  return en->has_ts && en->has_msg ? Rd::kOk : Rd::kBadType;
}

Rd ReadProgressData(od::value& v, Entry* en) {
  od::object o;
  if (auto e = v.get_object().get(o); e) return FromError(e);
  bool seen = false;
  for (auto f : o) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key); e) return FromError(e);
    od::value fv;
    if (auto e = f.value().get(fv); e) return FromError(e);
    if (key == "message") {
      if (seen) return Rd::kBadType;
      seen = true;
      Rd r = ReadProgressMessage(fv, en);
      if (r != Rd::kOk) return r;
    }
  }
  return seen ? Rd::kOk : Rd::kBadType;
}

struct Advisor {
  std::string_view model;
  Usage usage;
};

// Prompt text markers that mean "not typed by a person" (commands, hooks, interrupts).
bool IsSyntheticPromptText(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsWs(s[i])) ++i;
  s.remove_prefix(i);
  if (s.empty()) return true;
  static constexpr std::string_view kPrefixes[] = {
      "<command-name>", "<command-message>", "<command-args>", "<local-command-stdout>",
      "<local-command-stderr>", "<local-command-caveat>", "<bash-input>", "<bash-stdout>",
      "<bash-stderr>", "<user-prompt-submit-hook>", "<system-reminder>", "[Request interrupted",
      "Caveat: The messages below",
  };
  for (auto p : kPrefixes) {
    if (s.substr(0, p.size()) == p) return true;
  }
  return false;
}

class LineParser {
 public:
  void UsageLine(const ParseContext& ctx, std::string_view line, size_t capacity, uint64_t path_session,
                 ParseOutput* out);
  void UserLine(const ParseContext& ctx, std::string_view line, size_t capacity, uint64_t path_session,
                ParseOutput* out);

 private:
  Rd ReadAdvisors(std::string_view line, size_t capacity);
  od::parser parser_;
  std::vector<Advisor> advisors_;
  std::string scratch_;
};

void LineParser::UsageLine(const ParseContext& ctx, std::string_view line, size_t capacity,
                           uint64_t path_session, ParseOutput* out) {
  if (HasUnsupportedNull(line)) {
    out->warnings.Add(WarningKind::kRejectedEntry);
    return;
  }
  od::document doc;
  if (parser_.iterate(line.data(), line.size(), capacity).get(doc)) {
    out->warnings.Add(WarningKind::kMalformedLine);
    return;
  }
  od::object top;
  if (auto e = doc.get_object().get(top); e) {
    out->warnings.Add(FromError(e) == Rd::kBadJson ? WarningKind::kMalformedLine : WarningKind::kRejectedEntry);
    return;
  }
  Entry direct, progress;
  Rd direct_rd = Rd::kOk, progress_rd = Rd::kOk;
  bool has_data = false;
  unsigned seen_d = 0, seen_p = 0;
  Rd fatal = Rd::kOk;
  for (auto f : top) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key); e) {
      fatal = FromError(e);
      break;
    }
    od::value v;
    if (auto e = f.value().get(v); e) {
      fatal = FromError(e);
      break;
    }
    unsigned bd = 0, bp = 0;
    Rd r = Rd::kOk;
    bool for_direct = true;
    if (key == "timestamp") {
      bd = 1;
      od::json_type t;
      if (auto e = v.type().get(t); e) {
        r = FromError(e);
      } else if (t != od::json_type::string) {
        r = Rd::kBadType;
      } else {
        r = FromError(v.get_string().get(direct.ts));
        direct.has_ts = true;
      }
    } else if (key == "message") {
      bd = 2;
      r = ReadMessage(v, &direct.msg);
      direct.has_msg = true;
    } else if (key == "version") {
      bd = 4;
      r = ReadOptString(v, &direct.has_version, &direct.version);
    } else if (key == "sessionId") {
      bd = 8;
      bp = 1;
      r = ReadOptString(v, &direct.has_session, &direct.session);
      progress.has_session = direct.has_session;
      progress.session = direct.session;
      if (r == Rd::kBadType) progress_rd = Worse(progress_rd, r);
    } else if (key == "costUSD") {
      bd = 16;
      Rd nr;
      if (!IsNull(v, &nr) && nr == Rd::kOk) {
        r = ReadF64(v, &direct.cost);
        direct.has_cost = true;
      } else {
        r = nr;
      }
    } else if (key == "requestId") {
      bd = 32;
      r = ReadOptString(v, &direct.has_rid, &direct.rid);
    } else if (key == "isSidechain") {
      bd = 64;
      r = ReadOptBool(v, &direct.side);
    } else if (key == "data") {
      bp = 2;
      for_direct = false;
      has_data = true;
      r = ReadProgressData(v, &progress);
      if (r == Rd::kBadType) progress_rd = Worse(progress_rd, r);
    }
    if (bd != 0) {
      if (seen_d & bd) direct_rd = Worse(direct_rd, Rd::kBadType);
      seen_d |= bd;
    }
    if (bp != 0) {
      if (seen_p & bp) progress_rd = Worse(progress_rd, Rd::kBadType);
      seen_p |= bp;
    }
    if (r == Rd::kBadJson) {
      fatal = r;
      break;
    }
    if (r == Rd::kBadType && for_direct && bd != 0) direct_rd = Worse(direct_rd, r);
  }
  if (fatal == Rd::kOk) {
    // Trailing bytes after the object make the line invalid JSON (serde rejects them).
    const char* loc = nullptr;
    if (!doc.current_location().get(loc)) fatal = Rd::kBadJson;
  }
  if (fatal == Rd::kBadJson) {
    out->warnings.Add(WarningKind::kMalformedLine);
    return;
  }
  if (!direct.has_ts || !direct.has_msg) direct_rd = Worse(direct_rd, Rd::kBadType);
  if (!has_data) progress_rd = Rd::kBadType;
  const Entry* en;
  if (direct_rd == Rd::kOk) {
    en = &direct;
  } else if (progress_rd == Rd::kOk) {
    en = &progress;  // version is not read for progress lines
  } else {
    out->warnings.Add(WarningKind::kRejectedEntry);
    return;
  }
  auto ts = ParseTimestampMs(en->ts);
  const Message& m = en->msg;
  bool valid = ts.has_value() && !(en->has_version && !IsSemverPrefix(en->version)) &&
               !(en->has_session && en->session.empty()) && !(en->has_rid && en->rid.empty()) &&
               !(m.has_id && m.id.empty()) && !(m.has_model && m.model.empty());
  if (!valid) {
    out->warnings.Add(WarningKind::kRejectedEntry);
    return;
  }

  UsageRecord rec;
  rec.kind = RecordKind::kResponse;
  rec.ts_ms = *ts;
  rec.session = en->has_session ? Hash64(ctx.salt, en->session) : path_session;
  if (m.has_id) {
    rec.key_a = Hash64(ctx.salt, m.id);
    rec.flags |= kFlagMessageId;
  }
  if (en->has_rid) {
    rec.key_b = Hash64(ctx.salt, en->rid);
    rec.flags |= kFlagRequestId;
  }
  if (en->side.value_or(false)) rec.flags |= kFlagSidechain;
  if (m.usage.has_speed) rec.flags |= kFlagSpeed;
  rec.input = m.usage.input;
  rec.output = m.usage.output;
  rec.cache_write = m.usage.CacheWrite();
  rec.cache_read = m.usage.cache_read;
  rec.total = rec.input + rec.output + rec.cache_write + rec.cache_read;
  rec.cost = en->has_cost ? en->cost : m.usage.Cost();
  if (!m.has_model) {
    rec.model = out->ModelIndex("");
  } else if (m.usage.fast && m.model != "<synthetic>") {
    scratch_.assign(m.model);
    scratch_ += "-fast";
    rec.model = out->ModelIndex(scratch_);
  } else {
    rec.model = out->ModelIndex(m.model);
  }
  // Keep the id text for advisor ids before the next parse invalidates the views.
  std::string mid(m.has_id ? m.id : std::string_view());
  bool has_mid = m.has_id;
  out->records.push_back(rec);

  if (FindMarker(line, "\"advisor_message\"") == std::string_view::npos) return;
  if (ReadAdvisors(line, capacity) != Rd::kOk) return;
  int index = 0;
  for (const Advisor& a : advisors_) {
    UsageRecord ar = rec;
    if (has_mid) {
      ar.key_a = Hash64(ctx.salt, mid + ":advisor:" + std::to_string(index));
    }
    ar.input = a.usage.input;
    ar.output = a.usage.output;
    ar.cache_write = a.usage.CacheWrite();
    ar.cache_read = a.usage.cache_read;
    ar.total = ar.input + ar.output + ar.cache_write + ar.cache_read;
    ar.cost = a.usage.Cost();
    ar.flags = static_cast<uint8_t>(rec.flags & ~kFlagSpeed);
    if (a.usage.has_speed) ar.flags |= kFlagSpeed;
    ar.model = out->ModelIndex(a.model);
    out->records.push_back(ar);
    ++index;
  }
}

// message.usage.iterations of the top-level message, strictly (any bad element: none).
Rd LineParser::ReadAdvisors(std::string_view line, size_t capacity) {
  advisors_.clear();
  od::document doc;
  if (parser_.iterate(line.data(), line.size(), capacity).get(doc)) return Rd::kBadJson;
  od::object top;
  if (auto e = doc.get_object().get(top); e) return FromError(e);
  bool seen_msg = false;
  for (auto f : top) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key); e) return FromError(e);
    if (key != "message") continue;
    if (seen_msg) return Rd::kBadType;
    seen_msg = true;
    od::value mv;
    if (auto e = f.value().get(mv); e) return FromError(e);
    od::object mo;
    if (auto e = mv.get_object().get(mo); e) return FromError(e);
    bool seen_usage = false;
    for (auto mf : mo) {
      std::string_view mkey;
      if (auto e = mf.unescaped_key().get(mkey); e) return FromError(e);
      if (mkey != "usage") continue;
      if (seen_usage) return Rd::kBadType;
      seen_usage = true;
      od::value uv;
      if (auto e = mf.value().get(uv); e) return FromError(e);
      od::object uo;
      if (auto e = uv.get_object().get(uo); e) return FromError(e);
      bool seen_iter = false;
      for (auto uf : uo) {
        std::string_view ukey;
        if (auto e = uf.unescaped_key().get(ukey); e) return FromError(e);
        if (ukey != "iterations") continue;
        if (seen_iter) return Rd::kBadType;
        seen_iter = true;
        od::value iv;
        if (auto e = uf.value().get(iv); e) return FromError(e);
        od::array arr;
        if (auto e = iv.get_array().get(arr); e) return FromError(e);
        for (auto el : arr) {
          od::value ev;
          if (auto e = el.get(ev); e) return FromError(e);
          od::object eo;
          if (auto e = ev.get_object().get(eo); e) return FromError(e);
          Advisor a;
          bool has_type = false, is_advisor = false, has_model = false;
          unsigned seen = 0;
          Rd r = ReadUsageMembers(eo, &a.usage, [&](std::string_view k, od::value& fv) -> Rd {
            if (k == "type") {
              if (seen & 1) return Rd::kBadType;
              seen |= 1;
              od::json_type t;
              if (auto e = fv.type().get(t); e) return FromError(e);
              if (t != od::json_type::string) return Rd::kBadType;
              std::string_view s;
              if (auto e = fv.get_string().get(s); e) return FromError(e);
              has_type = true;
              is_advisor = s == "advisor_message";
              return Rd::kOk;
            }
            if (k == "model") {
              if (seen & 2) return Rd::kBadType;
              seen |= 2;
              return ReadOptString(fv, &has_model, &a.model);
            }
            return Rd::kOk;
          });
          if (r != Rd::kOk) return r;
          if (!has_type) return Rd::kBadType;
          if (is_advisor && has_model && !a.model.empty()) advisors_.push_back(a);
        }
      }
    }
  }
  return Rd::kOk;
}

void LineParser::UserLine(const ParseContext& ctx, std::string_view line, size_t capacity,
                          uint64_t path_session, ParseOutput* out) {
  // Tool results are the bulk of user lines; a key can only appear unescaped as a key.
  if (FindMarker(line, "\"tool_use_id\"") != std::string_view::npos) return;
  od::document doc;
  if (parser_.iterate(line.data(), line.size(), capacity).get(doc)) return;
  od::object top;
  if (doc.get_object().get(top)) return;
  bool is_user = false, excluded = false, is_prompt = false;
  bool has_uuid = false, has_session = false, has_ts = false;
  std::string_view uuid, session, ts;
  for (auto f : top) {
    std::string_view key;
    if (f.unescaped_key().get(key)) return;
    od::value v;
    if (f.value().get(v)) return;
    if (key == "type") {
      std::string_view t;
      if (v.get_string().get(t)) return;
      is_user = t == "user";
    } else if (key == "isSidechain" || key == "isMeta" || key == "isCompactSummary" ||
               key == "isVisibleInTranscriptOnly") {
      bool b = false;
      if (!v.get_bool().get(b) && b) excluded = true;
    } else if (key == "uuid") {
      has_uuid = !v.get_string().get(uuid) && !uuid.empty();
    } else if (key == "sessionId") {
      has_session = !v.get_string().get(session) && !session.empty();
    } else if (key == "timestamp") {
      has_ts = !v.get_string().get(ts);
    } else if (key == "message") {
      od::object mo;
      if (v.get_object().get(mo)) return;
      for (auto mf : mo) {
        std::string_view mkey;
        if (mf.unescaped_key().get(mkey)) return;
        od::value mv;
        if (mf.value().get(mv)) return;
        if (mkey == "role") {
          std::string_view role;
          if (mv.get_string().get(role) || role != "user") excluded = true;
        } else if (mkey == "content") {
          od::json_type t;
          if (mv.type().get(t)) return;
          if (t == od::json_type::string) {
            std::string_view text;
            if (mv.get_string().get(text)) return;
            is_prompt = !IsSyntheticPromptText(text);
          } else if (t == od::json_type::array) {
            od::array arr;
            if (mv.get_array().get(arr)) return;
            bool any = false, first_text = true;
            for (auto el : arr) {
              od::object eo;
              if (el.get_object().get(eo)) return;
              std::string_view etype, etext;
              for (auto ef : eo) {
                std::string_view ekey;
                if (ef.unescaped_key().get(ekey)) return;
                if (ekey == "type") {
                  if (ef.value().get_string().get(etype)) return;
                } else if (ekey == "text") {
                  if (ef.value().get_string().get(etext)) return;
                }
              }
              if (etype == "tool_result") {
                excluded = true;
              } else if (etype == "text") {
                if (first_text && IsSyntheticPromptText(etext)) excluded = true;
                first_text = false;
                any = true;
              } else if (etype == "image" || etype == "document") {
                any = true;
              }
            }
            is_prompt = any;
          }
        }
      }
    }
  }
  if (!is_user || excluded || !is_prompt || !has_ts) return;
  auto t = ParseTimestampMs(ts);
  if (!t) return;
  UsageRecord rec;
  rec.kind = RecordKind::kPrompt;
  rec.ts_ms = *t;
  rec.session = has_session ? Hash64(ctx.salt, session) : path_session;
  rec.key_a = has_uuid ? Hash64(ctx.salt, uuid) : HashCombine(rec.session, static_cast<uint64_t>(*t));
  rec.model = out->ModelIndex("");
  out->records.push_back(rec);
}

// ccusage's extract_session_parts: components after the first "projects" component.
std::string PathSession(const std::string& path) {
  std::vector<std::string_view> parts;
  std::string_view p(path);
  size_t i = 0;
  while (i < p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    if (j > i) parts.push_back(p.substr(i, j - i));
    i = j + 1;
  }
  size_t start = 0;
  for (size_t k = 0; k < parts.size(); ++k) {
    if (parts[k] == "projects") {
      start = k + 1;
      break;
    }
  }
  std::vector<std::string_view> rel(parts.begin() + static_cast<long>(std::min(start, parts.size())), parts.end());
  auto stem = [](std::string_view name) -> std::string_view {
    constexpr std::string_view kExt = ".jsonl";
    if (name.size() > kExt.size() && name.substr(name.size() - kExt.size()) == kExt) {
      return name.substr(0, name.size() - kExt.size());
    }
    return {};
  };
  if (rel.size() == 2 && !rel.empty() && !stem(rel[1]).empty()) return std::string(stem(rel[1]));
  if (rel.size() >= 4 && rel[rel.size() - 2] == "subagents") return std::string(rel[rel.size() - 3]);
  if (rel.size() >= 2) return std::string(rel[rel.size() - 2]);
  return "unknown";
}

LineParser& ThreadParser() {
  thread_local LineParser parser;
  return parser;
}

// ---------------------------------------------------------------------------------

class ClaudeSource final : public UsageSource {
 public:
  Agent agent() const override { return Agent::kClaude; }

  std::vector<SourceFile> Discover(Env* env, std::vector<DiscoveryWarning>* warnings) const override {
    std::vector<std::string> roots;
    auto add_root = [&](std::string dir) {
      while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
      if (BaseName(dir) == "projects" && ListsAsDir(env, dir)) dir = std::string(DirName(dir));
      if (!ListsAsDir(env, JoinPath(dir, "projects"))) return;
      if (std::find(roots.begin(), roots.end(), dir) == roots.end()) roots.push_back(dir);
    };
    auto config = env->GetEnvVar("CLAUDE_CONFIG_DIR");
    if (config.has_value()) {
      std::string_view rest(*config);
      while (true) {
        size_t comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        while (!item.empty() && IsWs(item.front())) item.remove_prefix(1);
        while (!item.empty() && IsWs(item.back())) item.remove_suffix(1);
        if (!item.empty()) {
          auto expanded = ExpandUser(env, item);
          if (expanded.ok()) add_root(*expanded);
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    } else {
      auto home = env->GetEnvVar("HOME");
      if (home && !home->empty()) {
        auto xdg = env->GetEnvVar("XDG_CONFIG_HOME");
        std::string config_home = xdg && !xdg->empty() ? *xdg : JoinPath(*home, ".config");
        add_root(JoinPath(config_home, "claude"));
        add_root(JoinPath(*home, ".claude"));
      }
    }
    std::vector<SourceFile> files;
    for (const auto& root : roots) CollectJsonl(env, JoinPath(root, "projects"), &files, warnings);
    std::sort(files.begin(), files.end(), [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    files.erase(std::unique(files.begin(), files.end(),
                            [](const SourceFile& a, const SourceFile& b) { return a.path == b.path; }),
                files.end());
    for (auto& f : files) f.path_session = PathSession(f.path);
    return files;
  }

  void Parse(const ParseContext& ctx, const SourceFile& file, std::string_view data, std::string* /*state*/,
             ParseOutput* out) const override {
    LineParser& p = ThreadParser();
    const uint64_t path_session = Hash64(ctx.salt, file.path_session);
    ScanMarker(data, kUsageMarker, [&](std::string_view line, size_t cap) {
      p.UsageLine(ctx, line, cap, path_session, out);
    });
    ScanMarker(data, kUserMarker, [&](std::string_view line, size_t cap) {
      p.UserLine(ctx, line, cap, path_session, out);
    });
  }

  void Resolve(std::vector<const UsageRecord*>* responses) const override;

 private:
  static bool ListsAsDir(Env* env, const std::string& dir) {
    if (IsDirectory(env, dir)) return true;
    auto info = env->Stat(dir);
    return info.ok() && info->type == FileInfo::Type::kSymlink && env->ListDir(dir).ok();
  }

  // Calls fn(line, capacity) once for every line that holds `marker`, in order.
  template <typename Fn>
  static void ScanMarker(std::string_view data, std::string_view marker, Fn fn) {
    size_t pos = 0;
    while (pos < data.size()) {
      size_t hit = FindMarker(data.substr(pos), marker);
      if (hit == std::string_view::npos) return;
      hit += pos;
      const void* nl = hit > pos ? ::memrchr(data.data() + pos, '\n', hit - pos) : nullptr;
      size_t start = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data.data()) + 1 : pos;
      const void* e = std::memchr(data.data() + hit, '\n', data.size() - hit);
      size_t end = e ? static_cast<size_t>(static_cast<const char*>(e) - data.data()) : data.size();
      fn(data.substr(start, end - start), data.size() - start + kParsePadding);
      pos = end + 1;
    }
  }
};

// ---------------------------------------------------------------------------------
// Deduplication, as ccusage 20.0.24's daily loader (confirmed by randomized oracle tests):
// - a message with an id is a duplicate of an earlier survivor with the same message id
//   and request id, or, when both have no request id, the same session and instant;
// - failing that, of a survivor with the same message id in the same session (or a
//   session that survivor absorbed) when either of the two is a sidechain (a sidechain
//   replay under a new request id);
// - of two duplicates the non-sidechain one wins, then the larger token total, then the
//   higher cost, then the one with a speed field; otherwise the first stays;
// - messages without an id are never duplicates.
void ClaudeSource::Resolve(std::vector<const UsageRecord*>* responses) const {
  struct Survivor {
    const UsageRecord* r;
    std::vector<uint64_t> aliases;  // sessions merged into this survivor
  };
  std::vector<Survivor> surv;
  surv.reserve(responses->size());
  std::vector<const UsageRecord*> out;
  out.reserve(responses->size());
  // Buckets: key hash -> survivor indexes in registration order.
  std::unordered_map<uint64_t, std::vector<uint32_t>> buckets;
  buckets.reserve(responses->size() * 2);
  constexpr uint64_t kExactTag = 0x6578616374ull, kRouteTag = 0x726f757465ull;
  auto exact_key = [&](const UsageRecord* r) {
    uint64_t h = HashCombine(HashCombine(kExactTag, r->key_a), (r->flags & kFlagRequestId) ? r->key_b : 0);
    if (!(r->flags & kFlagRequestId)) h = HashCombine(HashCombine(h, r->session), static_cast<uint64_t>(r->ts_ms));
    return h;
  };
  auto route_key = [&](uint64_t mid, uint64_t session) {
    return HashCombine(HashCombine(kRouteTag, mid), session);
  };
  auto push = [&](uint64_t key, uint32_t idx) {
    auto& b = buckets[key];
    if (std::find(b.begin(), b.end(), idx) == b.end()) b.push_back(idx);
  };
  auto side = [](const UsageRecord* r) { return (r->flags & kFlagSidechain) != 0; };
  auto has_rid = [](const UsageRecord* r) { return (r->flags & kFlagRequestId) != 0; };
  auto replace = [&](const UsageRecord* c, const UsageRecord* x) {
    if (side(c) != side(x)) return side(x);
    if (c->total != x->total) return c->total > x->total;
    if (c->cost != x->cost) return c->cost > x->cost;
    return (c->flags & kFlagSpeed) && !(x->flags & kFlagSpeed);
  };

  std::vector<int64_t> index_of(0);
  std::vector<uint32_t> pos_in_out;  // survivor index -> position in `out`
  for (const UsageRecord* e : *responses) {
    if (!(e->flags & kFlagMessageId)) {
      out.push_back(e);
      continue;
    }
    const uint64_t mid = e->key_a;
    const uint64_t ek = exact_key(e);
    int64_t found = -1;
    if (auto it = buckets.find(ek); it != buckets.end()) {
      for (uint32_t i : it->second) {
        const UsageRecord* s = surv[i].r;
        if (s->key_a != mid || has_rid(s) != has_rid(e)) continue;
        if (has_rid(e) ? s->key_b == e->key_b : (s->session == e->session && s->ts_ms == e->ts_ms)) {
          found = i;
          break;
        }
      }
    }
    if (found < 0) {
      if (auto it = buckets.find(route_key(mid, e->session)); it != buckets.end()) {
        for (uint32_t i : it->second) {
          const Survivor& s = surv[i];
          if (s.r->key_a != mid) continue;
          bool same_session = s.r->session == e->session ||
                              std::find(s.aliases.begin(), s.aliases.end(), e->session) != s.aliases.end();
          if (same_session && (side(e) || side(s.r))) {
            found = i;
            break;
          }
        }
      }
    }
    if (found >= 0) {
      Survivor& s = surv[static_cast<size_t>(found)];
      uint32_t idx = static_cast<uint32_t>(found);
      if (s.r->session != e->session) {
        for (uint64_t sess : {s.r->session, e->session}) {
          if (std::find(s.aliases.begin(), s.aliases.end(), sess) == s.aliases.end()) s.aliases.push_back(sess);
          push(route_key(mid, sess), idx);
        }
      }
      if (replace(e, s.r)) {
        s.r = e;
        out[pos_in_out[idx]] = e;
        push(exact_key(e), idx);
        push(route_key(mid, e->session), idx);
      }
      continue;
    }
    uint32_t idx = static_cast<uint32_t>(surv.size());
    surv.push_back({e, {}});
    pos_in_out.push_back(static_cast<uint32_t>(out.size()));
    out.push_back(e);
    push(ek, idx);
    push(route_key(mid, e->session), idx);
  }
  *responses = std::move(out);
}

}  // namespace

std::unique_ptr<UsageSource> NewClaudeSource() { return std::make_unique<ClaudeSource>(); }

}  // namespace lq::usage

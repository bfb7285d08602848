// See claude_line.h. Each rule is confirmed by an oracle test in claude_oracle_test.cc.
#include "usage/claude_line.h"

#include <algorithm>
#include <cstring>

#include "usage/timestamp.h"
#include "usage/usage_source.h"

namespace lq::usage::claude_line {

// ---------------------------------------------------------------------------------
// The null-field rule (ccusage's has_unsupported_null_field), textual like ccusage.

bool IsWs(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static bool IsUnsupportedNullKey(std::string_view k) {
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

static size_t SkipWs(std::string_view s, size_t i) {
  while (i < s.size() && IsWs(s[i])) ++i;
  return i;
}

// Index of the quote closing the string whose contents start at `i`.
static std::optional<size_t> StringEnd(std::string_view s, size_t i) {
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

static std::optional<size_t> ContainerEnd(std::string_view s, size_t i) {
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
static std::optional<std::pair<size_t, size_t>> IterationsSpan(std::string_view line) {
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
// serde-like typed reading on a simdjson DOM. The DOM parse validates the whole line the
// way serde_json does for ccusage (strings and their escapes, numbers, literals, nesting
// deeper than 127 levels, trailing bytes), so a line ccusage cannot read is not read here.


static Rd ReadU64(dom::element v, uint64_t* out) {
  switch (v.type()) {
    case dom::element_type::UINT64:
      *out = v.get_uint64().value_unsafe();
      return Rd::kOk;
    case dom::element_type::INT64: {
      int64_t s = v.get_int64().value_unsafe();
      if (s < 0) return Rd::kBadType;
      *out = static_cast<uint64_t>(s);
      return Rd::kOk;
    }
    default:
      return Rd::kBadType;  // floats (even 2.0), strings, null, ...
  }
}

// Option<String>: null -> absent.
Rd ReadOptString(dom::element v, bool* present, std::string_view* out) {
  if (v.is_null()) {
    *present = false;
    return Rd::kOk;
  }
  if (v.type() != dom::element_type::STRING) return Rd::kBadType;
  *present = true;
  *out = v.get_string().value_unsafe();
  return Rd::kOk;
}

Rd ReadOptBool(dom::element v, std::optional<bool>* out) {
  if (v.is_null()) {
    out->reset();
    return Rd::kOk;
  }
  if (v.type() != dom::element_type::BOOL) return Rd::kBadType;
  *out = v.get_bool().value_unsafe();
  return Rd::kOk;
}

// Option<f64>: any number; null -> absent.
Rd ReadOptF64(dom::element v, bool* present, double* out) {
  if (v.is_null()) {
    *present = false;
    return Rd::kOk;
  }
  switch (v.type()) {
    case dom::element_type::DOUBLE: *out = v.get_double().value_unsafe(); break;
    case dom::element_type::INT64: *out = static_cast<double>(v.get_int64().value_unsafe()); break;
    case dom::element_type::UINT64: *out = static_cast<double>(v.get_uint64().value_unsafe()); break;
    default: return Rd::kBadType;
  }
  *present = true;
  return Rd::kOk;
}


// Option<CacheCreationRaw>: null -> absent; an object (missing fields 0, others ignored)
// or, as serde allows for structs, an array of at most two numbers.
static Rd ReadCacheCreation(dom::element v, Usage* u) {
  if (v.is_null()) return Rd::kOk;
  if (v.type() == dom::element_type::ARRAY) {
    int i = 0;
    dom::array el_array1 = v.get_array().value_unsafe();
    for (dom::element el : el_array1) {
      if (i >= 2) return Rd::kBadType;
      uint64_t x;
      if (ReadU64(el, &x) != Rd::kOk) return Rd::kBadType;
      (i == 0 ? u->cc5m : u->cc1h) = x;
      ++i;
    }
    u->has_cc_object = true;
    return Rd::kOk;
  }
  if (v.type() != dom::element_type::OBJECT) return Rd::kBadType;
  bool seen5 = false, seen1 = false;
  dom::object kv_object2 = v.get_object().value_unsafe();
  for (dom::key_value_pair kv : kv_object2) {
    if (kv.key == "ephemeral_5m_input_tokens") {
      if (seen5 || ReadU64(kv.value, &u->cc5m) != Rd::kOk) return Rd::kBadType;
      seen5 = true;
    } else if (kv.key == "ephemeral_1h_input_tokens") {
      if (seen1 || ReadU64(kv.value, &u->cc1h) != Rd::kOk) return Rd::kBadType;
      seen1 = true;
    }
  }
  u->has_cc_object = true;
  return Rd::kOk;
}

// Reads a usage object's members; `extra` sees the others (for advisor iterations).
template <typename Extra>
static Rd ReadUsageMembers(dom::object o, Usage* u, Extra extra) {
  unsigned seen = 0;
  for (dom::key_value_pair kv : o) {
    std::string_view key = kv.key;
    unsigned bit = 0;
    Rd r = Rd::kOk;
    if (key == "input_tokens") {
      bit = 1;
      r = ReadU64(kv.value, &u->input);
      u->has_input = true;
    } else if (key == "output_tokens") {
      bit = 2;
      r = ReadU64(kv.value, &u->output);
      u->has_output = true;
    } else if (key == "cache_creation_input_tokens") {
      bit = 4;
      r = ReadU64(kv.value, &u->cache_creation_flat);
    } else if (key == "cache_read_input_tokens") {
      bit = 8;
      r = ReadU64(kv.value, &u->cache_read);
    } else if (key == "speed") {
      bit = 16;
      if (!kv.value.is_null()) {
        std::string_view s;
        if (kv.value.type() != dom::element_type::STRING) return Rd::kBadType;
        s = kv.value.get_string().value_unsafe();
        if (s == "fast") {
          u->has_speed = u->fast = true;
        } else if (s == "standard") {
          u->has_speed = true;
        } else {
          r = Rd::kBadType;  // enum Speed { Standard, Fast }
        }
      }
    } else if (key == "cache_creation") {
      bit = 32;
      r = ReadCacheCreation(kv.value, u);
    } else {
      r = extra(key, kv.value);
    }
    if (bit != 0) {
      if (seen & bit) return Rd::kBadType;  // serde: duplicate field
      seen |= bit;
    }
    if (r != Rd::kOk) return r;
  }
  return u->has_input && u->has_output ? Rd::kOk : Rd::kBadType;
}


Rd ReadMessage(dom::element v, Message* m) {
  if (v.type() != dom::element_type::OBJECT) return Rd::kBadType;
  unsigned seen = 0;
  dom::object kv_object3 = v.get_object().value_unsafe();
  for (dom::key_value_pair kv : kv_object3) {
    unsigned bit = 0;
    Rd r = Rd::kOk;
    if (kv.key == "usage") {
      bit = 1;
      if (kv.value.type() != dom::element_type::OBJECT) return Rd::kBadType;
      dom::object usage_object = kv.value.get_object().value_unsafe();
      r = ReadUsageMembers(usage_object, &m->usage, [](std::string_view, dom::element) { return Rd::kOk; });
      m->has_usage = true;
      m->usage_element = kv.value;
    } else if (kv.key == "model") {
      bit = 2;
      r = ReadOptString(kv.value, &m->has_model, &m->model);
    } else if (kv.key == "id") {
      bit = 4;
      r = ReadOptString(kv.value, &m->has_id, &m->id);
    }
    if (bit != 0) {
      if (seen & bit) return Rd::kBadType;
      seen |= bit;
    }
    if (r != Rd::kOk) return r;
  }
  return m->has_usage ? Rd::kOk : Rd::kBadType;
}


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

Rd ReadTimestamp(dom::element v, Entry* en) {
  if (v.type() != dom::element_type::STRING) return Rd::kBadType;  // String, not Option
  en->ts = v.get_string().value_unsafe();
  en->has_ts = true;
  return Rd::kOk;
}

// The progress wrapper's data.message.
static Rd ReadProgressMessage(dom::element v, Entry* en) {
  if (v.type() != dom::element_type::OBJECT) return Rd::kBadType;
  unsigned seen = 0;
  dom::object kv_object4 = v.get_object().value_unsafe();
  for (dom::key_value_pair kv : kv_object4) {
    unsigned bit = 0;
    Rd r = Rd::kOk;
    if (kv.key == "timestamp") {
      bit = 1;
      r = ReadTimestamp(kv.value, en);
    } else if (kv.key == "message") {
      bit = 2;
      r = ReadMessage(kv.value, &en->msg);
      en->has_msg = true;
    } else if (kv.key == "costUSD") {
      bit = 4;
      r = ReadOptF64(kv.value, &en->has_cost, &en->cost);
    } else if (kv.key == "requestId") {
      bit = 8;
      r = ReadOptString(kv.value, &en->has_rid, &en->rid);
    } else if (kv.key == "isSidechain") {
      bit = 16;
      r = ReadOptBool(kv.value, &en->side);
    }
    if (bit != 0) {
      if (seen & bit) return Rd::kBadType;
      seen |= bit;
    }
    if (r != Rd::kOk) return r;
  }
  return en->has_ts && en->has_msg ? Rd::kOk : Rd::kBadType;
}

Rd ReadProgressData(dom::element v, Entry* en) {
  if (v.type() != dom::element_type::OBJECT) return Rd::kBadType;
  bool seen = false;
  dom::object kv_object5 = v.get_object().value_unsafe();
  for (dom::key_value_pair kv : kv_object5) {
    if (kv.key != "message") continue;
    if (seen) return Rd::kBadType;
    seen = true;
    if (ReadProgressMessage(kv.value, en) != Rd::kOk) return Rd::kBadType;
  }
  return seen ? Rd::kOk : Rd::kBadType;
}


// message.usage.iterations of the top-level message, strictly as ccusage's
// UsageIterationsEnvelope (any malformed element: no advisors at all).
bool ReadAdvisors(dom::object top, std::vector<Advisor>* out) {
  out->clear();
  bool seen_msg = false;
  for (dom::key_value_pair kv : top) {
    if (kv.key != "message") continue;
    if (seen_msg || kv.value.type() != dom::element_type::OBJECT) return false;
    seen_msg = true;
    bool seen_usage = false;
    dom::object mk_object6 = kv.value.get_object().value_unsafe();
    for (dom::key_value_pair mk : mk_object6) {
      if (mk.key != "usage") continue;
      if (seen_usage || mk.value.type() != dom::element_type::OBJECT) return false;
      seen_usage = true;
      bool seen_iter = false;
      dom::object uk_object7 = mk.value.get_object().value_unsafe();
      for (dom::key_value_pair uk : uk_object7) {
        if (uk.key != "iterations") continue;
        if (seen_iter || uk.value.type() != dom::element_type::ARRAY) return false;
        seen_iter = true;
        dom::array el_array8 = uk.value.get_array().value_unsafe();
        for (dom::element el : el_array8) {
          if (el.type() != dom::element_type::OBJECT) return false;
          Advisor a;
          bool has_type = false, is_advisor = false, has_model = false;
          unsigned seen = 0;
          dom::object el_object = el.get_object().value_unsafe();
          Rd r = ReadUsageMembers(el_object, &a.usage, [&](std::string_view k, dom::element fv) {
            if (k == "type") {
              if ((seen & 1) || fv.type() != dom::element_type::STRING) return Rd::kBadType;
              seen |= 1;
              has_type = true;
              is_advisor = fv.get_string().value_unsafe() == "advisor_message";
              return Rd::kOk;
            }
            if (k == "model") {
              if (seen & 2) return Rd::kBadType;
              seen |= 2;
              return ReadOptString(fv, &has_model, &a.model);
            }
            return Rd::kOk;
          });
          if (r != Rd::kOk || !has_type) return false;
          if (is_advisor && has_model && !a.model.empty()) out->push_back(a);
        }
      }
    }
  }
  return true;
}

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

}  // namespace lq::usage::claude_line

// Codex CLI: $CODEX_HOME/sessions/**/*.jsonl and archived_sessions/ (default ~/.codex).
//
// Matches `ccusage codex daily` 20.0.24 (codex_oracle_test.cc):
// - only lines holding `"type":"turn_context"`, or `"type":"event_msg"` together with
//   `"type":"token_count"`, are read (compact JSON, as Codex writes it);
// - turn_context sets the model for the following events (payload.model, model_name or
//   metadata.model); without one the model is "gpt-5";
// - a token_count event counts info.last_token_usage, unless its total_token_usage equals
//   the previous one (a repeated event: counts nothing); without last_token_usage the
//   difference of the totals counts; `info: null` counts nothing;
// - usage fields are read leniently (input_tokens|prompt_tokens|input, cached_input_tokens|
//   cache_read_input_tokens|cached_tokens, cache_write_input_tokens|
//   cache_creation_input_tokens, output_tokens|completion_tokens|output,
//   reasoning_output_tokens|reasoning_tokens, total_tokens; numbers or numeric strings);
//   cached is capped at input, cache writes at the uncached input; input is reported
//   without them; an event whose counts are all zero is dropped;
// - identical events (timestamp text, model, all counts) count once across all files;
// - the same relative path under sessions/ and archived_sessions/ is read once.
// Not reproduced (documented in docs/usage.md): compaction token_usage_record events,
// fork/subagent replay detection, headless `codex exec --json` logs.
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "usage/hash.h"
#include "usage/timestamp.h"
#include "usage/usage_source.h"

namespace lq::usage {
namespace {

namespace od = simdjson::ondemand;

struct Raw {
  uint64_t input = 0, cached = 0, cache_write = 0, output = 0, reasoning = 0, total = 0;
  bool operator==(const Raw& o) const {
    return input == o.input && cached == o.cached && cache_write == o.cache_write && output == o.output &&
           reasoning == o.reasoning && total == o.total;
  }
  bool AllZero() const { return input == 0 && cached == 0 && cache_write == 0 && output == 0 && reasoning == 0; }
};

Raw Normalize(Raw r) {
  r.cached = std::min(r.cached, r.input);
  r.cache_write = std::min(r.cache_write, r.input - r.cached);
  return r;
}

uint64_t SatSub(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

// Parser state carried across appends to one file.
struct State {
  bool has_prev = false;
  Raw prev;
  std::string model;  // current model ("" = none yet)

  std::string Encode() const {
    std::string s;
    s.push_back(has_prev ? 1 : 0);
    uint64_t v[6] = {prev.input, prev.cached, prev.cache_write, prev.output, prev.reasoning, prev.total};
    s.append(reinterpret_cast<const char*>(v), sizeof v);
    s.append(model);
    return s;
  }
  static State Decode(const std::string& s) {
    State st;
    if (s.size() < 1 + 48) return st;
    st.has_prev = s[0] != 0;
    uint64_t v[6];
    std::memcpy(v, s.data() + 1, sizeof v);
    st.prev = {v[0], v[1], v[2], v[3], v[4], v[5]};
    st.model = s.substr(1 + 48);
    return st;
  }
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Lenient u64 (ccusage's deserialize_optional_u64_lossy): numbers >= 0 without fraction,
// or strings holding one; anything else is "absent".
std::optional<uint64_t> LossyU64(od::value& v) {
  od::json_type t;
  if (v.type().get(t)) return std::nullopt;
  if (t == od::json_type::number) {
    uint64_t u;
    if (!v.get_uint64().get(u)) return u;
    return std::nullopt;
  }
  if (t == od::json_type::string) {
    std::string_view s;
    if (v.get_string().get(s)) return std::nullopt;
    s = Trim(s);
    if (s.empty()) return std::nullopt;
    uint64_t r = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      uint64_t d = static_cast<uint64_t>(c - '0');
      if (r > (UINT64_MAX - d) / 10) return std::nullopt;
      r = r * 10 + d;
    }
    return r;
  }
  return std::nullopt;
}

// A usage object (lenient). nullopt when `v` is not an object.
std::optional<Raw> ReadRaw(od::value& v) {
  od::json_type t;
  if (v.type().get(t) || t != od::json_type::object) return std::nullopt;
  od::object o;
  if (v.get_object().get(o)) return std::nullopt;
  std::optional<uint64_t> input, prompt, input2, cached, cache_read, cached2, cw, cc, output, completion, output2,
      reasoning, reasoning2, total;
  for (auto f : o) {
    std::string_view k;
    if (f.unescaped_key().get(k)) return std::nullopt;
    od::value fv;
    if (f.value().get(fv)) return std::nullopt;
    std::optional<uint64_t>* slot = nullptr;
    if (k == "input_tokens") slot = &input;
    else if (k == "prompt_tokens") slot = &prompt;
    else if (k == "input") slot = &input2;
    else if (k == "cached_input_tokens") slot = &cached;
    else if (k == "cache_read_input_tokens") slot = &cache_read;
    else if (k == "cached_tokens") slot = &cached2;
    else if (k == "cache_write_input_tokens") slot = &cw;
    else if (k == "cache_creation_input_tokens") slot = &cc;
    else if (k == "output_tokens") slot = &output;
    else if (k == "completion_tokens") slot = &completion;
    else if (k == "output") slot = &output2;
    else if (k == "reasoning_output_tokens") slot = &reasoning;
    else if (k == "reasoning_tokens") slot = &reasoning2;
    else if (k == "total_tokens") slot = &total;
    if (slot) *slot = LossyU64(fv);
  }
  Raw r;
  r.input = input ? *input : prompt ? *prompt : input2.value_or(0);
  r.output = output ? *output : completion ? *completion : output2.value_or(0);
  r.reasoning = reasoning ? *reasoning : reasoning2.value_or(0);
  r.cached = cached ? *cached : cache_read ? *cache_read : cached2.value_or(0);
  r.cache_write = cw ? *cw : cc.value_or(0);
  uint64_t sum = r.input + r.output;
  r.total = (total && (*total > 0 || sum == 0)) ? *total : sum;
  return r;
}

// payload.model | payload.model_name | payload.metadata.model, trimmed and non-empty.
struct ModelFields {
  std::string_view model, model_name, meta_model;
  bool bad = false;
  std::string_view Pick() const {
    for (auto m : {model, model_name, meta_model}) {
      auto t = Trim(m);
      if (!t.empty()) return t;
    }
    return {};
  }
};

// Reads a strict Option<String> member into `out` (null: absent); false on a wrong type.
bool OptString(od::value& v, std::string_view* out) {
  od::json_type t;
  if (v.type().get(t)) return false;
  if (t == od::json_type::null) return true;
  if (t != od::json_type::string) return false;
  return !v.get_string().get(*out);
}

void ReadMetadata(od::value& v, ModelFields* m) {
  od::json_type t;
  if (v.type().get(t) || t != od::json_type::object) return;
  od::object o;
  if (v.get_object().get(o)) return;
  for (auto f : o) {
    std::string_view k;
    if (f.unescaped_key().get(k)) return;
    if (k == "model") {
      od::value fv;
      if (f.value().get(fv) || !OptString(fv, &m->meta_model)) m->bad = true;
    }
  }
}

std::string FormatMillis(int64_t ms) {
  int64_t days = ms >= 0 ? ms / 86'400'000 : -((-ms + 86'399'999) / 86'400'000);
  int64_t rem = ms - days * 86'400'000;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lld.%03lldZ", FormatDay(days).c_str(),
                static_cast<long long>(rem / 3'600'000), static_cast<long long>(rem / 60'000 % 60),
                static_cast<long long>(rem / 1000 % 60), static_cast<long long>(rem % 1000));
  return buf;
}

class CodexParser {
 public:
  void Line(const ParseContext& ctx, uint64_t session, std::string_view line, size_t capacity, State* st,
            ParseOutput* out);

 private:
  od::parser parser_;
  std::string ts_text_;
};

void CodexParser::Line(const ParseContext& ctx, uint64_t session, std::string_view line, size_t capacity,
                       State* st, ParseOutput* out) {
  const bool turn_context = FindMarker(line, "\"type\":\"turn_context\"") != std::string_view::npos;
  const bool event_msg = !turn_context && FindMarker(line, "\"type\":\"event_msg\"") != std::string_view::npos;
  const bool token_count = event_msg && FindMarker(line, "\"type\":\"token_count\"") != std::string_view::npos;
  const bool user_message =
      event_msg && !token_count && FindMarker(line, "\"type\":\"user_message\"") != std::string_view::npos;
  if (!turn_context && !token_count && !user_message) return;

  od::document doc;
  if (parser_.iterate(line.data(), line.size(), capacity).get(doc)) {
    out->warnings.Add(WarningKind::kMalformedLine);
    return;
  }
  od::object top;
  if (doc.get_object().get(top)) {
    out->warnings.Add(WarningKind::kMalformedLine);
    return;
  }
  std::string_view type;
  bool has_ts = false;
  ts_text_.clear();
  ModelFields payload_model, info_model;
  std::string_view payload_type;
  bool has_info = false, has_last = false, has_total = false;
  uint64_t message_hash = 0;  // user_message text, hashed (prompts copied into forks count once)
  Raw last, total;
  for (auto f : top) {
    std::string_view k;
    if (f.unescaped_key().get(k)) return out->warnings.Add(WarningKind::kMalformedLine);
    od::value v;
    if (f.value().get(v)) return out->warnings.Add(WarningKind::kMalformedLine);
    if (k == "type") {
      if (!OptString(v, &type)) return out->warnings.Add(WarningKind::kRejectedEntry);
    } else if (k == "timestamp") {
      od::json_type t;
      if (v.type().get(t)) return out->warnings.Add(WarningKind::kMalformedLine);
      if (t == od::json_type::string) {
        std::string_view s;
        if (v.get_string().get(s)) return out->warnings.Add(WarningKind::kMalformedLine);
        s = Trim(s);
        has_ts = !s.empty();
        ts_text_.assign(s);
      } else if (t == od::json_type::number) {
        uint64_t raw;
        if (v.get_uint64().get(raw)) return out->warnings.Add(WarningKind::kRejectedEntry);
        uint64_t millis = raw > 10'000'000'000ull ? raw : raw * 1000;
        if (raw <= 10'000'000'000ull && raw > UINT64_MAX / 1000) return;
        ts_text_ = FormatMillis(static_cast<int64_t>(std::min<uint64_t>(millis, INT64_MAX)));
        has_ts = true;
      } else if (t != od::json_type::null) {
        return out->warnings.Add(WarningKind::kRejectedEntry);
      }
    } else if (k == "payload") {
      od::json_type t;
      if (v.type().get(t)) return out->warnings.Add(WarningKind::kMalformedLine);
      if (t != od::json_type::object) continue;
      od::object po;
      if (v.get_object().get(po)) return out->warnings.Add(WarningKind::kMalformedLine);
      for (auto pf : po) {
        std::string_view pk;
        if (pf.unescaped_key().get(pk)) return out->warnings.Add(WarningKind::kMalformedLine);
        od::value pv;
        if (pf.value().get(pv)) return out->warnings.Add(WarningKind::kMalformedLine);
        if (pk == "type") {
          if (!OptString(pv, &payload_type)) return out->warnings.Add(WarningKind::kRejectedEntry);
        } else if (pk == "model") {
          if (!OptString(pv, &payload_model.model)) return out->warnings.Add(WarningKind::kRejectedEntry);
        } else if (pk == "model_name") {
          if (!OptString(pv, &payload_model.model_name)) return out->warnings.Add(WarningKind::kRejectedEntry);
        } else if (pk == "metadata") {
          ReadMetadata(pv, &payload_model);
        } else if (pk == "message") {
          od::json_type mt;
          if (!pv.type().get(mt) && mt == od::json_type::string) {
            std::string_view text;
            if (!pv.get_string().get(text)) message_hash = Hash64(ctx.salt, text);
          }
        } else if (pk == "info") {
          od::json_type it;
          if (pv.type().get(it)) return out->warnings.Add(WarningKind::kMalformedLine);
          if (it != od::json_type::object) continue;  // info: null (or not an object): no usage
          has_info = true;
          od::object io;
          if (pv.get_object().get(io)) return out->warnings.Add(WarningKind::kMalformedLine);
          for (auto inf : io) {
            std::string_view ik;
            if (inf.unescaped_key().get(ik)) return out->warnings.Add(WarningKind::kMalformedLine);
            od::value iv;
            if (inf.value().get(iv)) return out->warnings.Add(WarningKind::kMalformedLine);
            if (ik == "last_token_usage") {
              if (auto r = ReadRaw(iv)) {
                last = *r;
                has_last = true;
              }
            } else if (ik == "total_token_usage") {
              if (auto r = ReadRaw(iv)) {
                total = *r;
                has_total = true;
              }
            } else if (ik == "model") {
              if (!OptString(iv, &info_model.model)) return out->warnings.Add(WarningKind::kRejectedEntry);
            } else if (ik == "model_name") {
              if (!OptString(iv, &info_model.model_name)) return out->warnings.Add(WarningKind::kRejectedEntry);
            } else if (ik == "metadata") {
              ReadMetadata(iv, &info_model);
            }
          }
        }
      }
      if (payload_model.bad || info_model.bad) return out->warnings.Add(WarningKind::kRejectedEntry);
    }
  }

  if (type == "turn_context") {
    std::string_view m = payload_model.Pick();
    if (!m.empty()) st->model.assign(m);
    return;
  }
  if (type != "event_msg" || !has_ts) return;

  if (payload_type == "user_message") {
    auto t = ParseTimestampMs(ts_text_);
    if (!t) return;
    UsageRecord rec;
    rec.kind = RecordKind::kPrompt;
    rec.ts_ms = *t;
    rec.session = session;
    rec.key_a = HashCombine(Hash64(ctx.salt, ts_text_), message_hash);
    rec.model = out->ModelIndex("");
    out->records.push_back(rec);
    return;
  }
  if (payload_type != "token_count") return;

  std::optional<Raw> raw;
  if (has_info) {
    bool advanced = !has_total || !st->has_prev || !(st->prev == total);
    if (has_last && advanced) {
      raw = last;
    } else if (has_total) {
      Raw d;
      const Raw& p = st->prev;
      bool hp = st->has_prev;
      d.input = SatSub(total.input, hp ? p.input : 0);
      d.cached = SatSub(total.cached, hp ? p.cached : 0);
      d.cache_write = SatSub(total.cache_write, hp ? p.cache_write : 0);
      d.output = SatSub(total.output, hp ? p.output : 0);
      d.reasoning = SatSub(total.reasoning, hp ? p.reasoning : 0);
      d.total = SatSub(total.total, hp ? p.total : 0);
      raw = Normalize(d);
    }
    if (has_total) {
      st->prev = total;
      st->has_prev = true;
    }
  }
  if (!raw) return;
  Raw r = Normalize(*raw);
  if (r.AllZero()) return;

  std::string_view parsed = payload_model.Pick();
  if (parsed.empty()) parsed = info_model.Pick();
  if (!parsed.empty()) st->model.assign(parsed);
  if (st->model.empty()) st->model = "gpt-5";  // ccusage's fallback for sessions without metadata

  auto t = ParseTimestampMs(ts_text_);
  if (!t) {
    // ccusage stops with "Invalid Codex timestamp"; lq skips the event and says so.
    out->warnings.Add(WarningKind::kRejectedEntry);
    return;
  }
  UsageRecord rec;
  rec.kind = RecordKind::kResponse;
  rec.ts_ms = *t;
  rec.session = session;
  rec.key_a = Hash64(ctx.salt, ts_text_);
  rec.key_b = r.reasoning;
  rec.input = r.input - r.cached - r.cache_write;
  rec.cache_read = r.cached;
  rec.cache_write = r.cache_write;
  rec.output = r.output;
  rec.total = r.total;
  rec.model = out->ModelIndex(st->model);
  out->records.push_back(rec);
}

CodexParser& ThreadParser() {
  thread_local CodexParser p;
  return p;
}

class CodexSource final : public UsageSource {
 public:
  // $CODEX_HOME, else ~/.codex; "" without either.
  static std::string CodexHome(Env* env) {
    auto codex_home = env->GetEnvVar("CODEX_HOME");
    if (codex_home && !codex_home->empty()) return *codex_home;
    auto h = env->GetEnvVar("HOME");
    if (!h || h->empty()) return "";
    return JoinPath(*h, ".codex");
  }

  Agent agent() const override { return Agent::kCodex; }

  std::vector<std::string> SearchedDirs(Env* env) const override {
    std::string home = CodexHome(env);
    if (home.empty()) return {};
    return {JoinPath(home, "sessions"), JoinPath(home, "archived_sessions")};
  }

  std::vector<SourceFile> Discover(Env* env, std::vector<DiscoveryWarning>* warnings) const override {
    std::string home = CodexHome(env);
    if (home.empty()) return {};
    std::vector<SourceFile> files;
    std::unordered_set<std::string> active;
    for (const char* sub : {"sessions", "archived_sessions"}) {
      std::string dir = JoinPath(home, sub);
      std::vector<SourceFile> found;
      CollectJsonl(env, dir, &found, warnings);
      for (auto& f : found) {
        std::string rel = f.path.substr(dir.size() + 1);
        if (std::string_view(sub) == "sessions") {
          active.insert(rel);
        } else if (active.count(rel)) {
          continue;  // the active copy wins
        }
        f.path_session = rel.substr(0, rel.size() - 6);  // without ".jsonl"
        files.push_back(std::move(f));
      }
    }
    std::sort(files.begin(), files.end(), [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    return files;
  }

  void Parse(const ParseContext& ctx, const SourceFile& file, std::string_view data, std::string* state,
             ParseOutput* out) const override {
    State st = State::Decode(*state);
    const uint64_t session = Hash64(ctx.salt, file.path_session);
    CodexParser& p = ThreadParser();
    size_t pos = 0;
    while (pos < data.size()) {
      const void* nl = std::memchr(data.data() + pos, '\n', data.size() - pos);
      size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data.data()) : data.size();
      if (end > pos) p.Line(ctx, session, data.substr(pos, end - pos), data.size() - pos + kParsePadding, &st, out);
      pos = end + 1;
    }
    *state = st.Encode();
  }

  // Identical events (timestamp text, model and every count) count once.
  void Resolve(std::vector<const UsageRecord*>* responses) const override {
    auto same = [](const UsageRecord* a, const UsageRecord* b) {
      return a->key_a == b->key_a && a->model == b->model && a->input == b->input && a->cache_read == b->cache_read &&
             a->cache_write == b->cache_write && a->output == b->output && a->key_b == b->key_b &&
             a->total == b->total;
    };
    std::unordered_multimap<uint64_t, const UsageRecord*> seen;
    seen.reserve(responses->size());
    std::vector<const UsageRecord*> out;
    out.reserve(responses->size());
    for (const UsageRecord* r : *responses) {
      uint64_t h = r->key_a;
      for (uint64_t v : {static_cast<uint64_t>(r->model), r->input, r->cache_read, r->cache_write, r->output,
                         r->key_b, r->total}) {
        h = HashCombine(h, v);
      }
      bool dup = false;
      auto range = seen.equal_range(h);
      for (auto it = range.first; it != range.second; ++it) {
        if (same(it->second, r)) {
          dup = true;
          break;
        }
      }
      if (dup) continue;
      seen.emplace(h, r);
      out.push_back(r);
    }
    *responses = std::move(out);
  }
};

}  // namespace

std::unique_ptr<UsageSource> NewCodexSource() { return std::make_unique<CodexSource>(); }

}  // namespace lq::usage

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

#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <optional>
#include <unordered_map>

#include "core/paths.h"
#include "usage/claude_line.h"
#include "usage/hash.h"
#include "usage/timestamp.h"
#include "usage/usage_source.h"

namespace lq::usage {
namespace {

namespace dom = simdjson::dom;
using namespace claude_line;  // NOLINT: this file is claude_line's one client

constexpr std::string_view kUsageMarker = "\"usage\":{";
constexpr std::string_view kUserMarker = "\"type\":\"user\"";

// The next position at or after `from` where `"usage":{` (which |= 1) or `"type":"user"`
// (which |= 2) starts. Both markers have '"' at offset 0 and a telling byte at offset 8
// ('{' and 'u'), so one SIMD pass with two loads tests both.
#if defined(__x86_64__)
__attribute__((target("avx2"))) size_t FindLineMarkersAvx2(std::string_view s, size_t from, unsigned* which) {
  const char* p = s.data();
  const __m256i quote = _mm256_set1_epi8('"'), brace = _mm256_set1_epi8('{'), u = _mm256_set1_epi8('u');
  size_t i = from;
  for (; i + 8 + 32 <= s.size(); i += 32) {
    __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 8));
    __m256i q = _mm256_cmpeq_epi8(a, quote);
    unsigned m1 = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_and_si256(q, _mm256_cmpeq_epi8(b, brace))));
    unsigned m2 = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_and_si256(q, _mm256_cmpeq_epi8(b, u))));
    unsigned m = m1 | m2;
    while (m != 0) {
      unsigned bit = static_cast<unsigned>(__builtin_ctz(m));
      size_t at = i + bit;
      std::string_view rest = s.substr(at);
      if (rest.substr(0, kUsageMarker.size()) == kUsageMarker) {
        *which = 1;
        return at;
      }
      if (rest.substr(0, kUserMarker.size()) == kUserMarker) {
        *which = 2;
        return at;
      }
      m &= m - 1;
    }
  }
  for (; i < s.size(); ++i) {
    std::string_view rest = s.substr(i);
    if (rest.substr(0, kUsageMarker.size()) == kUsageMarker) {
      *which = 1;
      return i;
    }
    if (rest.substr(0, kUserMarker.size()) == kUserMarker) {
      *which = 2;
      return i;
    }
  }
  return std::string_view::npos;
}
const bool kHasAvx2 = __builtin_cpu_supports("avx2");
#endif

size_t FindLineMarkers(std::string_view s, size_t from, unsigned* which) {
#if defined(__x86_64__)
  if (kHasAvx2) return FindLineMarkersAvx2(s, from, which);
#endif
  size_t a = FindMarker(s.substr(from), kUsageMarker);
  size_t b = FindMarker(s.substr(from), kUserMarker);
  if (a == std::string_view::npos && b == std::string_view::npos) return std::string_view::npos;
  if (b == std::string_view::npos || (a != std::string_view::npos && a <= b)) {
    *which = 1;
    return from + a;
  }
  *which = 2;
  return from + b;
}

class LineParser {
 public:
  LineParser() {
    if (parser_.allocate(1 << 16, kMaxDepth) != simdjson::SUCCESS) {
      // Allocation is retried (with the default depth) by the first parse.
    }
  }
  void UsageLine(const ParseContext& ctx, std::string_view line, uint64_t path_session, ParseOutput* out);
  void UserLine(const ParseContext& ctx, std::string_view line, uint64_t path_session, ParseOutput* out);

 private:
  // serde_json refuses more than 127 levels of nesting; so does this parser.
  static constexpr size_t kMaxDepth = 127;
  dom::parser parser_;
  std::vector<Advisor> advisors_;
  std::string scratch_;
};

void LineParser::UsageLine(const ParseContext& ctx, std::string_view line, uint64_t path_session,
                           ParseOutput* out) {
  if (HasUnsupportedNull(line)) {
    out->warnings.Add(WarningKind::kRejectedEntry);
    return;
  }
  dom::element doc;
  if (parser_.parse(line.data(), line.size(), false).get(doc)) {  // the caller guarantees the padding
    out->warnings.Add(WarningKind::kMalformedLine);
    return;
  }
  if (doc.type() != dom::element_type::OBJECT) {
    out->warnings.Add(WarningKind::kRejectedEntry);
    return;
  }
  dom::object top = doc.get_object().value_unsafe();
  Entry direct, progress;
  bool direct_ok = true, progress_ok = true, has_data = false;
  unsigned seen_d = 0, seen_p = 0;
  for (dom::key_value_pair kv : top) {
    std::string_view key = kv.key;
    unsigned bd = 0, bp = 0;
    Rd rd = Rd::kOk, rp = Rd::kOk;
    if (key == "timestamp") {
      bd = 1;
      rd = ReadTimestamp(kv.value, &direct);
    } else if (key == "message") {
      bd = 2;
      rd = ReadMessage(kv.value, &direct.msg);
      direct.has_msg = true;
    } else if (key == "version") {
      bd = 4;
      rd = ReadOptString(kv.value, &direct.has_version, &direct.version);
    } else if (key == "sessionId") {
      bd = 8;
      bp = 1;
      rd = rp = ReadOptString(kv.value, &direct.has_session, &direct.session);
      progress.has_session = direct.has_session;
      progress.session = direct.session;
    } else if (key == "costUSD") {
      bd = 16;
      rd = ReadOptF64(kv.value, &direct.has_cost, &direct.cost);
    } else if (key == "requestId") {
      bd = 32;
      rd = ReadOptString(kv.value, &direct.has_rid, &direct.rid);
    } else if (key == "isSidechain") {
      bd = 64;
      rd = ReadOptBool(kv.value, &direct.side);
    } else if (key == "data") {
      bp = 2;
      has_data = true;
      rp = ReadProgressData(kv.value, &progress);
    }
    if (bd != 0 && ((seen_d & bd) || rd != Rd::kOk)) direct_ok = false;
    if (bp != 0 && ((seen_p & bp) || rp != Rd::kOk)) progress_ok = false;
    seen_d |= bd;
    seen_p |= bp;
  }
  if (!direct.has_ts || !direct.has_msg) direct_ok = false;
  if (!has_data) progress_ok = false;
  const Entry* en;
  if (direct_ok) {
    en = &direct;
  } else if (progress_ok) {
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
  out->records.push_back(rec);

  if (FindMarker(line, "\"advisor_message\"") == std::string_view::npos) return;
  if (!ReadAdvisors(top, &advisors_)) return;
  int index = 0;
  for (const Advisor& a : advisors_) {
    UsageRecord ar = rec;
    if (m.has_id) {
      scratch_.assign(m.id);
      scratch_ += ":advisor:";
      scratch_ += std::to_string(index);
      ar.key_a = Hash64(ctx.salt, scratch_);
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

void LineParser::UserLine(const ParseContext& ctx, std::string_view line, uint64_t path_session,
                          ParseOutput* out) {
  // Tool results are the bulk of user lines; a key can only appear unescaped as a key.
  if (FindMarker(line, "\"tool_use_id\"") != std::string_view::npos) return;
  dom::element doc;
  if (parser_.parse(line.data(), line.size(), false).get(doc)) return;
  if (doc.type() != dom::element_type::OBJECT) return;
  bool is_user = false, excluded = false, is_prompt = false;
  std::string_view uuid, session, ts;
  dom::object kv_object9 = doc.get_object().value_unsafe();
  for (dom::key_value_pair kv : kv_object9) {
    std::string_view key = kv.key;
    dom::element v = kv.value;
    if (key == "type") {
      is_user = v.type() == dom::element_type::STRING && v.get_string().value_unsafe() == "user";
    } else if (key == "isSidechain" || key == "isMeta" || key == "isCompactSummary" ||
               key == "isVisibleInTranscriptOnly") {
      if (v.type() == dom::element_type::BOOL && v.get_bool().value_unsafe()) excluded = true;
    } else if (key == "uuid" || key == "sessionId" || key == "timestamp") {
      std::string_view s = v.type() == dom::element_type::STRING ? v.get_string().value_unsafe() : "";
      (key == "uuid" ? uuid : key == "sessionId" ? session : ts) = s;
    } else if (key == "message" && v.type() == dom::element_type::OBJECT) {
      dom::object mk_object10 = v.get_object().value_unsafe();
      for (dom::key_value_pair mk : mk_object10) {
        dom::element mv = mk.value;
        if (mk.key == "role") {
          if (mv.type() != dom::element_type::STRING || mv.get_string().value_unsafe() != "user") excluded = true;
        } else if (mk.key == "content") {
          if (mv.type() == dom::element_type::STRING) {
            is_prompt = !IsSyntheticPromptText(mv.get_string().value_unsafe());
          } else if (mv.type() == dom::element_type::ARRAY) {
            bool any = false, first_text = true;
            dom::array el_array11 = mv.get_array().value_unsafe();
            for (dom::element el : el_array11) {
              if (el.type() != dom::element_type::OBJECT) continue;
              std::string_view etype, etext;
              dom::object ek_object12 = el.get_object().value_unsafe();
              for (dom::key_value_pair ek : ek_object12) {
                if (ek.value.type() != dom::element_type::STRING) continue;
                if (ek.key == "type") etype = ek.value.get_string().value_unsafe();
                if (ek.key == "text") etext = ek.value.get_string().value_unsafe();
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
  if (!is_user || excluded || !is_prompt) return;
  auto t = ParseTimestampMs(ts);
  if (!t) return;
  UsageRecord rec;
  rec.kind = RecordKind::kPrompt;
  rec.ts_ms = *t;
  rec.session = session.empty() ? path_session : Hash64(ctx.salt, session);
  rec.key_a = !uuid.empty() ? Hash64(ctx.salt, uuid) : HashCombine(rec.session, static_cast<uint64_t>(*t));
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

  std::vector<std::string> SearchedDirs(Env* env) const override {
    std::vector<std::string> dirs;
    for (std::string dir : ConfigDirs(env)) {
      while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
      std::string projects = BaseName(dir) == "projects" ? dir : JoinPath(dir, "projects");
      if (std::find(dirs.begin(), dirs.end(), projects) == dirs.end()) dirs.push_back(projects);
    }
    return dirs;
  }

  std::vector<SourceFile> Discover(Env* env, std::vector<DiscoveryWarning>* warnings) const override {
    std::vector<std::string> roots;
    for (std::string dir : ConfigDirs(env)) {
      while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
      if (BaseName(dir) == "projects" && ListsAsDir(env, dir)) dir = std::string(DirName(dir));
      if (!ListsAsDir(env, JoinPath(dir, "projects"))) continue;
      if (std::find(roots.begin(), roots.end(), dir) == roots.end()) roots.push_back(dir);
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

  // The candidate config directories, in order: each entry of CLAUDE_CONFIG_DIR
  // (comma-separated, "~" expanded), else $XDG_CONFIG_HOME/claude and ~/.claude.
  static std::vector<std::string> ConfigDirs(Env* env) {
    std::vector<std::string> dirs;
    auto add_root = [&](std::string dir) { dirs.push_back(std::move(dir)); };
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
    return dirs;
  }

  void Parse(const ParseContext& ctx, const SourceFile& file, std::string_view data, std::string* /*state*/,
             ParseOutput* out) const override {
    LineParser& p = ThreadParser();
    const uint64_t path_session = Hash64(ctx.salt, file.path_session);
    // One pass finds both kinds of interesting lines; every other line is never looked at.
    size_t pos = 0;
    while (pos < data.size()) {
      unsigned which = 0;
      size_t hit = FindLineMarkers(data, pos, &which);
      if (hit == std::string_view::npos) return;
      const void* nl = hit > pos ? ::memrchr(data.data() + pos, '\n', hit - pos) : nullptr;
      size_t start = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data.data()) + 1 : pos;
      const void* e = std::memchr(data.data() + hit, '\n', data.size() - hit);
      size_t end = e ? static_cast<size_t>(static_cast<const char*>(e) - data.data()) : data.size();
      // The other marker may come later in the same line.
      for (size_t q = hit + 1; which != 3 && q < end;) {
        unsigned more = 0;
        size_t h = FindLineMarkers(data.substr(0, end), q, &more);
        if (h == std::string_view::npos) break;
        which |= more;
        q = h + 1;
      }
      std::string_view line = data.substr(start, end - start);  // followed by >= kParsePadding bytes
      if (which & 1) p.UsageLine(ctx, line, path_session, out);
      if (which & 2) p.UserLine(ctx, line, path_session, out);
      pos = end + 1;
    }
  }

  void Resolve(std::vector<const UsageRecord*>* responses) const override;

 private:
  static bool ListsAsDir(Env* env, const std::string& dir) {
    if (IsDirectory(env, dir)) return true;
    auto info = env->Stat(dir);
    return info.ok() && info->type == FileInfo::Type::kSymlink && env->ListDir(dir).ok();
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
// A multimap from 64-bit keys to survivor indexes in insertion order, without a heap
// allocation per key: open addressing for the heads, one vector for the chains.
class IndexBuckets {
 public:
  explicit IndexBuckets(size_t expected) {
    size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    slots_.assign(cap, Slot{});
    entries_.reserve(expected);
  }
  // Adds idx under key unless it is there already.
  void Push(uint64_t key, uint32_t idx) {
    Slot& s = Find(key);
    if (s.head == kNone) {
      s.key = key;
      s.head = s.tail = Add(idx);
      if (++used_ * 2 > slots_.size()) Grow();
      return;
    }
    for (uint32_t e = s.head; e != kNone; e = entries_[e].next) {
      if (entries_[e].idx == idx) return;
    }
    uint32_t e = Add(idx);
    entries_[s.tail].next = e;
    s.tail = e;
  }
  // Calls fn(idx) in insertion order until it returns true; returns that idx or -1.
  template <typename Fn>
  int64_t FindFirst(uint64_t key, Fn fn) const {
    const Slot& s = const_cast<IndexBuckets*>(this)->Find(key);
    for (uint32_t e = s.head; e != kNone; e = entries_[e].next) {
      if (fn(entries_[e].idx)) return entries_[e].idx;
    }
    return -1;
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Slot {
    uint64_t key = 0;
    uint32_t head = kNone, tail = kNone;
  };
  struct Entry {
    uint32_t idx, next;
  };
  uint32_t Add(uint32_t idx) {
    entries_.push_back({idx, kNone});
    return static_cast<uint32_t>(entries_.size() - 1);
  }
  Slot& Find(uint64_t key) {
    size_t mask = slots_.size() - 1;
    for (size_t i = (key * 0x9e3779b97f4a7c15ull) >> 20 & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.head == kNone || s.key == key) return s;
    }
  }
  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.size() * 2, Slot{});
    for (const Slot& s : old) {
      if (s.head != kNone) Find(s.key) = s;
    }
  }
  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
  size_t used_ = 0;
};

void ClaudeSource::Resolve(std::vector<const UsageRecord*>* responses) const {
  struct Survivor {
    const UsageRecord* r;
    std::vector<uint64_t> aliases;  // other sessions merged into this survivor (rare)
  };
  std::vector<Survivor> surv;
  surv.reserve(responses->size());
  std::vector<const UsageRecord*> out;
  out.reserve(responses->size());
  std::vector<uint32_t> pos_in_out;  // survivor index -> position in `out`
  pos_in_out.reserve(responses->size());
  IndexBuckets buckets(responses->size() * 2);
  constexpr uint64_t kExactTag = 0x6578616374ull, kRouteTag = 0x726f757465ull;
  auto has_rid = [](const UsageRecord* r) { return (r->flags & kFlagRequestId) != 0; };
  auto side = [](const UsageRecord* r) { return (r->flags & kFlagSidechain) != 0; };
  auto exact_key = [&](const UsageRecord* r) {
    uint64_t h = HashCombine(HashCombine(kExactTag, r->key_a), has_rid(r) ? r->key_b : 0);
    if (!has_rid(r)) h = HashCombine(HashCombine(h, r->session), static_cast<uint64_t>(r->ts_ms));
    return h;
  };
  auto route_key = [&](uint64_t mid, uint64_t session) { return HashCombine(HashCombine(kRouteTag, mid), session); };
  auto replace = [&](const UsageRecord* c, const UsageRecord* x) {
    if (side(c) != side(x)) return side(x);
    if (c->total != x->total) return c->total > x->total;
    if (c->cost != x->cost) return c->cost > x->cost;
    return (c->flags & kFlagSpeed) && !(x->flags & kFlagSpeed);
  };

  for (const UsageRecord* e : *responses) {
    if (!(e->flags & kFlagMessageId)) {
      out.push_back(e);
      continue;
    }
    const uint64_t mid = e->key_a;
    const uint64_t ek = exact_key(e);
    int64_t found = buckets.FindFirst(ek, [&](uint32_t i) {
      const UsageRecord* s = surv[i].r;
      if (s->key_a != mid || has_rid(s) != has_rid(e)) return false;
      return has_rid(e) ? s->key_b == e->key_b : (s->session == e->session && s->ts_ms == e->ts_ms);
    });
    if (found < 0) {
      found = buckets.FindFirst(route_key(mid, e->session), [&](uint32_t i) {
        const Survivor& s = surv[i];
        if (s.r->key_a != mid) return false;
        bool same_session = s.r->session == e->session ||
                            std::find(s.aliases.begin(), s.aliases.end(), e->session) != s.aliases.end();
        return same_session && (side(e) || side(s.r));
      });
    }
    if (found >= 0) {
      uint32_t idx = static_cast<uint32_t>(found);
      Survivor& s = surv[idx];
      if (s.r->session != e->session) {
        for (uint64_t sess : {s.r->session, e->session}) {
          if (std::find(s.aliases.begin(), s.aliases.end(), sess) == s.aliases.end()) s.aliases.push_back(sess);
          buckets.Push(route_key(mid, sess), idx);
        }
      }
      if (replace(e, s.r)) {
        s.r = e;
        out[pos_in_out[idx]] = e;
        buckets.Push(exact_key(e), idx);
        buckets.Push(route_key(mid, e->session), idx);
      }
      continue;
    }
    uint32_t idx = static_cast<uint32_t>(surv.size());
    surv.push_back({e, {}});
    pos_in_out.push_back(static_cast<uint32_t>(out.size()));
    out.push_back(e);
    buckets.Push(ek, idx);
    buckets.Push(route_key(mid, e->session), idx);
  }
  *responses = std::move(out);
}

}  // namespace

std::unique_ptr<UsageSource> NewClaudeSource() { return std::make_unique<ClaudeSource>(); }

}  // namespace lq::usage

#include "usage/usage_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <type_traits>

namespace lq::usage {
namespace {

constexpr char kMagic[8] = {'L', 'Q', 'U', 'S', 'G', 'C', '0', '1'};
constexpr uint32_t kVersion = 5;  // 5: CachedFile::vanished

static_assert(std::is_trivially_copyable_v<UsageRecord>);

class Writer {
 public:
  void U8(uint8_t v) { s_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Raw(&v, 4); }
  void U64(uint64_t v) { Raw(&v, 8); }
  void I64(int64_t v) { Raw(&v, 8); }
  void Str(std::string_view v) {
    U32(static_cast<uint32_t>(v.size()));
    s_.append(v);
  }
  void Raw(const void* p, size_t n) { s_.append(static_cast<const char*>(p), n); }
  std::string& str() { return s_; }

 private:
  std::string s_;
};

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool ok() const { return ok_; }
  size_t pos() const { return pos_; }
  uint8_t U8() {
    uint8_t v = 0;
    Raw(&v, 1);
    return v;
  }
  uint32_t U32() {
    uint32_t v = 0;
    Raw(&v, 4);
    return v;
  }
  uint64_t U64() {
    uint64_t v = 0;
    Raw(&v, 8);
    return v;
  }
  int64_t I64() {
    int64_t v = 0;
    Raw(&v, 8);
    return v;
  }
  std::string Str() {
    uint32_t n = U32();
    if (!ok_ || n > s_.size() - pos_) {
      ok_ = false;
      return {};
    }
    std::string v(s_.substr(pos_, n));
    pos_ += n;
    return v;
  }
  void Raw(void* p, size_t n) {
    if (!ok_ || n > s_.size() - pos_) {
      ok_ = false;
      return;
    }
    std::memcpy(p, s_.data() + pos_, n);
    pos_ += n;
  }
  std::string_view Rest() const { return s_.substr(pos_); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void EncodeAggregates(Writer& w, const Aggregates& a) {
  w.Str(a.zone_key);
  w.U32(static_cast<uint32_t>(a.model_days.size()));
  for (const ModelDay& md : a.model_days) {
    w.I64(md.day);
    w.U8(static_cast<uint8_t>(md.agent));
    w.U32(md.model);
    const TokenSums& t = md.tokens;
    for (uint64_t v : {t.input, t.output, t.cache_write, t.cache_read, t.total, t.responses}) w.U64(v);
  }
  w.U32(static_cast<uint32_t>(a.agent_days.size()));
  for (const AgentDay& ad : a.agent_days) {
    w.I64(ad.day);
    w.U8(static_cast<uint8_t>(ad.agent));
    w.U64(ad.prompts);
    w.U32(static_cast<uint32_t>(ad.sessions.size()));
    w.Raw(ad.sessions.data(), ad.sessions.size() * 8);
  }
}

bool DecodeAggregates(Reader& r, Aggregates* a) {
  a->zone_key = r.Str();
  uint32_t n = r.U32();
  if (!r.ok() || n > r.Rest().size() / 30) return false;
  a->model_days.resize(n);
  for (ModelDay& md : a->model_days) {
    md.day = r.I64();
    md.agent = static_cast<Agent>(r.U8());
    md.model = r.U32();
    TokenSums& t = md.tokens;
    for (uint64_t* v : {&t.input, &t.output, &t.cache_write, &t.cache_read, &t.total, &t.responses}) *v = r.U64();
  }
  n = r.U32();
  if (!r.ok() || n > r.Rest().size() / 21) return false;
  a->agent_days.resize(n);
  for (AgentDay& ad : a->agent_days) {
    ad.day = r.I64();
    ad.agent = static_cast<Agent>(r.U8());
    ad.prompts = r.U64();
    uint32_t s = r.U32();
    if (!r.ok() || s > r.Rest().size() / 8) return false;
    ad.sessions.resize(s);
    r.Raw(ad.sessions.data(), s * 8ull);
  }
  return r.ok();
}

// The fixed prefix: magic, version, record size, length of the head that follows.
constexpr size_t kPrefix = 8 + 4 + 4 + 8;

Status DecodePrefix(std::string_view data, uint64_t* head_len) {
  Reader r(data);
  char magic[8];
  r.Raw(magic, 8);
  if (!r.ok() || std::memcmp(magic, kMagic, 8) != 0) return Status::Corruption("not a usage cache");
  if (r.U32() != kVersion) return Status::Corruption("usage cache version differs");
  if (r.U32() != sizeof(UsageRecord)) return Status::Corruption("usage cache record layout differs");
  *head_len = r.U64();
  return r.ok() ? Status::OK() : Status::Corruption("usage cache truncated");
}

// `data` is the head (after the prefix), followed by the records when load_records.
Status Decode(std::string_view data, bool load_records, UsageCache* c) {
  Reader r(data);
  c->salt = r.U64();
  c->db_current = r.U8() != 0;
  uint32_t nmodels = r.U32();
  if (!r.ok() || nmodels > r.Rest().size() / 4) return Status::Corruption("usage cache truncated");
  c->models.resize(nmodels);
  for (auto& m : c->models) m = r.Str();
  uint32_t nfiles = r.U32();
  if (!r.ok() || nfiles > r.Rest().size() / 64) return Status::Corruption("usage cache truncated");
  c->files.resize(nfiles);
  for (CachedFile& f : c->files) {
    f.agent = static_cast<Agent>(r.U8());
    f.path_hash = r.U64();
    f.size = r.U64();
    f.mtime_ns = r.I64();
    f.consumed = r.U64();
    f.window_hash = r.U64();
    f.window_len = r.U32();
    f.record_begin = r.U64();
    f.record_count = r.U32();
    f.tail_count = r.U32();
    f.state = r.Str();
    f.vanished = r.U8() != 0;
    for (auto& w : f.warnings.n) w = r.U32();
  }
  c->has_aggregates = r.U8() != 0;
  if (c->has_aggregates && !DecodeAggregates(r, &c->aggregates)) return Status::Corruption("usage cache truncated");
  c->aggregates.models = c->models;  // aggregates index the cache's model table
  for (const ModelDay& md : c->aggregates.model_days) {
    if (md.model >= c->models.size()) return Status::Corruption("usage cache inconsistent");
  }
  uint64_t nrecords = r.U64();
  if (!r.ok()) return Status::Corruption("usage cache truncated");
  if (load_records && nrecords > r.Rest().size() / sizeof(UsageRecord)) {
    return Status::Corruption("usage cache truncated");
  }
  for (const CachedFile& f : c->files) {
    if (f.record_begin + f.record_count + f.tail_count > nrecords || static_cast<int>(f.agent) >= kAgentCount) {
      return Status::Corruption("usage cache inconsistent");
    }
  }
  if (load_records) {
    c->records.resize(nrecords);
    r.Raw(c->records.data(), nrecords * sizeof(UsageRecord));
    for (const UsageRecord& rec : c->records) {
      if (rec.model >= c->models.size()) return Status::Corruption("usage cache inconsistent");
    }
    c->records_loaded = true;
  }
  return r.ok() ? Status::OK() : Status::Corruption("usage cache truncated");
}

}  // namespace

Result<UsageCache> LoadCache(Env* env, const std::string& path, bool load_records) {
  UsageCache c;
  if (load_records) {
    LQ_ASSIGN_OR_RETURN(std::string data, env->ReadFile(path));
    uint64_t head_len;
    LQ_RETURN_IF_ERROR(DecodePrefix(data, &head_len));
    if (data.size() < kPrefix + head_len) return Status::Corruption("usage cache truncated");
    LQ_RETURN_IF_ERROR(Decode(std::string_view(data).substr(kPrefix), true, &c));
    return c;
  }
  // Only the head: a run where nothing changed must not read megabytes of records.
  LQ_ASSIGN_OR_RETURN(auto file, env->NewRandomAccessFile(path));
  auto read_exactly = [&](uint64_t offset, std::string* out) -> Status {
    LQ_ASSIGN_OR_RETURN(size_t n, file->Read(offset, out->size(), out->data()));
    return n == out->size() ? Status::OK() : Status::Corruption("usage cache truncated");
  };
  std::string prefix(kPrefix, '\0');
  std::string head;
  Status s = read_exactly(0, &prefix);
  uint64_t head_len = 0;
  if (s.ok()) s = DecodePrefix(prefix, &head_len);
  if (s.ok() && head_len > (1ull << 32)) s = Status::Corruption("usage cache head too large");
  if (s.ok()) {
    head.resize(head_len);
    s = read_exactly(kPrefix, &head);
  }
  LQ_RETURN_IF_ERROR(s);
  LQ_RETURN_IF_ERROR(Decode(head, false, &c));
  return c;
}

Status LoadCacheRecords(Env* env, const std::string& path, UsageCache* cache) {
  if (cache->records_loaded) return Status::OK();
  LQ_ASSIGN_OR_RETURN(UsageCache full, LoadCache(env, path, true));
  if (full.salt != cache->salt || full.files.size() != cache->files.size()) {
    return Status::Corruption("usage cache changed while reading");
  }
  cache->records = std::move(full.records);
  cache->records_loaded = true;
  return Status::OK();
}

namespace {

// The prefix and the head: everything but the records (written straight from memory).
std::string EncodeHead(const UsageCache& c) {
  Writer w;
  w.U64(c.salt);
  w.U8(c.db_current ? 1 : 0);
  w.U32(static_cast<uint32_t>(c.models.size()));
  for (const auto& m : c.models) w.Str(m);
  w.U32(static_cast<uint32_t>(c.files.size()));
  for (const CachedFile& f : c.files) {
    w.U8(static_cast<uint8_t>(f.agent));
    w.U64(f.path_hash);
    w.U64(f.size);
    w.I64(f.mtime_ns);
    w.U64(f.consumed);
    w.U64(f.window_hash);
    w.U32(f.window_len);
    w.U64(f.record_begin);
    w.U32(f.record_count);
    w.U32(f.tail_count);
    w.Str(f.state);
    w.U8(f.vanished ? 1 : 0);
    for (auto v : f.warnings.n) w.U32(v);
  }
  w.U8(c.has_aggregates ? 1 : 0);
  if (c.has_aggregates) EncodeAggregates(w, c.aggregates);
  w.U64(c.records.size());
  Writer p;
  p.Raw(kMagic, 8);
  p.U32(kVersion);
  p.U32(sizeof(UsageRecord));
  p.U64(w.str().size());
  return p.str() + w.str();
}

}  // namespace

std::string EncodeCache(const UsageCache& c) {
  std::string s = EncodeHead(c);
  s.append(reinterpret_cast<const char*>(c.records.data()), c.records.size() * sizeof(UsageRecord));
  return s;
}

Status WriteCache(Env* env, const std::string& path, const UsageCache& c) {
  // WriteFileAtomically's protocol (temp file beside, fsync, rename, fsync the directory),
  // without first copying the records into one string: peak memory stays at one copy.
  LQ_ASSIGN_OR_RETURN(std::string suffix, RandomHex(env, 6));
  std::string tmp = path + ".tmp-" + std::to_string(env->ProcessId()) + "-" + suffix;
  LQ_ASSIGN_OR_RETURN(auto file, env->OpenWritable(tmp, Env::OpenMode::kCreateExclusive));
  Status s = file->Append(EncodeHead(c));
  const char* p = reinterpret_cast<const char*>(c.records.data());
  size_t left = c.records.size() * sizeof(UsageRecord);
  while (s.ok() && left > 0) {
    size_t n = std::min<size_t>(left, 4u << 20);
    s = file->Append(std::string_view(p, n));
    p += n;
    left -= n;
  }
  if (s.ok()) s = file->Sync();
  Status closed = file->Close();
  if (s.ok()) s = closed;
  if (s.ok()) s = env->Rename(tmp, path);
  if (!s.ok()) {
    (void)env->RemoveFile(tmp);
    return s;
  }
  return env->SyncDir(std::string(DirName(path)));
}

}  // namespace lq::usage

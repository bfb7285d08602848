#include "sync/manifest.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "core/fnv.h"
#include "core/percent_encoding.h"

namespace lq::sync {

std::string EscapeManifestKey(std::string_view key) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : key) {
    if (c == '%' || c == '\t' || c == '\n' || c == '\r') {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string UnescapeManifestKey(std::string_view text) { return PercentDecode(text); }

Result<Manifest> Manifest::Load(Env* env, std::string path) {
  Manifest m;
  m.env_ = env;
  m.path_ = std::move(path);
  auto text = env->ReadFile(m.path_);
  if (!text.ok()) {
    if (text.status().IsNotFound()) return m;
    return text.status();
  }
  std::string_view rest = *text;
  m.entries_.reserve(static_cast<size_t>(std::count(rest.begin(), rest.end(), '\n')));
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) break;  // a torn last line: the write was not confirmed
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl + 1);
    size_t t1 = line.find('\t');
    size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) continue;
    std::string key = UnescapeManifestKey(line.substr(t2 + 1));
    if (line.substr(0, t1) == "-") {
      m.entries_.erase(key);
      continue;
    }
    if (line[0] == 'd') {
      Folder f;
      if (std::from_chars(line.data() + 1, line.data() + t1, f.names_hash, 16).ec != std::errc() ||
          std::from_chars(line.data() + t1 + 1, line.data() + t2, f.mtime_ns).ec != std::errc()) {
        continue;
      }
      m.folders_[std::move(key)] = f;
      continue;
    }
    Entry e;
    auto size_end = std::from_chars(line.data(), line.data() + t1, e.size).ptr;
    if (size_end < line.data() + t1 && *size_end == ':') {  // "size:content hash" (mutable collections)
      std::from_chars(size_end + 1, line.data() + t1, e.content_hash, 16);
    }
    std::from_chars(line.data() + t1 + 1, line.data() + t2, e.mtime_ns);
    m.entries_[std::move(key)] = e;
  }
  return m;
}

const Manifest::Entry* Manifest::Find(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

Status Manifest::Append(const std::string& line) {
  // Not fsynced: a record lost to a power cut only means the next sync asks the
  // destination's listing about that key instead of trusting the manifest.
  if (!journal_) {
    LQ_RETURN_IF_ERROR(CreateDirs(env_, std::string(DirName(path_))));
    LQ_ASSIGN_OR_RETURN(journal_, env_->OpenWritable(path_, Env::OpenMode::kAppend));
  }
  return journal_->Append(line);
}

namespace {
std::string EntryLine(const std::string& key, const Manifest::Entry& e) {
  std::string size = std::to_string(e.size);
  if (e.content_hash != 0) size += ":" + Hex16(e.content_hash);
  return size + "\t" + std::to_string(e.mtime_ns) + "\t" + EscapeManifestKey(key) + "\n";
}
}  // namespace

Status Manifest::Record(const std::string& key, const Entry& e) {
  std::lock_guard<std::mutex> lock(*mu_);
  LQ_RETURN_IF_ERROR(Append(EntryLine(key, e)));
  entries_[key] = e;
  return Status::OK();
}

Status Manifest::Forget(const std::string& key) {
  std::lock_guard<std::mutex> lock(*mu_);
  LQ_RETURN_IF_ERROR(Append("-\t\t" + EscapeManifestKey(key) + "\n"));
  entries_.erase(key);
  return Status::OK();
}

const Manifest::Folder* Manifest::FindFolder(const std::string& key) const {
  auto it = folders_.find(key);
  return it == folders_.end() ? nullptr : &it->second;
}

namespace {
std::string FolderLine(const std::string& key, const Manifest::Folder& f) {
  return "d" + Hex16(f.names_hash) + "\t" + std::to_string(f.mtime_ns) + "\t" + EscapeManifestKey(key) + "\n";
}
}  // namespace

Status Manifest::RecordFolder(const std::string& key, const Folder& folder) {
  std::lock_guard<std::mutex> lock(*mu_);
  LQ_RETURN_IF_ERROR(Append(FolderLine(key, folder)));
  folders_[key] = folder;
  return Status::OK();
}

uint64_t FolderNamesHash(const std::vector<std::string_view>& names) {
  uint64_t sum = 0;
  for (std::string_view n : names) sum += Fnv1a64(n);
  return sum;
}

void Manifest::Clear() {
  std::lock_guard<std::mutex> lock(*mu_);
  entries_.clear();
  folders_.clear();
}

Status Manifest::Compact() {
  if (journal_) {
    LQ_RETURN_IF_ERROR(journal_->Close());
    journal_.reset();
  }
  std::string text;
  for (const auto& [key, e] : entries_) {
    text += EntryLine(key, e);
  }
  for (const auto& [key, f] : folders_) text += FolderLine(key, f);
  LQ_RETURN_IF_ERROR(CreateDirs(env_, std::string(DirName(path_))));
  return WriteFileAtomically(env_, path_, text);
}

}  // namespace lq::sync

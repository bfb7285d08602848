#include "core/fault_injection_env.h"

#include <cassert>
#include <utility>

namespace lq {
namespace {

Status MakeStatus(Status::Code code, std::string msg) {
  switch (code) {
    case Status::Code::kNotFound:
      return Status::NotFound(std::move(msg));
    case Status::Code::kAlreadyExists:
      return Status::AlreadyExists(std::move(msg));
    case Status::Code::kInvalidArgument:
      return Status::InvalidArgument(std::move(msg));
    case Status::Code::kCorruption:
      return Status::Corruption(std::move(msg));
    case Status::Code::kNoSpace:
      return Status::NoSpace(std::move(msg));
    case Status::Code::kPermissionDenied:
      return Status::PermissionDenied(std::move(msg));
    case Status::Code::kUnavailable:
      return Status::Unavailable(std::move(msg));
    case Status::Code::kInternal:
      return Status::Internal(std::move(msg));
    case Status::Code::kOk:  // not a fault; FailWritesAfter asserts against it
    case Status::Code::kIOError:
      break;
  }
  return Status::IOError(std::move(msg));
}

// The tracking key of a path: duplicate and trailing slashes collapsed.
std::string Key(const std::string& path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out.push_back(c);
  }
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace

// What the model knows about one file (an inode: a rename moves it to another name).
struct FaultInjectionEnv::Node {
  std::string data;                   // the content now
  std::optional<std::string> synced;  // the content a crash would leave; nullopt: none
};

class FaultInjectionEnv::FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(FaultInjectionEnv* env, std::unique_ptr<WritableFile> base,
                    std::shared_ptr<Node> node, uint64_t generation, std::string path)
      : env_(env),
        base_(std::move(base)),
        node_(std::move(node)),
        generation_(generation),
        path_(std::move(path)) {}

  Status Append(std::string_view data) override {
    std::lock_guard<std::mutex> lock(env_->mu_);
    ++env_->append_count_;
    LQ_RETURN_IF_ERROR(CheckGeneration());
    LQ_RETURN_IF_ERROR(env_->BeforeMutation("Append", path_, /*is_removal=*/false));
    LQ_RETURN_IF_ERROR(base_->Append(data));
    if (node_ != nullptr) node_->data.append(data);
    if (env_->crash_budget_ > 0 && --env_->crash_budget_ == 0) env_->crashed_ = true;
    return Status::OK();
  }

  Status Sync() override {
    std::lock_guard<std::mutex> lock(env_->mu_);
    LQ_RETURN_IF_ERROR(CheckGeneration());
    LQ_RETURN_IF_ERROR(env_->BeforeMutation("Sync", path_, /*is_removal=*/false));
    LQ_RETURN_IF_ERROR(base_->Sync());
    if (node_ != nullptr) node_->synced = node_->data;
    return Status::OK();
  }

  Status Close() override { return base_->Close(); }

 private:
  Status CheckGeneration() const {
    if (generation_ == env_->generation_) return Status::OK();
    return Status::IOError(path_ + ": file opened before a simulated crash");
  }

  FaultInjectionEnv* const env_;
  const std::unique_ptr<WritableFile> base_;
  const std::shared_ptr<Node> node_;  // nullptr when the file is not modelled
  const uint64_t generation_;
  const std::string path_;
};

FaultInjectionEnv::FaultInjectionEnv(Env* base) : EnvWrapper(base), base_(base) {}

FaultInjectionEnv::~FaultInjectionEnv() = default;

void FaultInjectionEnv::FailWritesAfter(int n_ok, Status::Code code) {
  assert(code != Status::Code::kOk);
  std::lock_guard<std::mutex> lock(mu_);
  fail_budget_ = n_ok > 0 ? n_ok : 0;
  fail_code_ = code;
}

void FaultInjectionEnv::CrashAfterWrites(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  crash_budget_ = n > 0 ? n : -1;
  crashed_ = n <= 0;
}

bool FaultInjectionEnv::crashed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return crashed_;
}

void FaultInjectionEnv::ClearFaults() {
  std::lock_guard<std::mutex> lock(mu_);
  ClearFaultsLocked();
}

void FaultInjectionEnv::ClearFaultsLocked() {
  fail_budget_ = -1;
  crash_budget_ = -1;
  crashed_ = false;
}

int FaultInjectionEnv::append_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return append_count_;
}

int FaultInjectionEnv::mutating_op_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return mutating_op_count_;
}

Status FaultInjectionEnv::BeforeMutation(const std::string& op, const std::string& what,
                                         bool is_removal) {
  ++mutating_op_count_;
  if (crashed_) return Status::IOError("simulated crash: " + op + " " + what);
  if (fail_budget_ == 0) {
    if (is_removal && fail_code_ == Status::Code::kNoSpace) return Status::OK();
    return MakeStatus(fail_code_, "injected fault: " + op + " " + what);
  }
  if (fail_budget_ > 0) --fail_budget_;
  return Status::OK();
}

bool FaultInjectionEnv::Track(const std::string& key) {
  if (durable_.count(key) != 0) return true;
  auto info = base_->Stat(key);
  if (!info.ok()) {
    if (!info.status().IsNotFound()) return false;
    live_[key] = nullptr;
    durable_[key] = nullptr;
    return true;
  }
  if (!info->is_file()) return false;
  auto content = base_->ReadFile(key);
  if (!content.ok()) return false;
  // It was there before we touched it, so it is as durable as anything can be.
  auto node = std::make_shared<Node>();
  node->data = *content;
  node->synced = std::move(*content);
  live_[key] = node;
  durable_[key] = std::move(node);
  return true;
}

Status FaultInjectionEnv::DropUnsyncedData() {
  std::lock_guard<std::mutex> lock(mu_);
  Status first_error;
  auto note = [&first_error](const Status& s) {
    if (!s.ok() && first_error.ok()) first_error = s.WithContext("DropUnsyncedData");
  };
  for (const auto& [key, durable] : durable_) {
    const std::shared_ptr<Node>& live = live_[key];
    const std::optional<std::string> want = durable ? durable->synced : std::nullopt;
    if (!want) {
      if (live != nullptr) note(base_->RemoveFile(key));
      continue;
    }
    if (live == durable && live->data == *want) continue;  // nothing was lost
    auto file = base_->OpenWritable(key, OpenMode::kTruncate);
    if (!file.ok()) {
      note(file.status());
      continue;
    }
    Status s = (*file)->Append(*want);
    if (s.ok()) s = (*file)->Sync();
    Status c = (*file)->Close();
    note(s.ok() ? c : s);
  }
  live_.clear();
  durable_.clear();
  ++generation_;
  ClearFaultsLocked();
  return first_error;
}

Result<std::unique_ptr<WritableFile>> FaultInjectionEnv::OpenWritable(const std::string& path,
                                                                      OpenMode mode) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_RETURN_IF_ERROR(BeforeMutation("OpenWritable", path, /*is_removal=*/false));
  const std::string key = Key(path);
  const bool tracked = Track(key);
  LQ_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, base_->OpenWritable(path, mode));
  std::shared_ptr<Node> node;
  if (tracked) {
    node = live_[key];
    if (node != nullptr) {
      if (mode == OpenMode::kTruncate) {
        node->data.clear();
        if (node->synced) node->synced->clear();  // see the header: truncation is durable
      }
    } else {
      node = std::make_shared<Node>();
      live_[key] = node;
      // A new name over nothing durable becomes durable with the file's first Sync; over
      // a pending rename or removal it waits for SyncDir like them.
      if (durable_[key] == nullptr) durable_[key] = node;
    }
  }
  return std::unique_ptr<WritableFile>(
      new FaultWritableFile(this, std::move(file), std::move(node), generation_, path));
}

Status FaultInjectionEnv::CreateDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_RETURN_IF_ERROR(BeforeMutation("CreateDir", dir, /*is_removal=*/false));
  return base_->CreateDir(dir);
}

Status FaultInjectionEnv::RemoveFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_RETURN_IF_ERROR(BeforeMutation("RemoveFile", path, /*is_removal=*/true));
  LQ_RETURN_IF_ERROR(base_->RemoveFile(path));
  const std::string key = Key(path);
  if (durable_.count(key) != 0) {
    live_[key] = nullptr;
    durable_[key] = nullptr;  // removals are durable at once (see the header)
  }
  return Status::OK();
}

Status FaultInjectionEnv::RemoveDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_RETURN_IF_ERROR(BeforeMutation("RemoveDir", dir, /*is_removal=*/true));
  return base_->RemoveDir(dir);
}

Status FaultInjectionEnv::Rename(const std::string& from, const std::string& to) {
  return RenameImpl(from, to, /*no_replace=*/false);
}

Status FaultInjectionEnv::RenameNoReplace(const std::string& from, const std::string& to) {
  return RenameImpl(from, to, /*no_replace=*/true);
}

Status FaultInjectionEnv::RenameImpl(const std::string& from, const std::string& to,
                                     bool no_replace) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_RETURN_IF_ERROR(BeforeMutation(no_replace ? "RenameNoReplace" : "Rename", from + " -> " + to,
                                    /*is_removal=*/false));
  const std::string from_key = Key(from);
  const std::string to_key = Key(to);
  // Only a regular file is modelled; Track(from) alone would also accept an absent path.
  auto info = base_->Stat(from);
  const bool modelled =
      info.ok() && info->is_file() && from_key != to_key && Track(from_key) && Track(to_key);
  LQ_RETURN_IF_ERROR(no_replace ? base_->RenameNoReplace(from, to) : base_->Rename(from, to));
  if (modelled) {
    // Only the live names change; durable_ keeps the old ones until SyncDir.
    live_[to_key] = std::move(live_[from_key]);
    live_[from_key] = nullptr;
  }
  return Status::OK();
}

Status FaultInjectionEnv::SyncDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_RETURN_IF_ERROR(BeforeMutation("SyncDir", dir, /*is_removal=*/false));
  LQ_RETURN_IF_ERROR(base_->SyncDir(dir));
  const std::string dir_key = Key(dir);
  for (auto& [key, durable] : durable_) {
    if (DirName(key) == dir_key) durable = live_[key];
  }
  return Status::OK();
}

Status FaultInjectionEnv::Symlink(const std::string& target, const std::string& link) {
  std::lock_guard<std::mutex> lock(mu_);
  LQ_RETURN_IF_ERROR(BeforeMutation("Symlink", link, /*is_removal=*/false));
  return base_->Symlink(target, link);
}

}  // namespace lq

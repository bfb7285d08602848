// Status and Result<T>: errors as values at module boundaries (leveldb style).
//
// A Status is either OK or carries a Code and a one-line message meant for a person:
// "what failed, and what to do". Exceptions never cross a module boundary; code that
// calls a throwing library (yaml-cpp, CLI11, simdjson in exception mode) converts at
// the call site.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace lq {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,
    kAlreadyExists,
    kInvalidArgument,  // bad user input: exit code 2 at the CLI
    kIOError,
    kCorruption,       // a file we own is malformed
    kNoSpace,
    kPermissionDenied,
    kUnavailable,      // a service or tool is missing or unreachable
    kInternal,
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {Code::kAlreadyExists, std::move(msg)}; }
  static Status InvalidArgument(std::string msg) { return {Code::kInvalidArgument, std::move(msg)}; }
  static Status IOError(std::string msg) { return {Code::kIOError, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status NoSpace(std::string msg) { return {Code::kNoSpace, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) { return {Code::kPermissionDenied, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }
  // Maps an errno from a failed system call on `what` (usually a path) to a Status.
  static Status FromErrno(int err, const std::string& what);

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsAlreadyExists() const { return code_ == Code::kAlreadyExists; }
  bool IsUnavailable() const { return code_ == Code::kUnavailable; }

  // Returns a copy whose message is "context: message".
  Status WithContext(const std::string& context) const;
  std::string ToString() const;

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T> holds a T or a non-OK Status (a small std::expected for C++20).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result built from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace lq

#define LQ_CONCAT_INNER(a, b) a##b
#define LQ_CONCAT(a, b) LQ_CONCAT_INNER(a, b)

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define LQ_RETURN_IF_ERROR(expr)              \
  do {                                        \
    ::lq::Status lq_status_ = (expr);         \
    if (!lq_status_.ok()) return lq_status_;  \
  } while (0)

// `LQ_ASSIGN_OR_RETURN(auto x, ResultExpr())` declares x from a Result or returns its Status.
#define LQ_ASSIGN_OR_RETURN(lhs, expr) LQ_ASSIGN_OR_RETURN_IMPL(LQ_CONCAT(lq_result_, __LINE__), lhs, expr)
#define LQ_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()

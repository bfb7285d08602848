#include "cli/output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

namespace lq::cli {
namespace {

bool ColorAllowed(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return ::isatty(fd) != 0;
}

}  // namespace

int ExitCodeFor(const Status& status) {
  if (status.ok()) return kExitOk;
  return status.code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailed;
}

std::string FormatRfc3339Utc(int64_t micros) {
  int64_t secs = micros / 1000000, frac = micros % 1000000;
  if (frac < 0) secs -= 1, frac += 1000000;  // floor: before 1970 the fraction still counts up
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  if (frac != 0) {
    char digits[8];
    std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(frac));
    std::string f(digits);
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out + "Z";
}

std::string Rfc3339FromSqlTimestamp(std::string_view text) {
  // DuckDB prints YYYY-MM-DD HH:MM:SS[.f], the fraction already without trailing zeros.
  if (text.size() < 19 || text[4] != '-' || text[10] != ' ' || text[13] != ':')
    return std::string(text);
  std::string out(text);
  out[10] = 'T';
  return out + "Z";
}

Output::Output(std::FILE* out, std::FILE* err)
    : out_(out),
      err_(err),
      stdout_is_tty_(::isatty(fileno(out)) != 0),
      color_(ColorAllowed(fileno(out))),
      stderr_color_(ColorAllowed(fileno(err))) {}

Output::Output(std::FILE* out, std::FILE* err, bool stdout_is_tty, bool color)
    : out_(out), err_(err), stdout_is_tty_(stdout_is_tty), color_(color), stderr_color_(color) {}

size_t Output::terminal_width() const {
  if (!stdout_is_tty_) return 0;
  winsize ws{};
  if (::ioctl(fileno(out_), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  const char* columns = std::getenv("COLUMNS");
  long n = columns != nullptr ? std::strtol(columns, nullptr, 10) : 0;
  return n > 0 && n < 10000 ? static_cast<size_t>(n) : 80;
}

void Output::Print(std::string_view text) { std::fwrite(text.data(), 1, text.size(), out_); }

void Output::Line(std::string_view text) {
  Print(text);
  std::fputc('\n', out_);
}

void Output::Json(const nlohmann::json& value) {
  // Replace invalid UTF-8 instead of throwing: output must never abort on odd data.
  Line(value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

void Output::Error(const Status& status) { Error(status.message()); }

void Output::Error(std::string_view message) {
  std::fflush(out_);
  std::string prefix = stderr_color_ ? "\033[1;31mlq: error:\033[0m " : "lq: error: ";
  std::fprintf(err_, "%s%.*s\n", prefix.c_str(), static_cast<int>(message.size()), message.data());
}

void Output::Warn(std::string_view message) {
  std::fflush(out_);
  std::string prefix = stderr_color_ ? "\033[1;33mlq: warning:\033[0m " : "lq: warning: ";
  std::fprintf(err_, "%s%.*s\n", prefix.c_str(), static_cast<int>(message.size()), message.data());
}

void Output::Info(std::string_view message) {
  std::fflush(out_);
  std::fprintf(err_, "%.*s\n", static_cast<int>(message.size()), message.data());
}

std::string Output::Style(const char* code, std::string_view s) const {
  if (!color_) return std::string(s);
  return std::string("\033[") + code + "m" + std::string(s) + "\033[0m";
}

void Output::KeyValues(const std::vector<std::pair<std::string, std::string>>& rows) {
  size_t width = 0;
  for (const auto& [k, v] : rows) width = std::max(width, k.size());
  for (const auto& [k, v] : rows) {
    Line("  " + Dim(k + std::string(width - k.size() + 2, ' ')) + v);
  }
}

}  // namespace lq::cli

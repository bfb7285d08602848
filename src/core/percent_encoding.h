// %XX decoding, shared by everything that reads percent-escaped text (git remotes, URL
// query strings, manifest keys).
#pragma once

#include <string>
#include <string_view>

namespace lq {

// Decodes %XX escapes (either case); a '%' not followed by two hex digits is kept as is.
inline std::string PercentDecode(std::string_view s) {
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    int hi = -1, lo = -1;
    if (s[i] == '%' && i + 2 < s.size()) {
      hi = hex(s[i + 1]);
      lo = hex(s[i + 2]);
    }
    if (hi >= 0 && lo >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace lq

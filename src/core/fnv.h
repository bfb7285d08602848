// FNV-1a 64: the one small, stable, documented hash lq uses for names that must be
// the same on every machine and in every version (error fingerprints, long safe names,
// manifest file names). Not for hash tables on hot paths, not keyed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lq {

constexpr uint64_t kFnv1aOffset = 14695981039346656037ull;
constexpr uint64_t kFnv1aPrime = 1099511628211ull;

// Continues hash `h` over the bytes of `s` (start with kFnv1aOffset).
inline uint64_t Fnv1a64(std::string_view s, uint64_t h = kFnv1aOffset) {
  for (unsigned char c : s) {
    h ^= c;
    h *= kFnv1aPrime;
  }
  return h;
}

// 16 lower-case hex digits.
inline std::string Hex16(uint64_t h) {
  static const char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<size_t>(i)] = kHex[h & 15];
  return out;
}

}  // namespace lq

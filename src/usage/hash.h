// Keyed 64-bit hashing for the usage scanner.
//
// Identifiers that must never be stored (file paths, session ids, message ids, request
// ids, prompt uuids) are reduced to Hash64(salt, bytes) before they leave the parser.
// The salt is random per cache (see usage_cache.h), so the cache holds no value that a
// precomputed table could map back to a path or id. Equality of hashes stands in for
// equality of ids; with 64 bits a collision among a million ids has odds of ~1e-8.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace lq::usage {

namespace hash_internal {
inline uint64_t Mix(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}
inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t LoadTail(const char* p, size_t n) {  // 0 < n < 8
  uint64_t v = 0;
  std::memcpy(&v, p, n);
  return v;
}
constexpr uint64_t kP0 = 0xa0761d6478bd642full;
constexpr uint64_t kP1 = 0xe7037ed1a0b428dbull;
constexpr uint64_t kP2 = 0x8ebc6af09c88c6e3ull;
}  // namespace hash_internal

// A fast keyed hash (multiply-mix, in the spirit of wyhash). Never returns 0, so 0 can
// mean "absent" in records.
inline uint64_t Hash64(uint64_t seed, std::string_view s) {
  using namespace hash_internal;
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = seed ^ Mix(seed ^ kP0, n ^ kP1);
  while (n >= 16) {
    h = Mix(Load64(p) ^ kP1 ^ h, Load64(p + 8) ^ kP2);
    p += 16;
    n -= 16;
  }
  if (n >= 8) {
    h = Mix(Load64(p) ^ kP1 ^ h, kP2 ^ n);
    p += 8;
    n -= 8;
  }
  if (n > 0) h = Mix(LoadTail(p, n) ^ kP2 ^ h, kP0 ^ n);
  h = Mix(h ^ kP0, h ^ kP1);
  return h == 0 ? 1 : h;
}

// Combines a hash with more values (for composite keys).
inline uint64_t HashCombine(uint64_t h, uint64_t v) {
  using namespace hash_internal;
  uint64_t r = Mix(h ^ kP0, v ^ kP2);
  return r == 0 ? 1 : r;
}

}  // namespace lq::usage

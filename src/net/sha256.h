// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for SigV4 request signing and upload
// hashes. Our own, not OpenSSL's: linking libcrypto costs every lq process ~1-3 ms of
// start-up (dynamic relocations) for the one command family that signs requests, and a
// hash that is fed a few megabytes per upload does not need its assembly. Checked against
// the FIPS 180-2 and RFC 4231 vectors in sha256_test.cc.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace lq::net {

class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;
  Sha256();
  void Update(std::string_view data);
  // The digest of everything passed to Update. The object must not be used afterwards.
  Digest Final();

 private:
  void Block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;  // bytes
};

// The 32-byte HMAC-SHA256 of `data` under `key`, as a byte string.
std::string HmacSha256(std::string_view key, std::string_view data);

// Lower-case hex of bytes.
std::string HexLower(std::string_view bytes);

}  // namespace lq::net

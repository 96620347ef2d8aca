// SHA-256 (FIPS 180-4), pure: evidence files are content-addressed (R10, SYNC.md §7). The browser
// must hash the bytes itself before queueing the upload, so this cannot rely on a platform library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cl {

// Incremental hasher: feed large files in pieces without copying them.
class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  std::array<std::uint8_t, 32> finish();   // the hasher must not be reused afterwards
  std::string finish_hex();                // 64 lowercase hex digits

 private:
  void compress(const std::uint8_t* block);
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

std::string sha256_hex(const void* data, std::size_t size);
inline std::string sha256_hex(std::string_view bytes) { return sha256_hex(bytes.data(), bytes.size()); }

// True for exactly 64 lowercase hex digits (the server's evidence path parameter).
bool is_sha256_hex(std::string_view s);

}  // namespace cl

#include "server/ids.h"

#include <sodium.h>

#include <cstdint>
#include <string>

namespace cl::server {

std::string new_uuid_v7(Instant now) {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  auto ms = static_cast<std::uint64_t>(now);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0F));  // version 7
  b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3F));  // RFC 4122 variant
  // 8-4-4-4-12 lowercase hex by hand: snprintf's format parsing was ~6k instructions per id, and every
  // audited sync change takes one.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  std::size_t o = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++o;  // the dashes
    out[o++] = kHex[b[i] >> 4];
    out[o++] = kHex[b[i] & 0x0F];
  }
  return out;
}

}  // namespace cl::server

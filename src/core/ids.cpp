#include "core/ids.h"

namespace cl {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// bytes: 16 bytes of the UUID, laid out per RFC 9562.
std::string format_uuid(const std::array<std::uint8_t, 16>& b) {
  std::string s;
  s.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += kHex[b[i] >> 4];
    s += kHex[b[i] & 15];
  }
  return s;
}

std::string build(Instant ms, std::uint16_t rand_a12, const RandomBytes10& r) {
  std::array<std::uint8_t, 16> b{};
  std::uint64_t t = static_cast<std::uint64_t>(ms) & 0xFFFFFFFFFFFFull;
  for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(t >> (40 - 8 * i));
  b[6] = static_cast<std::uint8_t>(0x70 | ((rand_a12 >> 8) & 0x0F));
  b[7] = static_cast<std::uint8_t>(rand_a12 & 0xFF);
  // rand_b: 62 bits from r[2..9]; variant bits 10 in the top of byte 8.
  for (int i = 0; i < 8; ++i) b[8 + i] = r[2 + i];
  b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3F));
  return format_uuid(b);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int crockford_value(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  for (int i = 0; i < 32; ++i)
    if (kCrockford[i] == c) return i;
  return -1;
}

}  // namespace

std::string uuid_v7(Instant now, const RandomBytes10& random) {
  std::uint16_t rand_a = static_cast<std::uint16_t>(((random[0] << 8) | random[1]) & 0x0FFF);
  return build(now, rand_a, random);
}

std::string uuid_v7(Instant now, const RandomBytes10& random, UuidV7State& state) {
  Instant ms = now;
  std::uint16_t counter;
  if (state.last_ms >= 0 && ms <= state.last_ms) {
    // Same millisecond (or the clock stepped back): keep the last timestamp and count up.
    ms = state.last_ms;
    counter = static_cast<std::uint16_t>(state.last_counter + 1);
    if (counter > 0x0FFF) {  // 4096 ids in one ms: borrow the next millisecond
      ms += 1;
      counter = static_cast<std::uint16_t>(((random[0] << 8) | random[1]) & 0x07FF);
    }
  } else {
    // Seed with the top bit clear so at least 2048 more ids fit in this millisecond.
    counter = static_cast<std::uint16_t>(((random[0] << 8) | random[1]) & 0x07FF);
  }
  state.last_ms = ms;
  state.last_counter = counter;
  return build(ms, counter, random);
}

bool is_uuid_v7(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : hex_value(s[i]) < 0) return false;
  }
  if (s[14] != '7') return false;
  int variant = hex_value(s[19]);
  return (variant & 0xC) == 0x8;
}

std::optional<Instant> uuid_v7_time(std::string_view s) {
  if (!is_uuid_v7(s)) return std::nullopt;
  Instant t = 0;
  for (size_t i = 0; i < 13; ++i) {
    if (i == 8) continue;
    t = t * 16 + hex_value(s[i]);
  }
  return t;
}

std::string device_code(std::uint32_t n) {
  std::string s;
  do {
    s.insert(s.begin(), kCrockford[n % 32]);
    n /= 32;
  } while (n > 0);
  while (s.size() < 3) s.insert(s.begin(), '0');
  return s;
}

std::optional<std::uint32_t> parse_device_code(std::string_view code) {
  if (code.size() < 3 || code.size() > 7) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : code) {
    int v = crockford_value(c);
    if (v < 0) return std::nullopt;
    n = n * 32 + static_cast<std::uint64_t>(v);
  }
  if (n > 0xFFFFFFFFull) return std::nullopt;
  return static_cast<std::uint32_t>(n);
}

std::string make_code(std::string_view prefix, std::uint32_t device_number, std::uint64_t sequence) {
  std::string seq = std::to_string(sequence);
  while (seq.size() < 5) seq.insert(seq.begin(), '0');
  return std::string(prefix) + "-" + device_code(device_number) + "-" + seq;
}

std::optional<CodeParts> parse_code(std::string_view code) {
  auto first = code.find('-');
  if (first == std::string_view::npos || first == 0) return std::nullopt;
  auto second = code.find('-', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  CodeParts parts;
  parts.prefix = std::string(code.substr(0, first));
  for (char c : parts.prefix)
    if (!(c >= 'A' && c <= 'Z')) return std::nullopt;
  auto device = parse_device_code(code.substr(first + 1, second - first - 1));
  if (!device) return std::nullopt;
  parts.device_number = *device;
  std::string_view seq = code.substr(second + 1);
  if (seq.size() < 5 || seq.size() > 18) return std::nullopt;
  for (char c : seq) {
    if (c < '0' || c > '9') return std::nullopt;
    parts.sequence = parts.sequence * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return parts;
}

std::uint64_t next_sequence(const std::vector<std::string>& existing_codes, std::string_view prefix,
                            std::uint32_t device_number) {
  std::uint64_t max_seen = 0;
  for (const auto& c : existing_codes) {
    auto p = parse_code(c);
    if (p && p->prefix == prefix && p->device_number == device_number && p->sequence > max_seen)
      max_seen = p->sequence;
  }
  return max_seen + 1;
}

}  // namespace cl

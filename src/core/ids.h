// R5: ids that can be made offline without ever colliding.
//
// 1. Record ids are UUIDv7 text (RFC 9562): 48-bit UTC ms timestamp, version 7, a 12-bit
//    counter/random field, variant 10, 62 random bits. They sort by creation time, which keeps
//    SQLite's b-tree appends cheap and makes sync logs readable. Core has no randomness: the caller
//    passes 10 random bytes (the platform's crypto.getRandomValues / the server's libsodium).
//    Within one millisecond on one device, UuidV7State makes ids strictly increasing (RFC 9562
//    §6.2 method 1: rand_a is a counter seeded randomly with its top bit clear).
//
// 2. Human-readable codes (customer 客户编号 "KH-0A3-00017", and any other record kind by prefix)
//    are unique across devices WITHOUT a round-trip at creation time:
//       code = PREFIX "-" device_code "-" sequence
//    - device_code: the server gives every client installation (client_id) a device number when it
//      first registers (login needs the network, so every device has one before it can work
//      offline). Numbers are never reused; a device that loses its local storage registers again
//      and gets a new number. The number is written in Crockford base-32 (0-9 A-Z without I L O U,
//      so it can be read over the phone), at least 3 characters: 0 → "000", 355 → "0B3".
//      Device number 0 is reserved for the server itself (CSV imports, demo seeding).
//    - sequence: a per-device counter kept in the device's replica, starting at 1, at least 5
//      digits. After a reinstall-without-wipe the app resumes from next_sequence(codes, device).
//    Two devices can never produce the same code because their device codes differ; one device
//    never repeats a code because its sequence only grows.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace cl {

using RandomBytes10 = std::array<std::uint8_t, 10>;

// Per-generator state (one per device/process; no globals in core).
struct UuidV7State {
  Instant last_ms = -1;
  std::uint16_t last_counter = 0;  // 12 bits used
};

// Stateless: a fresh UUIDv7 for `now` from 10 random bytes. Not ordered within one millisecond.
std::string uuid_v7(Instant now, const RandomBytes10& random);
// Monotonic: strictly greater (as text and as bytes) than every id this state produced before,
// even within the same millisecond or if the clock steps backwards.
std::string uuid_v7(Instant now, const RandomBytes10& random, UuidV7State& state);

bool is_uuid_v7(std::string_view text);           // lowercase 8-4-4-4-12 hex, version 7, variant 10
std::optional<Instant> uuid_v7_time(std::string_view text);

// Crockford base-32, at least 3 characters, uppercase.
std::string device_code(std::uint32_t device_number);
std::optional<std::uint32_t> parse_device_code(std::string_view code);  // accepts lowercase too

// "KH-0A3-00017". Prefix is letters only ("KH" customers; quotes/contracts may use their own).
std::string make_code(std::string_view prefix, std::uint32_t device_number, std::uint64_t sequence);
inline std::string customer_code(std::uint32_t device_number, std::uint64_t sequence) {
  return make_code("KH", device_number, sequence);
}

struct CodeParts {
  std::string prefix;
  std::uint32_t device_number = 0;
  std::uint64_t sequence = 0;
};
std::optional<CodeParts> parse_code(std::string_view code);

// The next sequence for `device_number` given codes already in the replica (max + 1, or 1).
std::uint64_t next_sequence(const std::vector<std::string>& existing_codes, std::string_view prefix,
                            std::uint32_t device_number);

}  // namespace cl

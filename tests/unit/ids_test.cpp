// R5: offline ids and customer codes.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/ids.h"

using namespace cl;

namespace {
// A deterministic stand-in for the platform's random source (tests only).
RandomBytes10 bytes(std::uint32_t seed) {
  RandomBytes10 r{};
  std::uint32_t x = seed * 2654435761u + 12345u;
  for (auto& b : r) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    b = static_cast<std::uint8_t>(x);
  }
  return r;
}
}  // namespace

TEST_CASE("a UUIDv7 has the RFC 9562 layout and carries its millisecond timestamp") {
  const Instant t = 1764201600123;  // 2025-11-27T00:00:00.123Z
  std::string id = uuid_v7(t, bytes(1));
  CHECK(id.size() == 36);
  CHECK(id[14] == '7');
  CHECK(std::string("89ab").find(id[19]) != std::string::npos);
  CHECK(is_uuid_v7(id));
  CHECK(uuid_v7_time(id) == t);
  CHECK(id.substr(0, 13) == "019ac29c-147b");  // hex(1764201600123) == 0x19ac29c147b
}

TEST_CASE("ids from the same millisecond on one device are unique and strictly increasing") {
  UuidV7State state;
  std::string previous;
  std::set<std::string> seen;
  for (std::uint32_t i = 0; i < 5000; ++i) {  // more than 4096: forces the counter to roll over
    std::string id = uuid_v7(1764201600000, bytes(i), state);
    CHECK(is_uuid_v7(id));
    if (!previous.empty()) CHECK(id > previous);
    previous = id;
    seen.insert(id);
  }
  CHECK(seen.size() == 5000);
}

TEST_CASE("ids stay increasing when the device clock steps backwards") {
  UuidV7State state;
  std::string a = uuid_v7(2000000, bytes(1), state);
  std::string b = uuid_v7(1000000, bytes(2), state);  // NTP correction
  CHECK(b > a);
  CHECK(uuid_v7_time(b) == 2000000);
}

TEST_CASE("ids from later milliseconds sort after earlier ones") {
  CHECK(uuid_v7(1000, bytes(9)) < uuid_v7(1001, bytes(3)));
  CHECK(uuid_v7(1764201600000, bytes(255)) < uuid_v7(1764201600000 + kDay, bytes(0)));
}

TEST_CASE("text that is not a UUIDv7 is recognised as such") {
  CHECK_FALSE(is_uuid_v7("not-a-uuid"));
  CHECK_FALSE(is_uuid_v7("019ac2d3-0b7b-4000-8000-000000000000"));  // version 4
  CHECK_FALSE(is_uuid_v7("019ac2d3-0b7b-7000-c000-000000000000"));  // wrong variant
  CHECK_FALSE(is_uuid_v7("019AC2D3-0B7B-7000-8000-000000000000"));  // we always write lowercase
  CHECK_FALSE(uuid_v7_time("x").has_value());
}

TEST_CASE("device numbers are written in Crockford base-32 with at least three characters") {
  CHECK(device_code(0) == "000");
  CHECK(device_code(323) == "0A3");
  CHECK(device_code(31) == "00Z");
  CHECK(device_code(32768) == "1000");  // widens instead of wrapping
  for (std::uint32_t n : {0u, 1u, 323u, 32767u, 32768u, 4000000000u})
    CHECK(parse_device_code(device_code(n)) == n);
  CHECK(parse_device_code("0a3") == 323u);
  CHECK_FALSE(parse_device_code("0I3").has_value());  // I is excluded: looks like 1
  CHECK_FALSE(parse_device_code("0U3").has_value());
}

TEST_CASE("a customer code reads KH, device code, five-digit sequence") {
  CHECK(customer_code(323, 17) == "KH-0A3-00017");
  CHECK(customer_code(0, 123456) == "KH-000-123456");
  auto p = parse_code("KH-0A3-00017");
  REQUIRE(p.has_value());
  CHECK(p->prefix == "KH");
  CHECK(p->device_number == 323u);
  CHECK(p->sequence == 17u);
  CHECK_FALSE(parse_code("KH-0A3-17").has_value());
  CHECK_FALSE(parse_code("KH0A300017").has_value());
  CHECK_FALSE(parse_code("kh-0A3-00017").has_value());
}

TEST_CASE("codes made offline on different devices never collide") {
  std::set<std::string> codes;
  int made = 0;
  for (std::uint32_t device = 0; device < 50; ++device)
    for (std::uint64_t seq = 1; seq <= 200; ++seq, ++made) codes.insert(customer_code(device, seq));
  CHECK(codes.size() == static_cast<size_t>(made));
}

TEST_CASE("a device resumes its sequence after the highest code it already made") {
  std::vector<std::string> existing = {customer_code(5, 3), customer_code(5, 41), customer_code(6, 99),
                                       make_code("BJ", 5, 500), "garbage"};
  CHECK(next_sequence(existing, "KH", 5) == 42u);
  CHECK(next_sequence(existing, "KH", 7) == 1u);
  CHECK(next_sequence(existing, "BJ", 5) == 501u);
}

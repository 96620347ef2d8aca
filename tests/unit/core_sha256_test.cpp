// Known-answer vectors from FIPS 180-4 / NIST CAVP: the browser's evidence hash must equal the
// server's, byte for byte, or uploads would be stored under the wrong address (R10).
#include <doctest/doctest.h>

#include <string>

#include "core/sha256.h"

TEST_CASE("sha256 of the empty input matches the NIST vector") {
  CHECK(cl::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("sha256 of abc matches the NIST one-block vector") {
  CHECK(cl::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("sha256 of the 448-bit two-block message matches the NIST vector") {
  CHECK(cl::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("sha256 of one million 'a' matches the NIST long-message vector") {
  std::string million(1'000'000, 'a');
  CHECK(cl::sha256_hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("feeding sha256 in uneven pieces gives the same digest as one call") {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += char('a' + i % 26);
  cl::Sha256 h;
  std::size_t pos = 0, step = 1;
  while (pos < text.size()) {
    std::size_t n = std::min(step, text.size() - pos);
    h.update(text.data() + pos, n);
    pos += n;
    step = step * 3 % 97 + 1;
  }
  CHECK(h.finish_hex() == cl::sha256_hex(text));
}

TEST_CASE("sha256 of UTF-8 Chinese text matches a reference digest") {
  // printf '杭州' | sha256sum
  CHECK(cl::sha256_hex("\xe6\x9d\xad\xe5\xb7\x9e") ==
        "a8027f71a8e38bcb912f7c24ae1415cd151af10b84f30d5f2429a532b2be3a5c");
}

TEST_CASE("only 64 lowercase hex digits count as a sha256 address") {
  CHECK(cl::is_sha256_hex(cl::sha256_hex("x")));
  CHECK_FALSE(cl::is_sha256_hex("ABC"));
  CHECK_FALSE(cl::is_sha256_hex(std::string(64, 'g')));
  CHECK_FALSE(cl::is_sha256_hex(std::string(63, 'a')));
}

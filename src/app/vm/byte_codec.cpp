#include "app/vm/byte_codec.h"

#include <cstring>

namespace cl::app {

void ByteWriter::u64(std::uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

std::uint64_t ByteReader::u64() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= in_.size()) { fail(); return 0; }
    const auto b = static_cast<unsigned char>(in_[pos_++]);
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
  fail();  // more than 10 bytes: not a varint we wrote
  return 0;
}

bool ByteReader::flag() {
  if (pos_ >= in_.size()) { fail(); return false; }
  const char c = in_[pos_++];
  if (c != '\0' && c != '\1') { fail(); return false; }
  return c == '\1';
}

void ByteReader::text(std::string& out) {
  const std::uint64_t n = u64();
  if (!ok_ || n > in_.size() - pos_) { fail(); out.clear(); return; }
  out.assign(in_.data() + pos_, static_cast<std::size_t>(n));
  pos_ += static_cast<std::size_t>(n);
}

void ByteReader::skip_text() {
  const std::uint64_t n = u64();
  if (!ok_ || n > in_.size() - pos_) { fail(); return; }
  pos_ += static_cast<std::size_t>(n);
}

std::string_view ByteReader::peek_text() {
  const std::size_t at = pos_;
  const std::uint64_t n = u64();
  if (!ok_ || n > in_.size() - pos_) { fail(); return {}; }
  const std::string_view s = in_.substr(pos_, static_cast<std::size_t>(n));
  pos_ = at;
  return s;
}

std::string_view ByteReader::raw(std::size_t n) {
  if (!ok_ || n > in_.size() - pos_) { fail(); return {}; }
  std::string_view s = in_.substr(pos_, n);
  pos_ += n;
  return s;
}

std::size_t ByteReader::count() {
  const std::uint64_t n = u64();
  if (!ok_ || n > in_.size() - pos_) { fail(); return 0; }
  return static_cast<std::size_t>(n);
}

std::uint64_t checksum64(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  constexpr std::uint64_t kPrime = 1099511628211ull;
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = (h ^ w) * kPrime;
  }
  for (; i < bytes.size(); ++i) h = (h ^ static_cast<unsigned char>(bytes[i])) * kPrime;
  return h;
}

}  // namespace cl::app

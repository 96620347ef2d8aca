// Little binary writer/reader for the replica snapshot (replica_snapshot.h): LEB128 varints,
// zig-zag signed integers, length-prefixed strings and a 64-bit checksum. Why not JSON: loading
// 100k records from JSON text cost seconds in the browser (parse into a DOM, copy, decode); these
// bytes decode straight into the structs (issue 5 cold start).
//
// The reader never trusts its input: every read is bounds-checked, and after the first failure the
// reader stays failed and returns defaults, so a corrupt snapshot is detected (ok() == false) and
// the caller falls back to the JSON pages instead of crashing or loading garbage.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cl::app {

class ByteWriter {
 public:
  void u64(std::uint64_t v);
  void i64(std::int64_t v) { u64((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63)); }
  void flag(bool v) { out_.push_back(v ? '\1' : '\0'); }
  void text(std::string_view s) {
    u64(s.size());
    out_.append(s.data(), s.size());
  }
  void raw(std::string_view s) { out_.append(s.data(), s.size()); }
  std::string& bytes() { return out_; }
  std::size_t size() const { return out_.size(); }

 private:
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in, std::size_t pos = 0) : in_(in), pos_(pos > in.size() ? in.size() : pos) {}
  std::uint64_t u64();
  std::int64_t i64() {
    const std::uint64_t z = u64();
    return static_cast<std::int64_t>(z >> 1) ^ -static_cast<std::int64_t>(z & 1);
  }
  bool flag();
  void text(std::string& out);
  void skip_text();   // a text's bytes, checked and passed over (no copy)
  std::string_view peek_text();   // the next text, without moving past it
  std::string_view raw(std::size_t n);
  // A count about to drive a loop: more items than bytes left means corruption (each item takes at
  // least one byte), so a flipped bit cannot make the reader allocate gigabytes.
  std::size_t count();
  void fail() { ok_ = false; pos_ = in_.size(); }
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }
  std::size_t position() const { return pos_; }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// FNV-1a over 8-byte words (then the tail bytes): catches truncation and flipped bits in a 20 MB
// snapshot in a few milliseconds. Not cryptographic — the snapshot is a local cache, not a defence.
std::uint64_t checksum64(std::string_view bytes);

}  // namespace cl::app

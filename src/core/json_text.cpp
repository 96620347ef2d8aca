#include "core/json_text.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <cstring>

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace cl {

namespace {

// Bytes copied as they are inside a JSON string: everything but control characters, '"' and '\'
// (0x7f and UTF-8 bytes included, as nlohmann writes them without ensure_ascii).
constexpr auto kPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x100; ++c) t[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return t;
}();

constexpr std::uint64_t kHighs = 0x8080808080808080ull;

}  // namespace

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  while (p < end) {
    // ASCII eight bytes at a time (most of a JSON body, and the keys and codes in a record).
    while (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      if (word & kHighs) break;
      p += 8;
    }
    if (p == end) break;
    if (*p < 0x80) {
      ++p;
      continue;
    }
    const std::size_t n = utf8_sequence_length(p, end);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

namespace {

// write_json_string for valid UTF-8 (bytes >= 0x80 are copied as they are); `*non_ascii` says
// whether there were any, so only those strings need valid_utf8.
char* write_plain_or_utf8(char* d, std::string_view s, bool* non_ascii) {
  *d++ = '"';
  const char* p = s.data();
  const char* const end = p + s.size();
  std::uint64_t seen = 0;  // the bytes' high bits, OR-ed: whether UTF-8 needs checking at all
  for (;;) {
    while (end - p >= 8) {  // plain runs (text, ids, Chinese) eight bytes per step
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      if (json_word_needs_escape(w)) break;
      seen |= w;
      std::memcpy(d, p, 8);
      p += 8;
      d += 8;
    }
    if (p == end) break;
    // One byte at a time up to and including the next escape (or to the end).
    const auto c = static_cast<unsigned char>(*p++);
    seen |= c;
    if (kPlain[c]) {
      *d++ = static_cast<char>(c);
      continue;
    }
    *d++ = '\\';
    switch (c) {
      case '"': *d++ = '"'; break;
      case '\\': *d++ = '\\'; break;
      case '\b': *d++ = 'b'; break;
      case '\f': *d++ = 'f'; break;
      case '\n': *d++ = 'n'; break;
      case '\r': *d++ = 'r'; break;
      case '\t': *d++ = 't'; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";  // nlohmann writes \u%04x: lowercase
        *d++ = 'u';
        *d++ = '0';
        *d++ = '0';
        *d++ = kHex[c >> 4];
        *d++ = kHex[c & 0x0F];
      }
    }
  }
  *d++ = '"';
  *non_ascii = (seen & kHighs) != 0;
  return d;
}

// nlohmann's text for a string that is not valid UTF-8 (U+FFFD for each ill-formed sequence).
std::string replaced(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

char* write_json_string(char* d, std::string_view s) {
  bool non_ascii = false;
  char* end = write_plain_or_utf8(d, s, &non_ascii);
  if (!non_ascii || valid_utf8(s)) return end;
  const std::string t = replaced(s);  // never in a stored record: the server refuses such bodies
  std::memcpy(d, t.data(), t.size());
  return d + t.size();
}

void append_json_string(std::string& out, std::string_view s) {
  if (s.size() <= 256) {  // ids, codes, names, notes: escaped on the stack, appended once
    char buf[256 * 6 + 2];
    out.append(buf, write_json_string(buf, s));
    return;
  }
  const std::size_t used = out.size();
  out.resize(used + s.size() * 6 + 2);
  out.resize(static_cast<std::size_t>(write_json_string(out.data() + used, s) - out.data()));
}

JsonTextObject::JsonTextObject() : out_(512, '\0') {  // an activity is about 350 bytes: one allocation
  out_[used_++] = '{';
}

char* JsonTextObject::room(std::size_t n) {
  if (out_.size() - used_ < n) out_.resize(std::max(out_.size() * 2, used_ + n));
  return out_.data() + used_;
}

void JsonTextObject::key(const char* k) {
  // Keys are the codec's own literals: printable ASCII with nothing to escape, copied as they are.
  const std::size_t n = std::strlen(k);
  assert(std::string_view(k, n).find_first_of("\"\\") == std::string_view::npos);
  char* d = room(n + 4);
  if (used_ > 1) *d++ = ',';
  *d++ = '"';
  std::memcpy(d, k, n);
  d += n;
  *d++ = '"';
  *d++ = ':';
  used_ = static_cast<std::size_t>(d - out_.data());
}

JsonTextObject& JsonTextObject::put(const char* k, std::string_view value) {
  key(k);
  used_ = static_cast<std::size_t>(write_json_string(room(value.size() * 6 + 2), value) - out_.data());
  return *this;
}

JsonTextObject& JsonTextObject::put(const char* k, std::int64_t value) {
  key(k);
  char* d = room(24);
  used_ = static_cast<std::size_t>(std::to_chars(d, d + 24, value).ptr - out_.data());
  return *this;
}

JsonTextObject& JsonTextObject::put(const char* k, bool value) {
  key(k);
  char* d = room(5);
  std::memcpy(d, value ? "true" : "false", value ? 4 : 5);
  used_ += value ? 4 : 5;
  return *this;
}

std::string JsonTextObject::take() {
  *room(1) = '}';
  out_.resize(used_ + 1);
  return std::move(out_);
}

}  // namespace cl

// JSON text written without building an nlohmann tree first, byte for byte what nlohmann's
// dump(-1, ' ', false, error_handler_t::replace) writes for the same value. Records are stored and
// pulled as that text; the ones a sync push writes most (field notes: 80 % of a push) were built as
// trees only to be dumped and freed, a tenth of the push's work. The server's tree writer
// (server/json_text.h) escapes strings with the same function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cl {

// Whether any of eight bytes of a string, read as one word, needs an escape in a JSON string literal:
// a control character (< 0x20), '"' or '\'. The classic zero-byte tests: exact about whether one
// exists, which is all a run copy (or a reader skipping a run) needs to know.
constexpr bool json_word_needs_escape(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  const std::uint64_t control = (w - ones * 0x20) & ~w & highs;
  const std::uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
  const std::uint64_t quote = (q - ones) & ~q & highs, backslash = (b - ones) & ~b & highs;
  return (control | quote | backslash) != 0;
}

// Well-formed UTF-8: no overlong forms, surrogates or values past U+10FFFF.
bool valid_utf8(std::string_view s);

// Writes `s` as a JSON string literal (quotes included) at `d`, which has room for 6 * s.size() + 2
// bytes, and returns the end: any bytes, ill-formed UTF-8 replaced by U+FFFD as nlohmann does (three
// bytes for one, so it fits too). Plain runs are copied eight bytes at a time, and UTF-8 is checked
// only when the string has bytes >= 0x80.
char* write_json_string(char* d, std::string_view s);

// `s` as a JSON string literal, any bytes: ill-formed UTF-8 is replaced by U+FFFD as nlohmann does.
void append_json_string(std::string& out, std::string_view s);

// An object written as text from keys given in sorted order — the order nlohmann's std::map keeps, so
// the text is what the tree would dump. The same put() calls as codec's SortedObject, so one encoder
// (a template over the two) describes a record once for both (codec_sales.cpp: Activity).
class JsonTextObject {
 public:
  JsonTextObject();
  JsonTextObject& put(const char* key, std::string_view value);
  JsonTextObject& put(const char* key, const std::string& value) { return put(key, std::string_view(value)); }
  JsonTextObject& put(const char* key, const char* value) { return put(key, std::string_view(value)); }
  JsonTextObject& put(const char* key, std::int64_t value);
  JsonTextObject& put(const char* key, int value) { return put(key, static_cast<std::int64_t>(value)); }
  JsonTextObject& put(const char* key, bool value);
  std::string take();

 private:
  char* room(std::size_t n);  // where the next n bytes go (grows the buffer)
  void key(const char* k);
  std::string out_;           // sized ahead; the first used_ bytes are the text
  std::size_t used_ = 0;
};

}  // namespace cl

// UTF-8 encoding of one code point: shared by the duplicate check's normalisation (dedup.cpp) and the
// server's JSON reader (\u escapes), which had each written the same four branches. And the check of
// one sequence, shared by valid_utf8 (json_text.h) and the server's JSON reader.
#pragma once

#include <cstddef>
#include <string>

namespace cl {

// Appends `cp` (≤ U+10FFFF; callers have already rejected or replaced anything else) as 1–4 bytes.
void append_utf8(std::string& out, char32_t cp);

// The length (2–4) of the well-formed UTF-8 sequence that starts at p, whose first byte is >= 0x80;
// 0 if it is not one. Well-formed is RFC 3629's byte ranges, as nlohmann's lexer checks them: no
// overlong forms, surrogates or values past U+10FFFF. The common case first: a three-byte sequence
// with a plain lead byte (all of CJK), one range test per byte.
inline std::size_t utf8_sequence_length(const unsigned char* p, const unsigned char* end) {
  const unsigned c = p[0];
  const auto cont = [&](std::ptrdiff_t i, unsigned lo, unsigned hi) { return p + i < end && p[i] >= lo && p[i] <= hi; };
  if (c >= 0xE1 && c <= 0xEF && c != 0xED) return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
  if (c >= 0xC2 && c <= 0xDF) return cont(1, 0x80, 0xBF) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2, 0x80, 0xBF) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  return 0;
}

}  // namespace cl

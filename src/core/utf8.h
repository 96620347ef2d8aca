// UTF-8 encoding of one code point: shared by the duplicate check's normalisation (dedup.cpp) and the
// server's JSON reader (\u escapes), which had each written the same four branches.
#pragma once

#include <string>

namespace cl {

// Appends `cp` (≤ U+10FFFF; callers have already rejected or replaced anything else) as 1–4 bytes.
void append_utf8(std::string& out, char32_t cp);

}  // namespace cl

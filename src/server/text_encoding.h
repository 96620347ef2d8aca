// Character sets at the edges (R1, R18, R35): Excel in China saves CSV as GB18030/GBK; the quote
// PDF's Chinese font uses GBK codes; everything inside the system is UTF-8. iconv does the work.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cl::server {

enum class TextEncoding { Utf8, Utf8Bom, Gb18030 };

// UTF-8 with a BOM, valid UTF-8 without one, else GB18030 (a superset of GBK/GB2312): a file of
// Chinese text in GB18030 is practically never valid UTF-8, so "valid UTF-8" is a reliable test.
TextEncoding detect_text_encoding(std::string_view bytes);
const char* encoding_name(TextEncoding e);  // "utf-8", "utf-8-bom", "gb18030"

bool is_valid_utf8(std::string_view s);

// Converts from the detected (or given) encoding to UTF-8 without BOM. nullopt when the bytes are
// not valid in that encoding (e.g. a truncated GB18030 sequence).
std::optional<std::string> to_utf8(std::string_view bytes, TextEncoding from);
std::optional<std::string> to_utf8(std::string_view bytes);  // detect first

// UTF-8 -> `charset` (an iconv name: "GBK", "CP1252"); characters that do not exist there become
// `replacement`. Used for the PDF fonts, where a missing glyph must not abort the document.
std::string from_utf8_lossy(std::string_view utf8, const char* charset, char replacement = '?');

// true when the codepoint encodes in CP1252 (the Latin font's encoding in the quote PDF).
bool in_cp1252(char32_t cp);

}  // namespace cl::server

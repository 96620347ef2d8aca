// Search keys for search-as-you-type over the local replica (issue 5: 50k customers, p95 ≤ 4 ms per
// keystroke). Normalising once per record (not per keystroke) makes each keystroke a plain substring
// scan over short precomputed strings.
//
// Normalisation: ASCII letters lower-cased; full-width ASCII (ＡＢＣ１２３, typed by Chinese IMEs in
// full-width mode) folded to half-width; spaces, dashes, brackets and common Chinese punctuation
// dropped, so "0571-8888 1234" matches "057188881234" and "（杭州）" matches "杭州". Chinese characters
// are kept as they are (UTF-8 substring match is exact on whole characters).
#pragma once

#include <string.h>

#include <string>
#include <string_view>

#include "core/model.h"

namespace cl::app {

std::string normalize_search_text(std::string_view text);
// The same, appended to `out` (builds a key without a temporary per field).
void append_normalized(std::string& out, std::string_view text);

// Fields joined by a separator no query can contain, so a match never spans two fields:
// name, code, phone, decision maker, contacts (names and phones), address.
std::string customer_search_key(const Customer& c);

// True when the normalised query occurs in the key (an empty query matches everything).
// memmem (glibc and Emscripten's musl): two-way search, much faster than string_view::find for UTF-8
// needles whose first byte (0xE4–0xE9 for most hanzi) occurs everywhere in Chinese text.
inline bool search_key_matches(std::string_view key, std::string_view normalized_query) {
  return normalized_query.empty() ||
         ::memmem(key.data(), key.size(), normalized_query.data(), normalized_query.size()) != nullptr;
}

// A normalised query prepared once per keystroke and tested against thousands of keys. memmem
// prepares the needle on every call (musl's two-way search for needles over 4 bytes — two hanzi —
// costs ~0.4 µs per short key in wasm, 1.6 ms for 4k keys); Horspool's shift table is built once,
// and on UTF-8 it skips well: the needle's last byte is a continuation byte, rarer than lead bytes.
// Needles of up to 4 bytes (one hanzi, "138") stay with memmem: musl compares them as one rolling
// word with no preparation, faster than Horspool's short shifts over digit-dense keys.
class QueryMatcher {
  static constexpr std::size_t kShortNeedle = 4;

 public:
  explicit QueryMatcher(std::string_view normalized_query);
  bool in(std::string_view key) const;  // true when the query occurs in the key ("" occurs everywhere)

 private:
  std::string needle_;
  unsigned char shift_[256] = {};
};

}  // namespace cl::app

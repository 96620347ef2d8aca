#include "app/vm/search_key.h"

namespace cl::app {
namespace {

// Decodes one UTF-8 code point at s[i]; returns its byte length (1 for invalid bytes, kept as-is).
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  auto cont = [&](std::size_t k) { return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80; };
  if (c < 0x80) { cp = c; return 1; }
  if ((c & 0xE0) == 0xC0 && cont(1)) { cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F); return 2; }
  if ((c & 0xF0) == 0xE0 && cont(1) && cont(2)) {
    cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
    return 3;
  }
  if ((c & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
    cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
    return 4;
  }
  cp = 0xFFFD;
  return 1;
}

bool dropped(char32_t cp) {
  switch (cp) {
    case ' ': case '\t': case '\n': case '\r': case '-': case '_': case '(': case ')': case '[': case ']':
    case '.': case ',': case '/': case '+': case '\'': case '"': case '\x1f': case '\x1e':
    case 0x3000:  // ideographic space
    case 0x3001: case 0x3002:  // 、。
    case 0xFF08: case 0xFF09:  // （）
    case 0x3010: case 0x3011:  // 【】
    case 0x00B7: case 0x30FB:  // · ・
    case 0x2014: case 0x2013:  // — –
      return true;
    default:
      return false;
  }
}

}  // namespace

void append_normalized(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    // Fast paths: ASCII letters/digits, and 3-byte sequences below U+FF00 that are not dropped
    // punctuation (the common hanzi), copied without decoding.
    if (b < 0x80) {
      char ch = static_cast<char>(b);
      if (!dropped(b)) out.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
      ++i;
      continue;
    }
    char32_t cp = 0;
    std::size_t n = decode(text, i, cp);
    if (cp >= 0xFF01 && cp <= 0xFF5E && cp != 0xFF08 && cp != 0xFF09) cp -= 0xFEE0;  // full-width ASCII
    if (dropped(cp)) { i += n; continue; }
    if (cp < 0x80) {
      char ch = static_cast<char>(cp);
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      out.push_back(ch);
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
}

std::string normalize_search_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_normalized(out, text);
  return out;
}

std::string customer_search_key(const Customer& c) {
  std::string key;
  key.reserve(c.name.size() + c.code.size() + c.phone.size() + c.decision_maker.size() + c.address.size() + 48);
  // One buffer, normalised in place: no temporary string per field (50k keys at a cold start).
  auto add = [&](std::string_view field) {
    if (field.empty()) return;
    if (!key.empty()) key.push_back('\x1f');
    append_normalized(key, field);
  };
  add(c.name);
  add(c.code);
  add(c.phone);
  add(c.decision_maker);
  for (const auto& contact : c.contacts) {
    add(contact.name);
    add(contact.phone);
  }
  add(c.address);
  return key;
}

QueryMatcher::QueryMatcher(std::string_view normalized_query) : needle_(normalized_query) {
  const std::size_t m = needle_.size();
  if (m <= kShortNeedle || m > 255) return;  // memchr / memmem handle these
  for (auto& s : shift_) s = static_cast<unsigned char>(m);
  for (std::size_t i = 0; i + 1 < m; ++i) shift_[static_cast<unsigned char>(needle_[i])] = static_cast<unsigned char>(m - 1 - i);
}

bool QueryMatcher::in(std::string_view key) const {
  const std::size_t m = needle_.size(), n = key.size();
  if (m == 0) return true;
  if (m > n) return false;
  if (m == 1) return ::memchr(key.data(), needle_[0], n) != nullptr;
  if (m <= kShortNeedle || m > 255) return ::memmem(key.data(), n, needle_.data(), m) != nullptr;
  const auto* h = reinterpret_cast<const unsigned char*>(key.data());
  const auto* nd = reinterpret_cast<const unsigned char*>(needle_.data());
  const unsigned char last = nd[m - 1];
  for (std::size_t i = 0; i + m <= n;) {
    const unsigned char c = h[i + m - 1];
    if (c == last && ::memcmp(h + i, nd, m - 1) == 0) return true;
    i += shift_[c];
  }
  return false;
}

}  // namespace cl::app

#include "core/phone.h"

namespace cl {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Area codes written with their leading 0: Beijing 010 and the 02x group are three digits,
// everything else four (0571 Hangzhou, 0574 Ningbo, …).
size_t area_code_length(const std::string& d) {
  if (d.size() < 3 || d[0] != '0') return 0;
  if (d[1] == '1' && d[2] == '0') return 3;
  if (d[1] == '2') return 3;
  if (d[1] == '1') return 0;  // 01x other than 010 is not an area code
  return 4;
}

}  // namespace

NormalizedPhone normalize_phone(std::string_view text) {
  std::string d;
  bool plus = false;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= '0' && c <= '9') { d += static_cast<char>(c); ++i; continue; }
    if (c == '+' && d.empty()) { plus = true; ++i; continue; }
    if (c == '#' || ((c == 'e' || c == 'E') && starts_with(text.substr(i), "ext")) ||
        ((c == 'x' || c == 'X') && !d.empty()))
      break;  // extension follows
    if (starts_with(text.substr(i), "转")) break;
    if (c == 0xEF && i + 2 < text.size()) {  // U+FF01..U+FF5E full-width forms: EF BC 81 .. EF BD 9E
      unsigned char c1 = static_cast<unsigned char>(text[i + 1]), c2 = static_cast<unsigned char>(text[i + 2]);
      if (c1 == 0xBC && c2 >= 0x90 && c2 <= 0x99) { d += static_cast<char>('0' + (c2 - 0x90)); i += 3; continue; }
      if (c1 == 0xBC && c2 == 0x8B && d.empty()) { plus = true; i += 3; continue; }  // ＋
      i += 3;  // other full-width punctuation (－ （ ） ．) is a separator
      continue;
    }
    if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '\t') { ++i; continue; }
    if (c >= 0x80) {  // other UTF-8 sequences (e.g. ideographic space, em dash): separators
      size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      i += len;
      continue;
    }
    return {};  // letters or other symbols: not a phone number
  }
  // Country prefix.
  if (starts_with(d, "0086")) d = d.substr(4);
  else if ((plus || d.size() >= 12) && starts_with(d, "86")) d = d.substr(2);
  else if (plus) return {};  // a foreign number: not what a Chinese distributor's form expects

  NormalizedPhone p;
  if (d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9') {
    p.kind = PhoneKind::Mobile;
    p.digits = d;
    return p;
  }
  if (d.size() == 10 && (starts_with(d, "400") || starts_with(d, "800"))) {
    p.kind = PhoneKind::Service;
    p.digits = d;
    return p;
  }
  if (!d.empty() && d[0] != '0' && d[0] != '1' && d.size() >= 9 && d.size() <= 11 && (plus || d.size() > 8)) {
    // "+86 571 8765 4321": the area code lost its 0 with the country prefix.
    d.insert(d.begin(), '0');
  }
  if (size_t a = area_code_length(d); a > 0 && d.size() >= a + 7 && d.size() <= a + 8 && d[a] != '0' && d[a] != '1') {
    p.kind = PhoneKind::Landline;
    p.digits = d;
    p.area_code = d.substr(0, a);
    p.local = d.substr(a);
    return p;
  }
  if ((d.size() == 7 || d.size() == 8) && d[0] != '0' && d[0] != '1') {
    p.kind = PhoneKind::LocalOnly;
    p.digits = d;
    p.local = d;
    return p;
  }
  return {};
}

}  // namespace cl

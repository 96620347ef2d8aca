// Chinese phone numbers as reps type them: "138 0013 8000", "+86-138-0013-8000", "0086 13800138000",
// "(0571) 8765-4321", "0571－87654321转808", full-width digits from a Chinese IME.
// Used by R4 validation (is it a phone at all?) and R5 duplicate detection (same number?).
#pragma once

#include <string>
#include <string_view>

namespace cl {

enum class PhoneKind { Invalid, Mobile, Landline, LocalOnly, Service };

struct NormalizedPhone {
  PhoneKind kind = PhoneKind::Invalid;
  std::string digits;      // canonical: mobile "13800138000"; landline "057187654321" (area code with 0);
                           // local-only "87654321"; service "4008001234"
  std::string area_code;   // landline only: "0571", "010"
  std::string local;       // landline and local-only: "87654321"
  bool valid() const { return kind != PhoneKind::Invalid; }
};

// Full-width digits become ASCII; separators ( space - . ( ) / and their full-width forms) go; an
// extension after 转 / ext / # is dropped; +86 / 0086 / 86 country prefixes go. Then:
//   Mobile:    11 digits, 1[3-9]xxxxxxxxx
//   Landline:  0 + area code (010, 02x are three digits with the 0, others four: 0571) + 7–8 digits
//   LocalOnly: 7–8 digits not starting with 0 or 1 (the area code was left out)
//   Service:   400/800 + 7 digits
NormalizedPhone normalize_phone(std::string_view text);

}  // namespace cl

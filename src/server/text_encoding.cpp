#include "server/text_encoding.h"

#include <iconv.h>

#include <cerrno>
#include <memory>

#include "core/json_text.h"

namespace cl::server {

namespace {

struct Iconv {
  iconv_t cd;
  Iconv(const char* to, const char* from) : cd(iconv_open(to, from)) {}
  ~Iconv() {
    if (cd != reinterpret_cast<iconv_t>(-1)) iconv_close(cd);
  }
  bool ok() const { return cd != reinterpret_cast<iconv_t>(-1); }
};

std::size_t utf8_seq_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 0;
}

}  // namespace

bool is_valid_utf8(std::string_view s) { return cl::valid_utf8(s); }  // core/json_text.h: one definition

TextEncoding detect_text_encoding(std::string_view b) {
  if (b.size() >= 3 && b.substr(0, 3) == "\xEF\xBB\xBF") return TextEncoding::Utf8Bom;
  return is_valid_utf8(b) ? TextEncoding::Utf8 : TextEncoding::Gb18030;
}

const char* encoding_name(TextEncoding e) {
  switch (e) {
    case TextEncoding::Utf8: return "utf-8";
    case TextEncoding::Utf8Bom: return "utf-8-bom";
    case TextEncoding::Gb18030: return "gb18030";
  }
  return "?";
}

std::optional<std::string> to_utf8(std::string_view bytes, TextEncoding from) {
  if (from == TextEncoding::Utf8Bom) {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    from = TextEncoding::Utf8;
  }
  if (from == TextEncoding::Utf8) {
    if (!is_valid_utf8(bytes)) return std::nullopt;
    return std::string(bytes);
  }
  Iconv conv("UTF-8", "GB18030");
  if (!conv.ok()) return std::nullopt;
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  std::size_t done = 0;
  while (in_left > 0) {
    char* o = out.data() + done;
    std::size_t o_left = out.size() - done;
    std::size_t rc = iconv(conv.cd, &in, &in_left, &o, &o_left);
    done = out.size() - o_left;
    if (rc == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) {
        out.resize(out.size() * 2);
        continue;
      }
      return std::nullopt;  // EILSEQ / EINVAL: not GB18030
    }
  }
  out.resize(done);
  return out;
}

std::optional<std::string> to_utf8(std::string_view bytes) { return to_utf8(bytes, detect_text_encoding(bytes)); }

std::string from_utf8_lossy(std::string_view utf8, const char* charset, char replacement) {
  Iconv conv(charset, "UTF-8");
  if (!conv.ok()) return std::string(utf8.size(), replacement);
  std::string out;
  out.reserve(utf8.size() * 2);
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char buf[256];
  while (in_left > 0) {
    char* o = buf;
    std::size_t o_left = sizeof buf;
    std::size_t rc = iconv(conv.cd, &in, &in_left, &o, &o_left);
    out.append(buf, sizeof buf - o_left);
    if (rc == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) continue;
      // Unconvertible or broken character: skip one UTF-8 sequence, emit the replacement.
      std::size_t n = utf8_seq_len(static_cast<unsigned char>(*in));
      if (n == 0 || n > in_left) n = 1;
      in += n;
      in_left -= n;
      out += replacement;
      iconv(conv.cd, nullptr, nullptr, nullptr, nullptr);  // reset shift state
    }
  }
  return out;
}

bool in_cp1252(char32_t cp) {
  if (cp < 0x80) return true;
  if (cp >= 0xA0 && cp <= 0xFF) return true;
  // The 0x80–0x9F block of CP1252.
  switch (cp) {
    case 0x20AC: case 0x201A: case 0x0192: case 0x201E: case 0x2026: case 0x2020: case 0x2021: case 0x02C6:
    case 0x2030: case 0x0160: case 0x2039: case 0x0152: case 0x017D: case 0x2018: case 0x2019: case 0x201C:
    case 0x201D: case 0x2022: case 0x2013: case 0x2014: case 0x02DC: case 0x2122: case 0x0161: case 0x203A:
    case 0x0153: case 0x017E: case 0x0178:
      return true;
    default:
      return false;
  }
}

}  // namespace cl::server

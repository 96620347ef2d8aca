#include "server/json_parse.h"

#include "core/utf8.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace cl::server {

namespace {

using json = nlohmann::json;

constexpr int kMaxDepth = 256;

class Reader {
 public:
  Reader(const char* p, const char* end) : p_(p), end_(end) {}

  bool document(json& out) {
    if (end_ - p_ >= 1 && static_cast<unsigned char>(*p_) == 0xEF) {  // nlohmann skips a BOM, and only a whole one
      if (end_ - p_ < 3 || static_cast<unsigned char>(p_[1]) != 0xBB || static_cast<unsigned char>(p_[2]) != 0xBF) return false;
      p_ += 3;
    }
    if (!value(out)) return false;
    skip_ws();
    return p_ == end_ || *p_ == '\0';  // nlohmann's lexer reads a NUL byte as the end of the input
  }
  bool too_deep() const { return too_deep_; }

 private:
  void skip_ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(const char* word, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n || std::string_view(p_, n) != std::string_view(word, n)) return false;
    p_ += n;
    return true;
  }

  bool value(json& out) {
    skip_ws();
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return object(out);
      case '[': return array(out);
      case '"': {
        out = json::string_t();
        return string(out.get_ref<json::string_t&>());
      }
      case 't': out = true; return literal("true", 4);
      case 'f': out = false; return literal("false", 5);
      case 'n': out = nullptr; return literal("null", 4);
      default: return number(out);
    }
  }

  bool object(json& out) {
    ++p_;
    if (++depth_ > kMaxDepth) return too_deep_ = true, false;
    out = json::object();
    auto& obj = out.get_ref<json::object_t&>();
    skip_ws();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      --depth_;
      return true;
    }
    std::string key;
    for (;;) {
      skip_ws();
      if (p_ == end_ || *p_ != '"') return false;
      key.clear();
      if (!string(key)) return false;
      skip_ws();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      // A repeated key keeps its first place and takes the last value, as nlohmann's parser does.
      // Hinted at the end: text written from a json value (stored records, most request bodies) has
      // its keys in the map's order, so each key goes in after one comparison instead of a search.
      auto it = obj.try_emplace(obj.end(), key);
      if (!value(it->second)) return false;
      skip_ws();
      if (p_ == end_) return false;
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ != '}') return false;
      ++p_;
      --depth_;
      return true;
    }
  }

  bool array(json& out) {
    ++p_;
    if (++depth_ > kMaxDepth) return too_deep_ = true, false;
    out = json::array();
    auto& arr = out.get_ref<json::array_t&>();
    skip_ws();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      --depth_;
      return true;
    }
    for (;;) {
      if (!value(arr.emplace_back())) return false;
      skip_ws();
      if (p_ == end_) return false;
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ != ']') return false;
      ++p_;
      --depth_;
      return true;
    }
  }

  bool hex4(std::uint32_t& cp) {
    if (end_ - p_ < 4) return false;
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = *p_++;
      cp <<= 4;
      if (c >= '0' && c <= '9') cp |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') cp |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') cp |= static_cast<std::uint32_t>(c - 'A' + 10);
      else return false;
    }
    return true;
  }

  // At the opening quote.
  bool string(std::string& s) {
    ++p_;
    const char* run = p_;
    for (;;) {
      if (p_ == end_) return false;
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        s.append(run, static_cast<std::size_t>(p_ - run));
        ++p_;
        return true;
      }
      if (c < 0x20) return false;  // control characters must be escaped
      if (c >= 0x80) {  // nlohmann refuses ill-formed UTF-8 in a string
        const std::size_t n = utf8_sequence_length(reinterpret_cast<const unsigned char*>(p_),
                                                   reinterpret_cast<const unsigned char*>(end_));
        if (n == 0) return false;
        p_ += n;
        continue;
      }
      if (c != '\\') {
        ++p_;
        continue;
      }
      s.append(run, static_cast<std::size_t>(p_ - run));
      if (++p_ == end_) return false;
      switch (*p_++) {
        case '"': s += '"'; break;
        case '\\': s += '\\'; break;
        case '/': s += '/'; break;
        case 'b': s += '\b'; break;
        case 'f': s += '\f'; break;
        case 'n': s += '\n'; break;
        case 'r': s += '\r'; break;
        case 't': s += '\t'; break;
        case 'u': {
          std::uint32_t cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate alone
          if (cp >= 0xD800 && cp <= 0xDBFF) {               // must be followed by \u and a low surrogate
            std::uint32_t low;
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
            p_ += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(s, static_cast<char32_t>(cp));
          break;
        }
        default: return false;
      }
      run = p_;
    }
  }

  static bool digit(const char* p, const char* end) { return p < end && *p >= '0' && *p <= '9'; }

  bool number(json& out) {
    const char* start = p_;
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    if (!digit(p_, end_)) return false;
    if (*p_ == '0') ++p_;
    else
      while (digit(p_, end_)) ++p_;
    bool is_float = false;
    if (p_ < end_ && *p_ == '.') {
      is_float = true;
      ++p_;
      if (!digit(p_, end_)) return false;
      while (digit(p_, end_)) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      is_float = true;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digit(p_, end_)) return false;
      while (digit(p_, end_)) ++p_;
    }
    if (!is_float) {
      if (negative) {
        std::int64_t v;
        if (std::from_chars(start, p_, v).ec == std::errc()) return out = json::number_integer_t(v), true;
      } else {
        std::uint64_t v;
        if (std::from_chars(start, p_, v).ec == std::errc()) return out = json::number_unsigned_t(v), true;
      }
      // Out of range for a 64-bit integer: a double, as nlohmann reads it.
    }
    const std::string token(start, p_);
    const double d = std::strtod(token.c_str(), nullptr);
    if (!std::isfinite(d)) return false;  // nlohmann: "number overflow"
    out = json::number_float_t(d);
    return true;
  }

  const char* p_;
  const char* end_;
  int depth_ = 0;
  bool too_deep_ = false;
};

}  // namespace

json parse_json_text(std::string_view text) {
  Reader r(text.data(), text.data() + text.size());
  json out;
  if (r.document(out)) return out;
  if (r.too_deep()) return json::parse(text, nullptr, false);
  return json(json::value_t::discarded);
}

}  // namespace cl::server

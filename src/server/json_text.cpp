#include "server/json_text.h"

#include <charconv>
#include <string_view>

#include "server/http_json.h"

namespace cl::server {

namespace {

using json = nlohmann::json;

std::string nlohmann_text(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void append_string(std::string& out, const std::string& s) {
  bool ascii = true;
  for (unsigned char c : s)
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  // nlohmann replaces invalid UTF-8 with U+FFFD; leave that (never seen in stored records) to it.
  if (!ascii && !valid_utf8(s)) {
    out += nlohmann_text(json(s));
    return;
  }
  out += '"';
  const char* p = s.data();
  const char* end = p + s.size();
  const char* run = p;
  for (; p < end; ++p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != '"' && c != '\\') continue;  // includes 0x7f and UTF-8 bytes: copied as they are
    out.append(run, static_cast<std::size_t>(p - run));
    run = p + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";  // nlohmann writes \u%04x: lowercase
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0x0F]};
        out.append(esc, 6);
      }
    }
  }
  out.append(run, static_cast<std::size_t>(end - run));
  out += '"';
}

template <class Int>
void append_integer(std::string& out, Int v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

}  // namespace

void append_json_text(std::string& out, const json& j) {
  switch (j.type()) {
    case json::value_t::null: out += "null"; return;
    case json::value_t::boolean: out += j.get_ref<const json::boolean_t&>() ? "true" : "false"; return;
    case json::value_t::number_integer: append_integer(out, j.get_ref<const json::number_integer_t&>()); return;
    case json::value_t::number_unsigned: append_integer(out, j.get_ref<const json::number_unsigned_t&>()); return;
    case json::value_t::string: append_string(out, j.get_ref<const json::string_t&>()); return;
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& v : j.get_ref<const json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        append_json_text(out, v);
      }
      out += ']';
      return;
    }
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, v] : j.get_ref<const json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        append_string(out, k);
        out += ':';
        append_json_text(out, v);
      }
      out += '}';
      return;
    }
    default:  // number_float (nlohmann's shortest round-trip form), binary, discarded
      out += nlohmann_text(j);
      return;
  }
}

std::string json_text(const json& j) {
  std::string out;
  out.reserve(256);
  append_json_text(out, j);
  return out;
}

}  // namespace cl::server

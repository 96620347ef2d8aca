#include "server/http_json.h"

#include <cstdint>
#include <cstring>

#include "server/json_parse.h"

namespace cl::server {

void write_json(httplib::Response& res, const json& body, int status) {
  res.status = status;
  // Replace invalid UTF-8 rather than throw: a stored value must never turn a read into a 500.
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json; charset=utf-8");
}

json problem_to_json(const Problem& p) {
  return {{"field", p.field}, {"code", p.code}, {"message_zh", p.message_zh}, {"message_en", p.message_en}};
}

void write_error(httplib::Response& res, int status, std::string_view code, std::string_view message,
                 const Problems& fields) {
  json f = json::array();
  for (const auto& p : fields) f.push_back(problem_to_json(p));
  write_json(res, {{"error", {{"code", code}, {"message", message}, {"fields", f}}}}, status);
}

void write_problems(httplib::Response& res, const Problems& problems, int status) {
  std::string message = problems.empty() ? "validation failed"
                                         : (problems.front().message_en.empty() ? problems.front().code
                                                                                : problems.front().message_en);
  write_error(res, status, "validation_failed", message, problems);
}

std::optional<json> parse_json_body(const httplib::Request& req, httplib::Response& res, std::size_t max_bytes) {
  auto type = req.get_header_value("Content-Type");
  auto semi = type.find(';');
  std::string media = type.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (auto& ch : media) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (media != "application/json") {
    write_error(res, 415, "unsupported_media_type", "expected Content-Type: application/json");
    return std::nullopt;
  }
  if (req.body.size() > max_bytes) {
    write_error(res, 413, "payload_too_large", "request body exceeds " + std::to_string(max_bytes) + " bytes");
    return std::nullopt;
  }
  // parse_json_text (= json::parse(req.body, nullptr, false), faster) accepts only well-formed UTF-8
  // up to the end of the document, and nlohmann ends a document at a NUL byte: so a body that parses
  // and has no NUL is valid UTF-8, and the separate check runs only on the others (the error code
  // still says which it was).
  json body = parse_json_text(req.body);
  if (body.is_discarded() || std::memchr(req.body.data(), 0, req.body.size()) != nullptr) {
    if (!valid_utf8(req.body)) {
      write_error(res, 400, "invalid_utf8", "request body is not valid UTF-8");
      return std::nullopt;
    }
  }
  if (body.is_discarded()) {
    write_error(res, 400, "malformed_json", "request body is not valid JSON");
    return std::nullopt;
  }
  if (!body.is_object()) {
    write_error(res, 400, "malformed_json", "request body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

std::optional<std::string> string_field(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace cl::server

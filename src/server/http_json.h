// JSON in and out of handlers, and the one place domain problems become HTTP errors.
// Error body everywhere: {"error":{"code":"…","message":"…","fields":[{"field","code","message_zh","message_en"}]}}
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/json_text.h"  // valid_utf8
#include "core/problem.h"

namespace cl::server {

using json = nlohmann::json;

void write_json(httplib::Response& res, const json& body, int status = 200);

// Writes the error body. `fields` may be empty.
void write_error(httplib::Response& res, int status, std::string_view code, std::string_view message,
                 const Problems& fields = {});

// 422 "validation_failed" with every problem as a field entry (the usual answer to bad input that
// parsed fine but broke a core rule).
void write_problems(httplib::Response& res, const Problems& problems, int status = 422);

json problem_to_json(const Problem& p);

// Checks Content-Type (415), size (413), UTF-8 (400 invalid_utf8) and syntax (400 malformed_json),
// and that the top level is an object (400). On failure writes the error and returns nullopt —
// the handler just returns.
std::optional<json> parse_json_body(const httplib::Request& req, httplib::Response& res,
                                    std::size_t max_bytes);

// Field readers for request bodies: nullopt when missing or of the wrong type.
std::optional<std::string> string_field(const json& body, const char* key);

}  // namespace cl::server

// Compact JSON text for the server's hot paths (a sync push stores every written record as text).
// The output is byte for byte what nlohmann's j.dump(-1, ' ', false, error_handler_t::replace) writes
// — the form records were always stored in — but a string is copied in runs instead of one checked
// character at a time (nlohmann's serializer was a tenth of a push's instructions). Anything unusual
// (a string that is not valid UTF-8, a floating-point number, binary) is handed to nlohmann itself.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/json_text.h"  // append_json_string, valid_utf8

namespace cl::server {

void append_json_text(std::string& out, const nlohmann::json& j);
std::string json_text(const nlohmann::json& j);

}  // namespace cl::server

// The shared edge of the CSV imports (leads, customers): `?dry_run=1|0` (default 1: preview only) and a
// non-empty body within the request limit. On a bad request the 4xx is written and nullopt returned.
#pragma once

#include <httplib.h>

#include <optional>

#include "server/context.h"
#include "server/http_json.h"

namespace cl::server {

inline std::optional<bool> import_dry_run(const httplib::Request& req, httplib::Response& res, const ServerContext& ctx) {
  const std::string dry = req.has_param("dry_run") ? req.get_param_value("dry_run") : "1";
  if (dry != "0" && dry != "1") return write_error(res, 400, "invalid_parameter", "dry_run must be 0 or 1"), std::nullopt;
  if (req.body.empty()) return write_error(res, 400, "empty_body", "send the CSV file as the request body"), std::nullopt;
  if (req.body.size() > ctx.config.max_json_bytes) return write_error(res, 413, "too_large", "the file is too large"), std::nullopt;
  return dry == "1";
}

}  // namespace cl::server

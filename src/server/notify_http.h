// Outbound HTTP for notification channels (R34), with libcurl. Blocking, bounded by timeouts: it
// runs on the scheduler thread, never inside a request handler or a database transaction.
#pragma once

#include <string>
#include <string_view>

namespace cl::server {

struct HttpPostResult {
  bool transport_ok = false;  // false: DNS/connect/timeout/TLS failure (see error)
  long status = 0;            // HTTP status when transport_ok
  std::string body;
  std::string error;
};

struct HttpPostOptions {
  long connect_timeout_ms = 3000;
  long total_timeout_ms = 10000;
  std::size_t max_response_bytes = 64 * 1024;  // robots answer a few bytes; never buffer a flood
};

HttpPostResult http_post_json(std::string_view url, std::string_view json_body, const HttpPostOptions& options = {});

// DingTalk and WeCom both answer HTTP 200 with {"errcode":0,"errmsg":"ok"} on success and a non-zero
// errcode (e.g. 310000 bad signature, 93000 invalid key) on failure. Returns "" when delivered,
// otherwise a short reason for the outbox's last_error.
std::string robot_delivery_error(const HttpPostResult& r);

}  // namespace cl::server

// HTTP for the app (ImHex idea: one interface; here the only implementation is emscripten_fetch in
// http_web.cpp). Callbacks run on the main thread and wake the idle frame loop.
#pragma once

#include <functional>
#include <string>

namespace cl::platform {

struct HttpResponse {
  int status = 0;      // 0: no answer (offline, timeout, CORS) — the sync client backs off and retries
  std::string body;    // bytes as received (JSON text for the API)
  bool ok() const { return status >= 200 && status < 300; }
  bool network_error() const { return status == 0; }
};

using HttpCallback = std::function<void(const HttpResponse&)>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;                      // same-origin path: "/api/v1/me"
  std::string body;                     // bytes (JSON text or a file for evidence uploads)
  std::string content_type = "application/json";
  bool with_auth = true;                // adds "Authorization: Bearer <token>"
  unsigned timeout_ms = 30000;
};

void http_send(HttpRequest request, HttpCallback done);
void http_get_json(const std::string& url, HttpCallback done);
void http_post_json(const std::string& url, const std::string& json, HttpCallback done);

// The session token used for "Authorization: Bearer"; set at login, cleared at logout.
void set_bearer_token(const std::string& token);
const std::string& bearer_token();

// Requests started and not yet answered (the top bar shows activity; tests can wait for 0).
int http_in_flight();

}  // namespace cl::platform

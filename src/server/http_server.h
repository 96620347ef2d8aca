// Builds the HTTP server: limits, security headers, JSON errors for every failure path (404/405/
// 413/500), every module's routes, then the static files. Used by `serve` and by tests/benches.
#pragma once

#include <memory>

#include <httplib.h>

#include "server/context.h"
#include "server/http_connection.h"
#include "server/routes.h"

namespace cl::server {

struct HttpApp {
  KeepAliveServer server;  // httplib::Server whose idle keep-alive connections block instead of polling
  ApiRouter router{server};
  int listen_fd = -1;  // the listening socket, once bind_to_port made it

  // cpp-httplib 0.11 listens with a backlog of 5: 200 tablets connecting at once would see dropped
  // SYNs and one-second retransmits. Call after bind_to_port; Linux applies a second listen()'s backlog.
  void widen_listen_backlog();
};

// Content-Security-Policy for the wasm app: only our own origin; 'wasm-unsafe-eval' lets
// WebAssembly compile without allowing JS eval.
extern const char* const kContentSecurityPolicy;

std::unique_ptr<HttpApp> make_http_app(ServerContext& ctx);

}  // namespace cl::server

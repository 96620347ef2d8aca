#include "server/http_server.h"

#include <sys/socket.h>

#include <cstdio>
#include <exception>

#include "server/http_json.h"
#include "server/static_files.h"

namespace cl::server {

const char* const kContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; "
    "manifest-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

namespace {

bool is_api(const std::string& path) { return path.rfind("/api/", 0) == 0 || path == "/api"; }

// Unknown /api paths: 405 with Allow when another method exists for the path, else 404.
void api_not_found(const ApiRouter& router, const httplib::Request& req, httplib::Response& res) {
  const std::string allowed = router.allowed_methods(req.path);
  if (!allowed.empty()) {
    res.set_header("Allow", allowed);
    return write_error(res, 405, "method_not_allowed", req.method + " is not allowed here; use " + allowed);
  }
  write_error(res, 404, "not_found", "no such endpoint: " + req.path);
}

const char* code_for_status(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 413: return "payload_too_large";
    case 414: return "uri_too_long";
    case 415: return "unsupported_media_type";
    case 416: return "range_not_satisfiable";
    case 429: return "too_many_requests";
    case 503: return "unavailable";
    default: return status >= 500 ? "internal_error" : "error";
  }
}

}  // namespace

void HttpApp::widen_listen_backlog() {
  if (listen_fd >= 0) ::listen(listen_fd, SOMAXCONN);  // best effort: on failure the old backlog stays
}

std::unique_ptr<HttpApp> make_http_app(ServerContext& ctx) {
  auto app = std::make_unique<HttpApp>();
  httplib::Server& srv = app->server;
  ApiRouter& router = app->router;

  // cpp-httplib serves each connection on one pool thread for as long as it stays open (keep-alive), so
  // the pool must hold every connected tablet at once (Config::threads; docs/ARCHITECTURE.md).
  const int threads = ctx.config.threads > 0 ? ctx.config.threads : Config{}.threads;
  srv.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  HttpApp* self = app.get();
  srv.set_socket_options([self](socket_t sock) {
    httplib::default_socket_options(sock);  // SO_REUSEADDR as before
    self->listen_fd = static_cast<int>(sock);
  });
  srv.set_payload_max_length(ctx.config.max_body_bytes);
  srv.set_keep_alive_max_count(1000);
  srv.set_read_timeout(30, 0);
  srv.set_write_timeout(30, 0);
  srv.set_tcp_nodelay(true);

  // Every response, errors included. No Access-Control-* headers: cross-origin use is not allowed.
  srv.set_default_headers({
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
  });

  srv.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "closeloop-server: %s %s failed: %s\n", req.method.c_str(), req.path.c_str(), what.c_str());
    res.headers.erase("Content-Encoding");
    write_error(res, 500, "internal_error", "the server failed to handle this request; it has been logged");
  });

  // Failures httplib produces itself (no route, body over the limit, bad request line) arrive
  // here with an empty body; our handlers' errors already carry JSON and pass through untouched.
  const std::size_t limit = ctx.config.max_body_bytes;
  srv.set_error_handler(httplib::Server::HandlerWithResponse([&router, limit](const httplib::Request& req,
                                                                              httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (res.status == 404 && is_api(req.path)) {
      api_not_found(router, req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (res.status == 404 && req.method != "GET" && req.method != "HEAD") {
      // Static files are read-only: any other method on a non-API path is not allowed.
      res.set_header("Allow", "GET, HEAD");
      write_error(res, 405, "method_not_allowed", "static files are read-only");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (res.status == 413)
      write_error(res, 413, "payload_too_large",
                  "request body exceeds the limit of " + std::to_string(limit) + " bytes");
    else
      write_error(res, res.status, code_for_status(res.status), code_for_status(res.status));
    return httplib::Server::HandlerResponse::Handled;
  }));

  register_all_routes(router, ctx);

  // Last: everything GET that no route claimed. /api paths never fall through to files.
  const std::string web = ctx.config.web_dir;
  srv.Get(".*", [&router, web](const httplib::Request& req, httplib::Response& res) {
    if (is_api(req.path)) return api_not_found(router, req, res);
    if (web.empty()) return write_error(res, 404, "not_found", "this server has no web folder (--web)");
    serve_static(req, res, web);
  });
  return app;
}

}  // namespace cl::server

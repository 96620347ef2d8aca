// Route registration: one function per module, all called from register_all_routes (routes.cpp).
//
// To plug a module in:
//   1. write `void register_<module>_routes(ApiRouter& r, ServerContext& ctx)` in routes_<module>.cpp
//      (or <module>_routes.cpp) and declare it below;
//   2. add one line to register_all_routes in routes.cpp.
// ApiRouter wraps httplib::Server so that every handler gets uniform behaviour: exceptions become
// a 500 JSON error (never a stack trace), a path registered for another method answers 405 with
// `Allow`, unknown /api paths answer 404 JSON. Inside a handler use the helpers of http_json.h
// (write_json, write_error, parse_json_body) and auth.h (require_user, scope_for, in_scope).
#pragma once

#include <string>
#include <vector>

#include <httplib.h>

#include "server/context.h"

namespace cl::server {

class ApiRouter {
 public:
  using Handler = httplib::Server::Handler;
  explicit ApiRouter(httplib::Server& server) : server_(server) {}

  // `pattern` is a cpp-httplib regex pattern, e.g. R"(/api/v1/users/([^/]+))" → req.matches[1].
  void get(const std::string& pattern, Handler h);
  void post(const std::string& pattern, Handler h);
  void put(const std::string& pattern, Handler h);
  void patch(const std::string& pattern, Handler h);
  void del(const std::string& pattern, Handler h);

  // Methods registered for a path ("GET, POST"); empty if the path is unknown. Drives 405.
  std::string allowed_methods(const std::string& path) const;
  httplib::Server& raw() { return server_; }

 private:
  void add(const char* method, const std::string& pattern, Handler h);
  struct Entry { std::string method, pattern; };
  httplib::Server& server_;
  std::vector<Entry> entries_;
};

// Module entry points. Declared here so routes.cpp is the one place that wires them.
void register_health_routes(ApiRouter& r, ServerContext& ctx);
void register_auth_routes(ApiRouter& r, ServerContext& ctx);    // login, logout, me
void register_admin_routes(ApiRouter& r, ServerContext& ctx);   // users and teams (admin)

void register_all_routes(ApiRouter& r, ServerContext& ctx);

}  // namespace cl::server

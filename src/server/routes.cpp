#include "server/routes.h"

#include <regex>

#include "server/http_json.h"
#include "server/routes_extras.h"
#include "server/routes_settings.h"
#include "server/routes_sync.h"

namespace cl::server {

void ApiRouter::add(const char* method, const std::string& pattern, Handler h) {
  entries_.push_back({method, pattern});
  const std::string m = method;
  if (m == "GET") server_.Get(pattern, std::move(h));
  else if (m == "POST") server_.Post(pattern, std::move(h));
  else if (m == "PUT") server_.Put(pattern, std::move(h));
  else if (m == "PATCH") server_.Patch(pattern, std::move(h));
  else if (m == "DELETE") server_.Delete(pattern, std::move(h));
}

void ApiRouter::get(const std::string& p, Handler h) { add("GET", p, std::move(h)); }
void ApiRouter::post(const std::string& p, Handler h) { add("POST", p, std::move(h)); }
void ApiRouter::put(const std::string& p, Handler h) { add("PUT", p, std::move(h)); }
void ApiRouter::patch(const std::string& p, Handler h) { add("PATCH", p, std::move(h)); }
void ApiRouter::del(const std::string& p, Handler h) { add("DELETE", p, std::move(h)); }

std::string ApiRouter::allowed_methods(const std::string& path) const {
  std::string out;
  for (const auto& e : entries_) {
    if (!std::regex_match(path, std::regex(e.pattern))) continue;
    if (out.find(e.method) != std::string::npos) continue;
    if (!out.empty()) out += ", ";
    out += e.method;
  }
  if (out.find("GET") != std::string::npos) out += ", HEAD";
  return out;
}

// The one place modules are wired. Add a line per module (see routes.h).
void register_all_routes(ApiRouter& r, ServerContext& ctx) {
  // Sync first: httplib tries a method's routes in registration order, one std::regex_match each, and
  // push/pull are most of the traffic (200 tablets). No two modules' patterns match the same path.
  register_sync_routes(r, ctx);
  register_health_routes(r, ctx);
  register_auth_routes(r, ctx);
  register_admin_routes(r, ctx);
  register_record_routes(r, ctx);
  register_extras_routes(r, ctx);  // notify, evidence, share, quote pdf, export/import, scheduler
  register_settings_routes(r, ctx);  // GET/PUT /api/v1/settings (company settings, admin writes)
}

}  // namespace cl::server

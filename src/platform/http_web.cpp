// cl::platform HTTP over emscripten_fetch (-sFETCH=1, no IndexedDB cache: FETCH_SUPPORT_INDEXEDDB=0,
// LOAD_TO_MEMORY|REPLACE so it never answers from its own cache). A non-2xx answer arrives in
// onerror with the body kept; a network failure is status 0.
#include <emscripten.h>
#include <emscripten/fetch.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "platform/http.h"
#include "platform/platform_internal.h"

namespace cl::platform {
namespace {

std::string g_token;
int g_in_flight = 0;

// Everything emscripten_fetch points into must live until the callback: keep it in one block.
struct Pending {
  HttpRequest request;
  HttpCallback done;
  std::string auth_header;
  std::vector<const char*> headers;
};

void finish(emscripten_fetch_t* fetch) {
  std::unique_ptr<Pending> pending(static_cast<Pending*>(fetch->userData));
  HttpResponse response;
  response.status = fetch->status;
  if (fetch->data && fetch->numBytes > 0) response.body.assign(fetch->data, static_cast<std::size_t>(fetch->numBytes));
  emscripten_fetch_close(fetch);
  --g_in_flight;
  if (pending->done) pending->done(response);
  detail::wake();   // network completion wakes the idle loop
}

}  // namespace

void set_bearer_token(const std::string& token) { g_token = token; }
const std::string& bearer_token() { return g_token; }
int http_in_flight() { return g_in_flight; }

void http_send(HttpRequest request, HttpCallback done) {
  auto* pending = new Pending{std::move(request), std::move(done), {}, {}};
  emscripten_fetch_attr_t attr;
  emscripten_fetch_attr_init(&attr);
  std::strncpy(attr.requestMethod, pending->request.method.c_str(), sizeof(attr.requestMethod) - 1);
  attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY | EMSCRIPTEN_FETCH_REPLACE;
  attr.timeoutMSecs = pending->request.timeout_ms;
  auto& h = pending->headers;
  h.push_back("Accept");
  h.push_back("application/json");
  if (!pending->request.body.empty() || pending->request.method == "POST" || pending->request.method == "PUT") {
    h.push_back("Content-Type");
    h.push_back(pending->request.content_type.c_str());
  }
  if (pending->request.with_auth && !g_token.empty()) {
    pending->auth_header = "Bearer " + g_token;
    h.push_back("Authorization");
    h.push_back(pending->auth_header.c_str());
  }
  h.push_back(nullptr);
  attr.requestHeaders = h.data();
  if (!pending->request.body.empty()) {
    attr.requestData = pending->request.body.data();
    attr.requestDataSize = pending->request.body.size();
  }
  attr.userData = pending;
  attr.onsuccess = finish;
  attr.onerror = finish;
  ++g_in_flight;
  emscripten_fetch(&attr, pending->request.url.c_str());
}

void http_get_json(const std::string& url, HttpCallback done) {
  HttpRequest r;
  r.url = url;
  http_send(std::move(r), std::move(done));
}

void http_post_json(const std::string& url, const std::string& json, HttpCallback done) {
  HttpRequest r;
  r.method = "POST";
  r.url = url;
  r.body = json.empty() ? "{}" : json;
  http_send(std::move(r), std::move(done));
}

}  // namespace cl::platform

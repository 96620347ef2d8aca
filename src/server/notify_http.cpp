#include "server/notify_http.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <mutex>

namespace cl::server {

namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
  std::string* body;
  std::size_t limit;
};

size_t on_write(char* data, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * nmemb;
  if (sink->body->size() + n > sink->limit) return 0;  // aborts the transfer
  sink->body->append(data, n);
  return n;
}

}  // namespace

HttpPostResult http_post_json(std::string_view url, std::string_view json_body, const HttpPostOptions& options) {
  global_init_once();
  HttpPostResult result;
  CURL* curl = curl_easy_init();
  if (!curl) {
    result.error = "curl_easy_init failed";
    return result;
  }
  std::string url_s(url);
  Sink sink{&result.body, options.max_response_bytes};
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json; charset=utf-8");
  curl_easy_setopt(curl, CURLOPT_URL, url_s.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json_body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json_body.size()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, options.total_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we are multi-threaded
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    result.transport_ok = true;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  } else {
    result.error = curl_easy_strerror(rc);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return result;
}

std::string robot_delivery_error(const HttpPostResult& r) {
  if (!r.transport_ok) return "transport: " + r.error;
  if (r.status < 200 || r.status >= 300) return "http " + std::to_string(r.status);
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return "unexpected response: " + r.body.substr(0, 200);
  auto code = j.value("errcode", -1);
  if (code != 0) return "errcode " + std::to_string(code) + ": " + j.value("errmsg", std::string());
  return "";
}

}  // namespace cl::server

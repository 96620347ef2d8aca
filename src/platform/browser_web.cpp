// cl::platform browser services (browser.h, files.h) on EM_JS: title, clipboard, tel:, routing,
// localStorage, timers, file picker and downloads. The JS halves live in web_glue.js.
#include <emscripten.h>

#include <functional>
#include <map>
#include <string>

#include "platform/browser.h"
#include "platform/files.h"
#include "platform/platform_internal.h"

namespace cl::platform {
namespace {

EM_JS(void, js_set_title, (const char* t), { Module.clPlatform.setTitle(UTF8ToString(t)); });
EM_JS(void, js_copy, (const char* t), { Module.clPlatform.setClipboard(UTF8ToString(t)); });
EM_JS(void, js_tel, (const char* t), { Module.clPlatform.tel(UTF8ToString(t)); });
EM_JS(void, js_open_url, (const char* t), { Module.clPlatform.openUrl(UTF8ToString(t)); });
EM_JS(void, js_push_route, (const char* p, int replace), { Module.clPlatform.pushRoute(UTF8ToString(p), !!replace); });
EM_JS(char*, js_route, (), {
  const s = Module.clPlatform.route();
  const n = lengthBytesUTF8(s) + 1; const p = _malloc(n); stringToUTF8(s, p, n); return p;
});
EM_JS(char*, js_ls_get, (const char* k), {
  let s = null;
  try { s = window.localStorage.getItem(UTF8ToString(k)); } catch (e) {}
  s = s || "";
  const n = lengthBytesUTF8(s) + 1; const p = _malloc(n); stringToUTF8(s, p, n); return p;
});
EM_JS(void, js_ls_set, (const char* k, const char* v), {
  try { window.localStorage.setItem(UTF8ToString(k), UTF8ToString(v)); } catch (e) {}
});
EM_JS(void, js_ls_remove, (const char* k), {
  try { window.localStorage.removeItem(UTF8ToString(k)); } catch (e) {}
});
EM_JS(int, js_online, (), { return navigator.onLine ? 1 : 0; });
EM_JS(double, js_date_now, (), { return Date.now(); });
EM_JS(double, js_random_unit, (), { return Math.random(); });
EM_JS(void, js_random_bytes, (void* out, int n), { crypto.getRandomValues(HEAPU8.subarray(out, out + n)); });
EM_JS(int, js_coarse, (), { return Module.clPlatform.coarse() ? 1 : 0; });
EM_JS(void, js_logout, (), { Module.clPlatform.logout(); });
EM_JS(void, js_announce, (const char* t), { Module.clPlatform.setLiveRegion(UTF8ToString(t)); });
EM_JS(void, js_page_lang, (const char* c), { Module.clPlatform.setPageLang(UTF8ToString(c)); });
EM_JS(void, js_set_timeout, (int id, int ms), { Module.clPlatform.setTimeout(id, ms); });
EM_JS(void, js_pick_file, (int id, const char* accept, int camera), {
  Module.clPlatform.pickFile(id, UTF8ToString(accept), !!camera);
});
EM_JS(void, js_download, (const char* name, const char* mime, const void* data, int size), {
  Module.clPlatform.download(UTF8ToString(name), UTF8ToString(mime), data, size);
});

std::string take(char* p) {
  std::string s = p ? p : "";
  free(p);
  return s;
}

int g_next_id = 1;
std::map<int, std::function<void()>> g_timers;
std::map<int, std::function<void(PickedFile)>> g_pickers;
int g_coarse = -1;

}  // namespace

void request_redraw() { detail::wake(); }
void set_timeout(int ms, std::function<void()> fn) {
  const int id = g_next_id++;
  g_timers[id] = std::move(fn);
  js_set_timeout(id, ms);
}
double now_ms() { return js_date_now(); }
double random_unit() { return js_random_unit(); }
void random_bytes(void* out, int n) { js_random_bytes(out, n); }
bool is_online() { return js_online() != 0; }
bool coarse_pointer() {
  if (g_coarse < 0) g_coarse = js_coarse();   // stable for a session; avoids a JS call per frame
  return g_coarse != 0;
}
void set_document_title(const std::string& title) { js_set_title(title.c_str()); }
void copy_to_clipboard(const std::string& text) { js_copy(text.c_str()); }
void open_tel(const std::string& phone) { js_tel(phone.c_str()); }
void open_url(const std::string& url) { js_open_url(url.c_str()); }
std::string current_route() { return take(js_route()); }
void push_route(const std::string& path) { js_push_route(path.c_str(), 0); }
void replace_route(const std::string& path) { js_push_route(path.c_str(), 1); }
std::string local_storage_get(const std::string& key) { return take(js_ls_get(key.c_str())); }
void local_storage_set(const std::string& key, const std::string& value) { js_ls_set(key.c_str(), value.c_str()); }
void local_storage_remove(const std::string& key) { js_ls_remove(key.c_str()); }
void logout_to_login_form() { js_logout(); }
void announce(const std::string& text) { js_announce(text.c_str()); }
void set_page_language(const char* code) { js_page_lang(code); }

void pick_file(const std::string& accept, bool camera, std::function<void(PickedFile)> done) {
  const int id = g_next_id++;
  g_pickers[id] = std::move(done);
  js_pick_file(id, accept.c_str(), camera ? 1 : 0);
}

void download_file(const std::string& name, const std::string& mime, const void* data, std::size_t size) {
  js_download(name.c_str(), mime.c_str(), data, static_cast<int>(size));
}

}  // namespace cl::platform

extern "C" {

EMSCRIPTEN_KEEPALIVE void cl_timer(int id) {
  auto it = cl::platform::g_timers.find(id);
  if (it == cl::platform::g_timers.end()) return;
  auto fn = std::move(it->second);
  cl::platform::g_timers.erase(it);
  if (fn) fn();
  cl::platform::detail::wake();
}

EMSCRIPTEN_KEEPALIVE void cl_file_picked(int id, const unsigned char* data, int size, const char* name, const char* mime) {
  auto it = cl::platform::g_pickers.find(id);
  if (it == cl::platform::g_pickers.end()) return;
  auto fn = std::move(it->second);
  cl::platform::g_pickers.erase(it);
  cl::platform::PickedFile f;
  f.name = name ? name : "";
  f.mime = mime ? mime : "";
  f.bytes.assign(data, data + size);
  if (fn) fn(std::move(f));
  // The user's own pick: drawn at once, even while a sync or the start's preparation paces frames
  // to two a second (the attached file shows, and the buttons below it move, before the next tap).
  cl::platform::detail::wake_foreground();
}

}  // extern "C"

// Small browser services the app needs, as plain C++ (src/app never includes emscripten headers).
#pragma once

#include <functional>
#include <string>

namespace cl::platform {

// Wake the idle frame loop (no rendering while nothing changes, WEB_PLATFORM.md "Idle").
void request_redraw();
// Run `fn` on the main thread after `ms` milliseconds, then redraw. Used for retries/backoff.
void set_timeout(int ms, std::function<void()> fn);
double now_ms();          // wall clock, UTC milliseconds (core takes it as `now`)
double random_unit();     // Math.random() in [0,1): backoff jitter
void random_bytes(void* out, int n);   // crypto.getRandomValues: record ids (UUIDv7)
bool is_online();         // navigator.onLine
bool coarse_pointer();    // matchMedia('(pointer: coarse)')

void set_document_title(const std::string& title);
void copy_to_clipboard(const std::string& text);   // navigator.clipboard.writeText (+ copy event)
void open_tel(const std::string& phone);            // window.location = 'tel:…' (one-tap dial)
void open_url(const std::string& url);              // new tab

// URL hash routing: "customers/42" ↔ "#/customers/42". The platform calls the shell back on popstate.
std::string current_route();
void push_route(const std::string& path);
void replace_route(const std::string& path);

std::string local_storage_get(const std::string& key);
void local_storage_set(const std::string& key, const std::string& value);
void local_storage_remove(const std::string& key);

// Status for screen readers (an aria-live region: a canvas has no accessible text).
void announce(const std::string& text);

// Back to the HTML login form: revokes the token (POST /api/v1/auth/logout), clears localStorage.
void logout_to_login_form();
// Tell the page (HTML login form, <html lang>) which UI language is active: "zh" / "en".
void set_page_language(const char* code);

}  // namespace cl::platform

// One screen = one file with one draw function (ImHex's `drawContent()` idea), registered in the
// navigation table by a one-line CL_SCREEN(...) at the bottom of the file. The shell (src/app/shell)
// owns the frame: top bar, side nav / bottom tab bar, URL hash routing and the document title; a
// screen only draws its content area and sends intents (navigate, HTTP, sync) back.
// Screens are compiled only in the wasm tree (src/platform/CMakeLists.txt globs src/app/screens/*.cpp).
#pragma once

#include <string>
#include <vector>

namespace cl::app {

struct AppState;

// The parsed URL hash route: "#/customers/42" → path "customers/42", parts {"customers","42"}.
struct Route {
  std::string path;
  std::vector<std::string> parts;
  // Value of a ":name" placeholder of the matched screen pattern ("" when absent).
  std::string param(const char* name) const;
  std::vector<std::pair<std::string, std::string>> params;  // filled by the registry on match
  static Route parse(const std::string& path_or_hash);
};

// What a draw function gets. Valid only during the call.
struct ScreenContext {
  AppState& app;        // session, language, sync indicator, layout facts (see app_state.h)
  const Route& route;   // the current route with its params ("customers/:id" → param("id"))
  bool compact;         // phone / tablet portrait: single column, bottom tab bar visible
  bool touch;           // coarse pointer: bigger targets (the style is already scaled)
  // Navigate to another route ("customers/42"): pushes browser history, sets the title.
  void navigate(const std::string& path) const;
  // Replace the current history entry instead (e.g. after saving a "new" form → its id).
  void replace(const std::string& path) const;
};

using DrawFn = void (*)(ScreenContext&);

struct ScreenDef {
  const char* pattern;    // "customers", "customers/new", "customers/:id" — most specific wins
  const char* area;       // nav area highlighted while shown: "workbench", "customers", …
  const char* title_key;  // i18n key for the document title and the content header
  DrawFn draw;
};

// Registration happens at static-initialisation time (screens are linked as objects, not from a
// static library, so the registrars are never dropped).
struct ScreenRegistrar {
  explicit ScreenRegistrar(const ScreenDef& def);
};

const std::vector<ScreenDef>& registered_screens();
// The best match for a route (more literal segments beat ":param"); nullptr when none.
const ScreenDef* match_screen(Route& route);

}  // namespace cl::app

#define CL_SCREEN_CAT2(a, b) a##b
#define CL_SCREEN_CAT(a, b) CL_SCREEN_CAT2(a, b)
// CL_SCREEN("customers/:id", "customers", "title.customer_profile", draw_customer_profile);
#define CL_SCREEN(pattern, area, title_key, draw_fn) \
  static const ::cl::app::ScreenRegistrar CL_SCREEN_CAT(cl_screen_registrar_, __LINE__){ \
      ::cl::app::ScreenDef{pattern, area, title_key, draw_fn}}

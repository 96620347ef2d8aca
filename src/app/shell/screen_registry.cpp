// Screen registration and route matching (screens/screen.h).
#include "app/screens/screen.h"

#include <cstring>

namespace cl::app {
namespace {

std::vector<ScreenDef>& registry() {
  static std::vector<ScreenDef> screens;   // function-local: safe during static initialisation
  return screens;
}

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : path) {
    if (c == '/') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

}  // namespace

ScreenRegistrar::ScreenRegistrar(const ScreenDef& def) { registry().push_back(def); }

const std::vector<ScreenDef>& registered_screens() { return registry(); }

Route Route::parse(const std::string& path_or_hash) {
  std::string p = path_or_hash;
  if (!p.empty() && p[0] == '#') p.erase(0, 1);
  const auto q = p.find('?');
  if (q != std::string::npos) p.erase(q);
  Route r;
  r.parts = split(p);
  for (std::size_t i = 0; i < r.parts.size(); ++i) r.path += (i ? "/" : "") + r.parts[i];
  return r;
}

std::string Route::param(const char* name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

const ScreenDef* match_screen(Route& route) {
  const ScreenDef* best = nullptr;
  int best_score = -1;
  std::vector<std::pair<std::string, std::string>> best_params;
  for (const auto& def : registry()) {
    const auto segs = split(def.pattern);
    if (segs.size() != route.parts.size()) continue;
    int score = 0;
    bool ok = true;
    std::vector<std::pair<std::string, std::string>> params;
    for (std::size_t i = 0; i < segs.size() && ok; ++i) {
      if (!segs[i].empty() && segs[i][0] == ':') {
        params.emplace_back(segs[i].substr(1), route.parts[i]);
      } else if (segs[i] == route.parts[i]) {
        ++score;
      } else {
        ok = false;
      }
    }
    if (ok && score > best_score) {
      best = &def;
      best_score = score;
      best_params = std::move(params);
    }
  }
  if (best) route.params = std::move(best_params);
  return best;
}

}  // namespace cl::app

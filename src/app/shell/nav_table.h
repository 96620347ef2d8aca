// The navigation areas of the workspace (issue 2: navigation for the areas to come).
#pragma once

#include <span>

namespace cl::app {

struct NavArea {
  const char* id;         // also the root route: "#/customers"
  const char* label_key;  // i18n key
  const char* glyph;      // short mark drawn in the tab bar (plain text, no icon font)
};

std::span<const NavArea> nav_areas();

}  // namespace cl::app

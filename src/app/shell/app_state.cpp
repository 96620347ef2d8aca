#include "app/app_state.h"

namespace cl::app {

AppState& state() {
  static AppState s;
  return s;
}

}  // namespace cl::app

#include "core/version.h"
// Keeps closeloop_core non-empty while the rules land; also a place for build metadata later.
namespace cl { const char* version_string() { return kVersion; } }

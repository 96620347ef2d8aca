// The sync protocol accepts the current and the previous schema version (SYNC.md §8).
#include "core/version.h"
namespace cl::sync {
bool schema_version_supported(int v) { return v == kSchemaVersion || v == kSchemaVersion - 1; }
}  // namespace cl::sync

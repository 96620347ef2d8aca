// The sync protocol accepts the current and the previous schema version (SYNC.md §8), so a device
// with a pending outbox can still push after the server is upgraded.
#include "core/version.h"
#include "sync/wire.h"
namespace cl::sync {
bool schema_version_supported(int v) { return v == kSchemaVersion || v == kSchemaVersion - 1; }
}  // namespace cl::sync

// Tables of the sync module (migration block 100–199, migrations.h): per-client last_mid, rejected
// mutations and conflicts kept for the client's UI, scope exits (a record that left a caller's scope
// is pulled as a removal), and the tombstone horizon.
#pragma once

#include <string>

namespace cl::server {

const std::string& sync_migration_100_sql();

}  // namespace cl::server

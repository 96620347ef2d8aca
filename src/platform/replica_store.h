// The sync client's platform side (issue 5): its local replica in IndexedDB (not IDBFS) and its
// HTTP transport over emscripten_fetch. The sync client itself (src/app/vm/sync_client.h) is pure.
//
// IndexedDB layout, one database per signed-in user ("closeloop-<user id>"):
//   pages    autoIncrement → one pulled page as a JSON array of Changes (many records per value, so
//            100k records load as ~100 values, not 100k)
//   meta     "cursor", "last_mid", "outbox"
//   evidence sha256 → {file_name, mime_type, bytes} waiting for upload (R10)
// Each ReplicaStorage call is ONE readwrite transaction (the outbox entry is written together with
// the change it records). Calls are queued while the database opens; order is preserved.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "app/vm/sync_client.h"

namespace cl::platform {

std::unique_ptr<app::ReplicaStorage> make_indexeddb_storage(const std::string& db_name);

// Reads everything stored (startup). `error` is "" on success; on failure `state` is empty and the
// app can still run online (the outbox, if any, could not be read: show it, don't overwrite it).
void load_indexeddb_replica(const std::string& db_name, std::function<void(app::StoredState state, std::string error)> done);

// Deletes the user's database (logout on a shared device).
void delete_indexeddb_replica(const std::string& db_name);

// The last storage failure (quota exceeded, connection lost), "" when none; the outbox stays in
// memory and is written again by the next save.
const std::string& indexeddb_last_error();

// navigator.storage.persist(): ask the browser not to evict the replica under storage pressure.
void request_persistent_storage();

std::unique_ptr<app::SyncTransport> make_http_sync_transport();

}  // namespace cl::platform

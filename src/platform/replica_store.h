// The sync client's platform side (issue 5): its local replica in IndexedDB (not IDBFS) and its
// HTTP transport over emscripten_fetch. The sync client itself (src/app/vm/sync_client.h) is pure.
//
// IndexedDB layout (version 2), one database per signed-in user ("closeloop-<user id>"), shared by
// every tab of the browser profile:
//   pages    key chosen by the syncing tab → one pulled (or compacted) page as a JSON array of
//            Changes (many records per value, so 100k records load as ~100 values, not 100k)
//   outbox   mid → one outbox entry; mids come from meta "next_mid" inside the transaction that
//            writes the entry (never at or below "last_mid"), so tabs never reuse one
//   meta     "cursor", "last_mid", "next_mid", "page_gen" (bumped by compaction / must_refetch),
//            "conflicts", "caught_up", and the replica snapshot (app/vm/replica_snapshot.h):
//            "snapshot" (a Blob) + "snapshot_info" {tag, key, gen} — a cache of the pages with
//            key ≤ key, used by a full load only while page_gen == gen and the tag matches the build
//   evidence sha256 → {file_name, mime_type, bytes} waiting for upload (R10)
// Loads read through one function, window.closeloopReadReplica in web/shell.js (the shell uses it to
// read a returning user's replica before the app runs; the app's loads use the same one).
// Each ReplicaStorage call is ONE readwrite transaction; a committed write is announced to the other
// tabs on the BroadcastChannel "closeloop-idb-<db>". Version 1 databases (outbox as one JSON value)
// are split into entries by the upgrade.
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

// Another tab committed a write to `db_name` (BroadcastChannel): the runtime re-reads storage.
void on_indexeddb_changed_elsewhere(std::function<void(const std::string& db_name)> f);

// Deletes the user's database (logout on a shared device).
void delete_indexeddb_replica(const std::string& db_name);

// The last storage failure (quota exceeded, connection lost), "" when none. An intent that could
// not be written stays in the sync client's memory and is written again on a timer.
const std::string& indexeddb_last_error();
// Write transactions started and not yet committed or aborted (pulled pages still being stored).
int indexeddb_writes_pending();

// navigator.storage.persist(): ask the browser not to evict the replica under storage pressure.
void request_persistent_storage();

std::unique_ptr<app::SyncTransport> make_http_sync_transport();

}  // namespace cl::platform

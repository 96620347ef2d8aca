// What every route module gets: the store, the configuration, the clock. Kept small on purpose —
// modules (auth, sync, notify, evidence, share, export, pdf) receive a ServerContext& when they
// register their routes (routes.h) and take from it only what they need.
#pragma once

#include <functional>

#include "core/model.h"
#include "server/config.h"

namespace cl::server {

class Store;
class Db;

// The server's only clock. Tests and the scheduler inject their own; nothing else reads time.
using Clock = std::function<Instant()>;
Instant system_now();

struct ServerContext {
  Config config;
  Store& store;
  // The SQLite connection behind `store`, for modules that keep their own tables (sync clients,
  // outbox, share links, evidence). Use it only inside store.transaction(...) / store.read(...),
  // which hold the connection's lock. A future PostgreSQL store would leave this null and those
  // modules would get their own store implementations (see docs/ARCHITECTURE.md).
  Db* db = nullptr;
  Clock clock = system_now;

  Instant now() const { return clock(); }
};

}  // namespace cl::server

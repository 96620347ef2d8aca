// Server side of offline-first sync (R32, ../shared/SYNC.md, docs/SYNC_PROTOCOL.md): push applies a batch
// of mutations in ONE transaction with core rules and the caller's scope; pull pages through the
// changes since an opaque cursor, scoped and recomputed on every call. The HTTP layer (routes_sync.cpp)
// only decodes, calls this and maps SyncError to a status.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/problem.h"
#include "server/catalog_scope.h"
#include "server/context.h"
#include "server/push_lane.h"
#include "server/settings_cache.h"
#include "sync/wire.h"

namespace cl::server {

struct SyncError {
  int status = 400;
  std::string code;       // sync::kErrMustRefetch, kErrSchemaUnsupported, "unavailable", …
  std::string message;
  Problems fields;
};

template <class T>
struct SyncOutcome {
  std::optional<T> value;
  std::optional<SyncError> error;
};

// Cursor = base64url("cl1:<seq>"): opaque to clients, never a timestamp (SYNC.md §4).
std::string encode_cursor(std::int64_t seq);
std::optional<std::int64_t> decode_cursor(const std::string& cursor);  // "" → 0

// One change of a pull page as the HTTP layer writes it: the record is the stored JSON text, spliced
// into the response as it is (pulls are the hot path: 200 tablets at once).
struct RawChange {
  std::string type;
  Id id;
  bool deleted = false;
  std::int64_t version = 0;
  std::string record;
};

class SyncService {
 public:
  explicit SyncService(ServerContext& ctx) : ctx_(ctx) {}

  SyncOutcome<sync::PushResponse> push(const User& user, const sync::PushRequest& request);
  // With `raw_changes`, the page's changes go there instead (same order, records as stored text, never
  // parsed) and the response's `changes` stays empty; everything else (cursor, has_more, last_mid,
  // rejections, conflicts) is in the response as usual.
  SyncOutcome<sync::PullResponse> pull(const User& user, const sync::PullRequest& request,
                                       std::vector<RawChange>* raw_changes = nullptr);
  // R5: the device's short number (for offline-safe customer codes), stable per client_id.
  SyncOutcome<nlohmann::json> register_device(const User& user, const std::string& client_id);

  // Operations: forget tombstones (and scope exits) at or below `seq`; cursors older than that then
  // answer 409 must_refetch. Returns the number of rows purged.
  std::int64_t purge_tombstones(std::int64_t up_to_seq);
  std::int64_t tombstone_horizon();

  // How pushes ran (push_lane.h): with the rules on a helper thread, and how many of those ran again
  // on one thread because a create's id was taken after all.
  struct PushCounts {
    std::atomic<std::int64_t> pipelined{0};
    std::atomic<std::int64_t> replayed{0};
  };
  const PushCounts& push_counts() const { return push_counts_; }

 private:
  // The push's transaction; `pipelined`: rules on a helper thread (push_lane.h). Throws
  // SpeculationFailed when a pipelined push must run again without the helper (sync_service.cpp).
  sync::PushResponse push_in_transaction(const User& user, const sync::PushRequest& req, Instant now, bool pipelined);

  ServerContext& ctx_;
  CatalogCache catalog_;
  SettingsCache settings_;
  PushCounts push_counts_;
  HelperThread push_helper_;  // runs a pipelined push's rules (push_lane.h)
};

// The pipeline settings the sync rules use (R4 required fields/tags, R9 stages, R10 evidence kinds):
// the admin's saved settings record when there is one, else the seed's defaults.
Settings sync_settings(ServerContext& ctx);

}  // namespace cl::server

// R27: a manager shares a read-only manager view with the boss by link — scoped to one team or one
// region, with an expiry, revocable. The token is 32 random bytes (base64url) shown once; only its
// SHA-256 is stored, so a database leak does not leak working links.
#pragma once

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl::server {

struct ShareLink {
  std::string id;
  std::string created_by;
  std::string team_id;  // exactly one of team_id / region is set
  std::string region;
  std::string label;
  Instant created_at = 0;
  Instant expires_at = 0;
  std::optional<Instant> revoked_at;
  std::optional<Instant> last_used_at;
};

struct ShareLinkRequest {
  std::string team_id;
  std::string region;
  std::string label;
  Instant expires_at = 0;  // 0 = default (7 days)
};

constexpr Instant kShareDefaultTtl = 7 * kDay;
constexpr Instant kShareMaxTtl = 90 * kDay;

// Who may share what: an admin any team or region; a manager only their own team, or the region of
// their own team; a rep nothing. Expiry in the future and at most 90 days ahead.
Problems validate_share_request(const ShareLinkRequest& req, const User& creator, const std::vector<Team>& teams,
                                Instant now);

struct CreatedShareLink {
  ShareLink link;
  std::string token;  // shown once
};

// Validates, then stores the link (the token's hash only).
Result<CreatedShareLink> share_link_create(sqlite3* db, const ShareLinkRequest& req, const User& creator,
                                           const std::vector<Team>& teams, Instant now);

// A manager lists the links they created; an admin lists all.
std::vector<ShareLink> share_link_list(sqlite3* db, const User& caller);

enum class RevokeResult { Revoked, AlreadyRevoked, NotFound };
// Creator or admin; anyone else gets NotFound (never confirm that someone else's link exists).
RevokeResult share_link_revoke(sqlite3* db, const std::string& id, const User& caller, Instant now);

enum class ShareLookup { Ok, Unknown, Revoked, Expired };
struct ResolvedShare {
  ShareLookup status = ShareLookup::Unknown;
  ShareLink link;
};
// Resolves a presented token (records last use when Ok).
ResolvedShare share_link_resolve(sqlite3* db, const std::string& token, Instant now);

nlohmann::json share_link_json(const ShareLink& link, Instant now);

// R27: "personal data masked" — 13812345678 → 138****5678; shorter numbers keep only the last 2.
std::string mask_phone(const std::string& phone);

}  // namespace cl::server

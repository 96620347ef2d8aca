// R27: the read-only manager view behind a share link — funnel, collections and team health for
// exactly the link's team or region, with personal data (phones) masked. Built only from records
// whose team is in scope; nothing else is read.
#pragma once

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "server/share_links.h"

namespace cl::server {

nlohmann::json build_shared_view(sqlite3* db, const ShareLink& link, Instant now);

}  // namespace cl::server

// Server-made identifiers. Records are normally created on the client (UUIDv7); the server makes
// ids for what only it creates (users, teams, audit events, share links).
#pragma once

#include <string>

#include "core/model.h"

namespace cl::server {

// UUIDv7 text (time-ordered, 74 random bits from libsodium).
std::string new_uuid_v7(Instant now);

}  // namespace cl::server

// R33: scopes are computed on the server from the caller, never taken from the request.
#pragma once

#include "core/model.h"

namespace cl::server {

// rep: own records; manager: records of the manager's team; admin: everything.
struct Scope {
  enum class Kind { Own, Team, All };
  Kind kind = Kind::Own;
  Id user_id;
  Id team_id;
};

Scope scope_for(const User& user);

// Own: the caller owns it. Team: the record's team (the owner's team when it was written) is the
// caller's team. All: always. A manager without a team sees only their own records.
bool in_scope(const Scope& scope, const Id& owner_id, const Id& team_id);

}  // namespace cl::server

#include "server/scope.h"

namespace cl::server {

Scope scope_for(const User& user) {
  switch (user.role) {
    case Role::Admin: return {Scope::Kind::All, user.id, user.team_id};
    case Role::Manager:
      // A manager without a team would otherwise match every team-less record; fall back to own.
      if (user.team_id.empty()) return {Scope::Kind::Own, user.id, {}};
      return {Scope::Kind::Team, user.id, user.team_id};
    case Role::Rep: return {Scope::Kind::Own, user.id, user.team_id};
  }
  return {Scope::Kind::Own, user.id, user.team_id};
}

bool in_scope(const Scope& scope, const Id& owner_id, const Id& team_id) {
  switch (scope.kind) {
    case Scope::Kind::All: return true;
    case Scope::Kind::Team: return !scope.team_id.empty() && team_id == scope.team_id;
    case Scope::Kind::Own: return !scope.user_id.empty() && owner_id == scope.user_id;
  }
  return false;
}

}  // namespace cl::server

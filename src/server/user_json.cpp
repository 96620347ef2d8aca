#include "server/user_json.h"

#include "server/auth.h"

namespace cl::server {

nlohmann::json user_to_json(const User& u) {
  return {{"id", u.id},       {"username", u.username}, {"display_name", u.display_name},
          {"role", role_name(u.role)}, {"team_id", u.team_id}, {"phone", u.phone},
          {"email", u.email}, {"active", u.active}};
}

nlohmann::json team_to_json(const Team& t) {
  return {{"id", t.id}, {"name", t.name}, {"region", t.region}, {"manager_id", t.manager_id}};
}

}  // namespace cl::server

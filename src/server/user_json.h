// JSON shapes of users and teams as the API returns them (docs/API.md). Never includes the hash.
#pragma once

#include <nlohmann/json.hpp>

#include "core/model.h"

namespace cl::server {

nlohmann::json user_to_json(const User& u);
nlohmann::json team_to_json(const Team& t);

}  // namespace cl::server

// User and team administration (R33), shared by the admin HTTP routes and the CLI subcommands so
// both validate the same way. Each function is one transaction; problems come back as values.
#pragma once

#include <string>

#include "core/model.h"
#include "core/problem.h"
#include "server/config.h"

namespace cl::server {

class Store;

struct NewUser {
  std::string username;
  std::string password;
  std::string display_name;
  std::string role = "rep";      // rep | manager | admin
  Id team_id;                    // required for rep and manager
  std::string phone;
  std::string email;
};

Problems validate_username(const std::string& username);
Problems validate_password(const std::string& password);

// Problems with code "username_taken" map to 409, others to 422.
Result<User> create_user(Store& store, const Config& cfg, const NewUser& in, Instant now, const Id& actor_id);
Problems reset_password(Store& store, const Config& cfg, const Id& user_id, const std::string& password,
                        Instant now, const Id& actor_id);
Problems set_user_active(Store& store, const Id& user_id, bool active, Instant now, const Id& actor_id);

Result<Team> create_team(Store& store, const Team& in, Instant now, const Id& actor_id);

}  // namespace cl::server

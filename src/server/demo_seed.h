// Demo data for a fresh database (Foundation issue): admin, manager1..4, rep1..28 in 4 teams of 7,
// all with password demo1234. Only demo seeding creates these logins.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "server/config.h"

namespace cl::server {

class Store;

inline constexpr const char* kDemoPassword = "demo1234";

struct SeedSummary {
  int users = 0;
  int teams = 0;
  int records = 0;
};

// Refuses (returns false, with a reason) when the database already has users.
bool seed_demo(Store& store, const Config& cfg, Instant now, SeedSummary& out, std::string& error);

// The lines printed on start: URL and the demo logins.
std::vector<std::string> demo_login_lines();

}  // namespace cl::server

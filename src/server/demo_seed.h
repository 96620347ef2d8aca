// Demo data for a fresh database (Foundation issue): core's deterministic generator
// (cl::demo::generate, src/core/demo_data.h) — admin, manager1..4, rep1..28 in 4 teams of 7 (plus the
// inactive former1), all with password demo1234, and at scale "demo" ~2,000 customers with their
// opportunities, activities, quotes, contracts, invoices and payments. Only demo seeding creates
// these logins.
//
// Ids: the generator makes UUIDv7 ids; users and teams are renamed to readable ones on the way in
// (`user-<username>`, `team-<k>` = the team of manager<k>) so logs, docs and tests can name them.
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

// scale: "demo" | "large" | "users" (people and teams only — what API tests start from).
// Refuses (returns false, with a reason) when the database already has users.
bool seed_demo(Store& store, const Config& cfg, Instant now, SeedSummary& out, std::string& error);

// The lines printed on start: the demo logins.
std::vector<std::string> demo_login_lines();

}  // namespace cl::server

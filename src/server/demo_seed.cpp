#include "server/demo_seed.h"

#include <map>

#include <nlohmann/json.hpp>

#include "core/codec.h"
#include "core/demo_data.h"
#include "server/auth.h"
#include "server/store.h"

namespace cl::server {

namespace {

using json = nlohmann::json;
using IdMap = std::map<std::string, std::string>;

// Ids are unique random strings, so replacing every string value equal to an old id is exact.
void remap(json& j, const IdMap& ids) {
  if (j.is_string()) {
    auto it = ids.find(j.get_ref<const std::string&>());
    if (it != ids.end()) j = it->second;
  } else if (j.is_array() || j.is_object()) {
    for (auto& v : j) remap(v, ids);
  }
}

struct Writer {
  Store& store;
  const IdMap& ids;
  const std::map<Id, Id>& team_of;  // user id (readable) -> team id (readable)
  Instant now;
  int count = 0;

  void put(const std::string& type, json j, Id owner, Id team, std::string region) {
    remap(j, ids);
    RecordRow row;
    row.type = type;
    row.id = j.value("id", std::string());
    if (owner.empty()) owner = j.value("owner_id", std::string());
    if (auto it = ids.find(owner); it != ids.end()) owner = it->second;
    if (auto it = ids.find(team); it != ids.end()) team = it->second;
    if (team.empty() && !owner.empty())
      if (auto it = team_of.find(owner); it != team_of.end()) team = it->second;
    row.owner_id = owner;
    row.team_id = team;
    row.region = std::move(region);
    row.seq = store.next_seq();
    row.version = std::max<std::int64_t>(1, j.value("version", std::int64_t{1}));
    row.deleted = j.value("deleted", false);
    row.body = j.dump();
    row.updated_at = j.value("updated_at", now);
    store.put_record(row);
    ++count;
  }

  template <class T>
  void put_all(const std::string& type, const std::vector<T>& items) {
    for (const auto& x : items) put(type, encode(x), "", "", "");
  }
};

}  // namespace

bool seed_demo(Store& store, const Config& cfg, Instant now, SeedSummary& out, std::string& error) {
  if (store.count_users() > 0) {
    error = "the database already has users; demo data is only seeded into an empty database";
    return false;
  }
  const bool large = cfg.demo_scale == "large";
  const bool users_only = cfg.demo_scale == "users";
  demo::Dataset d = demo::generate(large ? demo::Scale::Large : demo::Scale::Demo, 20261127, now);

  // Readable ids for people and teams (see the header).
  IdMap ids;
  for (const User& u : d.users) ids[u.id] = "user-" + u.username;
  for (const User& u : d.users)
    if (u.role == Role::Manager && u.username.rfind("manager", 0) == 0 && !u.team_id.empty())
      ids[u.team_id] = "team-" + u.username.substr(7);
  int extra_team = static_cast<int>(d.teams.size());
  for (const Team& t : d.teams)
    if (!ids.count(t.id)) ids[t.id] = "team-" + std::to_string(++extra_team);
  auto mapped = [&](const Id& id) { return id.empty() ? id : ids.count(id) ? ids[id] : id; };

  // One argon2id hash shared by the demo users (they share the password anyway): hashing 34 times
  // at interactive cost would add seconds to every first start.
  const std::string hash = hash_password(demo::kDemoPassword, cfg);
  std::map<Id, Id> team_of;
  store.transaction([&] {
    for (Team t : d.teams) {
      t.id = mapped(t.id);
      t.manager_id = "";  // set after the managers exist
      store.put_team(t);
      ++out.teams;
    }
    for (User u : d.users) {
      u.id = mapped(u.id);
      u.team_id = mapped(u.team_id);
      team_of[u.id] = u.team_id;
      store.insert_user(u, hash);
      ++out.users;
    }
    for (Team t : d.teams) {
      t.id = mapped(t.id);
      t.manager_id = mapped(t.manager_id);
      store.put_team(t);
    }
    if (users_only) return;

    Writer w{store, ids, team_of, now};
    json settings = encode(d.settings);
    settings["id"] = "global";
    w.put("settings", settings, "", "", "");
    w.put_all("product", d.products);
    w.put_all("price_list", d.price_lists);
    for (const Customer& c : d.customers) {
      auto region = c.tags.count("region") ? c.tags.at("region") : std::string();
      w.put("customer", encode(c), "", "", region);
    }
    for (const Lead& l : d.leads) {
      // Unassigned leads belong to no one yet; the team of the region's manager sees them.
      w.put("lead", encode(l), "", "", l.region);
    }
    w.put_all("opportunity", d.opportunities);
    w.put_all("activity", d.activities);
    w.put_all("quote", d.quotes);
    w.put_all("contract", d.contracts);
    w.put_all("invoice", d.invoices);
    w.put_all("payment", d.payments);
    for (const CollectionTarget& t : d.collection_targets) w.put("collection_target", encode(t), t.rep_id, t.team_id, "");
    out.records = w.count;
  });
  return true;
}

std::vector<std::string> demo_login_lines() {
  return {
      "Demo logins (password demo1234):",
      "  admin                  administrator, sees everything",
      "  manager1 … manager4    manager of team 1 … 4, sees the team",
      "  rep1 … rep28           sales reps, see their own records; team k = rep(7k-6) … rep(7k)",
  };
}

}  // namespace cl::server

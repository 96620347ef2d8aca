#include "server/demo_seed.h"

#include "server/auth.h"
#include "server/store.h"

namespace cl::server {

namespace {

struct DemoTeam {
  const char* name;
  const char* region;
};
// Regions of a Zhejiang distributor; share links (R27) can be scoped by them.
constexpr DemoTeam kTeams[4] = {{"杭州一组", "杭州"}, {"宁波二组", "宁波"}, {"温州三组", "温州"}, {"绍兴四组", "绍兴"}};
constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱",
                                     "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于"};
constexpr const char* kGiven[] = {"伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明"};

}  // namespace

bool seed_demo(Store& store, const Config& cfg, Instant now, SeedSummary& out, std::string& error) {
  if (store.count_users() > 0) {
    error = "the database already has users; demo data is only seeded into an empty database";
    return false;
  }
  // One argon2id hash shared by all demo users (they share the password anyway); hashing 33 times
  // at interactive cost would add seconds to every first start.
  const std::string hash = hash_password(kDemoPassword, cfg);
  store.transaction([&] {
    User admin{"user-admin", "admin", "系统管理员", Role::Admin, "", "13800000000", "admin@example.com", true};
    store.insert_user(admin, hash);
    ++out.users;
    for (int t = 0; t < 4; ++t) {
      const std::string team_id = "team-" + std::to_string(t + 1);
      const std::string manager_id = "user-manager" + std::to_string(t + 1);
      store.put_team({team_id, kTeams[t].name, kTeams[t].region, ""});
      ++out.teams;
      User m{manager_id, "manager" + std::to_string(t + 1),
             std::string(kSurnames[t]) + "经理", Role::Manager, team_id,
             "1390000000" + std::to_string(t + 1), "manager" + std::to_string(t + 1) + "@example.com", true};
      store.insert_user(m, hash);
      ++out.users;
      store.put_team({team_id, kTeams[t].name, kTeams[t].region, manager_id});
      for (int r = 0; r < 7; ++r) {
        const int n = t * 7 + r + 1;
        User rep{"user-rep" + std::to_string(n), "rep" + std::to_string(n),
                 std::string(kSurnames[(n + 3) % 28]) + kGiven[n % 14], Role::Rep, team_id,
                 "1370000" + std::to_string(1000 + n), "rep" + std::to_string(n) + "@example.com", true};
        store.insert_user(rep, hash);
        ++out.users;
      }
    }
  });
  (void)now;
  return true;
}

std::vector<std::string> demo_login_lines() {
  return {
      "Demo logins (password demo1234):",
      "  admin                      — administrator, sees everything",
      "  manager1 … manager4        — manager of team 1 … 4 (杭州一组, 宁波二组, 温州三组, 绍兴四组)",
      "  rep1 … rep28               — sales reps; team 1 = rep1–rep7, team 2 = rep8–rep14, …",
  };
}

}  // namespace cl::server

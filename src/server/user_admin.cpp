#include "server/user_admin.h"

#include "server/auth.h"
#include "server/http_json.h"
#include "server/ids.h"
#include "server/store.h"

namespace cl::server {

namespace {

void audit(Store& store, Instant now, const Id& actor, const std::string& type, const Id& id,
           const std::string& action, std::vector<FieldChange> changes = {}) {
  AuditEvent e;
  e.id = new_uuid_v7(now);
  e.at = now;
  e.actor_id = actor;
  e.entity_type = type;
  e.entity_id = id;
  e.action = action;
  e.changes = std::move(changes);
  store.append_audit(e);
}

}  // namespace

Problems validate_username(const std::string& u) {
  Problems p;
  bool chars_ok = !u.empty();
  for (char c : u)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) chars_ok = false;
  if (u.size() < 3 || u.size() > 64 || !chars_ok)
    p.push_back({"invalid_username", "username", "用户名须为3–64位字母、数字或 _ . -",
                 "username must be 3–64 characters: letters, digits, _ . -"});
  return p;
}

Problems validate_password(const std::string& pw) {
  Problems p;
  if (pw.size() < 8 || pw.size() > 1024 || !valid_utf8(pw))
    p.push_back({"weak_password", "password", "密码至少8位", "password must be at least 8 characters"});
  return p;
}

Result<User> create_user(Store& store, const Config& cfg, const NewUser& in, Instant now, const Id& actor_id) {
  Problems problems = validate_username(in.username);
  auto more = validate_password(in.password);
  problems.insert(problems.end(), more.begin(), more.end());
  auto role = parse_role(in.role);
  if (!role) problems.push_back({"invalid_role", "role", "角色须为 rep、manager 或 admin", "role must be rep, manager or admin"});
  if (role && *role != Role::Admin && in.team_id.empty())
    problems.push_back({"required", "team_id", "销售和经理必须属于一个团队", "reps and managers need a team"});
  if (in.display_name.size() > 100 || !valid_utf8(in.display_name))
    problems.push_back({"invalid_value", "display_name", "姓名过长或编码无效", "display name too long or not UTF-8"});
  if (!problems.empty()) return Result<User>::failure(problems);

  // Hash before taking the write lock: argon2id takes tens of milliseconds by design.
  const std::string hash = hash_password(in.password, cfg);
  User u;
  u.id = new_uuid_v7(now);
  u.username = in.username;
  u.display_name = in.display_name.empty() ? in.username : in.display_name;
  u.role = *role;
  u.team_id = in.team_id;
  u.phone = in.phone;
  u.email = in.email;
  u.active = true;
  return store.transaction([&]() -> Result<User> {
    if (store.find_user_by_username(u.username))
      return Result<User>::failure({{"username_taken", "username", "用户名已存在", "username already exists"}});
    if (!u.team_id.empty() && !store.find_team(u.team_id))
      return Result<User>::failure({{"unknown_team", "team_id", "团队不存在", "no such team"}});
    store.insert_user(u, hash);
    audit(store, now, actor_id, "user", u.id, "create", {{"username", "", u.username}, {"role", "", role_name(u.role)}});
    return Result<User>::success(u);
  });
}

Problems reset_password(Store& store, const Config& cfg, const Id& user_id, const std::string& password,
                        Instant now, const Id& actor_id) {
  Problems problems = validate_password(password);
  if (!problems.empty()) return problems;
  const std::string hash = hash_password(password, cfg);
  return store.transaction([&]() -> Problems {
    if (!store.find_user(user_id)) return {{"not_found", "id", "用户不存在", "no such user"}};
    store.set_password_hash(user_id, hash);
    // A reset means the old password may be known to someone else: end every session.
    store.revoke_user_sessions(user_id, now);
    audit(store, now, actor_id, "user", user_id, "reset_password");
    return {};
  });
}

Problems set_user_active(Store& store, const Id& user_id, bool active, Instant now, const Id& actor_id) {
  return store.transaction([&]() -> Problems {
    auto u = store.find_user(user_id);
    if (!u) return {{"not_found", "id", "用户不存在", "no such user"}};
    User changed = u->user;
    changed.active = active;
    store.update_user(changed);
    if (!active) store.revoke_user_sessions(user_id, now);
    audit(store, now, actor_id, "user", user_id, active ? "activate" : "deactivate",
          {{"active", u->user.active ? "true" : "false", active ? "true" : "false"}});
    return {};
  });
}

Result<Team> create_team(Store& store, const Team& in, Instant now, const Id& actor_id) {
  Problems problems;
  if (in.name.empty() || in.name.size() > 100 || !valid_utf8(in.name))
    problems.push_back({"required", "name", "请填写团队名称", "team name is required (≤100 bytes)"});
  if (in.region.size() > 100 || !valid_utf8(in.region))
    problems.push_back({"invalid_value", "region", "地区过长", "region too long"});
  if (!problems.empty()) return Result<Team>::failure(problems);
  Team t = in;
  if (t.id.empty()) t.id = new_uuid_v7(now);
  return store.transaction([&]() -> Result<Team> {
    if (store.find_team(t.id)) return Result<Team>::failure({{"team_exists", "id", "团队已存在", "team already exists"}});
    if (!t.manager_id.empty()) {
      auto m = store.find_user(t.manager_id);
      if (!m || m->user.role != Role::Manager)
        return Result<Team>::failure({{"invalid_manager", "manager_id", "经理不存在", "manager_id is not a manager"}});
    }
    store.put_team(t);
    audit(store, now, actor_id, "team", t.id, "create", {{"name", "", t.name}});
    return Result<Team>::success(t);
  });
}

}  // namespace cl::server

// Users and teams (R33). Writing is admin-only; reading users is scoped (manager: the team,
// rep: themself) because screens need names of the people whose records they can see.
#include "server/auth.h"
#include "server/http_json.h"
#include "server/ids.h"
#include "server/routes.h"
#include "server/store.h"
#include "server/user_admin.h"
#include "server/user_json.h"

namespace cl::server {

namespace {

int status_for(const Problems& p) {
  for (const auto& x : p) {
    if (x.code == "not_found") return 404;
    if (x.code == "username_taken" || x.code == "team_exists") return 409;
  }
  return 422;
}

std::string opt_string(const json& body, const char* key, Problems& problems) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_string()) {
    problems.push_back({"wrong_type", key, "类型错误，应为文本", "must be a string"});
    return {};
  }
  return it->get<std::string>();
}

}  // namespace

void register_admin_routes(ApiRouter& r, ServerContext& ctx) {
  r.get("/api/v1/users", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_user(req, res, ctx);
    if (!me) return;
    const Scope scope = scope_for(*me);
    json users = json::array();
    for (const User& u : ctx.store.list_users()) {
      bool visible = scope.kind == Scope::Kind::All || u.id == me->id ||
                     (scope.kind == Scope::Kind::Team && u.team_id == scope.team_id);
      if (visible) users.push_back(user_to_json(u));
    }
    write_json(res, {{"users", users}});
  });

  r.post("/api/v1/users", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto admin = require_role(req, res, ctx, {Role::Admin});
    if (!admin) return;
    auto body = parse_json_body(req, res, ctx.config.max_json_bytes);
    if (!body) return;
    Problems types;
    NewUser in;
    in.username = opt_string(*body, "username", types);
    in.password = opt_string(*body, "password", types);
    in.display_name = opt_string(*body, "display_name", types);
    in.role = opt_string(*body, "role", types);
    in.team_id = opt_string(*body, "team_id", types);
    in.phone = opt_string(*body, "phone", types);
    in.email = opt_string(*body, "email", types);
    if (!types.empty()) return write_error(res, 400, "invalid_request", "wrong field types", types);
    auto created = create_user(ctx.store, ctx.config, in, ctx.now(), admin->id);
    if (!created) return write_problems(res, created.problems, status_for(created.problems));
    write_json(res, user_to_json(created.value), 201);
  });

  r.patch(R"(/api/v1/users/([^/]+))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto admin = require_role(req, res, ctx, {Role::Admin});
    if (!admin) return;
    auto body = parse_json_body(req, res, ctx.config.max_json_bytes);
    if (!body) return;
    const Id id = req.matches[1];
    const Instant now = ctx.now();
    Problems problems = ctx.store.transaction([&]() -> Problems {
      auto stored = ctx.store.find_user(id);
      if (!stored) return {{"not_found", "id", "用户不存在", "no such user"}};
      User u = stored->user;
      Problems p;
      if (body->contains("display_name")) u.display_name = opt_string(*body, "display_name", p);
      if (body->contains("phone")) u.phone = opt_string(*body, "phone", p);
      if (body->contains("email")) u.email = opt_string(*body, "email", p);
      if (body->contains("team_id")) {
        u.team_id = opt_string(*body, "team_id", p);
        if (!u.team_id.empty() && !ctx.store.find_team(u.team_id))
          p.push_back({"unknown_team", "team_id", "团队不存在", "no such team"});
      }
      if (body->contains("role")) {
        auto role = parse_role(opt_string(*body, "role", p));
        if (!role) p.push_back({"invalid_role", "role", "角色无效", "role must be rep, manager or admin"});
        else u.role = *role;
      }
      if (body->contains("active")) {
        if (!(*body)["active"].is_boolean()) p.push_back({"wrong_type", "active", "类型错误", "must be true or false"});
        else u.active = (*body)["active"].get<bool>();
      }
      if (u.role != Role::Admin && u.team_id.empty())
        p.push_back({"required", "team_id", "销售和经理必须属于一个团队", "reps and managers need a team"});
      if (u.id == admin->id && (!u.active || u.role != Role::Admin))
        p.push_back({"self_lockout", "role", "不能撤销自己的管理员权限", "you cannot demote or deactivate yourself"});
      if (!p.empty()) return p;
      ctx.store.update_user(u);
      if (!u.active) ctx.store.revoke_user_sessions(u.id, now);
      AuditEvent e;
      e.id = new_uuid_v7(now);
      e.at = now;
      e.actor_id = admin->id;
      e.entity_type = "user";
      e.entity_id = id;
      e.action = "update";
      ctx.store.append_audit(e);
      return {};
    });
    if (!problems.empty()) return write_problems(res, problems, status_for(problems));
    write_json(res, user_to_json(ctx.store.find_user(id)->user));
  });

  r.post(R"(/api/v1/users/([^/]+)/password)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto admin = require_role(req, res, ctx, {Role::Admin});
    if (!admin) return;
    auto body = parse_json_body(req, res, ctx.config.max_json_bytes);
    if (!body) return;
    auto pw = string_field(*body, "password");
    if (!pw) return write_error(res, 400, "invalid_request", "password is required",
                                {{"required", "password", "请输入新密码", "password is required"}});
    auto problems = reset_password(ctx.store, ctx.config, req.matches[1], *pw, ctx.now(), admin->id);
    if (!problems.empty()) return write_problems(res, problems, status_for(problems));
    write_json(res, {{"status", "password_reset"}});
  });

  r.post(R"(/api/v1/users/([^/]+)/deactivate)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto admin = require_role(req, res, ctx, {Role::Admin});
    if (!admin) return;
    const Id id = req.matches[1];
    if (id == admin->id)
      return write_problems(res, {{"self_lockout", "id", "不能停用自己", "you cannot deactivate yourself"}});
    auto problems = set_user_active(ctx.store, id, false, ctx.now(), admin->id);
    if (!problems.empty()) return write_problems(res, problems, status_for(problems));
    write_json(res, user_to_json(ctx.store.find_user(id)->user));
  });

  r.get("/api/v1/teams", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto me = require_user(req, res, ctx);
    if (!me) return;
    json teams = json::array();
    for (const Team& t : ctx.store.list_teams()) teams.push_back(team_to_json(t));
    write_json(res, {{"teams", teams}});
  });

  r.post("/api/v1/teams", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto admin = require_role(req, res, ctx, {Role::Admin});
    if (!admin) return;
    auto body = parse_json_body(req, res, ctx.config.max_json_bytes);
    if (!body) return;
    Problems types;
    Team t;
    t.name = opt_string(*body, "name", types);
    t.region = opt_string(*body, "region", types);
    t.manager_id = opt_string(*body, "manager_id", types);
    if (!types.empty()) return write_error(res, 400, "invalid_request", "wrong field types", types);
    auto created = create_team(ctx.store, t, ctx.now(), admin->id);
    if (!created) return write_problems(res, created.problems, status_for(created.problems));
    write_json(res, team_to_json(created.value), 201);
  });

  r.patch(R"(/api/v1/teams/([^/]+))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto admin = require_role(req, res, ctx, {Role::Admin});
    if (!admin) return;
    auto body = parse_json_body(req, res, ctx.config.max_json_bytes);
    if (!body) return;
    const Id id = req.matches[1];
    Problems problems = ctx.store.transaction([&]() -> Problems {
      auto team = ctx.store.find_team(id);
      if (!team) return {{"not_found", "id", "团队不存在", "no such team"}};
      Problems p;
      if (body->contains("name")) team->name = opt_string(*body, "name", p);
      if (body->contains("region")) team->region = opt_string(*body, "region", p);
      if (body->contains("manager_id")) {
        team->manager_id = opt_string(*body, "manager_id", p);
        auto m = team->manager_id.empty() ? std::nullopt : ctx.store.find_user(team->manager_id);
        if (!team->manager_id.empty() && (!m || m->user.role != Role::Manager))
          p.push_back({"invalid_manager", "manager_id", "经理不存在", "manager_id is not a manager"});
      }
      if (team->name.empty()) p.push_back({"required", "name", "请填写团队名称", "team name is required"});
      if (!p.empty()) return p;
      ctx.store.put_team(*team);
      return {};
    });
    if (!problems.empty()) return write_problems(res, problems, status_for(problems));
    write_json(res, team_to_json(*ctx.store.find_team(id)));
  });
}

}  // namespace cl::server

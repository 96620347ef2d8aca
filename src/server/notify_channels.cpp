#include "server/notify_channels.h"

#include "core/time.h"
#include "server/extras_sqlite.h"
#include "server/notify_smtp.h"

namespace cl::server {

using xsql::Stmt;

namespace {

bool http_url(const std::string& u) {
  if (u.size() > 1000) return false;
  for (unsigned char c : u)
    if (c <= 0x20 || c >= 0x7f) return false;
  return u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0;
}

Problem problem(const std::string& field, const std::string& code, const std::string& zh, const std::string& en) {
  return Problem{code, field, zh, en};
}

ChannelConfig read(const Stmt& s) {
  ChannelConfig c;
  c.scope_type = s.text(0);
  c.scope_id = s.text(1);
  c.dingtalk_webhook = s.text(2);
  c.dingtalk_secret = s.text(3);
  c.wecom_webhook = s.text(4);
  c.email = s.text(5);
  c.mobile = s.text(6);
  c.updated_at = s.i64(7);
  c.updated_by = s.text(8);
  return c;
}

constexpr const char* kCols =
    "scope_type, scope_id, dingtalk_webhook, dingtalk_secret, wecom_webhook, email, mobile, updated_at, updated_by";

}  // namespace

Problems validate_channel_config(const ChannelConfig& c) {
  Problems p;
  if (c.scope_type != "team" && c.scope_type != "user")
    p.push_back(problem("scope_type", "invalid_value", "范围必须是 team 或 user", "scope must be team or user"));
  if (c.scope_id.empty() || c.scope_id.size() > 100)
    p.push_back(problem("scope_id", "required_field_missing", "缺少范围编号", "scope id is required"));
  if (!c.dingtalk_webhook.empty() && !http_url(c.dingtalk_webhook))
    p.push_back(problem("dingtalk_webhook", "invalid_url", "钉钉机器人地址必须是 http(s) 链接",
                        "DingTalk webhook must be an http(s) URL"));
  if (!c.wecom_webhook.empty() && !http_url(c.wecom_webhook))
    p.push_back(problem("wecom_webhook", "invalid_url", "企业微信机器人地址必须是 http(s) 链接",
                        "WeCom webhook must be an http(s) URL"));
  if (c.dingtalk_secret.size() > 200)
    p.push_back(problem("dingtalk_secret", "too_long", "加签密钥过长", "signing secret is too long"));
  if (!c.email.empty() && !plausible_email(c.email))
    p.push_back(problem("email", "invalid_email", "邮箱格式不正确", "e-mail address is not valid"));
  if (!c.mobile.empty()) {
    bool digits = c.mobile.size() >= 5 && c.mobile.size() <= 20;
    for (char ch : c.mobile) digits = digits && ch >= '0' && ch <= '9';
    if (!digits) p.push_back(problem("mobile", "invalid_phone", "手机号只能包含数字", "mobile must be digits only"));
  }
  return p;
}

void channel_config_save(sqlite3* db, const ChannelConfig& c) {
  Stmt s(db, "INSERT INTO notify_channels(scope_type, scope_id, dingtalk_webhook, dingtalk_secret, wecom_webhook, "
             "email, mobile, updated_at, updated_by) VALUES(?,?,?,?,?,?,?,?,?) "
             "ON CONFLICT(scope_type, scope_id) DO UPDATE SET dingtalk_webhook=excluded.dingtalk_webhook, "
             "dingtalk_secret=excluded.dingtalk_secret, wecom_webhook=excluded.wecom_webhook, email=excluded.email, "
             "mobile=excluded.mobile, updated_at=excluded.updated_at, updated_by=excluded.updated_by");
  s.bind(1, c.scope_type).bind(2, c.scope_id).bind(3, c.dingtalk_webhook).bind(4, c.dingtalk_secret);
  s.bind(5, c.wecom_webhook).bind(6, c.email).bind(7, c.mobile).bind(8, c.updated_at).bind(9, c.updated_by);
  s.run();
}

std::optional<ChannelConfig> channel_config_get(sqlite3* db, const std::string& scope_type, const std::string& scope_id) {
  Stmt s(db, std::string("SELECT ") + kCols + " FROM notify_channels WHERE scope_type=? AND scope_id=?");
  s.bind(1, scope_type).bind(2, scope_id);
  if (!s.step()) return std::nullopt;
  return read(s);
}

std::vector<ChannelConfig> channel_config_list(sqlite3* db) {
  Stmt s(db, std::string("SELECT ") + kCols + " FROM notify_channels ORDER BY scope_type, scope_id");
  std::vector<ChannelConfig> out;
  while (s.step()) out.push_back(read(s));
  return out;
}

nlohmann::json channel_config_json(const ChannelConfig& c) {
  return {{"scope_type", c.scope_type},
          {"scope_id", c.scope_id},
          {"dingtalk_webhook", c.dingtalk_webhook},
          {"dingtalk_signed", !c.dingtalk_secret.empty()},
          {"wecom_webhook", c.wecom_webhook},
          {"email", c.email},
          {"mobile", c.mobile},
          {"updated_at", to_iso_instant(c.updated_at)},
          {"updated_by", c.updated_by}};
}

Result<ChannelConfig> channel_config_from_json(const nlohmann::json& body, ChannelConfig base) {
  if (!body.is_object())
    return Result<ChannelConfig>::failure({problem("", "invalid_json", "请求体必须是 JSON 对象", "body must be a JSON object")});
  Problems p;
  auto take = [&](const char* key, std::string& into) {
    if (!body.contains(key)) return;
    if (!body[key].is_string()) {
      p.push_back(problem(key, "invalid_type", "必须是字符串", "must be a string"));
      return;
    }
    into = body[key].get<std::string>();
  };
  take("dingtalk_webhook", base.dingtalk_webhook);
  take("dingtalk_secret", base.dingtalk_secret);
  take("wecom_webhook", base.wecom_webhook);
  take("email", base.email);
  take("mobile", base.mobile);
  if (!p.empty()) return Result<ChannelConfig>::failure(p);
  auto v = validate_channel_config(base);
  if (!v.empty()) return Result<ChannelConfig>::failure(v);
  return Result<ChannelConfig>::success(base);
}

}  // namespace cl::server

#include "server/share_links.h"

#include <sodium.h>

#include "core/time.h"
#include "server/extras_sqlite.h"

namespace cl::server {

using xsql::Stmt;

namespace {

std::string token_sha256(const std::string& token) {
  unsigned char d[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(d, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, d, sizeof d);
  return hex;
}

std::string random_b64url(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), buf.data(), buf.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string out(bytes * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), buf.data(), buf.size());
  out.pop_back();
  return out;
}

constexpr const char* kCols = "id, created_by, team_id, region, label, created_at, expires_at, revoked_at, last_used_at";

ShareLink read(const Stmt& s) {
  ShareLink l;
  l.id = s.text(0);
  l.created_by = s.text(1);
  l.team_id = s.text(2);
  l.region = s.text(3);
  l.label = s.text(4);
  l.created_at = s.i64(5);
  l.expires_at = s.i64(6);
  l.revoked_at = s.opt_i64(7);
  l.last_used_at = s.opt_i64(8);
  return l;
}

Problem p(const char* field, const char* code, const char* zh, const char* en) { return Problem{code, field, zh, en}; }

}  // namespace

Problems validate_share_request(const ShareLinkRequest& req, const User& creator, const std::vector<Team>& teams,
                                Instant now) {
  Problems out;
  if (creator.role == Role::Rep) {
    out.push_back(p("", "forbidden", "只有主管或管理员可以创建分享链接", "only managers and admins may share"));
    return out;
  }
  if (req.team_id.empty() == req.region.empty()) {
    out.push_back(p("team_id", "invalid_scope", "请选择一个团队或一个区域（二选一）", "choose exactly one of team_id or region"));
    return out;
  }
  const Team* own = nullptr;
  bool team_exists = false, region_exists = false;
  for (const auto& t : teams) {
    if (t.id == creator.team_id) own = &t;
    if (t.id == req.team_id) team_exists = true;
    if (!req.region.empty() && t.region == req.region) region_exists = true;
  }
  if (!req.team_id.empty() && !team_exists)
    out.push_back(p("team_id", "not_found", "团队不存在", "team not found"));
  if (!req.region.empty() && !region_exists)
    out.push_back(p("region", "not_found", "区域不存在", "region not found"));
  if (creator.role == Role::Manager) {
    bool allowed = own && ((!req.team_id.empty() && req.team_id == own->id) ||
                           (!req.region.empty() && req.region == own->region));
    if (!allowed)
      out.push_back(p(req.team_id.empty() ? "region" : "team_id", "out_of_scope", "只能分享自己团队或所在区域的视图",
                      "a manager may only share their own team or region"));
  }
  Instant expires = req.expires_at ? req.expires_at : now + kShareDefaultTtl;
  if (expires <= now) out.push_back(p("expires_at", "in_the_past", "到期时间必须晚于现在", "expiry must be in the future"));
  if (expires > now + kShareMaxTtl)
    out.push_back(p("expires_at", "too_far", "分享链接最长有效 90 天", "a share link lasts at most 90 days"));
  if (req.label.size() > 200) out.push_back(p("label", "too_long", "备注过长", "label is too long"));
  return out;
}

Result<CreatedShareLink> share_link_create(sqlite3* db, const ShareLinkRequest& req, const User& creator,
                                           const std::vector<Team>& teams, Instant now) {
  auto problems = validate_share_request(req, creator, teams, now);
  if (!problems.empty()) return Result<CreatedShareLink>::failure(problems);
  CreatedShareLink out;
  out.token = random_b64url(32);
  out.link.id = "share-" + random_hex(8);
  out.link.created_by = creator.id;
  out.link.team_id = req.team_id;
  out.link.region = req.region;
  out.link.label = req.label;
  out.link.created_at = now;
  out.link.expires_at = req.expires_at ? req.expires_at : now + kShareDefaultTtl;
  Stmt s(db, "INSERT INTO share_links(id, token_hash, created_by, team_id, region, label, created_at, expires_at) "
             "VALUES(?,?,?,?,?,?,?,?)");
  s.bind(1, out.link.id).bind(2, token_sha256(out.token)).bind(3, creator.id).bind(4, req.team_id);
  s.bind(5, req.region).bind(6, req.label).bind(7, now).bind(8, out.link.expires_at);
  s.run();
  return Result<CreatedShareLink>::success(std::move(out));
}

std::vector<ShareLink> share_link_list(sqlite3* db, const User& caller) {
  Stmt s(db, std::string("SELECT ") + kCols + " FROM share_links WHERE (?1 = 1 OR created_by = ?2) ORDER BY created_at DESC, id");
  s.bind(1, caller.role == Role::Admin ? 1 : 0).bind(2, caller.id);
  std::vector<ShareLink> out;
  while (s.step()) out.push_back(read(s));
  return out;
}

RevokeResult share_link_revoke(sqlite3* db, const std::string& id, const User& caller, Instant now) {
  Stmt s(db, "SELECT created_by, revoked_at FROM share_links WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return RevokeResult::NotFound;
  if (caller.role != Role::Admin && s.text(0) != caller.id) return RevokeResult::NotFound;
  if (!s.is_null(1)) return RevokeResult::AlreadyRevoked;
  Stmt u(db, "UPDATE share_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  u.bind(1, now).bind(2, id).run();
  return RevokeResult::Revoked;
}

ResolvedShare share_link_resolve(sqlite3* db, const std::string& token, Instant now) {
  ResolvedShare r;
  if (token.empty() || token.size() > 100) return r;
  Stmt s(db, std::string("SELECT ") + kCols + " FROM share_links WHERE token_hash = ?");
  s.bind(1, token_sha256(token));
  if (!s.step()) return r;
  r.link = read(s);
  if (r.link.revoked_at) r.status = ShareLookup::Revoked;
  else if (r.link.expires_at <= now) r.status = ShareLookup::Expired;
  else r.status = ShareLookup::Ok;
  if (r.status == ShareLookup::Ok) {
    Stmt u(db, "UPDATE share_links SET last_used_at = ? WHERE id = ?");
    u.bind(1, now).bind(2, r.link.id).run();
  }
  return r;
}

nlohmann::json share_link_json(const ShareLink& l, Instant now) {
  const char* state = l.revoked_at ? "revoked" : (l.expires_at <= now ? "expired" : "active");
  return {{"id", l.id},
          {"team_id", l.team_id.empty() ? nlohmann::json() : nlohmann::json(l.team_id)},
          {"region", l.region.empty() ? nlohmann::json() : nlohmann::json(l.region)},
          {"label", l.label},
          {"created_by", l.created_by},
          {"created_at", to_iso_instant(l.created_at)},
          {"expires_at", to_iso_instant(l.expires_at)},
          {"revoked_at", l.revoked_at ? nlohmann::json(to_iso_instant(*l.revoked_at)) : nlohmann::json()},
          {"last_used_at", l.last_used_at ? nlohmann::json(to_iso_instant(*l.last_used_at)) : nlohmann::json()},
          {"state", state}};
}

std::string mask_phone(const std::string& phone) {
  std::string digits;
  for (char c : phone)
    if (c >= '0' && c <= '9') digits += c;
  if (digits.size() >= 11) return digits.substr(0, 3) + "****" + digits.substr(digits.size() - 4);
  if (digits.size() <= 2) return std::string(digits.size(), '*');
  return std::string(digits.size() - 2, '*') + digits.substr(digits.size() - 2);
}

}  // namespace cl::server

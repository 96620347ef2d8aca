#include "server/auth.h"

#include <sodium.h>

#include "server/http_json.h"
#include "server/store.h"

namespace cl::server {

std::string role_name(Role role) {
  switch (role) {
    case Role::Rep: return "rep";
    case Role::Manager: return "manager";
    case Role::Admin: return "admin";
  }
  return "rep";
}

std::optional<Role> parse_role(const std::string& name) {
  if (name == "rep") return Role::Rep;
  if (name == "manager") return Role::Manager;
  if (name == "admin") return Role::Admin;
  return std::nullopt;
}

std::string hash_password(const std::string& password, const Config& config) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), config.pwhash_opslimit, config.pwhash_memlimit) != 0)
    throw std::runtime_error("argon2id hashing failed (out of memory?)");
  return out;
}

bool verify_password(const std::string& hash, const std::string& password) {
  if (hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string new_token() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string token_hash(const std::string& token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::optional<User> require_user(const httplib::Request& req, httplib::Response& res, ServerContext& ctx) {
  const std::string header = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) {
    res.set_header("WWW-Authenticate", "Bearer");
    write_error(res, 401, "unauthenticated", "missing bearer token");
    return std::nullopt;
  }
  const std::string token = header.substr(prefix.size());
  const Instant now = ctx.now();
  // One message for every reason, so a probe learns nothing about which tokens once existed.
  auto refuse = [&] {
    res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    write_error(res, 401, "invalid_token", "token is invalid, expired or revoked; log in again");
    return std::nullopt;
  };
  if (token.size() > 128) return refuse();
  // Looked up on every request, never cached: a logout, a revocation or an expiry applies to the very
  // next request.
  auto user = ctx.store.find_session_user(token_hash(token), now);
  if (!user || !user->user.active) return refuse();
  return user->user;
}

std::optional<User> require_role(const httplib::Request& req, httplib::Response& res, ServerContext& ctx,
                                 std::initializer_list<Role> roles) {
  auto user = require_user(req, res, ctx);
  if (!user) return std::nullopt;
  for (Role r : roles)
    if (user->role == r) return user;
  write_error(res, 403, "forbidden", "your role may not do this");
  return std::nullopt;
}

}  // namespace cl::server

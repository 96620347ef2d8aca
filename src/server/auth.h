// R33: who is calling and what they may see. Every endpoint starts with require_user and checks
// every record it reads or writes with in_scope — the server never trusts the client's filter.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>

#include "core/model.h"
#include "server/context.h"
#include "server/scope.h"

namespace cl::server {

// The authenticated caller (Authorization: Bearer <token>), or nullopt after writing 401 JSON
// (missing/unknown/expired/revoked token, deactivated user).
std::optional<User> require_user(const httplib::Request& req, httplib::Response& res, ServerContext& ctx);
// Same, and 403 unless the caller has one of the roles.
std::optional<User> require_role(const httplib::Request& req, httplib::Response& res, ServerContext& ctx,
                                 std::initializer_list<Role> roles);

// Password hashing (argon2id via libsodium) with the cost from Config.
std::string hash_password(const std::string& password, const Config& config);
bool verify_password(const std::string& hash, const std::string& password);

// Token helpers: a random 32-byte token (base64url) and its SHA-256 (hex) as stored.
std::string new_token();
std::string token_hash(const std::string& token);

std::string role_name(Role role);                   // "rep" | "manager" | "admin"
std::optional<Role> parse_role(const std::string& name);

}  // namespace cl::server

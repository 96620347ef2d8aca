// R27: share links — who may create them, tokens stored hashed, expiry and revocation.
#include <doctest/doctest.h>

#include "extras_receivers.h"
#include "server/extras_sqlite.h"
#include "server/share_links.h"

using namespace cl;
using namespace cl::server;

namespace {
const Instant kNow = 1'795'000'000'000;
const std::vector<Team> kTeams = {{"t1", "杭州一组", "杭州", "m1"}, {"t2", "宁波二组", "宁波", "m2"}};
const User kManager{"m1", "manager1", "张经理", Role::Manager, "t1"};
const User kOther{"m2", "manager2", "李经理", Role::Manager, "t2"};
const User kAdmin{"a", "admin", "管理员", Role::Admin, ""};
const User kRep{"r1", "rep1", "王伟", Role::Rep, "t1"};
}  // namespace

TEST_CASE("a manager shares their own team or region; not another team's, and a rep shares nothing") {
  CHECK(validate_share_request({"t1", "", "", 0}, kManager, kTeams, kNow).empty());
  CHECK(validate_share_request({"", "杭州", "", 0}, kManager, kTeams, kNow).empty());
  CHECK(validate_share_request({"t2", "", "", 0}, kManager, kTeams, kNow).at(0).code == "out_of_scope");
  CHECK(validate_share_request({"", "宁波", "", 0}, kManager, kTeams, kNow).at(0).code == "out_of_scope");
  CHECK(validate_share_request({"t1", "", "", 0}, kRep, kTeams, kNow).at(0).code == "forbidden");
  CHECK(validate_share_request({"t2", "", "", 0}, kAdmin, kTeams, kNow).empty());
  CHECK(validate_share_request({"t1", "杭州", "", 0}, kAdmin, kTeams, kNow).at(0).code == "invalid_scope");
  CHECK(validate_share_request({"t9", "", "", 0}, kAdmin, kTeams, kNow).at(0).code == "not_found");
  CHECK(validate_share_request({"t1", "", "", kNow - 1}, kManager, kTeams, kNow).at(0).code == "in_the_past");
  CHECK(validate_share_request({"t1", "", "", kNow + 91 * kDay}, kManager, kTeams, kNow).at(0).code == "too_far");
}

TEST_CASE("a share token is stored only as its hash and resolves until it expires or is revoked") {
  test::TestDb db;
  auto created = share_link_create(db.db, {"t1", "", "给老板看", kNow + kDay}, kManager, kTeams, kNow);
  REQUIRE(created.ok());
  const auto& token = created.value.token;
  CHECK(token.size() == 43);  // 32 random bytes, base64url
  xsql::Stmt s(db.db, "SELECT token_hash FROM share_links");
  REQUIRE(s.step());
  CHECK(s.text(0) != token);
  CHECK(s.text(0).size() == 64);
  CHECK(share_link_resolve(db.db, token, kNow + 1).status == ShareLookup::Ok);
  CHECK(share_link_resolve(db.db, token + "x", kNow + 1).status == ShareLookup::Unknown);
  CHECK(share_link_resolve(db.db, token, kNow + kDay).status == ShareLookup::Expired);
  // Someone else cannot revoke it, or even learn that it exists.
  CHECK(share_link_revoke(db.db, created.value.link.id, kOther, kNow) == RevokeResult::NotFound);
  CHECK(share_link_revoke(db.db, created.value.link.id, kManager, kNow + 2) == RevokeResult::Revoked);
  CHECK(share_link_revoke(db.db, created.value.link.id, kManager, kNow + 3) == RevokeResult::AlreadyRevoked);
  CHECK(share_link_resolve(db.db, token, kNow + 5).status == ShareLookup::Revoked);
}

TEST_CASE("a manager lists only the links they created; an admin lists all") {
  test::TestDb db;
  REQUIRE(share_link_create(db.db, {"t1", "", "", 0}, kManager, kTeams, kNow).ok());
  REQUIRE(share_link_create(db.db, {"t2", "", "", 0}, kOther, kTeams, kNow).ok());
  CHECK(share_link_list(db.db, kManager).size() == 1);
  CHECK(share_link_list(db.db, kManager)[0].team_id == "t1");
  CHECK(share_link_list(db.db, kAdmin).size() == 2);
  auto j = share_link_json(share_link_list(db.db, kManager)[0], kNow);
  CHECK(j["state"] == "active");
  CHECK(j.dump().find("token") == std::string::npos);
}

TEST_CASE("phones are masked as 138****5678") {
  CHECK(mask_phone("13812345678") == "138****5678");
  CHECK(mask_phone("+86 138-1234-5678") == "861****5678");
  CHECK(mask_phone("88886666") == "******66");
  CHECK(mask_phone("") == "");
}

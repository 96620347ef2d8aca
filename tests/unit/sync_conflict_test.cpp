// The per-field conflict rule (sync/conflict_rule.h, docs/SYNC_PROTOCOL.md): ordinary fields are
// last-writer-wins per field; stage, money and owner changes made on a stale base surface as conflicts.
#include <doctest/doctest.h>

#include "sync/conflict_rule.h"
#include "sync_fixtures.h"

using namespace cl;
using namespace cl::sync;
using namespace cl::sync::testing;

TEST_CASE("stage, amounts and owner are guarded; names and phones are not") {
  CHECK(is_guarded_field("opportunity", "stage"));
  CHECK(is_guarded_field("opportunity", "expected_amount_fen"));
  CHECK(is_guarded_field("customer", "owner_id"));
  CHECK(is_guarded_field("quote", "total_fen"));
  CHECK_FALSE(is_guarded_field("customer", "phone"));
  CHECK_FALSE(is_guarded_field("opportunity", "title"));
}

TEST_CASE("a guarded field keeps the server value only when the server moved and the field changed") {
  const Json server = 200, client = 300, base_same = 200, base_old = 100;
  CHECK(decide_field("opportunity", "expected_amount_fen", 5, 5, nullptr, server, client) == FieldDecision::Apply);
  CHECK(decide_field("opportunity", "expected_amount_fen", 6, 5, nullptr, server, client) == FieldDecision::KeepServer);
  CHECK(decide_field("opportunity", "expected_amount_fen", 6, 5, &base_same, server, client) == FieldDecision::Apply);
  CHECK(decide_field("opportunity", "expected_amount_fen", 6, 5, &base_old, server, client) == FieldDecision::KeepServer);
  CHECK(decide_field("opportunity", "expected_amount_fen", 6, 5, &base_old, server, server) == FieldDecision::Apply);
  CHECK(decide_field("customer", "phone", 9, 1, &base_old, server, client) == FieldDecision::Apply);
}

namespace {

World world_with_opportunity() {
  World w;
  REQUIRE(w.apply(mutation(1, kCustomerCreate, {{"customer", customer_json("c1", "D1-0001")}}), rep1()).ok());
  REQUIRE(w.apply(mutation(2, kOpportunityCreate,
                           {{"opportunity", {{"id", "o1"}, {"customer_id", "c1"}, {"title", "t"}, {"expected_amount_fen", 100000}}}}),
                  rep1())
              .ok());
  return w;
}

}  // namespace

TEST_CASE("two offline edits of different ordinary fields both survive (per-field LWW)") {
  World w;
  REQUIRE(w.apply(mutation(1, kCustomerCreate, {{"customer", customer_json("c1", "D1-0001")}}), rep1()).ok());
  REQUIRE(w.apply(mutation(2, kCustomerUpdate, {{"id", "c1"}, {"set", {{"address", "西湖区"}}}}, 1), rep1()).ok());
  auto r = w.apply(mutation(3, kCustomerUpdate, {{"id", "c1"}, {"set", {{"phone", "13911112222"}}}}, 1), manager1());
  REQUIRE(r.ok());
  CHECK(r.value.conflicts.empty());
  CHECK(w.get(kTypeCustomer, "c1").data["address"] == "西湖区");
  CHECK(w.get(kTypeCustomer, "c1").data["phone"] == "13911112222");
}

TEST_CASE("the later arrival wins an ordinary field even from an older base") {
  World w;
  REQUIRE(w.apply(mutation(1, kCustomerCreate, {{"customer", customer_json("c1", "D1-0001")}}), rep1()).ok());
  REQUIRE(w.apply(mutation(2, kCustomerUpdate, {{"id", "c1"}, {"set", {{"address", "A"}}}}, 1), rep1()).ok());
  REQUIRE(w.apply(mutation(3, kCustomerUpdate, {{"id", "c1"}, {"set", {{"address", "B"}}}}, 1), manager1()).ok());
  CHECK(w.get(kTypeCustomer, "c1").data["address"] == "B");
}

TEST_CASE("two reps advancing the same opportunity: the second sees a stage conflict, nothing overwritten") {
  World w = world_with_opportunity();
  auto first = w.apply(mutation(3, kOpportunityAdvance, {{"id", "o1"}, {"from_stage", 0}, {"evidence", evidence('a')}}, 1), rep1());
  REQUIRE(first.ok());
  // The manager worked offline from version 1 (stage 0) and tried to move back with a reason.
  auto second = w.apply(mutation(4, kOpportunityMoveBack, {{"id", "o1"}, {"from_stage", 0}, {"to_stage", 0}, {"reason", "x"}}, 1), manager1());
  REQUIRE(second.ok());
  CHECK(second.value.writes.empty());
  REQUIRE(second.value.conflicts.size() == 1);
  CHECK(second.value.conflicts[0].field == "stage");
  CHECK(second.value.conflicts[0].server_value == 1);
  CHECK(second.value.conflicts[0].resolution == "server_kept");
  auto third = w.apply(mutation(5, kOpportunityAdvance, {{"id", "o1"}, {"from_stage", 0}, {"evidence", evidence('b')}}, 1), manager1());
  REQUIRE(third.ok());
  CHECK(third.value.conflicts.at(0).client_value == 1);
  CHECK(w.get(kTypeOpportunity, "o1").data["stages"].size() == 2);
}

TEST_CASE("an amount changed on a stale base is kept by the server while the title still applies") {
  World w = world_with_opportunity();
  REQUIRE(w.apply(mutation(3, kOpportunityUpdate, {{"id", "o1"}, {"set", {{"expected_amount_fen", 200000}}}, {"base", {{"expected_amount_fen", 100000}}}}, 1), rep1()).ok());
  auto stale = w.apply(mutation(4, kOpportunityUpdate,
                                {{"id", "o1"}, {"set", {{"expected_amount_fen", 300000}, {"title", "新标题"}}}, {"base", {{"expected_amount_fen", 100000}}}}, 1),
                       manager1());
  REQUIRE(stale.ok());
  REQUIRE(stale.value.conflicts.size() == 1);
  CHECK(stale.value.conflicts[0].field == "expected_amount_fen");
  CHECK(stale.value.conflicts[0].server_value == 200000);
  CHECK(stale.value.conflicts[0].client_value == 300000);
  const auto& o = w.get(kTypeOpportunity, "o1");
  CHECK(o.data["expected_amount_fen"] == 200000);
  CHECK(o.data["title"] == "新标题");
}

TEST_CASE("an amount change on a base where the amount had not moved applies despite a newer version") {
  World w = world_with_opportunity();
  REQUIRE(w.apply(mutation(3, kOpportunityUpdate, {{"id", "o1"}, {"set", {{"title", "x"}}}}, 1), rep1()).ok());
  auto r = w.apply(mutation(4, kOpportunityUpdate, {{"id", "o1"}, {"set", {{"expected_amount_fen", 5}}}, {"base", {{"expected_amount_fen", 100000}}}}, 1), rep1());
  REQUIRE(r.ok());
  CHECK(r.value.conflicts.empty());
  CHECK(w.get(kTypeOpportunity, "o1").data["expected_amount_fen"] == 5);
}

TEST_CASE("closing an opportunity someone else closed differently is a status conflict") {
  World w = world_with_opportunity();
  REQUIRE(w.apply(mutation(3, kOpportunityClose, {{"id", "o1"}, {"outcome", "lost"}, {"reason", "预算取消"}}, 1), rep1()).ok());
  auto r = w.apply(mutation(4, kOpportunityClose, {{"id", "o1"}, {"outcome", "won"}, {"reason", "r"}, {"evidence", evidence('a', 0)}}, 1), manager1());
  REQUIRE(r.ok());
  CHECK(r.value.conflicts.at(0).field == "status");
  CHECK(w.get(kTypeOpportunity, "o1").data["status"] == "lost");
}

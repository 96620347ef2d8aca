// apply_mutation (sync/mutations.h): the same core rules on the browser and the server, with the
// caller's scope (R33) — every rejection writes nothing.
#include <doctest/doctest.h>

#include "sync_fixtures.h"

using namespace cl;
using namespace cl::sync;
using namespace cl::sync::testing;

namespace {

void add_opportunity(World& w, const Actor& owner, const std::string& id = "o1", std::int64_t amount = 100000) {
  auto r = w.apply(mutation(2, kOpportunityCreate,
                            {{"opportunity", {{"id", id}, {"customer_id", "c1"}, {"title", "骨科耗材采购"},
                                              {"expected_amount_fen", amount}}}}),
                   owner);
  REQUIRE(r.ok());
}

}  // namespace

TEST_CASE("creating a customer with every required field writes version 1 owned by the rep") {
  World w = world_with_customer_of(rep1());
  const auto& c = w.get(kTypeCustomer, "c1");
  CHECK(c.version == 1);
  CHECK(c.owner_id == "rep1");
  CHECK(c.data["code"] == "D1-0001");
  CHECK(c.data["created_at"] == kNow);
}

TEST_CASE("a customer missing required fields and tags is refused naming each one (R4)") {
  World w;
  Json c = customer_json("c1", "D1-0001");
  c["phone"] = "";
  c["tags"].erase("region");
  auto r = w.apply(mutation(1, kCustomerCreate, {{"customer", c}}), rep1());
  REQUIRE_FALSE(r.ok());
  bool phone = false, region = false;
  for (const auto& p : r.problems) {
    phone |= p.field == "phone" && p.code == "required_field_missing";
    region |= p.field == "tags.region";
  }
  CHECK(phone);
  CHECK(region);
  CHECK_FALSE(w.has(kTypeCustomer, "c1"));
}

TEST_CASE("a customer code already used by another customer is refused (R5)") {
  World w = world_with_customer_of(rep1());
  auto r = w.apply(mutation(2, kCustomerCreate, {{"customer", customer_json("c2", "D1-0001")}}), rep1());
  REQUIRE_FALSE(r.ok());
  CHECK(has_code(r.problems, "duplicate_code"));
}

TEST_CASE("creating a record whose id exists is refused rather than overwriting it") {
  World w = world_with_customer_of(rep1());
  auto r = w.apply(mutation(2, kCustomerCreate, {{"customer", customer_json("c1", "D1-0002")}}), rep1());
  REQUIRE_FALSE(r.ok());
  CHECK(has_code(r.problems, "record_exists"));
  CHECK(w.get(kTypeCustomer, "c1").data["code"] == "D1-0001");
}

TEST_CASE("a rep cannot create a record for another owner, a manager can within the team (R33)") {
  World w;
  auto by_rep = w.apply(mutation(1, kCustomerCreate, {{"customer", customer_json("c1", "A", "rep2")}}), rep1());
  CHECK(has_code(by_rep.problems, "forbidden"));
  auto by_mgr = w.apply(mutation(2, kCustomerCreate, {{"customer", customer_json("c2", "B", "rep2")}}), manager1());
  CHECK(by_mgr.ok());
  auto other_team = w.apply(mutation(3, kCustomerCreate, {{"customer", customer_json("c3", "C", "rep8")}}), manager1());
  CHECK(has_code(other_team.problems, "forbidden"));
}

TEST_CASE("another rep's customer reads as not found, never as forbidden (R33)") {
  World w = world_with_customer_of(rep8());
  auto r = w.apply(mutation(2, kCustomerUpdate, {{"id", "c1"}, {"set", {{"phone", "13900000000"}}}}, 1), rep1());
  REQUIRE_FALSE(r.ok());
  CHECK(has_code(r.problems, "not_found"));
  auto missing = w.apply(mutation(3, kCustomerUpdate, {{"id", "nope"}, {"set", {{"phone", "1"}}}}, 1), rep1());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.problems.at(0).code == r.problems.at(0).code);
  CHECK(missing.problems.at(0).field == r.problems.at(0).field);
  CHECK(w.apply(mutation(4, kCustomerUpdate, {{"id", "c1"}, {"set", {{"phone", "13900000000"}}}}, 1), manager1())
            .problems[0].code == "not_found");
  CHECK(w.apply(mutation(5, kCustomerUpdate, {{"id", "c1"}, {"set", {{"phone", "13900000000"}}}}, 1), admin()).ok());
}

TEST_CASE("updating a customer changes only the fields sent and bumps the version") {
  World w = world_with_customer_of(rep1());
  auto r = w.apply(mutation(2, kCustomerUpdate, {{"id", "c1"}, {"set", {{"address", "杭州市西湖区"}}}}, 1), rep1());
  REQUIRE(r.ok());
  const auto& c = w.get(kTypeCustomer, "c1");
  CHECK(c.version == 2);
  CHECK(c.data["address"] == "杭州市西湖区");
  CHECK(c.data["phone"] == "13800000000");
}

TEST_CASE("an update may not blank a required field nor set an unknown field") {
  World w = world_with_customer_of(rep1());
  auto blank = w.apply(mutation(2, kCustomerUpdate, {{"id", "c1"}, {"set", {{"phone", " "}}}}, 1), rep1());
  CHECK(has_code(blank.problems, "required_field_missing"));
  auto unknown = w.apply(mutation(3, kCustomerUpdate, {{"id", "c1"}, {"set", {{"version", 99}}}}, 1), rep1());
  CHECK(has_code(unknown.problems, "invalid_args"));
  CHECK(w.get(kTypeCustomer, "c1").version == 1);
}

TEST_CASE("a rep cannot reassign a customer; a manager reassigns within the team and history records it") {
  World w = world_with_customer_of(rep1());
  auto by_rep = w.apply(mutation(2, kCustomerUpdate, {{"id", "c1"}, {"set", {{"owner_id", "rep2"}}}}, 1), rep1());
  CHECK(has_code(by_rep.problems, "forbidden"));
  auto outside = w.apply(mutation(3, kCustomerUpdate, {{"id", "c1"}, {"set", {{"owner_id", "rep8"}}}}, 1), manager1());
  CHECK(has_code(outside.problems, "forbidden"));
  auto ok = w.apply(mutation(4, kCustomerUpdate, {{"id", "c1"}, {"set", {{"owner_id", "rep2"}}}}, 1), manager1());
  REQUIRE(ok.ok());
  const auto& c = w.get(kTypeCustomer, "c1");
  CHECK(c.owner_id == "rep2");
  REQUIRE(c.data["owner_history"].size() == 1);
  CHECK(c.data["owner_history"][0]["from_owner"] == "rep1");
}

TEST_CASE("a new opportunity starts in stage one whatever the client sent (R9)") {
  World w = world_with_customer_of(rep1());
  auto r = w.apply(mutation(2, kOpportunityCreate,
                            {{"opportunity", {{"id", "o1"}, {"customer_id", "c1"}, {"title", "t"},
                                              {"stages", Json::array({{{"stage", 3}}})}, {"status", "won"}}}}),
                   rep1());
  REQUIRE(r.ok());
  const auto& o = w.get(kTypeOpportunity, "o1");
  REQUIRE(o.data["stages"].size() == 1);
  CHECK(o.data["stages"][0]["stage"] == 0);
  CHECK(o.data["status"] == "open");
}

TEST_CASE("an opportunity for a customer outside the scope is refused") {
  World w = world_with_customer_of(rep8());
  auto r = w.apply(mutation(2, kOpportunityCreate, {{"opportunity", {{"id", "o1"}, {"customer_id", "c1"}, {"title", "t"}}}}), rep1());
  CHECK(has_code(r.problems, "not_found"));
}

TEST_CASE("advancing a stage without evidence is refused, with evidence it moves one stage (R10)") {
  World w = world_with_customer_of(rep1());
  add_opportunity(w, rep1());
  auto none = w.apply(mutation(3, kOpportunityAdvance, {{"id", "o1"}, {"from_stage", 0}, {"evidence", Json::array()}}, 1), rep1());
  CHECK(has_code(none.problems, "evidence_required"));
  auto bad_hash = w.apply(mutation(4, kOpportunityAdvance,
                                   {{"id", "o1"}, {"from_stage", 0}, {"evidence", {{{"sha256", "xyz"}, {"kind", "k"}}}}}, 1),
                          rep1());
  CHECK_FALSE(bad_hash.ok());
  auto ok = w.apply(mutation(5, kOpportunityAdvance, {{"id", "o1"}, {"from_stage", 0}, {"evidence", evidence()}}, 1), rep1());
  REQUIRE(ok.ok());
  const auto& o = w.get(kTypeOpportunity, "o1");
  REQUIRE(o.data["stages"].size() == 2);
  CHECK(o.data["stages"][1]["stage"] == 1);
  CHECK(o.data["stages"][0]["evidence"][0]["sha256"] == sha('a'));
  CHECK(o.data["stages"][0]["evidence"][0]["uploaded_by"] == "rep1");
  CHECK(o.version == 2);
}

TEST_CASE("each stage needs its own kind of evidence, and completing the last stage wins (R10)") {
  World w = world_with_customer_of(rep1());
  add_opportunity(w, rep1());
  auto wrong_kind = w.apply(mutation(9, kOpportunityAdvance, {{"id", "o1"}, {"from_stage", 0}, {"evidence", evidence('b', 3)}}, 1), rep1());
  CHECK(has_code(wrong_kind.problems, "evidence_required"));
  for (int s = 0; s < 4; ++s)
    REQUIRE(w.apply(mutation(10 + s, kOpportunityAdvance, {{"id", "o1"}, {"from_stage", s}, {"evidence", evidence('a', s)}}, 1 + s), rep1()).ok());
  CHECK(w.get(kTypeOpportunity, "o1").data["status"] == "open");
  auto last = w.apply(mutation(20, kOpportunityAdvance, {{"id", "o1"}, {"from_stage", 4}, {"evidence", evidence('a', 4)}}, 5), rep1());
  REQUIRE(last.ok());
  CHECK(w.get(kTypeOpportunity, "o1").data["status"] == "won");
  auto after = w.apply(mutation(21, kOpportunityAdvance, {{"id", "o1"}, {"from_stage", 4}, {"evidence", evidence('a', 4)}}, 6), rep1());
  CHECK(has_code(after.problems, "opportunity_closed"));
}

TEST_CASE("moving back needs a reason and an earlier stage (R10)") {
  World w = world_with_customer_of(rep1());
  add_opportunity(w, rep1());
  REQUIRE(w.apply(mutation(3, kOpportunityAdvance, {{"id", "o1"}, {"from_stage", 0}, {"evidence", evidence()}}, 1), rep1()).ok());
  CHECK(has_code(w.apply(mutation(4, kOpportunityMoveBack, {{"id", "o1"}, {"from_stage", 1}, {"to_stage", 0}, {"reason", ""}}, 2), rep1()).problems,
                 "reason_required"));
  CHECK(has_code(w.apply(mutation(5, kOpportunityMoveBack, {{"id", "o1"}, {"from_stage", 1}, {"to_stage", 1}, {"reason", "x"}}, 2), rep1()).problems,
                 "invalid_target_stage"));
  auto ok = w.apply(mutation(6, kOpportunityMoveBack, {{"id", "o1"}, {"from_stage", 1}, {"to_stage", 0}, {"reason", "客户预算调整"}}, 2), rep1());
  REQUIRE(ok.ok());
  const auto& o = w.get(kTypeOpportunity, "o1");
  CHECK(o.data["stages"].back()["stage"] == 0);
  CHECK(o.data["stages"].back()["reason"] == "客户预算调整");
}

TEST_CASE("closing lost needs a reason, and a closed opportunity cannot advance") {
  World w = world_with_customer_of(rep1());
  add_opportunity(w, rep1());
  CHECK(has_code(w.apply(mutation(3, kOpportunityClose, {{"id", "o1"}, {"outcome", "lost"}}, 1), rep1()).problems, "reason_required"));
  CHECK(has_code(w.apply(mutation(4, kOpportunityClose, {{"id", "o1"}, {"outcome", "maybe"}}, 1), rep1()).problems, "invalid_args"));
  REQUIRE(w.apply(mutation(5, kOpportunityClose, {{"id", "o1"}, {"outcome", "lost"}, {"reason", "价格"}}, 1), rep1()).ok());
  CHECK(w.get(kTypeOpportunity, "o1").data["status"] == "lost");
  CHECK(has_code(w.apply(mutation(6, kOpportunityAdvance, {{"id", "o1"}, {"from_stage", 0}, {"evidence", evidence()}}, 2), rep1()).problems,
                 "opportunity_closed"));
}

TEST_CASE("an activity is logged against a customer in scope, and deleting it leaves a tombstone") {
  World w = world_with_customer_of(rep1());
  auto r = w.apply(mutation(2, kActivityLog, {{"activity", {{"id", "a1"}, {"kind", "visit"}, {"customer_id", "c1"}, {"summary", "拜访采购科"}}}}), rep1());
  REQUIRE(r.ok());
  CHECK(w.get(kTypeActivity, "a1").owner_id == "rep1");
  CHECK(w.get(kTypeActivity, "a1").data["at"] == kNow - 1000);  // when the rep acted, offline
  auto del = w.apply(mutation(3, kActivityDelete, {{"id", "a1"}}, 1), rep1());
  REQUIRE(del.ok());
  CHECK(w.get(kTypeActivity, "a1").deleted);
  CHECK(w.get(kTypeActivity, "a1").version == 2);
  CHECK(has_code(w.apply(mutation(4, kActivityDelete, {{"id", "a1"}}, 2), rep1()).problems, "not_found"));
}

TEST_CASE("an activity must belong to something the rep may see and not lie in the future") {
  World w = world_with_customer_of(rep8());
  CHECK(has_code(w.apply(mutation(2, kActivityLog, {{"activity", {{"id", "a1"}, {"kind", "call"}, {"customer_id", "c1"}}}}), rep1()).problems, "not_found"));
  CHECK(has_code(w.apply(mutation(3, kActivityLog, {{"activity", {{"id", "a2"}, {"kind", "call"}}}}), rep1()).problems, "required_field_missing"));
  CHECK(has_code(w.apply(mutation(4, kActivityLog, {{"activity", {{"id", "a3"}, {"kind", "call"}, {"customer_id", "c1"}, {"at", kNow + kDay}}}}), rep8()).problems,
                 "out_of_range"));
  CHECK(has_code(w.apply(mutation(5, kActivityLog, {{"activity", {{"id", "a4"}, {"kind", "dance"}, {"customer_id", "c1"}}}}), rep8()).problems, "invalid_enum"));
}

TEST_CASE("unknown mutations and non-object args are refused") {
  World w;
  CHECK(has_code(w.apply(mutation(1, "customer.explode", Json::object()), rep1()).problems, "unknown_mutation"));
  CHECK(has_code(w.apply(mutation(2, kCustomerCreate, Json::array()), rep1()).problems, "invalid_args"));
  CHECK(has_code(w.apply(mutation(3, kCustomerUpdate, {{"id", 5}, {"set", {{"phone", 1}}}}), rep1()).problems, "not_found"));
  CHECK(mutation_names().size() == 16);
}

namespace {

void seed_lead(World& w, const std::string& owner) {
  Lead l;
  l.meta.id = "l1";
  l.meta.owner_id = owner;
  l.meta.version = 1;
  l.company = "宁波某诊所";
  l.contact_name = "李娜";
  l.phone = "13700000000";
  l.region = "宁波";
  l.status = LeadStatus::Assigned;
  l.assigned_at = kNow - kDay;
  w.records[{"lead", "l1"}] = StoredRecord{"lead", "l1", owner, 1, false, encode(l)};
}

}  // namespace

TEST_CASE("touching a lead records who and when, once (R2)") {
  World w;
  seed_lead(w, "rep1");
  auto r = w.apply(mutation(1, kLeadTouch, {{"id", "l1"}, {"outcome", "约了下周拜访"}}, 1), rep1());
  REQUIRE(r.ok());
  const auto& l = w.get(kTypeLead, "l1");
  CHECK(l.data["status"] == "touched");
  CHECK(l.data["first_touched_by"] == "rep1");
  CHECK(l.data["first_touched_at"] == kNow - 1000);
  CHECK(has_code(w.apply(mutation(2, kLeadTouch, {{"id", "l1"}}, 1), rep8()).problems, "not_found"));
}

TEST_CASE("converting a lead writes the lead, a customer and an opportunity in one mutation (R2)") {
  World w;
  seed_lead(w, "rep1");
  REQUIRE(w.apply(mutation(1, kLeadTouch, {{"id", "l1"}, {"outcome", "有需求"}}, 1), rep1()).ok());
  Json args = {{"id", "l1"},
               {"customer_id", "c9"},
               {"customer_code", "D1-0009"},
               {"opportunity_id", "o9"},
               {"decision_maker_title", "院长"},
               {"main_business", "口腔"},
               {"tags", {{"customer_type", "民营诊所"}, {"first_channel", "展会"}}},
               {"expected_amount_fen", 500000}};
  auto r = w.apply(mutation(2, kLeadConvert, args, 2), rep1());
  REQUIRE_MESSAGE(r.ok(), (r.problems.empty() ? "" : r.problems[0].message_en));
  CHECK(r.value.writes.size() == 3);
  CHECK(w.get(kTypeLead, "l1").data["status"] == "converted");
  CHECK(w.get(kTypeCustomer, "c9").owner_id == "rep1");
  CHECK(w.get(kTypeCustomer, "c9").data["code"] == "D1-0009");
  CHECK(w.get(kTypeOpportunity, "o9").data["expected_amount_fen"] == 500000);
  auto again = w.apply(mutation(3, kLeadConvert, args, 3), rep1());
  CHECK_FALSE(again.ok());
}

TEST_CASE("settings without stages fall back to the five seed stages, so stage moves still work") {
  World w = world_with_customer_of(rep1());
  add_opportunity(w, rep1());
  w.settings.stages.clear();
  auto r = w.apply(mutation(3, kOpportunityAdvance, {{"id", "o1"}, {"from_stage", 0}, {"evidence", evidence()}}, 1), rep1());
  REQUIRE(r.ok());
  CHECK(w.get(kTypeOpportunity, "o1").data["stages"].back()["stage"] == 1);
}

// R7: lifecycle derived from facts, and the board with filters.
#include <doctest/doctest.h>

#include "core/lifecycle.h"
#include "core/settings.h"
#include "core/time.h"

using namespace cl;

namespace {
const Settings kS = default_settings();
const Instant NOW = 1764201600000;
LifecycleFacts fresh() {
  LifecycleFacts f;
  f.created_at = NOW - 10 * kDay;
  return f;
}
}  // namespace

TEST_CASE("a customer with nothing logged yet is new") { CHECK(derive_lifecycle(fresh(), kS, NOW) == Lifecycle::New); }

TEST_CASE("an objective activity makes a customer contacted") {
  LifecycleFacts f = fresh();
  f.has_activity = true;
  f.last_activity_at = NOW - kDay;
  CHECK(derive_lifecycle(f, kS, NOW) == Lifecycle::Contacted);
}

TEST_CASE("an open opportunity puts the customer in the opportunity column") {
  LifecycleFacts f = fresh();
  f.has_activity = true;
  f.open_opportunities = 1;
  f.signed_contracts = 2;  // an existing customer being pursued again
  CHECK(derive_lifecycle(f, kS, NOW) == Lifecycle::Opportunity);
}

TEST_CASE("a signed deal and nothing open makes a customer") {
  LifecycleFacts f = fresh();
  f.signed_contracts = 1;
  f.last_deal_at = NOW - 30 * kDay;
  CHECK(derive_lifecycle(f, kS, NOW) == Lifecycle::Customer);
}

TEST_CASE("the repurchase window wins over an open opportunity and over dormancy") {
  LifecycleFacts f = fresh();
  f.signed_contracts = 1;
  f.in_repurchase_window = true;
  f.open_opportunities = 1;
  CHECK(derive_lifecycle(f, kS, NOW) == Lifecycle::RepurchasePrep);
  f.open_opportunities = 0;
  f.created_at = f.last_deal_at = NOW - 400 * kDay;
  CHECK(derive_lifecycle(f, kS, NOW) == Lifecycle::RepurchasePrep);
}

TEST_CASE("180 quiet days with nothing open make a customer dormant; an open opportunity keeps it alive") {
  LifecycleFacts f;
  f.created_at = NOW - 500 * kDay;
  f.has_activity = true;
  f.last_activity_at = NOW - 180 * kDay + 1;
  f.signed_contracts = 1;
  f.last_deal_at = NOW - 300 * kDay;
  CHECK(derive_lifecycle(f, kS, NOW) == Lifecycle::Customer);
  f.last_activity_at = NOW - 180 * kDay;
  CHECK(derive_lifecycle(f, kS, NOW) == Lifecycle::Dormant);
  f.open_opportunities = 1;
  CHECK(derive_lifecycle(f, kS, NOW) == Lifecycle::Opportunity);
  Settings s = kS;
  s.dormant_days = 365;
  f.open_opportunities = 0;
  CHECK(derive_lifecycle(f, s, NOW) == Lifecycle::Customer);
}

namespace {
Customer cust(const char* id, const char* owner, const char* region, const char* type) {
  Customer c;
  c.meta.id = id;
  c.meta.owner_id = owner;
  c.meta.created_at = NOW - 5 * kDay;
  c.tags = {{"region", region}, {"customer_type", type}};
  return c;
}
}  // namespace

TEST_CASE("facts are collected from activities, opportunities and contracts; notes don't count") {
  std::vector<Customer> cs = {cust("c1", "u1", "杭州", "三甲医院"), cust("c2", "u1", "宁波", "经销商"),
                              cust("c3", "u2", "杭州", "经销商"), cust("c4", "u2", "杭州", "民营诊所")};
  Activity note;
  note.customer_id = "c1";
  note.kind = ActivityKind::Note;
  note.at = NOW - kDay;
  Activity call = note;
  call.customer_id = "c2";
  call.kind = ActivityKind::Call;
  Opportunity open;
  open.customer_id = "c3";
  open.stages = {StageVisit{0, NOW - 2 * kDay, 0, "u2"}};
  Contract k;
  k.customer_id = "c4";
  k.status = ContractStatus::Signed;
  k.signed_on = beijing_date(NOW - 20 * kDay);
  auto facts = collect_lifecycle_facts(cs, std::vector<Activity>{note, call}, std::vector<Opportunity>{open},
                                       std::vector<Contract>{k}, {});
  CHECK(derive_lifecycle(facts.at("c1"), kS, NOW) == Lifecycle::New);
  CHECK(derive_lifecycle(facts.at("c2"), kS, NOW) == Lifecycle::Contacted);
  CHECK(derive_lifecycle(facts.at("c3"), kS, NOW) == Lifecycle::Opportunity);
  CHECK(derive_lifecycle(facts.at("c4"), kS, NOW) == Lifecycle::Customer);

  LifecycleBoard all = lifecycle_board(cs, facts, {}, kS, NOW);
  CHECK(all.total == 4);
  CHECK(all.columns[0].customer_ids == std::vector<Id>{"c1"});
  CHECK(all.columns[0].name_zh == "新客户");
  CHECK(all.columns[2].customer_ids == std::vector<Id>{"c3"});

  LifecycleFilter hz;
  hz.region = "杭州";
  CHECK(lifecycle_board(cs, facts, hz, kS, NOW).total == 3);
  hz.owner_id = "u2";
  CHECK(lifecycle_board(cs, facts, hz, kS, NOW).total == 2);
  hz.tags = {{"customer_type", "经销商"}};
  LifecycleBoard one = lifecycle_board(cs, facts, hz, kS, NOW);
  CHECK(one.total == 1);
  CHECK(one.columns[2].customer_ids == std::vector<Id>{"c3"});
}

TEST_CASE("customers named by the repurchase engine land in the repurchase-prep column") {
  std::vector<Customer> cs = {cust("c1", "u1", "杭州", "三甲医院")};
  auto facts = collect_lifecycle_facts(cs, {}, {}, {}, {"c1", "unknown"});
  LifecycleBoard b = lifecycle_board(cs, facts, {}, kS, NOW);
  CHECK(b.columns[4].customer_ids == std::vector<Id>{"c1"});
  CHECK(b.columns[4].name_en == "Repurchase prep");
}

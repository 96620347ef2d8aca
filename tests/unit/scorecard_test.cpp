#include <doctest/doctest.h>

#include "core/scorecard.h"
#include "core/time.h"

using namespace cl;

namespace {

const Instant kNow = 400 * kDay;

struct World {
  std::vector<User> users;
  std::vector<Team> teams;
  std::vector<Customer> customers;
  std::vector<Opportunity> opps;
  std::vector<Activity> activities;
  std::vector<Contract> contracts;
  std::vector<Lead> leads;
  ScorecardData data() { return {&users, &teams, &customers, &opps, &activities, &contracts, &leads}; }
};

User user(const char* id, Role role, const char* team, bool active = true) {
  User u;
  u.id = id;
  u.role = role;
  u.team_id = team;
  u.active = active;
  return u;
}

Customer customer(const std::string& id, const char* owner, Instant created) {
  Customer c;
  c.meta.id = id;
  c.meta.owner_id = owner;
  c.meta.created_at = created;
  return c;
}

Activity act(ActivityKind k, const char* owner, const std::string& customer, Instant at) {
  Activity a;
  a.kind = k;
  a.meta.owner_id = owner;
  a.customer_id = customer;
  a.at = at;
  return a;
}

Contract contract(const std::string& customer, Date on) {
  Contract c;
  c.customer_id = customer;
  c.status = ContractStatus::Signed;
  c.signed_on = on;
  return c;
}

World base() {
  World w;
  w.users = {user("m1", Role::Manager, "t1"), user("r1", Role::Rep, "t1")};
  w.teams = {{"t1", "杭州一组", "杭州", "m1"}};
  return w;
}

const Indicator& ind(const Scorecard& s, int n) { return s.indicators[static_cast<size_t>(n - 1)]; }

}  // namespace

TEST_CASE("the scorecard has the seed's ten indicators with their targets") {
  World w = base();
  auto s = compute_scorecard(w.data(), {}, kNow);
  REQUIRE(s.indicators.size() == 10);
  CHECK(ind(s, 1).target_zh == "≥90%");
  CHECK(ind(s, 5).target_zh == "≤8 分钟");
  CHECK(ind(s, 9).target_en == "≥15");
  CHECK(ind(s, 10).target_zh == "100%");
  CHECK(ind(s, 5).source == IndicatorSource::Missing);
  CHECK(ind(s, 7).source == IndicatorSource::Missing);
  CHECK(ind(s, 8).source == IndicatorSource::Missing);
}

TEST_CASE("first contact within 24 hours counts only outbound actions inside the window") {
  World w = base();
  const Instant t = kNow - 10 * kDay;
  for (int i = 0; i < 10; ++i) w.customers.push_back(customer("c" + std::to_string(i), "r1", t));
  for (int i = 0; i < 9; ++i) w.activities.push_back(act(ActivityKind::Call, "r1", "c" + std::to_string(i), t + 23 * kHour));
  w.activities.push_back(act(ActivityKind::Note, "r1", "c9", t + kHour));   // a note is no contact
  auto s = compute_scorecard(w.data(), {}, kNow);
  CHECK(ind(s, 1).numerator == 9);
  CHECK(ind(s, 1).denominator == 10);
  CHECK(ind(s, 1).value == 9000);
  CHECK(ind(s, 1).passed);
  w.activities[0].at = t + 25 * kHour;
  CHECK_FALSE(compute_scorecard(w.data(), {}, kNow).indicators[0].passed);
}

TEST_CASE("a stage left without evidence breaks the 100% evidence indicator; a move back needs a reason") {
  World w = base();
  Opportunity o;
  o.meta.owner_id = "r1";
  StageVisit a, b, c;
  a.stage = 0; a.left_at = 10; a.evidence.push_back({});
  b.stage = 1; b.left_at = 20;  // left back to 0 → needs c.reason
  c.stage = 0; c.reason = "客户调整需求";
  o.stages = {a, b, c};
  w.opps.push_back(o);
  auto s = compute_scorecard(w.data(), {}, kNow);
  CHECK(ind(s, 2).denominator == 2);
  CHECK(ind(s, 2).passed);
  w.opps[0].stages[0].evidence.clear();
  CHECK_FALSE(compute_scorecard(w.data(), {}, kNow).indicators[1].passed);
}

TEST_CASE("rep-days with only notes count against objective daily reports") {
  World w = base();
  const Instant day = beijing_midnight(beijing_date(kNow - 5 * kDay));
  w.activities = {act(ActivityKind::Note, "r1", "c", day + 10 * kHour), act(ActivityKind::Visit, "r1", "c", day + kDay + 10 * kHour)};
  auto s = compute_scorecard(w.data(), {}, kNow);
  CHECK(ind(s, 3).denominator == 2);
  CHECK(ind(s, 3).numerator == 1);
  CHECK_FALSE(ind(s, 3).passed);
}

TEST_CASE("the repurchase rate is the share of past customers who signed again in the last six months") {
  World w = base();
  const Date today = beijing_date(kNow);
  for (int i = 0; i < 4; ++i) w.contracts.push_back(contract("c" + std::to_string(i), add_months(today, -10)));
  w.contracts.push_back(contract("c0", add_months(today, -1)));
  w.contracts.push_back(contract("new", add_months(today, -1)));  // a new customer is not a repurchase
  auto s = compute_scorecard(w.data(), {}, kNow);
  CHECK(ind(s, 4).numerator == 1);
  CHECK(ind(s, 4).denominator == 4);
  CHECK(ind(s, 4).value == 2500);
  CHECK(ind(s, 4).passed);
}

TEST_CASE("manual inputs fill the indicators the data cannot answer") {
  World w = base();
  ScorecardManualInputs m;
  m.data_entry_minutes_per_day = 9;
  m.complaints_total = 40;
  m.complaints_info_not_synced = 2;
  m.new_hire_completes_flow = true;
  auto s = compute_scorecard(w.data(), m, kNow);
  CHECK(ind(s, 5).source == IndicatorSource::Manual);
  CHECK_FALSE(ind(s, 5).passed);
  CHECK(ind(s, 7).value == 500);
  CHECK(ind(s, 7).passed);
  CHECK(ind(s, 8).passed);
  CHECK(s.manual == 3);
}

TEST_CASE("an open opportunity owned by someone who left means managers cannot see everything") {
  World w = base();
  w.users.push_back(user("gone", Role::Rep, "t1", false));
  Opportunity o;
  o.meta.owner_id = "gone";
  w.opps.push_back(o);
  auto s = compute_scorecard(w.data(), {}, kNow);
  CHECK_FALSE(ind(s, 6).passed);
  CHECK_FALSE(ind(s, 10).passed);  // and it was not handed over
}

TEST_CASE("weekly effective touches count distinct customers per rep-week with proposal, quote or demo") {
  World w = base();
  for (int week = 0; week < 4; ++week)
    for (int c = 0; c < 15; ++c) {
      w.activities.push_back(act(ActivityKind::ProposalSent, "r1", "c" + std::to_string(c), kNow - week * 7 * kDay - kDay));
      w.activities.push_back(act(ActivityKind::MessageSent, "r1", "x" + std::to_string(c), kNow - week * 7 * kDay - kDay));
    }
  w.activities.push_back(act(ActivityKind::Demo, "r1", "c0", kNow - kDay));  // same customer, same week
  auto s = compute_scorecard(w.data(), {}, kNow);
  CHECK(ind(s, 9).value == 150);
  CHECK(ind(s, 9).value_text == "15.0");
  CHECK(ind(s, 9).passed);
}

TEST_CASE("the score counts passed indicators and below six is urgent") {
  World w = base();
  auto s = compute_scorecard(w.data(), {}, kNow);
  // empty data: evidence (vacuous 100%), manager visibility (nothing hidden), handover (nobody left)
  CHECK(s.score == 3);
  CHECK(s.urgent);
  ScorecardManualInputs m;
  m.data_entry_minutes_per_day = 5;
  m.complaints_total = 10;
  m.complaints_info_not_synced = 0;
  m.new_hire_completes_flow = true;
  auto s2 = compute_scorecard(w.data(), m, kNow);
  CHECK(s2.score == 6);
  CHECK_FALSE(s2.urgent);
}

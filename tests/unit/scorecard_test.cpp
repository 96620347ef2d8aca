#include <doctest/doctest.h>

#include "core/demo_data.h"
#include "core/scorecard.h"
#include "core/scorecard_facts.h"
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

// ---- R29 speed: the compact ScorecardFacts path must give exactly the record path's scorecard ----

namespace {

void check_same(const Scorecard& a, const Scorecard& b) {
  REQUIRE(a.indicators.size() == b.indicators.size());
  for (size_t k = 0; k < a.indicators.size(); ++k) {
    const Indicator &x = a.indicators[k], &y = b.indicators[k];
    CAPTURE(x.number);
    CHECK(x.number == y.number);
    CHECK(x.source == y.source);
    CHECK(x.passed == y.passed);
    CHECK(x.value == y.value);
    CHECK(x.numerator == y.numerator);
    CHECK(x.denominator == y.denominator);
    CHECK(x.value_text == y.value_text);
    CHECK(x.note_zh == y.note_zh);
    CHECK(x.note_en == y.note_en);
    CHECK(x.name_zh == y.name_zh);
    CHECK(x.target_en == y.target_en);
  }
  CHECK(a.score == b.score);
  CHECK(a.urgent == b.urgent);
  CHECK(a.computed == b.computed);
  CHECK(a.manual == b.manual);
  CHECK(a.missing == b.missing);
}

// A messy world: duplicate and empty ids, deleted records, people who left, handovers, moves back,
// lost and won opportunities, unsigned contracts, activities before, inside and after the periods.
World generated(std::uint64_t seed) {
  demo::SplitMix64 rng(seed);
  World w;
  w.teams = {{"t1", "一组", "杭州", "m1"}, {"t2", "二组", "宁波", "m2"}, {"t3", "三组", "宁波", ""}};
  w.users = {user("m1", Role::Manager, "t1"), user("m2", Role::Manager, "t2", false), user("admin", Role::Admin, "")};
  for (int r = 0; r < 12; ++r)
    w.users.push_back(user(("r" + std::to_string(r)).c_str(), Role::Rep, r < 5 ? "t1" : r < 9 ? "t2" : "t3", r % 5 != 4));
  w.users.push_back(user("r3", Role::Rep, "t1", true));  // a duplicate id
  auto owner = [&] { const auto k = rng.below(15); return k == 14 ? std::string() : k == 13 ? std::string("m1") : "r" + std::to_string(k); };
  auto cust_id = [&] { const auto k = rng.below(420); return k == 419 ? std::string() : "c" + std::to_string(k); };
  auto when = [&] { return kNow - static_cast<Instant>(rng.below(400 * 24)) * kHour + static_cast<Instant>(rng.below(3)) * kDay; };
  for (int i = 0; i < 400; ++i) {
    Customer c = customer(i % 37 == 0 ? "c1" : "c" + std::to_string(i), "", when());
    c.meta.owner_id = owner();
    c.meta.deleted = rng.below(20) == 0;
    if (rng.below(6) == 0) c.owner_history.push_back({owner(), "r0", kNow - kDay, "admin", rng.below(2) ? "handover" : "reassign"});
    w.customers.push_back(c);
  }
  for (int i = 0; i < 600; ++i) {
    Opportunity o;
    o.meta.owner_id = owner();
    o.meta.deleted = rng.below(25) == 0;
    const int stays = 1 + static_cast<int>(rng.below(5));
    for (int k = 0; k < stays; ++k) {
      StageVisit v;
      v.stage = static_cast<int>(rng.below(6));
      v.left_at = k + 1 < stays || rng.below(3) == 0 ? when() : 0;
      if (rng.below(5)) v.evidence.push_back({});
      if (rng.below(2)) v.reason = "原因";
      o.stages.push_back(v);
    }
    o.status = static_cast<OpportunityStatus>(rng.below(3));
    w.opps.push_back(o);
  }
  static const ActivityKind kinds[] = {ActivityKind::Visit, ActivityKind::Call, ActivityKind::MessageSent, ActivityKind::ProposalSent,
                                       ActivityKind::QuoteSent, ActivityKind::Demo, ActivityKind::Note, ActivityKind::ReplyReceived,
                                       ActivityKind::ObjectionHandled, ActivityKind::ContractSent};
  for (int i = 0; i < 3000; ++i) {
    Activity a = act(kinds[rng.below(10)], "", cust_id(), when());
    a.meta.owner_id = owner();
    w.activities.push_back(a);
  }
  for (int i = 0; i < 500; ++i) {
    Contract k = contract(cust_id(), beijing_date(when()));
    k.meta.owner_id = owner();
    k.meta.created_at = when();
    k.meta.deleted = rng.below(20) == 0;
    if (rng.below(8) == 0) k.status = ContractStatus::Draft;
    w.contracts.push_back(k);
  }
  for (int i = 0; i < 200; ++i) {
    Lead l;
    l.meta.owner_id = owner();
    l.meta.deleted = rng.below(20) == 0;
    l.status = static_cast<LeadStatus>(rng.below(6));
    w.leads.push_back(l);
  }
  return w;
}

ScorecardManualInputs with_hires() {
  ScorecardManualInputs m;
  m.hired_at = {{"r1", kNow - 390 * kDay}, {"r2", kNow - 200 * kDay}, {"r7", kNow - 100 * kDay}, {"nobody", kNow - 60 * kDay},
                {"r8", kNow - 5 * kDay}};
  return m;
}

}  // namespace

TEST_CASE("the facts path gives the record path's scorecard on the demo company") {
  const Instant now = *parse_iso_instant("2026-11-27T02:00:00Z");
  const auto d = demo::generate(demo::Scale::Demo, 42, now);
  ScorecardData data{&d.users, &d.teams, &d.customers, &d.opportunities, &d.activities, &d.contracts, &d.leads};
  const ScorecardFacts facts(data);
  const auto records = compute_scorecard(data, {}, now);
  check_same(compute_scorecard(facts, {}, now), records);
  CHECK(records.indicators[1].denominator > 3000);  // the comparison is over real numbers
  ScorecardManualInputs m;
  for (const auto& u : d.users)
    if (u.role == Role::Rep) m.hired_at[u.id] = now - 200 * kDay;
  check_same(compute_scorecard(facts, m, now, 7), compute_scorecard(data, m, now, 7));
}

TEST_CASE("the facts path gives the record path's scorecard on a generated set with every edge case") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    World w = generated(seed);
    const ScorecardFacts facts(w.data());
    for (int period : {28, 7, 365}) {
      CAPTURE(period);
      const auto records = compute_scorecard(w.data(), with_hires(), kNow, period);
      for (int n : {1, 2, 3, 4, 6, 8, 9, 10}) CHECK(records.indicators[static_cast<size_t>(n - 1)].denominator > 0);
      check_same(compute_scorecard(facts, with_hires(), kNow, period), records);
      check_same(compute_scorecard(facts, {}, kNow - 30 * kDay, period), compute_scorecard(w.data(), {}, kNow - 30 * kDay, period));
    }
  }
}

TEST_CASE("updated facts follow the records as they change") {
  World w = generated(7);
  ScorecardFacts facts(w.data());
  demo::SplitMix64 rng(99);
  for (int round = 0; round < 3; ++round) {
    World next = generated(100 + static_cast<std::uint64_t>(round));
    for (int k = 0; k < 150; ++k) {  // replace records at random positions with other generated ones
      const size_t c = rng.below(next.customers.size()), o = rng.below(next.opps.size()), a = rng.below(next.activities.size()),
                   t = rng.below(next.contracts.size()), l = rng.below(next.leads.size());
      w.customers[c] = next.customers[c];
      facts.update_customer(c, w.customers[c]);
      w.opps[o] = next.opps[o];
      facts.update_opportunity(o, w.opps[o]);
      w.activities[a] = next.activities[a];
      facts.update_activity(a, w.activities[a]);
      w.contracts[t] = next.contracts[t];
      facts.update_contract(t, w.contracts[t]);
      w.leads[l] = next.leads[l];
      facts.update_lead(l, w.leads[l]);
    }
    w.customers.push_back(customer("c-new", "r1", kNow - 3 * kDay));  // appended records
    facts.update_customer(w.customers.size() - 1, w.customers.back());
    w.activities.push_back(act(ActivityKind::Call, "r1", "c-new", kNow - 3 * kDay + kHour));
    facts.update_activity(w.activities.size() - 1, w.activities.back());
    w.opps.push_back(w.opps.front());
    facts.update_opportunity(w.opps.size() - 1, w.opps.back());
    w.users[3 + static_cast<size_t>(round)].active = false;  // someone leaves
    facts.set_people(w.users, w.teams);
    check_same(compute_scorecard(facts, with_hires(), kNow), compute_scorecard(w.data(), with_hires(), kNow));
  }
}

#include <doctest/doctest.h>

#include "core/action_status.h"
#include "core/money.h"
#include "core/settings.h"
#include "core/time.h"

using namespace cl;

namespace {

const Instant kNow = beijing_midnight({2026, 11, 27}) + 15 * kHour;

Activity act(ActivityKind k, Instant at, const char* customer = "c1", const char* opp = "") {
  static int n = 0;
  Activity a;
  a.meta.id = "a" + std::to_string(++n);
  a.meta.owner_id = "r1";
  a.kind = k;
  a.at = at;
  a.customer_id = customer;
  a.opportunity_id = opp;
  return a;
}

struct World {
  std::vector<Customer> customers;
  std::vector<Activity> activities;
  std::vector<Opportunity> opps;
  std::vector<Invoice> invoices;
  std::vector<Payment> payments;
  std::vector<User> users;
  World() {
    Customer c;
    c.meta.id = "c1";
    c.meta.owner_id = "r1";
    c.name = "绍兴市中医院";
    c.decision_maker = "张伟";
    customers.push_back(c);
    User u;
    u.id = "r1";
    u.display_name = "李娜";
    users.push_back(u);
  }
  std::vector<DerivedStatus> derive(const Settings& s = default_settings()) {
    return derive_statuses({&customers, &activities, &opps, &invoices, &payments, &users}, s, kNow);
  }
};

int count(const std::vector<DerivedStatus>& v, DerivedStatusKind k) {
  int n = 0;
  for (const auto& s : v) n += s.kind == k ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("a message with no reply for 24 hours makes the customer need a second touch, with a message") {
  World w;
  w.activities = {act(ActivityKind::MessageSent, kNow - 25 * kHour)};
  auto st = w.derive();
  REQUIRE(count(st, DerivedStatusKind::NeedsSecondTouch) == 1);
  CHECK(st[0].label_zh == "需二次触达");
  CHECK(st[0].customer_id == "c1");
  CHECK(st[0].since == kNow - kHour);
  CHECK(st[0].suggested_message.find("绍兴市中医院") != std::string::npos);
  CHECK(st[0].suggested_message.find("李娜") != std::string::npos);
  CHECK(st[0].suggested_message.find('{') == std::string::npos);
}

TEST_CASE("a reply after the message, or less than 24 hours passed, means no second touch is needed") {
  World w;
  w.activities = {act(ActivityKind::MessageSent, kNow - 30 * kHour), act(ActivityKind::ReplyReceived, kNow - 29 * kHour)};
  CHECK(count(w.derive(), DerivedStatusKind::NeedsSecondTouch) == 0);
  w.activities = {act(ActivityKind::MessageSent, kNow - 23 * kHour)};
  CHECK(count(w.derive(), DerivedStatusKind::NeedsSecondTouch) == 0);
  // a reply to an older message does not answer the newer one
  w.activities = {act(ActivityKind::ReplyReceived, kNow - 40 * kHour), act(ActivityKind::MessageSent, kNow - 30 * kHour)};
  CHECK(count(w.derive(), DerivedStatusKind::NeedsSecondTouch) == 1);
}

TEST_CASE("a quote with no reply, visit or call for three days is flagged") {
  World w;
  w.activities = {act(ActivityKind::QuoteSent, kNow - 4 * kDay)};
  CHECK(count(w.derive(), DerivedStatusKind::QuoteNoResponse) == 1);
  w.activities.push_back(act(ActivityKind::Visit, kNow - 2 * kDay));
  CHECK(count(w.derive(), DerivedStatusKind::QuoteNoResponse) == 0);
}

TEST_CASE("an overdue invoice and a stalled opportunity become statuses with their reasons") {
  World w;
  Invoice inv;
  inv.meta.id = "i1";
  inv.meta.owner_id = "r1";
  inv.customer_id = "c1";
  inv.code = "FP-1";
  inv.amount = yuan(100);
  inv.status = InvoiceStatus::Issued;
  inv.due_on = {2026, 11, 20};
  w.invoices.push_back(inv);
  Opportunity o;
  o.meta.id = "o1";
  o.meta.owner_id = "r1";
  o.meta.created_at = kNow - 3 * kDay;
  o.customer_id = "c1";
  StageVisit v;
  v.stage = 1;
  v.entered_at = kNow - 49 * kHour;
  o.stages.push_back(v);
  w.opps.push_back(o);
  auto st = w.derive();
  REQUIRE(count(st, DerivedStatusKind::InvoiceOverdue) == 1);
  REQUIRE(count(st, DerivedStatusKind::Stalled) == 1);
  for (const auto& s : st)
    if (s.kind == DerivedStatusKind::InvoiceOverdue) CHECK(s.reason_zh.find("逾期 7 天") != std::string::npos);
  CHECK(count(st, DerivedStatusKind::NoObjectiveAction) == 0);  // created 3 days ago
}

TEST_CASE("an open opportunity with no objective action for the fake-talk days is flagged; notes do not count") {
  World w;
  Opportunity o;
  o.meta.id = "o1";
  o.meta.created_at = kNow - 60 * kDay;
  o.customer_id = "c1";
  StageVisit v;
  v.entered_at = kNow - kHour;
  o.stages.push_back(v);
  w.opps.push_back(o);
  w.activities = {act(ActivityKind::Visit, kNow - 20 * kDay, "c1", "o1"), act(ActivityKind::Note, kNow - kDay, "c1", "o1")};
  CHECK(count(w.derive(), DerivedStatusKind::NoObjectiveAction) == 1);
  w.activities.push_back(act(ActivityKind::Call, kNow - 2 * kDay, "c1", ""));
  CHECK(count(w.derive(), DerivedStatusKind::NoObjectiveAction) == 0);
}

TEST_CASE("the daily report counts a rep's actions of one Beijing day in words") {
  const Date day{2026, 11, 26};
  const Instant m = beijing_midnight(day);
  std::vector<Activity> acts = {act(ActivityKind::ProposalSent, m + 9 * kHour, "c1"), act(ActivityKind::ProposalSent, m + 10 * kHour, "c2"),
                                act(ActivityKind::ProposalSent, m + 11 * kHour, "c2"), act(ActivityKind::ObjectionHandled, m + 14 * kHour, "c3"),
                                act(ActivityKind::ObjectionHandled, m + 23 * kHour + 59 * kMinute, "c3"),
                                act(ActivityKind::Visit, m - kMinute, "c9"),      // the day before (Beijing)
                                act(ActivityKind::Visit, m + 24 * kHour, "c9")};  // the day after
  Activity other = act(ActivityKind::Visit, m + 12 * kHour, "c1");
  other.meta.owner_id = "r2";
  acts.push_back(other);
  auto r = daily_report(acts, "r1", day);
  CHECK(r.total == 5);
  CHECK(r.customers_touched == 3);
  CHECK(r.objective);
  CHECK(r.text_zh == "发送方案 3 份，处理异议 2 次；涉及客户 3 家");
  CHECK(r.text_en == "3 proposals sent, 2 objections handled; 3 customers");
  auto empty = daily_report(acts, "r1", {2026, 11, 1});
  CHECK(empty.total == 0);
  CHECK_FALSE(empty.objective);
}

#include <doctest/doctest.h>

#include "core/handover.h"

using namespace cl;

namespace {

User user(const char* id, const char* team, Role role = Role::Rep, bool active = true) {
  User u;
  u.id = id;
  u.role = role;
  u.team_id = team;
  u.active = active;
  return u;
}

std::vector<User> users() {
  return {user("leaver", "t1"), user("r2", "t1"), user("r3", "t1"), user("x1", "t2"), user("m1", "t1", Role::Manager),
          user("gone", "t1", Role::Rep, false)};
}

HandoverData data() {
  HandoverData d;
  for (int i = 0; i < 3; ++i) {
    Customer c;
    c.meta.id = "c" + std::to_string(i);
    c.meta.owner_id = "leaver";
    c.name = "客户" + std::to_string(i);
    d.customers.push_back(c);
  }
  Customer other;
  other.meta.id = "c9";
  other.meta.owner_id = "r3";
  d.customers.push_back(other);
  Lead open, converted;
  open.meta = {"l1", "leaver"};
  converted.meta = {"l2", "leaver"};
  converted.status = LeadStatus::Converted;
  d.leads = {open, converted};
  Opportunity o1, o2;
  o1.meta = {"o1", "leaver"};
  o2.meta = {"o2", "leaver"};
  o2.status = OpportunityStatus::Won;
  d.opportunities = {o1, o2};
  Quote q1, q2;
  q1.meta = {"q1", "leaver"};
  q1.status = QuoteStatus::PendingApproval;
  q2.meta = {"q2", "leaver"};
  q2.status = QuoteStatus::Approved;
  q2.meta.deleted = true;
  d.quotes = {q1, q2};
  Invoice i1, i2;
  i1.meta = {"i1", "leaver"};
  i1.status = InvoiceStatus::Issued;
  i2.meta = {"i2", "leaver"};
  i2.status = InvoiceStatus::Paid;
  d.invoices = {i1, i2};
  Reminder r1;
  r1.id = "rem1";
  r1.recipient_id = "leaver";
  d.reminders = {r1};
  return d;
}

}  // namespace

TEST_CASE("the suggested receiver is the active rep of the same team with the fewest customers") {
  CHECK(suggest_handover_target(users(), data().customers, "leaver") == "r2");
}

TEST_CASE("a handover to an inactive user, oneself or another team without choosing it is refused") {
  CHECK(plan_handover(data(), users(), "leaver", "gone", "m1").problems[0].code == "receiver_not_active");
  CHECK(plan_handover(data(), users(), "leaver", "leaver", "m1").problems[0].code == "same_user");
  CHECK(plan_handover(data(), users(), "leaver", "x1", "m1").problems[0].code == "other_team");
  CHECK(plan_handover(data(), users(), "leaver", "x1", "m1", true).ok());
}

TEST_CASE("a handover moves every open record, records it in the owner history and proves 100%") {
  auto plan = plan_handover(data(), users(), "leaver", "r2", "m1");
  REQUIRE(plan.ok());
  auto r = apply_handover(data(), plan, users(), 5000);
  REQUIRE(r.ok());
  const auto& after = r.value.data;
  for (int i = 0; i < 3; ++i) {
    CHECK(after.customers[static_cast<size_t>(i)].meta.owner_id == "r2");
    REQUIRE(after.customers[static_cast<size_t>(i)].owner_history.size() == 1);
    CHECK(after.customers[static_cast<size_t>(i)].owner_history[0].reason == "handover");
    CHECK(after.customers[static_cast<size_t>(i)].owner_history[0].by == "m1");
  }
  CHECK(after.customers[3].meta.owner_id == "r3");
  CHECK(after.leads[0].meta.owner_id == "r2");
  CHECK(after.leads[1].meta.owner_id == "leaver");  // converted: history keeps its owner
  CHECK(after.opportunities[0].meta.owner_id == "r2");
  CHECK(after.opportunities[1].meta.owner_id == "leaver");
  CHECK(after.quotes[0].meta.owner_id == "r2");
  CHECK(after.invoices[0].meta.owner_id == "r2");
  CHECK(after.reminders[0].recipient_id == "r2");
  CHECK_FALSE(r.value.deactivated.active);
  CHECK(r.value.changed_customers.size() == 3);

  const auto& rep = r.value.report;
  CHECK(rep.complete);
  CHECK(rep.moved_bp == 10000);
  REQUIRE(rep.rows.size() == 6);
  CHECK(rep.rows[0].record_type == "customer");
  CHECK(rep.rows[0].owned_before == 3);
  CHECK(rep.rows[0].moved == 3);
  CHECK(rep.rows[1].kept_closed == 1);
  CHECK(rep.rows[3].record_type == "quote");
  CHECK(rep.rows[3].in_scope == 1);  // the deleted quote is not in scope
  REQUIRE(rep.not_moved.size() == 1);
  CHECK(rep.not_moved[0].record_id == "q2");
  CHECK(!rep.not_moved[0].reason_zh.empty());
}

TEST_CASE("the report shows less than 100% when an open record was left behind") {
  auto before = data();
  auto plan = plan_handover(before, users(), "leaver", "r2", "m1");
  auto after = apply_handover(before, plan, users(), 5000).value.data;
  after.opportunities[0].meta.owner_id = "leaver";  // e.g. a concurrent edit put it back
  auto rep = handover_report(before, after, plan);
  CHECK_FALSE(rep.complete);
  CHECK(rep.rows[2].open_left_after == 1);
  CHECK(rep.rows[2].moved_bp == 0);
  CHECK(rep.moved_bp < 10000);
}

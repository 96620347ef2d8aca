#include <doctest/doctest.h>

#include "core/leads.h"

using namespace cl;

namespace {

User rep(const char* id, const char* team, bool active = true) {
  User u;
  u.id = id;
  u.username = id;
  u.role = Role::Rep;
  u.team_id = team;
  u.active = active;
  return u;
}

Lead lead(const std::string& id, const std::string& region = "", const std::string& source = "展会") {
  Lead l;
  l.meta.id = id;
  l.company = "公司" + id;
  l.contact_name = "王伟";
  l.phone = "13800000000";
  l.region = region;
  l.source = source;
  return l;
}

Settings seed_settings() {
  Settings s;
  s.required_customer_fields = {"name", "decision_maker", "decision_maker_title", "phone", "main_business"};
  s.tag_groups = {{"customer_type", "客户类型", "Customer type", {"三甲医院"}, true},
                  {"region", "所属区域", "Region", {"杭州"}, true},
                  {"first_channel", "首次接触渠道", "First channel", {"展会"}, true}};
  return s;
}

}  // namespace

TEST_CASE("assigning an imported lead by hand makes it assigned to that rep") {
  auto r = assign_lead(lead("L1"), rep("r1", "t1"), 1000);
  REQUIRE(r.ok());
  CHECK(r.value.status == LeadStatus::Assigned);
  CHECK(r.value.meta.owner_id == "r1");
  CHECK(r.value.assigned_at == 1000);
}

TEST_CASE("a lead cannot be assigned to an inactive user or once it is converted") {
  CHECK_FALSE(assign_lead(lead("L1"), rep("r1", "t1", false), 0).ok());
  Lead done = lead("L2");
  done.status = LeadStatus::Converted;
  auto r = assign_lead(done, rep("r1", "t1"), 0);
  REQUIRE_FALSE(r.ok());
  CHECK(r.problems[0].code == "lead_bad_transition");
}

TEST_CASE("round-robin spreads leads evenly over active reps and skips inactive ones") {
  std::vector<User> users = {rep("a", "t"), rep("b", "t", false), rep("c", "t"), rep("d", "t")};
  std::vector<Lead> leads;
  for (int i = 0; i < 7; ++i) leads.push_back(lead("L" + std::to_string(i)));
  auto plan = plan_round_robin(leads, users);
  REQUIRE(plan.assignments.size() == 7);
  std::map<Id, int> count;
  for (auto& a : plan.assignments) ++count[a.rep_id];
  CHECK(count["a"] == 3);
  CHECK(count["c"] == 2);
  CHECK(count["d"] == 2);
  CHECK(count.count("b") == 0);
  // the next batch continues where this one stopped
  auto next = plan_round_robin({lead("M")}, users, plan.next_cursor);
  CHECK(next.assignments[0].rep_id == "c");
}

TEST_CASE("region assignment gives a lead to a rep of the team covering its region") {
  std::vector<Team> teams = {{"t1", "杭州一组", "杭州", "m1"}, {"t2", "宁波组", "宁波", "m2"}};
  std::vector<User> users = {rep("h1", "t1"), rep("h2", "t1"), rep("n1", "t2")};
  std::map<Id, std::size_t> cursors;
  auto plan = plan_by_region({lead("A", "宁波"), lead("B", "杭州"), lead("C", "杭州"), lead("D", "温州")},
                             teams, users, cursors);
  REQUIRE(plan.assignments.size() == 3);
  CHECK(plan.assignments[0].rep_id == "n1");
  CHECK(plan.assignments[1].rep_id == "h1");
  CHECK(plan.assignments[2].rep_id == "h2");
  REQUIRE(plan.problems.size() == 1);
  CHECK(plan.problems[0].code == "no_team_for_region");
  CHECK(plan.problems[0].field == "D");
  CHECK(cursors["t1"] == 0);  // wrapped around after two reps
}

TEST_CASE("the first touch is recorded once with who and when; later touches update the outcome") {
  auto a = assign_lead(lead("L1"), rep("r1", "t"), 0).value;
  auto t1 = record_touch(a, "r1", 5000, "电话未接");
  REQUIRE(t1.ok());
  CHECK(t1.value.status == LeadStatus::Touched);
  CHECK(t1.value.first_touched_at == 5000);
  auto t2 = record_touch(t1.value, "r2", 9000, "约了拜访");
  CHECK(t2.value.first_touched_at == 5000);
  CHECK(t2.value.first_touched_by == "r1");
  CHECK(t2.value.last_outcome == "约了拜访");
  // an offline touch that happened earlier but was logged later becomes the first touch
  auto t3 = record_touch(t2.value, "r3", 3000, "");
  CHECK(t3.value.first_touched_at == 3000);
  CHECK(t3.value.first_touched_by == "r3");
}

TEST_CASE("a lead must be touched before it is qualified") {
  auto r = qualify_lead(lead("L1"), 0);
  REQUIRE_FALSE(r.ok());
  CHECK(r.problems[0].code == "lead_not_touched");
  auto touched = record_touch(lead("L1"), "r1", 10, "").value;
  CHECK(qualify_lead(touched, 20).value.status == LeadStatus::Qualified);
}

TEST_CASE("dropping a lead needs a reason and is final") {
  CHECK(drop_lead(lead("L1"), "  ", 0).problems[0].code == "reason_required");
  auto d = drop_lead(lead("L1"), "号码空号", 0);
  REQUIRE(d.ok());
  CHECK(d.value.status == LeadStatus::Dropped);
  CHECK_FALSE(record_touch(d.value, "r1", 1, "").ok());
}

TEST_CASE("an assigned lead untouched past the threshold raises one alert to its owner") {
  Settings s;
  s.untouched_lead_hours = 48;
  Lead fresh = assign_lead(lead("A"), rep("r1", "t"), 10 * kHour).value;
  Lead old = assign_lead(lead("B"), rep("r2", "t"), 0).value;
  Lead touched = record_touch(assign_lead(lead("C"), rep("r3", "t"), 0).value, "r3", kHour, "").value;
  auto alerts = untouched_lead_alerts({fresh, old, touched}, s, 50 * kHour);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].subject_id == "B");
  CHECK(alerts[0].recipient_id == "r2");
  CHECK(alerts[0].kind == ReminderKind::UntouchedLead);
  CHECK(alerts[0].dedupe_key == "untouched_lead:B");
  CHECK(alerts[0].due_at == 48 * kHour);
}

TEST_CASE("converting a lead makes a customer from its company, contact and phone plus an opportunity") {
  Lead l = record_touch(assign_lead(lead("L1", "杭州"), rep("r1", "t"), 0).value, "r1", 5, "").value;
  LeadConversionInput in;
  in.customer_id = "C1";
  in.customer_code = "HZ-0001";
  in.opportunity_id = "O1";
  in.decision_maker_title = "设备科主任";
  in.main_business = "综合医疗";
  in.tags = {{"customer_type", "三甲医院"}, {"first_channel", "展会"}};
  in.converted_by = "r1";
  auto r = convert_lead(l, in, seed_settings(), 100);
  REQUIRE(r.ok());
  CHECK(r.value.customer.name == l.company);
  CHECK(r.value.customer.decision_maker == "王伟");
  CHECK(r.value.customer.phone == "13800000000");
  CHECK(r.value.customer.tags.at("region") == "杭州");
  CHECK(r.value.customer.meta.owner_id == "r1");
  CHECK(r.value.customer.source_lead_id == "L1");
  CHECK(r.value.opportunity.customer_id == "C1");
  REQUIRE(r.value.opportunity.stages.size() == 1);
  CHECK(r.value.opportunity.stages[0].stage == 0);
  CHECK(r.value.lead.status == LeadStatus::Converted);
  CHECK(r.value.lead.converted_customer_id == "C1");
  CHECK(r.value.lead.converted_opportunity_id == "O1");
}

TEST_CASE("conversion reports every required field still missing and converts nothing") {
  Lead l = record_touch(lead("L1"), "r1", 5, "").value;
  l.phone = "";
  LeadConversionInput in{.customer_id = "C1", .opportunity_id = "O1"};
  auto r = convert_lead(l, in, seed_settings(), 100);
  REQUIRE_FALSE(r.ok());
  std::vector<std::string> fields;
  for (auto& p : r.problems) fields.push_back(p.field);
  CHECK(fields == std::vector<std::string>{"decision_maker_title", "phone", "main_business",
                                           "tags.customer_type", "tags.region", "tags.first_channel"});
}

TEST_CASE("the lead funnel counts imported, touched, qualified and converted per source and rep") {
  std::vector<Lead> leads;
  for (int i = 0; i < 10; ++i) {
    Lead l = lead("L" + std::to_string(i), "", i < 6 ? "展会" : "官网");
    l.meta.owner_id = i % 2 ? "r1" : "r2";
    if (i < 5) l = record_touch(l, l.meta.owner_id, 1, "").value;
    if (i < 2) l = qualify_lead(l, 2).value;
    if (i == 0) l.status = LeadStatus::Converted;
    leads.push_back(l);
  }
  auto f = lead_funnel(leads);
  CHECK(f.total.imported == 10);
  CHECK(f.total.touched == 5);
  CHECK(f.total.qualified == 2);
  CHECK(f.total.converted == 1);
  CHECK(f.total.touch_rate_bp == 5000);
  REQUIRE(f.by_source.size() == 2);
  CHECK(f.by_source[0].key == "官网");
  CHECK(f.by_source[0].touched == 0);
  CHECK(f.by_source[1].touched == 5);
  REQUIRE(f.by_rep.size() == 2);
  CHECK(f.by_rep[0].key == "r1");
  CHECK(f.by_rep[0].touched == 2);  // L1, L3
}

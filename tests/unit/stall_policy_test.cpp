// R11: two-level stall reminders, never repeated, acknowledgement stops escalation.
#include <doctest/doctest.h>

#include "core/settings.h"
#include "core/stall_policy.h"

using namespace cl;

namespace {
const Settings kS = default_settings();
const Instant T0 = 1764201600000;  // stage entered

std::vector<User> people() {
  return {{"u-rep1", "rep1", "张伟", Role::Rep, "t-1", "", "", true},
          {"u-mgr1", "manager1", "王经理", Role::Manager, "t-1", "", "", true},
          {"u-admin", "admin", "运营", Role::Admin, "", "", "", true},
          {"u-lone", "lone", "独行", Role::Rep, "t-x", "", "", true}};
}
std::vector<Team> teams() { return {{"t-1", "杭州一组", "杭州", "u-mgr1"}}; }

Opportunity opp(const char* id = "o-1", const char* owner = "u-rep1") {
  Opportunity o;
  o.meta.id = id;
  o.meta.owner_id = owner;
  o.title = "关节耗材";
  o.stages = {StageVisit{0, T0, 0, owner}};
  return o;
}

// Runs the policy and applies its updates, as the server's scheduler does.
StallRun tick(std::vector<Opportunity>& opps, Instant now) {
  StallRun run = due_stall_reminders(opps, people(), teams(), kS, now);
  for (const auto& u : run.updates)
    for (auto& o : opps) apply_stall_update(o, u);
  return run;
}
}  // namespace

TEST_CASE("nothing is due before the stage's 48 hours have passed") {
  std::vector<Opportunity> opps = {opp()};
  CHECK(tick(opps, T0 + 48 * kHour - 1).reminders.empty());
  CHECK_FALSE(is_stalled(opps[0], kS, T0 + 47 * kHour));
  CHECK(stall_due_at(opps[0], kS) == T0 + 48 * kHour);
}

TEST_CASE("a 48-hour stall reminds the owner, then escalates to the team manager 24 hours later") {
  std::vector<Opportunity> opps = {opp()};
  StallRun first = tick(opps, T0 + 48 * kHour);
  REQUIRE(first.reminders.size() == 1);
  CHECK(first.reminders[0].kind == ReminderKind::StallLevel1);
  CHECK(first.reminders[0].recipient_id == "u-rep1");
  CHECK(first.reminders[0].dedupe_key == "stall:o-1:0:1");
  CHECK(first.reminders[0].text_zh.find("需求确认") != std::string::npos);
  CHECK(opps[0].stages[0].level1_sent_at == T0 + 48 * kHour);

  CHECK(tick(opps, T0 + 71 * kHour).reminders.empty());  // 23 h after level 1

  StallRun second = tick(opps, T0 + 72 * kHour);
  REQUIRE(second.reminders.size() == 1);
  CHECK(second.reminders[0].kind == ReminderKind::StallLevel2);
  CHECK(second.reminders[0].recipient_id == "u-mgr1");
  CHECK(second.reminders[0].text_zh.find("张伟") != std::string::npos);
  CHECK(opps[0].stages[0].level2_sent_at == T0 + 72 * kHour);
}

TEST_CASE("reminders are never repeated beyond the two levels") {
  std::vector<Opportunity> opps = {opp()};
  int total = 0;
  for (Instant h = 0; h <= 24 * 30; h += 1) total += static_cast<int>(tick(opps, T0 + h * kHour).reminders.size());
  CHECK(total == 2);
}

TEST_CASE("a policy run whose updates were not applied yields the same dedupe keys") {
  std::vector<Opportunity> opps = {opp()};
  auto a = due_stall_reminders(opps, people(), teams(), kS, T0 + 50 * kHour);
  auto b = due_stall_reminders(opps, people(), teams(), kS, T0 + 51 * kHour);
  REQUIRE(a.reminders.size() == 1);
  REQUIRE(b.reminders.size() == 1);
  CHECK(a.reminders[0].dedupe_key == b.reminders[0].dedupe_key);
  CHECK(a.reminders[0].id == a.reminders[0].dedupe_key);
}

TEST_CASE("an acknowledgement after level 1 stops the escalation and is recorded") {
  std::vector<Opportunity> opps = {opp()};
  tick(opps, T0 + 48 * kHour);
  auto ack = acknowledge_stall(opps[0], {"u-rep1", T0 + 50 * kHour, "a-1"});
  REQUIRE(ack.ok());
  CHECK(ack.value.audit.action == "acknowledge_stall");
  CHECK(ack.value.opportunity.stages[0].acknowledged_by == "u-rep1");
  opps[0] = ack.value.opportunity;
  CHECK(tick(opps, T0 + 100 * kHour).reminders.empty());
  CHECK(acknowledge_stall(opps[0], {"u-rep1", T0 + 101 * kHour, "a-2"}).problems.at(0).code == "already_acknowledged");
}

TEST_CASE("there is nothing to acknowledge before the first reminder") {
  CHECK(acknowledge_stall(opp(), {"u-rep1", T0, "a"}).problems.at(0).code == "nothing_to_acknowledge");
}

TEST_CASE("a stage change starts a new stay with its own reminders") {
  std::vector<Opportunity> opps = {opp()};
  tick(opps, T0 + 48 * kHour);
  opps[0].stages[0].left_at = T0 + 49 * kHour;
  opps[0].stages.push_back(StageVisit{1, T0 + 49 * kHour, 0, "u-rep1"});
  CHECK(tick(opps, T0 + 73 * kHour).reminders.empty());  // old stay's level 2 no longer applies
  StallRun r = tick(opps, T0 + 97 * kHour);
  REQUIRE(r.reminders.size() == 1);
  CHECK(r.reminders[0].dedupe_key == "stall:o-1:1:1");
}

TEST_CASE("per-stage thresholds are honoured") {
  Settings s = kS;
  s.stages[0].stall_hours = 4;
  std::vector<Opportunity> opps = {opp()};
  CHECK(due_stall_reminders(opps, people(), teams(), s, T0 + 4 * kHour).reminders.size() == 1);
}

TEST_CASE("closed and deleted opportunities never stall") {
  Opportunity won = opp("o-w");
  won.status = OpportunityStatus::Won;
  Opportunity gone = opp("o-d");
  gone.meta.deleted = true;
  std::vector<Opportunity> opps = {won, gone};
  CHECK(tick(opps, T0 + 500 * kHour).reminders.empty());
}

TEST_CASE("an owner without a team manager escalates to the admins") {
  std::vector<Opportunity> opps = {opp("o-2", "u-lone")};
  tick(opps, T0 + 48 * kHour);
  StallRun r = tick(opps, T0 + 72 * kHour);
  REQUIRE(r.reminders.size() == 1);
  CHECK(r.reminders[0].recipient_id == "u-admin");
}

TEST_CASE("a replayed update never moves the recorded sent time") {
  Opportunity o = opp();
  apply_stall_update(o, {"o-1", 0, 1, 100});
  apply_stall_update(o, {"o-1", 0, 1, 200});
  apply_stall_update(o, {"o-1", 5, 1, 300});  // stale index: ignored
  CHECK(o.stages[0].level1_sent_at == 100);
}

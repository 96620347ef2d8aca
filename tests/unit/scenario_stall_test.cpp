// Scenario: the seed's 48-hour rule — "任意阶段停留超48小时，自动触发两级提醒：销售本人收到钉钉消息，
// 直属主管收到企业微信弹窗". An opportunity sits in 方案匹配; the policy (core A's stall_policy) sends
// level 1 to the rep at 48 h, level 2 to the manager 24 h later, never twice, and our derived status
// shows 商机停滞 from the same threshold.
#include <doctest/doctest.h>

#include "core/action_status.h"
#include "core/settings.h"
#include "core/stall_policy.h"

using namespace cl;

TEST_CASE("scenario: 48 hours in a stage reminds the rep, 24 hours later the manager, once each") {
  const Settings settings = default_settings();
  std::vector<User> users(2);
  users[0].id = "rep1";
  users[0].role = Role::Rep;
  users[0].team_id = "t1";
  users[1].id = "manager1";
  users[1].role = Role::Manager;
  users[1].team_id = "t1";
  std::vector<Team> teams = {{"t1", "杭州一组", "杭州", "manager1"}};
  const Instant t0 = 1'767'225'600'000;
  Opportunity o;
  o.meta.id = "o1";
  o.meta.owner_id = "rep1";
  o.meta.created_at = t0;
  o.customer_id = "c1";
  StageVisit first, second;
  first.stage = 0;
  first.entered_at = t0;
  first.left_at = t0 + 5 * kHour;
  first.evidence.push_back({});
  second.stage = 1;
  second.entered_at = t0 + 5 * kHour;
  o.stages = {first, second};
  std::vector<Opportunity> opps = {o};

  auto at = [&](Instant when) {
    auto run = due_stall_reminders(opps, users, teams, settings, when);
    for (const auto& u : run.updates) apply_stall_update(opps[0], u);
    return run.reminders;
  };
  const Instant entered = t0 + 5 * kHour;
  CHECK(at(entered + 47 * kHour).empty());
  auto level1 = at(entered + 48 * kHour + kMinute);
  REQUIRE(level1.size() == 1);
  CHECK(level1[0].kind == ReminderKind::StallLevel1);
  CHECK(level1[0].recipient_id == "rep1");
  CHECK(at(entered + 60 * kHour).empty());  // not repeated
  auto level2 = at(entered + 72 * kHour + 2 * kMinute);
  REQUIRE(level2.size() == 1);
  CHECK(level2[0].kind == ReminderKind::StallLevel2);
  CHECK(level2[0].recipient_id == "manager1");
  CHECK(at(entered + 200 * kHour).empty());  // never beyond the policy

  auto statuses = derive_statuses({nullptr, nullptr, &opps, nullptr, nullptr, nullptr}, settings, entered + 49 * kHour);
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].kind == DerivedStatusKind::Stalled);
  CHECK(statuses[0].since == entered + 48 * kHour);
}

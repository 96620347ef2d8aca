// Scenario: the seed's first break — "市场部给的200条潜在客户名单，销售只触达63条，其中仅11条被标记为
// 有效商机，其余137条在微信对话或Excel表格中自然沉没". Replayed as data through the lead rules: the
// list is imported from CSV, spread over the 28 reps, 63 get touched, 11 convert; the funnel shows
// 200 → 63 → 11, and the 137 that sank now raise untouched alerts instead of sinking silently.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/csv.h"
#include "core/lead_import.h"
#include "core/leads.h"
#include "core/settings.h"

using namespace cl;

TEST_CASE("scenario: 200 marketing leads, 63 touched, 11 converted, 137 raise untouched alerts") {
  const Instant t0 = 1'767'225'600'000;  // 2026-01-01T00:00Z
  // the marketing team's Excel, exported as CSV with a BOM
  std::vector<CsvRow> rows = {{"机构名称", "联系人", "手机", "所属区域", "备注"}};
  for (int i = 0; i < 200; ++i) {
    char phone[16];
    std::snprintf(phone, sizeof phone, "1390571%04d", i);
    rows.push_back({"杭州第" + std::to_string(i + 1) + "康复医疗有限公司", "联系人" + std::to_string(i), phone, "杭州", ""});
  }
  auto preview = preview_lead_import(write_csv(rows, {.bom = true}), "市场部名单", {});
  REQUIRE(preview.can_apply());
  int next_id = 0;
  auto imported = apply_lead_import(preview, "batch-2026-01", t0, [&] { return "L" + std::to_string(++next_id); });
  REQUIRE(imported.ok());
  REQUIRE(imported.value.size() == 200);

  std::vector<User> reps;
  for (int r = 1; r <= 28; ++r) {
    User u;
    u.id = "rep" + std::to_string(r);
    u.role = Role::Rep;
    u.team_id = "t" + std::to_string((r - 1) / 7 + 1);
    reps.push_back(u);
  }
  auto plan = plan_round_robin(imported.value, reps);
  REQUIRE(plan.assignments.size() == 200);
  std::vector<Lead> leads = apply_assignments(imported.value, plan, reps, t0 + kHour);
  REQUIRE(leads.size() == 200);

  const Settings settings = default_settings();
  int converted = 0;
  for (int i = 0; i < 63; ++i) {
    Lead& l = leads[static_cast<size_t>(i * 3)];  // spread over the list
    auto touched = record_touch(l, l.meta.owner_id, t0 + 2 * kHour + i * kMinute, "电话沟通");
    REQUIRE(touched.ok());
    l = touched.value;
    if (i % 6 == 0 && converted < 11) {
      LeadConversionInput in;
      in.customer_id = "C" + std::to_string(i);
      in.opportunity_id = "O" + std::to_string(i);
      in.decision_maker_title = "院长";
      in.main_business = "康复医疗";
      in.tags = {{"customer_type", "民营医院"}, {"first_channel", "市场活动"}};
      in.converted_by = l.meta.owner_id;
      auto conv = convert_lead(l, in, settings, t0 + kDay);
      REQUIRE_MESSAGE(conv.ok(), (conv.problems.empty() ? "" : conv.problems[0].message_en));
      l = conv.value.lead;
      ++converted;
    }
  }
  REQUIRE(converted == 11);

  auto funnel = lead_funnel(leads);
  CHECK(funnel.total.imported == 200);
  CHECK(funnel.total.touched == 63);
  CHECK(funnel.total.converted == 11);
  CHECK(funnel.total.touch_rate_bp == 3150);       // 63 / 200
  CHECK(funnel.total.conversion_rate_bp == 550);   // 11 / 200
  REQUIRE(funnel.by_source.size() == 1);
  CHECK(funnel.by_source[0].key == "市场部名单");
  CHECK(funnel.by_rep.size() == 28);
  int per_rep_total = 0;
  for (const auto& r : funnel.by_rep) per_rep_total += r.imported;
  CHECK(per_rep_total == 200);

  // 137 sank: two days later each of them is an alert to its rep, and running the check again
  // produces the same dedupe keys (no second alert)
  auto alerts = untouched_lead_alerts(leads, settings, t0 + kHour + 48 * kHour);
  CHECK(alerts.size() == 137);
  std::set<std::string> keys;
  for (const auto& a : alerts) keys.insert(a.dedupe_key);
  CHECK(keys.size() == 137);
  CHECK(untouched_lead_alerts(leads, settings, t0 + kHour + 47 * kHour).empty());
}

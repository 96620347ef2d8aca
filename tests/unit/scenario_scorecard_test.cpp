// Scenario: the seed's 销售管理健康度自测表 on the demo company (the reference customer, 28 reps).
#include <doctest/doctest.h>

#include <set>

#include "core/demo_data.h"
#include "core/scorecard.h"
#include "core/time.h"

using namespace cl;

TEST_CASE("scenario: the health scorecard on the demo company computes seven indicators and asks for three") {
  const Instant now = *parse_iso_instant("2026-11-27T02:00:00Z");
  const auto d = demo::generate(demo::Scale::Demo, 42, now);
  ScorecardData data{&d.users, &d.teams, &d.customers, &d.opportunities, &d.activities, &d.contracts, &d.leads};
  auto s = compute_scorecard(data, {}, now);
  REQUIRE(s.indicators.size() == 10);
  CHECK(s.computed == 7);
  CHECK(s.missing == 3);
  for (int n : {5, 7, 8}) CHECK(s.indicators[static_cast<size_t>(n - 1)].source == IndicatorSource::Missing);

  // the demo data is made through the stage rules, so every stage change has its evidence
  CHECK(s.indicators[1].passed);
  CHECK(s.indicators[1].denominator > 3000);
  // former1's customers were handed over: counted as moved, nothing left behind
  CHECK(s.indicators[9].numerator == 15);
  CHECK(s.indicators[9].passed);
  CHECK(s.indicators[5].passed);

  // #4 re-derived independently: past customers (deal before 6 months ago) who signed again since
  const Date cutoff = add_months(beijing_date(now), -6);
  std::set<Id> past, recent;
  for (const auto& c : d.contracts) {
    if (c.status != ContractStatus::Signed) continue;
    (c.signed_on < cutoff ? past : recent).insert(c.customer_id);
  }
  int again = 0;
  for (const auto& id : past) again += recent.count(id) ? 1 : 0;
  CHECK(s.indicators[3].numerator == again);
  CHECK(s.indicators[3].denominator == static_cast<std::int64_t>(past.size()));

  int passed = 0;
  for (const auto& i : s.indicators) passed += i.passed ? 1 : 0;
  CHECK(s.score == passed);
  CHECK(s.urgent == (passed < 6));

  // the manager fills in the three manual figures: each one can add a point
  ScorecardManualInputs m;
  m.data_entry_minutes_per_day = 6;
  m.complaints_total = 50;
  m.complaints_info_not_synced = 1;
  m.new_hire_completes_flow = true;
  auto with_manual = compute_scorecard(data, m, now);
  CHECK(with_manual.score == s.score + 3);
  CHECK_FALSE(with_manual.urgent);
}

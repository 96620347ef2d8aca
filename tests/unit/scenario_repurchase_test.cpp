// Scenario: the seed's repurchase example — "某型号骨科植入耗材平均使用周期为14个月，客户A于2024年10月
// 采购，则2026年1月起进入'复购预备期'" — replayed under our documented rule (docs/REPURCHASE.md).
#include <doctest/doctest.h>

#include "core/repurchase.h"
#include "core/settings.h"
#include "core/time.h"

using namespace cl;

TEST_CASE("scenario: customer A bought the 14-month implant in October 2024 and is tagged by January 2026") {
  Settings s = default_settings();  // repurchase_lead_days = 60
  std::vector<Product> products = {{"gk14", "GK-ZR-14", "骨科植入耗材（锁定接骨板）", "骨科耗材", 14, "GK-ZR-15", true},
                                    {"gk15", "GK-ZR-15", "骨科植入耗材（新一代锁定接骨板）", "骨科耗材", 14, "", true}};
  Customer a;
  a.meta.id = "A";
  a.meta.owner_id = "rep3";
  a.name = "客户A（杭州市某骨科医院）";
  Contract k;
  k.meta.id = "K1";
  k.customer_id = "A";
  k.status = ContractStatus::Signed;
  k.signed_on = {2024, 10, 15};
  k.lines = {QuoteLine{"gk14", "GK-ZR-14", "骨科植入耗材", 40, {}, 0}};
  std::vector<Contract> contracts = {k};

  struct Step { Date today; RepurchasePhase phase; bool tagged; };
  const Step steps[] = {
      {{2025, 10, 15}, RepurchasePhase::NotYet, false},
      {{2025, 10, 16}, RepurchasePhase::Prep, true},     // 60 days before Dec 15 2025
      {{2025, 12, 15}, RepurchasePhase::Prep, true},     // due: Oct 2024 + 14 months
      {{2026, 1, 1}, RepurchasePhase::Overdue, true},    // the seed's "from January 2026": tagged
      {{2027, 2, 15}, RepurchasePhase::Lapsed, false},   // a whole further cycle: dormant
  };
  for (const auto& step : steps) {
    CAPTURE(to_iso_date(step.today));
    auto items = repurchase_items(contracts, products, s, step.today);
    REQUIRE(items.size() == 1);
    CHECK(items[0].phase == step.phase);
    CHECK((with_repurchase_tag(a, items).tags.count("repurchase") == 1) == step.tagged);
  }

  // In January 2026 the rep opens the checklist and starts the conversation.
  auto items = repurchase_items(contracts, products, s, {2026, 1, 5});
  auto list = repurchase_checklist(a, items, products);
  REQUIRE(list.items.size() == 3);
  CHECK(list.items[1].suggested_model_code == "GK-ZR-15");
  const std::string msg = repurchase_message(a, items[0], s);
  CHECK(msg.find(a.name) != std::string::npos);
  CHECK(msg.find("GK-ZR-14") != std::string::npos);
  CHECK(msg.find("GK-ZR-15") != std::string::npos);

  // R19 only covers customers with a deal in the last 6 months: A (last deal Oct 2024) gets the tag
  // but no scheduled reminder in January 2026; after buying again in March 2026 it does.
  CHECK(repurchase_reminders({a}, contracts, products, s, {2026, 1, 5}).empty());
  Contract again = k;
  again.meta.id = "K2";
  again.signed_on = {2026, 3, 10};
  again.lines[0].product_id = "gk15";
  contracts.push_back(again);
  auto reminders = repurchase_reminders({a}, contracts, products, s, {2026, 4, 1});
  REQUIRE(reminders.size() == 1);  // buying the replacement model superseded the old model's window
  bool found_new = false;
  for (const auto& r : reminders)
    if (r.dedupe_key == "repurchase:A:gk15:2026-03-10") {
      found_new = true;
      CHECK(r.due_at == beijing_midnight(add_days({2027, 5, 10}, -60)));
    }
  CHECK(found_new);
}

#include <doctest/doctest.h>

#include "core/repurchase.h"
#include "core/time.h"

using namespace cl;

namespace {

std::vector<Product> products() {
  return {{"gk", "GK-ZR-14", "骨科植入耗材", "耗材", 14, "GK-ZR-15", true},
          {"gk15", "GK-ZR-15", "骨科植入耗材（新一代）", "耗材", 14, "", true},
          {"xd", "XD-200", "消毒设备", "设备", 36, "", true}};
}

Contract signed_contract(const std::string& id, const std::string& customer, Date on, std::vector<Id> prods,
                ContractStatus st = ContractStatus::Signed) {
  Contract c;
  c.meta.id = id;
  c.customer_id = customer;
  c.status = st;
  c.signed_on = on;
  for (auto& p : prods) c.lines.push_back(QuoteLine{p, "", "", 1, {}, 0});
  return c;
}

Customer customer(const std::string& id, const std::string& name) {
  Customer c;
  c.meta.id = id;
  c.meta.owner_id = "rep1";
  c.name = name;
  return c;
}

}  // namespace

TEST_CASE("the due date is the last purchase plus the cycle and prep opens the lead days before it") {
  auto w = repurchase_window({2024, 10, 15}, 14, 60);
  CHECK(w.due_on == Date{2025, 12, 15});
  CHECK(w.prep_opens_on == Date{2025, 10, 16});
  CHECK(w.lapses_on == Date{2027, 2, 15});
  // month-end purchases clamp instead of spilling into the next month
  CHECK(repurchase_window({2024, 12, 31}, 2, 0).due_on == Date{2025, 2, 28});
}

TEST_CASE("the seed's example: bought October 2024 with a 14-month cycle is in 复购预备期 in January 2026") {
  Settings s;  // repurchase_lead_days = 60
  auto items = repurchase_items({signed_contract("K1", "A", {2024, 10, 15}, {"gk"})}, products(), s, {2026, 1, 1});
  REQUIRE(items.size() == 1);
  // The seed says prep starts in January 2026; Oct 2024 + 14 months is Dec 2025, so under our rule
  // prep opened in October 2025 and in January the customer is overdue — still tagged.
  CHECK(items[0].due_on == Date{2025, 12, 15});
  CHECK(items[0].prep_opens_on == Date{2025, 10, 16});
  CHECK(items[0].phase == RepurchasePhase::Overdue);
  CHECK(items[0].days_until_due == -17);
  CHECK(in_repurchase_prep("A", items));
  // what the seed's "from January 2026" would require: January = due + 1 month, a negative lead time
  CHECK(add_months({2024, 10, 15}, 15).month == 1);
}

TEST_CASE("the window moves through not yet, prep, overdue and lapsed by the Beijing date") {
  auto w = repurchase_window({2024, 10, 15}, 14, 60);
  CHECK(repurchase_phase(w, {2025, 10, 15}) == RepurchasePhase::NotYet);
  CHECK(repurchase_phase(w, {2025, 10, 16}) == RepurchasePhase::Prep);
  CHECK(repurchase_phase(w, {2025, 12, 15}) == RepurchasePhase::Prep);
  CHECK(repurchase_phase(w, {2025, 12, 16}) == RepurchasePhase::Overdue);
  CHECK(repurchase_phase(w, {2027, 2, 15}) == RepurchasePhase::Lapsed);
}

TEST_CASE("the last purchase is the latest signed contract; drafts and cancelled ones do not count") {
  Settings s;
  auto items = repurchase_items({signed_contract("K1", "A", {2024, 1, 10}, {"gk"}),
                                 signed_contract("K2", "A", {2025, 3, 1}, {"gk", "xd"}),
                                 signed_contract("K3", "A", {2025, 9, 1}, {"gk"}, ContractStatus::Cancelled),
                                 signed_contract("K4", "A", {2025, 9, 1}, {"gk"}, ContractStatus::Draft)},
                                products(), s, {2025, 6, 1});
  REQUIRE(items.size() == 2);
  CHECK(items[0].product_id == "gk");
  CHECK(items[0].last_purchase == Date{2025, 3, 1});
  CHECK(items[1].due_on == Date{2028, 3, 1});
  CHECK_FALSE(in_repurchase_prep("A", items));
}

TEST_CASE("the 复购预备期 tag is set while in the window and removed after a new purchase") {
  Settings s;
  Customer a = customer("A", "杭州市第一人民医院");
  std::vector<Contract> cs = {signed_contract("K1", "A", {2024, 10, 15}, {"gk"})};
  auto tagged = with_repurchase_tag(a, repurchase_items(cs, products(), s, {2025, 11, 1}));
  CHECK(tagged.tags.at("repurchase") == "复购预备期");
  cs.push_back(signed_contract("K2", "A", {2025, 11, 20}, {"gk"}));
  auto after = with_repurchase_tag(tagged, repurchase_items(cs, products(), s, {2025, 12, 1}));
  CHECK(after.tags.count("repurchase") == 0);
}

TEST_CASE("the checklist has a stock check, the replacement model and a clinical feedback entry") {
  Settings s;
  auto items = repurchase_items({signed_contract("K1", "A", {2024, 10, 15}, {"gk"})}, products(), s, {2025, 11, 1});
  auto list = repurchase_checklist(customer("A", "某医院"), items, products());
  REQUIRE(list.items.size() == 3);
  CHECK(list.items[0].kind == ChecklistKind::StockCheck);
  CHECK(list.items[0].text_zh.find("2025-12-15") != std::string::npos);
  CHECK(list.items[1].kind == ChecklistKind::ReplacementSuggestion);
  CHECK(list.items[1].suggested_model_code == "GK-ZR-15");
  CHECK(list.items[1].text_zh.find("骨科植入耗材（新一代）") != std::string::npos);
  CHECK(list.items[2].kind == ChecklistKind::ClinicalFeedback);
}

TEST_CASE("the repurchase message fills customer name, product and recommended model from the admin's template") {
  Settings s;
  s.templates.push_back({"repurchase_start", "复购沟通", "Repurchase", "{客户名称}：{产品型号} 快到期了，试试 {推荐型号}？"});
  auto items = repurchase_items({signed_contract("K1", "A", {2024, 10, 15}, {"gk", "xd"})}, products(), s, {2025, 11, 1});
  CHECK(repurchase_message(customer("A", "宁波市中医院"), items[0], s) == "宁波市中医院：GK-ZR-14 快到期了，试试 GK-ZR-15？");
  Settings defaults;
  auto msg = repurchase_message(customer("A", "宁波市中医院"), items[1], defaults);
  CHECK(msg.find("宁波市中医院") != std::string::npos);
  CHECK(msg.find("{") == std::string::npos);
}

TEST_CASE("reminders go only to customers with a deal in the last six months, due when prep opens") {
  Settings s;
  std::vector<Customer> customers = {customer("A", "甲医院"), customer("B", "乙诊所")};
  std::vector<Contract> cs = {signed_contract("K1", "A", {2025, 3, 1}, {"gk"}), signed_contract("K2", "B", {2024, 6, 1}, {"gk"})};
  auto rs = repurchase_reminders(customers, cs, products(), s, {2025, 8, 1});
  REQUIRE(rs.size() == 1);
  CHECK(rs[0].subject_id == "A");
  CHECK(rs[0].recipient_id == "rep1");
  CHECK(rs[0].due_at == beijing_midnight({2026, 3, 2}));  // due 2026-05-01 − 60 days (30 in April, 30 in March)
  CHECK(rs[0].text_zh.find("甲医院") != std::string::npos);
  CHECK(rs[0].text_zh.find("GK-ZR-14") != std::string::npos);
  CHECK(rs[0].text_zh.find("GK-ZR-15") != std::string::npos);
  CHECK(rs[0].dedupe_key == "repurchase:A:gk:2025-03-01");
}

TEST_CASE("buying the replacement model closes the old model's repurchase window") {
  Settings s;
  auto items = repurchase_items({signed_contract("K1", "A", {2024, 10, 15}, {"gk"}), signed_contract("K2", "A", {2025, 11, 1}, {"gk15"})},
                                products(), s, {2025, 11, 20});
  REQUIRE(items.size() == 1);
  CHECK(items[0].product_id == "gk15");
  CHECK_FALSE(in_repurchase_prep("A", items));
}

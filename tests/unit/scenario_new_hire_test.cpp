// Scenario: R23 / the seed's "新人入职3个月仍无法独立完成报价+合同+开票闭环" — a new rep, hired on
// 2026-03-02, creates a customer, quotes from the price list (a 12 % discount goes to the manager),
// turns the approved quote into a contract, requests and issues the invoice, and records the payment,
// all within 30 days; the collection dashboard and scorecard indicator #8 see it.
#include <doctest/doctest.h>

#include "core/billing.h"
#include "core/collection.h"
#include "core/customer_validation.h"
#include "core/money.h"
#include "core/quotes.h"
#include "core/scorecard.h"
#include "core/settings.h"
#include "core/time.h"

using namespace cl;

TEST_CASE("scenario: a new hire goes customer → quote → contract → invoice → payment within 30 days") {
  const Settings settings = default_settings();
  const Instant hired = beijing_midnight({2026, 3, 2}) + 9 * kHour;
  User rep, manager;
  rep.id = "rep29";
  rep.display_name = "新人小周";
  rep.role = Role::Rep;
  rep.team_id = "t1";
  manager.id = "manager1";
  manager.role = Role::Manager;
  manager.team_id = "t1";
  std::vector<User> users = {manager, rep};
  std::vector<Team> teams = {{"t1", "杭州一组", "杭州", "manager1"}};

  // Day 1: the customer, with the seed's five fields and three tags (R4)
  Customer c;
  c.meta = {"cust-1", rep.id, hired + kHour, hired + kHour};
  c.code = "KH-001-00001";
  c.name = "杭州市西湖区康宁骨科医院有限公司";
  c.decision_maker = "陈建华";
  c.decision_maker_title = "设备科主任";
  c.phone = "0571-87001234";
  c.main_business = "骨科专科医疗";
  c.tags = {{"customer_type", "民营医院"}, {"region", "杭州"}, {"first_channel", "电话开发"}};
  REQUIRE(validate_customer(c, settings).empty());

  // Day 3: a quote from the list valid that day; 12 % on the implants needs the manager (>10 %)
  std::vector<Product> products = {{"gk", "GK-ZR-14", "骨科植入耗材", "骨科耗材", 14, "", true}};
  std::vector<PriceList> lists = {{"pl", "2026 年度价目表", {2026, 1, 1}, {2026, 12, 31}, {{"gk", yuan(3800)}}}};
  QuoteRequest qr;
  qr.quote_id = "q-1";
  qr.code = "BJ-2026-0001";
  qr.owner_id = rep.id;
  qr.customer_id = c.meta.id;
  qr.quote_date = {2026, 3, 4};
  qr.lines = {{"gk", 30, 1200}};
  auto quote = build_quote(qr, lists, products, settings, hired + 2 * kDay);
  REQUIRE(quote.ok());
  CHECK(quote_totals(quote.value).net == yuan(100320));  // 3800 × 30 × 0.88
  auto submitted = submit_quote(quote.value, settings, hired + 2 * kDay);
  REQUIRE(submitted.value.status == QuoteStatus::PendingApproval);
  auto approved = approve_quote(submitted.value, manager, rep, hired + 2 * kDay + 3 * kHour, "首单支持");
  REQUIRE(approved.ok());
  auto sent = mark_quote_sent(approved.value, hired + 2 * kDay + 4 * kHour);
  REQUIRE(sent.ok());

  // Day 10: contract from the approved quote, signed
  auto contract = contract_from_quote(sent.value, "k-1", "HT-2026-0001", hired + 9 * kDay);
  REQUIRE(contract.ok());
  auto signed_k = sign_contract(contract.value, {2026, 3, 11}, hired + 9 * kDay);
  REQUIRE(signed_k.ok());
  CHECK(signed_k.value.amount == yuan(100320));

  // Day 12: invoice requested and issued; day 25: paid in two instalments
  auto inv = request_invoice(signed_k.value, {}, {"i-1", "FP-2026-0001", signed_k.value.amount, {2026, 3, 13}}, settings, hired + 11 * kDay);
  REQUIRE(inv.ok());
  auto issued = issue_invoice(inv.value, {2026, 3, 14}, settings, hired + 12 * kDay);
  REQUIRE(issued.ok());
  Payment first;
  first.meta.id = "p-1";
  first.amount = yuan(60000);
  first.received_on = {2026, 3, 20};
  auto p1 = record_payment(issued.value, {}, first, hired + 18 * kDay);
  REQUIRE(p1.ok());
  Payment rest = first;
  rest.meta.id = "p-2";
  rest.amount = yuan(40320);
  rest.received_on = {2026, 3, 27};
  auto p2 = record_payment(p1.value.invoice, {p1.value.payment}, rest, hired + 25 * kDay);
  REQUIRE(p2.ok());
  CHECK(p2.value.invoice.status == InvoiceStatus::Paid);
  std::vector<Payment> payments = {p1.value.payment, p2.value.payment};
  CHECK(overdue_invoices({p2.value.invoice}, payments, hired + 60 * kDay).empty());

  // The March collection dashboard credits the new rep
  std::vector<CollectionTarget> targets = {{"x", "2026-03", rep.id, "", yuan(80000)}};
  auto dash = collection_dashboard("2026-03", payments, targets, users, teams);
  REQUIRE(dash.reps.size() == 1);
  CHECK(dash.reps[0].collected == yuan(100320));
  CHECK(dash.reps[0].achievement_bp == 12540);

  // Scorecard #8 from data: hired ≥30 days ago, own customer and contract within 30 days → yes
  std::vector<Customer> customers = {c};
  std::vector<Contract> contracts = {signed_k.value};
  ScorecardManualInputs manual;
  manual.hired_at[rep.id] = hired;
  ScorecardData data{&users, &teams, &customers, nullptr, nullptr, &contracts, nullptr};
  auto sc = compute_scorecard(data, manual, hired + 40 * kDay);
  CHECK(sc.indicators[7].source == IndicatorSource::Computed);
  CHECK(sc.indicators[7].passed);
  CHECK(sc.indicators[7].numerator == 1);
}

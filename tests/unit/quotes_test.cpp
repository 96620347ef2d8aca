#include <doctest/doctest.h>

#include "core/money.h"
#include "core/quotes.h"

using namespace cl;

namespace {

std::vector<Product> products() {
  return {{"p1", "GK-ZR-14", "骨科植入耗材", "耗材", 14, "GK-ZR-15", true},
          {"p2", "XD-200", "消毒设备", "设备", 36, "", true},
          {"p3", "JC-9", "检测试剂", "试剂", 6, "", true}};
}

std::vector<PriceList> lists() {
  PriceList annual{"L2026", "2026 年度价目表", {2026, 1, 1}, {2026, 12, 31},
                   {{"p1", yuan(1000)}, {"p2", {33333}}, {"p3", yuan(50)}}};
  PriceList mid{"L2026H2", "2026 下半年调价", {2026, 7, 1}, {2026, 12, 31},
                {{"p1", yuan(1100)}, {"p2", {33333}}}};
  return {annual, mid};
}

QuoteRequest request(Date day, std::vector<QuoteLineRequest> lines) {
  QuoteRequest r;
  r.quote_id = "Q1";
  r.code = "BJ-1";
  r.owner_id = "rep1";
  r.customer_id = "C1";
  r.quote_date = day;
  r.lines = std::move(lines);
  return r;
}

User user(const char* id, Role role, const char* team) {
  User u;
  u.id = id;
  u.role = role;
  u.team_id = team;
  return u;
}

}  // namespace

TEST_CASE("the price list valid on a day is the latest-starting one whose inclusive range holds it") {
  auto l = lists();
  CHECK(price_list_on(l, {2026, 6, 30})->id == "L2026");
  CHECK(price_list_on(l, {2026, 7, 1})->id == "L2026H2");
  CHECK(price_list_on(l, {2026, 12, 31})->id == "L2026H2");
  CHECK(price_list_on(l, {2027, 1, 1}) == nullptr);
}

TEST_CASE("quote lines copy the list price of the day and totals are exact in fen, rounded per line") {
  Settings s;
  auto r = build_quote(request({2026, 3, 1}, {{"p2", 3, 333}, {"p1", 2, 0}}), lists(), products(), s, 0);
  REQUIRE(r.ok());
  CHECK(r.value.price_list_id == "L2026");
  CHECK(r.value.lines[0].unit_list_price == Money{33333});
  CHECK(r.value.lines[0].model_code == "XD-200");
  // 33333 × 3 = 99999 fen; × (1 − 3.33 %) = 96669.0333 → 96669
  auto t = quote_totals(r.value);
  CHECK(t.gross == Money{99999 + 200000});
  CHECK(t.net == Money{96669 + 200000});
  CHECK(t.discount == Money{3330});
  CHECK(r.value.valid_until == Date{2026, 3, 31});
}

TEST_CASE("a quote refuses products missing from the list, zero quantities and impossible discounts at once") {
  Settings s;
  auto r = build_quote(request({2026, 8, 1}, {{"p3", 1, 0}, {"p1", 0, 10001}}), lists(), products(), s, 0);
  REQUIRE_FALSE(r.ok());
  std::vector<std::string> codes;
  for (auto& p : r.problems) codes.push_back(p.code);
  CHECK(codes == std::vector<std::string>{"product_not_on_price_list", "quantity_invalid", "discount_out_of_range"});
  CHECK(build_quote(request({2027, 8, 1}, {{"p1", 1, 0}}), lists(), products(), s, 0).problems[0].code ==
        "no_valid_price_list");
}

TEST_CASE("a discount above the threshold sends the quote to the manager; at the threshold it passes") {
  Settings s;
  s.discount_approval_bp = 1000;
  auto at = build_quote(request({2026, 3, 1}, {{"p1", 1, 1000}}), lists(), products(), s, 0).value;
  auto above = build_quote(request({2026, 3, 1}, {{"p1", 1, 0}, {"p3", 1, 1001}}), lists(), products(), s, 0).value;
  auto sa = submit_quote(at, s, 5);
  REQUIRE(sa.ok());
  CHECK(sa.value.status == QuoteStatus::Approved);
  CHECK(sa.value.approved_by.empty());
  CHECK(submit_quote(above, s, 5).value.status == QuoteStatus::PendingApproval);
}

TEST_CASE("only the owner's team manager or an admin may approve, and the approver is recorded") {
  Settings s;
  auto q = build_quote(request({2026, 3, 1}, {{"p1", 1, 2000}}), lists(), products(), s, 0).value;
  q = submit_quote(q, s, 1).value;
  User owner = user("rep1", Role::Rep, "t1");
  auto other_manager = approve_quote(q, user("m2", Role::Manager, "t2"), owner, 2);
  REQUIRE_FALSE(other_manager.ok());
  CHECK(other_manager.problems[0].code == "approver_not_allowed");
  CHECK_FALSE(approve_quote(q, user("rep2", Role::Rep, "t1"), owner, 2).ok());
  auto ok = approve_quote(q, user("m1", Role::Manager, "t1"), owner, 2, "大客户");
  REQUIRE(ok.ok());
  CHECK(ok.value.status == QuoteStatus::Approved);
  CHECK(ok.value.approved_by == "m1");
  CHECK(ok.value.approved_at == 2);
  CHECK(approve_quote(q, user("admin", Role::Admin, ""), owner, 3).ok());
  CHECK(reject_quote(q, user("m1", Role::Manager, "t1"), owner, 3, "").problems[0].code == "reason_required");
}

TEST_CASE("a quote waiting for approval cannot be sent") {
  Settings s;
  auto q = submit_quote(build_quote(request({2026, 3, 1}, {{"p1", 1, 2000}}), lists(), products(), s, 0).value, s, 1).value;
  CHECK_FALSE(mark_quote_sent(q, 2).ok());
}

TEST_CASE("similar past quotes rank by customer type, region and product overlap") {
  auto cust = [](const char* id, const char* type, const char* region) {
    Customer c;
    c.meta.id = id;
    c.tags = {{"customer_type", type}, {"region", region}};
    return c;
  };
  std::vector<Customer> customers = {cust("A", "三甲医院", "杭州"), cust("B", "三甲医院", "宁波"),
                                     cust("C", "民营诊所", "杭州")};
  auto past = [](const char* id, const char* customer, std::vector<Id> prods, QuoteStatus st, Date d) {
    Quote q;
    q.meta.id = id;
    q.customer_id = customer;
    q.status = st;
    q.quote_date = d;
    for (auto& p : prods) q.lines.push_back(QuoteLine{p, "", "", 1, {}, 0});
    return q;
  };
  std::vector<Quote> quotes = {
      past("qa", "A", {"p1"}, QuoteStatus::Sent, {2026, 1, 1}),
      past("qb", "B", {"p1", "p2"}, QuoteStatus::Approved, {2026, 2, 1}),
      past("qc", "C", {"p1"}, QuoteStatus::Sent, {2026, 3, 1}),
      past("qr", "A", {"p1"}, QuoteStatus::Rejected, {2026, 4, 1}),
  };
  Customer target = cust("T", "三甲医院", "杭州");
  auto ranked = rank_similar_quotes(target, {"p1"}, quotes, customers);
  REQUIRE(ranked.size() == 3);
  CHECK(ranked[0].quote_id == "qa");
  CHECK(ranked[0].score == 100);
  CHECK(ranked[1].quote_id == "qc");  // same region + same single product
  CHECK(ranked[1].score == 30 + 30);
  CHECK(ranked[2].quote_id == "qb");  // same type, half the products overlap
  CHECK(ranked[2].score == 40 + 15);
}

TEST_CASE("reusing a past quote changes a few parameters and prices it at today's list") {
  Settings s;
  auto past = build_quote(request({2026, 3, 1}, {{"p1", 2, 500}, {"p2", 1, 0}, {"p3", 10, 0}}), lists(), products(), s, 0).value;
  QuoteReuseChanges ch;
  ch.quote_id = "Q2";
  ch.customer_id = "C9";
  ch.quote_date = {2026, 8, 1};
  ch.quantities = {{"p1", 5}};
  ch.discounts = {{"p2", 800}};
  ch.remove_products = {"p3"};
  auto r = reuse_quote(past, ch, lists(), products(), s, 10);
  REQUIRE(r.ok());
  REQUIRE(r.value.lines.size() == 2);
  CHECK(r.value.based_on_quote_id == "Q1");
  CHECK(r.value.customer_id == "C9");
  CHECK(r.value.lines[0].quantity == 5);
  CHECK(r.value.lines[0].discount_bp == 500);
  CHECK(r.value.lines[0].unit_list_price == yuan(1100));  // the H2 list, not the old price
  CHECK(r.value.lines[1].discount_bp == 800);
}

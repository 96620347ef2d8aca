#include <doctest/doctest.h>

#include "core/billing.h"
#include "core/money.h"
#include "core/time.h"

using namespace cl;

namespace {

Quote approved_quote() {
  Quote q;
  q.meta.id = "Q1";
  q.meta.owner_id = "rep1";
  q.customer_id = "C1";
  q.status = QuoteStatus::Approved;
  q.lines = {QuoteLine{"p1", "GK", "骨科", 3, yuan(1000), 1000}, QuoteLine{"p2", "XD", "消毒", 1, {33333}, 333}};
  return q;
}

Contract signed_contract() {
  auto c = contract_from_quote(approved_quote(), "K1", "HT-1", 0).value;
  return sign_contract(c, {2026, 3, 1}, 0).value;
}

Payment pay(Money m, Date d = {2026, 3, 10}) {
  Payment p;
  p.meta.id = "P" + std::to_string(m.fen);
  p.amount = m;
  p.received_on = d;
  return p;
}

}  // namespace

TEST_CASE("a contract copies an approved quote's lines and net amount") {
  auto c = contract_from_quote(approved_quote(), "K1", "HT-1", 0);
  REQUIRE(c.ok());
  CHECK(c.value.lines.size() == 2);
  CHECK(c.value.amount == Money{270000 + 32223});  // 33333 × 0.9667 = 32223.0111 → 32223
  CHECK(c.value.quote_id == "Q1");
  CHECK(c.value.meta.owner_id == "rep1");
}

TEST_CASE("a contract cannot come from a quote that is not approved") {
  Quote q = approved_quote();
  q.status = QuoteStatus::PendingApproval;
  CHECK(contract_from_quote(q, "K1", "HT-1", 0).problems[0].code == "quote_not_approved");
}

TEST_CASE("invoices need a signed contract and can never add up to more than it") {
  Settings s;
  auto draft = contract_from_quote(approved_quote(), "K1", "HT-1", 0).value;
  CHECK(request_invoice(draft, {}, {"I1", "FP-1", yuan(100), {2026, 3, 2}}, s, 0).problems[0].code == "contract_not_signed");
  Contract c = signed_contract();
  auto first = request_invoice(c, {}, {"I1", "FP-1", yuan(2000), {2026, 3, 2}}, s, 0);
  REQUIRE(first.ok());
  CHECK(first.value.due_on == Date{2026, 4, 1});
  auto too_much = request_invoice(c, {first.value}, {"I2", "FP-2", Money{c.amount.fen - yuan(2000).fen + 1}, {2026, 3, 2}}, s, 0);
  REQUIRE_FALSE(too_much.ok());
  CHECK(too_much.problems[0].code == "invoice_exceeds_contract");
  CHECK(request_invoice(c, {first.value}, {"I2", "FP-2", c.amount - yuan(2000), {2026, 3, 2}}, s, 0).ok());
}

TEST_CASE("payments cannot exceed the open amount and the last one marks the invoice paid") {
  Settings s;
  Contract c = signed_contract();
  Invoice inv = issue_invoice(request_invoice(c, {}, {"I1", "FP-1", yuan(1000), {2026, 3, 2}}, s, 0).value,
                              {2026, 3, 3}, s, 0).value;
  CHECK(inv.due_on == Date{2026, 4, 2});
  auto p1 = record_payment(inv, {}, pay(yuan(400)), 1);
  REQUIRE(p1.ok());
  CHECK(p1.value.invoice.status == InvoiceStatus::Issued);
  CHECK(p1.value.payment.meta.owner_id == "rep1");
  std::vector<Payment> paid = {p1.value.payment};
  CHECK(record_payment(inv, paid, pay(yuan(601)), 2).problems[0].code == "payment_exceeds_open");
  auto p2 = record_payment(inv, paid, pay(yuan(600)), 2);
  REQUIRE(p2.ok());
  CHECK(p2.value.invoice.status == InvoiceStatus::Paid);
  CHECK_FALSE(record_payment(p2.value.invoice, {}, pay(yuan(1)), 3).ok());
}

TEST_CASE("an invoice is overdue from the Beijing day after its due date, with days and open amount") {
  Settings s;
  Invoice inv = request_invoice(signed_contract(), {}, {"I1", "FP-1", yuan(1000), {2026, 3, 1}}, s, 0).value;
  std::vector<Payment> paid = {pay(yuan(300))};
  paid[0].invoice_id = "I1";
  // due 2026-03-31; 2026-03-31 23:30 Beijing is still on time, 00:30 on 04-01 is 1 day late
  Instant on_due_day = beijing_midnight({2026, 3, 31}) + 23 * kHour + 30 * kMinute;
  CHECK(overdue_invoices({inv}, paid, on_due_day).empty());
  auto late = overdue_invoices({inv}, paid, on_due_day + kHour);
  REQUIRE(late.size() == 1);
  CHECK(late[0].days_overdue == 1);
  CHECK(late[0].open == yuan(700));
  inv.status = InvoiceStatus::Paid;
  CHECK(overdue_invoices({inv}, paid, on_due_day + 30 * kDay).empty());
}

// Lists (exports, dashboards) sum payments per invoice in one pass: the figures must be exactly the
// per-invoice ones, deleted payments and cancelled invoices included.
TEST_CASE("per-list paid and open amounts equal the per-invoice ones") {
  std::vector<Invoice> invoices;
  std::vector<Payment> payments;
  for (int i = 0; i < 40; ++i) {
    Invoice inv;
    inv.meta.id = "I" + std::to_string(i);
    inv.amount = yuan(1000 + 37 * i);
    inv.status = i % 7 == 0 ? InvoiceStatus::Cancelled : (i % 3 ? InvoiceStatus::Issued : InvoiceStatus::Paid);
    invoices.push_back(inv);
    for (int k = 0; k < i % 4; ++k) {
      Payment p = pay(Money{100 * (i + 1) + k});
      p.meta.id = "P" + std::to_string(i) + "-" + std::to_string(k);
      p.invoice_id = inv.meta.id;
      p.meta.deleted = (i + k) % 5 == 0;
      payments.push_back(p);
    }
  }
  Payment stray = pay(yuan(9));
  stray.invoice_id = "no-such-invoice";
  payments.push_back(stray);
  const auto paid = paid_by_invoice(payments);
  int with_payments = 0;
  for (const auto& inv : invoices) {
    CAPTURE(inv.meta.id);
    auto it = paid.find(inv.meta.id);
    const Money p = it == paid.end() ? Money{} : it->second;
    with_payments += p.fen > 0;
    CHECK(p == paid_total(inv.meta.id, payments));
    CHECK(open_amount(inv, p) == open_amount(inv, payments));
  }
  CHECK(with_payments > 10);
  CHECK(paid.at("no-such-invoice") == yuan(9));
}

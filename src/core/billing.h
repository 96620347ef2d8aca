// R21: approved quote → contract → invoice request (开票) → payments (回款) → overdue tracking.
//
// Invariants guarded here (each refusal a Problem, zh/en):
//   - a contract is made only from an Approved (or Sent, i.e. approved and delivered) quote; it
//     copies the quote's lines and its net total, so the contract amount is exactly the quote's;
//   - invoices are requested only against a Signed contract, and the sum of its non-cancelled
//     invoices never exceeds the contract amount;
//   - a payment is positive, recorded against an open (Requested/Issued) invoice and never exceeds
//     its open amount; the payment that closes the balance marks the invoice Paid;
//   - an invoice is overdue when it is not Paid/Cancelled and the Beijing date of `now` is after
//     due_on; days overdue = today − due_on.
#pragma once

#include <string>
#include <map>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl {

Result<Contract> contract_from_quote(const Quote& quote, const Id& contract_id, const std::string& code,
                                     Instant now);
Result<Contract> sign_contract(Contract contract, Date signed_on, Instant now);

Money invoiced_total(const Id& contract_id, const std::vector<Invoice>& invoices);  // excl. cancelled
Money paid_total(const Id& invoice_id, const std::vector<Payment>& payments);
Money open_amount(const Invoice& invoice, const std::vector<Payment>& payments);
// The same two figures for a whole list: live payments summed per invoice in one pass (paid_total per
// invoice over a list is quadratic: 77k invoices x 80k payments took an export 4.5 minutes), and an
// invoice's open amount given what was paid on it.
std::map<Id, Money> paid_by_invoice(const std::vector<Payment>& payments);
Money open_amount(const Invoice& invoice, Money paid);

struct InvoiceRequest {
  Id invoice_id;
  std::string code;
  Money amount;
  Date requested_on;
};

// Requested invoice; due_on = requested_on + settings.invoice_due_days until it is issued.
Result<Invoice> request_invoice(const Contract& contract, const std::vector<Invoice>& existing,
                                const InvoiceRequest& request, const Settings& settings, Instant now);
// Requested → Issued; the payment term runs from the issue date.
Result<Invoice> issue_invoice(Invoice invoice, Date issued_on, const Settings& settings, Instant now);

struct PaymentRecorded {
  Payment payment;
  Invoice invoice;       // status Paid once fully paid
};

Result<PaymentRecorded> record_payment(const Invoice& invoice, const std::vector<Payment>& existing,
                                       Payment payment, Instant now);

struct OverdueInvoice {
  Id invoice_id;
  Id customer_id;
  Id owner_id;
  std::string code;
  Date due_on;
  int days_overdue = 0;
  Money open;
};

// Sorted by most days overdue first.
std::vector<OverdueInvoice> overdue_invoices(const std::vector<Invoice>& invoices,
                                             const std::vector<Payment>& payments, Instant now);

}  // namespace cl

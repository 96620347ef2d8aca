#include "core/billing.h"

#include <algorithm>
#include <map>

#include "core/money.h"
#include "core/quotes.h"
#include "core/time.h"

namespace cl {

Result<Contract> contract_from_quote(const Quote& quote, const Id& contract_id, const std::string& code,
                                     Instant now) {
  if (quote.status != QuoteStatus::Approved && quote.status != QuoteStatus::Sent)
    return Result<Contract>::failure({{"quote_not_approved", "quote_id", "只能从审批通过的报价单生成合同",
                                       "a contract can only be made from an approved quote"}});
  Contract c;
  c.meta.id = contract_id;
  c.meta.owner_id = quote.meta.owner_id;
  c.meta.created_at = c.meta.updated_at = now;
  c.code = code;
  c.quote_id = quote.meta.id;
  c.customer_id = quote.customer_id;
  c.opportunity_id = quote.opportunity_id;
  c.lines = quote.lines;
  c.amount = quote_totals(quote).net;
  return Result<Contract>::success(std::move(c));
}

Result<Contract> sign_contract(Contract contract, Date signed_on, Instant now) {
  Problems p;
  if (contract.status != ContractStatus::Draft)
    p.push_back({"contract_not_draft", "status", "只有草稿合同可以签署", "only a draft contract can be signed"});
  if (!valid_date(signed_on))
    p.push_back({"date_invalid", "signed_on", "签署日期无效", "the signing date is not valid"});
  if (!p.empty()) return Result<Contract>::failure(std::move(p));
  contract.status = ContractStatus::Signed;
  contract.signed_on = signed_on;
  contract.meta.updated_at = now;
  return Result<Contract>::success(std::move(contract));
}

Money invoiced_total(const Id& contract_id, const std::vector<Invoice>& invoices) {
  Money sum;
  for (const auto& i : invoices)
    if (i.contract_id == contract_id && i.status != InvoiceStatus::Cancelled && !i.meta.deleted) sum += i.amount;
  return sum;
}

Money paid_total(const Id& invoice_id, const std::vector<Payment>& payments) {
  Money sum;
  for (const auto& p : payments)
    if (p.invoice_id == invoice_id && !p.meta.deleted) sum += p.amount;
  return sum;
}

Money open_amount(const Invoice& invoice, const std::vector<Payment>& payments) {
  return open_amount(invoice, paid_total(invoice.meta.id, payments));
}

std::map<Id, Money> paid_by_invoice(const std::vector<Payment>& payments) {
  std::map<Id, Money> paid;
  for (const auto& p : payments)
    if (!p.meta.deleted) paid[p.invoice_id] += p.amount;
  return paid;
}

Money open_amount(const Invoice& invoice, Money paid) {
  if (invoice.status == InvoiceStatus::Cancelled) return {};
  return invoice.amount - paid;
}

Result<Invoice> request_invoice(const Contract& contract, const std::vector<Invoice>& existing,
                                const InvoiceRequest& request, const Settings& settings, Instant now) {
  Problems p;
  if (contract.status != ContractStatus::Signed)
    p.push_back({"contract_not_signed", "contract_id", "合同签署后才能申请开票", "invoices need a signed contract"});
  if (request.amount.fen <= 0)
    p.push_back({"amount_invalid", "amount", "开票金额必须大于 0", "the invoice amount must be positive"});
  const Money remaining = contract.amount - invoiced_total(contract.meta.id, existing);
  if (request.amount > remaining)
    p.push_back({"invoice_exceeds_contract", "amount",
                 "开票金额超过合同未开票余额 " + format_yuan(remaining),
                 "the amount exceeds what is left to invoice on the contract (" + format_yuan(remaining) + ")"});
  if (!valid_date(request.requested_on))
    p.push_back({"date_invalid", "requested_on", "申请日期无效", "the request date is not valid"});
  if (!p.empty()) return Result<Invoice>::failure(std::move(p));
  Invoice i;
  i.meta.id = request.invoice_id;
  i.meta.owner_id = contract.meta.owner_id;
  i.meta.created_at = i.meta.updated_at = now;
  i.code = request.code;
  i.contract_id = contract.meta.id;
  i.customer_id = contract.customer_id;
  i.amount = request.amount;
  i.requested_on = request.requested_on;
  i.due_on = add_days(request.requested_on, settings.invoice_due_days);
  return Result<Invoice>::success(std::move(i));
}

Result<Invoice> issue_invoice(Invoice invoice, Date issued_on, const Settings& settings, Instant now) {
  if (invoice.status != InvoiceStatus::Requested)
    return Result<Invoice>::failure({{"invoice_not_requested", "status", "只有已申请的发票可以开具",
                                      "only a requested invoice can be issued"}});
  invoice.status = InvoiceStatus::Issued;
  invoice.issued_on = issued_on;
  invoice.due_on = add_days(issued_on, settings.invoice_due_days);
  invoice.meta.updated_at = now;
  return Result<Invoice>::success(std::move(invoice));
}

Result<PaymentRecorded> record_payment(const Invoice& invoice, const std::vector<Payment>& existing,
                                       Payment payment, Instant now) {
  Problems p;
  if (invoice.status != InvoiceStatus::Requested && invoice.status != InvoiceStatus::Issued)
    p.push_back({"invoice_not_open", "invoice_id", "该发票已结清或已作废，不能再登记回款",
                 "the invoice is paid or cancelled; no more payments can be recorded"});
  if (payment.amount.fen <= 0)
    p.push_back({"amount_invalid", "amount", "回款金额必须大于 0", "the payment amount must be positive"});
  const Money open = open_amount(invoice, existing);
  if (payment.amount > open)
    p.push_back({"payment_exceeds_open", "amount", "回款金额超过发票未收金额 " + format_yuan(open),
                 "the payment exceeds the invoice's open amount (" + format_yuan(open) + ")"});
  if (!valid_date(payment.received_on))
    p.push_back({"date_invalid", "received_on", "到账日期无效", "the received date is not valid"});
  if (!p.empty()) return Result<PaymentRecorded>::failure(std::move(p));
  PaymentRecorded out;
  payment.invoice_id = invoice.meta.id;
  payment.customer_id = invoice.customer_id;
  if (payment.meta.owner_id.empty()) payment.meta.owner_id = invoice.meta.owner_id;
  if (payment.meta.created_at == 0) payment.meta.created_at = now;
  payment.meta.updated_at = now;
  out.invoice = invoice;
  if (payment.amount == open) {
    out.invoice.status = InvoiceStatus::Paid;
    out.invoice.meta.updated_at = now;
  }
  out.payment = std::move(payment);
  return Result<PaymentRecorded>::success(std::move(out));
}

std::vector<OverdueInvoice> overdue_invoices(const std::vector<Invoice>& invoices,
                                             const std::vector<Payment>& payments, Instant now) {
  std::map<Id, Money> paid = paid_by_invoice(payments);
  const Date today = beijing_date(now);
  std::vector<OverdueInvoice> out;
  for (const auto& i : invoices) {
    if (i.meta.deleted || i.status == InvoiceStatus::Paid || i.status == InvoiceStatus::Cancelled) continue;
    if (!(i.due_on < today)) continue;
    const Money open = i.amount - paid[i.meta.id];
    if (open.fen <= 0) continue;
    out.push_back({i.meta.id, i.customer_id, i.meta.owner_id, i.code, i.due_on,
                   static_cast<int>(days_between(i.due_on, today)), open});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const OverdueInvoice& a, const OverdueInvoice& b) { return a.days_overdue > b.days_overdue; });
  return out;
}

}  // namespace cl

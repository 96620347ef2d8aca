#include "core/enum_names.h"

#include <array>
#include <utility>

namespace cl {
namespace {

template <class E, size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

constexpr Table<Role, 3> kRole{{{Role::Rep, "rep"}, {Role::Manager, "manager"}, {Role::Admin, "admin"}}};
constexpr Table<LeadStatus, 6> kLeadStatus{{{LeadStatus::Imported, "imported"},
                                            {LeadStatus::Assigned, "assigned"},
                                            {LeadStatus::Touched, "touched"},
                                            {LeadStatus::Qualified, "qualified"},
                                            {LeadStatus::Converted, "converted"},
                                            {LeadStatus::Dropped, "dropped"}}};
constexpr Table<Lifecycle, 6> kLifecycle{{{Lifecycle::New, "new"},
                                          {Lifecycle::Contacted, "contacted"},
                                          {Lifecycle::Opportunity, "opportunity"},
                                          {Lifecycle::Customer, "customer"},
                                          {Lifecycle::RepurchasePrep, "repurchase_prep"},
                                          {Lifecycle::Dormant, "dormant"}}};
constexpr Table<OpportunityStatus, 3> kOppStatus{
    {{OpportunityStatus::Open, "open"}, {OpportunityStatus::Won, "won"}, {OpportunityStatus::Lost, "lost"}}};
constexpr Table<ActivityKind, 11> kActivityKind{{{ActivityKind::Visit, "visit"},
                                                 {ActivityKind::Call, "call"},
                                                 {ActivityKind::MessageSent, "message_sent"},
                                                 {ActivityKind::ReplyReceived, "reply_received"},
                                                 {ActivityKind::ProposalSent, "proposal_sent"},
                                                 {ActivityKind::ObjectionHandled, "objection_handled"},
                                                 {ActivityKind::Demo, "demo"},
                                                 {ActivityKind::QuoteSent, "quote_sent"},
                                                 {ActivityKind::ContractSent, "contract_sent"},
                                                 {ActivityKind::PaymentChased, "payment_chased"},
                                                 {ActivityKind::Note, "note"}}};
constexpr Table<QuoteStatus, 6> kQuoteStatus{{{QuoteStatus::Draft, "draft"},
                                              {QuoteStatus::PendingApproval, "pending_approval"},
                                              {QuoteStatus::Approved, "approved"},
                                              {QuoteStatus::Rejected, "rejected"},
                                              {QuoteStatus::Sent, "sent"},
                                              {QuoteStatus::Superseded, "superseded"}}};
constexpr Table<ContractStatus, 3> kContractStatus{
    {{ContractStatus::Draft, "draft"}, {ContractStatus::Signed, "signed"}, {ContractStatus::Cancelled, "cancelled"}}};
constexpr Table<InvoiceStatus, 4> kInvoiceStatus{{{InvoiceStatus::Requested, "requested"},
                                                  {InvoiceStatus::Issued, "issued"},
                                                  {InvoiceStatus::Paid, "paid"},
                                                  {InvoiceStatus::Cancelled, "cancelled"}}};
constexpr Table<ReminderKind, 6> kReminderKind{{{ReminderKind::StallLevel1, "stall_level1"},
                                                {ReminderKind::StallLevel2, "stall_level2"},
                                                {ReminderKind::UntouchedLead, "untouched_lead"},
                                                {ReminderKind::RepurchaseWindow, "repurchase_window"},
                                                {ReminderKind::InvoiceOverdue, "invoice_overdue"},
                                                {ReminderKind::SecondTouch, "second_touch"}}};

template <class E, size_t N>
std::string_view name_in(const Table<E, N>& t, E v) {
  for (const auto& [e, n] : t)
    if (e == v) return n;
  return "";
}

template <class E, size_t N>
std::optional<E> parse_in(const Table<E, N>& t, std::string_view name) {
  for (const auto& [e, n] : t)
    if (n == name) return e;
  return std::nullopt;
}

}  // namespace

std::string_view enum_name(Role v) { return name_in(kRole, v); }
std::string_view enum_name(LeadStatus v) { return name_in(kLeadStatus, v); }
std::string_view enum_name(Lifecycle v) { return name_in(kLifecycle, v); }
std::string_view enum_name(OpportunityStatus v) { return name_in(kOppStatus, v); }
std::string_view enum_name(ActivityKind v) { return name_in(kActivityKind, v); }
std::string_view enum_name(QuoteStatus v) { return name_in(kQuoteStatus, v); }
std::string_view enum_name(ContractStatus v) { return name_in(kContractStatus, v); }
std::string_view enum_name(InvoiceStatus v) { return name_in(kInvoiceStatus, v); }
std::string_view enum_name(ReminderKind v) { return name_in(kReminderKind, v); }

template <> std::optional<Role> parse_enum<Role>(std::string_view n) { return parse_in(kRole, n); }
template <> std::optional<LeadStatus> parse_enum<LeadStatus>(std::string_view n) { return parse_in(kLeadStatus, n); }
template <> std::optional<Lifecycle> parse_enum<Lifecycle>(std::string_view n) { return parse_in(kLifecycle, n); }
template <> std::optional<OpportunityStatus> parse_enum<OpportunityStatus>(std::string_view n) { return parse_in(kOppStatus, n); }
template <> std::optional<ActivityKind> parse_enum<ActivityKind>(std::string_view n) { return parse_in(kActivityKind, n); }
template <> std::optional<QuoteStatus> parse_enum<QuoteStatus>(std::string_view n) { return parse_in(kQuoteStatus, n); }
template <> std::optional<ContractStatus> parse_enum<ContractStatus>(std::string_view n) { return parse_in(kContractStatus, n); }
template <> std::optional<InvoiceStatus> parse_enum<InvoiceStatus>(std::string_view n) { return parse_in(kInvoiceStatus, n); }
template <> std::optional<ReminderKind> parse_enum<ReminderKind>(std::string_view n) { return parse_in(kReminderKind, n); }

}  // namespace cl

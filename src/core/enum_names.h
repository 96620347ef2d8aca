// Stable lowercase names for every enum of model.h. They appear in JSON (codec.h), CSV exports and
// the HTTP API, so they never change once shipped: add new names, never rename old ones.
#pragma once

#include <optional>
#include <string_view>

#include "core/model.h"

namespace cl {

std::string_view enum_name(Role v);               // "rep" "manager" "admin"
std::string_view enum_name(LeadStatus v);         // "imported" "assigned" "touched" "qualified" "converted" "dropped"
std::string_view enum_name(Lifecycle v);          // "new" "contacted" "opportunity" "customer" "repurchase_prep" "dormant"
std::string_view enum_name(OpportunityStatus v);  // "open" "won" "lost"
std::string_view enum_name(ActivityKind v);       // "visit" "call" "message_sent" "reply_received" "proposal_sent"
                                                  // "objection_handled" "demo" "quote_sent" "contract_sent"
                                                  // "payment_chased" "note"
std::string_view enum_name(QuoteStatus v);        // "draft" "pending_approval" "approved" "rejected" "sent" "superseded"
std::string_view enum_name(ContractStatus v);     // "draft" "signed" "cancelled"
std::string_view enum_name(InvoiceStatus v);      // "requested" "issued" "paid" "cancelled"
std::string_view enum_name(ReminderKind v);       // "stall_level1" "stall_level2" "untouched_lead"
                                                  // "repurchase_window" "invoice_overdue" "second_touch"

// Parses a name produced by enum_name; nullopt for anything else (callers report invalid_enum).
template <class E>
std::optional<E> parse_enum(std::string_view name);
template <> std::optional<Role> parse_enum<Role>(std::string_view name);
template <> std::optional<LeadStatus> parse_enum<LeadStatus>(std::string_view name);
template <> std::optional<Lifecycle> parse_enum<Lifecycle>(std::string_view name);
template <> std::optional<OpportunityStatus> parse_enum<OpportunityStatus>(std::string_view name);
template <> std::optional<ActivityKind> parse_enum<ActivityKind>(std::string_view name);
template <> std::optional<QuoteStatus> parse_enum<QuoteStatus>(std::string_view name);
template <> std::optional<ContractStatus> parse_enum<ContractStatus>(std::string_view name);
template <> std::optional<InvoiceStatus> parse_enum<InvoiceStatus>(std::string_view name);
template <> std::optional<ReminderKind> parse_enum<ReminderKind>(std::string_view name);

}  // namespace cl

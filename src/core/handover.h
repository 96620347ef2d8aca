// R28: when a rep leaves, everything they are responsible for moves to another rep in one operation,
// with a report proving 100 % moved (the seed's indicator #10: 销售离职后客户资料完整移交率 100 %).
//
// In scope (must move): every customer; open leads (not converted/dropped); open opportunities;
// open quotes (draft, pending approval, approved, sent); open invoices (requested, issued); reminders
// addressed to the leaver that are not acknowledged. Closed records (won/lost opportunities,
// converted/dropped leads, paid/cancelled invoices, rejected/superseded quotes) keep their historical
// owner — they are reported as "kept (closed)", not as failures. A record in scope that cannot move
// is listed with its reason (e.g. a deleted tombstone). Customers record the change in owner_history
// with reason "handover"; the leaver is deactivated.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl {

struct HandoverData {
  std::vector<Customer> customers;
  std::vector<Lead> leads;
  std::vector<Opportunity> opportunities;
  std::vector<Quote> quotes;
  std::vector<Invoice> invoices;
  std::vector<Reminder> reminders;
};

struct HandoverItem {
  std::string record_type;  // "customer", "lead", "opportunity", "quote", "invoice", "reminder"
  Id record_id;
  std::string label;        // customer name, lead company, opportunity title, quote/invoice code
  bool moves = true;
  std::string reason_zh, reason_en;  // when it does not move
};

struct HandoverPlan {
  Id from_rep, to_rep, by;
  std::vector<HandoverItem> items;
  Problems problems;        // non-empty: the handover is refused as a whole
  bool ok() const { return problems.empty(); }
};

// The active rep of the leaver's team with the fewest customers (ties: first in `users`); "" if none.
Id suggest_handover_target(const std::vector<User>& users, const std::vector<Customer>& customers, const Id& from_rep);

// allow_other_team: the manager chose a rep of another team on purpose.
HandoverPlan plan_handover(const HandoverData& data, const std::vector<User>& users, const Id& from_rep,
                           const Id& to_rep, const Id& by, bool allow_other_team = false);

struct HandoverTypeRow {
  std::string record_type;
  int owned_before = 0;     // records of the type the leaver owned before
  int in_scope = 0;         // of those, open ones that must move
  int moved = 0;
  int not_moved = 0;        // in scope but not moved (reasons in HandoverReport::not_moved)
  int kept_closed = 0;      // closed history, keeps its owner by design
  int open_left_after = 0;  // open records still owned by the leaver after applying (must be 0)
  int moved_bp = 10000;     // moved / in_scope (10000 when nothing was in scope)
};

struct HandoverReport {
  Id from_rep, to_rep;
  std::vector<HandoverTypeRow> rows;   // customer, lead, opportunity, quote, invoice, reminder
  std::vector<HandoverItem> not_moved;
  bool complete = false;               // every in-scope record moved and none left behind
  int moved_bp = 10000;                // over all types
};

struct HandoverResult {
  HandoverData data;                   // the whole data set after the move (changed records updated)
  std::vector<Id> changed_customers, changed_leads, changed_opportunities, changed_quotes, changed_invoices,
      changed_reminders;
  User deactivated;                    // the leaver, active = false
  HandoverReport report;
};

Result<HandoverResult> apply_handover(const HandoverData& data, const HandoverPlan& plan,
                                      const std::vector<User>& users, Instant now);

// Recomputes the report from the data before and after (so it proves what actually happened).
HandoverReport handover_report(const HandoverData& before, const HandoverData& after, const HandoverPlan& plan);

}  // namespace cl

// R1–R3: the lead lifecycle — imported → assigned → touched → qualified → converted, or dropped.
//
// The seed's first break ("200 leads, 63 touched, 11 opportunities, 137 sank in WeChat and Excel")
// is closed by making every step a recorded fact on the lead: who it was given to and when, when it
// was first touched and by whom, the last outcome, and how it ended. Each transition is a pure
// function returning the new lead or the problems (zh/en) that refuse the move.
//
// Allowed moves (anything else is refused with code "lead_bad_transition"):
//   Imported/Assigned/Touched/Qualified --assign--> same status (Imported becomes Assigned)
//   Imported/Assigned --touch--> Touched (first_touched_at/by set once; later touches only update
//       last_outcome, in any open status)
//   Touched --qualify--> Qualified
//   Touched/Qualified --convert--> Converted (customer + opportunity made in the same step)
//   any open status --drop (reason required)--> Dropped
// Converted and Dropped are final.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl {

bool lead_is_open(const Lead& lead);  // not Converted, not Dropped

// --- Assignment (R1) ----------------------------------------------------------------------------
// By hand: the rep must exist, be active and be a rep or manager.
Result<Lead> assign_lead(Lead lead, const User& rep, Instant now);

struct LeadAssignment {
  Id lead_id;
  Id rep_id;
};

struct AssignmentPlan {
  std::vector<LeadAssignment> assignments;
  Problems problems;          // leads that could not be assigned, field = lead id
  std::size_t next_cursor = 0;  // round-robin position to continue from in the next batch
};

// Round-robin over the active reps (role Rep, active) in the order given, starting at `cursor`
// (mod the number of reps), so successive batches keep spreading evenly. Only open, unassigned
// leads (Imported) are planned.
AssignmentPlan plan_round_robin(const std::vector<Lead>& leads, const std::vector<User>& users,
                                std::size_t cursor = 0);

// By region: a lead goes to the team whose region equals the lead's region, then round-robin among
// that team's active reps. `cursors` (team id -> position) is read and the plan's per-team cursor
// advances are written back, so a server can persist them. Leads whose region matches no team (or a
// team without active reps) are reported, not silently dropped.
AssignmentPlan plan_by_region(const std::vector<Lead>& leads, const std::vector<Team>& teams,
                              const std::vector<User>& users, std::map<Id, std::size_t>& cursors);

// Applies a plan to the leads it names (assign_lead for each); returns the changed leads.
std::vector<Lead> apply_assignments(const std::vector<Lead>& leads, const AssignmentPlan& plan,
                                    const std::vector<User>& users, Instant now);

// --- Touch, qualify, drop (R2) ------------------------------------------------------------------
Result<Lead> record_touch(Lead lead, const Id& rep_id, Instant at, const std::string& outcome);
Result<Lead> qualify_lead(Lead lead, Instant now);
Result<Lead> drop_lead(Lead lead, const std::string& reason, Instant now);

// R2: an alert for each lead that is assigned, still untouched, and was assigned at least
// settings.untouched_lead_hours ago. Recipient: the owner. The dedupe key is "untouched_lead:<id>",
// so re-running the check never creates a second alert. Reminder ids are left empty for the caller.
std::vector<Reminder> untouched_lead_alerts(const std::vector<Lead>& leads, const Settings& settings,
                                            Instant now);

// --- Conversion (R2: lead → customer + opportunity in one step) ----------------------------------
// What the lead does not know and the rep adds at conversion time (R4's required fields).
struct LeadConversionInput {
  Id customer_id;                       // injected ids (core makes none)
  std::string customer_code;
  Id opportunity_id;
  std::string decision_maker_title;
  std::string main_business;
  std::map<std::string, std::string> tags;  // region defaults to the lead's region
  std::string opportunity_title;        // defaults to "<company> 商机"
  Money expected_amount;
  Id converted_by;
};

struct LeadConversion {
  Lead lead;
  Customer customer;
  Opportunity opportunity;
};

// The customer takes the lead's company (name), contact (decision maker) and phone; every required
// field and required tag still missing (validate_customer's missing-value problems) is reported at
// once, and nothing is converted. Value checks (tag values, phone format) are the saving caller's
// validate_customer, as for any customer. The opportunity starts in stage 0, entered now.
Result<LeadConversion> convert_lead(const Lead& lead, const LeadConversionInput& input,
                                    const Settings& settings, Instant now);

// --- Funnel (R3) --------------------------------------------------------------------------------
struct LeadFunnelRow {
  std::string key;        // source, rep id, or "" for the total
  int imported = 0;       // every lead in the set
  int touched = 0;        // first touch recorded (converted/qualified leads were touched)
  int qualified = 0;      // qualified, including those converted since
  int converted = 0;
  int dropped = 0;
  int touch_rate_bp = 0;       // touched / imported
  int conversion_rate_bp = 0;  // converted / imported
};

struct LeadFunnel {
  LeadFunnelRow total;
  std::vector<LeadFunnelRow> by_source;  // sorted by key
  std::vector<LeadFunnelRow> by_rep;     // owner id, "" = unassigned; sorted by key
};

LeadFunnel lead_funnel(const std::vector<Lead>& leads);

}  // namespace cl

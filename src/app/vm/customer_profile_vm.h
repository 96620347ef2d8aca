// Customer profile (R6): everything a rep needs before walking into the customer's office — the last
// three interaction summaries, linked quotes, the payment timeline, open opportunities, repurchase
// status and owner history — aggregated from the local replica (works offline).
#pragma once

#include <string>
#include <vector>

#include "app/vm/local_replica.h"
#include "core/model.h"

namespace cl::app {

struct TimelineEntry {           // R6 payment timeline: invoices requested/issued/due and payments
  Date date;
  std::string what;              // "invoice_issued" | "invoice_due" | "payment"
  Money amount;
  std::string code;              // invoice code or payment reference
};

struct CustomerProfile {
  bool found = false;
  Customer customer;
  std::vector<Activity> last_interactions;   // newest first, at most 3 (R6)
  std::vector<Quote> quotes;                 // newest first
  std::vector<TimelineEntry> payment_timeline;  // oldest first
  Money invoiced, paid;
  std::vector<Opportunity> open_opportunities;  // by expected amount, largest first
  bool repurchase_prep = false;              // tags["repurchase"] == 复购预备期 (derived by core, R15)
  std::vector<OwnerChange> owner_history;    // oldest first
  bool pending_sync = false;                 // created/changed here and not yet on the server
};

// Rebuilds only when the replica changed or another customer is shown.
class CustomerProfileVM {
 public:
  const CustomerProfile& load(const LocalReplica& replica, const Id& customer_id);
  const CustomerProfile& profile() const { return profile_; }

 private:
  CustomerProfile profile_;
  Id loaded_id_;
  std::uint64_t loaded_revision_ = ~0ull;
};

// tel: link target for one-tap dial (R8): digits and a leading '+' only.
std::string tel_uri(const std::string& phone);

}  // namespace cl::app

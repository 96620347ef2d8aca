#include "app/vm/customer_profile_vm.h"

#include <algorithm>

namespace cl::app {

const CustomerProfile& CustomerProfileVM::load(const LocalReplica& replica, const Id& customer_id) {
  if (customer_id == loaded_id_ && replica.revision() == loaded_revision_) return profile_;
  loaded_id_ = customer_id;
  loaded_revision_ = replica.revision();
  profile_ = CustomerProfile{};
  const Customer* c = replica.customer(customer_id);
  if (!c) return profile_;
  profile_.found = true;
  profile_.customer = *c;

  auto acts = replica.activities_of_customer(customer_id);
  std::sort(acts.begin(), acts.end(), [](const Activity* a, const Activity* b) {
    return a->at != b->at ? a->at > b->at : a->meta.id > b->meta.id;
  });
  for (std::size_t i = 0; i < acts.size() && i < 3; ++i) profile_.last_interactions.push_back(*acts[i]);

  for (const Quote* q : replica.quotes_of_customer(customer_id)) profile_.quotes.push_back(*q);
  std::sort(profile_.quotes.begin(), profile_.quotes.end(),
            [](const Quote& a, const Quote& b) { return a.quote_date > b.quote_date; });

  for (const Invoice* inv : replica.invoices_of_customer(customer_id)) {
    if (inv->status == InvoiceStatus::Cancelled) continue;
    profile_.invoiced += inv->amount;
    if (inv->issued_on.year > 1970) profile_.payment_timeline.push_back({inv->issued_on, "invoice_issued", inv->amount, inv->code});
    if (inv->status != InvoiceStatus::Paid && inv->due_on.year > 1970)
      profile_.payment_timeline.push_back({inv->due_on, "invoice_due", inv->amount, inv->code});
  }
  for (const Payment* p : replica.payments_of_customer(customer_id)) {
    profile_.paid += p->amount;
    profile_.payment_timeline.push_back({p->received_on, "payment", p->amount, p->reference});
  }
  std::stable_sort(profile_.payment_timeline.begin(), profile_.payment_timeline.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.date < b.date; });

  for (const Opportunity* o : replica.opportunities_of_customer(customer_id))
    if (o->status == OpportunityStatus::Open && !o->meta.deleted) profile_.open_opportunities.push_back(*o);
  std::sort(profile_.open_opportunities.begin(), profile_.open_opportunities.end(),
            [](const Opportunity& a, const Opportunity& b) { return a.expected_amount > b.expected_amount; });

  auto rp = c->tags.find("repurchase");
  profile_.repurchase_prep = rp != c->tags.end() && rp->second == "复购预备期";
  profile_.owner_history = c->owner_history;
  std::sort(profile_.owner_history.begin(), profile_.owner_history.end(),
            [](const OwnerChange& a, const OwnerChange& b) { return a.at < b.at; });
  return profile_;
}

std::string tel_uri(const std::string& phone) {
  std::string out = "tel:";
  for (std::size_t i = 0; i < phone.size(); ++i) {
    char ch = phone[i];
    if ((ch >= '0' && ch <= '9') || (ch == '+' && out.size() == 4)) out.push_back(ch);
  }
  return out;
}

}  // namespace cl::app

// R7: a customer's lifecycle stage is DERIVED from facts — nobody types it.
//
// Rule (first match wins; the order is deliberate):
//   dormant          no objective action, deal or creation within settings.dormant_days (180) AND
//                    no open opportunity AND not in a repurchase window — a forgotten customer;
//   repurchase_prep  inside a product's repurchase window (R15, computed by repurchase.h and passed
//                    in) — takes precedence over an open opportunity, which is then the repurchase
//                    conversation itself;
//   opportunity      at least one open opportunity;
//   customer         at least one signed contract (or won opportunity) and nothing open;
//   contacted        any objective activity (a Note is not contact) but never a deal;
//   new              none of the above.
#pragma once

#include <array>
#include <map>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model.h"

namespace cl {

struct LifecycleFacts {
  Instant created_at = 0;             // the customer record's creation
  bool has_activity = false;          // any objective activity ever
  Instant last_activity_at = 0;
  int open_opportunities = 0;
  int signed_contracts = 0;           // signed contracts + won opportunities
  Instant last_deal_at = 0;
  bool in_repurchase_window = false;  // from repurchase.h (core B); never computed here
};

Lifecycle derive_lifecycle(const LifecycleFacts& facts, const Settings& settings, Instant now);

std::string lifecycle_name_zh(Lifecycle l);  // 新客户 已接触 商机中 成交客户 复购预备期 休眠
std::string lifecycle_name_en(Lifecycle l);

// Facts for many customers from the records in one pass each (keyed by customer id). Customers in
// `repurchase_window_customer_ids` get in_repurchase_window. Contracts count when signed; their
// signed_on (Beijing date) becomes a deal instant at that day's Beijing midnight.
std::unordered_map<Id, LifecycleFacts> collect_lifecycle_facts(std::span<const Customer> customers,
                                                               std::span<const Activity> activities,
                                                               std::span<const Opportunity> opportunities,
                                                               std::span<const Contract> contracts,
                                                               const std::vector<Id>& repurchase_window_customer_ids);

// Board filters (R7): every non-empty criterion must match.
struct LifecycleFilter {
  std::map<std::string, std::string> tags;  // tag group key -> value, e.g. {"customer_type","三甲医院"}
  Id owner_id;
  std::string region;                       // shorthand for tags["region"]
};

struct LifecycleColumn {
  Lifecycle stage = Lifecycle::New;
  std::string name_zh, name_en;
  std::vector<Id> customer_ids;             // in the order the customers were given
};

struct LifecycleBoard {
  std::array<LifecycleColumn, 6> columns;   // new, contacted, opportunity, customer, repurchase_prep, dormant
  std::size_t total = 0;
};

bool matches(const Customer& c, const LifecycleFilter& filter);

LifecycleBoard lifecycle_board(std::span<const Customer> customers,
                               const std::unordered_map<Id, LifecycleFacts>& facts, const LifecycleFilter& filter,
                               const Settings& settings, Instant now);

}  // namespace cl

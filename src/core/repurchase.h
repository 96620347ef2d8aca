// R15–R19: the repurchase engine (复购预警引擎) — the seed's third break: 63 % of past customers never
// got a repurchase reminder, ¥8.6M of orders lost a year.
//
// THE RULE (also docs/REPURCHASE.md). For each customer and each product it has bought:
//   last purchase  L = the latest Contract.signed_on among that customer's Signed contracts with a
//                      line for the product (cancelled and draft contracts do not count);
//   due date       D = add_months(L, product.usage_cycle_months) — same day of month, clamped to the
//                      month's last day (2024-01-31 + 1 month = 2024-02-29);
//   prep opens     P = D − settings.repurchase_lead_days (calendar days, default 60);
//   lapses         X = add_months(D, product.usage_cycle_months) — a whole further cycle without a
//                      purchase means the customer has gone elsewhere (lifecycle: dormant).
// With `today` the Beijing date:
//   today < P          → NotYet
//   P ≤ today ≤ D      → Prep      (复购预备期: stock is running low, start the conversation)
//   D < today < X      → Overdue   (still 复购预备期, and late: the stock should have run out)
//   today ≥ X          → Lapsed    (no tag; the lifecycle board shows the customer as dormant)
// A customer carries the tag 复购预备期 while any of its products is in Prep or Overdue. A new signed
// contract for the product moves L forward and so ends the window by itself — nothing to reset;
// buying the product's replacement model (Product.replacement_model_code) on or after L closes the
// old model's window too (superseded: the customer moved on to the new model).
//
// The seed's example: bought October 2024, cycle 14 months, "prep from January 2026". October 2024
// + 14 months is December 2025, so the stock runs out in December and a window that only *opens* in
// January is a month late; January 2026 is October 2024 + 15 months (counting October as month 1,
// or adding a month's grace). Under our rule a purchase on 2024-10-15 is due 2025-12-15 and prep
// opens 2025-10-16 (60 days before); in January 2026 the customer is still tagged (Overdue phase), so
// the seed's customer does appear in the 复购预备期 list in January — it just got there in October.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"

namespace cl {

inline constexpr const char* kRepurchasePrepTag = "复购预备期";
inline constexpr const char* kRepurchaseTagGroup = "repurchase";  // derived tag group, never typed

enum class RepurchasePhase { NotYet, Prep, Overdue, Lapsed };

struct RepurchaseItem {
  Id customer_id;
  Id product_id;
  std::string model_code;
  std::string product_name;
  std::string replacement_model_code;  // R16/R19: recommended model ("" = keep the same model)
  Date last_purchase;
  Date due_on;
  Date prep_opens_on;
  Date lapses_on;
  RepurchasePhase phase = RepurchasePhase::NotYet;
  int days_until_due = 0;              // negative once overdue
};

// Window arithmetic for one purchase (the rule above), exposed for tests and the docs' examples.
struct RepurchaseWindow {
  Date due_on, prep_opens_on, lapses_on;
};
RepurchaseWindow repurchase_window(Date last_purchase, int usage_cycle_months, int lead_days);
RepurchasePhase repurchase_phase(const RepurchaseWindow& w, Date today);

// One item per (customer, product) ever bought under a signed contract; sorted by due date.
std::vector<RepurchaseItem> repurchase_items(const std::vector<Contract>& contracts,
                                             const std::vector<Product>& products,
                                             const Settings& settings, Date today);

bool in_repurchase_prep(const Id& customer_id, const std::vector<RepurchaseItem>& items);
std::vector<Id> customers_in_repurchase_prep(const std::vector<RepurchaseItem>& items);

// Sets (or clears) tags["repurchase"] = "复购预备期" from the items — the tag is derived, never typed.
Customer with_repurchase_tag(Customer customer, const std::vector<RepurchaseItem>& items);

// --- R16 checklist ------------------------------------------------------------------------------
enum class ChecklistKind { StockCheck, ReplacementSuggestion, ClinicalFeedback };

struct ChecklistItem {
  ChecklistKind kind = ChecklistKind::StockCheck;
  Id product_id;
  std::string text_zh, text_en;
  std::string suggested_model_code;   // ReplacementSuggestion only
};

struct RepurchaseChecklist {
  Id customer_id;
  std::vector<ChecklistItem> items;   // per due product: stock check, model suggestion, feedback
};

// For the customer's items in Prep or Overdue.
RepurchaseChecklist repurchase_checklist(const Customer& customer, const std::vector<RepurchaseItem>& items,
                                         const std::vector<Product>& products);

// --- R17 message --------------------------------------------------------------------------------
// Body of Settings template "repurchase_start" (admin-editable) with {客户名称} {产品型号} {推荐型号}
// {到期日} filled; a built-in default when the admin has none. {推荐型号} falls back to the same model.
std::string repurchase_message(const Customer& customer, const RepurchaseItem& item, const Settings& settings);
extern const char* const kDefaultRepurchaseTemplate;

// --- R19 reminders ------------------------------------------------------------------------------
// For customers with a signed deal in the last 6 months (signed_on ≥ today − 6 months): one reminder
// per product they bought, due at 00:00 Beijing on the prep-opening day (the scheduler sends it when
// due_at ≤ now), to the customer's owner, with customer name, due product and recommended model.
// Dedupe key "repurchase:<customer>:<product>:<last purchase>", so a new purchase makes a new one.
std::vector<Reminder> repurchase_reminders(const std::vector<Customer>& customers,
                                           const std::vector<Contract>& contracts,
                                           const std::vector<Product>& products, const Settings& settings,
                                           Date today);

}  // namespace cl

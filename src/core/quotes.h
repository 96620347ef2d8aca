// R20: quotes from the price list valid on the quote day, exact totals, discount approval, and
// "reuse a similar past quote, change ~3 parameters" (the seed's 历史相似报价一键复用).
//
// Money: every line is unit list price × quantity, then the line discount, rounded half away from
// zero to the fen (money.h line_net); totals are sums of rounded lines, so a printed quote adds up.
// Approval (R20, R30): a quote whose line discount or overall discount exceeds
// Settings::discount_approval_bp goes to PendingApproval; only a manager of the quote owner's team,
// or an admin, may approve or reject it, and who/when is recorded. At or under the threshold a
// submitted quote is approved automatically (approved_by stays empty: nobody had to approve it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl {

// The price list valid on `day` (valid_from ≤ day ≤ valid_to, inclusive). When several are valid
// the one that started latest wins (a mid-year price change overrides the annual list); ties go to
// the later position in the vector. nullptr when none is valid.
const PriceList* price_list_on(const std::vector<PriceList>& lists, Date day);

struct QuoteLineRequest {
  Id product_id;
  std::int64_t quantity = 1;
  int discount_bp = 0;
};

struct QuoteRequest {
  Id quote_id;                 // injected ids
  std::string code;
  Id owner_id;
  Id customer_id;
  Id opportunity_id;
  Date quote_date;             // Beijing date; picks the price list
  std::vector<QuoteLineRequest> lines;
  Id based_on_quote_id;
};

// Draft quote with lines copied from the valid price list; every problem at once (no valid list,
// product not on the list, quantity < 1, discount outside 0..10000 bp, no lines).
Result<Quote> build_quote(const QuoteRequest& request, const std::vector<PriceList>& lists,
                          const std::vector<Product>& products, const Settings& settings, Instant now);

struct QuoteTotals {
  Money gross;             // Σ unit × quantity
  Money net;               // Σ rounded line nets
  Money discount;          // gross − net
  int discount_bp = 0;     // overall discount, basis points of gross (rounded)
};
QuoteTotals quote_totals(const Quote& quote);
QuoteTotals quote_totals(const std::vector<QuoteLine>& lines);

Problems validate_quote_lines(const std::vector<QuoteLine>& lines);
bool quote_needs_approval(const Quote& quote, const Settings& settings);

// Draft → Approved (within threshold) or PendingApproval.
Result<Quote> submit_quote(Quote quote, const Settings& settings, Instant now);
// PendingApproval → Approved / Rejected by a manager of the owner's team or an admin.
Result<Quote> approve_quote(Quote quote, const User& approver, const User& owner, Instant now,
                            const std::string& note = "");
Result<Quote> reject_quote(Quote quote, const User& approver, const User& owner, Instant now,
                           const std::string& note);
// Approved → Sent (the customer has it). A quote that needed approval cannot be sent before it.
Result<Quote> mark_quote_sent(Quote quote, Instant now);

// --- Similar past quotes (R20) ------------------------------------------------------------------
// Score out of 100, documented so a rep can trust the order:
//   +40 the past quote's customer has the same customer type tag,
//   +30 same region tag,
//   +30 × (products in both) / (products in either)   (Jaccard overlap, rounded down; 0 when the
//        target has no products yet),
// Only Approved or Sent quotes count (a rejected quote is no model). Ties: newer quote date first.
struct SimilarQuote {
  Id quote_id;
  int score = 0;
  bool same_customer_type = false;
  bool same_region = false;
  int shared_products = 0;
};

std::vector<SimilarQuote> rank_similar_quotes(const Customer& target, const std::vector<Id>& product_ids,
                                              const std::vector<Quote>& past_quotes,
                                              const std::vector<Customer>& customers,
                                              std::size_t limit = 5);

// Reuse: copy a past quote's lines with a few changed parameters, priced at today's list.
struct QuoteReuseChanges {
  Id quote_id;
  std::string code;
  Id owner_id;
  Id customer_id;                                 // the new customer
  Id opportunity_id;
  Date quote_date;                                // today (Beijing)
  std::vector<std::pair<Id, std::int64_t>> quantities;  // product → new quantity
  std::vector<std::pair<Id, int>> discounts;            // product → new discount bp
  std::optional<int> discount_all_bp;             // one discount for every line
  std::vector<Id> remove_products;
  std::vector<QuoteLineRequest> add_lines;
};

Result<Quote> reuse_quote(const Quote& past, const QuoteReuseChanges& changes,
                          const std::vector<PriceList>& lists, const std::vector<Product>& products,
                          const Settings& settings, Instant now);

}  // namespace cl

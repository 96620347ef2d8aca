#include "core/quotes.h"

#include <algorithm>
#include <set>

#include "core/money.h"
#include "core/time.h"

namespace cl {

const PriceList* price_list_on(const std::vector<PriceList>& lists, Date day) {
  const PriceList* best = nullptr;
  for (const auto& l : lists) {
    if (day < l.valid_from || l.valid_to < day) continue;
    if (!best || !(l.valid_from < best->valid_from)) best = &l;
  }
  return best;
}

Problems validate_quote_lines(const std::vector<QuoteLine>& lines) {
  Problems p;
  if (lines.empty()) p.push_back({"quote_without_lines", "lines", "报价单至少需要一行产品", "a quote needs at least one line"});
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string f = "lines[" + std::to_string(i) + "]";
    if (lines[i].quantity < 1)
      p.push_back({"quantity_invalid", f + ".quantity", "数量必须至少为 1", "quantity must be at least 1"});
    if (lines[i].discount_bp < 0 || lines[i].discount_bp > 10000)
      p.push_back({"discount_out_of_range", f + ".discount_bp", "折扣必须在 0% 到 100% 之间",
                   "discount must be between 0% and 100%"});
    if (lines[i].unit_list_price.fen < 0)
      p.push_back({"price_invalid", f + ".unit_list_price", "单价不能为负", "unit price cannot be negative"});
  }
  return p;
}

Result<Quote> build_quote(const QuoteRequest& request, const std::vector<PriceList>& lists,
                          const std::vector<Product>& products, const Settings& settings, Instant now) {
  Problems p;
  const PriceList* list = price_list_on(lists, request.quote_date);
  if (!list)
    p.push_back({"no_valid_price_list", "quote_date", to_iso_date(request.quote_date) + " 没有有效的价目表",
                 "no price list is valid on " + to_iso_date(request.quote_date)});
  Quote q;
  q.meta.id = request.quote_id;
  q.meta.owner_id = request.owner_id;
  q.meta.created_at = q.meta.updated_at = now;
  q.code = request.code;
  q.customer_id = request.customer_id;
  q.opportunity_id = request.opportunity_id;
  q.quote_date = request.quote_date;
  q.valid_until = add_days(request.quote_date, settings.quote_validity_days);
  q.based_on_quote_id = request.based_on_quote_id;
  if (request.customer_id.empty())
    p.push_back({"required_field_missing", "customer_id", "报价单必须选择客户", "a quote needs a customer"});
  for (size_t i = 0; i < request.lines.size(); ++i) {
    const auto& r = request.lines[i];
    QuoteLine line;
    line.product_id = r.product_id;
    line.quantity = r.quantity;
    line.discount_bp = r.discount_bp;
    for (const auto& prod : products)
      if (prod.id == r.product_id) { line.model_code = prod.model_code; line.product_name = prod.name; }
    bool priced = false;
    if (list)
      for (const auto& item : list->items)
        if (item.product_id == r.product_id) { line.unit_list_price = item.list_price; priced = true; }
    if (list && !priced)
      p.push_back({"product_not_on_price_list", "lines[" + std::to_string(i) + "].product_id",
                   "产品「" + (line.model_code.empty() ? r.product_id : line.model_code) + "」不在价目表「" + list->name + "」中",
                   "product \"" + (line.model_code.empty() ? r.product_id : line.model_code) +
                       "\" is not on price list \"" + list->name + "\""});
    q.lines.push_back(std::move(line));
  }
  if (list) q.price_list_id = list->id;
  Problems lp = validate_quote_lines(q.lines);
  p.insert(p.end(), lp.begin(), lp.end());
  if (!p.empty()) return Result<Quote>::failure(std::move(p));
  return Result<Quote>::success(std::move(q));
}

QuoteTotals quote_totals(const std::vector<QuoteLine>& lines) {
  QuoteTotals t;
  for (const auto& l : lines) {
    t.gross += Money{l.unit_list_price.fen * l.quantity};
    t.net += line_net(l.unit_list_price, l.quantity, l.discount_bp);
  }
  t.discount = t.gross - t.net;
  t.discount_bp = ratio_bp(t.discount, t.gross);
  return t;
}

QuoteTotals quote_totals(const Quote& quote) { return quote_totals(quote.lines); }

bool quote_needs_approval(const Quote& quote, const Settings& settings) {
  for (const auto& l : quote.lines)
    if (l.discount_bp > settings.discount_approval_bp) return true;
  return quote_totals(quote).discount_bp > settings.discount_approval_bp;
}

Result<Quote> submit_quote(Quote quote, const Settings& settings, Instant now) {
  if (quote.status != QuoteStatus::Draft)
    return Result<Quote>::failure({{"quote_not_draft", "status", "只有草稿报价单可以提交", "only a draft quote can be submitted"}});
  Problems p = validate_quote_lines(quote.lines);
  if (!p.empty()) return Result<Quote>::failure(std::move(p));
  quote.meta.updated_at = now;
  if (quote_needs_approval(quote, settings)) {
    quote.status = QuoteStatus::PendingApproval;
  } else {
    quote.status = QuoteStatus::Approved;
    quote.approved_at = now;
    quote.approval_note = "折扣未超过审批阈值，自动通过 / within the discount threshold, approved automatically";
  }
  return Result<Quote>::success(std::move(quote));
}

static Problems check_approver(const Quote& quote, const User& approver, const User& owner) {
  Problems p;
  if (quote.status != QuoteStatus::PendingApproval)
    p.push_back({"quote_not_pending", "status", "报价单不在待审批状态", "the quote is not waiting for approval"});
  if (owner.id != quote.meta.owner_id)
    p.push_back({"owner_mismatch", "owner_id", "报价单负责人与提供的用户不一致", "the given owner does not own the quote"});
  const bool admin = approver.role == Role::Admin && approver.active;
  const bool team_manager = approver.role == Role::Manager && approver.active && !approver.team_id.empty() &&
                            approver.team_id == owner.team_id;
  if (!admin && !team_manager)
    p.push_back({"approver_not_allowed", "approved_by", "只有该销售所在团队的主管或管理员可以审批",
                 "only a manager of the owner's team or an admin may approve"});
  return p;
}

Result<Quote> approve_quote(Quote quote, const User& approver, const User& owner, Instant now,
                            const std::string& note) {
  Problems p = check_approver(quote, approver, owner);
  if (!p.empty()) return Result<Quote>::failure(std::move(p));
  quote.status = QuoteStatus::Approved;
  quote.approved_by = approver.id;
  quote.approved_at = now;
  quote.approval_note = note;
  quote.meta.updated_at = now;
  return Result<Quote>::success(std::move(quote));
}

Result<Quote> reject_quote(Quote quote, const User& approver, const User& owner, Instant now,
                           const std::string& note) {
  Problems p = check_approver(quote, approver, owner);
  if (note.find_first_not_of(" \t\r\n") == std::string::npos)
    p.push_back({"reason_required", "approval_note", "驳回必须说明原因", "a rejection needs a reason"});
  if (!p.empty()) return Result<Quote>::failure(std::move(p));
  quote.status = QuoteStatus::Rejected;
  quote.approved_by = approver.id;  // R30: who decided, even when the answer was no
  quote.approved_at = now;
  quote.approval_note = note;
  quote.meta.updated_at = now;
  return Result<Quote>::success(std::move(quote));
}

Result<Quote> mark_quote_sent(Quote quote, Instant now) {
  if (quote.status != QuoteStatus::Approved)
    return Result<Quote>::failure({{"quote_not_approved", "status", "报价单审批通过后才能发送",
                                    "a quote can only be sent once approved"}});
  quote.status = QuoteStatus::Sent;
  quote.meta.updated_at = now;
  return Result<Quote>::success(std::move(quote));
}

std::vector<SimilarQuote> rank_similar_quotes(const Customer& target, const std::vector<Id>& product_ids,
                                              const std::vector<Quote>& past_quotes,
                                              const std::vector<Customer>& customers, std::size_t limit) {
  std::map<Id, const Customer*> by_id;
  for (const auto& c : customers) by_id[c.meta.id] = &c;
  auto tag = [](const Customer& c, const char* key) {
    auto it = c.tags.find(key);
    return it == c.tags.end() ? std::string() : it->second;
  };
  const std::set<Id> wanted(product_ids.begin(), product_ids.end());
  struct Ranked { SimilarQuote s; Date date; };
  std::vector<Ranked> ranked;
  for (const auto& q : past_quotes) {
    if (q.meta.deleted || (q.status != QuoteStatus::Approved && q.status != QuoteStatus::Sent)) continue;
    SimilarQuote s;
    s.quote_id = q.meta.id;
    auto it = by_id.find(q.customer_id);
    if (it != by_id.end()) {
      const std::string type = tag(target, "customer_type"), region = tag(target, "region");
      s.same_customer_type = !type.empty() && tag(*it->second, "customer_type") == type;
      s.same_region = !region.empty() && tag(*it->second, "region") == region;
    }
    std::set<Id> theirs;
    for (const auto& l : q.lines) theirs.insert(l.product_id);
    int both = 0;
    for (const auto& id : theirs) both += wanted.count(id) ? 1 : 0;
    const int either = static_cast<int>(wanted.size() + theirs.size()) - both;
    s.shared_products = both;
    s.score = (s.same_customer_type ? 40 : 0) + (s.same_region ? 30 : 0) + (either ? 30 * both / either : 0);
    ranked.push_back({s, q.quote_date});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.s.score != b.s.score) return a.s.score > b.s.score;
    return b.date < a.date;
  });
  std::vector<SimilarQuote> out;
  for (size_t i = 0; i < ranked.size() && i < limit; ++i) out.push_back(ranked[i].s);
  return out;
}

Result<Quote> reuse_quote(const Quote& past, const QuoteReuseChanges& changes,
                          const std::vector<PriceList>& lists, const std::vector<Product>& products,
                          const Settings& settings, Instant now) {
  QuoteRequest r;
  r.quote_id = changes.quote_id;
  r.code = changes.code;
  r.owner_id = changes.owner_id;
  r.customer_id = changes.customer_id;
  r.opportunity_id = changes.opportunity_id;
  r.quote_date = changes.quote_date;
  r.based_on_quote_id = past.meta.id;
  for (const auto& l : past.lines) {
    if (std::find(changes.remove_products.begin(), changes.remove_products.end(), l.product_id) !=
        changes.remove_products.end())
      continue;
    QuoteLineRequest line{l.product_id, l.quantity, l.discount_bp};
    if (changes.discount_all_bp) line.discount_bp = *changes.discount_all_bp;
    for (const auto& [id, q] : changes.quantities)
      if (id == l.product_id) line.quantity = q;
    for (const auto& [id, d] : changes.discounts)
      if (id == l.product_id) line.discount_bp = d;
    r.lines.push_back(line);
  }
  for (auto line : changes.add_lines) {
    if (changes.discount_all_bp) line.discount_bp = *changes.discount_all_bp;
    r.lines.push_back(line);
  }
  // Prices always come from the list valid today, never from the old quote (R20: "latest price list").
  return build_quote(r, lists, products, settings, now);
}

}  // namespace cl

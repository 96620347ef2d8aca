// Quotes through sync (R20, R30) with core quotes.h's rules:
//   quote.create  {"quote":{id, code, customer_id, opportunity_id?, quote_date?, lines:[{product_id, quantity,
//                  discount_bp}], based_on_quote_id?, owner_id?}}   → a Draft priced from the price list valid
//                  on the quote day (build_quote); the client's prices are never trusted where the view
//                  knows the catalog (the server) — a replica keeps them, optimistically
//   quote.submit  {"id"}             → Approved (within Settings::discount_approval_bp) or PendingApproval
//   quote.approve {"id", "note"?}    → a manager of the owner's team or an admin (who/when recorded, R30)
//   quote.reject  {"id", "note"}     → same approvers, a reason required
#include "core/quotes.h"
#include "core/time.h"
#include "sync/mutation_support.h"

namespace cl::sync::detail {

namespace {

template <class T>
std::vector<T> decode_catalog(const std::vector<StoredRecord>& rows) {
  std::vector<T> out;
  for (const auto& r : rows) {
    if (r.deleted) continue;
    auto v = decode<T>(r.data);
    if (v.ok()) out.push_back(std::move(v.value));
  }
  return out;
}

User user_of(const Actor& a) {
  User u;
  u.id = a.user_id;
  u.role = a.role;
  u.team_id = a.team_id;
  return u;
}

// The quote owner as core's approval rule needs it: from the view's users when it knows them.
User owner_of(const Quote& q, const RecordView& view) {
  if (view.knows_users())
    if (auto u = view.find_user(q.meta.owner_id)) return *u;
  User u;
  u.id = q.meta.owner_id;
  u.team_id = view.team_of(q.meta.owner_id);
  return u;
}

Result<MutationOutcome> write_quote(Result<Quote> next, const Loaded<Quote>& before, Instant now) {
  if (!next.ok()) return Result<MutationOutcome>::failure(std::move(next.problems));
  MutationOutcome out;
  out.writes.push_back(store(kTypeQuote, std::move(next.value), before.stored.version, now));
  return Result<MutationOutcome>::success(std::move(out));
}

}  // namespace

Result<MutationOutcome> apply_quote_create(const Mutation& m, const Actor& actor, const RecordView& view,
                                           const Settings& settings, Instant now) {
  Result<Quote> r = read_new_record<Quote>(m, "quote", kTypeQuote, actor, view);
  if (!r.ok()) return Result<MutationOutcome>::failure(std::move(r.problems));
  Quote q = std::move(r.value);
  Problems problems;
  if (q.code.empty()) problems.push_back(Problem{"required_field_missing", "quote.code", "缺少报价单编号", "The quote code is missing"});
  auto customer = view.find(kTypeCustomer, q.customer_id);
  if (!customer || customer->deleted || !actor_may_touch_record(actor, *customer, view))
    problems.push_back(Problem{"not_found", "quote.customer_id", "客户不存在", "No such customer"});
  if (!q.opportunity_id.empty()) {
    auto opp = view.find(kTypeOpportunity, q.opportunity_id);
    if (!opp || opp->deleted || !actor_may_touch_record(actor, *opp, view))
      problems.push_back(Problem{"not_found", "quote.opportunity_id", "商机不存在", "No such opportunity"});
    else if (opp->data.value("customer_id", std::string()) != q.customer_id)
      problems.push_back(invalid_args("quote.opportunity_id", "the opportunity belongs to another customer"));
  }
  if (!problems.empty()) return Result<MutationOutcome>::failure(std::move(problems));
  // The quote day picks the price list; an offline quote keeps the day it was made.
  const bool dated = m.args["quote"].contains("quote_date");
  if (!dated) q.quote_date = beijing_date(m.at > 0 ? m.at : now);
  // The day picks the prices: a client may quote a few days back (made offline), never pick an old
  // price list by back-dating, nor date a quote in the future.
  const std::int64_t age = days_from_civil(beijing_date(now)) - days_from_civil(q.quote_date);
  if (age < -1 || age > 30)
    return Result<MutationOutcome>::failure({Problem{"out_of_range", "quote.quote_date", "报价日期须在最近 30 天内",
                                                     "The quote date must be within the last 30 days"}});

  const auto lists = view.catalog("price_list");
  const auto products = view.catalog("product");
  if (lists && products) {
    // R20: the server prices every line from its own catalog (never the client's numbers).
    QuoteRequest req;
    req.quote_id = q.meta.id;
    req.code = q.code;
    req.owner_id = q.meta.owner_id;
    req.customer_id = q.customer_id;
    req.opportunity_id = q.opportunity_id;
    req.quote_date = q.quote_date;
    req.based_on_quote_id = q.based_on_quote_id;
    for (const auto& l : q.lines) req.lines.push_back({l.product_id, l.quantity, l.discount_bp});
    if (req.lines.empty())
      return Result<MutationOutcome>::failure({Problem{"required_field_missing", "quote.lines", "报价单至少需要一行", "A quote needs at least one line"}});
    Result<Quote> built = build_quote(req, decode_catalog<PriceList>(*lists), decode_catalog<Product>(*products), settings, now);
    if (!built.ok()) {
      for (auto& p : built.problems) p.field = "quote." + p.field;
      return Result<MutationOutcome>::failure(std::move(built.problems));
    }
    q = std::move(built.value);
  } else {
    Problems lp = validate_quote_lines(q.lines);
    if (!lp.empty()) return Result<MutationOutcome>::failure(std::move(lp));
    q.valid_until = add_days(q.quote_date, settings.quote_validity_days);
  }
  // Approval is the server's to record (R30), never the client's to claim.
  q.status = QuoteStatus::Draft;
  q.approved_by.clear();
  q.approved_at = 0;
  q.approval_note.clear();
  MutationOutcome out;
  out.writes.push_back(store(kTypeQuote, std::move(q), 0, now));
  return Result<MutationOutcome>::success(std::move(out));
}

Result<MutationOutcome> apply_quote_submit(const Mutation& m, const Actor& actor, const RecordView& view,
                                           const Settings& settings, Instant now) {
  auto l = load<Quote>(view, kTypeQuote, arg_text(m.args, "id"), actor);
  if (!l.ok()) return Result<MutationOutcome>::failure(std::move(l.problems));
  return write_quote(submit_quote(l.value.value, settings, now), l.value, now);
}

namespace {

// R20: approve and reject are the same step — load the quote in scope, let core decide as the actor
// (the team's manager or an admin) with the rep's note, write the result.
template <class Decide>
Result<MutationOutcome> decide_quote(const Mutation& m, const Actor& actor, const RecordView& view, Instant now, Decide decide) {
  auto l = load<Quote>(view, kTypeQuote, arg_text(m.args, "id"), actor);
  if (!l.ok()) return Result<MutationOutcome>::failure(std::move(l.problems));
  return write_quote(decide(l.value.value, user_of(actor), owner_of(l.value.value, view), now, arg_text(m.args, "note")),
                     l.value, now);
}

}  // namespace

Result<MutationOutcome> apply_quote_approve(const Mutation& m, const Actor& actor, const RecordView& view,
                                            const Settings&, Instant now) {
  return decide_quote(m, actor, view, now, [](auto&&... a) { return approve_quote(a...); });
}

Result<MutationOutcome> apply_quote_reject(const Mutation& m, const Actor& actor, const RecordView& view,
                                           const Settings&, Instant now) {
  return decide_quote(m, actor, view, now, [](auto&&... a) { return reject_quote(a...); });
}

}  // namespace cl::sync::detail

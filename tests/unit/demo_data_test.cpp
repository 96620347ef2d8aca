#include <doctest/doctest.h>

#include <map>
#include <set>

#include "core/customer_validation.h"
#include "core/demo_data.h"
#include "core/leads.h"
#include "core/money.h"
#include "core/quotes.h"
#include "core/time.h"

using namespace cl;

namespace {
const Instant kNow = *parse_iso_instant("2026-11-27T02:00:00Z");
const demo::Dataset& demo_set() {
  static const demo::Dataset d = demo::generate(demo::Scale::Demo, 42, kNow);
  return d;
}
}  // namespace

TEST_CASE("demo data is deterministic for the same seed and differs for another seed") {
  auto again = demo::generate(demo::Scale::Demo, 42, kNow);
  const auto& d = demo_set();
  REQUIRE(again.customers.size() == d.customers.size());
  CHECK(again.customers[17].meta.id == d.customers[17].meta.id);
  CHECK(again.customers[17].name == d.customers[17].name);
  CHECK(again.activities.size() == d.activities.size());
  CHECK(again.payments.size() == d.payments.size());
  auto other = demo::generate(demo::Scale::Demo, 43, kNow);
  CHECK(other.customers[17].meta.id != d.customers[17].meta.id);
}

TEST_CASE("demo data has the team's logins: admin, four managers and 28 reps in teams of seven") {
  const auto& d = demo_set();
  std::map<std::string, const User*> by_name;
  for (const auto& u : d.users) by_name[u.username] = &u;
  REQUIRE(by_name.count("admin"));
  CHECK(by_name["admin"]->role == Role::Admin);
  REQUIRE(d.teams.size() == 4);
  for (int t = 0; t < 4; ++t) {
    const User* m = by_name.at("manager" + std::to_string(t + 1));
    CHECK(m->role == Role::Manager);
    CHECK(d.teams[static_cast<size_t>(t)].manager_id == m->id);
    for (int r = 1; r <= 7; ++r) {
      const User* rep = by_name.at("rep" + std::to_string(t * 7 + r));
      CHECK(rep->role == Role::Rep);
      CHECK(rep->active);
      CHECK(rep->team_id == d.teams[static_cast<size_t>(t)].id);
    }
  }
  CHECK(d.teams[0].name == "杭州一组");
  CHECK_FALSE(by_name.at("former1")->active);
}

TEST_CASE("every demo customer passes R4 validation and has a unique code and name") {
  const auto& d = demo_set();
  CHECK(d.customers.size() == 2000);
  std::set<std::string> codes, names;
  int invalid = 0;
  for (const auto& c : d.customers) {
    auto problems = validate_customer(c, d.settings);
    if (!problems.empty() && invalid++ < 3) FAIL_CHECK(c.name << ": " << problems[0].code << " " << problems[0].field);
    codes.insert(c.code);
    names.insert(c.name);
  }
  CHECK(invalid == 0);
  CHECK(codes.size() == d.customers.size());
  CHECK(names.size() == d.customers.size());
}

TEST_CASE("the demo marketing list is the seed's 200 leads, 63 touched, 11 converted") {
  const auto& d = demo_set();
  std::vector<Lead> list;
  for (const auto& l : d.leads)
    if (l.source == demo::kMarketingListSource) list.push_back(l);
  auto f = lead_funnel(list);
  CHECK(f.total.imported == 200);
  CHECK(f.total.touched == 63);
  CHECK(f.total.converted == 11);
  std::set<Id> customer_ids;
  for (const auto& c : d.customers) customer_ids.insert(c.meta.id);
  for (const auto& l : list)
    if (l.status == LeadStatus::Converted) CHECK(customer_ids.count(l.converted_customer_id) == 1);
}

TEST_CASE("demo stage histories never skip a stage and carry evidence for every stage left") {
  const auto& d = demo_set();
  CHECK(d.opportunities.size() == 3000);
  int won = 0, lost = 0, open = 0;
  for (const auto& o : d.opportunities) {
    REQUIRE(!o.stages.empty());
    CHECK(o.stages[0].stage == 0);
    for (size_t i = 1; i < o.stages.size(); ++i) {
      const int step = o.stages[i].stage - o.stages[i - 1].stage;
      CHECK((step == 1 || (step == -1 && !o.stages[i].reason.empty())));
      CHECK(o.stages[i].entered_at == o.stages[i - 1].left_at);
    }
    for (const auto& s : o.stages)
      if (s.left_at != 0 && !(o.status == OpportunityStatus::Lost && &s == &o.stages.back())) CHECK(!s.evidence.empty());
    if (o.status == OpportunityStatus::Won) ++won;
    if (o.status == OpportunityStatus::Lost) ++lost;
    if (o.status == OpportunityStatus::Open) ++open;
  }
  CHECK(won > 500);
  CHECK(lost > 200);
  CHECK(open > 100);
}

TEST_CASE("demo money adds up: contracts equal their quotes, invoices and payments never exceed") {
  const auto& d = demo_set();
  std::map<Id, const Quote*> quotes;
  for (const auto& q : d.quotes) quotes[q.meta.id] = &q;
  std::map<Id, Money> invoiced, paid;
  for (const auto& i : d.invoices) invoiced[i.contract_id] += i.amount;
  for (const auto& p : d.payments) paid[p.invoice_id] += p.amount;
  for (const auto& c : d.contracts) {
    REQUIRE(quotes.count(c.quote_id));
    CHECK(c.amount == quote_totals(*quotes[c.quote_id]).net);
    CHECK(invoiced[c.meta.id] <= c.amount);
  }
  for (const auto& i : d.invoices) {
    CHECK(paid[i.meta.id] <= i.amount);
    if (i.status == InvoiceStatus::Paid) CHECK(paid[i.meta.id] == i.amount);
  }
  CHECK(d.payments.size() > 300);
  CHECK(d.activities.size() >= 30000);
  for (size_t i = 1; i < d.activities.size(); ++i) REQUIRE(d.activities[i - 1].at <= d.activities[i].at);
  CHECK(d.activities.back().at < kNow);
}

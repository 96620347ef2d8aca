// R13 + R29 benchmark: the funnel and the ten-indicator health scorecard over 1M opportunities —
// what a manager's dashboard recomputes (target ≤ 50 ms native, wasm ≤ 2× native; scripts/bench-core
// runs both trees and prints the ratio). Synthetic, deterministic data shaped like the demo set
// (splitmix64 from demo_data.h): 1M opportunities with 1–5 stays and evidence on every stay left,
// 250k customers, 500k activities in the last 90 days, 200k contracts, 33 users in 4 teams.
// The scorecard is timed over the records and over ScorecardFacts (the compact projection).
// Prints one line per measurement: "<name> median_ms=<x> cpu_ms=<y> n=<count> ...".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "core/demo_data.h"
#include "bench_timing.h"
#include "core/funnel.h"
#include "core/scorecard.h"
#include "core/scorecard_facts.h"
#include "core/settings.h"
#include "core/time.h"

using namespace cl;

namespace {


}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? static_cast<size_t>(std::atol(argv[1])) : 1'000'000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 7;
  const Settings settings = default_settings();
  const Instant now = *parse_iso_instant("2026-11-27T02:00:00Z");
  demo::SplitMix64 rng(2026);

  std::vector<Team> teams;
  std::vector<User> users;
  for (int t = 0; t < 4; ++t) {
    teams.push_back({"t" + std::to_string(t), "team", "杭州", "m" + std::to_string(t)});
    User m;
    m.id = "m" + std::to_string(t);
    m.role = Role::Manager;
    m.team_id = teams.back().id;
    users.push_back(m);
  }
  for (int r = 0; r < 28; ++r) {
    User u;
    u.id = "r" + std::to_string(r);
    u.team_id = "t" + std::to_string(r / 7);
    users.push_back(u);
  }
  const size_t n_customers = n / 4, n_activities = n / 2, n_contracts = n / 5;
  std::vector<Customer> customers(n_customers);
  for (size_t i = 0; i < n_customers; ++i) {
    customers[i].meta.id = "c" + std::to_string(i);
    customers[i].meta.owner_id = "r" + std::to_string(i % 28);
    customers[i].meta.created_at = now - static_cast<Instant>(rng.below(720)) * kDay - static_cast<Instant>(rng.below(24)) * kHour;
  }
  std::vector<Opportunity> opps(n);
  for (size_t i = 0; i < n; ++i) {
    Opportunity& o = opps[i];
    o.meta.id = "o" + std::to_string(i);
    o.meta.owner_id = "r" + std::to_string(i % 28);
    o.customer_id = "c" + std::to_string(i % n_customers);
    Instant t = now - static_cast<Instant>(rng.below(365)) * kDay;
    o.meta.created_at = t;
    const int stays = 1 + static_cast<int>(rng.below(5));
    o.stages.reserve(static_cast<size_t>(stays));
    for (int k = 0; k < stays; ++k) {
      StageVisit v;
      v.stage = k;
      v.entered_at = t;
      const Instant d = static_cast<Instant>(rng.below(10 * 24)) * kHour;
      if (k + 1 < stays) {
        v.left_at = t + d;
        v.evidence.emplace_back();
        v.evidence.back().kind = "需求确认书";
      }
      o.stages.push_back(std::move(v));
      t += d;
    }
    const auto r = rng.below(8);
    if (r == 0) { o.status = OpportunityStatus::Won; o.stages.back().left_at = t; o.stages.back().evidence.emplace_back(); o.closed_at = t; }
    if (r == 1) { o.status = OpportunityStatus::Lost; o.stages.back().left_at = t; o.closed_at = t; }
  }
  std::vector<Activity> activities(n_activities);
  static const ActivityKind kinds[] = {ActivityKind::Visit, ActivityKind::Call, ActivityKind::MessageSent, ActivityKind::ProposalSent,
                                       ActivityKind::QuoteSent, ActivityKind::Demo, ActivityKind::Note, ActivityKind::ReplyReceived};
  for (size_t i = 0; i < n_activities; ++i) {
    Activity& a = activities[i];
    a.meta.owner_id = "r" + std::to_string(rng.below(28));
    a.kind = kinds[rng.below(8)];
    a.at = now - static_cast<Instant>(rng.below(90 * 24)) * kHour;
    a.customer_id = "c" + std::to_string(rng.below(n_customers));
  }
  std::vector<Contract> contracts(n_contracts);
  for (size_t i = 0; i < n_contracts; ++i) {
    contracts[i].customer_id = "c" + std::to_string(rng.below(n_customers));
    contracts[i].status = ContractStatus::Signed;
    contracts[i].signed_on = beijing_date(now - static_cast<Instant>(rng.below(720)) * kDay);
  }

  FunnelScratch scratch;
  Funnel funnel;
  double f_ms = bench::median_ms(runs, [&] { funnel = compute_funnel(opps, settings, {}, now, scratch); });
  std::printf("funnel median_ms=%.2f cpu_ms=%.2f n=%zu open=%lld\n", f_ms, bench::last_cpu_ms, n, static_cast<long long>(funnel.open_total));

  ScorecardData data{&users, &teams, &customers, &opps, &activities, &contracts, nullptr};
  Scorecard sc;
  double s_ms = bench::median_ms(runs, [&] { sc = compute_scorecard(data, {}, now); });
  std::printf("scorecard median_ms=%.2f cpu_ms=%.2f n=%zu score=%d\n", s_ms, bench::last_cpu_ms, n, sc.score);

  // R29 speed: the same scorecard over the compact projection (built once, kept up to date by the caller)
  ScorecardFacts facts;
  double build_ms = bench::median_ms(1, [&] { facts = ScorecardFacts(data); });
  std::printf("scorecard_facts_build median_ms=%.2f cpu_ms=%.2f n=%zu\n", build_ms, bench::last_cpu_ms, n);
  Scorecard sc_facts;
  double sf_ms = bench::median_ms(runs, [&] { sc_facts = compute_scorecard(facts, {}, now); });
  bool same = sc_facts.score == sc.score;
  for (size_t k = 0; k < sc.indicators.size(); ++k)
    same = same && sc_facts.indicators[k].numerator == sc.indicators[k].numerator &&
           sc_facts.indicators[k].denominator == sc.indicators[k].denominator && sc_facts.indicators[k].note_en == sc.indicators[k].note_en;
  std::printf("scorecard_facts median_ms=%.2f cpu_ms=%.2f n=%zu score=%d same_as_records=%d\n", sf_ms, bench::last_cpu_ms, n,
              sc_facts.score, same ? 1 : 0);

  double both = bench::median_ms(runs, [&] {
    funnel = compute_funnel(opps, settings, {}, now, scratch);
    sc = compute_scorecard(data, {}, now);
  });
  std::printf("funnel_plus_scorecard median_ms=%.2f cpu_ms=%.2f n=%zu\n", both, bench::last_cpu_ms, n);
  return 0;
}

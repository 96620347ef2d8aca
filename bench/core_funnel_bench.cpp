// R13/R14 benchmark: funnel and fake-talk flags over 1M opportunities (target ≤ 50 ms native, wasm
// ≤ 2× native). Synthetic, deterministic data shaped like the demo set: 1–5 stays per opportunity,
// a quarter closed. Prints one line per measurement: "<name> median_ms=<x> n=<count>".
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "bench_timing.h"
#include "core/funnel.h"
#include "core/settings.h"

using namespace cl;

namespace {
std::uint64_t rng_state = 0x9E3779B97F4A7C15ull;
std::uint32_t next_rand() {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return static_cast<std::uint32_t>(rng_state);
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? static_cast<size_t>(std::atol(argv[1])) : 1'000'000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 7;
  const Settings s = default_settings();
  const Instant now = 1764201600000;
  std::vector<Opportunity> opps(n);
  for (size_t i = 0; i < n; ++i) {
    Opportunity& o = opps[i];
    o.meta.id = "o" + std::to_string(i);
    o.customer_id = "c" + std::to_string(i / 2);
    o.meta.owner_id = "u-rep" + std::to_string(1 + i % 28);
    Instant t = now - static_cast<Instant>(next_rand() % 365) * kDay;
    int stays = 1 + static_cast<int>(next_rand() % 5);
    o.stages.reserve(static_cast<size_t>(stays));
    for (int k = 0; k < stays; ++k) {
      Instant d = static_cast<Instant>(next_rand() % (10 * 24)) * kHour;
      o.stages.push_back(StageVisit{k, t, k + 1 < stays ? t + d : 0, "u"});
      t += d;
    }
    std::uint32_t r = next_rand() % 8;
    if (r == 0) { o.status = OpportunityStatus::Won; o.stages.back().left_at = t; o.closed_at = t; }
    if (r == 1) { o.status = OpportunityStatus::Lost; o.closed_at = t; }
  }
  FunnelScratch scratch;
  FunnelPeriod last90{now - 90 * kDay, now + 1};
  Funnel f;
  double all = bench::median_ms(runs, [&] { f = compute_funnel(opps, s, {}, now, scratch); });
  std::printf("funnel_all_time median_ms=%.2f cpu_ms=%.2f n=%zu open=%lld\n", all, bench::last_cpu_ms, n, static_cast<long long>(f.open_total));
  double period = bench::median_ms(runs, [&] { f = compute_funnel(opps, s, last90, now, scratch); });
  std::printf("funnel_last_90_days median_ms=%.2f cpu_ms=%.2f n=%zu cohort=%lld\n", period, bench::last_cpu_ms, n, static_cast<long long>(f.cohort));
  FunnelFacts facts;
  double build = bench::median_ms(1, [&] { facts = FunnelFacts(opps); });
  std::printf("funnel_facts_build median_ms=%.2f cpu_ms=%.2f n=%zu\n", build, bench::last_cpu_ms, n);
  double compact = bench::median_ms(runs, [&] { f = compute_funnel(facts, s, {}, now, scratch); });
  std::printf("funnel_compact_all_time median_ms=%.2f cpu_ms=%.2f n=%zu open=%lld\n", compact, bench::last_cpu_ms, n,
              static_cast<long long>(f.open_total));
  std::vector<Id> one_rep = {"u-rep1"};
  double scoped = bench::median_ms(runs, [&] { f = compute_funnel(facts, s, last90, now, scratch, one_rep); });
  std::printf("funnel_compact_one_rep_90_days median_ms=%.2f cpu_ms=%.2f n=%zu cohort=%lld\n", scoped, bench::last_cpu_ms, n,
              static_cast<long long>(f.cohort));
  std::vector<Activity> acts;  // fake-talk flags with no activities: worst case (stage history only)
  size_t flagged = 0;
  double fake = bench::median_ms(runs, [&] { flagged = fake_talk_flags(opps, acts, s, now).size(); });
  std::printf("fake_talk_flags median_ms=%.2f cpu_ms=%.2f n=%zu flagged=%zu\n", fake, bench::last_cpu_ms, n, flagged);
  return 0;
}

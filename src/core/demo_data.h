// Demo and benchmark data: a deterministic, seeded generator of a realistic East-China medical-device
// distributor (the seed's reference customer: Hangzhou, 28 reps in 4 teams) — users, teams,
// hospitals/clinics/distributors with decision makers, products with usage cycles, price lists, the
// marketing lead list, opportunities with full stage histories and evidence, activities, quotes,
// contracts, invoices, payments and monthly collection targets.
//
// Deterministic: the same (scale, seed, now) gives byte-identical data on every platform (own
// splitmix64 PRNG, integer arithmetic only — no <random>, no clock). Ids are UUIDv7 (ids.h) made
// from the record's creation instant and PRNG bytes; customer codes are KH-000-nnnnn (device 0 =
// the server, ids.h).
//
// Every record is made through the core rules it would meet in the app: customers carry the R4
// required fields and tags (values from default_settings()), leads go through assign/touch/convert
// (leads.h), quotes through build/submit/approve (quotes.h), contracts/invoices/payments through
// billing.h, and stage histories never skip a stage and carry the stage's evidence when left (R10).
//
// Fixed stories (so scenario tests and the demo can point at them):
//   - the marketing list source kMarketingListSource: exactly 200 leads, 63 touched, 11 converted
//     (the seed's first break);
//   - logins: admin, manager1..manager4, rep1..rep28 (team k = rep(7k-6)..rep(7k), managed by
//     manager k), plus "former1", an inactive rep of team 1 whose customers were handed over (R28);
//   - teams 杭州一组 (杭州), 嘉湖组 (嘉兴, also serves 湖州), 宁波组 (宁波, also 绍兴/舟山),
//     温州组 (温州, also 台州).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"

namespace cl::demo {

enum class Scale {
  Demo,   // ~2,000 customers, ~3,000 opportunities, ~30,000 activities — used by seed-demo
  Large,  // 50,000 customers, 100,000 opportunities, 500,000 activities — benchmarks
};

inline constexpr const char* kMarketingListSource = "市场部名单";
inline constexpr const char* kDemoPassword = "demo1234";  // the server hashes it when seeding

struct Dataset {
  Settings settings;                       // default_settings()
  std::vector<Team> teams;                 // 4
  std::vector<User> users;                 // admin, manager1..4, rep1..28, former1 (inactive)
  std::vector<Product> products;
  std::vector<PriceList> price_lists;      // one per calendar year around `now`, plus a mid-year change
  std::vector<Lead> leads;
  std::vector<Customer> customers;
  std::vector<Opportunity> opportunities;
  std::vector<Activity> activities;        // sorted by `at`
  std::vector<Quote> quotes;
  std::vector<Contract> contracts;
  std::vector<Invoice> invoices;
  std::vector<Payment> payments;
  std::vector<CollectionTarget> collection_targets;  // per rep, the last 6 months and this month
};

Dataset generate(Scale scale, std::uint64_t seed, Instant now);

// The PRNG, exposed for other deterministic generators (benchmarks). splitmix64 (Steele, Lea,
// Flood 2014): tiny, fast, passes BigCrush for this use.
struct SplitMix64 {
  std::uint64_t state;
  explicit SplitMix64(std::uint64_t seed) : state(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (n > 0); Lemire's multiply-shift, bias negligible for our n.
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  bool chance(int per_mille) { return below(1000) < static_cast<std::uint64_t>(per_mille); }
};

}  // namespace cl::demo

// R13 funnel and R14 fake "in talks".
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "core/funnel.h"
#include "core/settings.h"

using namespace cl;

namespace {
const Settings kS = default_settings();
const Instant D = kDay;

// stays: (stage, entered, left) in days; status and closed_at as given.
Opportunity make(const char* id, std::vector<std::tuple<int, Instant, Instant>> stays,
                 OpportunityStatus status = OpportunityStatus::Open, Instant closed_day = 0) {
  Opportunity o;
  o.meta.id = id;
  o.meta.owner_id = "u-rep1";
  o.customer_id = std::string("c-") + id;
  o.status = status;
  o.closed_at = closed_day * D;
  for (auto [stage, in, out] : stays) o.stages.push_back(StageVisit{stage, in * D, out * D, "u"});
  return o;
}
}  // namespace

TEST_CASE("open opportunities are counted in their current stage") {
  std::vector<Opportunity> opps = {make("a", {{0, 1, 0}}), make("b", {{0, 1, 2}, {1, 2, 0}}),
                                   make("c", {{0, 1, 2}, {1, 2, 0}}),
                                   make("w", {{0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {4, 5, 6}}, OpportunityStatus::Won, 6)};
  Funnel f = compute_funnel(opps, kS, {}, 10 * D);
  REQUIRE(f.stages.size() == 5);
  CHECK(f.stages[0].open_now == 1);
  CHECK(f.stages[1].open_now == 2);
  CHECK(f.stages[4].open_now == 0);  // the won one is not open
  CHECK(f.open_total == 3);
  CHECK(f.stages[1].name_zh == "方案匹配");
}

TEST_CASE("dwell per stage gives mean and median, with current stays measured to now") {
  // Stage 0 stays: 1 day, 3 days, and a current one entered day 6 measured to now = day 10 → 4 days.
  std::vector<Opportunity> opps = {make("a", {{0, 0, 1}, {1, 1, 0}}), make("b", {{0, 0, 3}, {1, 3, 0}}),
                                   make("c", {{0, 6, 0}})};
  Funnel f = compute_funnel(opps, kS, {}, 10 * D);
  CHECK(f.stages[0].dwell_samples == 3);
  CHECK(f.stages[0].median_dwell_ms == 3 * D);
  CHECK(f.stages[0].mean_dwell_ms == (1 + 3 + 4) * D / 3);
  // Stage 1: current stays of 9 and 7 days → even count, median is their mean.
  CHECK(f.stages[1].dwell_samples == 2);
  CHECK(f.stages[1].median_dwell_ms == 8 * D);
}

TEST_CASE("a closed opportunity's unfinished stay ends when it was closed") {
  std::vector<Opportunity> opps = {make("l", {{0, 0, 0}}, OpportunityStatus::Lost, 5)};
  Funnel f = compute_funnel(opps, kS, {}, 100 * D);
  CHECK(f.stages[0].mean_dwell_ms == 5 * D);
  CHECK(f.stages[0].open_now == 0);
}

TEST_CASE("stage-to-stage conversion follows the cohort created in the period") {
  // 4 created in period: all reach 0; 3 reach 1; 1 reaches 2; the one that moved back still reached 2.
  std::vector<Opportunity> opps = {
      make("a", {{0, 10, 0}}),
      make("b", {{0, 10, 11}, {1, 11, 0}}),
      make("c", {{0, 10, 11}, {1, 11, 12}, {2, 12, 13}, {1, 13, 0}}),
      make("d", {{0, 12, 13}, {1, 13, 14}}, OpportunityStatus::Lost, 14),
      make("old", {{0, 1, 2}, {1, 2, 3}, {2, 3, 4}}),  // created before the period
  };
  FunnelPeriod p{10 * D, 20 * D};
  Funnel f = compute_funnel(opps, kS, p, 30 * D);
  CHECK(f.cohort == 4);
  CHECK(f.stages[0].reached == 4);
  CHECK(f.stages[1].reached == 3);
  CHECK(f.stages[2].reached == 1);
  CHECK(f.stages[3].reached == 0);
  CHECK(f.stages[0].conversion_bp == 7500);
  CHECK(f.stages[1].conversion_bp == 3333);
  CHECK(f.stages[2].conversion_bp == 0);
  CHECK(f.lost == 1);
  // Dwell only counts stays entered in the period: "old" contributes nothing.
  CHECK(f.stages[2].dwell_samples == 1);
  CHECK(f.stages[2].mean_dwell_ms == 1 * D);
}

TEST_CASE("the last stage converts to won") {
  std::vector<Opportunity> opps = {
      make("w", {{0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {4, 5, 6}}, OpportunityStatus::Won, 6),
      make("x", {{0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {4, 5, 0}})};
  Funnel f = compute_funnel(opps, kS, {}, 10 * D);
  CHECK(f.stages[4].reached == 2);
  CHECK(f.stages[4].conversion_bp == 5000);
  CHECK(f.win_rate_bp == 5000);
}

TEST_CASE("a funnel over pointers equals the funnel over values") {
  std::vector<Opportunity> opps = {make("a", {{0, 0, 1}, {1, 1, 0}}), make("b", {{0, 0, 3}})};
  std::vector<const Opportunity*> ptrs = {&opps[0], &opps[1]};
  FunnelScratch scratch;
  Funnel a = compute_funnel(opps, kS, {}, 5 * D);
  Funnel b = compute_funnel(std::span<const Opportunity* const>(ptrs), kS, {}, 5 * D, scratch);
  for (size_t k = 0; k < 5; ++k) {
    CHECK(a.stages[k].open_now == b.stages[k].open_now);
    CHECK(a.stages[k].median_dwell_ms == b.stages[k].median_dwell_ms);
    CHECK(a.stages[k].reached == b.stages[k].reached);
  }
}

TEST_CASE("an empty scope gives zeros, not a division by zero") {
  Funnel f = compute_funnel(std::span<const Opportunity>{}, kS, {}, 0);
  CHECK(f.stages.size() == 5);
  CHECK(f.stages[0].conversion_bp == 0);
  CHECK(f.win_rate_bp == 0);
}

namespace {
Activity act(const char* opp, const char* customer, ActivityKind kind, Instant day) {
  Activity a;
  a.meta.id = std::string("act-") + opp + std::to_string(day);
  a.opportunity_id = opp;
  a.customer_id = customer;
  a.kind = kind;
  a.at = day * D;
  return a;
}
}  // namespace

TEST_CASE("an open opportunity with only notes for 14 days is flagged as fake in talks") {
  std::vector<Opportunity> opps = {make("a", {{0, 1, 0}})};
  std::vector<Activity> acts = {act("a", "c-a", ActivityKind::Note, 10), act("a", "c-a", ActivityKind::Note, 19)};
  auto flags = fake_talk_flags(opps, acts, kS, 20 * D);
  REQUIRE(flags.size() == 1);
  CHECK(flags[0].opportunity_id == "a");
  CHECK(flags[0].last_objective_at == 1 * D);  // the stage entry is the last objective action
  CHECK(flags[0].idle_days == 19);
  acts.push_back(act("a", "c-a", ActivityKind::Call, 8));
  CHECK(fake_talk_flags(opps, acts, kS, 20 * D).empty());  // 12 days since the call
  flags = fake_talk_flags(opps, acts, kS, 22 * D);          // 14 days since the call
  REQUIRE(flags.size() == 1);
  CHECK(flags[0].idle_days == 14);
  CHECK(flags[0].last_objective_at == 8 * D);
}

TEST_CASE("a visit, a stage move, an evidence upload or a customer-level call keeps an opportunity real") {
  std::vector<Opportunity> opps = {make("a", {{0, 1, 0}}), make("b", {{0, 1, 15}, {1, 15, 0}}),
                                   make("c", {{0, 1, 0}}), make("d", {{0, 1, 0}})};
  EvidenceRef e;
  e.uploaded_at = 16 * D;
  opps[2].stages[0].evidence.push_back(e);
  std::vector<Activity> acts = {act("a", "c-a", ActivityKind::Visit, 10), act("", "c-d", ActivityKind::Call, 12)};
  CHECK(fake_talk_flags(opps, acts, kS, 20 * D).empty());
  CHECK(fake_talk_flags(opps, acts, kS, 40 * D).size() == 4);
}

TEST_CASE("closed opportunities are never fake in talks, and the share counts open ones") {
  std::vector<Opportunity> opps = {make("a", {{0, 1, 0}}), make("w", {{0, 1, 2}}, OpportunityStatus::Won, 2),
                                   make("b", {{0, 30, 0}})};
  auto flags = fake_talk_flags(opps, {}, kS, 40 * D);
  REQUIRE(flags.size() == 1);
  CHECK(flags[0].opportunity_id == "a");
  CHECK(fake_talk_share_bp(flags.size(), opps) == 5000);
  CHECK_FALSE(is_objective_activity(ActivityKind::Note));
  CHECK(is_objective_activity(ActivityKind::ReplyReceived));
}

TEST_CASE("the fake-talk window follows the settings") {
  Settings s = kS;
  s.fake_talk_days = 3;
  std::vector<Opportunity> opps = {make("a", {{0, 10, 0}})};
  CHECK(fake_talk_flags(opps, {}, s, 12 * D).empty());
  CHECK(fake_talk_flags(opps, {}, s, 13 * D).size() == 1);
}

TEST_CASE("the compact projection gives the same funnel as the records, for any owner scope") {
  std::vector<Opportunity> opps = {
      make("a", {{0, 10, 0}}),
      make("b", {{0, 10, 11}, {1, 11, 0}}),
      make("c", {{0, 10, 11}, {1, 11, 12}, {2, 12, 13}, {1, 13, 0}}),
      make("d", {{0, 12, 13}, {1, 13, 14}}, OpportunityStatus::Lost, 14),
      make("w", {{0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {4, 5, 6}}, OpportunityStatus::Won, 6),
  };
  opps[1].meta.owner_id = opps[3].meta.owner_id = "u-rep2";
  FunnelFacts facts(opps);
  FunnelScratch scratch;
  FunnelPeriod p{0, 20 * D};
  auto same = [](const Funnel& x, const Funnel& y) {
    REQUIRE(x.stages.size() == y.stages.size());
    for (size_t k = 0; k < x.stages.size(); ++k) {
      CHECK(x.stages[k].open_now == y.stages[k].open_now);
      CHECK(x.stages[k].reached == y.stages[k].reached);
      CHECK(x.stages[k].conversion_bp == y.stages[k].conversion_bp);
      CHECK(x.stages[k].dwell_samples == y.stages[k].dwell_samples);
      CHECK(x.stages[k].mean_dwell_ms == y.stages[k].mean_dwell_ms);
      CHECK(x.stages[k].median_dwell_ms == y.stages[k].median_dwell_ms);
    }
    CHECK(x.cohort == y.cohort);
    CHECK(x.won == y.won);
    CHECK(x.lost == y.lost);
  };
  same(compute_funnel(facts, kS, p, 30 * D, scratch), compute_funnel(opps, kS, p, 30 * D));
  std::vector<Opportunity> rep2 = {opps[1], opps[3]};
  std::vector<Id> scope = {"u-rep2"};
  Funnel mine = compute_funnel(facts, kS, p, 30 * D, scratch, scope);
  same(mine, compute_funnel(rep2, kS, p, 30 * D));
  CHECK(mine.cohort == 2);

  // An update (a stage move) is reflected, before and after compaction.
  opps[0].stages[0].left_at = 15 * D;
  opps[0].stages.push_back(StageVisit{1, 15 * D, 0, "u"});
  facts.update(0, opps[0]);
  same(compute_funnel(facts, kS, p, 30 * D, scratch), compute_funnel(opps, kS, p, 30 * D));
  facts.compact();
  same(compute_funnel(facts, kS, p, 30 * D, scratch), compute_funnel(opps, kS, p, 30 * D));
}

TEST_CASE("the median dwell is exact for many stays, odd and even counts, wide and equal values") {
  for (size_t n : {1u, 2u, 7u, 1000u, 1001u, 20000u}) {
    std::vector<Opportunity> opps;
    std::vector<Instant> ref;
    std::uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; ++i) {
      x ^= x << 13; x ^= x >> 17; x ^= x << 5;
      Instant d = (i % 3 == 0) ? 5 * kHour : static_cast<Instant>(x % 4000000) * 997;  // ties and spread
      Opportunity o;
      o.meta.id = "o" + std::to_string(i);
      o.stages = {StageVisit{0, 1000, 1000 + d, "u"}, StageVisit{1, 1000 + d, 0, "u"}};
      opps.push_back(o);
      ref.push_back(d);
    }
    std::sort(ref.begin(), ref.end());
    Instant expected = n % 2 ? ref[n / 2] : ref[n / 2 - 1] + (ref[n / 2] - ref[n / 2 - 1]) / 2;
    Funnel f = compute_funnel(opps, kS, {}, 1000);
    CHECK_MESSAGE(f.stages[0].median_dwell_ms == expected, "n=" << n);
  }
}

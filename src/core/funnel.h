// R13 opportunity funnel and R14 fake "in talks" detection. The caller chooses the scope (my /
// my team / company: filter the opportunities first, R33 decides what a user may see).
//
// Funnel definitions (one pass over the opportunities, no allocation per opportunity):
//   open_now[k]       open opportunities whose current stay is stage k — a snapshot at `now`,
//                     independent of the period;
//   dwell[k]          stays in stage k ENTERED within the period: mean and median of
//                     (left_at − entered_at); a current stay of an open opportunity is measured to
//                     `now` (it is still accruing), a closed one's open stay to closed_at;
//   reached[k]        of the cohort — opportunities CREATED (first stay entered) within the period —
//                     how many ever reached stage k (moving back later doesn't un-reach it);
//   conversion_bp[k]  reached[k+1] / reached[k] in basis points; for the last stage, won / reached.
// Medians of an even count are the mean of the two middle values (rounded down to the ms).
//
// Speed (R13 "live"): an Opportunity record is ~264 bytes plus ~168 per stay, so one pass over 1M
// full records streams ~800 MB — memory-bound at 60–100 ms. FunnelFacts is a compact columnar
// projection (~17 bytes per stay, ~21 per opportunity, owners interned) that the server/app keeps
// next to the records and refreshes with update(); the funnel over it computes the same numbers for
// any owner scope in a fraction of that (bench/core_funnel_bench.cpp prints both).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model.h"

namespace cl {

struct FunnelPeriod {
  Instant from = std::numeric_limits<Instant>::min();  // inclusive
  Instant to = std::numeric_limits<Instant>::max();    // exclusive
  bool contains(Instant t) const { return t >= from && t < to; }
};

struct FunnelStageRow {
  int stage = 0;
  std::string key, name_zh, name_en;
  std::int64_t open_now = 0;
  std::int64_t reached = 0;
  int conversion_bp = 0;          // to the next stage (last stage: to won)
  std::int64_t dwell_samples = 0;
  Instant mean_dwell_ms = 0;
  Instant median_dwell_ms = 0;
};

struct Funnel {
  std::vector<FunnelStageRow> stages;
  std::int64_t open_total = 0;   // snapshot
  std::int64_t cohort = 0;       // created in the period
  std::int64_t won = 0, lost = 0;  // of the cohort
  int win_rate_bp = 0;             // won / cohort
};

// Reusable scratch so a dashboard that recomputes every few seconds doesn't reallocate.
struct FunnelScratch {
  std::vector<std::vector<Instant>> durations;
  std::vector<Instant> bucket;            // median selection
  std::vector<std::uint32_t> histogram;
};

Funnel compute_funnel(std::span<const Opportunity> opps, const Settings& settings, FunnelPeriod period, Instant now);
Funnel compute_funnel(std::span<const Opportunity> opps, const Settings& settings, FunnelPeriod period, Instant now,
                      FunnelScratch& scratch);
// For callers that filtered into a list of pointers (no copies of the records).
Funnel compute_funnel(std::span<const Opportunity* const> opps, const Settings& settings, FunnelPeriod period,
                      Instant now, FunnelScratch& scratch);

// Compact projection of the funnel-relevant facts of many opportunities.
class FunnelFacts {
 public:
  FunnelFacts() = default;
  explicit FunnelFacts(std::span<const Opportunity> opps);
  // Replaces opportunity i's facts (same position as in the span it was built from). Stays are
  // appended, so call compact() now and then if opportunities change a lot.
  void update(std::size_t i, const Opportunity& o);
  void compact();
  std::size_t size() const { return status_.size(); }

  // Internal columns, read by compute_funnel.
  std::vector<std::uint32_t> stay_begin_, stay_count_;
  std::vector<std::uint8_t> status_;  // OpportunityStatus, or kSkip for deleted/empty
  std::vector<std::uint32_t> owner_;  // index into owners_
  std::vector<Instant> closed_at_;
  std::vector<Instant> stay_entered_, stay_left_;
  std::vector<std::int16_t> stay_stage_;
  std::vector<Id> owners_;
  static constexpr std::uint8_t kSkip = 255;

 private:
  std::unordered_map<Id, std::uint32_t> owner_index_;
  std::uint32_t intern_owner(const Id& id);
  void set(std::size_t i, const Opportunity& o);
};

// The funnel over a projection; owner_ids empty = everyone in it (company), else only those owners
// (me: {my id}; team: the team's members).
Funnel compute_funnel(const FunnelFacts& facts, const Settings& settings, FunnelPeriod period, Instant now,
                      FunnelScratch& scratch, std::span<const Id> owner_ids = {});

// ---- R14 fake "in talks" ------------------------------------------------------------------------
// An OPEN opportunity is flagged when nothing objective happened on it for settings.fake_talk_days:
// objective = any Activity except Note (visit, call, message sent, reply received, proposal, demo,
// quote, contract, payment chased, objection handled) linked to the opportunity — or to its customer
// without a specific opportunity — plus stage moves and evidence uploads. A bare Note is words, not
// action, so it doesn't count. Activities dated after `now` (clock skew) are ignored.
struct FakeTalkFlag {
  Id opportunity_id;
  Id owner_id;
  Instant last_objective_at = 0;  // 0: never
  std::int64_t idle_days = 0;     // whole days since last_objective_at
};

bool is_objective_activity(ActivityKind kind);

std::vector<FakeTalkFlag> fake_talk_flags(std::span<const Opportunity> opps, std::span<const Activity> activities,
                                          const Settings& settings, Instant now);

// Share of open opportunities flagged, in basis points (the seed: fake share fell to 4.1% = 410).
int fake_talk_share_bp(std::size_t flagged, std::span<const Opportunity> opps);

}  // namespace cl

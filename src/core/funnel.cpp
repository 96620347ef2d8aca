#include "core/funnel.h"

#include <algorithm>
#include <unordered_map>

#include "core/money.h"

namespace cl {
namespace {

Instant median_of(std::vector<Instant>& v) {
  if (v.empty()) return 0;
  size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  Instant upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  Instant lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return lower + (upper - lower) / 2;
}

int bp(std::int64_t num, std::int64_t den) {
  if (den <= 0) return 0;
  return static_cast<int>(mul_div_round(num, 10000, den));
}

template <class Get>
Funnel funnel_impl(size_t count, Get get, const Settings& s, FunnelPeriod period, Instant now, FunnelScratch& scratch) {
  const size_t n = s.stages.size();
  Funnel f;
  f.stages.resize(n);
  for (size_t k = 0; k < n; ++k) {
    f.stages[k].stage = static_cast<int>(k);
    f.stages[k].key = s.stages[k].key;
    f.stages[k].name_zh = s.stages[k].name_zh;
    f.stages[k].name_en = s.stages[k].name_en;
  }
  if (scratch.durations.size() < n) scratch.durations.resize(n);
  for (size_t k = 0; k < n; ++k) scratch.durations[k].clear();
  std::vector<__int128> dwell_sum(n, 0);
  // Bitmask of reached stages for one opportunity; more than 64 stages would be absurd.
  for (size_t i = 0; i < count; ++i) {
    const Opportunity& o = get(i);
    if (o.meta.deleted || o.stages.empty()) continue;
    const bool open = o.status == OpportunityStatus::Open;
    const int cur = o.stages.back().stage;
    if (open && cur >= 0 && static_cast<size_t>(cur) < n) {
      ++f.stages[static_cast<size_t>(cur)].open_now;
      ++f.open_total;
    }
    const bool in_cohort = period.contains(o.stages.front().entered_at);
    std::uint64_t reached = 0;
    for (const StageVisit& v : o.stages) {
      if (v.stage < 0 || static_cast<size_t>(v.stage) >= n) continue;
      const size_t k = static_cast<size_t>(v.stage);
      if (in_cohort && k < 64) reached |= std::uint64_t{1} << k;
      if (!period.contains(v.entered_at)) continue;
      Instant end = v.left_at != 0 ? v.left_at : (open ? now : (o.closed_at != 0 ? o.closed_at : now));
      Instant d = std::max<Instant>(0, end - v.entered_at);
      scratch.durations[k].push_back(d);
      dwell_sum[k] += d;
    }
    if (in_cohort) {
      ++f.cohort;
      if (o.status == OpportunityStatus::Won) ++f.won;
      if (o.status == OpportunityStatus::Lost) ++f.lost;
      // Reaching stage k implies having passed every earlier one (no skipping, R9).
      int highest = -1;
      for (size_t k = 0; k < n && k < 64; ++k)
        if (reached & (std::uint64_t{1} << k)) highest = static_cast<int>(k);
      for (int k = 0; k <= highest; ++k) ++f.stages[static_cast<size_t>(k)].reached;
    }
  }
  for (size_t k = 0; k < n; ++k) {
    FunnelStageRow& row = f.stages[k];
    auto& d = scratch.durations[k];
    row.dwell_samples = static_cast<std::int64_t>(d.size());
    if (!d.empty()) row.mean_dwell_ms = static_cast<Instant>(dwell_sum[k] / static_cast<__int128>(d.size()));
    row.median_dwell_ms = median_of(d);
    std::int64_t next = k + 1 < n ? f.stages[k + 1].reached : f.won;
    row.conversion_bp = bp(next, row.reached);
  }
  f.win_rate_bp = bp(f.won, f.cohort);
  return f;
}

}  // namespace

Funnel compute_funnel(std::span<const Opportunity> opps, const Settings& s, FunnelPeriod period, Instant now,
                      FunnelScratch& scratch) {
  return funnel_impl(opps.size(), [&](size_t i) -> const Opportunity& { return opps[i]; }, s, period, now, scratch);
}

Funnel compute_funnel(std::span<const Opportunity> opps, const Settings& s, FunnelPeriod period, Instant now) {
  FunnelScratch scratch;
  return compute_funnel(opps, s, period, now, scratch);
}

Funnel compute_funnel(std::span<const Opportunity* const> opps, const Settings& s, FunnelPeriod period, Instant now,
                      FunnelScratch& scratch) {
  return funnel_impl(opps.size(), [&](size_t i) -> const Opportunity& { return *opps[i]; }, s, period, now, scratch);
}

bool is_objective_activity(ActivityKind kind) { return kind != ActivityKind::Note; }

std::vector<FakeTalkFlag> fake_talk_flags(std::span<const Opportunity> opps, std::span<const Activity> activities,
                                          const Settings& s, Instant now) {
  // Last objective instant per opportunity and per customer (customer-level actions with no
  // opportunity count for every open opportunity of that customer).
  std::unordered_map<std::string_view, Instant> by_opp, by_customer;
  by_opp.reserve(opps.size());
  for (const Activity& a : activities) {
    if (a.meta.deleted || !is_objective_activity(a.kind) || a.at > now) continue;
    if (!a.opportunity_id.empty()) {
      Instant& t = by_opp[a.opportunity_id];
      t = std::max(t, a.at);
    } else if (!a.customer_id.empty()) {
      Instant& t = by_customer[a.customer_id];
      t = std::max(t, a.at);
    }
  }
  const Instant window = static_cast<Instant>(s.fake_talk_days) * kDay;
  std::vector<FakeTalkFlag> flags;
  for (const Opportunity& o : opps) {
    if (o.meta.deleted || o.status != OpportunityStatus::Open) continue;
    Instant last = 0;
    for (const StageVisit& v : o.stages) {
      if (v.entered_at <= now) last = std::max(last, v.entered_at);
      for (const EvidenceRef& e : v.evidence)
        if (e.uploaded_at <= now) last = std::max(last, e.uploaded_at);
    }
    if (auto it = by_opp.find(o.meta.id); it != by_opp.end()) last = std::max(last, it->second);
    if (auto it = by_customer.find(o.customer_id); it != by_customer.end()) last = std::max(last, it->second);
    if (last != 0 && now - last < window) continue;
    flags.push_back({o.meta.id, o.meta.owner_id, last, last == 0 ? 0 : (now - last) / kDay});
  }
  return flags;
}

int fake_talk_share_bp(std::size_t flagged, std::span<const Opportunity> opps) {
  std::int64_t open = 0;
  for (const Opportunity& o : opps)
    if (!o.meta.deleted && o.status == OpportunityStatus::Open) ++open;
  return bp(static_cast<std::int64_t>(flagged), open);
}

}  // namespace cl

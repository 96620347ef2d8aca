#include "core/funnel.h"

#include <algorithm>
#include <unordered_map>

#include "core/money.h"

namespace cl {
namespace {

// Exact k-th smallest by a radix pre-pass: one histogram of the top 16 significant bits, then
// nth_element over the single bucket holding rank k. Linear and branch-light, several times faster
// than nth_element over hundreds of thousands of dwell times (R13's 50 ms budget).
Instant select_rank(const std::vector<Instant>& v, size_t k, std::vector<Instant>& bucket,
                    std::vector<std::uint32_t>& histogram) {
  Instant max = 0;
  for (Instant d : v) max = d > max ? d : max;  // durations are >= 0
  int bits = 0;
  while (bits < 63 && (Instant{1} << bits) <= max) ++bits;
  const int shift = bits > 16 ? bits - 16 : 0;
  histogram.assign(size_t{1} << 16, 0);
  for (Instant d : v) ++histogram[static_cast<size_t>(d >> shift)];
  size_t below = 0, b = 0;
  while (below + histogram[b] <= k) below += histogram[b++];
  bucket.clear();
  for (Instant d : v)
    if (static_cast<size_t>(d >> shift) == b) bucket.push_back(d);
  const size_t r = k - below;
  std::nth_element(bucket.begin(), bucket.begin() + static_cast<std::ptrdiff_t>(r), bucket.end());
  return bucket[r];
}

Instant median_of(const std::vector<Instant>& v, std::vector<Instant>& bucket, std::vector<std::uint32_t>& histogram) {
  if (v.empty()) return 0;
  const size_t mid = v.size() / 2;
  const Instant upper = select_rank(v, mid, bucket, histogram);
  if (v.size() % 2 == 1) return upper;
  const Instant lower = select_rank(v, mid - 1, bucket, histogram);
  return lower + (upper - lower) / 2;
}

int bp(std::int64_t num, std::int64_t den) {
  if (den <= 0) return 0;
  return static_cast<int>(mul_div_round(num, 10000, den));
}

// The one funnel algorithm; View abstracts full records vs the compact projection.
//   v.size(), v.skip(i), v.status(i), v.closed_at(i), v.stay_count(i),
//   v.stage(i, j), v.entered(i, j), v.left(i, j)
template <class View>
Funnel funnel_impl(const View& v, const Settings& s, FunnelPeriod period, Instant now, FunnelScratch& scratch) {
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
  // int64 is enough: it overflows only past ~290 million years of summed dwell time.
  std::vector<std::int64_t> dwell_sum(n, 0);
  const size_t count = v.size();
  for (size_t i = 0; i < count; ++i) {
    if (v.skip(i)) continue;
    const size_t stays = v.stay_count(i);
    if (stays == 0) continue;
    const OpportunityStatus status = v.status(i);
    const bool open = status == OpportunityStatus::Open;
    const int cur = v.stage(i, stays - 1);
    if (open && cur >= 0 && static_cast<size_t>(cur) < n) {
      ++f.stages[static_cast<size_t>(cur)].open_now;
      ++f.open_total;
    }
    const bool in_cohort = period.contains(v.entered(i, 0));
    const Instant closed = v.closed_at(i);
    const Instant open_end = open ? now : (closed != 0 ? closed : now);
    int highest = -1;
    for (size_t j = 0; j < stays; ++j) {
      const int stage = v.stage(i, j);
      if (stage < 0 || static_cast<size_t>(stage) >= n) continue;
      const size_t k = static_cast<size_t>(stage);
      if (stage > highest) highest = stage;
      const Instant entered = v.entered(i, j);
      if (!period.contains(entered)) continue;
      const Instant left = v.left(i, j);
      const Instant end = left != 0 ? left : open_end;
      Instant d = end > entered ? end - entered : 0;
      scratch.durations[k].push_back(d);
      dwell_sum[k] += d;
    }
    if (in_cohort) {
      ++f.cohort;
      if (status == OpportunityStatus::Won) ++f.won;
      if (status == OpportunityStatus::Lost) ++f.lost;
      // Reaching stage k implies having passed every earlier one (no skipping, R9).
      for (int k = 0; k <= highest; ++k) ++f.stages[static_cast<size_t>(k)].reached;
    }
  }
  for (size_t k = 0; k < n; ++k) {
    FunnelStageRow& row = f.stages[k];
    auto& d = scratch.durations[k];
    row.dwell_samples = static_cast<std::int64_t>(d.size());
    if (!d.empty()) row.mean_dwell_ms = dwell_sum[k] / static_cast<std::int64_t>(d.size());
    row.median_dwell_ms = median_of(d, scratch.bucket, scratch.histogram);
    std::int64_t next = k + 1 < n ? f.stages[k + 1].reached : f.won;
    row.conversion_bp = bp(next, row.reached);
  }
  f.win_rate_bp = bp(f.won, f.cohort);
  return f;
}

template <class Get>
struct RecordView {
  size_t n;
  Get get;
  size_t size() const { return n; }
  bool skip(size_t i) const { return get(i).meta.deleted; }
  OpportunityStatus status(size_t i) const { return get(i).status; }
  Instant closed_at(size_t i) const { return get(i).closed_at; }
  size_t stay_count(size_t i) const { return get(i).stages.size(); }
  int stage(size_t i, size_t j) const { return get(i).stages[j].stage; }
  Instant entered(size_t i, size_t j) const { return get(i).stages[j].entered_at; }
  Instant left(size_t i, size_t j) const { return get(i).stages[j].left_at; }
};
template <class Get>
RecordView<Get> record_view(size_t n, Get get) { return {n, get}; }

struct FactsView {
  const FunnelFacts& f;
  const std::vector<char>* owner_in_scope;  // nullptr = all
  size_t size() const { return f.size(); }
  bool skip(size_t i) const {
    return f.status_[i] == FunnelFacts::kSkip || (owner_in_scope && !(*owner_in_scope)[f.owner_[i]]);
  }
  OpportunityStatus status(size_t i) const { return static_cast<OpportunityStatus>(f.status_[i]); }
  Instant closed_at(size_t i) const { return f.closed_at_[i]; }
  size_t stay_count(size_t i) const { return f.stay_count_[i]; }
  int stage(size_t i, size_t j) const { return f.stay_stage_[f.stay_begin_[i] + j]; }
  Instant entered(size_t i, size_t j) const { return f.stay_entered_[f.stay_begin_[i] + j]; }
  Instant left(size_t i, size_t j) const { return f.stay_left_[f.stay_begin_[i] + j]; }
};

}  // namespace

Funnel compute_funnel(std::span<const Opportunity> opps, const Settings& s, FunnelPeriod period, Instant now,
                      FunnelScratch& scratch) {
  return funnel_impl(record_view(opps.size(), [&](size_t i) -> const Opportunity& { return opps[i]; }), s, period, now,
                     scratch);
}

Funnel compute_funnel(std::span<const Opportunity> opps, const Settings& s, FunnelPeriod period, Instant now) {
  FunnelScratch scratch;
  return compute_funnel(opps, s, period, now, scratch);
}

Funnel compute_funnel(std::span<const Opportunity* const> opps, const Settings& s, FunnelPeriod period, Instant now,
                      FunnelScratch& scratch) {
  return funnel_impl(record_view(opps.size(), [&](size_t i) -> const Opportunity& { return *opps[i]; }), s, period, now,
                     scratch);
}

FunnelFacts::FunnelFacts(std::span<const Opportunity> opps) {
  const size_t n = opps.size();
  stay_begin_.resize(n);
  stay_count_.resize(n);
  status_.resize(n);
  owner_.resize(n);
  closed_at_.resize(n);
  size_t stays = 0;
  for (const auto& o : opps) stays += o.stages.size();
  stay_entered_.reserve(stays);
  stay_left_.reserve(stays);
  stay_stage_.reserve(stays);
  for (size_t i = 0; i < n; ++i) set(i, opps[i]);
}

std::uint32_t FunnelFacts::intern_owner(const Id& id) {
  auto [it, inserted] = owner_index_.try_emplace(id, static_cast<std::uint32_t>(owners_.size()));
  if (inserted) owners_.push_back(id);
  return it->second;
}

void FunnelFacts::set(size_t i, const Opportunity& o) {
  status_[i] = o.meta.deleted ? kSkip : static_cast<std::uint8_t>(o.status);
  owner_[i] = intern_owner(o.meta.owner_id);
  closed_at_[i] = o.closed_at;
  stay_begin_[i] = static_cast<std::uint32_t>(stay_stage_.size());
  stay_count_[i] = static_cast<std::uint32_t>(o.stages.size());
  for (const auto& v : o.stages) {
    stay_stage_.push_back(static_cast<std::int16_t>(v.stage));
    stay_entered_.push_back(v.entered_at);
    stay_left_.push_back(v.left_at);
  }
}

void FunnelFacts::update(size_t i, const Opportunity& o) {
  if (i >= size()) {
    size_t n = i + 1;
    stay_begin_.resize(n);
    stay_count_.resize(n);
    status_.resize(n, kSkip);
    owner_.resize(n);
    closed_at_.resize(n);
  }
  set(i, o);
}

void FunnelFacts::compact() {
  std::vector<Instant> entered, left;
  std::vector<std::int16_t> stage;
  for (size_t i = 0; i < size(); ++i) {
    std::uint32_t b = stay_begin_[i];
    stay_begin_[i] = static_cast<std::uint32_t>(stage.size());
    for (std::uint32_t j = 0; j < stay_count_[i]; ++j) {
      entered.push_back(stay_entered_[b + j]);
      left.push_back(stay_left_[b + j]);
      stage.push_back(stay_stage_[b + j]);
    }
  }
  stay_entered_ = std::move(entered);
  stay_left_ = std::move(left);
  stay_stage_ = std::move(stage);
}

Funnel compute_funnel(const FunnelFacts& facts, const Settings& s, FunnelPeriod period, Instant now,
                      FunnelScratch& scratch, std::span<const Id> owner_ids) {
  if (owner_ids.empty()) return funnel_impl(FactsView{facts, nullptr}, s, period, now, scratch);
  std::vector<char> in_scope(facts.owners_.size(), 0);
  for (size_t k = 0; k < facts.owners_.size(); ++k)
    for (const Id& id : owner_ids)
      if (facts.owners_[k] == id) in_scope[k] = 1;
  return funnel_impl(FactsView{facts, &in_scope}, s, period, now, scratch);
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

// R29 speed: the health scorecard over a compact projection of the data, like FunnelFacts (funnel.h).
// Over the full records the scorecard streams ~1 GB for 1M opportunities and hashes every id string
// it meets (~250 ms natively). ScorecardFacts interns customer and owner ids to small integers once,
// keeps only the columns the ten indicators read (time, kind, keys, flags), and keeps per-owner
// running totals for the opportunity-wide indicators (#2 evidence, #6 and #10 open opportunities,
// #10 pending leads), so recomputing the scorecard touches activities, customers and contracts as
// packed columns and opportunities not at all. The results are identical to compute_scorecard over
// the records (tests/unit/scorecard_test.cpp checks both paths; bench/core_scorecard_bench.cpp times both).
#pragma once

#include <cstdint>
#include <limits>
#include <unordered_map>
#include <vector>

#include "core/model.h"
#include "core/scorecard.h"

namespace cl {

class ScorecardFacts {
 public:
  ScorecardFacts() = default;
  explicit ScorecardFacts(const ScorecardData& data);

  // Updates keep record i at position i (as in the vectors it was built from); a position past the
  // end grows the columns. A deleted record is updated like any other (it then counts for nothing).
  void set_people(const std::vector<User>& users, const std::vector<Team>& teams);
  void update_customer(std::size_t i, const Customer& c);
  void update_opportunity(std::size_t i, const Opportunity& o);
  void update_activity(std::size_t i, const Activity& a);
  void update_contract(std::size_t i, const Contract& k);
  void update_lead(std::size_t i, const Lead& l);

  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  // Internal columns, read by compute_scorecard(const ScorecardFacts&, …).
  std::vector<User> users_;
  std::vector<Team> teams_;
  std::vector<Id> customer_ids_, owner_ids_;  // key -> id
  // customers
  std::vector<std::uint32_t> cust_key_, cust_owner_;
  std::vector<Instant> cust_created_;
  std::vector<std::uint8_t> cust_deleted_;
  std::vector<std::vector<std::uint32_t>> cust_handover_from_;  // owners handed over from ("handover")
  // opportunities: per-record contributions, so an update can take the old one back out
  std::vector<std::uint32_t> opp_owner_, opp_changes_, opp_evidenced_;
  std::vector<std::uint8_t> opp_open_;
  std::int64_t stage_changes_ = 0, stage_changes_evidenced_ = 0;  // #2
  std::vector<std::int64_t> open_by_owner_;                       // #6, #10
  std::int64_t open_total_ = 0;
  // activities
  std::vector<Instant> act_at_;
  std::vector<std::uint8_t> act_kind_;
  std::vector<std::uint32_t> act_customer_, act_owner_;  // customer kNone: none; owner kNone: placeholder
  // contracts
  std::vector<std::uint32_t> con_customer_, con_owner_;
  std::vector<Instant> con_created_;
  std::vector<Date> con_signed_on_;
  std::vector<std::uint8_t> con_signed_;  // live and signed
  // leads
  std::vector<std::uint32_t> lead_owner_;
  std::vector<std::uint8_t> lead_pending_;
  std::vector<std::int64_t> pending_leads_by_owner_;  // #10

  std::uint32_t find_owner(const Id& id) const;
  std::uint32_t find_customer(const Id& id) const;

 private:
  std::unordered_map<Id, std::uint32_t> customer_index_, owner_index_;
  std::uint32_t intern_customer(const Id& id);
  std::uint32_t intern_owner(const Id& id);
};

// Same indicators, texts and score as compute_scorecard over the records the facts were built from.
Scorecard compute_scorecard(const ScorecardFacts& facts, const ScorecardManualInputs& manual, Instant now,
                            int period_days = 28);

}  // namespace cl

// R29: the seed's 销售管理健康度自测表 — ten indicators, one point each, "below 6: urgent
// intervention" (6分以下需紧急干预). Computed from the system's own data where the data allows;
// the rest are optional manual inputs (and score no point while missing — a point must be earned).
//
//  #  indicator (seed)                                     target  source and definition
//  1  新客户建档后24小时内完成首次沟通                         ≥90 %  data: customers created in the period (and at least 24 h
//                                                                    old) with an outbound action (visit, call, message, proposal,
//                                                                    demo, quote) on them within 24 h of creation
//  2  商机阶段变更有凭证留存                                  100 %  data: every stage left forward (and every win) carries evidence;
//                                                                    a move back carries a reason; lost needs neither
//  3  销售日报包含客观动作                                     ≥80 %  data: rep-days (Beijing) in the period with any logged activity
//                                                                    that contain at least one objective action (anything but a Note)
//  4  历史成交客户6个月内复购率                                ≥25 %  data: of customers with a signed contract older than 6 months,
//                                                                    the share with another signed contract in the last 6 months
//  5  销售使用系统录入数据的日均耗时                            ≤8 min manual input (the app cannot time typing it does not see)
//  6  管理层能实时查看某销售推进的所有商机详情                  yes    data: every open opportunity's owner is an active user in a
//                                                                    team with a manager (R26/R33 scopes then show it live)
//  7  客户投诉中因信息不同步导致的比例                          ≤5 %   manual input (complaints are not recorded in the system)
//  8  新人第30天能独立完成建档到合同全流程                      yes    data when hire dates are given: each rep hired ≥30 days ago
//                                                                    created a customer and a contract for it within 30 days;
//                                                                    otherwise a manual yes/no
//  9  销售团队周均有效客户触达数（方案/报价/演示）             ≥15    data: per active rep, distinct customers per week touched by a
//                                                                    visit, proposal, quote, demo, objection handled or contract
//                                                                    sent, over the last 4 full weeks, averaged over reps
// 10  销售离职后负责客户资料完整移交率                          100 %  data: of records that belonged to inactive users, the share
//                                                                    moved with a "handover" owner change; nothing left behind
//                                                                    (no departures: 100 %, noted)
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"

namespace cl {

enum class IndicatorSource { Computed, Manual, Missing };

struct ScorecardManualInputs {
  std::optional<int> data_entry_minutes_per_day;   // #5
  std::optional<int> complaints_total;             // #7 (both needed)
  std::optional<int> complaints_info_not_synced;
  std::optional<bool> new_hire_completes_flow;     // #8 when no hire dates
  std::map<Id, Instant> hired_at;                  // #8 computed from data when given
};

struct ScorecardData {
  const std::vector<User>* users = nullptr;
  const std::vector<Team>* teams = nullptr;
  const std::vector<Customer>* customers = nullptr;
  const std::vector<Opportunity>* opportunities = nullptr;
  const std::vector<Activity>* activities = nullptr;
  const std::vector<Contract>* contracts = nullptr;
  const std::vector<Lead>* leads = nullptr;        // optional, #10
};

struct Indicator {
  int number = 0;
  std::string name_zh, name_en;
  std::string target_zh, target_en;     // "≥90%", "是" / "yes"
  IndicatorSource source = IndicatorSource::Computed;
  bool passed = false;
  std::int64_t value = 0;               // bp for rates, minutes for #5, tenths for #9, 1/0 for yes/no
  std::int64_t numerator = 0, denominator = 0;  // what the rate was computed from
  std::string value_text;               // "92.3%", "7 分钟", "14.7", "是"
  std::string note_zh, note_en;         // how it was computed, or what input is missing
};

struct Scorecard {
  std::vector<Indicator> indicators;    // 10, in the seed's order
  int score = 0;                        // indicators passed, out of 10
  bool urgent = false;                  // score < 6
  int computed = 0, manual = 0, missing = 0;
};

// period_days: the look-back for #1 and #3 (default 28 days before `now`).
Scorecard compute_scorecard(const ScorecardData& data, const ScorecardManualInputs& manual, Instant now,
                            int period_days = 28);

}  // namespace cl

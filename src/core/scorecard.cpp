#include "core/scorecard.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/money.h"
#include "core/scorecard_counts.h"
#include "core/time.h"

namespace cl {

namespace {

std::string percent_text(std::int64_t bp) {
  std::string whole = std::to_string(bp / 100), frac = std::to_string(bp % 100 / 10);
  return whole + "." + frac + "%";
}

std::int64_t rate_bp(std::int64_t num, std::int64_t den) { return den == 0 ? 0 : mul_div_round(num, 10000, den); }

Indicator make(int n, const char* zh, const char* en, const char* tzh, const char* ten) {
  Indicator i;
  i.number = n;
  i.name_zh = zh;
  i.name_en = en;
  i.target_zh = tzh;
  i.target_en = ten;
  return i;
}

template <class T>
const std::vector<T>& or_empty(const std::vector<T>* v) {
  static const std::vector<T> empty;
  return v ? *v : empty;
}

}  // namespace

bool scorecard_outbound(ActivityKind k) {
  return k == ActivityKind::Visit || k == ActivityKind::Call || k == ActivityKind::MessageSent ||
         k == ActivityKind::ProposalSent || k == ActivityKind::Demo || k == ActivityKind::QuoteSent ||
         k == ActivityKind::ContractSent;
}

bool scorecard_effective_touch(ActivityKind k) {
  return k == ActivityKind::Visit || k == ActivityKind::ProposalSent || k == ActivityKind::QuoteSent ||
         k == ActivityKind::Demo || k == ActivityKind::ObjectionHandled || k == ActivityKind::ContractSent;
}

namespace {

ScorecardCounts record_counts(const ScorecardData& data, const ScorecardManualInputs& manual, Instant now,
                              int period_days) {
  const auto& users = or_empty(data.users);
  const auto& teams = or_empty(data.teams);
  const auto& customers = or_empty(data.customers);
  const auto& opps = or_empty(data.opportunities);
  const auto& activities = or_empty(data.activities);
  const auto& contracts = or_empty(data.contracts);
  const auto& leads = or_empty(data.leads);
  const Instant period_start = now - static_cast<Instant>(period_days) * kDay;
  ScorecardCounts sc;

  // #1 first contact within 24 h of creation
  {
    std::unordered_map<Id, Instant> created;  // customers in scope
    for (const auto& c : customers)
      if (!c.meta.deleted && c.meta.created_at >= period_start && c.meta.created_at <= now - kDay)
        created.emplace(c.meta.id, c.meta.created_at);
    std::unordered_set<Id> contacted;
    for (const auto& a : activities) {
      // only actions after the earliest creation in scope can be a first contact: skip the rest cheaply
      if (a.at < period_start || !scorecard_outbound(a.kind) || a.customer_id.empty() || created.empty()) continue;
      auto it = created.find(a.customer_id);
      if (it != created.end() && a.at >= it->second && a.at <= it->second + kDay) contacted.insert(a.customer_id);
    }
    sc.first_contact = {static_cast<std::int64_t>(contacted.size()), static_cast<std::int64_t>(created.size())};
  }
  // #2 evidence on every stage change
  for (const auto& o : opps) {
    if (o.meta.deleted) continue;
    for (size_t k = 0; k < o.stages.size(); ++k) {
      const StageVisit& v = o.stages[k];
      if (v.left_at == 0) continue;
      const bool last = k + 1 == o.stages.size();
      if (last && o.status == OpportunityStatus::Lost) continue;  // a loss needs a reason, not a file
      ++sc.evidence.den;
      const bool back = !last && o.stages[k + 1].stage < v.stage;
      if (back ? !o.stages[k + 1].reason.empty() : !v.evidence.empty()) ++sc.evidence.num;
    }
  }
  // #3 daily reports made of objective actions
  {
    // key = (owner index, Beijing day) packed in 64 bits: no string building per activity
    std::unordered_map<std::string, std::uint32_t> owner_index;
    std::unordered_map<std::uint64_t, bool> rep_days;
    for (const auto& a : activities) {
      if (a.at < period_start || a.at > now || a.meta.owner_id.empty()) continue;
      auto [it, fresh] = owner_index.try_emplace(a.meta.owner_id, static_cast<std::uint32_t>(owner_index.size()));
      const std::uint64_t key = (static_cast<std::uint64_t>(it->second) << 32) |
                                static_cast<std::uint32_t>((a.at + kBeijingOffset) / kDay);
      bool& objective = rep_days[key];
      if (a.kind != ActivityKind::Note) objective = true;
    }
    for (const auto& [k, objective] : rep_days) {
      ++sc.objective_days.den;
      if (objective) ++sc.objective_days.num;
    }
  }
  // #4 repurchase within 6 months among past customers
  {
    const Date today = beijing_date(now);
    const Date cutoff = add_months(today, -6);
    // one map, flags per customer (1 = deal before the cutoff, 2 = deal since): no per-set nodes
    std::unordered_map<std::string_view, std::uint8_t> deals;
    deals.reserve(contracts.size());
    for (const auto& c : contracts) {
      if (c.meta.deleted || c.status != ContractStatus::Signed) continue;
      if (c.signed_on < cutoff) deals[c.customer_id] |= 1;
      else if (!(today < c.signed_on)) deals[c.customer_id] |= 2;
    }
    for (const auto& [id, flags] : deals) {
      if (!(flags & 1)) continue;
      ++sc.repurchase.den;
      if (flags & 2) ++sc.repurchase.num;
    }
  }
  // #6 managers see every open opportunity live
  {
    std::unordered_map<Id, const User*> user_by_id;
    for (const auto& u : users) user_by_id[u.id] = &u;
    std::unordered_set<Id> managed_teams;
    for (const auto& t : teams) {
      auto it = user_by_id.find(t.manager_id);
      if (!t.manager_id.empty() && it != user_by_id.end() && it->second->active) managed_teams.insert(t.id);
    }
    for (const auto& o : opps) {
      if (o.meta.deleted || o.status != OpportunityStatus::Open) continue;
      ++sc.managed_open.den;
      auto it = user_by_id.find(o.meta.owner_id);
      if (it != user_by_id.end() && it->second->active &&
          (it->second->role != Role::Rep || managed_teams.count(it->second->team_id)))
        ++sc.managed_open.num;
    }
  }
  // #8 new hires complete customer → contract within 30 days
  for (const auto& [rep, hired] : manual.hired_at) {
    if (hired + 30 * kDay > now) continue;  // not at day 30 yet
    ++sc.hires.den;
    const Instant deadline = hired + 30 * kDay;
    std::unordered_set<Id> own_customers;
    for (const auto& c : customers)
      if (c.meta.owner_id == rep && c.meta.created_at >= hired && c.meta.created_at <= deadline) own_customers.insert(c.meta.id);
    bool done = false;
    for (const auto& k : contracts)
      if (k.meta.owner_id == rep && own_customers.count(k.customer_id) && k.meta.created_at <= deadline) done = true;
    if (done) ++sc.hires.num;
  }
  // #9 effective customer touches per rep per week
  {
    const Instant start = now - 28 * kDay;
    // distinct (rep, week, customer) triples; customers and reps interned to small integers
    std::unordered_map<std::string_view, std::uint32_t> customer_index, rep_index;
    std::unordered_set<std::uint64_t> triples;
    std::unordered_map<std::uint32_t, std::int64_t> per_rep;
    for (const auto& a : activities) {
      if (a.at < start || a.at > now || !scorecard_effective_touch(a.kind) || a.customer_id.empty()) continue;
      const auto cust = customer_index.try_emplace(a.customer_id, static_cast<std::uint32_t>(customer_index.size())).first->second;
      const auto rep = rep_index.try_emplace(a.meta.owner_id, static_cast<std::uint32_t>(rep_index.size())).first->second;
      const std::uint64_t week = static_cast<std::uint64_t>((now - a.at) / (7 * kDay));  // 0..4
      const std::uint64_t key = (static_cast<std::uint64_t>(rep) << 40) | (week << 32) | cust;
      if (triples.insert(key).second) ++per_rep[rep];
    }
    for (const auto& u : users) {
      if (u.role != Role::Rep || !u.active) continue;
      ++sc.reps;
      auto it = rep_index.find(u.id);
      if (it != rep_index.end()) sc.touches += per_rep[it->second];
    }
  }
  // #10 complete handover when a rep leaves
  {
    std::unordered_set<Id> gone;
    for (const auto& u : users)
      if (!u.active) gone.insert(u.id);
    sc.anyone_left = !gone.empty();
    if (!gone.empty()) {  // nobody left: nothing to scan
      for (const auto& c : customers) {
        if (c.meta.deleted) continue;
        if (gone.count(c.meta.owner_id)) ++sc.left_behind;
        for (const auto& h : c.owner_history)
          if (h.reason == "handover" && gone.count(h.from_owner)) { ++sc.moved; break; }
      }
      for (const auto& o : opps)
        if (!o.meta.deleted && o.status == OpportunityStatus::Open && gone.count(o.meta.owner_id)) ++sc.left_behind;
      for (const auto& l : leads)
        if (!l.meta.deleted && l.status != LeadStatus::Converted && l.status != LeadStatus::Dropped && gone.count(l.meta.owner_id))
          ++sc.left_behind;
    }
  }
  return sc;
}

// Indicators of the form "at least min_bp of a ratio" (#1, #3, #4): no data means not passed.
void set_minimum_rate(Indicator& i, const ScorecardCounts::Ratio& r, int min_bp) {
  i.numerator = r.num;
  i.denominator = r.den;
  i.value = rate_bp(i.numerator, i.denominator);
  i.passed = i.denominator > 0 && i.value >= min_bp;
  i.value_text = i.denominator ? percent_text(i.value) : "—";
}

}  // namespace

Scorecard assemble_scorecard(const ScorecardCounts& counts, const ScorecardManualInputs& manual, int period_days) {
  Scorecard sc;
  // #1 first contact within 24 h of creation
  {
    Indicator i = make(1, "新客户建档后24小时内完成首次沟通", "First contact within 24 h of creating a customer", "≥90%", "≥90%");
    set_minimum_rate(i, counts.first_contact, 9000);
    i.note_zh = "近 " + std::to_string(period_days) + " 天新建客户 " + std::to_string(i.denominator) + " 家，其中 " +
                std::to_string(i.numerator) + " 家在 24 小时内有拜访/电话/消息/方案等动作";
    i.note_en = std::to_string(i.numerator) + " of " + std::to_string(i.denominator) + " customers created in the last " +
                std::to_string(period_days) + " days had an outbound action within 24 h";
    sc.indicators.push_back(i);
  }
  // #2 evidence on every stage change
  {
    Indicator i = make(2, "商机阶段变更有凭证留存", "Stage changes backed by evidence", "100%", "100%");
    i.numerator = counts.evidence.num;
    i.denominator = counts.evidence.den;
    i.value = i.denominator ? rate_bp(i.numerator, i.denominator) : 10000;
    i.passed = i.numerator == i.denominator;
    i.value_text = percent_text(i.value);
    i.note_zh = std::to_string(i.denominator) + " 次阶段变更中 " + std::to_string(i.numerator) + " 次有凭证（回退有原因）";
    i.note_en = std::to_string(i.numerator) + " of " + std::to_string(i.denominator) + " stage changes carry evidence (moves back a reason)";
    sc.indicators.push_back(i);
  }
  // #3 daily reports made of objective actions
  {
    Indicator i = make(3, "销售日报包含客观动作", "Daily reports built from objective actions", "≥80%", "≥80%");
    set_minimum_rate(i, counts.objective_days, 8000);
    i.note_zh = "近 " + std::to_string(period_days) + " 天 " + std::to_string(i.denominator) + " 个销售工作日中 " +
                std::to_string(i.numerator) + " 个有客观动作（非仅备注）";
    i.note_en = std::to_string(i.numerator) + " of " + std::to_string(i.denominator) +
                " rep-days had an objective action (not only notes)";
    sc.indicators.push_back(i);
  }
  // #4 repurchase within 6 months among past customers
  {
    Indicator i = make(4, "历史成交客户6个月内复购率", "Past customers repurchasing within 6 months", "≥25%", "≥25%");
    set_minimum_rate(i, counts.repurchase, 2500);
    i.note_zh = "6 个月前有成交的 " + std::to_string(i.denominator) + " 家客户中，" + std::to_string(i.numerator) + " 家近 6 个月再次签约";
    i.note_en = std::to_string(i.numerator) + " of " + std::to_string(i.denominator) +
                " customers with a deal over 6 months ago signed again in the last 6 months";
    sc.indicators.push_back(i);
  }
  // #5 minutes of data entry per day (manual)
  {
    Indicator i = make(5, "销售使用系统录入数据的日均耗时", "Daily time reps spend entering data", "≤8 分钟", "≤8 min");
    if (manual.data_entry_minutes_per_day) {
      i.source = IndicatorSource::Manual;
      i.value = *manual.data_entry_minutes_per_day;
      i.passed = i.value <= 8;
      i.value_text = std::to_string(i.value) + " 分钟";
      i.note_zh = "人工填报";
      i.note_en = "entered by hand";
    } else {
      i.source = IndicatorSource::Missing;
      i.value_text = "—";
      i.note_zh = "需人工填报（系统无法计时录入以外的操作）";
      i.note_en = "needs a manual figure (the system cannot time data entry)";
    }
    sc.indicators.push_back(i);
  }
  // #6 managers see every open opportunity live
  {
    Indicator i = make(6, "管理层能实时查看某销售推进的所有商机详情", "Managers see every rep's opportunities live", "是", "yes");
    i.numerator = counts.managed_open.num;
    i.denominator = counts.managed_open.den;
    i.passed = i.numerator == i.denominator;
    i.value = i.passed ? 1 : 0;
    i.value_text = i.passed ? "是" : "否";
    i.note_zh = std::to_string(i.denominator) + " 个在谈商机中 " + std::to_string(i.numerator) +
                " 个的负责人在有主管的团队内（主管视图实时可见）";
    i.note_en = std::to_string(i.numerator) + " of " + std::to_string(i.denominator) +
                " open opportunities are owned by active users in a team with a manager (live in the manager view)";
    sc.indicators.push_back(i);
  }
  // #7 complaints caused by out-of-sync information (manual)
  {
    Indicator i = make(7, "客户投诉中因信息不同步导致的比例", "Complaints caused by out-of-sync information", "≤5%", "≤5%");
    if (manual.complaints_total && manual.complaints_info_not_synced) {
      i.source = IndicatorSource::Manual;
      i.numerator = *manual.complaints_info_not_synced;
      i.denominator = *manual.complaints_total;
      i.value = rate_bp(i.numerator, i.denominator);
      i.passed = i.value <= 500;
      i.value_text = percent_text(i.value);
      i.note_zh = "人工填报";
      i.note_en = "entered by hand";
    } else {
      i.source = IndicatorSource::Missing;
      i.value_text = "—";
      i.note_zh = "需人工填报（投诉不在系统中记录）";
      i.note_en = "needs a manual figure (complaints are not recorded in the system)";
    }
    sc.indicators.push_back(i);
  }
  // #8 new hires complete customer → contract within 30 days
  {
    Indicator i = make(8, "新人入职第30天能独立完成从客户建档到合同生成全流程",
                       "New hires complete customer → contract by day 30", "是", "yes");
    if (!manual.hired_at.empty()) {
      i.numerator = counts.hires.num;
      i.denominator = counts.hires.den;
      i.passed = i.denominator > 0 && i.numerator == i.denominator;
      i.value = i.passed ? 1 : 0;
      i.value_text = i.denominator == 0 ? "—" : i.passed ? "是" : "否";
      i.note_zh = std::to_string(i.denominator) + " 名满 30 天的新人中 " + std::to_string(i.numerator) + " 名已独立建档并生成合同";
      i.note_en = std::to_string(i.numerator) + " of " + std::to_string(i.denominator) +
                  " hires past day 30 created a customer and a contract on their own";
    } else if (manual.new_hire_completes_flow) {
      i.source = IndicatorSource::Manual;
      i.passed = *manual.new_hire_completes_flow;
      i.value = i.passed ? 1 : 0;
      i.value_text = i.passed ? "是" : "否";
      i.note_zh = "人工填报";
      i.note_en = "entered by hand";
    } else {
      i.source = IndicatorSource::Missing;
      i.value_text = "—";
      i.note_zh = "需填写入职日期或人工判断";
      i.note_en = "needs hire dates or a manual yes/no";
    }
    sc.indicators.push_back(i);
  }
  // #9 effective customer touches per rep per week
  {
    Indicator i = make(9, "销售团队周均有效客户触达数（含方案/报价/演示）", "Effective customer touches per rep per week", "≥15 家",
                       "≥15");
    const std::int64_t reps = counts.reps, total = counts.touches;
    i.numerator = total;
    i.denominator = reps * 4;  // rep-weeks
    i.value = i.denominator ? mul_div_round(total, 10, i.denominator) : 0;  // tenths of a customer
    i.passed = i.denominator > 0 && i.value >= 150;
    i.value_text = std::to_string(i.value / 10) + "." + std::to_string(i.value % 10);
    i.note_zh = "近 4 周 " + std::to_string(reps) + " 名销售共 " + std::to_string(total) + " 个（客户×周）有效触达";
    i.note_en = std::to_string(total) + " effective customer-weeks over the last 4 weeks for " + std::to_string(reps) + " reps";
    sc.indicators.push_back(i);
  }
  // #10 complete handover when a rep leaves
  {
    Indicator i = make(10, "销售离职后其负责客户资料完整移交率", "Records fully handed over when a rep leaves", "100%", "100%");
    const std::int64_t moved = counts.moved, left_behind = counts.left_behind;
    i.numerator = moved;
    i.denominator = moved + left_behind;
    i.value = i.denominator ? rate_bp(moved, i.denominator) : 10000;
    i.passed = left_behind == 0;
    i.value_text = percent_text(i.value);
    if (!counts.anyone_left) {
      i.note_zh = "期间无人离职";
      i.note_en = "nobody left";
    } else {
      i.note_zh = "已移交 " + std::to_string(moved) + " 家客户，仍挂在离职人员名下的记录 " + std::to_string(left_behind) + " 条";
      i.note_en = std::to_string(moved) + " customers handed over, " + std::to_string(left_behind) +
                  " records still owned by people who left";
    }
    sc.indicators.push_back(i);
  }

  for (const auto& i : sc.indicators) {
    if (i.passed) ++sc.score;
    if (i.source == IndicatorSource::Computed) ++sc.computed;
    else if (i.source == IndicatorSource::Manual) ++sc.manual;
    else ++sc.missing;
  }
  sc.urgent = sc.score < 6;  // seed: 6分以下需紧急干预
  return sc;
}

Scorecard compute_scorecard(const ScorecardData& data, const ScorecardManualInputs& manual, Instant now,
                            int period_days) {
  return assemble_scorecard(record_counts(data, manual, now, period_days), manual, period_days);
}

}  // namespace cl

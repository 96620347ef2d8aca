// Adapters from sync to core's rules (core_rules.h).
#include "sync/core_rules.h"

#include <algorithm>
#include <cctype>

namespace cl::sync {

namespace {

Problem problem(std::string code, std::string field, std::string zh, std::string en) {
  return Problem{std::move(code), std::move(field), std::move(zh), std::move(en)};
}

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

bool is_sha256_hex(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

const std::vector<std::string>& default_required_fields() {
  static const std::vector<std::string> k = {"name", "decision_maker", "decision_maker_title", "phone",
                                             "main_business"};
  return k;
}

std::string field_value(const Customer& c, const std::string& key) {
  if (key == "name") return c.name;
  if (key == "decision_maker") return c.decision_maker;
  if (key == "decision_maker_title") return c.decision_maker_title;
  if (key == "phone") return c.phone;
  if (key == "main_business") return c.main_business;
  if (key == "address") return c.address;
  if (key.rfind("custom.", 0) == 0) {
    auto it = c.custom.find(key.substr(7));
    return it == c.custom.end() ? std::string() : it->second;
  }
  return std::string("?");  // unknown keys are not ours to enforce
}

}  // namespace

Problems check_customer(const Customer& c, const Settings& settings) {
  Problems out;
  const auto& fields = settings.required_customer_fields.empty() ? default_required_fields()
                                                                 : settings.required_customer_fields;
  for (const auto& key : fields)
    if (blank(field_value(c, key)))
      out.push_back(problem("required_field_missing", key, "必填项未填写：" + key, "Required field missing: " + key));
  for (const auto& g : settings.tag_groups) {
    if (!g.required) continue;
    auto it = c.tags.find(g.key);
    if (it == c.tags.end() || blank(it->second))
      out.push_back(problem("required_field_missing", "tags." + g.key, "必选标签未选择：" + g.name_zh,
                            "Required tag missing: " + g.name_en));
  }
  return out;
}

int stage_count(const Settings& settings) {
  return settings.stages.empty() ? 5 : static_cast<int>(settings.stages.size());
}

Result<Opportunity> advance_stage(Opportunity o, const std::vector<EvidenceRef>& evidence, const Settings& settings,
                                  const Id& by, Instant now) {
  Problems out;
  if (o.status != OpportunityStatus::Open)
    out.push_back(problem("opportunity_closed", "status", "商机已关闭", "The opportunity is closed"));
  const int current = o.stages.empty() ? 0 : o.stages.back().stage;
  if (current + 1 >= stage_count(settings))
    out.push_back(problem("stage_last", "stage", "已是最后阶段", "Already in the last stage"));
  if (evidence.empty())
    out.push_back(problem("evidence_required", "evidence", "推进阶段需要上传证据文件", "Advancing needs an evidence file"));
  for (std::size_t i = 0; i < evidence.size(); ++i)
    if (!is_sha256_hex(evidence[i].sha256))
      out.push_back(problem("invalid_sha256", "evidence[" + std::to_string(i) + "].sha256", "证据文件哈希无效",
                            "Evidence sha256 must be 64 lowercase hex digits"));
  if (!settings.stages.empty() && current < static_cast<int>(settings.stages.size()) && out.empty()) {
    const auto& kinds = settings.stages[current].evidence_kinds;
    const bool fits = kinds.empty() || std::any_of(evidence.begin(), evidence.end(), [&](const EvidenceRef& e) {
                        return std::find(kinds.begin(), kinds.end(), e.kind) != kinds.end();
                      });
    if (!fits)
      out.push_back(problem("evidence_kind_mismatch", "evidence", "证据类型不符合本阶段要求",
                            "The evidence is not of a kind this stage accepts"));
  }
  if (!out.empty()) return Result<Opportunity>::failure(std::move(out));
  if (o.stages.empty()) o.stages.push_back(StageVisit{0, o.meta.created_at, 0, o.meta.owner_id, {}, {}, 0, 0, 0, {}});
  auto& stay = o.stages.back();
  for (const auto& e : evidence) stay.evidence.push_back(e);
  stay.left_at = now;
  StageVisit next;
  next.stage = current + 1;
  next.entered_at = now;
  next.entered_by = by;
  o.stages.push_back(std::move(next));
  return Result<Opportunity>::success(std::move(o));
}

Result<Opportunity> move_back_stage(Opportunity o, int to_stage, const std::string& reason, const Id& by, Instant now) {
  Problems out;
  if (o.status != OpportunityStatus::Open)
    out.push_back(problem("opportunity_closed", "status", "商机已关闭", "The opportunity is closed"));
  const int current = o.stages.empty() ? 0 : o.stages.back().stage;
  if (to_stage < 0 || to_stage >= current)
    out.push_back(problem("stage_not_earlier", "to_stage", "只能退回到更早的阶段", "Can only move back to an earlier stage"));
  if (blank(reason))
    out.push_back(problem("reason_required", "reason", "退回阶段需要填写原因", "Moving back needs a reason"));
  if (!out.empty()) return Result<Opportunity>::failure(std::move(out));
  o.stages.back().left_at = now;
  StageVisit back;
  back.stage = to_stage;
  back.entered_at = now;
  back.entered_by = by;
  back.reason = reason;
  o.stages.push_back(std::move(back));
  return Result<Opportunity>::success(std::move(o));
}

Result<Opportunity> close_opportunity(Opportunity o, bool won, const std::string& reason, Instant now) {
  if (o.status != OpportunityStatus::Open)
    return Result<Opportunity>::failure(
        {problem("opportunity_closed", "status", "商机已关闭", "The opportunity is already closed")});
  if (!won && blank(reason))
    return Result<Opportunity>::failure({problem("reason_required", "reason", "输单需要填写原因", "A lost deal needs a reason")});
  o.status = won ? OpportunityStatus::Won : OpportunityStatus::Lost;
  o.close_reason = reason;
  o.closed_at = now;
  if (!o.stages.empty()) o.stages.back().left_at = now;
  return Result<Opportunity>::success(std::move(o));
}

}  // namespace cl::sync

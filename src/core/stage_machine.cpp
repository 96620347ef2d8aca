#include "core/stage_machine.h"

#include <algorithm>

#include "core/customer_validation.h"
#include "core/enum_names.h"
#include "core/settings.h"
#include "core/sha256.h"

namespace cl {
namespace {

using Out = Result<StageTransition>;

Out fail(std::string code, std::string field, std::string zh, std::string en) {
  return Out::failure({Problem{std::move(code), std::move(field), std::move(zh), std::move(en)}});
}

std::string stage_key(const Settings& s, int index) {
  const StageDef* d = find_stage(s, index);
  return d ? d->key : std::to_string(index);
}
std::string stage_zh(const Settings& s, int index) {
  const StageDef* d = find_stage(s, index);
  return d ? d->name_zh : std::to_string(index + 1);
}
std::string stage_en(const Settings& s, int index) {
  const StageDef* d = find_stage(s, index);
  return d ? d->name_en : std::to_string(index + 1);
}

AuditEvent audit_for(const Opportunity& o, const StageContext& ctx, std::string action) {
  AuditEvent e;
  e.id = ctx.audit_id;
  e.at = ctx.now;
  e.actor_id = ctx.actor_id;
  e.entity_type = "opportunity";
  e.entity_id = o.meta.id;
  e.action = std::move(action);
  return e;
}

// Shared preconditions for moves on an existing opportunity.
std::optional<Out> check_movable(const Opportunity& o, const Settings& s) {
  if (o.status != OpportunityStatus::Open)
    return fail("opportunity_closed", "status", "商机已关闭（" + std::string(enum_name(o.status)) + "），不能再推进",
                "The opportunity is closed (" + std::string(enum_name(o.status)) + ") and cannot move");
  if (o.stages.empty() || !find_stage(s, o.stages.back().stage))
    return fail("invalid_stage_history", "stages", "商机阶段记录无效", "The opportunity has no valid current stage");
  return std::nullopt;
}

Problems check_evidence_list(const std::vector<EvidenceRef>& evidence) {
  Problems ps;
  for (size_t i = 0; i < evidence.size(); ++i) {
    Problems p = validate_evidence(evidence[i], "evidence[" + std::to_string(i) + "]");
    ps.insert(ps.end(), p.begin(), p.end());
  }
  return ps;
}

void attach(StageVisit& stay, const std::vector<EvidenceRef>& evidence, const StageContext& ctx, AuditEvent& audit) {
  for (EvidenceRef e : evidence) {
    if (e.uploaded_by.empty()) e.uploaded_by = ctx.actor_id;
    if (e.uploaded_at == 0) e.uploaded_at = ctx.now;
    audit.evidence_sha256.push_back(e.sha256);
    stay.evidence.push_back(std::move(e));
  }
}

bool gate_ok(const StageVisit& stay, const StageDef& def) {
  for (const auto& e : stay.evidence) {
    if (def.evidence_kinds.empty()) return true;
    if (std::find(def.evidence_kinds.begin(), def.evidence_kinds.end(), e.kind) != def.evidence_kinds.end()) return true;
  }
  return false;
}

std::string kinds_text(const StageDef& def, const char* sep) {
  if (def.evidence_kinds.empty()) return "";
  std::string t;
  for (const auto& k : def.evidence_kinds) t += (t.empty() ? "" : sep) + k;
  return t;
}

void close_stay(StageVisit& stay, Instant now) { stay.left_at = std::max(now, stay.entered_at); }

StageVisit new_stay(int stage, const StageContext& ctx, std::string reason = {}) {
  StageVisit v;
  v.stage = stage;
  v.entered_at = ctx.now;
  v.entered_by = ctx.actor_id;
  v.reason = std::move(reason);
  return v;
}

// Completes the last stage: the opportunity is won.
Out win(Opportunity o, AuditEvent audit, const std::string& reason, const StageContext& ctx, const Settings& s) {
  int cur = o.stages.back().stage;
  close_stay(o.stages.back(), ctx.now);
  o.status = OpportunityStatus::Won;
  o.close_reason = reason;
  o.closed_at = ctx.now;
  o.meta.updated_at = ctx.now;
  audit.action = "won";
  audit.changes.push_back({"stage", stage_key(s, cur), stage_key(s, cur)});
  audit.changes.push_back({"status", "open", "won"});
  audit.changes.push_back({"close_reason", "", reason});
  return Out::success({std::move(o), std::move(audit)});
}

}  // namespace

Problems validate_evidence(const EvidenceRef& e, const std::string& p) {
  Problems ps;
  if (!is_sha256_hex(e.sha256))
    ps.push_back({"invalid_evidence_hash", p + ".sha256", "证据文件的 SHA-256 校验值无效（应为 64 位小写十六进制）",
                  "Evidence sha256 must be 64 lowercase hex characters"});
  if (is_blank(e.kind))
    ps.push_back({"evidence_kind_missing", p + ".kind", "请选择证据类型", "Evidence kind is required"});
  if (is_blank(e.file_name))
    ps.push_back({"evidence_file_name_missing", p + ".file_name", "证据文件缺少文件名", "Evidence file name is required"});
  if (e.size_bytes <= 0)
    ps.push_back({"evidence_empty", p + ".size_bytes", "证据文件为空", "Evidence file is empty"});
  return ps;
}

int current_stage(const Opportunity& o) { return o.stages.empty() ? -1 : o.stages.back().stage; }

bool stage_gate_satisfied(const Opportunity& o, const Settings& s) {
  if (o.stages.empty()) return false;
  const StageDef* def = find_stage(s, o.stages.back().stage);
  return def && gate_ok(o.stages.back(), *def);
}

Out open_opportunity(Opportunity o, const StageContext& ctx, const Settings& s) {
  Problems ps;
  if (is_blank(o.meta.id)) ps.push_back({"required_field_missing", "id", "商机缺少编号", "Opportunity id is required"});
  if (is_blank(o.customer_id))
    ps.push_back({"required_field_missing", "customer_id", "请选择客户", "A customer is required"});
  if (s.stages.empty())
    ps.push_back({"stages_empty", "stages", "系统未配置商机阶段", "No opportunity stages are configured"});
  if (o.expected_amount.fen < 0)
    ps.push_back({"invalid_amount", "expected_amount_fen", "预计金额不能为负", "Expected amount cannot be negative"});
  if (!ps.empty()) return Out::failure(std::move(ps));
  o.status = OpportunityStatus::Open;
  o.close_reason.clear();
  o.closed_at = 0;
  o.stages = {new_stay(0, ctx)};
  if (o.meta.owner_id.empty()) o.meta.owner_id = ctx.actor_id;
  if (o.meta.created_at == 0) o.meta.created_at = ctx.now;
  o.meta.updated_at = ctx.now;
  AuditEvent a = audit_for(o, ctx, "create");
  a.changes.push_back({"stage", "", stage_key(s, 0)});
  a.changes.push_back({"status", "", "open"});
  return Out::success({std::move(o), std::move(a)});
}

Out attach_evidence(const Opportunity& in, const std::vector<EvidenceRef>& evidence, const StageContext& ctx,
                    const Settings& s) {
  if (auto bad = check_movable(in, s)) return *bad;
  if (evidence.empty()) return fail("evidence_required", "evidence", "请上传证据文件", "Attach an evidence file");
  if (Problems ps = check_evidence_list(evidence); !ps.empty()) return Out::failure(std::move(ps));
  Opportunity o = in;
  AuditEvent a = audit_for(o, ctx, "attach_evidence");
  attach(o.stages.back(), evidence, ctx, a);
  o.meta.updated_at = ctx.now;
  return Out::success({std::move(o), std::move(a)});
}

Out advance(const Opportunity& in, const std::vector<EvidenceRef>& evidence, const StageContext& ctx, const Settings& s) {
  if (auto bad = check_movable(in, s)) return *bad;
  if (Problems ps = check_evidence_list(evidence); !ps.empty()) return Out::failure(std::move(ps));
  Opportunity o = in;
  int cur = o.stages.back().stage;
  const StageDef& def = *find_stage(s, cur);
  AuditEvent a = audit_for(o, ctx, "advance_stage");
  attach(o.stages.back(), evidence, ctx, a);
  if (!gate_ok(o.stages.back(), def)) {
    // R10: the move is refused without the stage's proof; say which file is needed.
    std::string zh = def.evidence_kinds.empty() ? "请先上传证据文件" : "请先上传「" + kinds_text(def, "」或「") + "」";
    std::string en = def.evidence_kinds.empty() ? "Attach an evidence file first"
                                                : "Attach the evidence first: " + kinds_text(def, " or ");
    return fail("evidence_required", "evidence", "「" + def.name_zh + "」阶段无法推进：" + zh,
                "Cannot leave \"" + def.name_en + "\": " + en);
  }
  if (cur + 1 >= static_cast<int>(s.stages.size())) {
    const StageDef* last = find_stage(s, cur);
    return win(std::move(o), std::move(a), last ? last->name_zh : "won", ctx, s);
  }
  close_stay(o.stages.back(), ctx.now);
  o.stages.push_back(new_stay(cur + 1, ctx));
  o.meta.updated_at = ctx.now;
  a.changes.push_back({"stage", stage_key(s, cur), stage_key(s, cur + 1)});
  return Out::success({std::move(o), std::move(a)});
}

Out move_back(const Opportunity& in, int to_stage, const std::string& reason, const StageContext& ctx,
              const Settings& s) {
  if (auto bad = check_movable(in, s)) return *bad;
  int cur = in.stages.back().stage;
  Problems ps;
  if (to_stage < 0 || to_stage >= cur)
    ps.push_back({"invalid_target_stage", "to_stage", "只能退回到更早的阶段", "Can only move back to an earlier stage"});
  if (is_blank(reason))
    ps.push_back({"reason_required", "reason", "退回阶段必须填写原因", "Moving back needs a reason"});
  if (!ps.empty()) return Out::failure(std::move(ps));
  Opportunity o = in;
  close_stay(o.stages.back(), ctx.now);
  o.stages.push_back(new_stay(to_stage, ctx, reason));
  o.meta.updated_at = ctx.now;
  AuditEvent a = audit_for(o, ctx, "move_back");
  a.changes.push_back({"stage", stage_key(s, cur), stage_key(s, to_stage)});
  a.changes.push_back({"reason", "", reason});
  return Out::success({std::move(o), std::move(a)});
}

Out move_to_stage(const Opportunity& in, int target, const std::vector<EvidenceRef>& evidence, const std::string& reason,
                  const StageContext& ctx, const Settings& s) {
  if (auto bad = check_movable(in, s)) return *bad;
  int cur = in.stages.back().stage;
  if (target == cur + 1) return advance(in, evidence, ctx, s);
  if (target < cur) return move_back(in, target, reason, ctx, s);
  if (target == cur)
    return fail("no_change", "to_stage", "商机已处于「" + stage_zh(s, cur) + "」", "Already in \"" + stage_en(s, cur) + "\"");
  return fail("stage_skip_refused", "to_stage",
              "不能跳过阶段：请先完成「" + stage_zh(s, cur) + "」再进入「" + stage_zh(s, cur + 1) + "」",
              "Stages cannot be skipped: finish \"" + stage_en(s, cur) + "\" and move to \"" + stage_en(s, cur + 1) +
                  "\" first");
}

Out mark_won(const Opportunity& in, const std::vector<EvidenceRef>& evidence, const std::string& reason,
             const StageContext& ctx, const Settings& s) {
  if (auto bad = check_movable(in, s)) return *bad;
  int cur = in.stages.back().stage;
  int last = static_cast<int>(s.stages.size()) - 1;
  if (cur != last)
    return fail("not_at_last_stage", "status", "只有在「" + stage_zh(s, last) + "」阶段并上传证据后才能赢单",
                "An opportunity is won only from \"" + stage_en(s, last) + "\" with its evidence");
  if (is_blank(reason)) return fail("reason_required", "reason", "请填写赢单原因", "A reason is required to close as won");
  Result<StageTransition> r = advance(in, evidence, ctx, s);
  if (!r.ok()) return r;
  r.value.opportunity.close_reason = reason;
  for (auto& c : r.value.audit.changes)
    if (c.field == "close_reason") c.after = reason;
  return r;
}

Out mark_lost(const Opportunity& in, const std::string& reason, const StageContext& ctx, const Settings& s) {
  if (auto bad = check_movable(in, s)) return *bad;
  if (is_blank(reason)) return fail("reason_required", "reason", "请填写丢单原因", "A reason is required to close as lost");
  Opportunity o = in;
  close_stay(o.stages.back(), ctx.now);
  o.status = OpportunityStatus::Lost;
  o.close_reason = reason;
  o.closed_at = ctx.now;
  o.meta.updated_at = ctx.now;
  AuditEvent a = audit_for(o, ctx, "lost");
  a.changes.push_back({"status", "open", "lost"});
  a.changes.push_back({"close_reason", "", reason});
  return Out::success({std::move(o), std::move(a)});
}

Out reopen(const Opportunity& in, const std::string& reason, const StageContext& ctx, const Settings& s) {
  if (in.status != OpportunityStatus::Lost)
    return fail("not_lost", "status", "只有丢单的商机可以重新打开", "Only a lost opportunity can be reopened");
  if (is_blank(reason)) return fail("reason_required", "reason", "请填写重新打开的原因", "Reopening needs a reason");
  if (in.stages.empty() || !find_stage(s, in.stages.back().stage))
    return fail("invalid_stage_history", "stages", "商机阶段记录无效", "The opportunity has no valid current stage");
  Opportunity o = in;
  int stage = o.stages.back().stage;
  o.stages.push_back(new_stay(stage, ctx, reason));
  std::string previous = o.close_reason;
  o.status = OpportunityStatus::Open;
  o.close_reason.clear();
  o.closed_at = 0;
  o.meta.updated_at = ctx.now;
  AuditEvent a = audit_for(o, ctx, "reopen");
  a.changes.push_back({"status", "lost", "open"});
  a.changes.push_back({"close_reason", previous, ""});
  a.changes.push_back({"reason", "", reason});
  return Out::success({std::move(o), std::move(a)});
}

}  // namespace cl

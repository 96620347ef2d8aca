// R9/R10 stage machine and R30 audit events.
#include <doctest/doctest.h>

#include <string>

#include "core/settings.h"
#include "core/stage_machine.h"

using namespace cl;

namespace {
const Settings kS = default_settings();

StageContext at(Instant t, const char* who = "u-rep1") { return {who, t, "audit-" + std::to_string(t)}; }

EvidenceRef ev(const char* kind, char hex = 'a') {
  return {std::string(64, hex), std::string(kind) + ".pdf", "application/pdf", 2048, kind, "", 0};
}

Opportunity opened(Instant t = 1000) {
  Opportunity d;
  d.meta.id = "o-1";
  d.customer_id = "c-1";
  d.title = "骨科耗材";
  auto r = open_opportunity(d, at(t), kS);
  REQUIRE(r.ok());
  return r.value.opportunity;
}

Opportunity at_stage(int stage) {
  const char* kinds[] = {"需求确认书", "方案确认", "报价截图+审批", "合同扫描件"};
  Opportunity o = opened();
  for (int i = 0; i < stage; ++i) {
    auto r = advance(o, {ev(kinds[i])}, at(2000 + i), kS);
    REQUIRE(r.ok());
    o = r.value.opportunity;
  }
  return o;
}

bool has_code(const Problems& ps, const std::string& code) {
  for (const auto& p : ps)
    if (p.code == code) return true;
  return false;
}
}  // namespace

TEST_CASE("a new opportunity opens at the first stage with an audit event") {
  Opportunity d;
  d.meta.id = "o-1";
  d.customer_id = "c-1";
  auto r = open_opportunity(d, at(1000), kS);
  REQUIRE(r.ok());
  const Opportunity& o = r.value.opportunity;
  CHECK(o.status == OpportunityStatus::Open);
  REQUIRE(o.stages.size() == 1);
  CHECK(o.stages[0].stage == 0);
  CHECK(o.stages[0].entered_at == 1000);
  CHECK(o.stages[0].entered_by == "u-rep1");
  CHECK(o.meta.owner_id == "u-rep1");
  CHECK(r.value.audit.action == "create");
  CHECK(r.value.audit.entity_id == "o-1");
  CHECK(r.value.audit.id == "audit-1000");
}

TEST_CASE("an opportunity without a customer cannot be opened") {
  Opportunity d;
  d.meta.id = "o-1";
  auto r = open_opportunity(d, at(1), kS);
  CHECK(has_code(r.problems, "required_field_missing"));
  CHECK(r.problems.at(0).field == "customer_id");
}

TEST_CASE("a stage cannot advance without its evidence") {
  Opportunity o = opened();
  auto r = advance(o, {}, at(2000), kS);
  REQUIRE_FALSE(r.ok());
  CHECK(r.problems[0].code == "evidence_required");
  CHECK(r.problems[0].message_zh.find("需求确认书") != std::string::npos);
  CHECK(r.problems[0].message_en.find("需求确认书") != std::string::npos);
}

TEST_CASE("evidence of the wrong kind does not open the gate") {
  auto r = advance(opened(), {ev("合同扫描件")}, at(2000), kS);
  CHECK(has_code(r.problems, "evidence_required"));
}

TEST_CASE("advancing with the stage's evidence moves exactly one stage and records who and when") {
  Opportunity o = opened(1000);
  auto r = advance(o, {ev("需求确认书")}, at(5000, "u-rep2"), kS);
  REQUIRE(r.ok());
  const Opportunity& n = r.value.opportunity;
  REQUIRE(n.stages.size() == 2);
  CHECK(n.stages[0].left_at == 5000);
  CHECK(n.stages[0].evidence.size() == 1);
  CHECK(n.stages[0].evidence[0].uploaded_by == "u-rep2");
  CHECK(n.stages[1].stage == 1);
  CHECK(n.stages[1].entered_at == 5000);
  CHECK(n.stages[1].left_at == 0);
  const AuditEvent& a = r.value.audit;
  CHECK(a.action == "advance_stage");
  CHECK(a.actor_id == "u-rep2");
  REQUIRE(a.changes.size() == 1);
  CHECK(a.changes[0].before == "need_confirmed");
  CHECK(a.changes[0].after == "solution_matched");
  CHECK(a.evidence_sha256 == std::vector<std::string>{std::string(64, 'a')});
}

TEST_CASE("evidence attached earlier opens the gate later") {
  auto attached = attach_evidence(opened(), {ev("需求确认书")}, at(1500), kS);
  REQUIRE(attached.ok());
  CHECK(attached.value.audit.action == "attach_evidence");
  CHECK(attached.value.opportunity.stages.size() == 1);
  CHECK(stage_gate_satisfied(attached.value.opportunity, kS));
  CHECK(advance(attached.value.opportunity, {}, at(2000), kS).ok());
}

TEST_CASE("a malformed evidence hash is refused naming the field") {
  EvidenceRef bad = ev("需求确认书");
  bad.sha256 = std::string(64, 'A');  // upper case is not our canonical form
  auto r = advance(opened(), {bad}, at(2000), kS);
  REQUIRE_FALSE(r.ok());
  CHECK(r.problems[0].code == "invalid_evidence_hash");
  CHECK(r.problems[0].field == "evidence[0].sha256");
  bad.sha256 = "abc";
  CHECK_FALSE(advance(opened(), {bad}, at(2000), kS).ok());
  EvidenceRef empty = ev("需求确认书");
  empty.size_bytes = 0;
  empty.kind = "";
  Problems ps = validate_evidence(empty, "e");
  CHECK(ps.size() == 2);
}

TEST_CASE("stages cannot be skipped") {
  auto r = move_to_stage(opened(), 2, {ev("需求确认书")}, "", at(2000), kS);
  REQUIRE_FALSE(r.ok());
  CHECK(r.problems[0].code == "stage_skip_refused");
  CHECK(r.problems[0].message_zh.find("需求确认") != std::string::npos);
  CHECK(move_to_stage(opened(), 1, {ev("需求确认书")}, "", at(2000), kS).ok());
  CHECK(move_to_stage(opened(), 0, {}, "", at(2000), kS).problems.at(0).code == "no_change");
}

TEST_CASE("moving back needs a reason and starts a fresh stay without evidence") {
  Opportunity o = at_stage(3);
  auto none = move_back(o, 1, "  ", at(9000), kS);
  CHECK(has_code(none.problems, "reason_required"));
  auto ahead = move_back(o, 3, "x", at(9000), kS);
  CHECK(has_code(ahead.problems, "invalid_target_stage"));
  auto r = move_to_stage(o, 1, {}, "客户更换了科室负责人", at(9000), kS);
  REQUIRE(r.ok());
  const Opportunity& n = r.value.opportunity;
  CHECK(current_stage(n) == 1);
  CHECK(n.stages.back().reason == "客户更换了科室负责人");
  CHECK(n.stages.back().evidence.empty());
  CHECK_FALSE(stage_gate_satisfied(n, kS));
  CHECK(r.value.audit.action == "move_back");
  CHECK(r.value.audit.changes.at(0).before == "contract_signed");
  CHECK(r.value.audit.changes.at(0).after == "solution_matched");
}

TEST_CASE("completing the last stage with the bank slip wins the opportunity") {
  Opportunity o = at_stage(4);
  CHECK(current_stage(o) == 4);
  CHECK(has_code(advance(o, {ev("合同扫描件")}, at(9000), kS).problems, "evidence_required"));
  auto r = advance(o, {ev("银行回单", 'b')}, at(9000), kS);
  REQUIRE(r.ok());
  CHECK(r.value.opportunity.status == OpportunityStatus::Won);
  CHECK(r.value.opportunity.closed_at == 9000);
  CHECK(r.value.opportunity.stages.back().left_at == 9000);
  CHECK(r.value.audit.action == "won");
  CHECK(has_code(advance(r.value.opportunity, {ev("银行回单")}, at(9100), kS).problems, "opportunity_closed"));
}

TEST_CASE("an opportunity cannot be marked won before the last stage") {
  auto r = mark_won(at_stage(2), {ev("报价截图+审批")}, "客户口头答应", at(9000), kS);
  CHECK(has_code(r.problems, "not_at_last_stage"));
  auto ok = mark_won(at_stage(4), {ev("银行回单")}, "首付款 30% 到账", at(9000), kS);
  REQUIRE(ok.ok());
  CHECK(ok.value.opportunity.close_reason == "首付款 30% 到账");
}

TEST_CASE("losing needs a reason; a lost opportunity refuses moves until reopened with a reason") {
  Opportunity o = at_stage(2);
  CHECK(has_code(mark_lost(o, "", at(9000), kS).problems, "reason_required"));
  auto lost = mark_lost(o, "竞品低价", at(9000), kS);
  REQUIRE(lost.ok());
  CHECK(lost.value.opportunity.status == OpportunityStatus::Lost);
  CHECK(lost.value.opportunity.close_reason == "竞品低价");
  CHECK(lost.value.audit.action == "lost");
  CHECK(has_code(move_back(lost.value.opportunity, 0, "x", at(9100), kS).problems, "opportunity_closed"));
  CHECK(has_code(reopen(lost.value.opportunity, "", at(9200), kS).problems, "reason_required"));
  auto again = reopen(lost.value.opportunity, "客户重新招标", at(9200), kS);
  REQUIRE(again.ok());
  CHECK(again.value.opportunity.status == OpportunityStatus::Open);
  CHECK(current_stage(again.value.opportunity) == 2);
  CHECK(again.value.opportunity.stages.back().entered_at == 9200);
}

TEST_CASE("admin-configured stages drive the machine") {
  Settings s = kS;
  s.stages = {{"a", "初访", "First visit", {"拜访记录"}, 24}, {"b", "成交", "Deal", {"回单"}, 24}};
  Opportunity d;
  d.meta.id = "o";
  d.customer_id = "c";
  auto o = open_opportunity(d, at(1), s);
  REQUIRE(o.ok());
  CHECK(has_code(advance(o.value.opportunity, {ev("需求确认书")}, at(2), s).problems, "evidence_required"));
  auto n = advance(o.value.opportunity, {ev("拜访记录")}, at(2), s);
  REQUIRE(n.ok());
  auto w = advance(n.value.opportunity, {ev("回单")}, at(3), s);
  REQUIRE(w.ok());
  CHECK(w.value.opportunity.status == OpportunityStatus::Won);
}

TEST_CASE("a stay left before it was entered (device clock skew) never gets negative dwell") {
  Opportunity o = opened(5000);
  auto r = advance(o, {ev("需求确认书")}, at(4000), kS);
  REQUIRE(r.ok());
  CHECK(r.value.opportunity.stages[0].left_at == 5000);
}

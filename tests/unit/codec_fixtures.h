// Fully populated sample records (every field non-default) for the codec round-trip tests: a field a
// codec forgets to read or write then shows up as a difference instead of slipping through.
#pragma once

#include "core/model.h"
#include "core/problem.h"

namespace cl::fixtures {

inline RecordMeta meta(const char* id) { return {id, "u-rep1", 1764201600000, 1764205200000, 7, true}; }

inline User user() { return {"u-1", "rep1", "张伟", Role::Manager, "t-1", "13800138000", "zw@example.cn", false}; }
inline Team team() { return {"t-1", "杭州一组", "杭州", "u-mgr1"}; }

inline Settings settings() {
  Settings s;
  s.required_customer_fields = {"name", "phone"};
  s.tag_groups = {{"region", "所属区域", "Region", {"杭州", "宁波"}, true}};
  s.stages = {{"need_confirmed", "需求确认", "Need confirmed", {"需求确认书"}, 36}};
  s.templates = {{"stage_summary", "阶段推进摘要", "Stage summary", "{客户名称} 已进入 {阶段}"}};
  s.escalation_hours = 12;
  s.untouched_lead_hours = 72;
  s.fake_talk_days = 21;
  s.no_reply_hours = 36;
  s.repurchase_lead_days = 90;
  s.discount_approval_bp = 1500;
  s.quote_validity_days = 15;
  s.invoice_due_days = 45;
  s.dormant_days = 365;
  return s;
}

inline Lead lead() {
  Lead l;
  l.meta = meta("l-1");
  l.company = "杭州市第一人民医院";
  l.contact_name = "李主任";
  l.phone = "0571-87654321";
  l.source = "2026 春季展会";
  l.region = "杭州";
  l.note = "对骨科耗材感兴趣";
  l.status = LeadStatus::Qualified;
  l.import_batch_id = "b-1";
  l.imported_at = 1;
  l.assigned_at = 2;
  l.first_touched_at = 3;
  l.first_touched_by = "u-rep1";
  l.last_outcome = "约了下周拜访";
  l.qualified_at = 4;
  l.converted_at = 5;
  l.converted_customer_id = "c-1";
  l.converted_opportunity_id = "o-1";
  l.drop_reason = "无预算";
  return l;
}

inline Customer customer() {
  Customer c;
  c.meta = meta("c-1");
  c.code = "KH-0A3-00017";
  c.name = "宁波市医疗器械有限公司";
  c.decision_maker = "王总";
  c.decision_maker_title = "总经理";
  c.phone = "13912345678";
  c.main_business = "骨科耗材分销";
  c.address = "宁波市鄞州区";
  c.contacts = {{"陈工", "采购", "13700000000", true}};
  c.tags = {{"region", "宁波"}, {"customer_type", "经销商"}};
  c.custom = {{"credit_days", "60"}};
  c.contact_authorised = true;
  c.source_lead_id = "l-1";
  c.owner_history = {{"u-rep1", "u-rep2", 99, "u-mgr1", "handover"}};
  return c;
}

inline EvidenceRef evidence() {
  return {std::string(64, 'a'), "需求确认书.pdf", "application/pdf", 12345, "需求确认书", "u-rep1", 42};
}

inline StageVisit visit() {
  StageVisit v;
  v.stage = 2;
  v.entered_at = 10;
  v.left_at = 20;
  v.entered_by = "u-rep1";
  v.evidence = {evidence()};
  v.reason = "客户要求重新报价";
  v.level1_sent_at = 11;
  v.level2_sent_at = 12;
  v.acknowledged_at = 13;
  v.acknowledged_by = "u-mgr1";
  return v;
}

inline Opportunity opportunity() {
  Opportunity o;
  o.meta = meta("o-1");
  o.customer_id = "c-1";
  o.title = "2026 骨科耗材年度采购";
  o.expected_amount = Money{123456789};
  o.product_ids = {"p-1", "p-2"};
  o.status = OpportunityStatus::Lost;
  o.close_reason = "价格";
  o.closed_at = 77;
  o.stages = {visit()};
  return o;
}

inline Activity activity() {
  Activity a;
  a.meta = meta("a-1");
  a.kind = ActivityKind::ObjectionHandled;
  a.at = 5;
  a.customer_id = "c-1";
  a.opportunity_id = "o-1";
  a.lead_id = "l-1";
  a.summary = "处理了价格异议";
  a.outcome = "客户接受";
  return a;
}

inline Product product() { return {"p-1", "GK-ZR-2024", "骨科植入耗材", "骨科", 14, "GK-ZR-2026", false}; }
inline PriceItem price_item() { return {"p-1", Money{880000}}; }
inline PriceList price_list() { return {"pl-1", "2026 价目表", {2026, 1, 1}, {2026, 12, 31}, {price_item()}}; }
inline QuoteLine quote_line() { return {"p-1", "GK-ZR-2024", "骨科植入耗材", 3, Money{880000}, 1250}; }

inline Quote quote() {
  Quote q;
  q.meta = meta("q-1");
  q.code = "BJ-2026-0001";
  q.customer_id = "c-1";
  q.opportunity_id = "o-1";
  q.price_list_id = "pl-1";
  q.quote_date = {2026, 3, 2};
  q.valid_until = {2026, 4, 1};
  q.lines = {quote_line()};
  q.status = QuoteStatus::PendingApproval;
  q.approved_by = "u-mgr1";
  q.approved_at = 9;
  q.approval_note = "同意";
  q.based_on_quote_id = "q-0";
  return q;
}

inline Contract contract() {
  Contract c;
  c.meta = meta("k-1");
  c.code = "HT-2026-0001";
  c.quote_id = "q-1";
  c.customer_id = "c-1";
  c.opportunity_id = "o-1";
  c.lines = {quote_line()};
  c.amount = Money{2310000};
  c.status = ContractStatus::Signed;
  c.signed_on = {2026, 3, 10};
  return c;
}

inline Invoice invoice() {
  Invoice i;
  i.meta = meta("i-1");
  i.code = "FP-0001";
  i.contract_id = "k-1";
  i.customer_id = "c-1";
  i.amount = Money{2310000};
  i.status = InvoiceStatus::Issued;
  i.requested_on = {2026, 3, 11};
  i.issued_on = {2026, 3, 12};
  i.due_on = {2026, 4, 11};
  return i;
}

inline Payment payment() {
  Payment p;
  p.meta = meta("pay-1");
  p.invoice_id = "i-1";
  p.customer_id = "c-1";
  p.amount = Money{1000000};
  p.received_on = {2026, 3, 20};
  p.method = "银行转账";
  p.reference = "HZ20260320001";
  return p;
}

inline CollectionTarget collection_target() { return {"ct-1", "2026-03", "u-rep1", "t-1", Money{50000000}}; }

inline Reminder reminder() {
  return {"r-1", ReminderKind::StallLevel2, "u-mgr1", "opportunity", "o-1", 1000, "stall:o-1:0:2",
          "商机停滞", "Opportunity stalled", 2000, "u-mgr1"};
}

inline ShareScope share_scope() { return {"s-1", "u-mgr1", "t-1", "杭州", 1, 2, 3, "给老板看"}; }
inline FieldChange field_change() { return {"phone", "13800000000", "13900000000"}; }

inline AuditEvent audit_event() {
  return {"e-1", 5, "u-rep1", "opportunity", "o-1", "advance_stage", {field_change()}, {std::string(64, 'b')}};
}

inline Problem problem() { return {"required_field_missing", "phone", "请填写联系电话", "Phone is required"}; }

}  // namespace cl::fixtures

#include "core/action_status.h"

#include <set>
#include <unordered_map>

#include "core/billing.h"
#include "core/templates.h"
#include "core/time.h"

namespace cl {

const char* derived_status_label_zh(DerivedStatusKind kind) {
  switch (kind) {
    case DerivedStatusKind::NeedsSecondTouch: return "需二次触达";
    case DerivedStatusKind::QuoteNoResponse: return "报价未回复";
    case DerivedStatusKind::InvoiceOverdue: return "回款逾期";
    case DerivedStatusKind::Stalled: return "商机停滞";
    case DerivedStatusKind::NoObjectiveAction: return "疑似虚假在谈";
  }
  return "";
}

const char* derived_status_label_en(DerivedStatusKind kind) {
  switch (kind) {
    case DerivedStatusKind::NeedsSecondTouch: return "Needs a second touch";
    case DerivedStatusKind::QuoteNoResponse: return "Quote without response";
    case DerivedStatusKind::InvoiceOverdue: return "Payment overdue";
    case DerivedStatusKind::Stalled: return "Stalled";
    case DerivedStatusKind::NoObjectiveAction: return "No objective action";
  }
  return "";
}

namespace {

template <class T>
const std::vector<T>& or_empty(const std::vector<T>* v) {
  static const std::vector<T> empty;
  return v ? *v : empty;
}

std::string hours_text(Instant d) { return std::to_string(d / kHour); }

DerivedStatus status(DerivedStatusKind kind) {
  DerivedStatus s;
  s.kind = kind;
  s.label_zh = derived_status_label_zh(kind);
  s.label_en = derived_status_label_en(kind);
  return s;
}

const char* const kDefaultSecondTouch = "{客户名称}您好，之前发给您的资料不知是否方便看一下？有任何疑问我随时解答。——{销售}";

}  // namespace

std::vector<DerivedStatus> derive_statuses(const ActionData& data, const Settings& settings, Instant now) {
  const auto& customers = or_empty(data.customers);
  const auto& activities = or_empty(data.activities);
  std::unordered_map<Id, const Customer*> customer_by_id;
  for (const auto& c : customers) customer_by_id[c.meta.id] = &c;
  std::unordered_map<Id, std::string> rep_name;
  for (const auto& u : or_empty(data.users)) rep_name[u.id] = u.display_name;

  // Per customer: the latest of each kind that matters, and the latest objective action.
  struct Facts {
    const Activity* last_message = nullptr;
    const Activity* last_quote = nullptr;
    Instant last_reply = 0;
    Instant last_response_to_quote = 0;  // reply, visit, call, demo
    Instant last_objective = 0;
  };
  std::unordered_map<Id, Facts> facts;
  std::unordered_map<Id, Instant> last_objective_on_opp;
  for (const auto& a : activities) {
    if (a.meta.deleted || a.at > now) continue;
    if (a.kind != ActivityKind::Note && !a.opportunity_id.empty()) {
      Instant& t = last_objective_on_opp[a.opportunity_id];
      if (a.at > t) t = a.at;
    }
    if (a.customer_id.empty()) continue;
    Facts& f = facts[a.customer_id];
    if (a.kind != ActivityKind::Note && a.at > f.last_objective) f.last_objective = a.at;
    switch (a.kind) {
      case ActivityKind::MessageSent:
        if (!f.last_message || a.at > f.last_message->at) f.last_message = &a;
        break;
      case ActivityKind::QuoteSent:
        if (!f.last_quote || a.at > f.last_quote->at) f.last_quote = &a;
        break;
      case ActivityKind::ReplyReceived:
        if (a.at > f.last_reply) f.last_reply = a.at;
        if (a.at > f.last_response_to_quote) f.last_response_to_quote = a.at;
        break;
      case ActivityKind::Visit: case ActivityKind::Call: case ActivityKind::Demo:
        if (a.at > f.last_response_to_quote) f.last_response_to_quote = a.at;
        break;
      default: break;
    }
  }

  std::vector<DerivedStatus> out;
  const Instant no_reply = static_cast<Instant>(settings.no_reply_hours) * kHour;
  for (const auto& [customer_id, f] : facts) {
    auto cit = customer_by_id.find(customer_id);
    const Customer* c = cit == customer_by_id.end() ? nullptr : cit->second;
    if (c && c->meta.deleted) continue;
    if (f.last_message && f.last_reply < f.last_message->at && now - f.last_message->at >= no_reply) {
      DerivedStatus s = status(DerivedStatusKind::NeedsSecondTouch);
      s.customer_id = customer_id;
      s.owner_id = c ? c->meta.owner_id : f.last_message->meta.owner_id;
      s.subject_type = "activity";
      s.subject_id = f.last_message->meta.id;
      s.since = f.last_message->at + no_reply;
      s.reason_zh = "消息发出 " + hours_text(now - f.last_message->at) + " 小时未收到回复";
      s.reason_en = "no reply " + hours_text(now - f.last_message->at) + " h after the message";
      std::string body = kDefaultSecondTouch;
      for (const auto& t : settings.templates)
        if (t.key == "second_touch" && !t.body.empty()) body = t.body;
      auto rn = rep_name.find(f.last_message->meta.owner_id);
      s.suggested_message = fill_template(body, {{"客户名称", c ? c->name : std::string()},
                                                 {"联系人", c ? c->decision_maker : std::string()},
                                                 {"销售", rn == rep_name.end() ? std::string() : rn->second}})
                                .text;
      out.push_back(std::move(s));
    }
    if (f.last_quote && f.last_response_to_quote < f.last_quote->at && now - f.last_quote->at >= kQuoteResponseDays * kDay) {
      DerivedStatus s = status(DerivedStatusKind::QuoteNoResponse);
      s.customer_id = customer_id;
      s.owner_id = c ? c->meta.owner_id : f.last_quote->meta.owner_id;
      s.subject_type = "activity";
      s.subject_id = f.last_quote->meta.id;
      s.since = f.last_quote->at + kQuoteResponseDays * kDay;
      s.reason_zh = "报价发出 " + std::to_string((now - f.last_quote->at) / kDay) + " 天无回复、拜访或电话";
      s.reason_en = "no reply, visit or call " + std::to_string((now - f.last_quote->at) / kDay) + " days after the quote";
      out.push_back(std::move(s));
    }
  }
  for (const auto& o : overdue_invoices(or_empty(data.invoices), or_empty(data.payments), now)) {
    DerivedStatus s = status(DerivedStatusKind::InvoiceOverdue);
    s.customer_id = o.customer_id;
    s.owner_id = o.owner_id;
    s.subject_type = "invoice";
    s.subject_id = o.invoice_id;
    s.since = beijing_midnight(add_days(o.due_on, 1));
    s.reason_zh = "发票 " + o.code + " 逾期 " + std::to_string(o.days_overdue) + " 天";
    s.reason_en = "invoice " + o.code + " is " + std::to_string(o.days_overdue) + " days overdue";
    out.push_back(std::move(s));
  }
  const Instant fake_after = static_cast<Instant>(settings.fake_talk_days) * kDay;
  for (const auto& o : or_empty(data.opportunities)) {
    if (o.meta.deleted || o.status != OpportunityStatus::Open || o.stages.empty()) continue;
    const StageVisit& cur = o.stages.back();
    const int hours = cur.stage >= 0 && static_cast<size_t>(cur.stage) < settings.stages.size()
                          ? settings.stages[static_cast<size_t>(cur.stage)].stall_hours
                          : 48;
    if (now - cur.entered_at > static_cast<Instant>(hours) * kHour) {
      DerivedStatus s = status(DerivedStatusKind::Stalled);
      s.customer_id = o.customer_id;
      s.owner_id = o.meta.owner_id;
      s.subject_type = "opportunity";
      s.subject_id = o.meta.id;
      s.since = cur.entered_at + static_cast<Instant>(hours) * kHour;
      const std::string stage = static_cast<size_t>(cur.stage) < settings.stages.size() ? settings.stages[static_cast<size_t>(cur.stage)].name_zh : "";
      s.reason_zh = "在「" + stage + "」阶段已停留 " + hours_text(now - cur.entered_at) + " 小时";
      s.reason_en = "in its stage for " + hours_text(now - cur.entered_at) + " h";
      out.push_back(std::move(s));
    }
    Instant last = o.meta.created_at;
    if (auto it = last_objective_on_opp.find(o.meta.id); it != last_objective_on_opp.end() && it->second > last) last = it->second;
    if (auto it = facts.find(o.customer_id); it != facts.end() && it->second.last_objective > last) last = it->second.last_objective;
    if (now - last >= fake_after) {
      DerivedStatus s = status(DerivedStatusKind::NoObjectiveAction);
      s.customer_id = o.customer_id;
      s.owner_id = o.meta.owner_id;
      s.subject_type = "opportunity";
      s.subject_id = o.meta.id;
      s.since = last + fake_after;
      s.reason_zh = std::to_string((now - last) / kDay) + " 天没有任何客观动作";
      s.reason_en = "no objective action for " + std::to_string((now - last) / kDay) + " days";
      out.push_back(std::move(s));
    }
  }
  return out;
}

namespace {

struct KindText {
  ActivityKind kind;
  const char* zh_verb;
  const char* zh_unit;
  const char* en_one;
  const char* en_many;
};

// Report order: what moves deals first.
const KindText kKindTexts[] = {
    {ActivityKind::Visit, "拜访客户", "次", "visit", "visits"},
    {ActivityKind::ProposalSent, "发送方案", "份", "proposal sent", "proposals sent"},
    {ActivityKind::QuoteSent, "发送报价", "份", "quote sent", "quotes sent"},
    {ActivityKind::Demo, "产品演示", "场", "demo", "demos"},
    {ActivityKind::ObjectionHandled, "处理异议", "次", "objection handled", "objections handled"},
    {ActivityKind::ContractSent, "发送合同", "份", "contract sent", "contracts sent"},
    {ActivityKind::PaymentChased, "跟进回款", "次", "payment chased", "payments chased"},
    {ActivityKind::Call, "电话沟通", "通", "call", "calls"},
    {ActivityKind::MessageSent, "发送消息", "条", "message sent", "messages sent"},
    {ActivityKind::ReplyReceived, "收到回复", "条", "reply received", "replies received"},
    {ActivityKind::Note, "备注", "条", "note", "notes"},
};

}  // namespace

DailyReport daily_report(const std::vector<Activity>& activities, const Id& rep_id, Date day) {
  DailyReport r;
  r.rep_id = rep_id;
  r.day = day;
  const Instant from = beijing_midnight(day), to = beijing_midnight(add_days(day, 1));
  std::set<Id> customers;
  for (const auto& a : activities) {
    if (a.meta.deleted || a.meta.owner_id != rep_id || a.at < from || a.at >= to) continue;
    ++r.counts[a.kind];
    ++r.total;
    if (a.kind != ActivityKind::Note) r.objective = true;
    if (!a.customer_id.empty()) customers.insert(a.customer_id);
  }
  r.customers_touched = static_cast<int>(customers.size());
  for (const auto& k : kKindTexts) {
    auto it = r.counts.find(k.kind);
    if (it == r.counts.end()) continue;
    if (!r.text_zh.empty()) { r.text_zh += "，"; r.text_en += ", "; }
    r.text_zh += std::string(k.zh_verb) + " " + std::to_string(it->second) + " " + k.zh_unit;
    r.text_en += std::to_string(it->second) + " " + (it->second == 1 ? k.en_one : k.en_many);
  }
  if (r.total == 0) {
    r.text_zh = "当日没有记录任何动作";
    r.text_en = "no actions logged that day";
  } else {
    r.text_zh += "；涉及客户 " + std::to_string(r.customers_touched) + " 家";
    r.text_en += "; " + std::to_string(r.customers_touched) + (r.customers_touched == 1 ? " customer" : " customers");
  }
  return r;
}

}  // namespace cl

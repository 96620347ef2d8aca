#include "core/repurchase.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/templates.h"
#include "core/time.h"

namespace cl {

const char* const kDefaultRepurchaseTemplate =
    "{客户名称}您好！贵单位采购的{产品型号}按使用周期预计于{到期日}前后用完。"
    "我们可以提前备货，也推荐了解新型号{推荐型号}，需要我发一份最新报价吗？";

RepurchaseWindow repurchase_window(Date last_purchase, int usage_cycle_months, int lead_days) {
  RepurchaseWindow w;
  w.due_on = add_months(last_purchase, usage_cycle_months);
  w.prep_opens_on = add_days(w.due_on, -lead_days);
  w.lapses_on = add_months(w.due_on, usage_cycle_months);
  return w;
}

RepurchasePhase repurchase_phase(const RepurchaseWindow& w, Date today) {
  if (today < w.prep_opens_on) return RepurchasePhase::NotYet;
  if (!(w.due_on < today)) return RepurchasePhase::Prep;
  if (today < w.lapses_on) return RepurchasePhase::Overdue;
  return RepurchasePhase::Lapsed;
}

std::vector<RepurchaseItem> repurchase_items(const std::vector<Contract>& contracts,
                                             const std::vector<Product>& products,
                                             const Settings& settings, Date today) {
  std::map<Id, const Product*> product_by_id;
  for (const auto& p : products) product_by_id[p.id] = &p;
  std::map<std::pair<Id, Id>, Date> last;  // (customer, product) → latest signed_on
  for (const auto& c : contracts) {
    if (c.meta.deleted || c.status != ContractStatus::Signed) continue;
    for (const auto& line : c.lines) {
      auto key = std::make_pair(c.customer_id, line.product_id);
      auto it = last.find(key);
      if (it == last.end() || it->second < c.signed_on) last[key] = c.signed_on;
    }
  }
  std::map<std::string, Id> product_by_code;
  for (const auto& p : products) product_by_code[p.model_code] = p.id;
  std::vector<RepurchaseItem> out;
  out.reserve(last.size());
  for (const auto& [key, date] : last) {
    auto pit = product_by_id.find(key.second);
    if (pit == product_by_id.end() || pit->second->usage_cycle_months <= 0) continue;  // no cycle, no window
    const Product& p = *pit->second;
    // Bought the replacement model since: the old model's window is closed (superseded).
    if (auto rit = product_by_code.find(p.replacement_model_code); !p.replacement_model_code.empty() && rit != product_by_code.end()) {
      auto newer = last.find({key.first, rit->second});
      if (newer != last.end() && !(newer->second < date)) continue;
    }
    RepurchaseItem item;
    item.customer_id = key.first;
    item.product_id = p.id;
    item.model_code = p.model_code;
    item.product_name = p.name;
    item.replacement_model_code = p.replacement_model_code;
    item.last_purchase = date;
    auto w = repurchase_window(date, p.usage_cycle_months, settings.repurchase_lead_days);
    item.due_on = w.due_on;
    item.prep_opens_on = w.prep_opens_on;
    item.lapses_on = w.lapses_on;
    item.phase = repurchase_phase(w, today);
    item.days_until_due = static_cast<int>(days_between(today, w.due_on));
    out.push_back(std::move(item));
  }
  std::stable_sort(out.begin(), out.end(), [](const RepurchaseItem& a, const RepurchaseItem& b) { return a.due_on < b.due_on; });
  return out;
}

static bool tagged_phase(RepurchasePhase p) { return p == RepurchasePhase::Prep || p == RepurchasePhase::Overdue; }

bool in_repurchase_prep(const Id& customer_id, const std::vector<RepurchaseItem>& items) {
  for (const auto& i : items)
    if (i.customer_id == customer_id && tagged_phase(i.phase)) return true;
  return false;
}

std::vector<Id> customers_in_repurchase_prep(const std::vector<RepurchaseItem>& items) {
  std::set<Id> ids;
  for (const auto& i : items)
    if (tagged_phase(i.phase)) ids.insert(i.customer_id);
  return {ids.begin(), ids.end()};
}

Customer with_repurchase_tag(Customer customer, const std::vector<RepurchaseItem>& items) {
  if (in_repurchase_prep(customer.meta.id, items)) customer.tags[kRepurchaseTagGroup] = kRepurchasePrepTag;
  else customer.tags.erase(kRepurchaseTagGroup);
  return customer;
}

RepurchaseChecklist repurchase_checklist(const Customer& customer, const std::vector<RepurchaseItem>& items,
                                         const std::vector<Product>& products) {
  RepurchaseChecklist list;
  list.customer_id = customer.meta.id;
  for (const auto& i : items) {
    if (i.customer_id != customer.meta.id || !tagged_phase(i.phase)) continue;
    const std::string last = to_iso_date(i.last_purchase), due = to_iso_date(i.due_on);
    list.items.push_back({ChecklistKind::StockCheck, i.product_id,
                          "确认库存余量：" + i.model_code + "（" + i.product_name + "）上次采购 " + last +
                              "，按周期预计 " + due + " 用完",
                          "check remaining stock: " + i.model_code + " last bought " + last +
                              ", expected to run out by " + due,
                          ""});
    std::string suggested = i.replacement_model_code.empty() ? i.model_code : i.replacement_model_code;
    std::string name;
    for (const auto& p : products)
      if (p.model_code == suggested) name = p.name;
    const bool is_new = suggested != i.model_code;
    list.items.push_back(
        {ChecklistKind::ReplacementSuggestion, i.product_id,
         is_new ? "推荐新型号：" + suggested + (name.empty() ? "" : "（" + name + "）") + "，替代 " + i.model_code
                : "继续供应原型号 " + i.model_code + "（暂无替代型号）",
         is_new ? "suggest the new model " + suggested + " to replace " + i.model_code
                : "keep supplying " + i.model_code + " (no replacement model)",
         suggested});
    list.items.push_back({ChecklistKind::ClinicalFeedback, i.product_id,
                          "收集 " + i.model_code + " 的临床使用反馈",
                          "collect clinical feedback on " + i.model_code, ""});
  }
  return list;
}

std::string repurchase_message(const Customer& customer, const RepurchaseItem& item, const Settings& settings) {
  std::string body = kDefaultRepurchaseTemplate;
  for (const auto& t : settings.templates)
    if (t.key == "repurchase_start" && !t.body.empty()) body = t.body;
  const std::string recommended = item.replacement_model_code.empty() ? item.model_code : item.replacement_model_code;
  return fill_template(body, {{"客户名称", customer.name},
                               {"产品型号", item.model_code},
                               {"推荐型号", recommended},
                               {"到期日", to_iso_date(item.due_on)}})
      .text;
}

std::vector<Reminder> repurchase_reminders(const std::vector<Customer>& customers,
                                           const std::vector<Contract>& contracts,
                                           const std::vector<Product>& products, const Settings& settings,
                                           Date today) {
  const Date six_months_ago = add_months(today, -6);
  std::set<Id> recent;
  for (const auto& c : contracts)
    if (!c.meta.deleted && c.status == ContractStatus::Signed && !(c.signed_on < six_months_ago) && !(today < c.signed_on))
      recent.insert(c.customer_id);
  std::map<Id, const Customer*> by_id;
  for (const auto& c : customers) by_id[c.meta.id] = &c;
  std::vector<Reminder> out;
  for (const auto& item : repurchase_items(contracts, products, settings, today)) {
    if (!recent.count(item.customer_id)) continue;
    auto it = by_id.find(item.customer_id);
    if (it == by_id.end() || it->second->meta.deleted) continue;
    const Customer& c = *it->second;
    const std::string rec = item.replacement_model_code.empty() ? item.model_code : item.replacement_model_code;
    Reminder r;
    r.kind = ReminderKind::RepurchaseWindow;
    r.recipient_id = c.meta.owner_id;
    r.subject_type = "customer";
    r.subject_id = c.meta.id;
    r.due_at = beijing_midnight(item.prep_opens_on);
    r.dedupe_key = "repurchase:" + c.meta.id + ":" + item.product_id + ":" + to_iso_date(item.last_purchase);
    r.text_zh = "复购提醒：" + c.name + " 的 " + item.model_code + " 预计 " + to_iso_date(item.due_on) +
                " 到期，推荐型号 " + rec;
    r.text_en = "repurchase: " + c.name + "'s " + item.model_code + " is due " + to_iso_date(item.due_on) +
                ", recommended model " + rec;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace cl

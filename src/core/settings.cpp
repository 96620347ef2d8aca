#include "core/settings.h"

#include <set>

namespace cl {

Settings default_settings() {
  Settings s;
  // R4: the seed's five fields.
  s.required_customer_fields = {"name", "decision_maker", "decision_maker_title", "phone", "main_business"};
  // R4: the three mandatory tags; R7 filters by them.
  s.tag_groups = {
      {"customer_type", "客户类型", "Customer type",
       {"三甲医院", "二级医院", "民营医院", "民营诊所", "体检中心", "经销商", "其他"}, true},
      {"region", "所属区域", "Region",
       {"杭州", "宁波", "温州", "绍兴", "嘉兴", "湖州", "金华", "衢州", "舟山", "台州", "丽水", "上海", "苏州",
        "无锡", "常州", "南京", "合肥"},
       true},
      {"first_channel", "首次接触渠道", "First contact channel",
       {"展会", "转介绍", "电话开发", "线上咨询", "市场活动", "老客户"}, true},
  };
  // R9 five stages; R10 the evidence that proves each stage's work is done (gates leaving it —
  // leaving the last stage is the win, proven by the bank slip); R11 48 h each.
  s.stages = {
      {kStageNeedConfirmed, "需求确认", "Need confirmed", {"需求确认书"}, 48},
      {kStageSolutionMatched, "方案匹配", "Solution matched", {"方案确认"}, 48},
      {kStageQuoteApproved, "报价审批", "Quote approved", {"报价截图+审批"}, 48},
      {kStageContractSigned, "合同签署", "Contract signed", {"合同扫描件"}, 48},
      {kStageFirstPayment, "首付款到账", "First payment received", {"银行回单"}, 48},
  };
  s.templates = {
      {kTemplateStageSummary, "阶段推进摘要", "Stage progress summary",
       "{客户名称}您好：感谢您的信任。我们的合作已由「{上一阶段}」推进到「{阶段}」（{日期}）。"
       "下一步：{下一步}。如有任何问题，请随时联系{销售}。"},
      {kTemplateRepurchaseStart, "启动复购沟通", "Start repurchase conversation",
       "{客户名称}您好！贵单位上次采购的{产品型号}按使用周期即将用完，提前跟您确认一下库存情况。"
       "另外我们新推出了{推荐型号}，临床反馈不错，需要的话我把最新报价和资料发给您参考。"},
      {kTemplateSecondTouch, "二次触达", "Second touch",
       "{客户名称}您好，之前发给您的资料不知是否方便看一下？有任何疑问我随时解答，"
       "也可以约个时间当面沟通。——{销售}"},
  };
  s.escalation_hours = 24;
  return s;
}

namespace {

void add(Problems& ps, const std::string& code, const std::string& field, const std::string& zh,
         const std::string& en) {
  ps.push_back({code, field, zh, en});
}

bool known_customer_field(const std::string& key) {
  static const std::set<std::string> kKnown = {"name",          "decision_maker", "decision_maker_title",
                                               "phone",         "main_business",  "address"};
  return kKnown.count(key) > 0 || (key.rfind("custom.", 0) == 0 && key.size() > 7);
}

}  // namespace

Problems validate_settings(const Settings& s) {
  Problems ps;
  if (s.stages.empty())
    add(ps, "stages_empty", "stages", "至少需要一个商机阶段", "At least one opportunity stage is required");
  std::set<std::string> stage_keys;
  for (size_t i = 0; i < s.stages.size(); ++i) {
    const auto& st = s.stages[i];
    std::string f = "stages[" + std::to_string(i) + "]";
    if (st.key.empty())
      add(ps, "key_missing", f + ".key", "阶段缺少标识", "Stage key is required");
    else if (!stage_keys.insert(st.key).second)
      add(ps, "duplicate_key", f + ".key", "阶段标识重复：" + st.key, "Duplicate stage key: " + st.key);
    if (st.name_zh.empty())
      add(ps, "name_missing", f + ".name_zh", "阶段缺少中文名称", "Stage needs a Chinese name");
    if (st.stall_hours <= 0)
      add(ps, "invalid_hours", f + ".stall_hours", "停滞提醒时长必须大于 0 小时",
          "Stall threshold must be more than 0 hours");
    if (st.evidence_kinds.empty())  // R10: every move is proven by a file
      add(ps, "evidence_kinds_missing", f + ".evidence_kinds", "阶段「" + st.name_zh + "」需至少指定一种证据类型",
          "Stage \"" + st.name_en + "\" needs at least one evidence kind");
    for (const auto& k : st.evidence_kinds)
      if (k.empty()) add(ps, "evidence_kind_empty", f + ".evidence_kinds", "证据类型不能为空", "Evidence kind cannot be empty");
  }
  std::set<std::string> tag_keys;
  for (size_t i = 0; i < s.tag_groups.size(); ++i) {
    const auto& g = s.tag_groups[i];
    std::string f = "tag_groups[" + std::to_string(i) + "]";
    if (g.key.empty())
      add(ps, "key_missing", f + ".key", "标签组缺少标识", "Tag group key is required");
    else if (!tag_keys.insert(g.key).second)
      add(ps, "duplicate_key", f + ".key", "标签组标识重复：" + g.key, "Duplicate tag group key: " + g.key);
    if (g.required && g.values.empty())
      add(ps, "tag_values_missing", f + ".values", "必填标签组「" + g.name_zh + "」没有可选值",
          "Required tag group \"" + g.name_en + "\" has no values to choose from");
    std::set<std::string> values;
    for (const auto& v : g.values)
      if (v.empty() || !values.insert(v).second)
        add(ps, "invalid_tag_value", f + ".values", "标签值为空或重复：" + v, "Tag value is empty or repeated: " + v);
  }
  std::set<std::string> template_keys;
  for (size_t i = 0; i < s.templates.size(); ++i) {
    const auto& t = s.templates[i];
    std::string f = "templates[" + std::to_string(i) + "]";
    if (t.key.empty())
      add(ps, "key_missing", f + ".key", "模板缺少标识", "Template key is required");
    else if (!template_keys.insert(t.key).second)
      add(ps, "duplicate_key", f + ".key", "模板标识重复：" + t.key, "Duplicate template key: " + t.key);
  }
  std::set<std::string> fields;
  for (size_t i = 0; i < s.required_customer_fields.size(); ++i) {
    const auto& k = s.required_customer_fields[i];
    std::string f = "required_customer_fields[" + std::to_string(i) + "]";
    if (!known_customer_field(k))
      add(ps, "unknown_field", f, "未知的客户字段：" + k, "Unknown customer field: " + k);
    else if (!fields.insert(k).second)
      add(ps, "duplicate_key", f, "必填字段重复：" + k, "Required field listed twice: " + k);
  }
  auto positive = [&](int v, const char* field, const char* zh, const char* en) {
    if (v <= 0) add(ps, "invalid_value", field, std::string(zh) + "必须大于 0", std::string(en) + " must be more than 0");
  };
  positive(s.escalation_hours, "escalation_hours", "升级提醒时长", "Escalation delay");
  positive(s.untouched_lead_hours, "untouched_lead_hours", "线索未触达提醒时长", "Untouched-lead threshold");
  positive(s.fake_talk_days, "fake_talk_days", "假推进判定天数", "Fake-talk window");
  positive(s.no_reply_hours, "no_reply_hours", "未回复判定时长", "No-reply window");
  positive(s.quote_validity_days, "quote_validity_days", "报价有效天数", "Quote validity");
  positive(s.invoice_due_days, "invoice_due_days", "发票账期天数", "Invoice payment term");
  positive(s.dormant_days, "dormant_days", "休眠判定天数", "Dormancy threshold");
  if (s.repurchase_lead_days < 0)
    add(ps, "invalid_value", "repurchase_lead_days", "复购提前天数不能为负", "Repurchase lead time cannot be negative");
  if (s.discount_approval_bp < 0 || s.discount_approval_bp > 10000)
    add(ps, "invalid_value", "discount_approval_bp", "折扣审批阈值须在 0%–100% 之间",
        "Discount approval threshold must be between 0% and 100%");
  return ps;
}

const StageDef* find_stage(const Settings& s, int index) {
  if (index < 0 || index >= static_cast<int>(s.stages.size())) return nullptr;
  return &s.stages[static_cast<size_t>(index)];
}

int stage_index(const Settings& s, const std::string& key) {
  for (size_t i = 0; i < s.stages.size(); ++i)
    if (s.stages[i].key == key) return static_cast<int>(i);
  return -1;
}

const TagGroup* find_tag_group(const Settings& s, const std::string& key) {
  for (const auto& g : s.tag_groups)
    if (g.key == key) return &g;
  return nullptr;
}

const MessageTemplate* find_template(const Settings& s, const std::string& key) {
  for (const auto& t : s.templates)
    if (t.key == key) return &t;
  return nullptr;
}

FieldLabel customer_field_label(const std::string& key) {
  if (key == "name") return {"机构全称", "Full legal name"};
  if (key == "decision_maker") return {"决策人姓名", "Decision maker"};
  if (key == "decision_maker_title") return {"职务", "Decision maker's title"};
  if (key == "phone") return {"联系电话", "Phone"};
  if (key == "main_business") return {"主营业务", "Main business"};
  if (key == "address") return {"地址", "Address"};
  if (key.rfind("custom.", 0) == 0) return {key.substr(7), key.substr(7)};
  return {key, key};
}

}  // namespace cl

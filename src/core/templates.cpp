#include "core/templates.h"

#include <algorithm>

#include "core/settings.h"
#include "core/time.h"

namespace cl {
namespace {

constexpr size_t kMaxPlaceholderBytes = 32;

// Calls on_text(plain) and on_placeholder(name, raw) in order.
template <class Text, class Placeholder>
void scan(std::string_view body, Text on_text, Placeholder on_placeholder) {
  size_t i = 0;
  while (i < body.size()) {
    size_t open = body.find('{', i);
    if (open == std::string_view::npos) {
      on_text(body.substr(i));
      return;
    }
    size_t close = body.find_first_of("{}", open + 1);
    if (close == std::string_view::npos || body[close] == '{' || close - open - 1 == 0 ||
        close - open - 1 > kMaxPlaceholderBytes ||
        body.substr(open + 1, close - open - 1).find_first_of(" \t\r\n") != std::string_view::npos) {
      on_text(body.substr(i, open + 1 - i));  // a lone brace is text
      i = open + 1;
      continue;
    }
    on_text(body.substr(i, open - i));
    on_placeholder(std::string(body.substr(open + 1, close - open - 1)), body.substr(open, close - open + 1));
    i = close + 1;
  }
}

}  // namespace

FilledTemplate fill_template(std::string_view body, const std::map<std::string, std::string>& values) {
  FilledTemplate out;
  out.text.reserve(body.size() + 64);
  scan(
      body, [&](std::string_view t) { out.text.append(t); },
      [&](const std::string& name, std::string_view raw) {
        auto it = values.find(name);
        if (it != values.end()) {
          out.text += it->second;
          return;
        }
        out.text.append(raw);
        if (std::find(out.unknown.begin(), out.unknown.end(), name) == out.unknown.end()) out.unknown.push_back(name);
      });
  return out;
}

std::vector<std::string> template_placeholders(std::string_view body) {
  std::vector<std::string> names;
  scan(
      body, [](std::string_view) {},
      [&](const std::string& name, std::string_view) {
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
      });
  return names;
}

Problems validate_template(std::string_view body, const std::vector<std::string>& allowed, const std::string& field) {
  Problems ps;
  for (const auto& name : template_placeholders(body))
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      ps.push_back({"unknown_placeholder", field, "模板中的占位符 {" + name + "} 无法识别",
                    "The template uses an unknown placeholder {" + name + "}"});
  return ps;
}

const std::vector<std::string>& stage_summary_placeholders() {
  static const std::vector<std::string> kNames = {"客户名称", "商机名称", "阶段", "上一阶段", "日期", "下一步", "销售"};
  return kNames;
}

FilledTemplate stage_summary_text(const Settings& settings, const Customer& customer, const Opportunity& opp,
                                  const std::string& rep_name) {
  const MessageTemplate* t = find_template(settings, kTemplateStageSummary);
  std::string body = t ? t->body : "{客户名称}您好：我们的合作已推进到「{阶段}」（{日期}）。下一步：{下一步}。——{销售}";
  std::map<std::string, std::string> v;
  v["客户名称"] = customer.name;
  v["商机名称"] = opp.title;
  v["销售"] = rep_name;
  if (!opp.stages.empty()) {
    const StageVisit& cur = opp.stages.back();
    const StageDef* def = find_stage(settings, cur.stage);
    v["阶段"] = def ? def->name_zh : std::to_string(cur.stage + 1);
    v["日期"] = to_iso_date(beijing_date(cur.entered_at));
    const StageDef* prev = opp.stages.size() >= 2 ? find_stage(settings, opp.stages[opp.stages.size() - 2].stage) : nullptr;
    v["上一阶段"] = prev ? prev->name_zh : "初次接触";
    if (opp.status == OpportunityStatus::Won) {
      v["下一步"] = "合作已达成，我们将持续做好售后服务";
    } else if (def && !def->evidence_kinds.empty()) {
      std::string kinds;
      for (const auto& k : def->evidence_kinds) kinds += (kinds.empty() ? "" : "、") + k;
      v["下一步"] = "完成「" + def->name_zh + "」（" + kinds + "）";
    } else {
      v["下一步"] = "保持沟通";
    }
  }
  return fill_template(body, v);
}

}  // namespace cl

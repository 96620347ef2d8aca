// Message templates with {占位符} placeholders (R12 stage summary, R17 repurchase, R24 second touch).
// Admins edit the bodies (Settings::templates); the rules fill them. Unknown placeholders are
// reported rather than silently sent to a customer as "{客户名称}".
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl {

struct FilledTemplate {
  std::string text;                  // placeholders with no value are left as written, e.g. "{折扣}"
  std::vector<std::string> unknown;  // names (without braces) that had no value, in order, unique
  bool complete() const { return unknown.empty(); }
};

// Replaces every "{name}" whose name is a key of `values`. A '{' without a closing '}' on the same
// run, and braces that are empty, hold whitespace or more than 32 bytes, are plain text (so "{" in prose is harmless).
FilledTemplate fill_template(std::string_view body, const std::map<std::string, std::string>& values);

// The placeholder names a body uses, in order of first appearance.
std::vector<std::string> template_placeholders(std::string_view body);

// For the admin editor: problems for placeholders outside `allowed` (code unknown_placeholder).
Problems validate_template(std::string_view body, const std::vector<std::string>& allowed, const std::string& field);

// R12: the placeholders the stage-summary template may use.
const std::vector<std::string>& stage_summary_placeholders();  // 客户名称 商机名称 阶段 上一阶段 日期 下一步 销售

// R12: the stage-progress summary for the customer after the opportunity's latest stage change,
// from Settings template "stage_summary". rep_name is the owner's display name.
FilledTemplate stage_summary_text(const Settings& settings, const Customer& customer, const Opportunity& opp,
                                  const std::string& rep_name);

}  // namespace cl

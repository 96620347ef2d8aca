// R4/R9/R10/R11 defaults and the admin-edit validation.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/settings.h"
#include "core/templates.h"

using namespace cl;

namespace {
bool has(const Problems& ps, const std::string& code, const std::string& field) {
  return std::any_of(ps.begin(), ps.end(), [&](const Problem& p) { return p.code == code && p.field == field; });
}
}  // namespace

TEST_CASE("the default settings require the seed's five fields and three tag groups") {
  Settings s = default_settings();
  CHECK(s.required_customer_fields ==
        std::vector<std::string>{"name", "decision_maker", "decision_maker_title", "phone", "main_business"});
  for (const char* key : {"customer_type", "region", "first_channel"}) {
    const TagGroup* g = find_tag_group(s, key);
    REQUIRE_MESSAGE(g != nullptr, key);
    CHECK(g->required);
    CHECK(g->values.size() >= 5);
  }
  const auto& regions = find_tag_group(s, "region")->values;
  CHECK(std::find(regions.begin(), regions.end(), "杭州") != regions.end());
  CHECK(std::find(regions.begin(), regions.end(), "上海") != regions.end());
}

TEST_CASE("the default settings have the five R9 stages in order, each gated by its evidence and 48 hours") {
  Settings s = default_settings();
  REQUIRE(s.stages.size() == 5);
  CHECK(s.stages[0].name_zh == "需求确认");
  CHECK(s.stages[4].name_zh == "首付款到账");
  CHECK(s.stages[0].evidence_kinds == std::vector<std::string>{"需求确认书"});
  CHECK(s.stages[3].evidence_kinds == std::vector<std::string>{"合同扫描件"});
  CHECK(s.stages[4].evidence_kinds == std::vector<std::string>{"银行回单"});
  for (const auto& st : s.stages) CHECK(st.stall_hours == 48);
  CHECK(stage_index(s, kStageContractSigned) == 3);
  CHECK(stage_index(s, "nope") == -1);
}

TEST_CASE("the default templates exist and use only the placeholders their rules fill") {
  Settings s = default_settings();
  const MessageTemplate* rep = find_template(s, kTemplateRepurchaseStart);
  REQUIRE(rep != nullptr);
  auto names = template_placeholders(rep->body);
  CHECK(names == std::vector<std::string>{"客户名称", "产品型号", "推荐型号"});
  const MessageTemplate* sum = find_template(s, kTemplateStageSummary);
  REQUIRE(sum != nullptr);
  CHECK(validate_template(sum->body, stage_summary_placeholders(), "templates[0].body").empty());
  CHECK(find_template(s, kTemplateSecondTouch) != nullptr);
}

TEST_CASE("the default settings pass their own validation") { CHECK(validate_settings(default_settings()).empty()); }

TEST_CASE("settings without stages are refused") {
  Settings s = default_settings();
  s.stages.clear();
  CHECK(has(validate_settings(s), "stages_empty", "stages"));
}

TEST_CASE("an admin edit is refused with every problem at once") {
  Settings s = default_settings();
  s.stages[1].key = s.stages[0].key;
  s.stages[2].stall_hours = 0;
  s.stages[3].evidence_kinds.clear();
  s.tag_groups[1].values.clear();
  s.templates.push_back(s.templates[0]);
  s.required_customer_fields.push_back("shoe_size");
  s.escalation_hours = -1;
  s.discount_approval_bp = 12000;
  Problems ps = validate_settings(s);
  CHECK(has(ps, "duplicate_key", "stages[1].key"));
  CHECK(has(ps, "invalid_hours", "stages[2].stall_hours"));
  CHECK(has(ps, "evidence_kinds_missing", "stages[3].evidence_kinds"));
  CHECK(has(ps, "tag_values_missing", "tag_groups[1].values"));
  CHECK(has(ps, "duplicate_key", "templates[3].key"));
  CHECK(has(ps, "unknown_field", "required_customer_fields[5]"));
  CHECK(has(ps, "invalid_value", "escalation_hours"));
  CHECK(has(ps, "invalid_value", "discount_approval_bp"));
  CHECK(ps.size() == 8);
  for (const auto& p : ps) {
    CHECK_FALSE(p.message_zh.empty());
    CHECK_FALSE(p.message_en.empty());
  }
}

TEST_CASE("custom fields may be required by key") {
  Settings s = default_settings();
  s.required_customer_fields.push_back("custom.license_no");
  CHECK(validate_settings(s).empty());
  CHECK(customer_field_label("phone").zh == "联系电话");
  CHECK(customer_field_label("custom.license_no").en == "license_no");
}

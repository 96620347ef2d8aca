// Placeholder filling (R12, R17, R24) and the R12 stage summary.
#include <doctest/doctest.h>

#include "core/settings.h"
#include "core/templates.h"
#include "core/time.h"

using namespace cl;

TEST_CASE("known placeholders are replaced wherever they appear") {
  auto r = fill_template("{客户名称}您好，{产品型号}将到期；{客户名称}请留意。", {{"客户名称", "宁波一院"}, {"产品型号", "GK-ZR-2024"}});
  CHECK(r.text == "宁波一院您好，GK-ZR-2024将到期；宁波一院请留意。");
  CHECK(r.complete());
}

TEST_CASE("unknown placeholders are reported once and left visible in the text") {
  auto r = fill_template("{客户名称} {折扣} {折扣} {推荐型号}", {{"客户名称", "A"}});
  CHECK(r.text == "A {折扣} {折扣} {推荐型号}");
  CHECK(r.unknown == std::vector<std::string>{"折扣", "推荐型号"});
  CHECK_FALSE(r.complete());
}

TEST_CASE("lone or empty braces are plain text, not placeholders") {
  auto r = fill_template("价格 {} 与 { 以及 } 和 {{客户名称}}", {{"客户名称", "B"}});
  CHECK(r.text == "价格 {} 与 { 以及 } 和 {B}");
  CHECK(r.complete());
  CHECK(template_placeholders("{a}{b}{a} {") == std::vector<std::string>{"a", "b"});
}

TEST_CASE("a value containing braces is not expanded again") {
  auto r = fill_template("{a}", {{"a", "{b}"}, {"b", "X"}});
  CHECK(r.text == "{b}");
}

TEST_CASE("the template editor flags placeholders the rule cannot fill") {
  Problems ps = validate_template("{客户名称}{价格}", {"客户名称"}, "templates[1].body");
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].code == "unknown_placeholder");
  CHECK(ps[0].field == "templates[1].body");
  CHECK(ps[0].message_zh.find("{价格}") != std::string::npos);
}

TEST_CASE("the stage summary names the customer, the previous and the new stage and the next step") {
  Settings s = default_settings();
  Customer c;
  c.name = "温州市中心医院";
  Opportunity o;
  o.title = "关节耗材";
  Instant entered = beijing_midnight(Date{2026, 3, 5}) + 10 * kHour;
  o.stages = {StageVisit{0, 1, entered, "u"}, StageVisit{1, entered, 0, "u"}};
  auto r = stage_summary_text(s, c, o, "张伟");
  CHECK(r.complete());
  CHECK(r.text.find("温州市中心医院") != std::string::npos);
  CHECK(r.text.find("「需求确认」推进到「方案匹配」") != std::string::npos);
  CHECK(r.text.find("2026-03-05") != std::string::npos);
  CHECK(r.text.find("方案确认") != std::string::npos);  // next step names the evidence
  CHECK(r.text.find("张伟") != std::string::npos);
}

TEST_CASE("the stage summary follows the admin's edited template") {
  Settings s = default_settings();
  for (auto& t : s.templates)
    if (t.key == kTemplateStageSummary) t.body = "[{阶段}] {客户名称}";
  Customer c;
  c.name = "X";
  Opportunity o;
  o.stages = {StageVisit{2, 0, 0, "u"}};
  CHECK(stage_summary_text(s, c, o, "r").text == "[报价审批] X");
}

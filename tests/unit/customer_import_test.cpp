#include <doctest/doctest.h>

#include "core/customer_import.h"
#include "core/settings.h"

using namespace cl;

namespace {
const char* kHeader = "机构全称,决策人姓名,职务,联系电话,主营业务,客户类型,所属区域,首次接触渠道,负责人\n";
}

TEST_CASE("a customer CSV with the seed's five fields and three tags imports all rows") {
  std::string csv = std::string(kHeader) +
                    "杭州市第一人民医院,王建国,设备科主任,0571-87001234,综合医疗服务,三甲医院,杭州,展会,rep1\n"
                    "宁波康泽医疗器械有限公司,李娜,总经理,13800138000,医疗器械批发,经销商,宁波,转介绍,\n";
  auto p = preview_customer_import(csv, default_settings(), {});
  REQUIRE(p.can_apply());
  CHECK(p.customers[0].tags.at("customer_type") == "三甲医院");
  CHECK(p.owner_usernames[0] == "rep1");
  int n = 0;
  auto r = apply_customer_import(p, 5, "admin", [&] { return "id" + std::to_string(++n); },
                                 [&] { return "KH-000-0000" + std::to_string(n); });
  REQUIRE(r.ok());
  CHECK(r.value[1].meta.id == "id2");
  CHECK(r.value[1].code == "KH-000-00002");
  CHECK(r.value[1].meta.owner_id == "admin");
}

TEST_CASE("customer rows missing required fields or with unknown tag values are refused row by row") {
  std::string csv = std::string(kHeader) +
                    "杭州市第一人民医院,,设备科主任,0571-87001234,综合医疗服务,三甲医院,杭州,展会,\n"
                    "某诊所,张三,院长,12345,口腔,火星诊所,杭州,展会,\n";
  auto p = preview_customer_import(csv, default_settings(), {});
  CHECK_FALSE(p.can_apply());
  REQUIRE(p.errors.size() == 3);
  CHECK(p.errors[0].row == 2);
  CHECK(p.errors[0].problem.field == "decision_maker");
  CHECK(p.errors[1].row == 3);
  CHECK(p.errors[1].problem.code == "invalid_tag_value");
  CHECK(p.errors[2].problem.code == "invalid_phone");
  CHECK(p.errors[2].problem.message_zh.rfind("第 3 行：", 0) == 0);
  CHECK_FALSE(apply_customer_import(p, 0, "a", [] { return Id("x"); }, [] { return std::string("y"); }).ok());
}

TEST_CASE("an existing customer with the same phone is a warning naming its code") {
  Customer existing;
  existing.code = "KH-000-00042";
  existing.name = "别的名字";
  existing.phone = "+86 138 0013 8000";
  std::string csv = std::string(kHeader) + "宁波康泽医疗器械有限公司,李娜,总经理,13800138000,医疗器械批发,经销商,宁波,转介绍,\n";
  auto p = preview_customer_import(csv, default_settings(), {existing});
  CHECK(p.can_apply());
  REQUIRE(p.warnings.size() == 1);
  CHECK(p.warnings[0].problem.message_zh.find("KH-000-00042") != std::string::npos);
}

#include <doctest/doctest.h>

#include <memory>

#include "core/lead_import.h"

using namespace cl;

namespace {
std::function<Id()> counter() {
  auto n = std::make_shared<int>(0);
  return [n] { return "id" + std::to_string(++*n); };
}
}  // namespace

TEST_CASE("Chinese and English header aliases map to lead fields, ignoring case, spaces and a required star") {
  CHECK(lead_field_for_header("机构名称") == "company");
  CHECK(lead_field_for_header(" Company Name ") == "company");
  CHECK(lead_field_for_header("手机*") == "phone");
  CHECK(lead_field_for_header("\xE3\x80\x80联系人") == "contact");
  CHECK(lead_field_for_header("所属区域") == "region");
  CHECK(lead_field_for_header("微信号") == "");
}

TEST_CASE("a clean Excel CSV previews every row and applies all of them as imported leads") {
  std::string csv = "\xEF\xBB\xBF公司,联系人,手机,区域,微信号\r\n"
                    "杭州市第一人民医院,王主任,138 0013 8000,杭州,wx1\r\n"
                    "\"宁波康泽医疗器械有限公司\",李经理,0574-87654321,宁波,\r\n";
  auto p = preview_lead_import(csv, "市场部名单", {});
  CHECK(p.can_apply());
  CHECK(p.ignored_headers == std::vector<std::string>{"微信号"});
  REQUIRE(p.leads.size() == 2);
  CHECK(p.leads[1].company == "宁波康泽医疗器械有限公司");
  CHECK(p.leads[0].source == "市场部名单");
  CHECK(p.lead_rows[1] == 3);
  auto r = apply_lead_import(p, "batch1", 1000, counter());
  REQUIRE(r.ok());
  CHECK(r.value[0].meta.id == "id1");
  CHECK(r.value[1].status == LeadStatus::Imported);
  CHECK(r.value[1].import_batch_id == "batch1");
  CHECK(r.value[1].imported_at == 1000);
}

TEST_CASE("row errors name the row, the field and say why, and nothing is applied") {
  std::string csv = "company,contact,phone\n"
                    "甲医院,张三,13800138000\n"
                    ",李四,13900139000\n"            // row 3: no company
                    "乙诊所,,12345\n"                // row 4: bad phone
                    "丙公司,王五,138-0013-8000\n"    // row 5: same phone as row 2
                    "丁公司\n";                      // row 6: ragged, no contact or phone
  auto p = preview_lead_import(csv, "", {});
  CHECK_FALSE(p.can_apply());
  std::vector<std::pair<int, std::string>> got;
  for (const auto& e : p.errors) got.push_back({e.row, e.problem.code});
  CHECK(got == std::vector<std::pair<int, std::string>>{{3, "required_field_missing"},
                                                        {4, "invalid_phone"},
                                                        {5, "duplicate_in_file"},
                                                        {6, "csv_ragged_row"},
                                                        {6, "required_field_missing"}});
  CHECK(p.errors[2].problem.message_zh.find("第 2 行") != std::string::npos);
  CHECK(p.errors[0].problem.message_en.find("row 3") == 0);
  auto r = apply_lead_import(p, "b", 0, counter());
  REQUIRE_FALSE(r.ok());
  CHECK(r.problems.size() == 5);
  CHECK(r.problems[0].field == "row 3: company");
}

TEST_CASE("a file without a company column is refused as a whole") {
  auto p = preview_lead_import("name,phone\n张三,13800138000\n", "", {});
  REQUIRE(p.file_problems.size() == 1);
  CHECK(p.file_problems[0].code == "column_missing");
  CHECK_FALSE(p.can_apply());
}

TEST_CASE("leads already in the system are warnings, not errors") {
  Lead existing;
  existing.company = "甲医院";
  existing.phone = "+86 138 0013 8000";
  auto p = preview_lead_import("公司,电话\n甲医院,13800138000\n", "", {existing});
  CHECK(p.errors.empty());
  CHECK(p.warnings.size() == 2);
  CHECK(p.can_apply());
}

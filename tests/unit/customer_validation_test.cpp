// R4: creation validation with the configurable required set; R5 phone normalisation it relies on.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/customer_validation.h"
#include "core/phone.h"
#include "core/settings.h"

using namespace cl;

namespace {
Customer complete_customer() {
  Customer c;
  c.name = "杭州市第一人民医院";
  c.decision_maker = "李建国";
  c.decision_maker_title = "设备科主任";
  c.phone = "0571-87654321";
  c.main_business = "综合医疗";
  c.tags = {{"customer_type", "三甲医院"}, {"region", "杭州"}, {"first_channel", "展会"}};
  return c;
}
const Problem* find(const Problems& ps, const std::string& field) {
  auto it = std::find_if(ps.begin(), ps.end(), [&](const Problem& p) { return p.field == field; });
  return it == ps.end() ? nullptr : &*it;
}
}  // namespace

TEST_CASE("a customer with the five fields and three tags passes the default rules") {
  CHECK(validate_customer(complete_customer(), default_settings()).empty());
}

TEST_CASE("an empty customer form is refused naming all five fields and all three tags at once") {
  Problems ps = validate_customer(Customer{}, default_settings());
  CHECK(ps.size() == 8);
  for (const char* f : {"name", "decision_maker", "decision_maker_title", "phone", "main_business"}) {
    const Problem* p = find(ps, f);
    REQUIRE_MESSAGE(p != nullptr, f);
    CHECK(p->code == "required_field_missing");
  }
  const Problem* region = find(ps, "tags.region");
  REQUIRE(region != nullptr);
  CHECK(region->code == "required_tag_missing");
  CHECK(region->message_zh == "请选择所属区域");
  CHECK(region->message_en == "Region must be chosen");
  CHECK(find(ps, "phone")->message_zh == "请填写联系电话");
  CHECK(find(ps, "name")->message_en == "Full legal name is required");
}

TEST_CASE("a field of only spaces, including the ideographic space, counts as missing") {
  Customer c = complete_customer();
  c.decision_maker = " \u3000 ";
  Problems ps = validate_customer(c, default_settings());
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].field == "decision_maker");
}

TEST_CASE("the admin's required set replaces the default one") {
  Settings s = default_settings();
  s.required_customer_fields = {"name", "custom.license_no"};
  for (auto& g : s.tag_groups) g.required = g.key == "region";
  Customer c;
  c.name = "温州民营诊所";
  c.tags = {{"region", "温州"}};
  Problems ps = validate_customer(c, s);
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].field == "custom.license_no");
  c.custom["license_no"] = "浙械经营许20260001";
  CHECK(validate_customer(c, s).empty());
}

TEST_CASE("a tag value outside the group's values is refused") {
  Customer c = complete_customer();
  c.tags["region"] = "火星";
  Problems ps = validate_customer(c, default_settings());
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].code == "invalid_tag_value");
  CHECK(ps[0].field == "tags.region");
  CHECK(ps[0].message_zh.find("火星") != std::string::npos);
}

TEST_CASE("a phone that is not a Chinese number is refused, also on contacts") {
  Customer c = complete_customer();
  c.phone = "12345";
  c.contacts = {{"陈工", "采购", "138-0013-8000", false}, {"王工", "库管", "abc", false}};
  Problems ps = validate_customer(c, default_settings());
  REQUIRE(ps.size() == 2);
  CHECK(find(ps, "phone")->code == "invalid_phone");
  CHECK(find(ps, "contacts[1].phone")->code == "invalid_phone");
}

TEST_CASE("an overlong name is refused") {
  Customer c = complete_customer();
  c.name.clear();
  for (int i = 0; i < 101; ++i) c.name += "医";
  CHECK(find(validate_customer(c, default_settings()), "name")->code == "field_too_long");
}

TEST_CASE("mobile numbers normalise from the ways reps type them") {
  for (const char* t : {"13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "+86-13800138000",
                        "0086 13800138000", "8613800138000", "１３８００１３８０００", "(+86)138.0013.8000"}) {
    NormalizedPhone p = normalize_phone(t);
    CHECK_MESSAGE(p.kind == PhoneKind::Mobile, t);
    CHECK_MESSAGE(p.digits == "13800138000", t);
  }
}

TEST_CASE("landlines keep their area code and drop separators and extensions") {
  for (const char* t : {"0571-87654321", "(0571) 8765 4321", "0571－87654321转808", "+86 571 87654321",
                        "0571 87654321 ext 12", "057187654321"}) {
    NormalizedPhone p = normalize_phone(t);
    CHECK_MESSAGE(p.kind == PhoneKind::Landline, t);
    CHECK_MESSAGE(p.digits == "057187654321", t);
    CHECK(p.area_code == "0571");
    CHECK(p.local == "87654321");
  }
  NormalizedPhone bj = normalize_phone("010-6512 3456");
  CHECK(bj.kind == PhoneKind::Landline);
  CHECK(bj.area_code == "010");
  CHECK(normalize_phone("021-5012345").area_code == "021");  // 7-digit local number
}

TEST_CASE("a landline without its area code is recognised as local-only; 400 numbers as service") {
  NormalizedPhone p = normalize_phone("8765-4321");
  CHECK(p.kind == PhoneKind::LocalOnly);
  CHECK(p.local == "87654321");
  CHECK(normalize_phone("400-800-1234").kind == PhoneKind::Service);
}

TEST_CASE("things that are not phone numbers are invalid") {
  for (const char* t : {"", "12345", "1380013800", "23800138000", "abc", "+1 415 555 0100", "0571-0654321", "138001380001"})
    CHECK_MESSAGE(!normalize_phone(t).valid(), t);
}

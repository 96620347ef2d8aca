// R5: duplicate candidates by normalised name and phone, with the reason.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/dedup.h"

using namespace cl;

namespace {
Customer cust(const char* id, const char* name, const char* phone = "") {
  Customer c;
  c.meta.id = id;
  c.code = std::string("KH-000-") + id;
  c.name = name;
  c.phone = phone;
  return c;
}
}  // namespace

TEST_CASE("legal-form suffixes, spaces, punctuation and full-width letters do not change a name") {
  std::string core = normalize_company_name("华东医药股份有限公司").core;
  CHECK(core == "华东医药");
  for (const char* variant : {"华东医药有限公司", "华东医药有限责任公司", "华东 医药（集团）有限公司", "华东医药集团",
                              "「华东医药」", "华东医药 Co., Ltd.", "华东医药ＣＯ．，ＬＴＤ"})
    CHECK_MESSAGE(normalize_company_name(variant).core == core, variant);
  CHECK(normalize_company_name("ＡＢＣ医疗").core == "abc医疗");
}

TEST_CASE("province and city prefixes are removed from the core but remembered") {
  NormalizedName n = normalize_company_name("浙江省杭州市第一人民医院");
  CHECK(n.core == "第一人民医院");
  CHECK(n.province == "浙江");
  CHECK(n.city == "杭州");
  CHECK(normalize_company_name("杭州第一人民医院").core == "第一人民医院");
  CHECK(normalize_company_name("华东医药（杭州）有限公司").city == "杭州");
  CHECK(normalize_company_name("华东医药（杭州）有限公司").core == "华东医药");
  CHECK(normalize_company_name("上海市瑞金医院").province == "上海");
}

TEST_CASE("a name is never stripped below two characters") {
  CHECK(normalize_company_name("杭州").core == "杭州");
  CHECK(normalize_company_name("杭州市").core == "杭州市");
  CHECK(normalize_company_name("有限公司").core == "有限");
  NormalizedName bank = normalize_company_name("宁波银行");
  CHECK(bank.core == "银行");
  CHECK(bank.city == "宁波");
  CHECK(find_duplicate_candidates(cust("new", "杭州银行"), {cust("1", "宁波银行")}).empty());
}

TEST_CASE("the same organisation written differently is a same-name duplicate") {
  std::vector<Customer> existing = {cust("1", "杭州市第一人民医院"), cust("2", "华东医药股份有限公司")};
  auto r = find_duplicate_candidates(cust("new", "浙江省杭州市 第一人民医院"), existing);
  REQUIRE(r.size() == 1);
  CHECK(r[0].customer_id == "1");
  CHECK(r[0].reasons.at(0) == DuplicateReason::SameName);
  CHECK(r[0].similarity_pct == 100);
  auto r2 = find_duplicate_candidates(cust("new", "华东医药（杭州）有限公司"), existing);
  REQUIRE(r2.size() == 1);
  CHECK(r2[0].customer_id == "2");
}

TEST_CASE("hospitals with the same core name in different cities are not duplicates") {
  std::vector<Customer> existing = {cust("1", "杭州市第一人民医院")};
  CHECK(find_duplicate_candidates(cust("new", "宁波市第一人民医院"), existing).empty());
}

TEST_CASE("the same phone typed differently is a duplicate with the phone named") {
  std::vector<Customer> existing = {cust("1", "湖州康宁诊所", "0572-2123456"), cust("2", "嘉兴仁和诊所", "138 0013 8000")};
  auto r = find_duplicate_candidates(cust("new", "完全不同的名字", "+86 13800138000"), existing);
  REQUIRE(r.size() == 1);
  CHECK(r[0].customer_id == "2");
  CHECK(r[0].reasons == std::vector<DuplicateReason>{DuplicateReason::SamePhone});
  CHECK(r[0].matched_phone == "138 0013 8000");
  auto l = find_duplicate_candidates(cust("new", "另一个", "(0572)2123456"), existing);
  REQUIRE(l.size() == 1);
  CHECK(l[0].customer_id == "1");
}

TEST_CASE("a landline typed without its area code matches on the local number") {
  std::vector<Customer> existing = {cust("1", "绍兴安康医疗器械", "0575-88123456")};
  auto r = find_duplicate_candidates(cust("new", "X", "8812 3456"), existing);
  REQUIRE(r.size() == 1);
  CHECK(r[0].reasons.at(0) == DuplicateReason::SamePhone);
  // …but the same local number in another area code is a different line.
  CHECK(find_duplicate_candidates(cust("new", "X", "0571-88123456"), existing).empty());
}

TEST_CASE("contact phones are compared too") {
  Customer c = cust("1", "金华市中医院");
  c.contacts = {{"陈工", "采购", "139-1234-5678", false}};
  auto r = find_duplicate_candidates(cust("new", "Y", "13912345678"), {c});
  REQUIRE(r.size() == 1);
  CHECK(r[0].customer_id == "1");
}

TEST_CASE("a slightly different name is a similar-name candidate, an unrelated one is not") {
  std::vector<Customer> existing = {cust("1", "杭州华东医疗器械有限公司"), cust("2", "杭州市第二人民医院"),
                                    cust("3", "温州康华贸易有限公司")};
  auto r = find_duplicate_candidates(cust("new", "杭州华东医疗器材有限公司"), existing);
  REQUIRE(r.size() == 1);
  CHECK(r[0].customer_id == "1");
  CHECK(r[0].reasons.at(0) == DuplicateReason::SimilarName);
  CHECK(r[0].similarity_pct >= 70);
  CHECK(r[0].similarity_pct < 100);
  CHECK(find_duplicate_candidates(cust("new", "杭州市第一人民医院"), existing).empty());  // 第一 vs 第二
}

TEST_CASE("a name contained in a longer one is similar") {
  auto r = find_duplicate_candidates(cust("new", "瑞康医疗器械"), {cust("1", "瑞康医疗器械销售有限公司")});
  REQUIRE(r.size() == 1);
  CHECK(r[0].reasons.at(0) == DuplicateReason::SimilarName);
}

TEST_CASE("an edited customer does not match itself, and deleted customers are ignored") {
  Customer self = cust("1", "台州恩泽医院", "0576-81234567");
  Customer gone = cust("2", "台州恩泽医院", "0576-81234567");
  gone.meta.deleted = true;
  CHECK(find_duplicate_candidates(self, {self, gone}).empty());
}

TEST_CASE("matches on both phone and name rank before similar names") {
  std::vector<Customer> existing = {cust("a", "丽水人民医院分院"), cust("b", "丽水人民医院", "0578-2123456")};
  auto r = find_duplicate_candidates(cust("new", "丽水人民医院", "0578 2123456"), existing);
  REQUIRE(r.size() == 2);
  CHECK(r[0].customer_id == "b");
  CHECK(r[0].reasons == std::vector<DuplicateReason>{DuplicateReason::SamePhone, DuplicateReason::SameName});
  CHECK(r[1].customer_id == "a");
  CHECK(reason_code(r[1].reasons[0]) == "similar_name");
  CHECK(reason_zh(r[0].reasons[0]) == "电话相同");
}

TEST_CASE("an index over 50,000 customers finds the one duplicate among many similar names") {
  const char* kCities[] = {"杭州", "宁波", "温州", "绍兴", "嘉兴"};
  const char* kWords[] = {"康", "华", "瑞", "安", "仁", "和", "德", "泰", "恒", "信"};
  std::vector<Customer> all;
  all.reserve(50000);
  for (int i = 0; i < 50000; ++i) {
    std::string name = std::string(kCities[i % 5]) + kWords[i % 10] + kWords[(i / 10) % 10] + kWords[(i / 100) % 10] +
                       kWords[(i / 1000) % 10] + "医疗器械有限公司" + std::to_string(i / 10000);
    std::string phone = "139" + std::to_string(10000000 + i);
    all.push_back(cust(std::to_string(i).c_str(), name.c_str(), phone.c_str()));
  }
  DuplicateIndex index(all);
  CHECK(index.size() == 50000);
  auto r = index.find(cust("new", "无关名称", "139-1001-2345"));
  REQUIRE(r.size() == 1);
  CHECK(r[0].customer_id == "12345");
  auto n = index.find(cust("new", all[777].name.c_str()));
  REQUIRE_FALSE(n.empty());
  CHECK(n[0].customer_id == "777");
  CHECK(n.size() <= 20);
}

namespace {
bool keys_meet(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& k : a)
    if (std::find(b.begin(), b.end(), k) != b.end()) return true;
  return false;
}
std::vector<std::pair<Id, std::vector<DuplicateReason>>> exact_hits(const std::vector<DuplicateCandidate>& v) {
  std::vector<std::pair<Id, std::vector<DuplicateReason>>> out;
  for (const auto& c : v)
    if (c.reasons.front() != DuplicateReason::SimilarName) out.push_back({c.customer_id, c.reasons});
  return out;
}
}  // namespace

// The server keeps duplicate_index_keys in a table and checks a new customer only against the
// customers its probe keys name (server/customer_match_keys.h): that must find exactly the same
// same-phone / same-name hits as an index over every customer.
TEST_CASE("the customers sharing a match key give the same exact duplicates as an index over all") {
  std::vector<Customer> all = {
      cust("1", "杭州市第一人民医院", "0571-87123456"), cust("2", "宁波市第一人民医院", "0574-87123456"),
      cust("3", "第一人民医院"), cust("4", "湖州康宁诊所", "0572-2123456"), cust("5", "嘉兴仁和诊所", "138 0013 8000"),
      cust("6", "绍兴安康医疗器械", "8812 3456"), cust("7", "华东医药(杭州)有限公司"), cust("8", "ＡＢＣ医疗 Co., Ltd.", "400-800-1234"),
      cust("9", "金华市中医院")};
  all[8].contacts = {{"陈工", "采购", "139-1234-5678", false}};
  Customer gone = cust("10", "温州康华贸易有限公司", "13700001111");
  gone.meta.deleted = true;
  all.push_back(gone);
  CHECK(duplicate_index_keys(gone).empty());  // a tombstone is filed under nothing

  std::vector<Customer> probes = {
      cust("p1", "杭州第一人民医院"), cust("p2", "第一人民医院"), cust("p3", "X", "(0572)2123456"),
      cust("p4", "Y", "+86 13800138000"), cust("p5", "Z", "0575-88123456"), cust("p6", "W", "88123456"),
      cust("p7", "华东医药有限公司"), cust("p8", "abc医疗", "4008001234"), cust("p9", "Q", "13912345678"),
      cust("p10", "温州康华贸易", "13700001111"), cust("p11", "嘉兴仁和诊所", "0571-87123456"), cust("p12", ""),
      cust("p13", "V", "8712 3456")};
  DuplicateIndex full(all);
  int with_hits = 0;
  for (const auto& p : probes) {
    CAPTURE(p.meta.id);
    const auto probe = duplicate_probe_keys(p);
    DuplicateIndex narrowed;
    for (const auto& c : all) {
      if (keys_meet(probe, duplicate_index_keys(c))) narrowed.add(c);
    }
    const auto expected = exact_hits(full.find(p));
    CHECK(exact_hits(narrowed.find(p)) == expected);
    with_hits += !expected.empty();
    for (const auto& [id, reasons] : expected) {
      const Customer* hit = nullptr;
      for (const auto& c : all) if (c.meta.id == id) hit = &c;
      REQUIRE(hit);
      CHECK(keys_meet(probe, duplicate_index_keys(*hit)));
    }
  }
  CHECK(with_hits >= 8);  // the probes really exercise phones, landlines, contacts and names
}

// POST /api/v1/customers/import and `import-csv --type customers` against the real binary: GB18030
// and UTF-8-BOM files, per-row errors in a dry run, all-or-nothing apply, company-wide duplicates
// that never name a customer outside the caller's scope, owners limited by role.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "extras_receivers.h"
#include "extras_server.h"

using cl::apitest::bearer;
using cl::apitest::TestServer;
using json = nlohmann::json;

namespace {

const char* kHeader = "机构全称,决策人,职务,联系电话,主营业务,客户类型,所属区域,首次接触渠道,负责人\n";

std::string row(const std::string& name, const std::string& phone, const std::string& owner = "") {
  return name + ",王主任,设备科主任," + phone + ",医用耗材,三甲医院,杭州,展会," + owner + "\n";
}

}  // namespace

TEST_CASE("customer import: GB18030 preview names every bad row; apply writes all rows or none") {
  TestServer s({"--scheduler=off"});
  const auto rep1 = s.login("rep1");
  auto post = [&](const std::string& body, int dry, const std::string& token) {
    return s.client().Post("/api/v1/customers/import?dry_run=" + std::to_string(dry), bearer(token), body, "text/csv");
  };
  const std::string good = std::string(kHeader) + row("杭州市第一人民医院", "13812345678") +
                           "\"宁波市中医院, 骨科\",李医生,主任,0574-87654321,骨科器械,二级医院,宁波,转介绍,\n";
  const std::string gb = cl::test::run_capture("printf '%s' '" + good + "' | iconv -f UTF-8 -t GB18030");
  auto preview = post(gb, 1, rep1);
  REQUIRE(preview);
  CHECK(preview->status == 200);
  auto p = json::parse(preview->body);
  CHECK(p["encoding"] == "gb18030");
  CHECK(p["valid_rows"] == 2);
  CHECK(p["rows"][1]["name"] == "宁波市中医院, 骨科");
  CHECK(cl::test::count_rows(s, "SELECT count(*) FROM records WHERE type = 'customer'") == 0);

  // A missing decision maker, an unknown tag value and a row owned by someone outside rep1's scope.
  const std::string bad = "\xEF\xBB\xBF" + good + "温州医科大学附属医院,,主任,13900001111,耗材,火星医院,温州,展会,\n" +
                          row("绍兴市人民医院", "13900002222", "rep2");
  auto bad_preview = json::parse(post(bad, 1, rep1)->body);
  CHECK(bad_preview["encoding"] == "utf-8-bom");
  CHECK(bad_preview["invalid_rows"] == 2);
  CHECK(bad_preview["rows"][2]["line"] == 4);
  CHECK(bad_preview["rows"][2]["problems"].size() >= 2);
  CHECK(bad_preview["rows"][3]["problems"][0]["code"] == "owner_not_allowed");
  auto refused = post(bad, 0, rep1);
  CHECK(refused->status == 422);
  CHECK(json::parse(refused->body)["error"]["code"] == "import_rejected");
  CHECK(cl::test::count_rows(s, "SELECT count(*) FROM records WHERE type = 'customer'") == 0);

  auto applied = post(gb, 0, rep1);
  REQUIRE(applied);
  CHECK(applied->status == 201);
  auto a = json::parse(applied->body);
  CHECK(a["imported"] == 2);
  CHECK(cl::test::count_rows(s, "SELECT count(*) FROM records WHERE type = 'customer' AND owner_id = 'user-rep1' "
                                "AND team_id = 'team-1'") == 2);
  CHECK(cl::test::query_text(s, "SELECT json_extract(body, '$.code') FROM records WHERE type = 'customer' "
                                "ORDER BY json_extract(body, '$.code') LIMIT 1") == "KH-000-00001");
  // The imported customers reach rep1's replica through the normal pull.
  auto pull = s.client().Get("/api/v1/sync/pull?client_id=imp-test&schema_version=1&limit=500", bearer(rep1));
  REQUIRE(pull);
  CHECK(pull->body.find("宁波市中医院, 骨科") != std::string::npos);
}

TEST_CASE("customer import: a duplicate in another team blocks the row without naming it; managers assign team owners") {
  TestServer s({"--scheduler=off"});
  const auto rep1 = s.login("rep1"), rep8 = s.login("rep8"), manager1 = s.login("manager1");
  auto post = [&](const std::string& body, int dry, const std::string& token) {
    return s.client().Post("/api/v1/customers/import?dry_run=" + std::to_string(dry), bearer(token), body, "text/csv");
  };
  REQUIRE(post(std::string(kHeader) + row("杭州市第一人民医院", "13812345678"), 0, rep1)->status == 201);

  // rep8 (team 2) tries the same hospital under another phone: refused, and rep1's record is not named.
  auto other = json::parse(post(std::string(kHeader) + row("杭州市第一人民医院", "13700000000"), 1, rep8)->body);
  REQUIRE(other["rows"][0]["problems"].size() == 1);
  const auto& prob = other["rows"][0]["problems"][0];
  CHECK(prob["code"] == "duplicate_existing");
  CHECK(prob["message_en"].get<std::string>().find("another team") != std::string::npos);
  CHECK(prob["message_en"].get<std::string>().find("KH-000") == std::string::npos);
  // The same phone is a duplicate too; rep1 (in scope) sees which customer it is.
  auto mine = json::parse(post(std::string(kHeader) + row("杭州一院新院区", "138-1234-5678"), 1, rep1)->body);
  CHECK(mine["rows"][0]["problems"][0]["message_en"].get<std::string>().find("KH-000-00001") != std::string::npos);

  // A manager may give rows to reps of the team, not to another team's rep; an admin to anyone.
  auto team = post(std::string(kHeader) + row("嘉兴市妇幼保健院", "13600001111", "rep3") + row("湖州市中心医院", "13600002222", "rep9"),
                   1, manager1);
  auto t = json::parse(team->body);
  CHECK(t["rows"][0]["ok"] == true);
  CHECK(t["rows"][1]["problems"][0]["code"] == "owner_not_allowed");
  CHECK(post(std::string(kHeader) + row("嘉兴市妇幼保健院", "13600001111", "rep3"), 0, manager1)->status == 201);
  CHECK(cl::test::count_rows(s, "SELECT count(*) FROM records WHERE type = 'customer' AND owner_id = 'user-rep3'") == 1);

  // Bad requests change nothing.
  CHECK(post("", 0, rep1)->status == 400);
  CHECK(s.client().Post("/api/v1/customers/import?dry_run=2", bearer(rep1), "x", "text/csv")->status == 400);
  CHECK(s.client().Post("/api/v1/customers/import?dry_run=0", std::string(kHeader) + row("a", "1"), "text/csv")->status == 401);
  CHECK(post("\xff\xfe\xfa\xfb", 0, rep1)->status == 400);
  CHECK(cl::test::count_rows(s, "SELECT count(*) FROM records WHERE type = 'customer'") == 2);
}

TEST_CASE("import-csv --type customers previews, then imports with --apply for the named owner") {
  TestServer s({"--scheduler=off"});
  s.stop();  // the CLI opens the same database
  const std::string csv = s.data_dir() + "/customers.csv";
  std::ofstream(csv) << kHeader << row("杭州市第一人民医院", "13812345678") << row("宁波市第二医院", "13812340000", "rep2");
  auto dry = cl::apitest::run_cli({"import-csv", "--data", s.data_dir(), "--file", csv, "--type", "customers", "--owner", "rep1"});
  CHECK(dry.first == 0);
  CHECK(dry.second.find("dry run: 2 rows") != std::string::npos);
  auto no_owner = cl::apitest::run_cli({"import-csv", "--data", s.data_dir(), "--file", csv, "--type", "customers"});
  CHECK(no_owner.first == 2);
  auto applied = cl::apitest::run_cli({"import-csv", "--data", s.data_dir(), "--file", csv, "--type", "customers", "--owner",
                                       "rep1", "--apply"});
  CHECK(applied.first == 0);
  CHECK(applied.second.find("imported 2 customers") != std::string::npos);
  CHECK(cl::test::count_rows(s, "SELECT count(*) FROM records WHERE type = 'customer' AND owner_id = 'user-rep2'") == 1);
}

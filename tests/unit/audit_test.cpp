// R30: field-level changes between two versions of a record.
#include <doctest/doctest.h>

#include <algorithm>

#include "codec_fixtures.h"
#include "core/audit.h"

using namespace cl;

namespace {
const FieldChange* find(const std::vector<FieldChange>& cs, const std::string& field) {
  auto it = std::find_if(cs.begin(), cs.end(), [&](const FieldChange& c) { return c.field == field; });
  return it == cs.end() ? nullptr : &*it;
}
}  // namespace

TEST_CASE("an unchanged record has no changes") {
  CHECK(diff_records(fixtures::customer(), fixtures::customer()).empty());
}

TEST_CASE("edited fields are listed with before and after, nested by path") {
  Customer a = fixtures::customer(), b = a;
  b.phone = "13900000000";
  b.tags["region"] = "杭州";
  b.tags["first_channel"] = "展会";
  b.contacts[0].title = "采购经理";
  b.contact_authorised = false;
  auto cs = diff_records(a, b);
  CHECK(cs.size() == 5);
  REQUIRE(find(cs, "phone") != nullptr);
  CHECK(find(cs, "phone")->before == "13912345678");
  CHECK(find(cs, "phone")->after == "13900000000");
  CHECK(find(cs, "tags.region")->after == "杭州");
  CHECK(find(cs, "tags.first_channel")->before == "");
  CHECK(find(cs, "contacts[0].title")->after == "采购经理");
  CHECK(find(cs, "contact_authorised")->before == "true");
}

TEST_CASE("bookkeeping fields are not reported as changes") {
  Customer a = fixtures::customer(), b = a;
  b.meta.updated_at += 1000;
  b.meta.version += 1;
  CHECK(diff_records(a, b).empty());
}

TEST_CASE("money and dates appear in their wire form") {
  Quote a = fixtures::quote(), b = a;
  b.lines[0].discount_bp = 2000;
  b.valid_until = {2026, 5, 1};
  auto cs = diff_records(a, b);
  CHECK(find(cs, "lines[0].discount_bp")->before == "1250");
  CHECK(find(cs, "lines[0].discount_bp")->after == "2000");
  CHECK(find(cs, "valid_until")->after == "2026-05-01");
}

TEST_CASE("a list that grows is reported as one change of the whole list") {
  Opportunity a = fixtures::opportunity(), b = a;
  b.stages.push_back(StageVisit{3, 30, 0, "u-rep1"});
  auto cs = diff_records(a, b);
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].field == "stages");
  CHECK(nlohmann::json::parse(cs[0].after).size() == 2);
}

TEST_CASE("an update audit event carries who, when and what") {
  Customer a = fixtures::customer(), b = a;
  b.name = "宁波市医疗器械股份有限公司";
  AuditEvent e = audit_update(a, b, "customer", a.meta.id, "u-mgr1", 12345, "ae-1");
  CHECK(e.action == "update");
  CHECK(e.actor_id == "u-mgr1");
  CHECK(e.at == 12345);
  REQUIRE(e.changes.size() == 1);
  CHECK(e.changes[0].field == "name");
  AuditEvent c = audit_create(b, "customer", b.meta.id, "u-rep1", 1, "ae-0");
  CHECK(c.action == "create");
  CHECK(find(c.changes, "name")->after == "宁波市医疗器械股份有限公司");
  CHECK(find(c.changes, "id")->after == "c-1");
}

TEST_CASE("raw JSON diffs handle added and removed keys") {
  auto cs = diff_json(nlohmann::json{{"a", 1}, {"b", "x"}}, nlohmann::json{{"b", "x"}, {"c", {{"d", true}}}});
  REQUIRE(cs.size() == 2);
  CHECK(cs[0].field == "a");
  CHECK(cs[0].after == "");
  CHECK(cs[1].field == "c.d");
  CHECK(cs[1].after == "true");
}

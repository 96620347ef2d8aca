// Codec round trips for every entity of model.h, and bad input that must come back as Problems.
#include <doctest/doctest.h>

#include <string>

#include "codec_fixtures.h"
#include "core/codec.h"
#include "core/version.h"

using namespace cl;
using nlohmann::json;

namespace {

bool has_problem(const Problems& ps, const std::string& code, const std::string& field) {
  for (const auto& p : ps)
    if (p.code == code && p.field == field) return true;
  return false;
}

// Encodes the populated sample, decodes it, encodes again: the two JSON documents must be equal,
// and every key must differ from a default-constructed record's (so each field was exercised).
template <class T>
void check_round_trip(const T& sample, const T& defaults) {
  json first = encode(sample);
  Result<T> back = decode<T>(first);
  REQUIRE_MESSAGE(back.ok(), (back.problems.empty() ? "" : back.problems[0].message_en));
  json second = encode(back.value);
  CHECK(first == second);
  json blank = encode(defaults);
  for (auto it = first.begin(); it != first.end(); ++it) {
    if (it.key() == "schema_version" || it.key() == "id") continue;
    CHECK_MESSAGE(blank[it.key()] != it.value(), "fixture leaves field at its default: " << it.key());
  }
}

template <class T>
T with_id(const char* id) {
  T t{};
  if constexpr (requires { t.meta.id; }) t.meta.id = id;
  else if constexpr (requires { t.id; }) t.id = id;
  return t;
}

}  // namespace

TEST_CASE("every entity survives an encode-decode-encode round trip with all fields intact") {
  using namespace cl::fixtures;
  check_round_trip(user(), with_id<User>("x"));
  check_round_trip(team(), with_id<Team>("x"));
  check_round_trip(settings(), Settings{});
  check_round_trip(lead(), with_id<Lead>("x"));
  check_round_trip(customer(), with_id<Customer>("x"));
  check_round_trip(evidence(), EvidenceRef{});
  check_round_trip(visit(), StageVisit{});
  check_round_trip(opportunity(), with_id<Opportunity>("x"));
  check_round_trip(activity(), with_id<Activity>("x"));
  check_round_trip(product(), with_id<Product>("x"));
  check_round_trip(price_item(), PriceItem{});
  check_round_trip(price_list(), with_id<PriceList>("x"));
  check_round_trip(quote_line(), QuoteLine{});
  check_round_trip(quote(), with_id<Quote>("x"));
  check_round_trip(contract(), with_id<Contract>("x"));
  check_round_trip(invoice(), with_id<Invoice>("x"));
  check_round_trip(payment(), with_id<Payment>("x"));
  check_round_trip(collection_target(), with_id<CollectionTarget>("x"));
  check_round_trip(reminder(), with_id<Reminder>("x"));
  check_round_trip(share_scope(), with_id<ShareScope>("x"));
  check_round_trip(field_change(), FieldChange{});
  check_round_trip(audit_event(), with_id<AuditEvent>("x"));
  check_round_trip(problem(), Problem{});
  check_round_trip(Contact{"陈工", "采购", "137", true}, Contact{});
  check_round_trip(OwnerChange{"a", "b", 3, "c", "handover"}, OwnerChange{});
  check_round_trip(TagGroup{"region", "区域", "Region", {"杭州"}, true}, TagGroup{});
  check_round_trip(StageDef{"k", "需求确认", "Need", {"需求确认书"}, 12}, StageDef{});
  check_round_trip(MessageTemplate{"k", "模板", "Template", "{客户名称}"}, MessageTemplate{});
}

TEST_CASE("decoded records hold the same values as the originals") {
  auto c = decode<Customer>(encode(fixtures::customer()));
  REQUIRE(c.ok());
  CHECK(c.value.name == "宁波市医疗器械有限公司");
  CHECK(c.value.tags.at("region") == "宁波");
  CHECK(c.value.owner_history.at(0).reason == "handover");
  auto q = decode<Quote>(encode(fixtures::quote()));
  REQUIRE(q.ok());
  CHECK(q.value.quote_date == Date{2026, 3, 2});
  CHECK(q.value.lines.at(0).unit_list_price == Money{880000});
  CHECK(q.value.status == QuoteStatus::PendingApproval);
}

TEST_CASE("money is written as integer fen and dates as YYYY-MM-DD and enums as lowercase names") {
  json o = encode(fixtures::opportunity());
  CHECK(o["expected_amount_fen"] == 123456789);
  CHECK(o["status"] == "lost");
  CHECK(o["stages"][0]["evidence"][0]["kind"] == "需求确认书");
  json q = encode(fixtures::quote());
  CHECK(q["quote_date"] == "2026-03-02");
  CHECK(q["status"] == "pending_approval");
  CHECK(q["lines"][0]["unit_list_price_fen"] == 880000);
  CHECK(encode(fixtures::user())["role"] == "manager");
  CHECK(encode(fixtures::activity())["kind"] == "objection_handled");
}

TEST_CASE("top-level records carry the schema version and parts do not") {
  CHECK(encode(fixtures::customer())["schema_version"] == kSchemaVersion);
  CHECK(encode(fixtures::settings())["schema_version"] == kSchemaVersion);
  CHECK_FALSE(encode(fixtures::quote_line()).contains("schema_version"));
}

// Activities and customers are encoded key by key in sorted order (codec_reader.h SortedObject) instead
// of through put_meta: the same keys as every other record, meta and schema_version included.
TEST_CASE("activities and customers carry the meta fields and every field of their own") {
  auto keys = [](const json& j) {
    std::vector<std::string> out;
    for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
    return out;
  };
  CHECK(keys(encode(fixtures::activity())) ==
        std::vector<std::string>{"at", "created_at", "customer_id", "deleted", "id", "kind", "lead_id", "opportunity_id",
                                 "outcome", "owner_id", "schema_version", "summary", "updated_at", "version"});
  CHECK(keys(encode(fixtures::customer())) ==
        std::vector<std::string>{"address", "code", "contact_authorised", "contacts", "created_at", "custom",
                                 "decision_maker", "decision_maker_title", "deleted", "id", "main_business", "name",
                                 "owner_history", "owner_id", "phone", "schema_version", "source_lead_id", "tags",
                                 "updated_at", "version"});
  CHECK(encode(fixtures::activity())["schema_version"] == kSchemaVersion);
  CHECK(encode(fixtures::customer())["deleted"] == fixtures::customer().meta.deleted);
}

TEST_CASE("a record from a newer schema version is refused rather than silently truncated") {
  json j = encode(fixtures::customer());
  j["schema_version"] = kSchemaVersion + 1;
  auto r = decode<Customer>(j);
  CHECK_FALSE(r.ok());
  CHECK(has_problem(r.problems, "unsupported_schema_version", "schema_version"));
}

TEST_CASE("a record without an id is refused with required_field_missing on id") {
  json j = encode(fixtures::customer());
  j.erase("id");
  auto r = decode<Customer>(j);
  CHECK(has_problem(r.problems, "required_field_missing", "id"));
  j["id"] = "";
  CHECK(has_problem(decode<Customer>(j).problems, "required_field_missing", "id"));
}

TEST_CASE("wrong types are reported with the field path and never throw") {
  json j = encode(fixtures::opportunity());
  j["expected_amount_fen"] = "lots";
  j["stages"][0]["evidence"][0]["size_bytes"] = 1.5;
  j["product_ids"] = json::array({"p-1", 7});
  Result<Opportunity> r;
  CHECK_NOTHROW(r = decode<Opportunity>(j));
  CHECK_FALSE(r.ok());
  CHECK(has_problem(r.problems, "invalid_type", "expected_amount_fen"));
  CHECK(has_problem(r.problems, "invalid_type", "stages[0].evidence[0].size_bytes"));
  CHECK(has_problem(r.problems, "invalid_type", "product_ids[1]"));
  CHECK(r.problems.size() == 3);
}

TEST_CASE("an invalid calendar date is refused naming the field") {
  json j = encode(fixtures::invoice());
  j["due_on"] = "2026-02-30";
  auto r = decode<Invoice>(j);
  CHECK(has_problem(r.problems, "invalid_date", "due_on"));
  j["due_on"] = 20260301;
  CHECK(has_problem(decode<Invoice>(j).problems, "invalid_type", "due_on"));
}

TEST_CASE("an unknown enum value is refused naming the field and the value") {
  json j = encode(fixtures::user());
  j["role"] = "boss";
  auto r = decode<User>(j);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].code == "invalid_enum");
  CHECK(r.problems[0].field == "role");
  CHECK(r.problems[0].message_en.find("boss") != std::string::npos);
}

TEST_CASE("an int field given a number beyond its range is out_of_range") {
  json j = encode(fixtures::settings());
  j["fake_talk_days"] = 1LL << 40;
  CHECK(has_problem(decode<Settings>(j).problems, "out_of_range", "fake_talk_days"));
  j["fake_talk_days"] = 18446744073709551615ULL;
  CHECK(has_problem(decode<Settings>(j).problems, "out_of_range", "fake_talk_days"));
}

TEST_CASE("text that is not JSON, or JSON that is not an object, is a problem not a crash") {
  CHECK(decode_text<Customer>("{\"id\": ").problems.at(0).code == "invalid_json");
  CHECK(decode_text<Customer>("").problems.at(0).code == "invalid_json");
  CHECK(decode<Customer>(json::array()).problems.at(0).code == "invalid_type");
  CHECK(decode<Customer>(json(42)).problems.at(0).code == "invalid_type");
  auto ok = decode_text<Team>(R"({"id":"t-9","name":"温州组","region":"温州"})");
  REQUIRE(ok.ok());
  CHECK(ok.value.region == "温州");
}

TEST_CASE("missing optional fields take defaults and unknown fields are ignored") {
  auto r = decode<Customer>(json{{"id", "c-2"}, {"name", "湖州民营诊所"}, {"future_field", {1, 2, 3}}});
  REQUIRE(r.ok());
  CHECK(r.value.name == "湖州民营诊所");
  CHECK(r.value.tags.empty());
  CHECK(r.value.meta.version == 0);
}

TEST_CASE("a list decode names the failing element and returns nothing on failure") {
  json a = encode_list(std::vector<Team>{fixtures::team(), fixtures::team()});
  auto ok = decode_list<Team>(a);
  REQUIRE(ok.ok());
  CHECK(ok.value.size() == 2);
  a[1]["name"] = false;
  auto bad = decode_list<Team>(a);
  CHECK(has_problem(bad.problems, "invalid_type", "[1].name"));
  CHECK(bad.value.empty());
  CHECK(decode_list<Team>(json::object()).problems.at(0).code == "invalid_type");
}

TEST_CASE("non-object items inside a list are reported by index") {
  json j = encode(fixtures::quote());
  j["lines"] = json::array({encode(fixtures::quote_line()), "oops"});
  CHECK(has_problem(decode<Quote>(j).problems, "invalid_type", "lines[1]"));
}

TEST_CASE("problems encode as the HTTP error fields array") {
  json f = problems_to_json({fixtures::problem()});
  REQUIRE(f.is_array());
  CHECK(f[0]["field"] == "phone");
  CHECK(f[0]["code"] == "required_field_missing");
  CHECK(f[0]["message_zh"] == "请填写联系电话");
}

// customer.update decides "nothing changed" with Customer's operator== instead of encoding both
// sides: the two answers must agree for a change in any one field, nested ones included.
TEST_CASE("two customers are equal exactly when their encodings are") {
  const Customer base = fixtures::customer();
  std::vector<void (*)(Customer&)> edits = {
      [](Customer& c) { c.meta.id += "x"; },          [](Customer& c) { c.meta.owner_id += "x"; },
      [](Customer& c) { c.meta.created_at += 1; },     [](Customer& c) { c.meta.updated_at += 1; },
      [](Customer& c) { c.meta.version += 1; },        [](Customer& c) { c.meta.deleted = !c.meta.deleted; },
      [](Customer& c) { c.code += "x"; },              [](Customer& c) { c.name += "x"; },
      [](Customer& c) { c.decision_maker += "x"; },    [](Customer& c) { c.decision_maker_title += "x"; },
      [](Customer& c) { c.phone += "1"; },             [](Customer& c) { c.main_business += "x"; },
      [](Customer& c) { c.address += "x"; },           [](Customer& c) { c.contacts.push_back({}); },
      [](Customer& c) { c.contacts.at(0).phone += "1"; },
      [](Customer& c) { c.contacts.at(0).decision_maker = !c.contacts.at(0).decision_maker; },
      [](Customer& c) { c.tags["region"] += "x"; },    [](Customer& c) { c.custom["k"] = "v2"; },
      [](Customer& c) { c.contact_authorised = !c.contact_authorised; },
      [](Customer& c) { c.source_lead_id += "x"; },    [](Customer& c) { c.owner_history.push_back({}); },
      [](Customer& c) { c.owner_history.at(0).reason += "x"; },
      [](Customer& c) { c.owner_history.at(0).at += 1; },
  };
  REQUIRE_FALSE(base.contacts.empty());
  REQUIRE_FALSE(base.owner_history.empty());
  CHECK(base == fixtures::customer());
  CHECK(encode(base) == encode(fixtures::customer()));
  for (std::size_t i = 0; i < edits.size(); ++i) {
    CAPTURE(i);
    Customer changed = base;
    edits[i](changed);
    CHECK_FALSE(changed == base);
    CHECK_FALSE(encode(changed) == encode(base));
  }
}

// decode_over must give exactly what the tree patch it replaces gave (sync customer.update): encode the
// record, replace the keys, decode it all — for every key, with good values, nulls, wrong types and
// bad nested elements, the same record or the same problems in the same order.
TEST_CASE("patching a customer with decode_over equals decoding its patched JSON") {
  const Customer base = fixtures::customer();
  const json encoded = encode(base);
  const std::vector<json> values = {
      nullptr, 5, "文本", true, json::array(), json::object(),
      json::array({json{{"name", "李工"}, {"phone", "13800000000"}, {"decision_maker", true}}}),
      json::array({json{{"name", 5}}, "not an object"}), json{{"region", "杭州"}, {"grade", "A"}},
      json{{"region", 5}}, json::array({json{{"from_owner", "u1"}, {"at", "soon"}}})};
  std::size_t compared = 0, failed = 0;
  for (auto it = encoded.begin(); it != encoded.end(); ++it) {
    const std::string key = it.key();  // a copy: clang 14 (the wasm build) cannot capture a structured binding
    if (key == "schema_version") continue;
    for (const json& v : values) {
      CAPTURE(key);
      CAPTURE(v.dump());
      json patched = encoded;
      patched[key] = v;
      const Result<Customer> expected = decode<Customer>(patched);
      Customer typed = base;
      const Problems problems = decode_over(json{{key, v}}, typed);
      REQUIRE(problems.size() == expected.problems.size());
      for (std::size_t i = 0; i < problems.size(); ++i) {
        CHECK(problems[i].code == expected.problems[i].code);
        CHECK(problems[i].field == expected.problems[i].field);
        CHECK(problems[i].message_en == expected.problems[i].message_en);
      }
      if (expected.ok()) CHECK(typed == expected.value);
      ++compared;
      failed += !expected.ok();
    }
  }
  // Several keys at once, one of them reset: all applied, in one read.
  json changes = {{"name", "新名称"}, {"tags", json{{"region", "温州"}}}, {"contacts", nullptr}, {"address", "瓯海区"}};
  json patched = encoded;
  for (const auto& [k, v] : changes.items()) patched[k] = v;
  Customer typed = base;
  CHECK(decode_over(changes, typed).empty());
  CHECK(typed == decode<Customer>(patched).value);
  CHECK(typed.contacts.empty());
  CHECK(typed.tags.at("region") == "温州");
  CHECK(typed.phone == base.phone);
  // The sweep covered every field both ways: kept and refused.
  CHECK(compared == (encoded.size() - 1) * values.size());
  CHECK(failed > compared / 3);
  CHECK(failed < compared);
}

// Wire codecs (sync/wire.h): every message survives a round trip, and a malformed message is refused
// with problems naming the field instead of throwing (the server decodes untrusted bodies).
#include <doctest/doctest.h>

#include "core/version.h"
#include "sync_fixtures.h"

using namespace cl;
using namespace cl::sync;
using namespace cl::sync::testing;

TEST_CASE("a push request survives a JSON round trip, text included") {
  PushRequest req;
  req.client_id = "dev-1";
  req.schema_version = kSchemaVersion;
  req.mutations.push_back(mutation(1, kCustomerCreate, {{"customer", customer_json("c1", "D7-0001")}}));
  req.mutations.push_back(mutation(2, kActivityLog, {{"activity", {{"id", "a1"}, {"kind", "visit"}}}}, 3));
  auto back = push_request_from_json(Json::parse(to_json(req).dump()));
  REQUIRE(back.ok());
  CHECK(back.value.client_id == "dev-1");
  REQUIRE(back.value.mutations.size() == 2);
  CHECK(back.value.mutations[0] == req.mutations[0]);
  CHECK(back.value.mutations[1] == req.mutations[1]);
  CHECK(back.value.mutations[1].base_version == 3);
}

TEST_CASE("a push response with rejection problems and conflicts round-trips") {
  PushResponse resp;
  resp.last_mid = 7;
  PushResult ok{6, PushStatus::Applied, {}, {Conflict{"opportunity", "o1", "stage", 2, 1, "server_kept"}}};
  PushResult bad{7, PushStatus::Rejected, {Problem{"evidence_required", "evidence", "需要证据", "needs evidence"}}, {}};
  resp.results = {ok, bad};
  auto back = push_response_from_json(to_json(resp));
  REQUIRE(back.ok());
  CHECK(back.value.last_mid == 7);
  REQUIRE(back.value.results.size() == 2);
  CHECK(back.value.results[0].status == PushStatus::Applied);
  CHECK(back.value.results[0].conflicts == ok.conflicts);
  CHECK(back.value.results[1].status == PushStatus::Rejected);
  CHECK(back.value.results[1].problems == bad.problems);
}

TEST_CASE("a pull response with upserts, tombstones and rejections round-trips") {
  PullResponse resp;
  resp.changes = {Change{"customer", "c1", false, 2, customer_json("c1", "D7-0001")},
                  Change{"activity", "a1", true, 5, {{"id", "a1"}}}};
  resp.cursor = "opaque";
  resp.has_more = true;
  resp.last_mid = 12;
  resp.rejections = {Rejection{9, "customer.create", {{"x", 1}}, {Problem{"required_field_missing", "phone", "缺", "missing"}}, kNow}};
  auto back = pull_response_from_json(Json::parse(to_json(resp).dump()));
  REQUIRE(back.ok());
  CHECK(back.value.changes == resp.changes);
  CHECK(back.value.cursor == "opaque");
  CHECK(back.value.has_more);
  CHECK(back.value.last_mid == 12);
  CHECK(back.value.rejections == resp.rejections);
}

TEST_CASE("a pull request round-trips and defaults its limit") {
  PullRequest req{"dev-1", 1, "abc", 200};
  auto back = pull_request_from_json(to_json(req));
  REQUIRE(back.ok());
  CHECK(back.value.cursor == "abc");
  CHECK(back.value.limit == 200);
  auto defaults = pull_request_from_json(Json{{"client_id", "d"}, {"schema_version", 1}});
  REQUIRE(defaults.ok());
  CHECK(defaults.value.limit == 500);
  CHECK(defaults.value.cursor.empty());
}

TEST_CASE("a malformed push is refused with the failing field named, never thrown") {
  Json bad = {{"client_id", 5}, {"mutations", Json::array({{{"mid", "one"}, {"name", "x"}, {"args", {}}}})}};
  auto r = push_request_from_json(bad);
  REQUIRE_FALSE(r.ok());
  bool names_client_id = false, names_mid = false, names_schema = false;
  for (const auto& p : r.problems) {
    names_client_id |= p.field == "client_id";
    names_mid |= p.field == "mutations[0].mid";
    names_schema |= p.field == "schema_version";
  }
  CHECK(names_client_id);
  CHECK(names_mid);
  CHECK(names_schema);
  CHECK_FALSE(push_request_from_json(Json::array()).ok());
  CHECK_FALSE(push_request_from_json(Json("text")).ok());
}

// The server decodes a push it owns by moving each mutation's args out of the parsed body: the result
// and every refusal must be exactly those of the copying decoder.
TEST_CASE("decoding a push by moving its args gives what the copying decoder gives") {
  auto problems_text = [](const Result<PushRequest>& r) {
    std::string t;
    for (const auto& p : r.problems) t += p.field + ":" + p.code + ";";
    return t;
  };
  PushRequest req;
  req.client_id = "dev-1";
  req.schema_version = kSchemaVersion;
  req.mutations.push_back(mutation(1, kCustomerCreate, {{"customer", customer_json("c1", "D7-0001")}}));
  req.mutations.push_back(mutation(2, kActivityLog, {{"activity", {{"id", "a1"}, {"kind", "visit"}, {"summary", "拜访"}}}}, 3));
  const Json good = to_json(req);
  std::vector<Json> cases = {good};
  Json args_not_object = good;  // one mutation's args is an array: refused, named by index
  args_not_object["mutations"][1]["args"] = Json::array({1, 2});
  cases.push_back(args_not_object);
  Json args_missing = good;
  args_missing["mutations"][0].erase("args");
  cases.push_back(args_missing);
  Json element_not_object = good;  // a stray element: the others must not shift into its place
  element_not_object["mutations"].push_back(5);
  cases.push_back(element_not_object);
  Json mids_down = good;
  mids_down["mutations"][1]["mid"] = 1;
  cases.push_back(mids_down);
  cases.push_back(Json::array());
  for (const Json& c : cases) {
    const auto copied = push_request_from_json(c);
    Json owned = c;
    const auto moved = push_request_from_json(std::move(owned));
    CAPTURE(c.dump());
    REQUIRE(copied.ok() == moved.ok());
    CHECK(problems_text(copied) == problems_text(moved));
    if (!copied.ok()) continue;
    REQUIRE(copied.value.mutations.size() == moved.value.mutations.size());
    for (std::size_t i = 0; i < copied.value.mutations.size(); ++i) {
      CHECK(to_json(copied.value.mutations[i]) == to_json(moved.value.mutations[i]));
      CHECK(moved.value.mutations[i].args == c["mutations"][i]["args"]);
    }
  }
  CHECK(push_request_from_json(Json(good)).value.mutations[1].args["activity"]["summary"] == "拜访");
}

TEST_CASE("mutation ids in a push must increase") {
  PushRequest req{"dev-1", 1, {mutation(2, kLeadTouch, {{"id", "l1"}}), mutation(2, kLeadTouch, {{"id", "l1"}})}};
  auto r = push_request_from_json(to_json(req));
  REQUIRE_FALSE(r.ok());
  CHECK(has_code(r.problems, "mids_not_increasing"));
  req.mutations[1].mid = 3;
  CHECK(push_request_from_json(to_json(req)).ok());
}

TEST_CASE("the current and the previous schema versions are accepted, others are not") {
  CHECK(schema_version_supported(kSchemaVersion));
  CHECK(schema_version_supported(kSchemaVersion - 1) == (kSchemaVersion - 1 >= 0));
  CHECK_FALSE(schema_version_supported(kSchemaVersion + 1));
  CHECK_FALSE(schema_version_supported(kSchemaVersion - 2));
}

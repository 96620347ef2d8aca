// LocalReplica: the browser's records by id with the indexes the profile and board read (R6, R7).
#include <doctest/doctest.h>

#include "app/vm/local_replica.h"
#include "app/vm/replica_codec.h"
#include "core/codec.h"
#include "vm_test_fixtures.h"

using namespace cl;
using namespace cl::app;
using cl::app::test::make_activity;
using cl::app::test::make_customer;

TEST_CASE("replica indexes activities by customer and moves them when the customer changes") {
  LocalReplica r;
  r.upsert(make_customer("c1", "甲"));
  r.upsert(make_customer("c2", "乙"));
  r.upsert(make_activity("a1", "c1", ActivityKind::Visit, 10));
  r.upsert(make_activity("a2", "c1", ActivityKind::Call, 20));
  CHECK(r.activities_of_customer("c1").size() == 2);
  auto moved = make_activity("a2", "c2", ActivityKind::Call, 20);
  r.upsert(moved);
  CHECK(r.activities_of_customer("c1").size() == 1);
  CHECK(r.activities_of_customer("c2").size() == 1);
  r.erase(RecordKind::Activity, "a1");
  CHECK(r.activities_of_customer("c1").empty());
}

TEST_CASE("replica knows which customer codes are taken, also after a rename of the code") {
  LocalReplica r;
  auto c = make_customer("c1", "甲");
  c.code = "HZ-0001";
  r.upsert(c);
  CHECK(r.customer_code_taken("HZ-0001"));
  c.code = "HZ-0002";
  r.upsert(c);
  CHECK_FALSE(r.customer_code_taken("HZ-0001"));
  CHECK(r.customer_code_taken("HZ-0002"));
}

TEST_CASE("every write bumps the revision and lands in the journal") {
  LocalReplica r;
  auto rev = r.revision();
  r.upsert(make_customer("c1", "甲"));
  r.erase(RecordKind::Customer, "c1");
  r.erase(RecordKind::Customer, "never-there");  // no-op: nothing to tell the view-models
  CHECK(r.revision() == rev + 2);
  REQUIRE(r.journal().size() == 2);
  CHECK(r.journal()[1].id == "c1");
}

TEST_CASE("pulled changes are decoded into the replica and tombstones remove records") {
  LocalReplica r;
  sync::Change ch;
  ch.type = "customer";
  ch.id = "c1";
  ch.version = 3;
  ch.record = encode(make_customer("c1", "杭州某医疗器械有限公司"));
  CHECK(apply_change(r, ch).empty());
  REQUIRE(r.customer("c1"));
  CHECK(r.customer("c1")->name == "杭州某医疗器械有限公司");

  sync::Change tomb;
  tomb.type = "customer";
  tomb.id = "c1";
  tomb.deleted = true;
  apply_change(r, tomb);
  CHECK(r.customer("c1") == nullptr);
}

TEST_CASE("a pulled record that does not decode is reported, not half-applied") {
  LocalReplica r;
  sync::Change ch;
  ch.type = "customer";
  ch.id = "c1";
  ch.record = sync::Json{{"id", 42}};
  CHECK_FALSE(apply_change(r, ch).empty());
  CHECK(r.customer("c1") == nullptr);
}

TEST_CASE("the replica view answers apply_mutation with JSON records and codes") {
  LocalReplica r;
  auto c = make_customer("c1", "甲");
  c.code = "HZ-0001";
  r.upsert(c);
  ReplicaView view(r);
  auto found = view.find("customer", "c1");
  REQUIRE(found);
  CHECK(found->owner_id == "rep1");
  CHECK(found->data.at("name") == "甲");
  CHECK(view.customer_with_code("HZ-0001") == std::optional<Id>("c1"));
  CHECK_FALSE(view.find("opportunity", "c1"));
}

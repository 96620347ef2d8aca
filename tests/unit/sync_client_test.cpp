// Client-side pure logic: outbox acknowledgements, replica pages, rebase of pending mutations on pulled
// state, and retry backoff with injected jitter (R32: nothing typed is lost, nothing applied twice).
#include <doctest/doctest.h>

#include "sync/backoff.h"
#include "sync/outbox.h"
#include "sync_fixtures.h"

using namespace cl;
using namespace cl::sync;
using namespace cl::sync::testing;

namespace {

Outbox outbox_with(int n) {
  Outbox box("dev-1");
  for (int i = 0; i < n; ++i) box.enqueue(std::string(kLeadTouch), {{"id", "l" + std::to_string(i)}}, 1, kNow + i, 1);
  return box;
}

PushResult result(std::int64_t mid, PushStatus s) { return PushResult{mid, s, {}, {}}; }

}  // namespace

TEST_CASE("the outbox hands out increasing mids and batches oldest first") {
  Outbox box = outbox_with(5);
  auto batch = box.next_batch(3);
  REQUIRE(batch.size() == 3);
  CHECK(batch[0].mid == 1);
  CHECK(batch[2].mid == 3);
  CHECK(batch[0].client_id == "dev-1");
  CHECK(box.next_mid() == 6);
}

TEST_CASE("applied and skipped results leave the outbox; rejected ones stay with the reason") {
  Outbox box = outbox_with(3);
  PushResponse resp{3, {result(1, PushStatus::Applied), result(2, PushStatus::Rejected), result(3, PushStatus::Skipped)}};
  resp.results[1].problems = {Problem{"evidence_required", "evidence", "需要证据", "needs evidence"}};
  box.on_push_response(resp);
  CHECK(box.pending_count() == 0);
  REQUIRE(box.rejected_count() == 1);
  CHECK(box.entries()[0].mutation.mid == 2);
  CHECK(box.entries()[0].problems[0].code == "evidence_required");
  CHECK(box.next_batch(10).empty());  // a rejected mutation never blocks or repeats
  CHECK(box.dismiss(2));
  CHECK(box.entries().empty());
}

TEST_CASE("a lost push response is recovered from the pull's last_mid without resending") {
  Outbox box = outbox_with(4);
  box.on_pull(2, {});
  CHECK(box.pending_count() == 2);
  CHECK(box.next_batch(10)[0].mid == 3);
  box.on_pull(4, {Rejection{4, "lead.touch", {}, {Problem{"not_found", "id", "无", "none"}}, kNow}});
  CHECK(box.pending_count() == 0);
  CHECK(box.rejected_count() == 1);
}

TEST_CASE("the outbox survives a reload through JSON and never reuses a mid") {
  Outbox box = outbox_with(3);
  box.on_push_response(PushResponse{1, {result(1, PushStatus::Applied)}});
  auto back = Outbox::from_json(Json::parse(box.to_json().dump()));
  REQUIRE(back.ok());
  CHECK(back.value.entries() == box.entries());
  CHECK(back.value.enqueue("x", {}, 0, kNow, 1).mid == 4);
  Outbox fresh("dev-1");
  fresh.on_pull(41, {});
  CHECK(fresh.enqueue("x", {}, 0, kNow, 1).mid == 42);
}

TEST_CASE("conflicts reported by a push are collected for the UI") {
  Outbox box = outbox_with(1);
  PushResponse resp{1, {result(1, PushStatus::Applied)}};
  resp.results[0].conflicts = {Conflict{"opportunity", "o1", "stage", 2, 1, "server_kept"}};
  box.on_push_response(resp);
  REQUIRE(box.conflicts().size() == 1);
  CHECK(box.conflicts()[0].field == "stage");
}

TEST_CASE("a replica applies upserts, ignores stale copies and removes tombstoned records") {
  Replica rep;
  PullResponse p1;
  p1.changes = {Change{"customer", "c1", false, 2, customer_json("c1", "A", "rep1")},
                Change{"activity", "a1", false, 1, {{"id", "a1"}}}};
  p1.cursor = "k1";
  p1.last_mid = 3;
  CHECK(rep.apply_page(p1).size() == 2);
  CHECK(rep.records().at({"customer", "c1"}).owner_id == "rep1");
  PullResponse p2;
  p2.changes = {Change{"customer", "c1", false, 1, {{"id", "c1"}, {"name", "old"}}}, Change{"activity", "a1", true, 2, {{"id", "a1"}}}};
  p2.cursor = "k2";
  rep.apply_page(p2);
  CHECK(rep.records().at({"customer", "c1"}).version == 2);
  CHECK(rep.records().count({"activity", "a1"}) == 0);
  CHECK(rep.cursor() == "k2");
  CHECK(rep.last_mid() == 3);
  CHECK(rep.of_type("customer").size() == 1);
  rep.reset();
  CHECK(rep.records().empty());
  CHECK(rep.cursor().empty());
}

TEST_CASE("rebase replays pending mutations on top of the pulled state") {
  World server;
  REQUIRE(server.apply(mutation(1, kCustomerCreate, {{"customer", customer_json("c1", "D1-0001")}}), rep1()).ok());
  std::vector<Mutation> pending = {
      mutation(2, kCustomerUpdate, {{"id", "c1"}, {"set", {{"address", "滨江区"}}}}, 1),
      mutation(3, kActivityLog, {{"activity", {{"id", "a1"}, {"kind", "call"}, {"customer_id", "c1"}}}}),
      mutation(4, kActivityLog, {{"activity", {{"id", "a2"}, {"kind", "call"}, {"customer_id", "nope"}}}})};
  auto r = rebase(server.records, pending, rep1(), teams(), server.settings, kNow);
  CHECK(r.records.at({"customer", "c1"}).data["address"] == "滨江区");
  CHECK(r.records.at({"customer", "c1"}).version == 2);
  CHECK(r.records.count({"activity", "a1"}) == 1);
  REQUIRE(r.local_rejections.count(4) == 1);
  CHECK(r.local_rejections[4][0].code == "not_found");
  CHECK(server.records.at({"customer", "c1"}).data.value("address", "") == "");  // base untouched
}

TEST_CASE("rebase shows a stage conflict locally once the pull reveals the server moved") {
  World server;
  REQUIRE(server.apply(mutation(1, kCustomerCreate, {{"customer", customer_json("c1", "D1-0001")}}), rep1()).ok());
  REQUIRE(server.apply(mutation(2, kOpportunityCreate, {{"opportunity", {{"id", "o1"}, {"customer_id", "c1"}, {"title", "t"}}}}), rep1()).ok());
  REQUIRE(server.apply(mutation(3, kOpportunityAdvance, {{"id", "o1"}, {"from_stage", 0}, {"evidence", evidence()}}, 1), rep1()).ok());
  std::vector<Mutation> pending = {mutation(7, kOpportunityAdvance, {{"id", "o1"}, {"from_stage", 0}, {"evidence", evidence('c')}}, 1)};
  auto r = rebase(server.records, pending, manager1(), teams(), server.settings, kNow);
  REQUIRE(r.local_conflicts.count(7) == 1);
  CHECK(r.local_conflicts[7][0].field == "stage");
}

TEST_CASE("backoff doubles from one second up to the cap, jitter spreading the upper half") {
  CHECK(backoff_delay(0, 0.0) == 500);
  CHECK(backoff_delay(0, 0.999) >= 999);
  CHECK(backoff_delay(1, 0.0) == 1000);
  CHECK(backoff_delay(3, 0.5) == 6000);
  CHECK(backoff_delay(40, 1.0) == 5 * kMinute);
  CHECK(backoff_delay(40, 0.0) == 5 * kMinute / 2);
  CHECK(backoff_delay(-3, 2.0) == 1000);  // clamped inputs
  BackoffPolicy fast{100, 1000};
  CHECK(backoff_delay(5, 0.0, fast) == 500);
}

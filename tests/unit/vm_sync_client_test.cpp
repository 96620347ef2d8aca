// The sync client against a deterministic fake server: offline writes, dropped responses, 503s,
// rejections, evidence ordering, reload from storage, must-refetch (SYNC.md "how the best test it").
#include <doctest/doctest.h>

#include "app/vm/replica_codec.h"
#include "core/codec.h"
#include "core/settings.h"
#include "core/sha256.h"
#include "sync/mutations.h"
#include "vm_sync_fake_server.h"
#include "vm_test_fixtures.h"

using namespace cl;
using namespace cl::app;
using namespace cl::app::test;

namespace {

struct Rig {
  FakeServer server;
  FakeTransport transport;
  FakeStorage storage;
  LocalReplica replica;
  double jitter = 0.0;
  std::unique_ptr<SyncClient> client;
  Instant now = 1'000'000;

  Rig() {
    transport.server = &server;
    server.settings = default_settings();  // R9: the five seed stages, R4 required fields and tags
    client = make_client(replica);
  }
  std::unique_ptr<SyncClient> make_client(LocalReplica& r) {
    SyncClientConfig cfg = rep1_device();
    cfg.user_teams = {{"rep1", "t1"}};
    return std::make_unique<SyncClient>(cfg, r, transport, storage, [this] { return jitter; });
  }
  // Ticks and delivers until the client has nothing left to do (bounded).
  void run(int max_steps = 50) {
    for (int i = 0; i < max_steps; ++i) {
      client->tick(now);
      if (!transport.deliver()) break;
    }
    client->tick(now);
  }
  sync::Json create_args(const std::string& id, const std::string& name) {
    auto c = make_customer(id, name, "0571-88881234");
    c.meta.version = 0;
    c.code = "KH-001-0000" + id.substr(id.size() - 1);
    return sync::Json{{"customer", encode(c)}};
  }
  void seed_opportunity(const std::string& id) {
    auto c = make_customer("c0", "杭州某医疗器械有限公司");
    server.put({"customer", "c0", "rep1", 1, false, encode(c)});
    Opportunity o;
    o.meta = {id, "rep1", 1, 1, 1, false};
    o.customer_id = "c0";
    o.title = "骨科耗材";
    StageVisit v;
    v.stage = 0;
    v.entered_at = 1;
    o.stages.push_back(v);
    server.put({"opportunity", id, "rep1", 1, false, encode(o)});
  }
};

int current_stage(const Opportunity& o) { return o.stages.empty() ? -1 : o.stages.back().stage; }

}  // namespace

TEST_CASE("a customer created offline is shown at once, kept pending, and reaches the server when back online") {
  Rig rig;
  rig.client->set_browser_online(false, rig.now);
  auto r = rig.client->submit("customer.create", rig.create_args("c1", "杭州某医疗器械有限公司"), 0, rig.now);
  REQUIRE(r.ok());
  CHECK(rig.replica.customer("c1") != nullptr);
  CHECK(rig.client->status().pending == 1);
  CHECK(rig.client->status().connectivity == Connectivity::Offline);
  CHECK(rig.client->is_pending_record("customer", "c1"));
  rig.client->tick(rig.now);
  CHECK(rig.transport.queue.empty());  // offline: nothing sent

  rig.client->set_browser_online(true, rig.now);
  rig.run();
  CHECK(rig.server.records.count({"customer", "c1"}) == 1);
  CHECK(rig.client->status().pending == 0);
  CHECK_FALSE(rig.client->is_pending_record("customer", "c1"));
  REQUIRE(rig.replica.customer("c1"));
  CHECK(rig.replica.customer("c1")->meta.version == 1);
  CHECK(rig.client->status().connectivity == Connectivity::Online);
}

TEST_CASE("a push whose response is lost is retried and applied exactly once") {
  Rig rig;
  rig.client->set_browser_online(true, rig.now);
  rig.run();  // initial pull
  REQUIRE(rig.client->submit("customer.create", rig.create_args("c1", "甲医院"), 0, rig.now).ok());
  rig.client->tick(rig.now);
  REQUIRE(rig.transport.deliver(Fault::DropResponse));  // server applied it, client never heard
  CHECK(rig.client->status().pending == 1);
  CHECK(rig.client->status().failed_attempts == 1);
  rig.now += 60'000;
  rig.run();
  CHECK(rig.server.applied_count == 1);
  CHECK(rig.server.records.at({"customer", "c1"}).version == 1);
  CHECK(rig.client->status().pending == 0);
  CHECK(rig.client->issues().empty());
}

TEST_CASE("503s back off exponentially and retry on the timer without a new write") {
  Rig rig;
  rig.jitter = 0.0;  // equal jitter with 0: exactly half of base·2^n
  REQUIRE(rig.client->submit("customer.create", rig.create_args("c1", "甲医院"), 0, rig.now).ok());
  std::vector<Instant> waits;
  for (int i = 0; i < 4; ++i) {
    rig.client->tick(rig.now);
    REQUIRE(rig.transport.deliver(Fault::ServiceUnavailable));
    waits.push_back(rig.client->next_wake_at() - rig.now);
    rig.client->tick(rig.now + waits.back() - 1);  // too early: nothing is sent
    CHECK(rig.transport.queue.empty());
    rig.now += waits.back();
  }
  CHECK(waits == std::vector<Instant>{500, 1000, 2000, 4000});
  CHECK(rig.client->status().last_error.find("503") != std::string::npos);
  rig.run();  // the timer fires, the server is well again
  CHECK(rig.server.records.count({"customer", "c1"}) == 1);
  CHECK(rig.client->status().failed_attempts == 0);
}

TEST_CASE("jitter spreads the retry delays of clients failing together") {
  Rig a, b;
  a.jitter = 0.1;
  b.jitter = 0.9;
  for (Rig* r : {&a, &b}) {
    r->client->tick(r->now);
    REQUIRE(r->transport.deliver(Fault::ServiceUnavailable));
  }
  CHECK(a.client->next_wake_at() != b.client->next_wake_at());
}

TEST_CASE("a mutation the server rejects is surfaced with its reason and a fix action, and can be dismissed") {
  Rig rig;
  // The server requires the address too; the client does not know yet — its optimistic write passes.
  rig.server.settings.required_customer_fields.push_back("address");
  REQUIRE(rig.client->submit("customer.create", rig.create_args("c1", "甲医院"), 0, rig.now).ok());
  rig.run();
  auto issues = rig.client->issues();
  REQUIRE(issues.size() == 1);
  CHECK_FALSE(issues[0].local_only);
  CHECK(issues[0].mutation_name == "customer.create");
  REQUIRE_FALSE(issues[0].problems.empty());
  CHECK(issues[0].problems[0].field == "address");
  CHECK(issues[0].fix_route == "customers/new/retry/" + std::to_string(issues[0].mid));
  CHECK(rig.client->status().rejected == 1);
  CHECK(rig.replica.customer("c1") == nullptr);  // the rebase dropped the refused record
  // Later mutations are not blocked behind the poison one.
  auto args2 = rig.create_args("c2", "乙医院");
  args2["customer"]["address"] = "杭州市西湖区";
  REQUIRE(rig.client->submit("customer.create", args2, 0, rig.now).ok());
  rig.run();
  CHECK(rig.server.records.count({"customer", "c2"}) == 1);
  CHECK(rig.client->dismiss(issues[0].mid, rig.now));
  CHECK(rig.client->issues().empty());
  CHECK(rig.client->status().rejected == 0);
}

TEST_CASE("advancing with evidence uploads the file before the mutation that references it") {
  Rig rig;
  rig.seed_opportunity("o1");
  rig.run();
  REQUIRE(rig.replica.opportunity("o1"));
  std::string pdf = "%PDF-1.4 需求确认书";
  std::string sha = sha256_hex(pdf);
  EvidenceRef ev;
  ev.sha256 = sha;
  ev.file_name = "需求确认书.pdf";
  ev.mime_type = "application/pdf";
  ev.size_bytes = static_cast<std::int64_t>(pdf.size());
  ev.kind = "需求确认书";
  sync::Json args{{"id", "o1"}, {"from_stage", 0}, {"evidence", sync::Json::array({encode(ev)})}};
  rig.client->set_browser_online(false, rig.now);
  auto r = rig.client->submit("opportunity.advance", args, 1, rig.now, {{sha, ev.file_name, ev.mime_type, pdf}});
  REQUIRE(r.ok());
  CHECK(current_stage(*rig.replica.opportunity("o1")) == 1);  // optimistic
  CHECK(rig.client->status().evidence_pending == 1);
  CHECK(rig.storage.db->evidence.size() == 1);  // bytes kept for the upload
  rig.server.request_log.clear();
  rig.client->set_browser_online(true, rig.now);
  rig.run();
  REQUIRE(rig.server.request_log.size() >= 2);
  CHECK(rig.server.request_log[0] == "PUT /api/v1/evidence/" + sha);
  CHECK(rig.server.request_log[1] == "POST /api/v1/sync/push");
  CHECK(rig.server.evidence.count(sha) == 1);
  CHECK(rig.storage.db->evidence.empty());
  auto o = decode<Opportunity>(rig.server.records.at({"opportunity", "o1"}).data);
  REQUIRE(o.ok());
  CHECK(current_stage(o.value) == 1);
  CHECK(current_stage(*rig.replica.opportunity("o1")) == 1);
}

TEST_CASE("advancing without evidence is refused locally with the reason and queues nothing") {
  Rig rig;
  rig.seed_opportunity("o1");
  rig.run();
  sync::Json args{{"id", "o1"}, {"from_stage", 0}, {"evidence", sync::Json::array()}};
  auto r = rig.client->submit("opportunity.advance", args, 1, rig.now);
  REQUIRE_FALSE(r.ok());
  CHECK(r.problems[0].code == "evidence_required");
  CHECK(rig.client->status().pending == 0);
  CHECK(current_stage(*rig.replica.opportunity("o1")) == 0);
}

TEST_CASE("after a reload the pending outbox is replayed once on the stored base records") {
  Rig rig;
  rig.seed_opportunity("o1");
  rig.run();
  std::string sha = sha256_hex("scan");
  EvidenceRef ev;
  ev.sha256 = sha;
  ev.file_name = "a.pdf";
  ev.mime_type = "application/pdf";
  ev.size_bytes = 4;
  ev.kind = "需求确认书";
  rig.client->set_browser_online(false, rig.now);
  REQUIRE(rig.client->submit("opportunity.advance",
                             {{"id", "o1"}, {"from_stage", 0}, {"evidence", sync::Json::array({encode(ev)})}}, 1,
                             rig.now, {{sha, "a.pdf", "application/pdf", "scan"}}).ok());
  REQUIRE(rig.client->submit("customer.create", rig.create_args("c1", "甲医院"), 0, rig.now).ok());

  // "Reload": a fresh replica and client from what storage holds.
  LocalReplica reloaded;
  auto client2 = rig.make_client(reloaded);
  CHECK(client2->restore(rig.storage.snapshot()).empty());
  CHECK(client2->status().pending == 2);
  CHECK(client2->status().evidence_pending == 1);
  REQUIRE(reloaded.opportunity("o1"));
  CHECK(current_stage(*reloaded.opportunity("o1")) == 1);  // advanced once, not twice
  CHECK(reloaded.opportunity("o1")->stages.size() == 2);
  CHECK(reloaded.customer("c1") != nullptr);

  rig.client = std::move(client2);
  rig.client->set_browser_online(true, rig.now);
  rig.run();
  CHECK(rig.server.applied_count == 2);
  CHECK(rig.client->status().pending == 0);
  auto o = decode<Opportunity>(rig.server.records.at({"opportunity", "o1"}).data);
  CHECK(current_stage(o.value) == 1);
}

TEST_CASE("a pull that changes a record under a pending edit rebases the edit on the new base") {
  Rig rig;
  rig.seed_opportunity("o1");
  rig.run();
  rig.client->set_browser_online(false, rig.now);
  sync::Json log{{"activity", encode(make_activity("a1", "c0", ActivityKind::Visit, rig.now - 10, "拜访"))}};
  log["activity"]["version"] = 0;
  REQUIRE(rig.client->submit("activity.log", log, 0, rig.now).ok());
  // Meanwhile the customer was renamed on the server.
  auto c = decode<Customer>(rig.server.records.at({"customer", "c0"}).data).value;
  c.name = "杭州某医疗器械股份有限公司";
  c.meta.version = 2;
  rig.server.put({"customer", "c0", "rep1", 2, false, encode(c)});
  rig.client->request_pull(rig.now);
  rig.client->set_browser_online(true, rig.now);
  rig.client->tick(rig.now);  // pushes first (outbox before pull)
  rig.transport.deliver(Fault::ServiceUnavailable);
  rig.now += 10'000;
  rig.run();
  CHECK(rig.replica.customer("c0")->name == "杭州某医疗器械股份有限公司");
  CHECK(rig.replica.activity("a1") != nullptr);
  CHECK(rig.server.records.count({"activity", "a1"}) == 1);
}

TEST_CASE("a 409 must_refetch clears the replica and downloads again, keeping the outbox") {
  Rig rig;
  rig.seed_opportunity("o1");
  rig.run();
  rig.client->set_browser_online(false, rig.now);
  REQUIRE(rig.client->submit("customer.create", rig.create_args("c1", "甲医院"), 0, rig.now).ok());
  rig.server.floor_seq = 1000;  // every cursor is now too old
  rig.server.put({"customer", "c9", "rep1", 1, false, encode(make_customer("c9", "新客户"))});
  rig.client->set_browser_online(true, rig.now);
  // Pull first (outbox push is refused by a 503 to force the order), then the 409.
  rig.client->tick(rig.now);
  rig.transport.deliver(Fault::ServiceUnavailable);
  rig.now += 10'000;
  rig.server.floor_seq = 1000;
  rig.run();
  CHECK(rig.replica.customer("c9") != nullptr);
  CHECK(rig.server.records.count({"customer", "c1"}) == 1);
  CHECK(rig.client->status().pending == 0);
}

TEST_CASE("the first sync reports progress page by page") {
  Rig rig;
  for (int i = 0; i < 25; ++i)
    rig.server.put({"customer", "c" + std::to_string(i), "rep1", 1, false,
                    encode(make_customer("c" + std::to_string(i), "客户" + std::to_string(i)))});
  SyncClientConfig cfg = rep1_device(10);
  rig.client = std::make_unique<SyncClient>(cfg, rig.replica, rig.transport, rig.storage, [] { return 0.5; });
  CHECK(rig.client->status().first_sync);
  rig.client->tick(rig.now);
  rig.transport.deliver();
  CHECK(rig.client->status().records_received == 10);
  CHECK(rig.client->status().pages_received == 1);
  rig.run();
  CHECK(rig.client->status().records_received == 25);
  CHECK(rig.client->status().pages_received == 3);
  CHECK_FALSE(rig.client->status().first_sync);
  CHECK(rig.replica.customers().size() == 25);
  CHECK(rig.storage.db->pages.size() == 3);
}

// The benchmark's symptom (issue 5): 50k customers + 50k activities, and "first sync done" was
// reported after the first page (a cursor existed), so the page treated the replica as complete at
// 50k customers / 0 activities and closed; the reload then held the 1,000 activities stored so far.
namespace first_sync {

void seed(FakeServer& server, int customers, int activities) { seed_rep1(server, customers, activities); }

std::unique_ptr<SyncClient> client(Rig& rig, LocalReplica& replica) {
  SyncClientConfig cfg = rep1_device(10);
  return std::make_unique<SyncClient>(cfg, replica, rig.transport, rig.storage, [] { return 0.5; });
}

}  // namespace first_sync

TEST_CASE("the first sync is not over at the first page but when the server says nothing more is waiting") {
  Rig rig;
  first_sync::seed(rig.server, 15, 15);
  rig.client = first_sync::client(rig, rig.replica);
  rig.client->tick(rig.now);
  rig.transport.deliver();   // page 1: ten customers, and a cursor
  CHECK(rig.client->status().first_sync);
  rig.client->tick(rig.now);
  rig.transport.deliver();   // page 2: five customers + five activities
  CHECK(rig.client->status().first_sync);
  CHECK(rig.replica.activities().size() == 5);
  rig.run();
  CHECK_FALSE(rig.client->status().first_sync);
  CHECK(rig.replica.customers().size() == 15);
  CHECK(rig.replica.activities().size() == 15);
  CHECK(rig.storage.db->caught_up);
}

TEST_CASE("a reload in the middle of the first sync is still the first sync and pulls only what is missing") {
  Rig rig;
  first_sync::seed(rig.server, 15, 15);
  rig.client = first_sync::client(rig, rig.replica);
  for (int i = 0; i < 2; ++i) {
    rig.client->tick(rig.now);
    rig.transport.deliver();
  }
  REQUIRE(rig.client->status().records_received == 20);
  rig.client.reset();   // the tab closes after two of three pages

  LocalReplica reloaded;
  auto second = first_sync::client(rig, reloaded);
  second->restore(rig.storage.snapshot(), rig.now);
  CHECK(second->status().first_sync);
  CHECK(reloaded.customers().size() == 15);
  CHECK(reloaded.activities().size() == 5);
  for (int i = 0; i < 10; ++i) {
    second->tick(rig.now);
    if (!rig.transport.deliver()) break;
  }
  CHECK_FALSE(second->status().first_sync);
  CHECK(second->status().records_received == 10);   // the stored pages are not pulled again
  CHECK(reloaded.activities().size() == 15);
  second.reset();

  LocalReplica third_replica;
  auto third = first_sync::client(rig, third_replica);
  third->restore(rig.storage.snapshot(), rig.now);
  CHECK_FALSE(third->status().first_sync);
  CHECK(third_replica.customers().size() == 15);
  CHECK(third_replica.activities().size() == 15);
  third->tick(rig.now);
  rig.transport.deliver();
  CHECK(third->status().records_received == 0);
}

TEST_CASE("must_refetch starts a first sync again, in memory and in storage") {
  Rig rig;
  first_sync::seed(rig.server, 5, 0);
  rig.run();
  REQUIRE_FALSE(rig.client->status().first_sync);
  REQUIRE(rig.storage.db->caught_up);
  rig.server.floor_seq = 1000;
  rig.client->request_pull(rig.now);
  rig.client->tick(rig.now);
  rig.transport.deliver();   // 409
  CHECK(rig.client->status().first_sync);
  CHECK_FALSE(rig.storage.db->caught_up);
  rig.server.floor_seq = 0;
  rig.run();
  CHECK_FALSE(rig.client->status().first_sync);
  CHECK(rig.storage.db->caught_up);
}

TEST_CASE("a pulled page is stored as the server sent it, and a reload reads it back") {
  // Issue 5: re-encoding every received change only to store it doubled the cost of a page in wasm.
  struct OneReply : SyncTransport {
    std::string body;
    void get(const std::string&, HttpCallback done) override { done({200, body}); }
    void post_json(const std::string&, const std::string&, HttpCallback done) override { done({503, ""}); }
    void put_bytes(const std::string&, const std::string&, const std::string&, HttpCallback done) override { done({503, ""}); }
  } transport;
  auto c = make_customer("c1", "杭州\"方括号]医院{", "0571-88881234");
  sync::Json change{{"type", "customer"}, {"id", "c1"}, {"deleted", false}, {"version", 1}, {"record", encode(c)}};
  const std::string changes_text = "[ " + change.dump() + " ,\n " +
      sync::Json{{"type", "activity"}, {"id", "a1"}, {"deleted", false}, {"version", 1},
                 {"record", encode(make_activity("a1", "c1", ActivityKind::Call, 900'000, "说了\"]\""))}}.dump() + " ]";
  transport.body = R"({"cursor": "7", "rejections": [], "note": "\"changes\": [1]", "changes" : )" + changes_text +
                   R"( , "has_more": false, "last_mid": 0, "conflicts": []})";
  FakeStorage storage;
  LocalReplica replica;
  SyncClientConfig cfg = rep1_device();
  SyncClient client(cfg, replica, transport, storage, [] { return 0.5; });
  client.tick(1'000'000);
  REQUIRE(replica.customer("c1") != nullptr);
  REQUIRE(storage.db->pages.size() == 1);
  CHECK(storage.db->pages.begin()->second == changes_text);
  CHECK(client.page_index().front().changes.size() == 2);

  LocalReplica reloaded;
  SyncClient again(cfg, reloaded, transport, storage, [] { return 0.5; });
  CHECK(again.restore(storage.snapshot(), 1'000'000).empty());
  REQUIRE(reloaded.customer("c1") != nullptr);
  CHECK(reloaded.customer("c1")->name == c.name);
  REQUIRE(reloaded.activity("a1") != nullptr);
  CHECK(reloaded.activity("a1")->customer_id == "c1");
}

TEST_CASE("with nothing to push the client still polls on a timer") {
  Rig rig;
  rig.run();
  Instant wake = rig.client->next_wake_at();
  CHECK(wake == rig.now + 30'000);
  rig.server.put({"customer", "c5", "rep1", 1, false, encode(make_customer("c5", "别处新建"))});
  rig.now = wake;
  rig.run();
  CHECK(rig.replica.customer("c5") != nullptr);
}

// The sync client with a replica snapshot in storage (issue 5 cold start, replica_snapshot.h): the
// leader writes one after the first sync once the replica is quiet and nothing is pending; a reload
// from it (plus later pages) equals a reload from every page; a corrupt or stale one falls back.
#include <doctest/doctest.h>

#include "core/codec.h"
#include "core/settings.h"
#include "vm_sync_fake_server.h"
#include "vm_test_fixtures.h"

using namespace cl;
using namespace cl::app;
using namespace cl::app::test;

namespace {

struct SnapRig {
  FakeServer server;
  FakeTransport transport;
  FakeStorage storage;
  LocalReplica replica;
  std::unique_ptr<SyncClient> client;
  Instant now = 1'000'000;
  int compact_every = 1000;   // tests that want a compaction lower it

  SnapRig(int customers, int activities) {
    transport.server = &server;
    server.settings = default_settings();
    seed_rep1(server, customers, activities);
    client = make(replica);
  }
  std::unique_ptr<SyncClient> make(LocalReplica& r) {
    SyncClientConfig cfg = rep1_device(10);
    cfg.user_teams = {{"rep1", "t1"}};
    cfg.snapshot_after_changes = 10;
    cfg.compact_every_pages = compact_every;
    return std::make_unique<SyncClient>(cfg, r, transport, storage, [] { return 0.5; });
  }
  void run(int max_steps = 50) {
    for (int i = 0; i < max_steps; ++i) {
      client->tick(now);
      if (!transport.deliver()) break;
    }
    client->tick(now);
  }
  // A fresh tab: replica + client restored the way the browser starts (with the snapshot if usable).
  struct Tab {
    LocalReplica replica;
    std::unique_ptr<SyncClient> client;
    Problems problems;
  };
  std::unique_ptr<Tab> reload(bool with_snapshot = true) {
    auto t = std::make_unique<Tab>();
    t->client = make(t->replica);
    LoadRequest req = with_snapshot ? t->client->startup_request() : LoadRequest{};
    t->problems = t->client->restore(storage.snapshot(req), now);
    return t;
  }
};

std::map<std::string, nlohmann::json> records_of(const LocalReplica& r) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& [id, c] : r.customers()) out["customer/" + id] = encode(c);
  for (const auto& [id, a] : r.activities()) out["activity/" + id] = encode(a);
  for (const auto& [id, o] : r.opportunities()) out["opportunity/" + id] = encode(o);
  return out;
}

std::vector<std::vector<PageRecord>> index_of(const SyncClient& c) {
  std::vector<std::vector<PageRecord>> out;
  for (const auto& p : c.page_index()) out.push_back(p.changes);
  return out;
}

}  // namespace

TEST_CASE("after the first sync the leader writes a snapshot once the replica is quiet, and a reload from it equals a reload from every page") {
  SnapRig rig(15, 15);
  rig.run();
  REQUIRE_FALSE(rig.client->status().first_sync);
  CHECK(rig.storage.snapshot_writes == 0);   // the last page just arrived: not quiet yet
  rig.now += 1000;
  rig.client->tick(rig.now);
  CHECK(rig.storage.snapshot_writes == 1);
  CHECK(rig.client->status().snapshots_written == 1);
  rig.now += 5000;
  rig.client->tick(rig.now);
  CHECK(rig.storage.snapshot_writes == 1);   // nothing new to cover

  // A later change arrives as a page after the snapshot.
  auto c = make_customer("c3", "改名后的客户");
  c.meta.version = 2;
  rig.server.put({"customer", "c3", "rep1", 2, false, encode(c)});
  rig.server.put({"customer", "c99", "rep1", 1, false, encode(make_customer("c99", "新客户"))});
  rig.client->request_pull(rig.now);
  rig.run();
  REQUIRE(rig.storage.db->pages.size() == 4);

  auto fast = rig.reload(true);
  auto slow = rig.reload(false);
  CHECK(fast->problems.empty());
  CHECK(fast->client->status().snapshot_loaded);
  CHECK_FALSE(slow->client->status().snapshot_loaded);
  CHECK(fast->replica.customers().size() == 16);
  CHECK(fast->replica.activities().size() == 15);
  CHECK(fast->replica.customer("c3")->name == "改名后的客户");
  CHECK(records_of(fast->replica) == records_of(slow->replica));
  CHECK(records_of(fast->replica) == records_of(rig.replica));
  CHECK(index_of(*fast->client) == index_of(*slow->client));   // compaction plans from the same index
  CHECK(fast->client->cursor() == slow->client->cursor());
  CHECK_FALSE(fast->client->status().first_sync);

  // The reloaded tab numbers its next page above every stored one (the snapshot's included).
  const auto top_key = std::max(rig.storage.db->pages.rbegin()->first, rig.storage.db->snapshot_info.page_key);
  rig.server.put({"customer", "c100", "rep1", 1, false, encode(make_customer("c100", "又一个客户"))});
  rig.client = std::move(fast->client);
  rig.client->request_pull(rig.now);
  rig.run();
  CHECK(rig.storage.db->pages.rbegin()->first > top_key);
  auto again = rig.reload(true);
  CHECK(again->replica.customer("c100") != nullptr);
  CHECK(records_of(again->replica) == records_of(fast->replica));
}

TEST_CASE("a corrupt snapshot is reported, nothing half-loaded is shown, and every page is read again") {
  SnapRig rig(15, 15);
  rig.run();
  rig.now += 1000;
  rig.client->tick(rig.now);
  REQUIRE(rig.storage.snapshot_writes == 1);
  auto& bytes = rig.storage.db->snapshot;
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);

  auto tab = rig.reload(true);
  REQUIRE(tab->problems.size() == 1);
  CHECK(tab->problems.front().code == "snapshot_unreadable");
  CHECK(tab->replica.size() == 0);
  CHECK(tab->client->startup_request().snapshot_tag.empty());   // not trusted again in this tab
  tab->client->tick(rig.now);   // the fake storage answers at once
  CHECK(tab->replica.customers().size() == 15);
  CHECK(tab->replica.activities().size() == 15);
  CHECK(records_of(tab->replica) == records_of(rig.replica));
  CHECK_FALSE(tab->client->status().snapshot_loaded);
}

TEST_CASE("a snapshot from before a compaction or a must_refetch is not used") {
  SnapRig rig(15, 15);
  rig.run();
  rig.now += 1000;
  rig.client->tick(rig.now);
  REQUIRE(rig.storage.snapshot_writes == 1);

  // Compaction (here: any page rewrite) bumps the page generation: the snapshot is stale.
  ++rig.storage.db->page_generation;
  auto tab = rig.reload(true);
  CHECK(tab->problems.empty());
  CHECK_FALSE(tab->client->status().snapshot_loaded);
  CHECK(records_of(tab->replica) == records_of(rig.replica));

  // must_refetch clears the pages and the snapshot with them.
  --rig.storage.db->page_generation;
  rig.server.floor_seq = 1000;
  rig.client->request_pull(rig.now);
  rig.client->tick(rig.now);
  rig.transport.deliver();   // 409
  CHECK(rig.storage.db->snapshot.empty());
  rig.server.floor_seq = 0;
  rig.run();
  auto after = rig.reload(true);
  CHECK_FALSE(after->client->status().snapshot_loaded);
  CHECK(after->replica.customers().size() == 15);
}

TEST_CASE("no snapshot is written while an intent is pending: it would hold an optimistic record as if the server sent it") {
  SnapRig rig(15, 15);
  rig.run();
  rig.client->set_browser_online(false, rig.now);
  auto c = make_customer("c-new", "离线新建的客户", "0571-88887777");
  c.meta.version = 0;
  c.code = "KH-001-000099";
  REQUIRE(rig.client->submit("customer.create", sync::Json{{"customer", encode(c)}}, 0, rig.now).ok());
  rig.now += 5000;
  rig.client->tick(rig.now);
  CHECK(rig.storage.snapshot_writes == 0);
  CHECK(rig.storage.db->snapshot.empty());

  rig.client->set_browser_online(true, rig.now);
  rig.run();   // pushed, then pulled back as a base record
  REQUIRE(rig.client->status().pending == 0);
  rig.now += 1000;
  rig.client->tick(rig.now);
  CHECK(rig.storage.snapshot_writes == 1);
  auto tab = rig.reload(true);
  CHECK(tab->client->status().snapshot_loaded);
  REQUIRE(tab->replica.customer("c-new") != nullptr);
  CHECK(tab->client->status().pending == 0);
  CHECK(records_of(tab->replica) == records_of(rig.replica));
}

TEST_CASE("a following tab never writes a snapshot") {
  SnapRig rig(15, 15);
  rig.client->set_leader(false, rig.now);
  auto leader_replica = std::make_unique<LocalReplica>();
  auto leader = rig.make(*leader_replica);
  for (int i = 0; i < 20; ++i) {
    leader->tick(rig.now);
    if (!rig.transport.deliver()) break;
  }
  REQUIRE_FALSE(leader->status().first_sync);
  rig.now += 20'000;
  rig.client->tick(rig.now);   // the follower re-reads storage
  rig.now += 20'000;
  rig.client->tick(rig.now);
  CHECK(rig.client->status().snapshots_written == 0);
  CHECK(rig.replica.customers().size() == 15);
  leader->tick(rig.now);
  CHECK(leader->status().snapshots_written == 1);
}

TEST_CASE("after a compaction the stored snapshot is stale, and the leader writes a fresh one that loads") {
  SnapRig rig(15, 15);
  rig.compact_every = 2;
  rig.client = rig.make(rig.replica);
  rig.run();
  rig.now += 1000;
  rig.client->tick(rig.now);
  REQUIRE(rig.storage.snapshot_writes == 1);
  // Small polls until a compaction rewrites the pages (page generation bumped).
  const auto gen_before = rig.storage.db->page_generation;
  for (int i = 0; i < 8 && rig.storage.db->page_generation == gen_before; ++i) {
    rig.server.put({"customer", "c" + std::to_string(i), "rep1", 2, false,
                    encode(make_customer("c" + std::to_string(i), "改名" + std::to_string(i)))});
    rig.client->request_pull(rig.now);
    rig.run();
  }
  REQUIRE(rig.storage.db->page_generation != gen_before);
  auto stale = rig.reload(true);
  CHECK_FALSE(stale->client->status().snapshot_loaded);
  CHECK(records_of(stale->replica) == records_of(rig.replica));

  rig.now += 1000;
  rig.client->tick(rig.now);
  CHECK(rig.storage.snapshot_writes == 2);
  auto fresh = rig.reload(true);
  CHECK(fresh->client->status().snapshot_loaded);
  CHECK(records_of(fresh->replica) == records_of(rig.replica));
  CHECK(index_of(*fresh->client) == index_of(*rig.client));
}

TEST_CASE("a start plans no page compaction inside restore(): the leader compacts once the start is over") {
  // Issue 5 cold start: planning walks every stored change, and the first frame waits for restore().
  SnapRig rig(25, 25);   // 5 pages of 10: small enough to be merged
  rig.run();
  const auto generation = rig.storage.db->page_generation;
  auto tab = rig.reload(true);
  CHECK(tab->client->status().compactions == 0);
  CHECK(rig.storage.db->page_generation == generation);
  const Instant delay = SyncClientConfig{}.compact_after_start_ms;
  for (Instant t = rig.now; t < rig.now + delay; t += 500) {   // the start's own pull comes and goes
    tab->client->tick(t);
    rig.transport.deliver();
  }
  CHECK(tab->client->status().compactions == 0);
  tab->client->tick(rig.now + delay);
  rig.transport.deliver();
  tab->client->tick(rig.now + delay + 1);
  CHECK(tab->client->status().compactions == 1);
  CHECK(rig.storage.db->page_generation != generation);
  CHECK(records_of(tab->replica) == records_of(rig.replica));
}

TEST_CASE("the next page is requested before the current one is processed, and the sync ends complete") {
  SnapRig rig(25, 25);   // 5 pages of 10
  rig.client->tick(rig.now);
  REQUIRE(rig.transport.queue.size() == 1);
  rig.transport.deliver();   // page 1 arrives: page 2 was asked for before page 1 was applied
  CHECK(rig.transport.queue.size() == 1);
  CHECK(rig.replica.customers().size() == 10);
  CHECK(rig.client->status().phase == SyncPhase::Pulling);
  rig.client->tick(rig.now);
  CHECK(rig.transport.queue.size() == 1);   // no second request for the same page
  while (rig.transport.deliver()) rig.client->tick(rig.now);
  CHECK_FALSE(rig.client->status().first_sync);
  CHECK(rig.replica.customers().size() == 25);
  CHECK(rig.replica.activities().size() == 25);
  CHECK(rig.client->status().records_received == 50);
  std::size_t pulls = 0;
  for (const auto& r : rig.server.request_log) pulls += r == "GET /api/v1/sync/pull";
  CHECK(pulls == 5);   // one request per page: the last page (has_more=false) asks for nothing more
}

TEST_CASE("a page that can't be read drops the request made ahead for the next one") {
  struct Scripted : SyncTransport {
    std::vector<std::string> asked;
    std::deque<HttpCallback> waiting;
    void get(const std::string& path, HttpCallback done) override { asked.push_back(path); waiting.push_back(std::move(done)); }
    void post_json(const std::string&, const std::string&, HttpCallback done) override { done({503, ""}); }
    void put_bytes(const std::string&, const std::string&, const std::string&, HttpCallback done) override { done({503, ""}); }
  } transport;
  FakeStorage storage;
  LocalReplica replica;
  SyncClientConfig cfg = rep1_device();
  SyncClient client(cfg, replica, transport, storage, [] { return 0.5; });
  client.tick(1'000'000);
  REQUIRE(transport.waiting.size() == 1);
  // has_more and a cursor up front, then a change the wire reader refuses (no id).
  auto first = std::move(transport.waiting.front());
  transport.waiting.pop_front();
  first({200, R"({"changes":[{"type":"customer","deleted":false,"version":1,"record":{}}],"cursor":"9","has_more":true,"last_mid":0})"});
  REQUIRE(transport.asked.size() == 2);   // asked ahead with cursor 9 …
  CHECK(transport.asked[1].find("cursor=9") != std::string::npos);
  CHECK(client.status().last_error == "bad pull response");
  CHECK(client.status().phase == SyncPhase::Idle);
  auto ahead = std::move(transport.waiting.front());
  transport.waiting.pop_front();
  ahead({200, R"({"changes":[{"type":"customer","id":"c1","deleted":false,"version":1,"record":{"id":"c1"}}],"cursor":"10","has_more":false,"last_mid":0})"});
  CHECK(replica.size() == 0);            // … and its reply is ignored: the page before it never applied
  CHECK(client.cursor().empty());
}

// The first sync's page sizes and stage timings (issue 5): the first page of a pull asks for
// pull_limit records (the list fills at once), the later pages of the same has_more chain for
// catch_up_pull_limit (fewer round trips), and a later poll for pull_limit again; the stage timings
// add up and count every page.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/vm/pull_page.h"
#include "core/settings.h"
#include "vm_sync_fake_server.h"

using namespace cl;
using namespace cl::app;
using namespace cl::app::test;

namespace {

int limit_of(const std::string& path) {
  auto p = path.find("limit=");
  REQUIRE(p != std::string::npos);
  return std::stoi(path.substr(p + 6));
}

struct Rig {
  FakeServer server;
  FakeTransport transport;
  FakeStorage storage;
  LocalReplica replica;
  std::unique_ptr<SyncClient> client;
  double clock = 0;
  Instant now = 1'000'000;

  Rig(int customers, int activities, int limit, int catch_up) {
    transport.server = &server;
    server.settings = default_settings();
    seed_rep1(server, customers, activities);
    SyncClientConfig cfg = rep1_device(limit);
    cfg.catch_up_pull_limit = catch_up;
    cfg.clock = [this] { return clock += 1.0; };   // every reading 1 ms later
    client = std::make_unique<SyncClient>(cfg, replica, transport, storage, [] { return 0.5; });
  }
  // Delivers requests until none is left, recording the limit each pull asked for.
  std::vector<int> drain() {
    std::vector<int> limits;
    for (int i = 0; i < 100; ++i) {
      if (transport.queue.empty()) break;
      if (transport.queue.front().method == "GET") limits.push_back(limit_of(transport.queue.front().path));
      transport.deliver();
      client->tick(now);
    }
    return limits;
  }
};

}  // namespace

TEST_CASE("a first sync asks for the usual page first, then for catch-up pages, and a later poll for the usual page again") {
  Rig rig(40, 40, 10, 25);   // 80 records: 10 + 25 + 25 + 20
  rig.client->tick(rig.now);
  auto limits = rig.drain();
  CHECK(limits == std::vector<int>{10, 25, 25, 25});
  CHECK_FALSE(rig.client->status().first_sync);
  CHECK(rig.replica.customers().size() == 40);
  CHECK(rig.replica.activities().size() == 40);
  CHECK(rig.client->status().pages_received == 4);

  rig.server.put({"customer", "c-late", "rep1", 1, false, encode(make_customer("c-late", "新客户"))});
  rig.now += 60'000;   // past the poll interval
  rig.client->tick(rig.now);
  CHECK(rig.drain() == std::vector<int>{10});
  CHECK(rig.replica.customers().size() == 41);
}

TEST_CASE("without a catch-up size every page asks for pull_limit") {
  Rig rig(15, 15, 10, 0);
  rig.client->tick(rig.now);
  CHECK(rig.drain() == std::vector<int>{10, 10, 10});
  CHECK(rig.replica.size() == 30);
}

TEST_CASE("the pull stage timings count every page and add up to no more than the handler's time") {
  Rig rig(25, 25, 10, 10);
  rig.client->tick(rig.now);
  rig.drain();
  const PullTimings& t = rig.client->status().pull_timings;
  CHECK(t.pages == 5);
  CHECK(t.parse_ms > 0);
  CHECK(t.apply_ms > 0);
  CHECK(t.store_ms > 0);
  CHECK(t.scan_ms + t.parse_ms + t.apply_ms + t.store_ms + t.index_ms <= t.total_ms);
  CHECK(t.wait_ms > 0);   // time passed between finishing one page and handling the next reply
}

TEST_CASE("the fake server's pull pages (shaped like the real server's) take the streaming path") {
  FakeServer server;
  server.settings = default_settings();
  seed_rep1(server, 12, 12);
  server.put({"customer", "c0", "rep1", 2, true, sync::Json{{"id", "c0"}}});   // a tombstone
  const auto reply = server.handle("GET", "/api/v1/sync/pull?client_id=dev-1&schema_version=1&cursor=&limit=100", "");
  REQUIRE(reply.status == 200);
  auto page = decode_pull_page(reply.body);
  REQUIRE(page.ok());
  CHECK(page.value.fast);
  CHECK(page.value.changes.size() == 25);   // c0 twice: its upsert and its tombstone
}

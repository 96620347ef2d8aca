// Several tabs of one device (issue 5, SYNC.md §9): one storage, one client_id, one leader that
// syncs. Mids come from storage, so tabs never collide (the server skips mids ≤ its last one);
// followers' writes reach the server through the leader; a closed leader is replaced; storage
// failures keep the intent in memory, visible, and retried. Also: compaction keeps the stored page
// count bounded and a reload equal.
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

struct Tab {
  FakeTransport transport;
  FakeStorage storage;
  LocalReplica replica;
  std::unique_ptr<SyncClient> client;
};

struct Device {
  FakeServer server;
  FakeDb db;
  Instant now = 1'000'000;

  Device() { server.settings = default_settings(); }

  std::unique_ptr<Tab> open_tab(bool leader, SyncClientConfig cfg = config()) {
    auto t = std::make_unique<Tab>();
    t->transport.server = &server;
    t->storage.db = &db;
    t->client = std::make_unique<SyncClient>(cfg, t->replica, t->transport, t->storage, [] { return 0.0; });
    t->client->set_leader(leader, now);
    t->client->restore(t->storage.snapshot(), now);
    return t;
  }
  static SyncClientConfig config() {
    SyncClientConfig cfg;
    cfg.client_id = "tablet-1";
    cfg.actor = {"rep1", Role::Rep, "t1"};
    cfg.user_teams = {{"rep1", "t1"}};
    cfg.settings = default_settings();
    return cfg;
  }
  // Ticks every tab and delivers requests until nothing moves (bounded).
  void run(std::vector<Tab*> tabs, int steps = 60) {
    for (int i = 0; i < steps; ++i) {
      bool moved = false;
      for (auto* t : tabs) {
        t->client->tick(now);
        if (t->transport.deliver()) moved = true;
      }
      if (!moved) break;
    }
    for (auto* t : tabs) t->client->tick(now);
  }
};

sync::Json create_args(const std::string& id, const std::string& name, const std::string& code) {
  auto c = make_customer(id, name, "0571-88881234");
  c.meta.version = 0;
  c.code = code;
  return sync::Json{{"customer", encode(c)}};
}

}  // namespace

TEST_CASE("two tabs writing offline get distinct increasing mids from storage, and both reach the server once") {
  Device dev;
  auto a = dev.open_tab(true);
  auto b = dev.open_tab(false);
  a->client->set_browser_online(false, dev.now);
  b->client->set_browser_online(false, dev.now);
  REQUIRE(a->client->submit("customer.create", create_args("ca", "甲医院", "KH-1-0001"), 0, dev.now).ok());
  REQUIRE(b->client->submit("customer.create", create_args("cb", "乙医院", "KH-1-0002"), 0, dev.now).ok());
  REQUIRE(a->client->submit("customer.create", create_args("cc", "丙医院", "KH-1-0003"), 0, dev.now).ok());
  // Each tab numbered from its own memory would have used mid 1 twice.
  std::vector<std::int64_t> mids;
  for (const auto& [mid, e] : dev.db.outbox) mids.push_back(mid);
  CHECK(mids == std::vector<std::int64_t>{1, 2, 3});
  CHECK(b->replica.customer("cb") != nullptr);
  CHECK(b->client->status().pending == 1);

  a->client->set_browser_online(true, dev.now);
  b->client->set_browser_online(true, dev.now);
  dev.run({a.get(), b.get()});
  CHECK(b->transport.queue.empty());           // the follower never talked to the server
  CHECK(dev.server.applied_count == 3);
  CHECK(dev.server.last_mid["tablet-1"] == 3);
  CHECK(dev.server.records.count({"customer", "cb"}) == 1);
  CHECK(dev.db.outbox.empty());
  CHECK(a->client->status().pending == 0);

  // The follower learns from storage (BroadcastChannel in the browser).
  b->client->storage_changed(dev.now);
  dev.run({a.get(), b.get()});
  CHECK(b->client->status().pending == 0);
  for (const char* id : {"ca", "cb", "cc"}) {
    CHECK(a->replica.customer(id) != nullptr);
    CHECK(b->replica.customer(id) != nullptr);
  }
}

TEST_CASE("the leader pushes what storage holds, so a follower's lower mid is never skipped") {
  Device dev;
  auto a = dev.open_tab(true);
  auto b = dev.open_tab(false);
  dev.run({a.get(), b.get()});
  // The follower stores mid 1; the leader hears nothing of it (the message is late) and writes mid 2.
  REQUIRE(b->client->submit("customer.create", create_args("cb", "乙医院", "KH-1-0002"), 0, dev.now).ok());
  REQUIRE(a->client->submit("customer.create", create_args("ca", "甲医院", "KH-1-0001"), 0, dev.now).ok());
  a->client->tick(dev.now);
  REQUIRE(a->transport.queue.size() == 1);
  auto push = sync::push_request_from_json(sync::Json::parse(a->transport.queue.front().body));
  REQUIRE(push.ok());
  REQUIRE(push.value.mutations.size() == 2);
  CHECK(push.value.mutations[0].mid == 1);
  CHECK(push.value.mutations[1].mid == 2);
  dev.run({a.get(), b.get()});
  CHECK(dev.server.applied_count == 2);
  CHECK(dev.server.records.count({"customer", "cb"}) == 1);
}

TEST_CASE("when the leader tab closes mid-push, the next tab takes over and nothing is applied twice") {
  Device dev;
  auto a = dev.open_tab(true);
  auto b = dev.open_tab(false);
  dev.run({a.get(), b.get()});
  REQUIRE(b->client->submit("customer.create", create_args("cb", "乙医院", "KH-1-0002"), 0, dev.now).ok());
  REQUIRE(a->client->submit("customer.create", create_args("ca", "甲医院", "KH-1-0001"), 0, dev.now).ok());
  a->client->tick(dev.now);
  REQUIRE(a->transport.queue.size() == 1);
  dev.server.handle("POST", a->transport.queue.front().path, a->transport.queue.front().body);  // server applies…
  a->transport.queue.clear();                                                                   // …the tab is gone
  a.reset();
  CHECK(dev.server.applied_count == 2);
  CHECK(dev.db.outbox.size() == 2);            // storage still lists both: the ack never arrived

  b->client->set_leader(true, dev.now);        // the Web Lock passes to the next tab
  dev.run({b.get()});
  CHECK(dev.server.applied_count == 2);        // resent, skipped: exactly once
  CHECK(dev.db.outbox.empty());
  CHECK(b->client->status().pending == 0);
  CHECK(b->replica.customer("ca") != nullptr);
  CHECK(b->replica.customer("cb") != nullptr);
}

TEST_CASE("until storage confirms, an intent carries a provisional id and is not pushed") {
  Device dev;
  auto a = dev.open_tab(true);
  dev.run({a.get()});
  a->storage.defer = true;
  auto r = a->client->submit("customer.create", create_args("ca", "甲医院", "KH-1-0001"), 0, dev.now);
  REQUIRE(r.ok());
  CHECK(r.value < 0);
  CHECK(a->replica.customer("ca") != nullptr);
  CHECK(a->client->status().unsaved == 1);
  CHECK(a->client->is_pending_record("customer", "ca"));
  a->storage.flush();                          // committed: numbered 1
  CHECK(a->client->status().unsaved == 0);
  REQUIRE(a->client->outbox().entries().size() == 1);
  CHECK(a->client->outbox().entries()[0].mutation.mid == 1);
  CHECK(a->client->is_pending_record("customer", "ca"));
  a->storage.defer = false;
  dev.run({a.get()});
  CHECK(dev.server.applied_count == 1);
}

TEST_CASE("a quota error keeps the intent on screen and in memory, says so, and writes it again later") {
  Device dev;
  auto a = dev.open_tab(true);
  dev.run({a.get()});
  a->client->set_browser_online(false, dev.now);
  REQUIRE(a->client->submit("customer.create", create_args("c1", "甲医院", "KH-1-0001"), 0, dev.now).ok());
  dev.db.fail_writes = "QuotaExceededError: the quota has been exceeded";
  REQUIRE(a->client->submit("customer.create", create_args("c2", "乙医院", "KH-1-0002"), 0, dev.now).ok());
  CHECK(a->client->status().storage_error.find("QuotaExceededError") != std::string::npos);
  CHECK(a->client->status().unsaved == 1);
  CHECK(a->client->status().pending == 2);
  CHECK(a->replica.customer("c2") != nullptr);
  CHECK(dev.db.outbox.size() == 1);            // the stored outbox is untouched by the failure

  // Storage still full at the next retry: nothing changes.
  dev.now += 5'000;
  a->client->tick(dev.now);
  CHECK(dev.db.outbox.size() == 1);
  // Space freed: the retry on the timer writes it.
  dev.db.fail_writes.clear();
  dev.now += 5'000;
  a->client->tick(dev.now);
  CHECK(dev.db.outbox.size() == 2);
  CHECK(a->client->status().storage_error.empty());
  CHECK(a->client->status().unsaved == 0);

  auto reloaded = dev.open_tab(true);
  CHECK(reloaded->client->status().pending == 2);
  CHECK(reloaded->replica.customer("c2") != nullptr);
  a.reset();
  reloaded->client->set_browser_online(true, dev.now);
  dev.run({reloaded.get()});
  CHECK(dev.server.applied_count == 2);
}

TEST_CASE("many pulled updates keep the stored page count bounded and a reload equal to the replica") {
  Device dev;
  auto cfg = Device::config();
  cfg.compaction.page_target = 50;
  cfg.compaction.small_page = 10;
  cfg.compact_every_pages = 2;
  auto a = dev.open_tab(true, cfg);
  for (int i = 0; i < 30; ++i)
    dev.server.put({"customer", "c" + std::to_string(i), "rep1", 1, false, encode(make_customer("c" + std::to_string(i), "客户"))});
  dev.run({a.get()});
  auto b = dev.open_tab(false, cfg);
  std::size_t most = 0;
  for (int round = 1; round <= 60; ++round) {
    const std::string id = "c" + std::to_string(round % 7);
    auto c = make_customer(id, "客户第" + std::to_string(round) + "版");
    c.meta.version = 1 + round;
    dev.server.put({"customer", id, "rep1", c.meta.version, false, encode(c)});
    dev.now += 31'000;   // the poll timer
    dev.run({a.get()});
    most = std::max(most, dev.db.pages.size());
  }
  CHECK(a->client->status().compactions > 0);
  CHECK(most <= 8);                            // 61 pages without compaction
  CHECK(a->client->page_index().size() == dev.db.pages.size());
  // A follower that watched compactions happen, and a fresh reload, both equal the leader.
  b->client->storage_changed(dev.now);
  dev.run({b.get()});
  auto fresh = dev.open_tab(false, cfg);
  for (int i = 0; i < 30; ++i) {
    const std::string id = "c" + std::to_string(i);
    REQUIRE(a->replica.customer(id));
    REQUIRE(fresh->replica.customer(id));
    REQUIRE(b->replica.customer(id));
    CHECK(fresh->replica.customer(id)->name == a->replica.customer(id)->name);
    CHECK(b->replica.customer(id)->name == a->replica.customer(id)->name);
  }
  CHECK(a->replica.customer("c4")->name == "客户第60版");
}

TEST_CASE("a file attached in a following tab is uploaded by the syncing tab before the advance that needs it") {
  Device dev;
  Opportunity o;
  o.meta = {"o1", "rep1", 1, 1, 1, false};
  o.customer_id = "c0";
  o.title = "骨科耗材";
  StageVisit v;
  v.stage = 0;
  v.entered_at = 1;
  o.stages.push_back(v);
  dev.server.put({"customer", "c0", "rep1", 1, false, encode(make_customer("c0", "杭州某医疗器械有限公司"))});
  dev.server.put({"opportunity", "o1", "rep1", 1, false, encode(o)});
  auto a = dev.open_tab(true);
  dev.run({a.get()});
  auto b = dev.open_tab(false);
  REQUIRE(b->replica.opportunity("o1"));

  const std::string pdf = "%PDF-1.4 需求确认书";
  const std::string sha = sha256_hex(pdf);
  EvidenceRef ev;
  ev.sha256 = sha;
  ev.file_name = "需求确认书.pdf";
  ev.mime_type = "application/pdf";
  ev.size_bytes = static_cast<std::int64_t>(pdf.size());
  ev.kind = "需求确认书";
  sync::Json args{{"id", "o1"}, {"from_stage", 0}, {"evidence", sync::Json::array({encode(ev)})}};
  REQUIRE(b->client->submit("opportunity.advance", args, 1, dev.now, {{sha, ev.file_name, ev.mime_type, pdf}}).ok());
  CHECK(dev.db.evidence.size() == 1);            // stored with the intent, in the same transaction
  dev.server.request_log.clear();
  a->client->storage_changed(dev.now);
  dev.run({a.get(), b.get()});
  REQUIRE(dev.server.request_log.size() >= 2);
  CHECK(dev.server.request_log[0] == "PUT /api/v1/evidence/" + sha);
  CHECK(dev.server.request_log[1] == "POST /api/v1/sync/push");
  CHECK(dev.server.evidence.count(sha) == 1);
  CHECK(dev.db.evidence.empty());
  CHECK(b->transport.queue.empty());
  b->client->storage_changed(dev.now);
  dev.run({a.get(), b.get()});
  CHECK(b->client->status().evidence_pending == 0);   // the follower sees the file has gone up
  CHECK(b->client->status().pending == 0);
  CHECK(b->replica.opportunity("o1")->stages.back().stage == 1);
}

TEST_CASE("a rejection shown in every tab can be dismissed in a following tab, and is gone everywhere") {
  Device dev;
  auto a = dev.open_tab(true);
  dev.run({a.get()});
  auto b = dev.open_tab(false);
  // A customer without its required fields: the server refuses it (the client's own check is
  // bypassed by writing the entry the way another app version would have).
  sync::Json bad = create_args("cx", "丙医院", "KH-1-0009");
  REQUIRE(b->client->submit("customer.create", bad, 0, dev.now).ok());
  dev.server.settings.required_customer_fields.push_back("address");   // stricter server rules
  a->client->storage_changed(dev.now);
  dev.run({a.get(), b.get()});
  REQUIRE(a->client->status().rejected == 1);
  b->client->storage_changed(dev.now);
  dev.run({a.get(), b.get()});
  REQUIRE(b->client->issues().size() == 1);
  const auto mid = b->client->issues()[0].mid;
  CHECK(mid > 0);
  CHECK(b->client->dismiss(mid, dev.now));
  CHECK(dev.db.outbox.empty());
  a->client->storage_changed(dev.now);
  dev.run({a.get(), b.get()});
  CHECK(a->client->issues().empty());
  CHECK(a->client->status().rejected == 0);
}

// Screens helper, issue 5: conflicts the user resolves (keep the server's value / re-apply mine),
// moving a stage back with a reason (R10), the guarded amount edit, the customer CSV export and the
// company settings the app takes from the server — all through a real SyncClient on the fake server.
#include <doctest/doctest.h>

#include "app/vm/company_settings.h"
#include "app/vm/conflict_vm.h"
#include "app/vm/customer_export.h"
#include "app/vm/field_app.h"
#include "app/vm/opportunity_card_vm.h"
#include "core/codec.h"
#include "core/csv.h"
#include "core/settings.h"
#include "vm_sync_fake_server.h"
#include "vm_test_fixtures.h"

using namespace cl;
using namespace cl::app;
using namespace cl::app::test;

namespace {

struct Bench {
  FakeServer server;
  FakeTransport transport;
  FakeStorage storage;
  LocalReplica replica;
  Settings settings = default_settings();
  std::unique_ptr<SyncClient> sync;
  Instant now = 1'780'000'000'000;

  Bench() {
    transport.server = &server;
    server.settings = settings;
    server.now = now;
    SyncClientConfig cfg;
    cfg.client_id = "dev-9";
    cfg.actor = {"rep1", Role::Rep, "t1"};
    cfg.settings = settings;
    sync = std::make_unique<SyncClient>(cfg, replica, transport, storage, [] { return 0.5; });
    auto c = make_customer("c0", "杭州某医疗器械有限公司", "13800138000");
    server.put({"customer", "c0", "rep1", 1, false, encode(c)});
    put_opportunity(1, 0, Money{12'000'000});
    run();
  }
  // The server's copy of o1 at `stage` (earlier stages left with evidence), version `version`.
  void put_opportunity(std::int64_t version, int stage, Money amount) {
    Opportunity o;
    o.meta = {"o1", "rep1", 1, 1, version, false};
    o.customer_id = "c0";
    o.title = "骨科耗材";
    o.expected_amount = amount;
    for (int s = 0; s <= stage; ++s) {
      StageVisit v;
      v.stage = s;
      v.entered_at = now - (10 - s) * kDay;
      if (s < stage) {
        v.left_at = now - (9 - s) * kDay;
        EvidenceRef e;
        e.sha256 = std::string(64, static_cast<char>('a' + s));
        e.file_name = "e.pdf";
        e.kind = settings.stages[static_cast<std::size_t>(s)].evidence_kinds.front();
        v.evidence.push_back(e);
      }
      o.stages.push_back(v);
    }
    server.put({"opportunity", "o1", "rep1", version, false, encode(o)});
  }
  void run() {
    for (int i = 0; i < 50; ++i) {
      sync->tick(now);
      if (!transport.deliver()) break;
    }
  }
  Opportunity server_opportunity() { return decode<Opportunity>(server.records.at({"opportunity", "o1"}).data).value; }
};

}  // namespace

TEST_CASE("a stage move made on a stale view comes back as a conflict with both stages, and keeping the server's clears it") {
  Bench b;
  b.sync->set_browser_online(false, b.now);
  OpportunityCardVM card;
  card.load(b.replica, b.settings, "o1", b.now);
  card.handle(AttachEvidence{"需求确认书.pdf", "application/pdf", "%PDF-1.4 x", ""}, b.now);
  REQUIRE(card.handle(AdvanceStage{}, b.replica, *b.sync, "rep1", "张三", b.now));
  // Meanwhile another device of the team moved it to stage ③.
  b.put_opportunity(2, 2, Money{12'000'000});
  b.sync->set_browser_online(true, b.now);
  b.run();

  auto rows = conflict_rows(*b.sync, b.replica);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].conflict.field == "stage");
  CHECK(rows[0].server_stage == 2);
  CHECK(rows[0].mine_stage == 1);
  CHECK(rows[0].record_title == "骨科耗材");
  CHECK(rows[0].reapply == ReapplyKind::MoveBack);   // mine is earlier: a move back, with a reason
  CHECK(b.replica.opportunity("o1")->stages.back().stage == 2);   // the replica shows the server's

  CHECK(b.storage.db->conflicts.find("\"stage\"") != std::string::npos);   // stored: survives a reload
  REQUIRE(keep_server_value(*b.sync, rows[0].index));
  CHECK(conflict_rows(*b.sync, b.replica).empty());
  CHECK(b.storage.db->conflicts.find("\"stage\"") == std::string::npos);   // and so is its resolution
}

TEST_CASE("an amount changed offline while the server's changed too: both shown, re-applying mine lands on the server") {
  Bench b;
  b.sync->set_browser_online(false, b.now);
  OpportunityCardVM card;
  card.load(b.replica, b.settings, "o1", b.now);
  REQUIRE(card.handle(UpdateExpectedAmount{Money{15'000'000}}, *b.sync, b.now));
  CHECK(b.replica.opportunity("o1")->expected_amount.fen == 15'000'000);   // optimistic
  b.put_opportunity(2, 0, Money{20'000'000});                              // the manager's change
  b.sync->set_browser_online(true, b.now);
  b.run();

  auto rows = conflict_rows(*b.sync, b.replica);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].conflict.field == "expected_amount_fen");
  CHECK(rows[0].conflict.server_value == 20'000'000);
  CHECK(rows[0].conflict.client_value == 15'000'000);
  CHECK(rows[0].reapply == ReapplyKind::Update);
  CHECK(b.server_opportunity().expected_amount.fen == 20'000'000);   // the server kept its value

  auto r = reapply_update(*b.sync, b.replica, rows[0].index, b.now);
  REQUIRE(r.ok());
  CHECK(conflict_rows(*b.sync, b.replica).empty());
  b.run();
  CHECK(b.server_opportunity().expected_amount.fen == 15'000'000);   // base = the server's value: applies
  CHECK(b.sync->conflicts().empty());
  CHECK(b.sync->status().pending == 0);
}

TEST_CASE("an amount edit on an unchanged record applies without a conflict, and a negative amount is refused") {
  Bench b;
  OpportunityCardVM card;
  card.load(b.replica, b.settings, "o1", b.now);
  CHECK_FALSE(card.handle(UpdateExpectedAmount{Money{-1}}, *b.sync, b.now));
  REQUIRE(card.problems().size() == 1);
  CHECK(card.problems()[0].field == "expected_amount_fen");
  REQUIRE(card.handle(UpdateExpectedAmount{Money{9'900'000}}, *b.sync, b.now));
  b.run();
  CHECK(b.sync->conflicts().empty());
  CHECK(b.server_opportunity().expected_amount.fen == 9'900'000);
}

TEST_CASE("moving a stage back needs an earlier stage and a reason, then syncs with the reason") {
  Bench b;
  b.put_opportunity(2, 2, Money{12'000'000});
  b.sync->request_pull(b.now);
  b.run();
  OpportunityCardVM card;
  card.load(b.replica, b.settings, "o1", b.now);
  REQUIRE(card.current_stage() == 2);
  REQUIRE(card.can_move_back());

  CHECK_FALSE(card.handle(MoveBackStage{1, "  "}, b.replica, *b.sync, "张三", b.now));
  REQUIRE(card.problems().size() == 1);
  CHECK(card.problems()[0].code == "reason_required");
  CHECK_FALSE(card.handle(MoveBackStage{2, "客户预算冻结"}, b.replica, *b.sync, "张三", b.now));
  CHECK(card.problems()[0].code == "invalid_stage");
  CHECK(b.sync->status().pending == 0);

  card.move_back_to = 1;
  REQUIRE(card.handle(MoveBackStage{1, "客户预算冻结"}, b.replica, *b.sync, "张三", b.now));
  CHECK(card.move_back_to == -1);   // the panel closes
  CHECK(card.summary_text().empty());   // no "推进到…" message to the customer for a step back
  card.load(b.replica, b.settings, "o1", b.now);
  CHECK(card.current_stage() == 1);
  b.run();
  const Opportunity o = b.server_opportunity();
  CHECK(o.stages.back().stage == 1);
  CHECK(o.stages.back().reason == "客户预算冻结");
}

TEST_CASE("stage ① cannot move back, and a preset from a conflict opens the panel on that card only") {
  Bench b;
  OpportunityCardVM card;
  card.open_move_back("o1", 0);
  card.load(b.replica, b.settings, "o1", b.now);
  CHECK(card.move_back_to == 0);   // preset kept for the card it was meant for
  CHECK_FALSE(card.can_move_back());
  CHECK_FALSE(card.handle(MoveBackStage{0, "原因"}, b.replica, *b.sync, "张三", b.now));
  card.load(b.replica, b.settings, "o2", b.now);
  CHECK(card.move_back_to == -1);
}

TEST_CASE("the customer CSV has a BOM, a translated header and the rows of the filtered list") {
  LocalReplica replica;
  replica.upsert(make_customer("c1", "杭州第一医院", "0571-1", "rep1", "杭州"));
  replica.upsert(make_customer("c2", "宁波口腔诊所, 分院", "0574-2", "rep1", "宁波"));
  replica.upsert(make_customer("c3", "杭州骨科医院", "0571-3", "rep2", "杭州"));
  CustomerListVM list;
  CustomerFilter f;
  f.region = "杭州";
  list.refresh(replica, f);
  REQUIRE(list.count() == 2);

  const std::string csv = customers_csv(replica, list, Lang::Zh);
  REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  CsvTable table = parse_csv(csv);
  REQUIRE(table.rows.size() == 3);
  CHECK(table.rows[0][1] == "机构全称");
  CHECK(table.rows[0][7] == "所属区域");
  for (std::size_t i = 1; i < 3; ++i) CHECK(table.rows[i][7] == "杭州");

  f.region = "宁波";
  list.refresh(replica, f);
  CsvTable en = parse_csv(customers_csv(replica, list, Lang::En));
  REQUIRE(en.rows.size() == 2);
  CHECK(en.rows[0][1] == "Organisation");
  CHECK(en.rows[1][1] == "宁波口腔诊所, 分院");   // the comma survives quoting
  CHECK(customers_csv_name(1'780'000'000'000, Lang::Zh).find(".csv") != std::string::npos);
}

TEST_CASE("company settings from the server are read bare or wrapped, get the seed's stages when they have none, and garbage is refused") {
  Settings s = default_settings();
  s.required_customer_fields.push_back("address");
  s.stages.clear();
  const std::string bare = encode(s).dump();
  auto a = parse_company_settings(bare);
  REQUIRE(a.ok());
  CHECK(a.value.required_customer_fields.back() == "address");
  CHECK(a.value.stages.size() == default_settings().stages.size());
  auto b = parse_company_settings(R"({"settings":)" + bare + "}");
  REQUIRE(b.ok());
  CHECK(b.value.required_customer_fields == a.value.required_customer_fields);
  CHECK_FALSE(parse_company_settings("<html>404</html>").ok());
  CHECK_FALSE(parse_company_settings("[1,2]").ok());
}

TEST_CASE("applying company settings makes the form require what the admin configured") {
  FakeServer server;
  FakeTransport transport;
  transport.server = &server;
  FakeStorage storage;
  SyncClientConfig cfg;
  cfg.client_id = "dev-3";
  cfg.actor = {"rep1", Role::Rep, "t1"};
  cfg.settings = default_settings();
  FieldApp app(cfg, transport, storage, 3, [] { return RandomBytes10{}; }, [] { return 0.5; });
  auto address_required = [&] {
    for (const auto& f : app.form.fields())
      if (f.key == "address") return f.required;
    return false;
  };
  CHECK_FALSE(address_required());
  Settings s = default_settings();
  s.required_customer_fields.push_back("address");
  apply_company_settings(app, s);
  CHECK(address_required());
  CHECK(app.sync.settings().required_customer_fields.back() == "address");
  CHECK(app.settings.required_customer_fields.back() == "address");
}

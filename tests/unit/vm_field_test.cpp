// The field view-models (issue 5): new-customer form (R4, R5), profile (R6), quick log (R8),
// opportunity card (R10, R12) — driven through a real SyncClient on the fake server.
#include <doctest/doctest.h>

#include "app/vm/customer_profile_vm.h"
#include "app/vm/funnel_widget_vm.h"
#include "app/vm/lifecycle_board_vm.h"
#include "app/vm/new_customer_form_vm.h"
#include "app/vm/opportunity_card_vm.h"
#include "app/vm/quick_log_vm.h"
#include "core/codec.h"
#include "core/money.h"
#include "core/settings.h"
#include "core/sha256.h"
#include "vm_sync_fake_server.h"
#include "vm_test_fixtures.h"

using namespace cl;
using namespace cl::app;
using namespace cl::app::test;

namespace {

struct Field {
  FakeServer server;
  FakeTransport transport;
  FakeStorage storage;
  LocalReplica replica;
  Settings settings = default_settings();
  std::unique_ptr<SyncClient> sync;
  int counter = 0;
  IdSource ids{7, [this] {
                 RandomBytes10 r{};
                 r[0] = static_cast<std::uint8_t>(++counter);
                 return r;
               }};
  Instant now = 1'780'000'000'000;

  Field() {
    transport.server = &server;
    server.settings = settings;
    server.now = now;
    SyncClientConfig cfg;
    cfg.client_id = "dev-7";
    cfg.actor = {"rep1", Role::Rep, "t1"};
    cfg.settings = settings;
    sync = std::make_unique<SyncClient>(cfg, replica, transport, storage, [] { return 0.5; });
  }
  void run() {
    for (int i = 0; i < 50; ++i) {
      sync->tick(now);
      if (!transport.deliver()) break;
    }
  }
  void fill(NewCustomerFormVM& f, const std::string& name, const std::string& phone) {
    f.name = name;
    f.decision_maker = "王主任";
    f.decision_maker_title = "设备科主任";
    f.phone = phone;
    f.main_business = "医疗器械";
    for (const auto& g : settings.tag_groups)
      if (g.required && !g.values.empty()) f.tags[g.key] = g.values.front();
  }
  void seed_opportunity() {
    auto c = make_customer("c0", "杭州某医疗器械有限公司", "13800138000");
    server.put({"customer", "c0", "rep1", 1, false, encode(c)});
    Opportunity o;
    o.meta = {"o1", "rep1", 1, 1, 1, false};
    o.customer_id = "c0";
    o.title = "骨科耗材";
    o.expected_amount = Money{12'000'000};
    StageVisit v;
    v.entered_at = now - 3 * kDay;
    o.stages.push_back(v);
    server.put({"opportunity", "o1", "rep1", 1, false, encode(o)});
    run();
  }
};

}  // namespace

TEST_CASE("the new-customer form names every missing required field and tag and queues nothing") {
  Field f;
  NewCustomerFormVM form(f.settings);
  form.name = "杭州某医疗器械有限公司";
  auto r = form.handle(SubmitNewCustomer{}, f.replica, *f.sync, f.ids, "rep1", f.now);
  CHECK_FALSE(r.ok());
  for (const char* field : {"decision_maker", "decision_maker_title", "phone", "main_business"})
    CHECK_MESSAGE(form.problem_for(field) != nullptr, field);
  CHECK(form.problem_for("name") == nullptr);
  int tag_problems = 0;
  for (const auto& p : form.problems()) tag_problems += p.field.rfind("tags.", 0) == 0;
  int required_groups = 0;
  for (const auto& g : f.settings.tag_groups) required_groups += g.required;
  CHECK(tag_problems == required_groups);
  CHECK(required_groups >= 3);  // R4: customer type, region, first channel
  CHECK(f.sync->status().pending == 0);
}

TEST_CASE("a valid new customer is saved offline with a device code and shown at once") {
  Field f;
  f.sync->set_browser_online(false, f.now);
  NewCustomerFormVM form(f.settings);
  f.fill(form, "杭州某医疗器械有限公司", "0571-88881234");
  auto r = form.handle(SubmitNewCustomer{}, f.replica, *f.sync, f.ids, "rep1", f.now);
  REQUIRE_MESSAGE(r.ok(), (r.problems.empty() ? "" : r.problems[0].message_en));
  const Customer* c = f.replica.customer(r.value);
  REQUIRE(c);
  CHECK(c->code == customer_code(7, 1));
  CHECK(is_uuid_v7(c->meta.id));
  CHECK(f.sync->status().pending == 1);
  CHECK(form.name.empty());  // reset for the next one
  f.sync->set_browser_online(true, f.now);
  f.run();
  CHECK(f.server.records.count({"customer", r.value}) == 1);
}

TEST_CASE("a second customer from the same device gets the next code") {
  Field f;
  NewCustomerFormVM form(f.settings);
  f.fill(form, "甲医院", "13800000001");
  auto a = form.handle(SubmitNewCustomer{}, f.replica, *f.sync, f.ids, "rep1", f.now);
  f.fill(form, "乙诊所", "13800000002");
  auto b = form.handle(SubmitNewCustomer{}, f.replica, *f.sync, f.ids, "rep1", f.now + 1);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(f.replica.customer(b.value)->code == customer_code(7, 2));
}

TEST_CASE("the form warns about a duplicate name or phone and saves only after confirmation") {
  Field f;
  f.replica.upsert(make_customer("old", "杭州某医疗器械有限公司", "13800138000"));
  NewCustomerFormVM form(f.settings);
  f.fill(form, "杭州某医疗器械", "13900000000");
  form.check_duplicates(f.replica);
  REQUIRE(form.duplicates().size() >= 1);
  CHECK(form.duplicates()[0].id == "old");
  auto r = form.handle(SubmitNewCustomer{}, f.replica, *f.sync, f.ids, "rep1", f.now);
  CHECK_FALSE(r.ok());
  CHECK(r.problems[0].code == "possible_duplicate");
  form.handle(AcknowledgeDuplicate{"old"});
  CHECK(form.handle(SubmitNewCustomer{}, f.replica, *f.sync, f.ids, "rep1", f.now).ok());

  NewCustomerFormVM by_phone(f.settings);
  f.fill(by_phone, "完全不同的名字", "138-0013-8000");
  by_phone.check_duplicates(f.replica);
  REQUIRE_FALSE(by_phone.duplicates().empty());
  CHECK(by_phone.duplicates()[0].id == "old");
}

TEST_CASE("quick log records a visit in two taps with a default summary") {
  Field f;
  f.seed_opportunity();
  QuickLogVM q;
  q.choose(ActivityKind::Call);  // tap 1
  auto r = q.handle(QuickLog{"c0", "", q.chosen(), q.summary}, "电话沟通", *f.sync, f.ids, "rep1", f.now);  // tap 2
  REQUIRE(r.ok());
  const Activity* a = f.replica.activity(r.value);
  REQUIRE(a);
  CHECK(a->kind == ActivityKind::Call);
  CHECK(a->summary == "电话沟通");
  CHECK(a->customer_id == "c0");
  CHECK_FALSE(q.has_choice());
  f.run();
  CHECK(f.server.records.count({"activity", r.value}) == 1);
}

TEST_CASE("the profile shows the last three interactions, open opportunities and the payment timeline") {
  LocalReplica r;
  auto c = make_customer("c1", "甲医院");
  c.owner_history.push_back({"rep2", "rep1", 50, "admin", "handover"});
  c.tags["repurchase"] = "复购预备期";
  r.upsert(c);
  for (int i = 0; i < 5; ++i)
    r.upsert(make_activity("a" + std::to_string(i), "c1", ActivityKind::Visit, 100 + i, "第" + std::to_string(i) + "次"));
  Opportunity open;
  open.meta.id = "o1";
  open.customer_id = "c1";
  Opportunity won = open;
  won.meta.id = "o2";
  won.status = OpportunityStatus::Won;
  r.upsert(open);
  r.upsert(won);
  Invoice inv;
  inv.meta.id = "i1";
  inv.customer_id = "c1";
  inv.code = "FP-1";
  inv.amount = yuan(1000);
  inv.status = InvoiceStatus::Issued;
  inv.issued_on = {2026, 10, 1};
  inv.due_on = {2026, 10, 31};
  r.upsert(inv);
  Payment pay;
  pay.meta.id = "p1";
  pay.customer_id = "c1";
  pay.amount = yuan(400);
  pay.received_on = {2026, 10, 15};
  r.upsert(pay);

  CustomerProfileVM vm;
  const auto& p = vm.load(r, "c1");
  REQUIRE(p.found);
  REQUIRE(p.last_interactions.size() == 3);
  CHECK(p.last_interactions[0].meta.id == "a4");
  CHECK(p.last_interactions[2].meta.id == "a2");
  REQUIRE(p.open_opportunities.size() == 1);
  CHECK(p.open_opportunities[0].meta.id == "o1");
  REQUIRE(p.payment_timeline.size() == 3);
  CHECK(p.payment_timeline[0].what == "invoice_issued");
  CHECK(p.payment_timeline[1].what == "payment");
  CHECK(p.payment_timeline[2].what == "invoice_due");
  CHECK(p.paid == yuan(400));
  CHECK(p.repurchase_prep);
  CHECK(p.owner_history.size() == 1);
  CHECK_FALSE(vm.load(r, "nobody").found);
}

TEST_CASE("tel links keep only digits and a leading plus") {
  CHECK(tel_uri("0571-8888 1234") == "tel:057188881234");
  CHECK(tel_uri("+86 138 0013 8000") == "tel:+8613800138000");
}

TEST_CASE("the opportunity card refuses to advance without evidence and says why") {
  Field f;
  f.seed_opportunity();
  OpportunityCardVM card;
  card.load(f.replica, f.settings, "o1", f.now);
  REQUIRE(card.found());
  CHECK(card.current_stage() == 0);
  REQUIRE(card.stages().size() == 5);
  CHECK(card.stages()[0].state == StageState::Current);
  CHECK(card.stages()[0].dwell_ms == 3 * kDay);
  CHECK_FALSE(card.handle(AdvanceStage{}, f.replica, *f.sync, "rep1", "张三", f.now));
  REQUIRE(card.problems().size() == 1);
  CHECK(card.problems()[0].code == "evidence_required");
  CHECK(f.sync->status().pending == 0);
}

TEST_CASE("advancing with a PDF hashes it, queues upload and move, and produces the stage summary") {
  Field f;
  f.seed_opportunity();
  f.sync->set_browser_online(false, f.now);
  OpportunityCardVM card;
  card.load(f.replica, f.settings, "o1", f.now);
  std::string pdf = "%PDF-1.4\n需求确认书\n%%EOF";
  card.handle(AttachEvidence{"需求确认书.pdf", "application/pdf", pdf, ""}, f.now);
  card.handle(AttachEvidence{"需求确认书.pdf", "application/pdf", pdf, ""}, f.now);  // same file twice
  REQUIRE(card.attached().size() == 1);
  CHECK(card.attached()[0].sha256 == sha256_hex(pdf));
  CHECK(card.attached()[0].kind == card.evidence_kinds().front());
  REQUIRE(card.handle(AdvanceStage{}, f.replica, *f.sync, "rep1", "张三", f.now));
  CHECK(card.summary_text().find("杭州某医疗器械有限公司") != std::string::npos);
  card.load(f.replica, f.settings, "o1", f.now);
  CHECK(card.current_stage() == 1);
  CHECK(card.stages()[0].state == StageState::Done);
  CHECK(f.sync->status().evidence_pending == 1);

  f.sync->set_browser_online(true, f.now);
  f.run();
  CHECK(f.server.evidence.count(sha256_hex(pdf)) == 1);
  auto o = decode<Opportunity>(f.server.records.at({"opportunity", "o1"}).data).value;
  CHECK(o.stages.back().stage == 1);
}

TEST_CASE("the opportunities list shows open ones first with their stage names") {
  Field f;
  f.seed_opportunity();
  auto rows = opportunity_rows(f.replica, f.settings, "rep1");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].customer_name == "杭州某医疗器械有限公司");
  CHECK(rows[0].stage_name_zh == f.settings.stages[0].name_zh);
  CHECK(opportunity_rows(f.replica, f.settings, "rep9").empty());
}

TEST_CASE("the funnel widget counts my open opportunities per stage and follows replica changes") {
  LocalReplica r;
  Settings s = default_settings();
  auto opp = [](const std::string& id, const std::string& owner, int stage, Instant entered) {
    Opportunity o;
    o.meta.id = id;
    o.meta.owner_id = owner;
    o.meta.created_at = entered;
    for (int i = 0; i <= stage; ++i) {
      StageVisit v;
      v.stage = i;
      v.entered_at = entered + i * kDay;
      if (i < stage) v.left_at = entered + (i + 1) * kDay;
      o.stages.push_back(v);
    }
    return o;
  };
  const Instant now = 100 * kDay;
  r.upsert(opp("o1", "rep1", 0, now - kDay));
  r.upsert(opp("o2", "rep1", 1, now - 5 * kDay));
  r.upsert(opp("o3", "rep2", 1, now - 5 * kDay));
  FunnelWidgetVM vm;
  const Funnel& f = vm.load(r, s, "rep1", now);
  REQUIRE(f.stages.size() == 5);
  CHECK(f.stages[0].open_now == 1);
  CHECK(f.stages[1].open_now == 1);
  CHECK(f.open_total == 2);
  CHECK(f.stages[0].mean_dwell_ms > 0);
  r.upsert(opp("o4", "rep1", 1, now - 2 * kDay));
  CHECK(vm.load(r, s, "rep1", now).stages[1].open_now == 2);
}

TEST_CASE("the lifecycle board places customers by their facts and filters by region") {
  LocalReplica r;
  Settings s = default_settings();
  const Instant now = 400 * kDay;
  r.upsert(make_customer("new", "新客户", "", "rep1", "杭州", now - kDay));
  r.upsert(make_customer("talk", "已接触", "", "rep1", "宁波", now - 2 * kDay));
  r.upsert(make_activity("a1", "talk", ActivityKind::Call, now - kDay));
  r.upsert(make_customer("opp", "商机中", "", "rep1", "杭州", now - 3 * kDay));
  Opportunity o;
  o.meta.id = "o1";
  o.customer_id = "opp";
  StageVisit v;
  v.entered_at = now - kDay;
  o.stages.push_back(v);
  r.upsert(o);
  r.upsert(make_activity("a2", "opp", ActivityKind::Visit, now - kDay));
  LifecycleBoardVM vm;
  const auto& b = vm.load(r, s, {}, now);
  CHECK(b.total == 3);
  auto column_of = [&](const Id& id) {
    for (const auto& col : b.columns)
      for (const auto& cid : col.customer_ids)
        if (cid == id) return col.stage;
    return Lifecycle::Dormant;
  };
  CHECK(column_of("new") == Lifecycle::New);
  CHECK(column_of("talk") == Lifecycle::Contacted);
  CHECK(column_of("opp") == Lifecycle::Opportunity);
  LifecycleFilter f;
  f.region = "宁波";
  CHECK(vm.load(r, s, f, now).total == 1);
}

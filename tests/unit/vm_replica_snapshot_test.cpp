// The replica snapshot (app/vm/replica_snapshot.h, issue 5 cold start): every field of every record
// kind survives the binary round trip, and bytes that can't be trusted — flipped, truncated, from
// another format — are refused (the caller then reads the JSON pages).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>

#include "app/vm/byte_codec.h"
#include "app/vm/replica_snapshot.h"
#include "core/codec.h"

using namespace cl;
using namespace cl::app;

namespace {

RecordMeta meta(const std::string& id) { return {id, "rep7", 1'700'000'000'001, 1'700'000'000'002, 5, true}; }
EvidenceRef evidence() { return {"ab12", "合同.pdf", "application/pdf", 12345, "合同扫描件", "rep7", 1'700'000'000'003}; }
Contact contact() { return {"李四", "采购经理", "13800000000", true}; }
OwnerChange owner_change() { return {"rep1", "rep7", 1'700'000'000'004, "manager1", "handover"}; }
StageVisit stage_visit() {
  return {3, 1'700'000'000'005, 1'700'000'000'006, "rep7", {evidence()}, "客户要求重新报价",
          1'700'000'000'007, 1'700'000'000'008, 1'700'000'000'009, "manager1"};
}
QuoteLine quote_line() { return {"p1", "GK-200", "骨科钻", 3, Money{120'000}, 1250}; }

// One record of each kind with EVERY field away from its default (checked below).
Customer full_customer() {
  Customer c;
  c.meta = meta("c1");
  c.code = "KH-0AB-000001"; c.name = "杭州某医疗器械有限公司"; c.decision_maker = "王主任";
  c.decision_maker_title = "院长"; c.phone = "0571-88881234"; c.main_business = "骨科耗材";
  c.address = "杭州市西湖区1号"; c.contacts = {contact(), contact()};
  c.tags = {{"region", "杭州"}, {"customer_type", "三甲医院"}}; c.custom = {{"床位", "1200"}};
  c.contact_authorised = true; c.source_lead_id = "l1"; c.owner_history = {owner_change()};
  return c;
}
Opportunity full_opportunity() {
  Opportunity o;
  o.meta = meta("o1");
  o.customer_id = "c1"; o.title = "骨科耗材年度采购"; o.expected_amount = Money{5'000'000};
  o.product_ids = {"p1", "p2"}; o.status = OpportunityStatus::Lost; o.close_reason = "预算取消";
  o.closed_at = 1'700'000'000'010; o.stages = {stage_visit(), stage_visit()};
  return o;
}
Activity full_activity() {
  Activity a;
  a.meta = meta("a1");
  a.kind = ActivityKind::PaymentChased; a.at = 1'700'000'000'011; a.customer_id = "c1"; a.opportunity_id = "o1";
  a.lead_id = "l1"; a.summary = "电话跟进"; a.outcome = "下周付款";
  return a;
}
Lead full_lead() {
  Lead l;
  l.meta = meta("l1");
  l.company = "宁波某诊所"; l.contact_name = "赵医生"; l.phone = "13900000000"; l.source = "展会名单";
  l.region = "宁波"; l.note = "对口腔器械感兴趣"; l.status = LeadStatus::Converted; l.import_batch_id = "b1";
  l.imported_at = 1'700'000'000'012; l.assigned_at = 1'700'000'000'013; l.first_touched_at = 1'700'000'000'014;
  l.first_touched_by = "rep7"; l.last_outcome = "约拜访"; l.qualified_at = 1'700'000'000'015;
  l.converted_at = 1'700'000'000'016; l.converted_customer_id = "c1"; l.converted_opportunity_id = "o1";
  l.drop_reason = "重复线索";
  return l;
}
Quote full_quote() {
  Quote q;
  q.meta = meta("q1");
  q.code = "BJ-001"; q.customer_id = "c1"; q.opportunity_id = "o1"; q.price_list_id = "pl1";
  q.quote_date = {2026, 11, 27}; q.valid_until = {2026, 12, 27}; q.lines = {quote_line()};
  q.status = QuoteStatus::Superseded; q.approved_by = "manager1"; q.approved_at = 1'700'000'000'017;
  q.approval_note = "同意"; q.based_on_quote_id = "q0";
  return q;
}
Invoice full_invoice() {
  Invoice i;
  i.meta = meta("i1");
  i.code = "FP-001"; i.contract_id = "k1"; i.customer_id = "c1"; i.amount = Money{360'000};
  i.status = InvoiceStatus::Paid; i.requested_on = {2026, 1, 2}; i.issued_on = {2026, 1, 3}; i.due_on = {2026, 2, 3};
  return i;
}
Payment full_payment() {
  Payment p;
  p.meta = meta("y1");
  p.invoice_id = "i1"; p.customer_id = "c1"; p.amount = Money{360'000}; p.received_on = {2026, 2, 1};
  p.method = "银行转账"; p.reference = "SLIP-9";
  return p;
}

// Every key the codec writes for the default value differs in the fixture's encoding.
void check_every_field_set(const nlohmann::json& fixture, const nlohmann::json& defaults, const char* what) {
  for (auto it = defaults.begin(); it != defaults.end(); ++it) {
    if (it.key() == "schema_version") continue;
    INFO(what << "." << it.key() << " is left at its default in the fixture");
    CHECK(fixture.value(it.key(), nlohmann::json()) != it.value());
  }
}

LocalReplica full_replica() {
  LocalReplica r;
  r.upsert(full_customer());
  Customer other = full_customer();
  other.meta.id = "c2";
  other.code = "KH-0AB-000002";
  other.contacts.clear();
  other.tags.clear();
  r.upsert(other);
  r.upsert(full_opportunity());
  r.upsert(full_activity());
  r.upsert(full_lead());
  r.upsert(full_quote());
  r.upsert(full_invoice());
  r.upsert(full_payment());
  return r;
}

std::vector<StoredPageInfo> page_index() {
  return {{3, {{record_hash("customer", "c1"), false}, {record_hash("customer", "c9"), true}}},
          {5, {{record_hash("activity", "a1"), false}}}};
}

// Bytes → body with a fresh checksum (to forge a snapshot that only differs where a test says).
std::string with_checksum(std::string body) {
  const std::uint64_t sum = checksum64(body);
  char s[8];
  std::memcpy(s, &sum, 8);
  return body + std::string(s, 8);
}

}  // namespace

TEST_CASE("snapshot fixtures set every field the codec writes, so the round trip below covers them all") {
  check_every_field_set(encode(full_customer()), encode(Customer{}), "Customer");
  check_every_field_set(encode(contact()), encode(Contact{}), "Contact");
  check_every_field_set(encode(owner_change()), encode(OwnerChange{}), "OwnerChange");
  check_every_field_set(encode(full_opportunity()), encode(Opportunity{}), "Opportunity");
  check_every_field_set(encode(stage_visit()), encode(StageVisit{}), "StageVisit");
  check_every_field_set(encode(evidence()), encode(EvidenceRef{}), "EvidenceRef");
  check_every_field_set(encode(full_activity()), encode(Activity{}), "Activity");
  check_every_field_set(encode(full_lead()), encode(Lead{}), "Lead");
  check_every_field_set(encode(full_quote()), encode(Quote{}), "Quote");
  check_every_field_set(encode(quote_line()), encode(QuoteLine{}), "QuoteLine");
  check_every_field_set(encode(full_invoice()), encode(Invoice{}), "Invoice");
  check_every_field_set(encode(full_payment()), encode(Payment{}), "Payment");
}

TEST_CASE("a snapshot gives back every record of every kind field for field, and the page index") {
  const LocalReplica original = full_replica();
  const std::string bytes = encode_snapshot(original, page_index(), {5, 2});
  LocalReplica loaded;
  loaded.upsert(Customer{});   // whatever was there before is replaced
  auto decoded = decode_snapshot(bytes, loaded);
  REQUIRE(decoded.has_value());
  CHECK(decoded->info == SnapshotInfo{5, 2});
  CHECK(decoded->pages.size() == 2);
  CHECK(decoded->pages[0].key == 3);
  CHECK(decoded->pages[0].changes == page_index()[0].changes);
  CHECK(decoded->pages[1].changes == page_index()[1].changes);
  CHECK(loaded.size() == original.size());
  for (const auto& [id, c] : original.customers()) {
    REQUIRE(loaded.customer(id) != nullptr);
    CHECK(encode(*loaded.customer(id)) == encode(c));
  }
  CHECK(encode(*loaded.opportunity("o1")) == encode(full_opportunity()));
  CHECK(encode(*loaded.activity("a1")) == encode(full_activity()));
  CHECK(encode(*loaded.lead("l1")) == encode(full_lead()));
  CHECK(encode(*loaded.quote("q1")) == encode(full_quote()));
  CHECK(encode(loaded.invoices().at("i1")) == encode(full_invoice()));
  CHECK(encode(loaded.payments().at("y1")) == encode(full_payment()));
  // The indexes are rebuilt too (R6 profile reads them).
  CHECK(loaded.activities_of_customer("c1").size() == 1);
  CHECK(loaded.opportunities_of_customer("c1").size() == 1);
  CHECK(loaded.customer_code_taken("KH-0AB-000002"));
}

TEST_CASE("a snapshot load is one new generation with no journal, and later writes are journalled again") {
  // Readers (the customers list, the tag counts) follow the journal and rebuild when the generation
  // changes; the load journals nothing, so a reader that had read the journal must see a new generation.
  LocalReplica loaded;
  loaded.upsert(full_customer());
  const auto generation = loaded.generation();
  const auto revision = loaded.revision();
  REQUIRE(decode_snapshot(encode_snapshot(full_replica(), page_index(), {5, 2}), loaded).has_value());
  CHECK(loaded.generation() > generation);
  CHECK(loaded.revision() > revision);
  CHECK(loaded.journal().empty());
  Customer c = full_customer();
  c.meta.id = "c-new";
  c.code = "KH-0AB-000099";
  loaded.upsert(c);
  REQUIRE(loaded.journal().size() == 1);
  CHECK(loaded.journal()[0].id == "c-new");
  CHECK(loaded.journal()[0].revision == loaded.revision());
  CHECK(loaded.customer_id_by_code("KH-0AB-000099") != nullptr);
  c.name = "改名";
  loaded.upsert(c);
  CHECK(loaded.journal().size() == 2);
  // bulk_put outside a bulk load is an upsert: journalled and indexed.
  Activity a = full_activity();
  a.meta.id = "a-new";
  a.customer_id = "c-new";
  loaded.bulk_put(std::move(a));
  CHECK(loaded.journal().size() == 3);
  CHECK(loaded.activities_of_customer("c-new").size() == 1);
}

TEST_CASE("after a snapshot load the indexes by customer, opportunity and code are right, built on first use") {
  const std::string bytes = encode_snapshot(full_replica(), page_index(), {5, 2});
  // Writes before any query (a pulled page applied right after the load), then queries.
  LocalReplica r;
  REQUIRE(decode_snapshot(bytes, r).has_value());
  Activity moved = full_activity();
  moved.customer_id = "c2";
  moved.opportunity_id = "";
  r.upsert(moved);
  r.erase(RecordKind::Opportunity, "o1");
  Customer renamed = *r.customer("c1");
  renamed.code = "KH-0AB-000077";
  r.upsert(renamed);
  CHECK(r.activities_of_customer("c1").empty());
  REQUIRE(r.activities_of_customer("c2").size() == 1);
  CHECK(r.activities_of_customer("c2")[0]->meta.id == "a1");
  CHECK(r.activities_of_opportunity("o1").empty());
  CHECK(r.opportunities_of_customer("c1").empty());
  CHECK(r.quotes_of_customer("c1").size() == 1);
  CHECK(r.invoices_of_customer("c1").size() == 1);
  CHECK(r.payments_of_customer("c1").size() == 1);
  CHECK_FALSE(r.customer_code_taken("KH-0AB-000001"));
  REQUIRE(r.customer_id_by_code("KH-0AB-000077") != nullptr);
  CHECK(*r.customer_id_by_code("KH-0AB-000077") == "c1");
  // Once built, writes keep them up to date.
  moved.customer_id = "c1";
  r.upsert(moved);
  CHECK(r.activities_of_customer("c2").empty());
  CHECK(r.activities_of_customer("c1").size() == 1);
  r.erase(RecordKind::Customer, "c1");
  CHECK_FALSE(r.customer_code_taken("KH-0AB-000077"));
}

TEST_CASE("a snapshot's activities load deferred: decoded by the first read or in slices, later writes win") {
  // Issue 5 cold start: the load checks the activities' bytes and keeps them undecoded; the replica
  // still holds them for every reader.
  LocalReplica original = full_replica();
  Activity a2 = full_activity();
  a2.meta.id = "a2";
  a2.summary = "第二次拜访";
  original.upsert(a2);
  Activity a3 = full_activity();
  a3.meta.id = "a3";
  a3.customer_id = "c2";
  a3.opportunity_id = "";
  original.upsert(a3);
  const std::string bytes = encode_snapshot(original, page_index(), {5, 2});
  LocalReplica r;
  REQUIRE(decode_snapshot(bytes, r).has_value());
  REQUIRE(r.deferred_activities() == 3);
  const auto revision = r.revision();

  SUBCASE("slices, then every record field for field") {
    r.decode_deferred(r.deferred_customers() + 2);   // customers first
    CHECK(r.deferred_customers() == 0);
    CHECK(r.deferred_activities() == 1);
    r.decode_deferred(5);
    CHECK(r.deferred_activities() == 0);
    CHECK(r.revision() == revision);   // the records were there all along: nothing to journal
    CHECK(r.journal().empty());
    REQUIRE(r.activities().size() == 3);
    for (const auto& [id, a] : original.activities()) {
      REQUIRE(r.activity(id) != nullptr);
      CHECK(encode(*r.activity(id)) == encode(a));
    }
  }
  SUBCASE("any read decodes them all first") {
    CHECK(r.activities_of_customer("c1").size() == 2);
    CHECK(r.deferred_activities() == 0);
    CHECK(r.activities_of_opportunity("o1").size() == 2);
    CHECK(r.size() == original.size());
  }
  SUBCASE("an upsert made meanwhile is newer than the deferred copy; a new one is kept") {
    Activity moved = full_activity();
    moved.summary = "改到客户二";
    moved.customer_id = "c2";
    r.upsert(moved);
    Activity fresh = full_activity();
    fresh.meta.id = "a9";
    r.upsert(fresh);
    CHECK(r.deferred_activities() == 3);   // a write doesn't need them decoded
    REQUIRE(r.journal().size() == 2);
    CHECK(r.activity("a1")->summary == "改到客户二");
    CHECK(r.activities().size() == 4);
    CHECK(r.activities_of_customer("c2").size() == 2);   // a1 (moved) and a3
    CHECK(r.activities_of_customer("c1").size() == 2);   // a2 and a9
  }
  SUBCASE("an erase made meanwhile is not undone by the deferred copy") {
    r.erase(RecordKind::Activity, "a2");
    CHECK(r.activity("a2") == nullptr);
    CHECK(r.activities().size() == 2);
    CHECK(r.activities_of_customer("c1").size() == 1);
  }
  SUBCASE("clear and a new load drop them") {
    r.clear();
    CHECK(r.deferred_activities() == 0);
    CHECK(r.activities().empty());
    LocalReplica small;
    small.upsert(full_customer());
    REQUIRE(decode_snapshot(bytes, r).has_value());
    REQUIRE(decode_snapshot(encode_snapshot(small, {}, {1, 1}), r).has_value());
    CHECK(r.deferred_activities() == 0);
    CHECK(r.activities().empty());
    CHECK(r.customers().size() == 1);
  }
}

TEST_CASE("a snapshot's customers load deferred: listed by id and time, peeked for display, decoded when read") {
  // Issue 5 cold start: the customers list draws its first frame from ids and update times, and the
  // rows it shows; the rest decodes after that frame. The replica holds every customer throughout.
  LocalReplica original = full_replica();
  for (int i = 3; i <= 40; ++i) {
    Customer c = full_customer();
    c.meta.id = "c" + std::to_string(i);
    c.meta.updated_at = 1'700'000'000'000 + i * 7 % 13;
    c.code = "KH-0AB-" + std::to_string(100 + i);
    c.name = "客户" + std::to_string(i) + "号医院";
    original.upsert(c);
  }
  const std::string bytes = encode_snapshot(original, page_index(), {5, 2});
  LocalReplica r;
  REQUIRE(decode_snapshot(bytes, r).has_value());
  REQUIRE(r.deferred_customers() == 40);
  CHECK(r.customer_count_estimate() == 40);
  const auto revision = r.revision();

  // Every customer's id and update time, and a hint that reads it alone.
  std::vector<LocalReplica::CustomerHead> heads;
  r.customer_heads(heads);
  REQUIRE(heads.size() == 40);
  std::map<Id, Instant> seen;
  for (const auto& h : heads) {
    REQUIRE(original.customer(Id(h.id)) != nullptr);
    CHECK(h.updated_at == original.customer(Id(h.id))->meta.updated_at);
    CHECK(h.hint > 0);
    seen[Id(h.id)] = h.updated_at;
    Customer scratch;
    const Customer* c = r.peek_customer(Id(h.id), h.hint, scratch);
    REQUIRE(c == &scratch);
    CHECK(encode(*c) == encode(*original.customer(Id(h.id))));
  }
  CHECK(seen.size() == 40);
  CHECK(r.deferred_customers() == 40);   // listing and peeking decoded nothing
  // Written in the customers list's order (most recently changed first, then by id): the list
  // finds a cold start's order sorted already.
  CHECK(std::is_sorted(heads.begin(), heads.end(), [](const auto& a, const auto& b) {
    return a.updated_at != b.updated_at ? a.updated_at > b.updated_at : a.id < b.id;
  }));

  SUBCASE("a hint that doesn't match the id decodes them all, as customer() does") {
    Customer scratch;
    const Customer* c = r.peek_customer("c7", heads[0].id == "c7" ? heads[1].hint : heads[0].hint, scratch);
    REQUIRE(c != nullptr);
    CHECK(c != &scratch);
    CHECK(c->name == "客户7号医院");
    CHECK(r.deferred_customers() == 0);
    CHECK(r.peek_customer("nobody", 0, scratch) == nullptr);
  }
  SUBCASE("slices, then every record field for field; nothing journalled") {
    r.decode_deferred(15);
    CHECK(r.deferred_customers() == 25);
    CHECK(r.deferred_activities() == 1);
    r.customer_heads(heads);   // decoded and deferred alike, each once
    CHECK(heads.size() == 40);
    Customer scratch;
    for (const auto& h : heads) {
      const Customer* c = r.peek_customer(Id(h.id), h.hint, scratch);
      REQUIRE(c != nullptr);
      CHECK(c->meta.id == Id(h.id));
    }
    CHECK(r.deferred_customers() == 25);
    r.decode_deferred(100);
    CHECK(r.deferred_customers() == 0);
    CHECK(r.deferred_activities() == 0);
    CHECK(r.revision() == revision);
    CHECK(r.journal().empty());
    REQUIRE(r.customers().size() == 40);
    for (const auto& [id, c] : original.customers()) {
      REQUIRE(r.customer(id) != nullptr);
      CHECK(encode(*r.customer(id)) == encode(c));
    }
  }
  SUBCASE("each read path decodes them first") {
    SUBCASE("customer()") { CHECK(r.customer("c12")->name == "客户12号医院"); }
    SUBCASE("customers()") { CHECK(r.customers().size() == 40); }
    SUBCASE("a code look-up") { CHECK(r.customer_code_taken("KH-0AB-112")); }
    SUBCASE("size()") { CHECK(r.size() == original.size()); }
    CHECK(r.deferred_customers() == 0);
  }
  SUBCASE("a write made meanwhile is newer than the deferred copy, and listed once") {
    Customer edited = *original.customer("c9");
    edited.name = "改过的名字";
    edited.meta.updated_at = 1'800'000'000'000;
    r.upsert(edited);
    Customer fresh = full_customer();
    fresh.meta.id = "c99";
    fresh.code = "KH-0AB-999";
    r.upsert(fresh);
    CHECK(r.deferred_customers() == 40);   // a write doesn't need them decoded
    r.customer_heads(heads);
    REQUIRE(heads.size() == 41);
    int c9 = 0;
    for (const auto& h : heads)
      if (h.id == "c9") {
        ++c9;
        CHECK(h.updated_at == 1'800'000'000'000);
        CHECK(h.hint == 0);
      }
    CHECK(c9 == 1);
    Customer scratch;
    CHECK(r.peek_customer("c9", 0, scratch)->name == "改过的名字");
    CHECK(r.deferred_customers() == 40);
    r.decode_deferred(100);
    CHECK(r.customer("c9")->name == "改过的名字");
    CHECK(r.customers().size() == 41);
    CHECK(*r.customer_id_by_code("KH-0AB-999") == "c99");
  }
  SUBCASE("an erase made meanwhile is not undone by the deferred copy") {
    r.erase(RecordKind::Customer, "c5");
    CHECK(r.customer("c5") == nullptr);
    CHECK(r.customers().size() == 39);
    CHECK_FALSE(r.customer_code_taken("KH-0AB-105"));
  }
  SUBCASE("clear drops them") {
    r.clear();
    CHECK(r.deferred_customers() == 0);
    r.customer_heads(heads);
    CHECK(heads.empty());
    CHECK(r.customers().empty());
  }
}

TEST_CASE("a snapshot handed over with its string keeps those bytes for the deferred activities (no copy)") {
  LocalReplica original = full_replica();
  for (int i = 0; i < 50; ++i) {
    Activity a = full_activity();
    a.meta.id = "a-" + std::to_string(i);
    a.summary = "第" + std::to_string(i) + "次拜访";
    original.upsert(a);
  }
  std::string bytes = encode_snapshot(original, page_index(), {5, 2});
  const std::string copy = bytes;
  LocalReplica r;
  REQUIRE(decode_snapshot(bytes, r, &bytes).has_value());
  CHECK(bytes.empty());   // taken
  CHECK(r.deferred_activities() == 51);
  r.decode_deferred(7);
  REQUIRE(r.activities().size() == 51);
  for (const auto& [id, a] : original.activities()) {
    REQUIRE(r.activity(id) != nullptr);
    CHECK(encode(*r.activity(id)) == encode(a));
  }
  // A string that is not the one viewed is left alone (the bytes are copied).
  std::string other = "unrelated";
  LocalReplica r2;
  REQUIRE(decode_snapshot(copy, r2, &other).has_value());
  CHECK(other == "unrelated");
  CHECK(r2.activities().size() == 51);
}

TEST_CASE("a snapshot whose deferred activities hold a value this build can't read is refused at load") {
  // The activities are decoded later, but checked now: a load that succeeds can always decode them.
  LocalReplica original = full_replica();
  Activity odd = full_activity();
  odd.meta.id = "a-odd";
  odd.kind = static_cast<ActivityKind>(97);
  original.upsert(odd);
  LocalReplica loaded;
  CHECK_FALSE(decode_snapshot(encode_snapshot(original, page_index(), {5, 2}), loaded).has_value());
  CHECK(loaded.size() == 0);
  CHECK(loaded.deferred_activities() == 0);
}

TEST_CASE("an empty replica makes a snapshot that loads as empty") {
  LocalReplica empty;
  LocalReplica loaded;
  loaded.upsert(full_customer());
  auto decoded = decode_snapshot(encode_snapshot(empty, {}, {0, 0}), loaded);
  REQUIRE(decoded.has_value());
  CHECK(loaded.size() == 0);
  CHECK(decoded->pages.empty());
}

TEST_CASE("a snapshot with any byte flipped or cut short is refused and leaves no half-loaded replica") {
  const std::string bytes = encode_snapshot(full_replica(), page_index(), {5, 2});
  for (std::size_t at : {std::size_t{0}, std::size_t{5}, bytes.size() / 2, bytes.size() - 9, bytes.size() - 1}) {
    std::string bad = bytes;
    bad[at] = static_cast<char>(bad[at] ^ 0x20);
    LocalReplica loaded;
    loaded.upsert(full_customer());
    INFO("flipped byte " << at);
    CHECK_FALSE(decode_snapshot(bad, loaded).has_value());
  }
  for (std::size_t n : {std::size_t{0}, std::size_t{3}, std::size_t{11}, bytes.size() / 3, bytes.size() - 1}) {
    LocalReplica loaded;
    INFO("cut to " << n << " bytes");
    CHECK_FALSE(decode_snapshot(std::string_view(bytes).substr(0, n), loaded).has_value());
    CHECK(loaded.size() == 0);
  }
}

TEST_CASE("a snapshot written by another format or schema version is refused even with a valid checksum") {
  const std::string bytes = encode_snapshot(full_replica(), page_index(), {5, 2});
  std::string body = bytes.substr(0, bytes.size() - 8);
  const std::string& tag = snapshot_format_tag();
  const auto at = body.find(tag);
  REQUIRE(at != std::string::npos);
  body[at + 5] = body[at + 5] == '9' ? '8' : '9';   // "clrs/<format>/…": another format version
  LocalReplica loaded;
  CHECK_FALSE(decode_snapshot(with_checksum(body), loaded).has_value());
  CHECK(loaded.size() == 0);
  // The same forging with the tag untouched is accepted: the refusal above is the version's doing.
  CHECK(decode_snapshot(with_checksum(bytes.substr(0, bytes.size() - 8)), loaded).has_value());
}

TEST_CASE("the format tag names the snapshot format and the schema version") {
  CHECK(snapshot_format_tag().rfind("clrs/1/1/", 0) == 0);
}

TEST_CASE("byte codec: varints and zig-zag integers round trip at their edges, and lies about lengths fail") {
  ByteWriter w;
  const std::int64_t values[] = {0, 1, -1, 63, -64, 64, 1'700'000'000'000, -1'700'000'000'000,
                                 std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()};
  for (auto v : values) w.i64(v);
  w.u64(std::numeric_limits<std::uint64_t>::max());
  w.text("杭州");
  w.flag(true);
  ByteReader r(w.bytes());
  for (auto v : values) CHECK(r.i64() == v);
  CHECK(r.u64() == std::numeric_limits<std::uint64_t>::max());
  std::string s;
  r.text(s);
  CHECK(s == "杭州");
  CHECK(r.flag());
  CHECK(r.ok());
  CHECK(r.at_end());

  ByteWriter lie;
  lie.u64(1'000'000);   // a string or a list "of a million" with three bytes behind it
  lie.raw("abc");
  ByteReader r2(lie.bytes());
  CHECK(r2.count() == 0);
  CHECK_FALSE(r2.ok());
  ByteReader r3(lie.bytes());
  r3.text(s);
  CHECK_FALSE(r3.ok());
  CHECK(s.empty());
}

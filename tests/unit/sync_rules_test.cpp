// The sync rules that need the server's knowledge (record_view.h: team of an unassigned record,
// company-wide duplicates, the pushing device, the users), run with a view that answers like the
// server — and with a plain replica view, where the same mutations stay optimistic.
#include <doctest/doctest.h>

#include "core/dedup.h"
#include "core/ids.h"
#include "core/quotes.h"
#include "core/time.h"
#include "sync_fixtures.h"

using namespace cl;
using namespace cl::sync;
using namespace cl::sync::testing;

namespace {

// What the server's SyncRulesView answers, over the world's records.
class ServerLikeView : public MapView {
 public:
  ServerLikeView(const RecordMap& records, std::map<Id, Id> record_teams, std::uint32_t device)
      : MapView(records, teams()), records_(records), record_teams_(std::move(record_teams)), device_(device) {}
  std::optional<Id> team_of_unowned(std::string_view type, const Id& id) const override {
    auto it = record_teams_.find(std::string(type) + "/" + id);
    return it == record_teams_.end() ? Id() : it->second;
  }
  std::vector<CustomerDuplicate> customer_duplicates(const Customer& candidate) const override {
    DuplicateIndex index;
    std::map<Id, Id> owners;
    for (const auto& [key, rec] : records_)
      if (key.first == kTypeCustomer) {
        auto c = decode<Customer>(rec.data);
        if (c.ok()) index.add(c.value), owners[c.value.meta.id] = c.value.meta.owner_id;
      }
    std::vector<CustomerDuplicate> out;
    for (const auto& hit : index.find(candidate))
      for (auto r : hit.reasons)
        if (r != DuplicateReason::SimilarName) {
          out.push_back({hit.customer_id, hit.code, hit.name, owners[hit.customer_id], "", std::string(reason_code(r))});
          break;
        }
    return out;
  }
  std::optional<std::uint32_t> pushing_device() const override { return device_; }
  std::optional<std::vector<StoredRecord>> catalog(std::string_view type) const override {
    std::vector<StoredRecord> out;
    for (const auto& [key, rec] : records_)
      if (key.first == type) out.push_back(rec);
    return out;
  }
  bool knows_users() const override { return true; }
  std::optional<User> find_user(const Id& id) const override {
    if (id == "gone") return User{"gone", "gone", "离职销售", Role::Rep, "t1", "", "", false};
    auto team = team_of(id);
    if (team.empty()) return std::nullopt;
    return User{id, id, id, id.rfind("manager", 0) == 0 ? Role::Manager : Role::Rep, team, "", "", true};
  }

 private:
  const RecordMap& records_;
  std::map<Id, Id> record_teams_;
  std::uint32_t device_;
};

struct ServerWorld {
  RecordMap records;
  std::map<Id, Id> record_teams;  // "lead/<id>" → team, for unowned records
  std::uint32_t device = 7;
  Instant now = kNow;

  Result<MutationOutcome> apply(const Mutation& m, const Actor& actor) {
    ServerLikeView view(records, record_teams, device);
    auto r = apply_mutation(m, actor, view, default_settings(), now);
    if (r.ok())
      for (const auto& w : r.value.writes) records[{w.type, w.id}] = w;
    now += 1000;
    return r;
  }
  void add_lead(const Id& id, const Id& owner, const Id& team, LeadStatus status = LeadStatus::Imported) {
    Lead l;
    l.meta.id = id;
    l.meta.owner_id = owner;
    l.meta.version = 1;
    l.company = "宁波某口腔诊所" + id;
    l.contact_name = "李院长";
    l.phone = "13912340000";
    l.status = status;
    records[{std::string(kTypeLead), id}] = StoredRecord{std::string(kTypeLead), id, owner, 1, false, encode(l)};
    if (owner.empty()) record_teams["lead/" + id] = team;
  }
  Json lead(const Id& id) { return records.at({std::string(kTypeLead), id}).data; }
};

Json new_customer(const std::string& id, std::uint32_t device, std::uint64_t seq, const std::string& name,
                  const std::string& phone) {
  Json c = customer_json(id, customer_code(device, seq));
  c["name"] = name;
  c["phone"] = phone;
  return c;
}

std::string all_messages(const Problems& ps) {
  std::string s;
  for (const auto& p : ps) s += p.message_zh + "|" + p.message_en + "|";
  return s;
}

}  // namespace

TEST_SUITE("sync rules") {

TEST_CASE("a manager touches an unassigned lead of the team; other managers and reps may not") {
  ServerWorld w;
  w.add_lead("L1", "", "t1");
  w.add_lead("L0", "", "");  // no team: admins only
  CHECK(w.apply(mutation(1, kLeadTouch, {{"id", "L1"}, {"outcome", "有兴趣"}}), manager1()).ok());
  CHECK(w.lead("L1")["first_touched_by"] == "manager1");
  CHECK(w.lead("L1").value("owner_id", std::string()).empty());  // touching does not take the lead
  CHECK(has_code(w.apply(mutation(2, kLeadTouch, {{"id", "L1"}, {"outcome", "x"}}), Actor{"manager2", Role::Manager, "t2"}).problems, "not_found"));
  CHECK(has_code(w.apply(mutation(3, kLeadTouch, {{"id", "L1"}, {"outcome", "x"}}), rep1()).problems, "not_found"));
  CHECK(has_code(w.apply(mutation(4, kLeadTouch, {{"id", "L0"}, {"outcome", "x"}}), manager1()).problems, "not_found"));
  CHECK(w.apply(mutation(5, kLeadTouch, {{"id", "L0"}, {"outcome", "管理员"}}), admin()).ok());
}

TEST_CASE("on a replica (team of an unassigned lead unknown) the manager's touch stays optimistic") {
  World w;  // MapView: the replica's defaults
  Lead l;
  l.meta.id = "L1";
  l.meta.version = 1;
  l.company = "某诊所";
  w.records[{std::string(kTypeLead), "L1"}] = StoredRecord{std::string(kTypeLead), "L1", "", 1, false, encode(l)};
  CHECK(w.apply(mutation(1, kLeadTouch, {{"id", "L1"}, {"outcome", "有兴趣"}}), manager1()).ok());
  CHECK(has_code(w.apply(mutation(2, kLeadTouch, {{"id", "L1"}, {"outcome", "x"}}), rep1()).problems, "not_found"));
}

TEST_CASE("lead.assign: a manager assigns within the team, never outside; a rep never; stale moves conflict") {
  ServerWorld w;
  w.add_lead("L1", "", "t1");
  auto r = w.apply(mutation(1, kLeadAssign, {{"id", "L1"}, {"owner_id", "rep1"}}, 1), manager1());
  REQUIRE(r.ok());
  CHECK(w.lead("L1")["owner_id"] == "rep1");
  CHECK(w.lead("L1")["status"] == "assigned");
  CHECK(w.lead("L1")["assigned_at"].get<Instant>() > 0);
  CHECK(has_code(w.apply(mutation(2, kLeadAssign, {{"id", "L1"}, {"owner_id", "rep8"}}, 2), manager1()).problems, "forbidden"));
  CHECK(has_code(w.apply(mutation(3, kLeadAssign, {{"id", "L1"}, {"owner_id", "rep2"}}, 2), rep1()).problems, "forbidden"));
  CHECK(has_code(w.apply(mutation(4, kLeadAssign, {{"id", "L1"}, {"owner_id", "gone"}}, 2), admin()).problems, "assignee_not_active_rep"));
  CHECK(has_code(w.apply(mutation(5, kLeadAssign, {{"id", "L1"}, {"owner_id", "nobody"}}, 2), admin()).problems, "forbidden"));
  CHECK(has_code(w.apply(mutation(6, kLeadAssign, {{"id", "L1"}}, 2), manager1()).problems, "invalid_args"));
  // Made on version 1 (owner still empty) after the lead moved to rep1: conflict, owner kept.
  auto stale = w.apply(mutation(7, kLeadAssign, {{"id", "L1"}, {"owner_id", "rep2"}, {"base", {{"owner_id", ""}}}}, 1), manager1());
  REQUIRE(stale.ok());
  REQUIRE(stale.value.conflicts.size() == 1);
  CHECK(stale.value.conflicts[0].field == "owner_id");
  CHECK(stale.value.writes.empty());
  CHECK(w.lead("L1")["owner_id"] == "rep1");
  // On the current version the reassignment applies; an admin may give it to another team.
  CHECK(w.apply(mutation(8, kLeadAssign, {{"id", "L1"}, {"owner_id", "rep2"}}, 2), manager1()).ok());
  CHECK(w.apply(mutation(9, kLeadAssign, {{"id", "L1"}, {"owner_id", "rep8"}}, 3), admin()).ok());
  CHECK(w.lead("L1")["owner_id"] == "rep8");
  // A converted lead is final (core leads.h).
  w.add_lead("L2", "rep1", "", LeadStatus::Converted);
  CHECK(has_code(w.apply(mutation(10, kLeadAssign, {{"id", "L2"}, {"owner_id", "rep2"}}, 1), manager1()).problems, "lead_bad_transition"));
}

TEST_CASE("new customer codes must carry the pushing device's number when the view knows it") {
  ServerWorld w;
  w.device = 7;
  CHECK(w.apply(mutation(1, kCustomerCreate, {{"customer", new_customer("c1", 7, 1, "甲医院", "13900000001")}}), rep1()).ok());
  auto foreign = w.apply(mutation(2, kCustomerCreate, {{"customer", new_customer("c2", 8, 1, "乙医院", "13900000002")}}), rep1());
  CHECK(has_code(foreign.problems, "invalid_code"));
  CHECK(all_messages(foreign.problems).find("KH-" + device_code(7) + "-") != std::string::npos);  // says what is expected
  Json legacy = new_customer("c3", 7, 2, "丙医院", "13900000003");
  legacy["code"] = "D7-0001";
  CHECK(has_code(w.apply(mutation(3, kCustomerCreate, {{"customer", legacy}}), rep1()).problems, "invalid_code"));
  CHECK(has_code(w.apply(mutation(4, kCustomerCreate, {{"customer", new_customer("c4", 7, 1, "丁医院", "13900000004")}}), rep1()).problems,
                 "duplicate_code"));
  w.device = 0;  // never registered
  CHECK(has_code(w.apply(mutation(5, kCustomerCreate, {{"customer", new_customer("c5", 0, 1, "戊医院", "13900000005")}}), rep1()).problems,
                 "device_not_registered"));
  // A replica does not know the pushing device: any non-empty free code stays optimistic.
  World replica;
  CHECK(replica.apply(mutation(1, kCustomerCreate, {{"customer", customer_json("c9", "ANY-CODE")}}), rep1()).ok());
}

TEST_CASE("a duplicate customer is refused, and named only to someone who may see it") {
  ServerWorld w;
  REQUIRE(w.apply(mutation(1, kCustomerCreate, {{"customer", new_customer("orig", 7, 1, "杭州市第一人民医院", "13812345678")}}), rep1()).ok());
  auto by_phone = [&](const Actor& a, std::int64_t mid) {
    return w.apply(mutation(mid, kCustomerCreate, {{"customer", new_customer("d" + std::to_string(mid), 7, 10 + mid, "别的名字医院" + std::to_string(mid), "138-1234-5678")}}), a);
  };
  // rep2 (same team, not theirs) and rep8 (other team): refused without a word about the record.
  for (const Actor& a : {rep2(), rep8()}) {
    auto r = by_phone(a, a.user_id == "rep2" ? 2 : 3);
    REQUIRE(has_code(r.problems, "duplicate_customer"));
    CHECK(r.problems[0].field == "phone");
    const std::string text = all_messages(r.problems);
    CHECK(text.find("第一人民医院") == std::string::npos);
    CHECK(text.find("orig") == std::string::npos);
    CHECK(text.find(customer_code(7, 1)) == std::string::npos);
    CHECK(text.find("rep1") == std::string::npos);
    CHECK(text.find("ask your manager") != std::string::npos);
  }
  // The owner and the team's manager are told which customer it is.
  for (const Actor& a : {rep1(), manager1(), admin()}) {
    auto r = by_phone(a, 4 + static_cast<int>(a.role));
    REQUIRE(has_code(r.problems, "duplicate_customer"));
    const std::string text = all_messages(r.problems);
    CHECK(text.find("杭州市第一人民医院") != std::string::npos);
    CHECK(text.find(customer_code(7, 1)) != std::string::npos);
  }
  // Same normalised name (legal form and city prefix differ): refused on the name.
  auto named = w.apply(mutation(9, kCustomerCreate, {{"customer", new_customer("n1", 7, 30, "杭州第一人民医院", "13700000009")}}), rep8());
  REQUIRE(has_code(named.problems, "duplicate_customer"));
  CHECK(named.problems[0].field == "name");
  // Another city's hospital with the same core name is a different hospital (core dedup.h).
  CHECK(w.apply(mutation(10, kCustomerCreate, {{"customer", new_customer("n2", 7, 31, "宁波市第一人民医院", "13700000010")}}), rep8()).ok());
}

TEST_CASE("lead.convert is held to the same new-customer rules (device code, duplicates)") {
  ServerWorld w;
  w.add_lead("L1", "rep1", "", LeadStatus::Touched);
  REQUIRE(w.apply(mutation(1, kCustomerCreate, {{"customer", new_customer("orig", 7, 1, "某某医院", "13912340000")}}), rep8()).ok());
  Json args = {{"id", "L1"}, {"customer_id", "c1"}, {"customer_code", customer_code(8, 1)}, {"opportunity_id", "o1"},
               {"decision_maker_title", "院长"}, {"main_business", "口腔"},
               {"tags", {{"customer_type", "三甲医院"}, {"region", "杭州"}, {"first_channel", "展会"}}}};
  CHECK(has_code(w.apply(mutation(2, kLeadConvert, args, 1), rep1()).problems, "invalid_code"));
  args["customer_code"] = customer_code(7, 2);
  auto dup = w.apply(mutation(3, kLeadConvert, args, 1), rep1());  // the lead's phone is rep8's customer's
  CHECK(has_code(dup.problems, "duplicate_customer"));
  CHECK(all_messages(dup.problems).find("某某医院") == std::string::npos);
}

namespace {

// A customer of rep1's, a product on this year's price list at ¥1,000.00, as the server holds them.
void seed_quote_world(ServerWorld& w) {
  REQUIRE(w.apply(mutation(100, kCustomerCreate, {{"customer", new_customer("qc", 7, 50, "报价测试医院", "13600000001")}}), rep1()).ok());
  Product p;
  p.id = "p1";
  p.model_code = "GK-14";
  p.name = "骨科植入耗材";
  w.records[{"product", "p1"}] = StoredRecord{"product", "p1", "", 1, false, encode(p)};
  PriceList pl;
  pl.id = "pl26";
  pl.name = "2025 价目表";
  pl.valid_from = Date{2025, 1, 1};
  pl.valid_to = Date{2026, 12, 31};
  pl.items = {PriceItem{"p1", Money{100000}}};
  w.records[{"price_list", "pl26"}] = StoredRecord{"price_list", "pl26", "", 1, false, encode(pl)};
}

Json quote_args(const std::string& id, int discount_bp, std::int64_t client_price_fen = 1) {
  return {{"quote", {{"id", id}, {"code", "BJ-" + id}, {"customer_id", "qc"},
                     {"lines", Json::array({{{"product_id", "p1"}, {"quantity", 3}, {"discount_bp", discount_bp},
                                             {"unit_list_price_fen", client_price_fen}}})}}}};
}

}  // namespace

TEST_CASE("quote.create prices every line from the server's price list, never the client's numbers") {
  ServerWorld w;
  seed_quote_world(w);
  auto r = w.apply(mutation(1, kQuoteCreate, quote_args("q1", 500)), rep1());
  REQUIRE_MESSAGE(r.ok(), (r.problems.empty() ? "" : r.problems[0].message_en));
  auto q = decode<Quote>(r.value.writes.at(0).data).value;
  CHECK(q.status == QuoteStatus::Draft);
  CHECK(q.price_list_id == "pl26");
  CHECK(q.lines.at(0).unit_list_price.fen == 100000);  // not the 1 fen the client sent
  CHECK(quote_totals(q).net.fen == 285000);             // 3 × ¥1,000 − 5 %
  CHECK(q.valid_until == add_days(q.quote_date, default_settings().quote_validity_days));
  CHECK(q.meta.owner_id == "rep1");
  // Unknown product, no customer in scope, a back-dated price list: refused.
  Json unknown = quote_args("q2", 0);
  unknown["quote"]["lines"][0]["product_id"] = "nope";
  CHECK(has_code(w.apply(mutation(2, kQuoteCreate, unknown), rep1()).problems, "product_not_on_price_list"));
  CHECK(has_code(w.apply(mutation(3, kQuoteCreate, quote_args("q3", 0)), rep8()).problems, "not_found"));
  Json old = quote_args("q4", 0);
  old["quote"]["quote_date"] = "2024-06-01";
  CHECK(has_code(w.apply(mutation(4, kQuoteCreate, old), rep1()).problems, "out_of_range"));
}

TEST_CASE("quote.submit: within the threshold approved at once, above it waits for the team's manager (R20)") {
  ServerWorld w;
  seed_quote_world(w);
  REQUIRE(w.apply(mutation(1, kQuoteCreate, quote_args("small", 500)), rep1()).ok());
  REQUIRE(w.apply(mutation(2, kQuoteCreate, quote_args("big", 2500)), rep1()).ok());
  REQUIRE(w.apply(mutation(3, kQuoteSubmit, {{"id", "small"}}, 1), rep1()).ok());
  CHECK(w.records.at({"quote", "small"}).data["status"] == "approved");
  CHECK(w.records.at({"quote", "small"}).data.value("approved_by", std::string()).empty());
  REQUIRE(w.apply(mutation(4, kQuoteSubmit, {{"id", "big"}}, 1), rep1()).ok());
  CHECK(w.records.at({"quote", "big"}).data["status"] == "pending_approval");
  CHECK(has_code(w.apply(mutation(5, kQuoteSubmit, {{"id", "big"}}, 2), rep1()).problems, "quote_not_draft"));
  // The rep cannot approve their own; another team's manager cannot even see it; the team's manager can.
  CHECK(has_code(w.apply(mutation(6, kQuoteApprove, {{"id", "big"}}, 2), rep1()).problems, "approver_not_allowed"));
  CHECK(has_code(w.apply(mutation(7, kQuoteApprove, {{"id", "big"}}, 2), Actor{"manager2", Role::Manager, "t2"}).problems, "not_found"));
  CHECK(has_code(w.apply(mutation(8, kQuoteReject, {{"id", "big"}}, 2), manager1()).problems, "reason_required"));
  REQUIRE(w.apply(mutation(9, kQuoteApprove, {{"id", "big"}, {"note", "大客户，同意"}}, 2), manager1()).ok());
  const Json& big = w.records.at({"quote", "big"}).data;
  CHECK(big["status"] == "approved");
  CHECK(big["approved_by"] == "manager1");
  CHECK(big["approval_note"] == "大客户，同意");
}

TEST_CASE("a client's quote.create cannot claim an approval") {
  ServerWorld w;
  seed_quote_world(w);
  Json a = quote_args("sneaky", 5000);
  a["quote"]["status"] = "approved";
  a["quote"]["approved_by"] = "manager1";
  REQUIRE(w.apply(mutation(1, kQuoteCreate, a), rep1()).ok());
  CHECK(w.records.at({"quote", "sneaky"}).data["status"] == "draft");
  CHECK(w.records.at({"quote", "sneaky"}).data.value("approved_by", std::string()).empty());
}

}  // TEST_SUITE

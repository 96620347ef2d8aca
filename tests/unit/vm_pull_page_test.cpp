// Pull pages streamed straight into records (pull_page.h, issue 5 first sync) against the reference
// DOM path (json::parse + sync/wire.h + core/codec.h): same acceptance, same problems, same page
// members and the same replica afterwards — over server-shaped pages of every record kind,
// tombstones, unicode and escapes, unknown members, nulls, and malformed or unusual input (which the
// fast path must hand to the DOM path rather than decide itself).
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "app/vm/pull_page.h"
#include "core/codec.h"
#include "sync/wire.h"

using namespace cl;
using namespace cl::app;
using Json = sync::Json;

namespace {

Customer sample_customer(int i) {
  Customer c;
  c.meta.id = "c-" + std::to_string(i);
  c.meta.owner_id = "rep1";
  c.meta.created_at = 1795796741605 + i;
  c.meta.updated_at = 1795796741605 + 2 * i;
  c.meta.version = 1 + i % 3;
  c.code = "KH-001-" + std::to_string(100000 + i);
  c.name = "杭州某医疗器械有限公司（西湖" + std::to_string(i) + "分部）";
  c.decision_maker = "王伟";
  c.decision_maker_title = i % 2 ? "主任" : "采购经理";
  c.phone = "1380000" + std::to_string(1000 + i);
  c.main_business = "骨科耗材 \"quoted\" \\ back\tslash\n新行 😀";
  c.address = i % 3 ? "" : "杭州市滨江区 1 号";
  if (i % 2) c.contacts.push_back({"刘超", "科长", "0571-80000000", i % 4 == 1});
  c.contacts.push_back({"", "", "", false});
  c.tags = {{"customer_type", "三甲医院"}, {"region", "杭州"}, {"first_channel", "展会"}};
  if (i % 3 == 0) c.custom = {{"床位数", "800"}, {"empty", ""}};
  c.contact_authorised = i % 2 == 0;
  c.source_lead_id = i % 5 == 0 ? "lead-9" : "";
  if (i % 4 == 0) c.owner_history.push_back({"rep2", "rep1", 1795796000000, "manager1", "handover"});
  return c;
}

Activity sample_activity(int i) {
  Activity a;
  a.meta.id = "a-" + std::to_string(i);
  a.meta.owner_id = "rep1";
  a.meta.created_at = 1795797087675 + i;
  a.meta.updated_at = 1795797087675;
  a.meta.version = 1;
  a.kind = static_cast<ActivityKind>(i % 11);
  a.at = 1795797087675 - i * 1000;
  a.customer_id = "c-" + std::to_string(i % 7);
  a.opportunity_id = i % 3 ? "" : "o-1";
  a.lead_id = i % 5 ? "" : "lead-2";
  a.summary = "电话跟进：确认需求与预算，约下周拜访 #" + std::to_string(i);
  a.outcome = i % 2 ? "客户有意向" : "";
  return a;
}

Opportunity sample_opportunity(int i) {
  Opportunity o;
  o.meta.id = "o-" + std::to_string(i);
  o.meta.owner_id = "rep1";
  o.meta.version = 2;
  o.customer_id = "c-1";
  o.title = "骨科耗材采购";
  o.expected_amount = Money{123456};
  o.stages.push_back(StageVisit{});
  return o;
}

Json change_json(std::string_view type, const Json& record, std::int64_t version = 1, bool deleted = false) {
  sync::Change c;
  c.type = std::string(type);
  c.id = record.is_object() && record.contains("id") && record["id"].is_string() ? record["id"].get<std::string>() : "x";
  c.deleted = deleted;
  c.version = version;
  c.record = record;
  return sync::to_json(c);
}

// A page as the server writes it (sync::to_json: members sorted, records by core's codec).
Json server_page(const std::vector<Json>& changes, bool has_more = true) {
  sync::PullResponse p;
  p.cursor = "c-42";
  p.has_more = has_more;
  p.last_mid = 17;
  sync::Rejection rej;
  rej.mid = 3;
  rej.name = "customer.create";
  rej.args = Json{{"customer", {{"name", "重复"}}}};
  rej.problems.push_back({"duplicate_customer", "name", "客户已存在", "exists"});
  rej.at = 99;
  p.rejections.push_back(rej);
  sync::Conflict con{"opportunity", "o-1", "stage", 2, 1, "server_kept"};
  p.conflicts.push_back(con);
  Json j = sync::to_json(p);
  j["changes"] = changes;
  return j;
}

std::vector<Json> mixed_changes(int n) {
  std::vector<Json> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(change_json("customer", encode(sample_customer(i)), 1 + i));
    out.push_back(change_json("activity", encode(sample_activity(i)), 1));
  }
  // tombstones: of known kinds (record holds only the id) and of an opportunity
  out.push_back(change_json("customer", Json{{"id", "c-1"}}, 9, true));
  out.push_back(change_json("opportunity", Json{{"id", "o-9"}}, 3, true));
  // a kind this client does not keep (a newer server)
  out.push_back(change_json("product", Json{{"id", "p-1"}, {"name", "钢板"}, {"price_fen", 100}}, 1));
  return out;
}

// Everything the replica holds, as core's codec writes it.
Json replica_json(const LocalReplica& r) {
  Json j = Json::object();
  for (const auto& [id, c] : r.customers()) j["customer"][id] = encode(c);
  for (const auto& [id, o] : r.opportunities()) j["opportunity"][id] = encode(o);
  for (const auto& [id, a] : r.activities()) j["activity"][id] = encode(a);
  for (const auto& [id, l] : r.leads()) j["lead"][id] = encode(l);
  for (const auto& [id, q] : r.quotes()) j["quote"][id] = encode(q);
  for (const auto& [id, x] : r.invoices()) j["invoice"][id] = encode(x);
  for (const auto& [id, x] : r.payments()) j["payment"][id] = encode(x);
  return j;
}

// Applies a page on top of a replica that already holds a few records (so tombstones remove).
struct Outcome {
  bool ok = false;
  bool fast = false;
  Problems problems;
  Json rest;
  Json changes;     // type/id/deleted/version per change
  Json replica;
  Problems apply_problems;
};

LocalReplica seeded_replica() {
  LocalReplica r;
  r.upsert(sample_customer(1));
  r.upsert(sample_customer(100));
  Opportunity o = sample_opportunity(9);
  r.upsert(o);
  return r;
}

Json change_list(const std::vector<PulledChange>& cs) {
  Json a = Json::array();
  for (const auto& c : cs) a.push_back({c.type, c.id, c.deleted, c.version});
  return a;
}

Outcome run_page(const std::string& body, bool dom) {
  Outcome o;
  auto r = dom ? decode_pull_page_dom(body) : decode_pull_page(body);
  o.ok = r.ok();
  o.fast = r.value.fast;
  o.problems = r.problems;
  o.rest = sync::to_json(r.value.rest);
  o.changes = change_list(r.value.changes);
  LocalReplica rep = seeded_replica();
  if (r.ok())
    for (auto& c : r.value.changes) {
      auto p = apply_pulled(rep, c);
      o.apply_problems.insert(o.apply_problems.end(), p.begin(), p.end());
    }
  o.replica = replica_json(rep);
  return o;
}

Outcome run_stored(const std::string& text, bool dom) {
  Outcome o;
  bool fast = false;
  auto r = dom ? decode_stored_changes_dom(text) : decode_stored_changes(text, &fast);
  o.ok = r.ok();
  o.fast = fast;
  o.problems = r.problems;
  o.changes = change_list(r.value);
  LocalReplica rep = seeded_replica();
  for (auto& c : r.value) {
    auto p = apply_pulled(rep, c);
    o.apply_problems.insert(o.apply_problems.end(), p.begin(), p.end());
  }
  o.replica = replica_json(rep);
  return o;
}

void same(const Outcome& fast, const Outcome& dom) {
  CHECK(fast.ok == dom.ok);
  CHECK(fast.problems == dom.problems);
  CHECK(fast.rest == dom.rest);
  CHECK(fast.changes == dom.changes);
  CHECK(fast.replica == dom.replica);
  CHECK(fast.apply_problems == dom.apply_problems);
}

// Pages the fast path must leave to the DOM path, each a small edit of a valid page text.
std::vector<std::string> unusual_pages() {
  const Json cust = encode(sample_customer(3));
  const Json act = encode(sample_activity(4));
  auto page_with = [&](const Json& record, std::string_view type = "customer") {
    return server_page({change_json(type, record)}).dump();
  };
  auto edit = [](Json j, const std::string& key, Json v) { j[key] = std::move(v); return j; };
  std::vector<std::string> pages;
  pages.push_back(page_with(encode(sample_opportunity(2)), "opportunity"));   // kind without a fast decoder
  pages.push_back(page_with(edit(cust, "name", 5)));                          // wrong type
  pages.push_back(page_with(edit(cust, "contact_authorised", "yes")));
  pages.push_back(page_with(edit(cust, "contacts", Json::array({nullptr}))));  // list element not an object
  pages.push_back(page_with(edit(cust, "contacts", Json::array({{{"name", 1}}}))));
  pages.push_back(page_with(edit(cust, "tags", Json{{"region", nullptr}})));  // map value not text
  pages.push_back(page_with(edit(cust, "tags", Json::array())));
  pages.push_back(page_with(edit(cust, "owner_history", Json::array({{{"at", 1.5}}}))));
  pages.push_back(page_with(edit(cust, "id", "")));                            // required id empty
  pages.push_back(page_with(edit(cust, "id", nullptr)));
  pages.push_back(page_with(edit(cust, "schema_version", 2)));                 // newer schema
  pages.push_back(page_with(edit(cust, "schema_version", 0)));
  pages.push_back(page_with(edit(cust, "version", 9223372036854775808ull)));   // out of range
  pages.push_back(page_with(edit(cust, "created_at", -5)));                    // negative: fine for both
  pages.push_back(page_with(edit(act, "kind", "dance"), "activity"));           // unknown enum
  pages.push_back(page_with(edit(act, "kind", nullptr), "activity"));           // null = absent
  pages.push_back(page_with(edit(act, "name", 7), "activity"));                 // customer member, wrong type
  pages.push_back(page_with(edit(cust, "kind", "dance")));                      // activity member in a customer
  pages.push_back(page_with(Json::array()));                                    // record not an object
  pages.push_back(page_with(cust, "ghost"));                                    // unknown kind
  // change members
  {
    Json ch = change_json("customer", cust);
    ch.erase("type");
    pages.push_back(server_page({ch}).dump());
    Json ch2 = change_json("customer", cust);
    ch2["version"] = "1";
    pages.push_back(server_page({ch2}).dump());
    Json ch3 = change_json("customer", cust);
    ch3["deleted"] = nullptr;
    ch3["x-extra"] = Json{{"nested", Json::array({1, 2.5, "三"})}};
    pages.push_back(server_page({ch3}).dump());
    Json ch4 = change_json("customer", cust);
    ch4["record"] = nullptr;
    pages.push_back(server_page({ch4}).dump());
    Json ch5 = change_json("activity", act);
    ch5["version"] = 18446744073709551615ull;
    pages.push_back(server_page({ch5}).dump());
  }
  // page members
  {
    Json p = server_page({change_json("customer", cust)});
    p.erase("cursor");
    pages.push_back(p.dump());
    Json p2 = server_page({change_json("customer", cust)});
    p2["changes"] = Json::object();
    pages.push_back(p2.dump());
    Json p3 = server_page({change_json("customer", cust)});
    p3["rejections"] = Json::array({Json{{"mid", "x"}}});
    pages.push_back(p3.dump());
    Json p4 = server_page({change_json("customer", cust)});
    p4.erase("changes");
    pages.push_back(p4.dump());
    Json p5 = server_page({change_json("customer", cust)});
    p5["future_member"] = Json{{"a", Json::array({Json::object(), nullptr, true})}};
    p5["has_more"] = nullptr;
    pages.push_back(p5.dump());
  }
  // raw text: duplicates, escapes, malformed JSON
  const std::string good = server_page({change_json("customer", cust), change_json("activity", act)}).dump();
  auto replace_first = [](std::string s, const std::string& from, const std::string& to) {
    auto at = s.find(from);
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
  };
  pages.push_back(replace_first(good, "\"name\":", "\"name\":\"dup\",\"name\":"));          // duplicate member
  pages.push_back(replace_first(good, "\"region\":", "\"region\":\"dup\",\"region\":"));    // duplicate map key
  pages.push_back(replace_first(good, "\"cursor\":", "\"cursor\":\"first\",\"cursor\":"));  // duplicate page member
  pages.push_back(replace_first(good, "\"changes\":[", "\"changes\":[],\"changes\":["));    // duplicate changes
  pages.push_back(replace_first(good, "\"name\":", "\"na\\u006de\":"));                    // escaped key
  pages.push_back(replace_first(good, "\"phone\":\"", "\"phone\":\"\\ud83d\\ude00\\u4e2d\\/"));  // escapes
  pages.push_back(replace_first(good, "\"phone\":\"", "\"phone\":\"\\ud83d"));             // lone surrogate
  pages.push_back(replace_first(good, "\"phone\":\"", "\"phone\":\"\x01"));                 // control character
  pages.push_back(replace_first(good, "\"phone\":\"", "\"phone\":\"\xff\xfe"));             // invalid UTF-8
  pages.push_back(replace_first(good, "\"has_more\":true", "\"has_more\":true,"));          // trailing comma
  pages.push_back(good.substr(0, good.size() / 2));                                          // truncated
  pages.push_back(good + " x");                                                              // trailing garbage
  pages.push_back("\xEF\xBB\xBF" + good);                                                    // BOM
  pages.push_back("  \n" + good + "\n\t ");                                                  // whitespace
  pages.push_back("[]");
  pages.push_back("");
  pages.push_back("null");
  return pages;
}

}  // namespace

TEST_CASE("a server-shaped page of customers, activities and tombstones is streamed into the same replica as the DOM path") {
  const std::string body = server_page(mixed_changes(40)).dump();
  Outcome fast = run_page(body, false);
  Outcome dom = run_page(body, true);
  CHECK(fast.ok);
  CHECK(fast.fast);          // the common case never falls back
  CHECK_FALSE(dom.fast);
  same(fast, dom);
  CHECK(fast.replica["customer"].size() == 40 + 1 - 1);   // c-1 removed, c-100 kept (40 new + c-100 − c-1)
  CHECK(fast.replica["activity"].size() == 40);
  CHECK(fast.replica.contains("opportunity") == false);  // o-9's tombstone removed it
  CHECK(fast.rest["cursor"] == "c-42");
  CHECK(fast.rest["rejections"].size() == 1);
  CHECK(fast.rest["conflicts"].size() == 1);
}

TEST_CASE("the last page (has_more false, no changes) and a page with unknown members stay on the fast path") {
  Json empty = server_page({}, false);
  Outcome f1 = run_page(empty.dump(), false);
  CHECK(f1.fast);
  same(f1, run_page(empty.dump(), true));
  CHECK(f1.rest["has_more"] == false);

  Json extra = server_page(mixed_changes(3));
  extra["server_time"] = 5;
  for (auto& ch : extra["changes"]) {
    ch["x-trace"] = Json{{"a", Json::array({1, nullptr, Json::object()})}};
    if (ch["record"].contains("name")) ch["record"]["x-new-field"] = Json::array({"新", 2.5, false});
    ch["record"]["address"] = nullptr;   // null reads as absent
  }
  Outcome f2 = run_page(extra.dump(), false);
  CHECK(f2.fast);
  same(f2, run_page(extra.dump(), true));
}

TEST_CASE("pages with anything unusual decode exactly as the DOM path decides") {
  int declined = 0, refused = 0;
  for (const auto& body : unusual_pages()) {
    CAPTURE(body.substr(0, 300));
    Outcome fast = run_page(body, false);
    Outcome dom = run_page(body, true);
    same(fast, dom);
    if (!fast.fast) ++declined;
    if (!dom.ok) ++refused;
  }
  CHECK(declined >= 30);   // the unusual ones were not decided by the fast path
  CHECK(refused >= 10);    // and the malformed ones are refused, as before
}

TEST_CASE("stored pages (arrays of changes) load the same records on both paths, bad changes reported and skipped") {
  Json arr = Json::array();
  for (auto& c : mixed_changes(12)) arr.push_back(c);
  Outcome fast = run_stored(arr.dump(), false);
  Outcome dom = run_stored(arr.dump(), true);
  CHECK(fast.fast);
  same(fast, dom);

  Json bad = arr;
  bad.push_back(Json{{"id", "no-type"}});                       // refused change: reported, skipped
  bad.push_back(change_json("customer", Json{{"id", ""}}));     // undecodable record: reported on apply
  Outcome f2 = run_stored(bad.dump(), false);
  Outcome d2 = run_stored(bad.dump(), true);
  CHECK_FALSE(f2.fast);
  same(f2, d2);
  CHECK_FALSE(d2.problems.empty());
  CHECK_FALSE(d2.apply_problems.empty());

  for (const std::string text : {"{}", "[1]", "[", "", "[null]"}) {
    CAPTURE(text);
    same(run_stored(text, false), run_stored(text, true));
  }
}

TEST_CASE("random edits of a page text are accepted or refused exactly as the DOM path does") {
  const std::string good = server_page(mixed_changes(2)).dump();
  const std::string alphabet = "{}[],:\"\\0123456789-+.eEtrufalsn \x01\xc3\xa9\xe4\xb8\xad\xff";
  std::uint64_t seed = 0x9E3779B97F4A7C15ull;
  auto next = [&] { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return seed; };
  int fast_count = 0, refused = 0;
  for (int round = 0; round < 300; ++round) {
    std::string s = good;
    const int edits = 1 + static_cast<int>(next() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = next() % s.size();
      switch (next() % 3) {
        case 0: s.erase(at, 1); break;
        case 1: s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), alphabet[next() % alphabet.size()]); break;
        default: s[at] = alphabet[next() % alphabet.size()]; break;
      }
    }
    CAPTURE(round);
    Outcome fast = run_page(s, false);
    Outcome dom = run_page(s, true);
    same(fast, dom);
    if (fast.fast) ++fast_count;
    if (!dom.ok) ++refused;
  }
  CHECK(refused > 100);   // most edits break the JSON; both paths refuse those
  CHECK(fast_count > 5);  // some edits only change a value: still decided (identically) by the fast path
}

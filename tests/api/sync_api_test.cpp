// Sync (R32) and scoped reads (R33) against the real closeloop-server binary on loopback.
#include <doctest/doctest.h>

#include <cctype>
#include <cstdio>
#include <functional>
#include <set>

#include "core/codec.h"
#include "core/ids.h"
#include "core/settings.h"
#include "server_harness.h"
#include "sync_device.h"

using namespace cl::apitest;

using namespace cl::apitest::sync_helpers;

TEST_SUITE("sync") {

TEST_CASE("a push replayed one to five times applies once") {
  for (int replays = 1; replays <= 5; ++replays) {
    Device d(shared_server(), "rep3");
    const std::string cid = uniq("c-replay");
    json batch = {d.m("customer.create", {{"customer", d.customer(cid)}}),
                  d.m("customer.update", {{"id", cid}, {"set", {{"address", "西湖区"}}}}, 1),
                  d.m("activity.log", {{"activity", {{"id", uniq("a")}, {"kind", "call"}, {"customer_id", cid}}}})};
    json first = d.push(batch);
    CHECK(first["last_mid"] == 3);
    for (int i = 0; i < 3; ++i) CHECK(status_of(first, i) == "applied");
    for (int r = 0; r < replays; ++r) {
      json again = d.push(batch);
      CHECK(again["last_mid"] == 3);
      for (int i = 0; i < 3; ++i) CHECK(status_of(again, i) == "skipped");
    }
    auto res = d.get("/api/v1/customers/" + cid);
    REQUIRE(res);
    CHECK(body_json(res)["version"] == 2);  // create + one update, however often it was sent
    auto acts = body_json(d.get("/api/v1/activities?customer_id=" + cid));
    CHECK(acts["total"] == 1);
  }
}

TEST_CASE("a dropped push response is retried with more mutations; the old ones are skipped") {
  Device d(shared_server(), "rep4");
  const std::string cid = uniq("c-drop");
  json m1 = d.m("customer.create", {{"customer", d.customer(cid)}});
  json m2 = d.m("activity.log", {{"activity", {{"id", uniq("a")}, {"kind", "visit"}, {"customer_id", cid}}}});
  d.push({m1, m2});  // the response is "lost": the client never read it
  json m3 = d.m("activity.log", {{"activity", {{"id", uniq("a")}, {"kind", "call"}, {"customer_id", cid}}}});
  json retry = d.push({m1, m2, m3});
  CHECK(status_of(retry, 0) == "skipped");
  CHECK(status_of(retry, 1) == "skipped");
  CHECK(status_of(retry, 2) == "applied");
  CHECK(retry["last_mid"] == 3);
  CHECK(body_json(d.get("/api/v1/activities?customer_id=" + cid))["total"] == 2);
  CHECK(d.pull()["last_mid"] == 3);
}

TEST_CASE("a poison mutation is rejected with its reason and does not block the rest") {
  Device d(shared_server(), "rep5");
  const std::string cid = uniq("c-poison");
  json r = d.push({d.m("customer.create", {{"customer", d.customer(cid)}}),
                   d.m("customer.create", {{"customer", {{"id", uniq("c-bad")}, {"name", "缺字段"}}}}),
                   d.m("no.such.mutation", json::object()),
                   d.m("opportunity.create", {{"opportunity", {{"id", uniq("o")}, {"customer_id", cid}, {"title", "t"}}}})});
  CHECK(status_of(r, 0) == "applied");
  CHECK(status_of(r, 1) == "rejected");
  CHECK(status_of(r, 2) == "rejected");
  CHECK(status_of(r, 3) == "applied");
  CHECK(r["last_mid"] == 4);
  CHECK(r["results"][1]["problems"][0]["code"] == "required_field_missing");
  CHECK(r["results"][2]["problems"][0]["code"] == "unknown_mutation");
  json p = d.pull();
  std::set<std::int64_t> rejected;
  for (const auto& rej : p["rejections"]) rejected.insert(rej["mid"].get<std::int64_t>());
  CHECK(rejected == std::set<std::int64_t>{2, 3});
  CHECK(p["last_mid"] == 4);
}

// The server inserts a create's new record without looking its id up first; a taken id — from an
// earlier push, earlier in the same push, or another rep's record — still gets the rules' own answer,
// record_exists, and nothing of it is stored.
TEST_CASE("a create whose id is taken is refused as record_exists and stores nothing") {
  Device d(shared_server(), "rep6");
  const std::string cid = uniq("c-taken"), aid = uniq("a-taken"), aid2 = uniq("a-once");
  json first = d.push({d.m("customer.create", {{"customer", d.customer(cid)}}),
                       d.m("activity.log", {{"activity", {{"id", aid}, {"kind", "call"}, {"customer_id", cid}}}})});
  REQUIRE(status_of(first, 0) == "applied");
  REQUIRE(status_of(first, 1) == "applied");
  std::string cursor;
  d.pull_all(500, &cursor);
  // Another name, phone and code: only the id is the customer's.
  json again = d.push({d.m("customer.create", {{"customer", d.customer(cid, "宁波另一家医疗器械有限公司" + uniq("n"))}}),
                       d.m("activity.log", {{"activity", {{"id", aid}, {"kind", "visit"}, {"customer_id", cid}}}}),
                       d.m("activity.log", {{"activity", {{"id", aid2}, {"kind", "call"}, {"customer_id", cid}}}}),
                       d.m("activity.log", {{"activity", {{"id", aid2}, {"kind", "visit"}, {"customer_id", cid}}}})});
  CHECK(status_of(again, 0) == "rejected");
  CHECK(status_of(again, 1) == "rejected");
  CHECK(status_of(again, 2) == "applied");
  CHECK(status_of(again, 3) == "rejected");
  for (int i : {0, 1, 3}) CHECK_MESSAGE(again["results"][i]["problems"][0]["code"] == "record_exists", again.dump());
  Device other(shared_server(), "rep9");
  json theirs = other.push({other.m("activity.log", {{"activity", {{"id", aid}, {"kind", "call"}, {"customer_id", cid}}}})});
  CHECK(status_of(theirs, 0) == "rejected");
  CHECK(theirs["results"][0]["problems"][0]["code"] == "record_exists");
  // The next pull brings the one new activity and nothing else; the first activity is as it was.
  json page = d.pull(cursor);
  REQUIRE(page["changes"].size() == 1);
  CHECK(page["changes"][0]["id"] == aid2);
  CHECK(page["changes"][0]["record"]["kind"] == "call");
  auto acts = body_json(d.get("/api/v1/activities?customer_id=" + cid));
  CHECK(acts["total"] == 2);
}

TEST_CASE("two people editing the same opportunity offline: the stage conflict is surfaced, not overwritten") {
  Device rep(shared_server(), "rep6");
  Device mgr(shared_server(), "manager1");
  Owned o = make_records(rep, "conflict");
  // Both saw version 1 at stage 0. The rep advances first.
  json a = rep.push({rep.m("opportunity.advance", {{"id", o.opportunity}, {"from_stage", 0}, {"evidence", evidence()}}, 1)});
  REQUIRE(status_of(a, 0) == "applied");
  // The manager, still on version 1, moves it back and changes the amount and the title.
  json b = mgr.push({mgr.m("opportunity.move_back", {{"id", o.opportunity}, {"from_stage", 0}, {"to_stage", 0}, {"reason", "重新确认"}}, 1),
                     mgr.m("opportunity.update", {{"id", o.opportunity}, {"set", {{"title", "经理改的标题"}, {"expected_amount_fen", 999}}}}, 1)});
  REQUIRE(status_of(b, 0) == "applied");
  REQUIRE(b["results"][0]["conflicts"].size() == 1);
  CHECK(b["results"][0]["conflicts"][0]["field"] == "stage");
  CHECK(b["results"][0]["conflicts"][0]["server_value"] == 1);
  CHECK(b["results"][0]["conflicts"][0]["resolution"] == "server_kept");
  CHECK(b["results"][1]["conflicts"][0]["field"] == "expected_amount_fen");
  json opp = body_json(rep.get("/api/v1/opportunities/" + o.opportunity));
  CHECK(opp["stages"].back()["stage"] == 1);
  CHECK(opp["expected_amount_fen"] == 100000);
  CHECK(opp["title"] == "经理改的标题");  // ordinary field: last writer wins
  bool seen = false;
  const json mgr_pull = mgr.pull();  // keep the temporary alive for the loop
  for (const auto& c : mgr_pull["conflicts"]) seen |= c["id"] == o.opportunity && c["field"] == "stage";
  CHECK(seen);
}

TEST_CASE("pull pages through upserts and tombstones with an opaque cursor") {
  Device d(shared_server(), "rep7");
  const std::string cid = uniq("c-page");
  json batch = json::array({d.m("customer.create", {{"customer", d.customer(cid)}})});
  std::vector<std::string> acts;
  for (int i = 0; i < 24; ++i) {
    acts.push_back(uniq("a-page"));
    batch.push_back(d.m("activity.log", {{"activity", {{"id", acts.back()}, {"kind", "call"}, {"customer_id", cid}}}}));
  }
  d.push(batch);
  std::string cursor;
  auto all = d.pull_all(7, &cursor);
  int mine = 0;
  for (const auto& a : acts) mine += all.count({"activity", a});
  CHECK(mine == 24);
  CHECK(all.count({"customer", cid}) == 1);
  json first = d.pull("", 7);
  CHECK(first["changes"].size() == 7);
  CHECK(first["has_more"] == true);
  CHECK(first["cursor"].get<std::string>().find(':') == std::string::npos);  // opaque, not "seq:…"
  // Delete one: a pull from the last cursor carries exactly its tombstone.
  d.push({d.m("activity.delete", {{"id", acts[3]}}, 1)});
  json next = d.pull(cursor);
  REQUIRE(next["changes"].size() == 1);
  CHECK(next["changes"][0]["id"] == acts[3]);
  CHECK(next["changes"][0]["deleted"] == true);
  CHECK(next["has_more"] == false);
  CHECK(d.pull(next["cursor"])["changes"].empty());
  auto bad = d.pull_raw("not-a-cursor!!");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(body_json(bad)["error"]["code"] == "bad_cursor");
}

TEST_CASE("pull is scoped: rep1 never sees rep8's records, manager1 sees team 1 only, admin all") {
  Device rep1(shared_server(), "rep1"), rep8(shared_server(), "rep8"), rep2(shared_server(), "rep2");
  Device mgr1(shared_server(), "manager1"), admin(shared_server(), "admin");
  Owned r1 = make_records(rep1, "s1"), r8 = make_records(rep8, "s8"), r2 = make_records(rep2, "s2");
  auto v_rep1 = rep1.pull_all(), v_mgr1 = mgr1.pull_all(), v_admin = admin.pull_all();
  // The shared catalog (products, price lists, settings: no owner) is everyone's; the rest is scoped.
  auto shared = [](const std::string& type) { return type == "product" || type == "price_list" || type == "settings"; };
  for (const auto& [key, c] : v_rep1)
    if (!shared(key.first)) CHECK(c["record"]["owner_id"] == "user-rep1");
  CHECK(v_rep1.count({"customer", r1.customer}) == 1);
  CHECK(v_rep1.count({"customer", r8.customer}) == 0);
  CHECK(v_rep1.count({"customer", r2.customer}) == 0);
  CHECK(v_mgr1.count({"customer", r1.customer}) == 1);
  CHECK(v_mgr1.count({"customer", r2.customer}) == 1);
  CHECK(v_mgr1.count({"opportunity", r8.opportunity}) == 0);
  std::set<std::string> team1 = {"user-manager1"};
  for (int i = 1; i <= 7; ++i) team1.insert("user-rep" + std::to_string(i));
  for (const auto& [key, c] : v_mgr1) {
    if (shared(key.first)) continue;
    const std::string owner = c["record"].value("owner_id", std::string());
    if (key.first == "lead" && owner.empty()) continue;  // unassigned leads the team imported
    CHECK(team1.count(owner) == 1);
  }
  CHECK(v_admin.count({"customer", r8.customer}) == 1);
  CHECK(v_admin.count({"activity", r2.activity}) == 1);
}

TEST_CASE("a record reassigned to another team leaves the old scope as a removal on the next pull") {
  Device rep1(shared_server(), "rep1"), mgr1(shared_server(), "manager1"), admin(shared_server(), "admin");
  Owned r = make_records(rep1, "move");
  std::string rep_cursor, mgr_cursor;
  rep1.pull_all(500, &rep_cursor);
  mgr1.pull_all(500, &mgr_cursor);
  json moved = admin.push({admin.m("customer.update", {{"id", r.customer}, {"set", {{"owner_id", "user-rep8"}}}}, 1)});
  REQUIRE(status_of(moved, 0) == "applied");
  for (Device* d : {&rep1, &mgr1}) {
    json p = d->pull(d == &rep1 ? rep_cursor : mgr_cursor);
    bool removed = false;
    for (const auto& c : p["changes"]) removed |= c["id"] == r.customer && c["deleted"] == true;
    CHECK(removed);
  }
  CHECK(rep1.get("/api/v1/customers/" + r.customer)->status == 404);
}

TEST_CASE("schema_version is required on every sync request and only current or previous are accepted") {
  Device d(shared_server(), "rep2");
  auto missing = shared_server().client().Post("/api/v1/sync/push", bearer(d.token),
                                               json{{"client_id", d.client_id}, {"mutations", json::array()}}.dump(), "application/json");
  REQUIRE(missing);
  CHECK(missing->status == 400);
  CHECK(body_json(missing)["error"]["code"] == "schema_version_required");
  auto future = d.push_raw(json::array(), 99);
  REQUIRE(future);
  CHECK(future->status == 400);
  CHECK(body_json(future)["error"]["code"] == "schema_version_unsupported");
  auto pull_missing = d.pull_raw("", 10, "");
  REQUIRE(pull_missing);
  CHECK(pull_missing->status == 400);
  CHECK(body_json(pull_missing)["error"]["code"] == "schema_version_required");
  CHECK(d.pull_raw("", 10, "99")->status == 400);
  CHECK(d.pull_raw("", 10, "1")->status == 200);
}

TEST_CASE("a device registers once and keeps its short number; another user cannot take its client id") {
  const std::string cid = uniq("dev-reg");
  auto t1 = shared_server().login("rep1"), t2 = shared_server().login("rep2");
  auto reg = [&](const std::string& t) {
    return shared_server().client().Post("/api/v1/sync/register", bearer(t), json{{"client_id", cid}}.dump(), "application/json");
  };
  auto a = reg(t1), b = reg(t1), c = reg(t2);
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(c);
  CHECK(a->status == 200);
  CHECK(body_json(a)["device_no"] == body_json(b)["device_no"]);
  // core ids.h: the device code is the Crockford base-32 form of the number, and codes carry it.
  const auto no = body_json(a)["device_no"].get<std::uint32_t>();
  CHECK(body_json(a)["device_code"] == cl::device_code(no));
  CHECK(cl::parse_device_code(body_json(a)["device_code"].get<std::string>()) == no);
  CHECK(body_json(a)["customer_code_prefix"] == "KH-" + cl::device_code(no) + "-");
  CHECK(cl::customer_code(no, 1).rfind(body_json(a)["customer_code_prefix"].get<std::string>(), 0) == 0);
  CHECK(c->status == 409);
}

TEST_CASE("a push sees the activities it wrote as text: a second log of the id is refused, a delete finds it") {
  // A new activity is stored as text and not kept in the batch's cache (push_record_cache.h): the
  // mutations after it in the same push must still find it, in the transaction's own writes — also
  // when the cache had already learnt, from a delete before the log, that the id was free.
  Device d(shared_server(), "rep1");
  const std::string cid = uniq("c-tx");
  const std::string aid = uniq("a-tx"), kept = uniq("a-kept");
  json r = d.push({d.m("activity.delete", {{"id", aid}}, 1),
                   d.m("customer.create", {{"customer", d.customer(cid)}}),
                   d.m("activity.log", {{"activity", {{"id", aid}, {"kind", "call"}, {"customer_id", cid}, {"summary", "电话 \"报价\"\n跟进"}}}}),
                   d.m("activity.log", {{"activity", {{"id", aid}, {"kind", "visit"}, {"customer_id", cid}}}}),
                   d.m("activity.delete", {{"id", aid}}, 1),
                   d.m("activity.log", {{"activity", {{"id", kept}, {"kind", "visit"}, {"customer_id", cid}, {"summary", "拜访"}}}})});
  INFO(r.dump());
  REQUIRE(r["results"].size() == 6);
  CHECK(r["results"][0]["status"] == "rejected");  // nothing to delete yet
  CHECK(r["results"][1]["status"] == "applied");
  CHECK(r["results"][2]["status"] == "applied");
  CHECK(r["results"][3]["status"] == "rejected");
  CHECK(r["results"][3]["problems"][0]["code"] == "record_exists");
  CHECK(r["results"][4]["status"] == "applied");
  CHECK(r["results"][5]["status"] == "applied");
  auto all = d.pull_all();
  CHECK(all.count({"activity", aid}) == 0);  // deleted in the same push
  REQUIRE(all.count({"activity", kept}) == 1);
  const json& rec = all.at({"activity", kept})["record"];
  CHECK(rec["summary"] == "拜访");
  CHECK(rec["kind"] == "visit");
  CHECK(rec["version"] == 1);
  CHECK(rec["owner_id"].get<std::string>().size() > 0);
  CHECK(rec["schema_version"] == 1);
}

TEST_CASE("a cursor older than the tombstone horizon must refetch") {
  TestServer s;
  Device d(s, "rep1");
  const std::string cid = uniq("c-h");
  const std::string aid = uniq("a-h");
  d.push({d.m("customer.create", {{"customer", d.customer(cid)}}),
          d.m("activity.log", {{"activity", {{"id", aid}, {"kind", "call"}, {"customer_id", cid}}}})});
  std::string old_cursor = d.pull("", 1)["cursor"];  // after the first change only
  d.push({d.m("activity.delete", {{"id", aid}}, 1)});
  std::string head;
  d.pull_all(500, &head);
  auto admin = s.login("admin");
  auto purge = s.client().Post("/api/v1/admin/sync/purge-tombstones", bearer(admin), json{{"up_to_seq", 1000000}}.dump(), "application/json");
  REQUIRE(purge);
  CHECK(purge->status == 200);
  CHECK(body_json(purge)["purged"].get<int>() >= 1);
  auto old = d.pull_raw(old_cursor);
  REQUIRE(old);
  CHECK(old->status == 409);
  CHECK(body_json(old)["error"]["code"] == "must_refetch");
  CHECK(d.pull_raw("")->status == 200);  // a full refetch always works
  auto rep_purge = s.client().Post("/api/v1/admin/sync/purge-tombstones", bearer(d.token), json{{"up_to_seq", 1}}.dump(), "application/json");
  CHECK(rep_purge->status == 403);
}

TEST_CASE("read endpoints list, search and page within the scope") {
  Device d(shared_server(), "rep2");
  const std::string tag = uniq("搜索");
  Owned r = make_records(d, tag);
  json list = body_json(d.get("/api/v1/customers?q=" + pct("机密客户" + tag)));
  INFO(list.dump());
  REQUIRE(list["total"] == 1);
  CHECK(list["items"][0]["id"] == r.customer);
  json opps = body_json(d.get("/api/v1/opportunities?customer_id=" + r.customer));
  CHECK(opps["total"] == 1);
  json page = body_json(d.get("/api/v1/activities?limit=1&offset=0"));
  CHECK(page["items"].size() == 1);
  CHECK(page["limit"] == 1);
  CHECK(d.get("/api/v1/customers?limit=abc")->status == 400);
  CHECK(body_json(d.get("/api/v1/customers/" + r.customer))["name"] == "机密客户" + tag);
}

TEST_CASE("authorization matrix: each role x each endpoint x a record outside the scope is denied") {
  TestServer& s = shared_server();
  Device rep8(s, "rep8"), rep2(s, "rep2");
  Owned other_team = make_records(rep8, "mx8");    // outside rep1's and manager1's scope
  Owned same_team = make_records(rep2, "mx2");     // outside rep1's scope only
  const std::string lead_other = uniq("l-mx8"), lead_same = uniq("l-mx2");
  seed_lead(s, lead_other, "user-rep8", "team-2");
  seed_lead(s, lead_same, "user-rep2", "team-1");
  // Unassigned leads a team imported: only that team's manager (and admins) may act on them, no rep.
  const std::string none_t1 = uniq("l-none1"), none_t2 = uniq("l-none2");
  seed_lead(s, none_t1, "", "team-1", "imported");
  seed_lead(s, none_t2, "", "team-2", "imported");
  // What a duplicate-customer refusal must never reveal to someone outside the scope (R5 + R33).
  auto secret_of = [](Device& owner, const std::string& customer_id) {
    json c = body_json(owner.get("/api/v1/customers/" + customer_id));
    return std::vector<std::string>{c["id"], c["code"], c["name"], c["owner_id"], c["phone"]};
  };
  const auto other_secret = secret_of(rep8, other_team.customer), same_secret = secret_of(rep2, same_team.customer);
  // A pending quote (R20) on each out-of-scope customer: nobody outside submits, approves or rejects it.
  const std::string product = seed_priced_product(s, 100000);
  const std::string quote_other = uniq("q-mx8"), quote_same = uniq("q-mx2");
  for (auto [dev, quote, customer] : {std::tuple<Device*, std::string, std::string>{&rep8, quote_other, other_team.customer},
                                      {&rep2, quote_same, same_team.customer}}) {
    json q = dev->push({dev->m("quote.create", quote_args(quote, customer, product, 3000)), dev->m("quote.submit", {{"id", quote}}, 1)});
    REQUIRE_MESSAGE(status_of(q, 1) == "applied", q.dump());
  }

  struct Target {
    Owned rec;
    std::string lead, label, unowned;
    std::vector<std::string> secret;  // id, code, name, owner, phone of rec.customer
    std::string quote;
  };
  struct Caller {
    std::string user;
    std::vector<Target> outside;
  };
  std::vector<Caller> callers = {
      {"rep1", {{other_team, lead_other, "other team", none_t2, other_secret, quote_other},
                {same_team, lead_same, "same team, other rep", none_t1, same_secret, quote_same}}},
      {"manager1", {{other_team, lead_other, "other team", none_t2, other_secret, quote_other}}},
      {"rep9", {{same_team, lead_same, "other team", none_t1, same_secret, quote_same}}},
      {"manager2", {{same_team, lead_same, "other team", none_t1, same_secret, quote_same}}},
  };
  int cells = 0;
  auto denied = [&](bool ok, const std::string& what) {
    ++cells;
    CHECK_MESSAGE(ok, what);
  };
  const std::string missing_body = body_json(rep2.get("/api/v1/customers/no-such-id")).dump();

  for (auto& caller : callers) {
    Device d(s, caller.user);
    for (const auto& t : caller.outside) {
      const std::string ctx = caller.user + " / " + t.label + " / ";
      // Reads by id: 404 exactly like a missing record.
      std::vector<std::pair<std::string, std::string>> by_id = {{"customers", t.rec.customer}, {"opportunities", t.rec.opportunity},
                                                                {"activities", t.rec.activity}, {"leads", t.lead}, {"leads", t.unowned}};
      for (const auto& [path, id] : by_id) {
        auto res = d.get("/api/v1/" + path + "/" + id);
        denied(res && res->status == 404, ctx + "GET /" + path + "/{id}");
        if (path == "customers") CHECK(body_json(res).dump() == missing_body);
      }
      // Lists, search and counts: nothing of the record shows, not even in "total".
      std::vector<std::string> lists = {"/api/v1/customers?q=" + pct("机密客户"),
                                        "/api/v1/opportunities?customer_id=" + t.rec.customer,
                                        "/api/v1/activities?customer_id=" + t.rec.customer,
                                        "/api/v1/leads?q=" + pct("机密线索公司")};
      for (const auto& url : lists) {
        json body = body_json(d.get(url));
        bool leaked = false;
        for (const auto& item : body["items"])
          leaked |= item["id"] == t.rec.customer || item["id"] == t.rec.opportunity || item["id"] == t.rec.activity || item["id"] == t.lead ||
                    item["id"] == t.unowned;
        if (url.find("customer_id=") != std::string::npos) leaked |= body["total"] != 0;
        denied(!leaked && body.contains("total"), ctx + "GET " + url.substr(0, url.find('?')));
      }
      // Pull: the records never arrive.
      auto view = d.pull_all();
      denied(!view.count({"customer", t.rec.customer}) && !view.count({"opportunity", t.rec.opportunity}) &&
                 !view.count({"activity", t.rec.activity}) && !view.count({"lead", t.lead}) && !view.count({"lead", t.unowned}) &&
                 !view.count({"quote", t.quote}),
             ctx + "GET /sync/pull");
      // Writes through push: every mutation on the record is rejected as not_found and changes nothing.
      std::vector<json> writes = {
          d.m("customer.update", {{"id", t.rec.customer}, {"set", {{"phone", "13000000000"}}}}, 1),
          d.m("opportunity.create", {{"opportunity", {{"id", uniq("o-x")}, {"customer_id", t.rec.customer}, {"title", "x"}}}}),
          d.m("opportunity.update", {{"id", t.rec.opportunity}, {"set", {{"title", "x"}}}}, 1),
          d.m("opportunity.advance", {{"id", t.rec.opportunity}, {"from_stage", 0}, {"evidence", evidence()}}, 1),
          d.m("opportunity.move_back", {{"id", t.rec.opportunity}, {"from_stage", 0}, {"to_stage", 0}, {"reason", "x"}}, 1),
          d.m("opportunity.close", {{"id", t.rec.opportunity}, {"outcome", "lost"}, {"reason", "x"}}, 1),
          d.m("activity.log", {{"activity", {{"id", uniq("a-x")}, {"kind", "call"}, {"customer_id", t.rec.customer}}}}),
          d.m("activity.delete", {{"id", t.rec.activity}}, 1),
          d.m("lead.touch", {{"id", t.lead}, {"outcome", "x"}}, 1),
          d.m("lead.convert", {{"id", t.lead}, {"customer_id", uniq("c-x")}, {"customer_code", uniq("X")}, {"opportunity_id", uniq("o-x")}}, 1),
          d.m("lead.assign", {{"id", t.lead}, {"owner_id", caller.user == "manager2" ? "user-rep8" : "user-" + caller.user}}, 1),
          d.m("lead.touch", {{"id", t.unowned}, {"outcome", "x"}}, 1),
          d.m("lead.convert", {{"id", t.unowned}, {"customer_id", uniq("c-x")}, {"customer_code", uniq("X")}, {"opportunity_id", uniq("o-x")}}, 1),
          d.m("lead.assign", {{"id", t.unowned}, {"owner_id", caller.user == "manager2" ? "user-rep8" : "user-" + caller.user}}, 1),
          d.m("quote.create", quote_args(uniq("q-x"), t.rec.customer, product, 0)),
          d.m("quote.submit", {{"id", t.quote}}, 2),
          d.m("quote.approve", {{"id", t.quote}, {"note", "x"}}, 2),
          d.m("quote.reject", {{"id", t.quote}, {"note", "x"}}, 2),
      };
      json r = d.push(json(writes));
      for (std::size_t i = 0; i < writes.size(); ++i)
        denied(status_of(r, i) == "rejected" && r["results"][i]["problems"][0]["code"] == "not_found",
               ctx + "push " + writes[i]["name"].get<std::string>());
      // A duplicate of the record (same phone, same name) is refused without naming it (R5 + R33).
      for (const char* how : {"phone", "name"}) {
        json dup = d.customer(uniq("c-dupx"));
        dup[how] = how == std::string("phone") ? t.secret[4] : t.secret[2];
        json res = d.push({d.m("customer.create", {{"customer", dup}})})["results"][0];
        bool leaked = false;
        for (const auto& p : res["problems"])
          for (std::size_t k = 0; k < 4; ++k)
            leaked |= p["message_zh"].get<std::string>().find(t.secret[k]) != std::string::npos ||
                      p["message_en"].get<std::string>().find(t.secret[k]) != std::string::npos;
        denied(res["status"] == "rejected" && res["problems"][0]["code"] == "duplicate_customer" && !leaked,
               ctx + "push customer.create duplicate by " + how);
      }
    }
  }
  // The owner's copy is untouched by all of the above.
  json c = body_json(rep8.get("/api/v1/customers/" + other_team.customer));
  CHECK(c["version"] == 1);
  CHECK(body_json(rep8.get("/api/v1/opportunities/" + other_team.opportunity))["stages"].size() == 1);

  // No token at all: every endpoint answers 401.
  std::vector<std::pair<std::string, std::string>> endpoints = {
      {"GET", "/api/v1/customers"}, {"GET", "/api/v1/customers/" + other_team.customer}, {"GET", "/api/v1/opportunities"},
      {"GET", "/api/v1/opportunities/" + other_team.opportunity}, {"GET", "/api/v1/leads"}, {"GET", "/api/v1/leads/" + lead_other},
      {"GET", "/api/v1/activities"}, {"GET", "/api/v1/activities/" + other_team.activity},
      {"GET", "/api/v1/sync/pull?client_id=x&schema_version=1"}, {"POST", "/api/v1/sync/push"}, {"POST", "/api/v1/sync/register"},
      {"POST", "/api/v1/admin/sync/purge-tombstones"}, {"GET", "/api/v1/settings"}, {"PUT", "/api/v1/settings"}};
  for (const auto& [method, path] : endpoints) {
    auto res = method == "GET"   ? s.client().Get(path)
               : method == "PUT" ? s.client().Put(path, "{}", "application/json")
                                 : s.client().Post(path, "{}", "application/json");
    denied(res && res->status == 401, "anonymous " + method + " " + path);
  }
  for (const char* who : {"rep1", "manager1"}) {
    auto t = s.login(who);
    auto res = s.client().Post("/api/v1/admin/sync/purge-tombstones", bearer(t), json{{"up_to_seq", 1}}.dump(), "application/json");
    denied(res && res->status == 403, std::string(who) + " purge-tombstones");
    // Company settings: every role reads them, only an admin writes them.
    auto put = s.client().Put("/api/v1/settings", bearer(t), json{{"settings", cl::encode(cl::default_settings())}}.dump(), "application/json");
    denied(put && put->status == 403, std::string(who) + " PUT /settings");
  }
  MESSAGE("sync/records authorization matrix: " << cells << " cells");
  std::printf("sync/records authorization matrix: %d cells\n", cells);
  CHECK(cells > 100);
}

}  // TEST_SUITE

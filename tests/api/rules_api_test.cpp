// Server-side rules closed in session 2 (issue 4 gaps), against the real closeloop-server binary:
// the shared catalog in pulls, company settings (GET/PUT /api/v1/settings) feeding the sync rules,
// the company-wide duplicate-customer check (R5) without leaks (R33), managers acting on their team's
// leads (also unassigned ones), and customer codes bound to the pushing device (R5, core ids.h).
#include <doctest/doctest.h>

#include "core/codec.h"
#include "core/settings.h"
#include "server_harness.h"
#include "sync_device.h"

using namespace cl::apitest;
using namespace cl::apitest::sync_helpers;

namespace {

// Catalog rows (products, price lists) have no HTTP write endpoint yet: the tests put them straight
// into the store file, as an admin import would, with no owner and no team.
void put_catalog_row(TestServer& s, const std::string& type, const std::string& id, const json& body, bool deleted = false,
                     std::int64_t version = 1) {
  cl::server::SqliteStore store(s.data_dir() + "/closeloop.db", 0);
  store.transaction([&] {
    cl::server::RecordRow row;
    row.type = type;
    row.id = id;
    row.seq = store.next_seq();
    row.version = version;
    row.deleted = deleted;
    row.body = body.dump();
    store.put_record(row);
  });
}

json product(const std::string& id) {
  return json{{"id", id}, {"version", 1}, {"code", "P-" + id}, {"name", "骨科植入耗材 " + id}, {"model", "OT-14"},
              {"usage_cycle_months", 14}};
}

httplib::Result put_settings(TestServer& s, const std::string& token, const json& body) {
  return s.client().Put("/api/v1/settings", bearer(token), body.dump(), "application/json");
}

bool mentions(const json& problems, const std::string& text) {
  for (const auto& p : problems)
    if (p.value("message_zh", "").find(text) != std::string::npos || p.value("message_en", "").find(text) != std::string::npos)
      return true;
  return false;
}

}  // namespace

TEST_SUITE("rules") {

TEST_CASE("every role pulls the shared catalog (products, price lists, settings), with updates and tombstones") {
  TestServer& s = shared_server();
  const std::string pid = uniq("prod"), plid = uniq("pl"), gone = uniq("prod-gone");
  put_catalog_row(s, "product", pid, product(pid));
  put_catalog_row(s, "product", gone, product(gone));
  put_catalog_row(s, "price_list", plid,
                  json{{"id", plid}, {"version", 1}, {"name", "2026 年价目表"}, {"valid_from", "2026-01-01"}, {"valid_to", "2026-12-31"},
                       {"items", json::array({{{"product_id", pid}, {"unit_price_fen", 1250000}}})}});
  std::map<std::string, std::string> cursors;
  for (const char* who : {"rep1", "rep9", "manager1", "manager3", "admin"}) {
    Device d(s, who);
    std::string cursor;
    auto view = d.pull_all(7, &cursor);  // small pages: the catalog merges into paging correctly
    CHECK_MESSAGE(view.count({"product", pid}) == 1, who);
    CHECK_MESSAGE(view.count({"price_list", plid}) == 1, who);
    CHECK_MESSAGE(view.count({"product", gone}) == 1, who);
    if (view.count({"price_list", plid})) CHECK(view[{"price_list", plid}]["record"]["items"][0]["unit_price_fen"] == 1250000);
    // Nothing else that has no owner leaks in (e.g. unassigned leads stay with their team).
    for (const auto& [key, c] : view)
      if (c["record"].value("owner_id", std::string()).empty() && std::string(who) != "admin")
        CHECK_MESSAGE((key.first == "product" || key.first == "price_list" || key.first == "settings" || key.first == "lead"), key.first);
    cursors[who] = cursor;
  }
  // An update and a tombstone reach everyone from where they were.
  put_catalog_row(s, "product", pid, [&] { json p = product(pid); p["name"] = "改名的耗材"; p["version"] = 2; return p; }(), false, 2);
  put_catalog_row(s, "product", gone, json{{"id", gone}}, true, 2);
  for (const char* who : {"rep1", "manager1"}) {
    Device d(s, who);
    json page = d.pull(cursors[who]);
    bool updated = false, tombstoned = false;
    for (const auto& c : page["changes"]) {
      updated |= c["id"] == pid && c["deleted"] == false && c["record"]["name"] == "改名的耗材";
      tombstoned |= c["id"] == gone && c["deleted"] == true;
    }
    CHECK_MESSAGE(updated, who);
    CHECK_MESSAGE(tombstoned, who);
  }
  // A first sync after the change sees the new catalog, not the one the server kept in memory for
  // the earlier pulls (sync_service's CatalogCache follows catalog_state).
  {
    Device fresh(s, "rep2");
    std::string cursor;
    auto view = fresh.pull_all(7, &cursor);
    REQUIRE(view.count({"product", pid}) == 1);
    CHECK(view[{"product", pid}]["record"]["name"] == "改名的耗材");
    CHECK(view.count({"product", gone}) == 0);  // its tombstone came after it
  }
  // Read-only: no mutation writes the catalog, whoever asks.
  for (const char* who : {"rep1", "manager1", "admin"}) {
    Device d(s, who);
    json r = d.push({d.m("product.update", {{"id", pid}, {"set", {{"name", "x"}}}}, 2)});
    CHECK(status_of(r, 0) == "rejected");
    CHECK(r["results"][0]["problems"][0]["code"] == "unknown_mutation");
  }
}

TEST_CASE("GET /api/v1/settings returns core's defaults until an admin stores settings; PUT validates with core") {
  TestServer s;
  const auto rep = s.login("rep1"), mgr = s.login("manager1"), admin = s.login("admin");
  auto got = s.client().Get("/api/v1/settings", bearer(rep));
  REQUIRE(got);
  CHECK(got->status == 200);
  json g = body_json(got);
  CHECK(g["source"] == "default");
  CHECK(g["version"] == 0);
  CHECK(g["settings"] == cl::encode(cl::default_settings()));

  // Only an admin writes them.
  json edited = g["settings"];
  edited["required_customer_fields"].push_back("address");
  edited["discount_approval_bp"] = 1500;
  edited["stages"][0]["stall_hours"] = 72;
  for (const auto& t : {rep, mgr}) {
    auto res = put_settings(s, t, {{"settings", edited}});
    REQUIRE(res);
    CHECK(res->status == 403);
  }
  CHECK(s.client().Put("/api/v1/settings", edited.dump(), "application/json")->status == 401);

  // Bad input: 4xx JSON and nothing stored.
  json no_stages = edited;
  no_stages["stages"] = json::array();
  auto bad = put_settings(s, admin, {{"settings", no_stages}});
  REQUIRE(bad);
  CHECK(bad->status == 422);
  CHECK(body_json(bad)["error"]["code"] == "validation_failed");
  CHECK(body_json(bad)["error"]["fields"][0]["field"].get<std::string>().rfind("settings.stages", 0) == 0);
  json wrong_type = edited;
  wrong_type["escalation_hours"] = "soon";
  auto typed = put_settings(s, admin, {{"settings", wrong_type}});
  REQUIRE(typed);
  CHECK(typed->status == 422);
  CHECK(body_json(typed)["error"]["fields"][0]["field"] == "settings.escalation_hours");
  CHECK(put_settings(s, admin, {{"nope", 1}})->status == 400);
  CHECK(s.client().Put("/api/v1/settings", bearer(admin), "{not json", "application/json")->status == 400);
  CHECK(body_json(s.client().Get("/api/v1/settings", bearer(rep)))["source"] == "default");

  // A good edit is stored, versioned, returned to every role and pulled by every replica.
  Device d(s, "rep1");
  std::string cursor;
  d.pull_all(500, &cursor);
  // A push before the save runs on the defaults (address optional); the server keeps the settings it
  // decoded between pushes, and the save below must still reach the next push.
  CHECK(status_of(d.push({d.m("customer.create", {{"customer", d.customer(uniq("c-before"))}})}), 0) == "applied");
  auto ok = put_settings(s, admin, {{"settings", edited}, {"base_version", 0}});
  REQUIRE(ok);
  CHECK_MESSAGE(ok->status == 200, ok->body);
  CHECK(body_json(ok)["version"] == 1);
  json now = body_json(s.client().Get("/api/v1/settings", bearer(mgr)));
  CHECK(now["source"] == "stored");
  CHECK(now["version"] == 1);
  CHECK(now["settings"]["discount_approval_bp"] == 1500);
  CHECK(now["settings"]["stages"][0]["stall_hours"] == 72);
  json page = d.pull(cursor);
  bool pulled = false;
  for (const auto& c : page["changes"]) pulled |= c["type"] == "settings" && c["record"]["discount_approval_bp"] == 1500;
  CHECK(pulled);

  // A second admin's save on the old version is a conflict, not a silent overwrite.
  auto stale = put_settings(s, admin, {{"settings", g["settings"]}, {"base_version", 0}});
  REQUIRE(stale);
  CHECK(stale->status == 409);
  CHECK(body_json(stale)["error"]["code"] == "version_conflict");

  // The sync rules use the stored settings: address is now required (R4), so a create without it is refused.
  const std::string cid = uniq("c-addr");
  json r = d.push({d.m("customer.create", {{"customer", d.customer(cid)}})});
  CHECK(status_of(r, 0) == "rejected");
  bool address_named = false;
  for (const auto& p : r["results"][0]["problems"]) address_named |= p["field"] == "address";
  CHECK_MESSAGE(address_named, r.dump());
  json with_address = d.customer(uniq("c-addr2"));
  with_address["address"] = "杭州市西湖区";
  CHECK(status_of(d.push({d.m("customer.create", {{"customer", with_address}})}), 0) == "applied");
}

TEST_CASE("a duplicate customer is refused company-wide, named only to callers who may see it") {
  TestServer& s = shared_server();
  Device rep1(s, "rep1"), rep2(s, "rep2"), mgr1(s, "manager1"), rep9(s, "rep9"), admin(s, "admin");
  const std::string original = uniq("c-orig");
  const std::string name = "宁波" + uniq("甬江骨科医院");
  json c = rep1.customer(original, name);
  const std::string phone = c["phone"];
  const std::string code = c["code"];
  REQUIRE(status_of(rep1.push({rep1.m("customer.create", {{"customer", c}})}), 0) == "applied");

  auto attempt = [&](Device& d, bool same_phone, bool same_name) {
    json dup = d.customer(uniq("c-dup"), same_name ? name : "");
    if (same_phone) dup["phone"] = phone;
    json r = d.push({d.m("customer.create", {{"customer", dup}})});
    return r["results"][0];
  };
  auto leaks = [&](const json& problems) {
    return mentions(problems, original) || mentions(problems, code) || mentions(problems, name) || mentions(problems, "user-rep1") ||
           mentions(problems, "陈芳");
  };
  // rep2 (same team, but rep1's records are not theirs) and rep9 (other team): refused, told nothing about it.
  for (Device* d : {&rep2, &rep9}) {
    json res = attempt(*d, true, false);
    CHECK(res["status"] == "rejected");
    CHECK(res["problems"][0]["code"] == "duplicate_customer");
    CHECK(res["problems"][0]["field"] == "phone");
    CHECK(mentions(res["problems"], "ask your manager"));
    CHECK_FALSE(leaks(res["problems"]));
    json by_name = attempt(*d, false, true);
    CHECK(by_name["status"] == "rejected");
    CHECK(by_name["problems"][0]["field"] == "name");
    CHECK_FALSE(leaks(by_name["problems"]));
  }
  // The owner, their manager and an admin see which customer it is.
  for (Device* d : {&rep1, &mgr1, &admin}) {
    json res = attempt(*d, true, true);
    CHECK(res["status"] == "rejected");
    CHECK(res["problems"][0]["code"] == "duplicate_customer");
    CHECK(mentions(res["problems"], code));
    CHECK(mentions(res["problems"], original));
  }
  // Two creates of one customer in the same push: the second is the duplicate.
  json a = rep2.customer(uniq("c-twice")), b = rep2.customer(uniq("c-twice"));
  b["phone"] = a["phone"];
  json both = rep2.push({rep2.m("customer.create", {{"customer", a}}), rep2.m("customer.create", {{"customer", b}})});
  CHECK(status_of(both, 0) == "applied");
  CHECK(status_of(both, 1) == "rejected");
  CHECK(both["results"][1]["problems"][0]["code"] == "duplicate_customer");
  // A merely similar name is not a duplicate (the app warns; the server does not refuse).
  json similar = rep9.customer(uniq("c-sim"), name + "分院");
  CHECK(status_of(rep9.push({rep9.m("customer.create", {{"customer", similar}})}), 0) == "applied");
}

TEST_CASE("customer codes carry the pushing device's number (core ids.h) and the server re-checks them") {
  TestServer& s = shared_server();
  Device d(s, "rep3"), other(s, "rep4");
  REQUIRE(d.device_no != other.device_no);
  auto create = [&](Device& dev, const std::string& code) {
    json c = dev.customer(uniq("c-code"));
    c["code"] = code;
    return dev.push({dev.m("customer.create", {{"customer", c}})})["results"][0];
  };
  json foreign = create(d, cl::customer_code(other.device_no, 900));
  CHECK(foreign["status"] == "rejected");
  CHECK(foreign["problems"][0]["code"] == "invalid_code");
  CHECK(create(d, "D" + std::to_string(d.device_no) + "-0001")["problems"][0]["code"] == "invalid_code");
  CHECK(create(d, "KH-" + cl::device_code(d.device_no))["problems"][0]["code"] == "invalid_code");
  CHECK(create(d, cl::make_code("QT", d.device_no, 1))["problems"][0]["code"] == "invalid_code");
  const std::string good = cl::customer_code(d.device_no, 777);
  CHECK(create(d, good)["status"] == "applied");
  // The same good code again (e.g. a second client of the same user replaying it): taken.
  CHECK(create(d, good)["problems"][0]["code"] == "duplicate_code");
  // A client that never registered cannot mint codes at all.
  Device unregistered(s, "rep5");
  unregistered.client_id = uniq("dev-unregistered");
  CHECK(create(unregistered, cl::customer_code(unregistered.device_no, 1))["problems"][0]["code"] == "device_not_registered");
  // lead.convert makes a customer too: same rule.
  const std::string lead = uniq("l-code");
  seed_lead(s, lead, "user-rep3", "team-1");
  REQUIRE(status_of(d.push({d.m("lead.touch", {{"id", lead}, {"outcome", "有意向"}}, 1)}), 0) == "applied");
  json conv = d.push({d.m("lead.convert", {{"id", lead}, {"customer_id", uniq("c-conv")}, {"customer_code", cl::customer_code(other.device_no, 901)},
                                         {"opportunity_id", uniq("o-conv")}, {"decision_maker_title", "主任"}, {"main_business", "骨科"},
                                         {"tags", {{"customer_type", "三甲医院"}, {"region", "杭州"}, {"first_channel", "展会"}}}}, 2)});
  CHECK(status_of(conv, 0) == "rejected");
  CHECK(conv["results"][0]["problems"][0]["code"] == "invalid_code");
}

TEST_CASE("managers touch, convert and reassign their team's leads (also unassigned ones); reps only their own") {
  TestServer& s = shared_server();
  Device mgr1(s, "manager1"), mgr2(s, "manager2"), rep1(s, "rep1"), rep2(s, "rep2"), admin(s, "admin");
  const std::string team_lead = uniq("l-team"), nobody_lead = uniq("l-none"), rep2_lead = uniq("l-rep2");
  seed_lead(s, team_lead, "", "team-1", "imported");    // imported by manager1's team, unassigned
  seed_lead(s, nobody_lead, "", "", "imported");        // imported by an admin: no team
  seed_lead(s, rep2_lead, "user-rep2", "team-1");

  // Reads follow the same scope.
  CHECK(mgr1.get("/api/v1/leads/" + team_lead)->status == 200);
  CHECK(mgr1.pull_all().count({"lead", team_lead}) == 1);
  CHECK(mgr2.get("/api/v1/leads/" + team_lead)->status == 404);
  CHECK(rep1.get("/api/v1/leads/" + team_lead)->status == 404);

  // The manager touches the unassigned team lead: applied, and it stays with the team.
  json t = mgr1.push({mgr1.m("lead.touch", {{"id", team_lead}, {"outcome", "电话沟通，有兴趣"}}, 1)});
  REQUIRE_MESSAGE(status_of(t, 0) == "applied", t.dump());
  CHECK(mgr1.get("/api/v1/leads/" + team_lead)->status == 200);
  CHECK(body_json(mgr1.get("/api/v1/leads/" + team_lead))["first_touched_by"] == "user-manager1");
  // Others may not: another team's manager, a rep, and anyone on a lead of no team but an admin.
  for (Device* d : {&mgr2, &rep1}) {
    json r = d->push({d->m("lead.touch", {{"id", team_lead}, {"outcome", "x"}}, 2),
                      d->m("lead.assign", {{"id", team_lead}, {"owner_id", d == &mgr2 ? "user-rep8" : "user-rep1"}}, 2)});
    CHECK(r["results"][0]["problems"][0]["code"] == "not_found");
    CHECK(r["results"][1]["problems"][0]["code"] == "not_found");
  }
  CHECK(mgr1.push({mgr1.m("lead.touch", {{"id", nobody_lead}, {"outcome", "x"}}, 1)})["results"][0]["problems"][0]["code"] == "not_found");
  CHECK(status_of(admin.push({admin.m("lead.touch", {{"id", nobody_lead}, {"outcome", "管理员跟进"}}, 1)}), 0) == "applied");

  // Reassign: the manager gives the team lead to rep1 (a member of the team) — not to another team's rep.
  std::string rep1_cursor;
  rep1.pull_all(500, &rep1_cursor);
  json outside = mgr1.push({mgr1.m("lead.assign", {{"id", team_lead}, {"owner_id", "user-rep8"}}, 2)});
  CHECK(outside["results"][0]["problems"][0]["code"] == "forbidden");
  json given = mgr1.push({mgr1.m("lead.assign", {{"id", team_lead}, {"owner_id", "user-rep1"}, {"base", {{"owner_id", ""}}}}, 2)});
  REQUIRE_MESSAGE(status_of(given, 0) == "applied", given.dump());
  json lead = body_json(rep1.get("/api/v1/leads/" + team_lead));
  CHECK(lead["owner_id"] == "user-rep1");
  CHECK(lead["status"] == "touched");
  bool arrived = false;
  const json rep1_page = rep1.pull(rep1_cursor);
  for (const auto& c : rep1_page["changes"]) arrived |= c["id"] == team_lead && c["deleted"] == false;
  CHECK(arrived);
  // A rep never reassigns, not even their own lead.
  CHECK(rep1.push({rep1.m("lead.assign", {{"id", team_lead}, {"owner_id", "user-rep2"}}, 3)})["results"][0]["problems"][0]["code"] == "forbidden");
  // A stale reassignment (made on version 1 when the owner was still empty) is a conflict, not an overwrite.
  json stale = mgr1.push({mgr1.m("lead.assign", {{"id", team_lead}, {"owner_id", "user-rep3"}, {"base", {{"owner_id", ""}}}}, 1)});
  CHECK(status_of(stale, 0) == "applied");
  CHECK(stale["results"][0]["conflicts"][0]["field"] == "owner_id");
  CHECK(body_json(rep1.get("/api/v1/leads/" + team_lead))["owner_id"] == "user-rep1");

  // rep2's lead: the manager moves it to rep3; rep2's next pull removes it from their replica.
  std::string rep2_cursor;
  rep2.pull_all(500, &rep2_cursor);
  REQUIRE(status_of(mgr1.push({mgr1.m("lead.assign", {{"id", rep2_lead}, {"owner_id", "user-rep3"}}, 1)}), 0) == "applied");
  bool removed = false;
  const json rep2_page = rep2.pull(rep2_cursor);
  for (const auto& c : rep2_page["changes"]) removed |= c["id"] == rep2_lead && c["deleted"] == true;
  CHECK(removed);

  // The manager converts an unassigned team lead: customer and opportunity are the manager's.
  const std::string conv_lead = uniq("l-conv");
  seed_lead(s, conv_lead, "", "team-1", "imported", "转化测试医院" + conv_lead);
  REQUIRE(status_of(mgr1.push({mgr1.m("lead.touch", {{"id", conv_lead}, {"outcome", "约了拜访"}}, 1)}), 0) == "applied");
  const std::string cid = uniq("c-conv"), oid = uniq("o-conv");
  json conv = mgr1.push({mgr1.m("lead.convert", {{"id", conv_lead}, {"customer_id", cid}, {"customer_code", cl::customer_code(mgr1.device_no, 5)},
                                                 {"opportunity_id", oid}, {"decision_maker_title", "主任"}, {"main_business", "骨科"},
                                                 {"tags", {{"customer_type", "三甲医院"}, {"region", "杭州"}, {"first_channel", "展会"}}}}, 2)});
  REQUIRE_MESSAGE(status_of(conv, 0) == "applied", conv.dump());
  CHECK(body_json(mgr1.get("/api/v1/customers/" + cid))["owner_id"] == "user-manager1");
  CHECK(mgr1.get("/api/v1/leads/" + conv_lead)->status == 200);  // still the team's
}

TEST_CASE("quotes through sync: priced by the server, submitted, approved by the team's manager (R20, R30)") {
  TestServer& s = shared_server();
  Device rep1(s, "rep1"), mgr1(s, "manager1"), mgr2(s, "manager2");
  const std::string pid = seed_priced_product(s, 200000);  // ¥2,000.00
  const std::string cid = uniq("c-quote");
  REQUIRE(status_of(rep1.push({rep1.m("customer.create", {{"customer", rep1.customer(cid)}})}), 0) == "applied");
  const std::string small = uniq("q-small"), big = uniq("q-big");
  json sent = quote_args(small, cid, pid, 500);
  sent["quote"]["lines"][0]["unit_list_price_fen"] = 1;  // a client's price is never used
  json r = rep1.push({rep1.m("quote.create", sent), rep1.m("quote.create", quote_args(big, cid, pid, 2500)),
                      rep1.m("quote.submit", {{"id", small}}, 1), rep1.m("quote.submit", {{"id", big}}, 1)});
  for (int i = 0; i < 4; ++i) REQUIRE_MESSAGE(status_of(r, i) == "applied", r.dump());
  auto view = rep1.pull_all();
  REQUIRE(view.count({"quote", small}) == 1);
  const json q_small = view[{"quote", small}]["record"], q_big = view[{"quote", big}]["record"];
  CHECK(q_small["lines"][0]["unit_list_price_fen"] == 200000);
  CHECK(q_small["status"] == "approved");       // 5 % is within the default 10 % threshold
  CHECK(q_big["status"] == "pending_approval");  // 25 % needs the manager
  // manager2 (other team) cannot even see it; the rep cannot approve their own; manager1 can.
  CHECK(mgr2.push({mgr2.m("quote.approve", {{"id", big}}, 2)})["results"][0]["problems"][0]["code"] == "not_found");
  CHECK(rep1.push({rep1.m("quote.approve", {{"id", big}}, 2)})["results"][0]["problems"][0]["code"] == "approver_not_allowed");
  REQUIRE(status_of(mgr1.push({mgr1.m("quote.approve", {{"id", big}, {"note", "同意"}}, 2)}), 0) == "applied");
  json after = rep1.pull_all()[{"quote", big}]["record"];
  CHECK(after["status"] == "approved");
  CHECK(after["approved_by"] == "user-manager1");
  // The server's PDF renders the synced quote (same record, R18).
  auto pdf = s.client().Get("/api/v1/quotes/" + big + "/pdf", bearer(rep1.token));
  REQUIRE(pdf);
  CHECK(pdf->status == 200);
  CHECK(pdf->body.rfind("%PDF", 0) == 0);
}

TEST_CASE("customer edits keep the duplicate check right: an address edit keeps the match keys, a phone edit moves them") {
  // A push skips re-deriving a customer's match keys when name, phone and contacts are unchanged
  // (sync_service.cpp match_fields_unchanged); they must still be found, and a phone edit must move them.
  TestServer& s = shared_server();
  Device rep1(s, "rep1"), rep2(s, "rep2");
  const std::string id = uniq("c-keys");
  json c = rep1.customer(id);
  const std::string old_phone = c["phone"];
  REQUIRE(status_of(rep1.push({rep1.m("customer.create", {{"customer", c}})}), 0) == "applied");
  // An address edit, then a duplicate of the (unchanged) phone from another rep.
  json dup = rep2.customer(uniq("c-keys-dup"));
  dup["phone"] = old_phone;
  REQUIRE(status_of(rep1.push({rep1.m("customer.update", {{"id", id}, {"set", {{"address", "宁波市鄞州区"}}}}, 1)}), 0) == "applied");
  json refused = rep2.push({rep2.m("customer.create", {{"customer", dup}})})["results"][0];
  CHECK(refused["status"] == "rejected");
  CHECK(refused["problems"][0]["code"] == "duplicate_customer");
  // Now the phone changes (with an address edit in the same push before it): the old phone is free,
  // the new one is taken.
  json other = rep2.customer(uniq("c-keys-new"));
  const std::string new_phone = other["phone"];
  json edits = rep1.push({rep1.m("customer.update", {{"id", id}, {"set", {{"address", "宁波市江北区"}}}}, 2),
                          rep1.m("customer.update", {{"id", id}, {"set", {{"phone", new_phone}}}}, 3)});
  REQUIRE_MESSAGE(status_of(edits, 0) == "applied", edits.dump());
  REQUIRE_MESSAGE(status_of(edits, 1) == "applied", edits.dump());
  json taken = rep2.push({rep2.m("customer.create", {{"customer", other}})})["results"][0];
  CHECK(taken["status"] == "rejected");
  CHECK(taken["problems"][0]["code"] == "duplicate_customer");
  json freed = rep2.push({rep2.m("customer.create", {{"customer", dup}})})["results"][0];
  CHECK_MESSAGE(freed["status"] == "applied", freed.dump());
}

TEST_CASE("a first sync in pages of 3 and in one page gives the same records, the shared catalog included") {
  // The pull merges the catalog rows (shared, cached) into each page by seq: every record exactly once,
  // whatever the page boundaries (sync_service.cpp, the three-way merge of rows, catalog and exits).
  TestServer& s = shared_server();
  for (const char* who : {"rep1", "manager1"}) {
    Device d(s, who);
    std::string small_cursor, big_cursor;
    const auto small = d.pull_all(3, &small_cursor);
    const auto big = d.pull_all(5000, &big_cursor);
    CHECK_MESSAGE(small.size() == big.size(), who);
    CHECK(small == big);
    std::size_t catalog = 0;
    for (const auto& [key, c] : big) catalog += key.first == "product" || key.first == "price_list" || key.first == "settings";
    CHECK_MESSAGE(catalog > 0, who);
    CHECK(small_cursor == big_cursor);
  }
}

}  // TEST_SUITE

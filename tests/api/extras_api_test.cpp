// The extras endpoints against the REAL server binary on loopback (foundation harness), with real
// receivers: a robot that checks DingTalk signatures, an SMTP sink. Scheduler ticks use the admin
// endpoint with an injected instant, so a 48-hour stall takes no 48 hours.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "core/codec.h"
#include "core/time.h"
#include "extras_receivers.h"
#include "extras_server.h"
#include "server/evidence_store.h"

using namespace cl;
using cl::apitest::bearer;
using cl::apitest::body_json;
using cl::apitest::TestServer;
using json = nlohmann::json;

namespace {

Instant at(const char* iso) { return *parse_iso_instant(iso); }

json tick(TestServer& s, const std::string& admin, Instant when) {
  auto r = s.client().Post("/api/v1/admin/scheduler/tick", bearer(admin), json{{"at", to_iso_instant(when)}}.dump(),
                           "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return json::parse(r->body);
}

json inbox(TestServer& s, const std::string& token) {
  auto r = s.client().Get("/api/v1/inbox", bearer(token));
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return json::parse(r->body);
}

Opportunity opportunity(const std::string& id, const std::string& owner, Instant entered) {
  return test::open_opportunity(id, owner, entered, "cust-1");
}

Customer customer(const std::string& id, const std::string& owner, const std::string& name, const std::string& code) {
  Customer c;
  c.meta.id = id;
  c.meta.owner_id = owner;
  c.meta.version = 1;
  c.code = code;
  c.name = name;
  c.decision_maker = "王主任";
  c.decision_maker_title = "设备科主任";
  c.phone = "13812345678";
  c.main_business = "综合医院";
  c.tags = {{"customer_type", "三甲医院"}, {"region", "杭州"}, {"first_channel", "展会"}};
  return c;
}

void set_team_channels(TestServer& s, const std::string& admin, const std::string& team, const test::RobotReceiver& robot) {
  auto r = s.client().Put("/api/v1/admin/notify-channels/team/" + team, bearer(admin),
                          json{{"dingtalk_webhook", robot.dingtalk_url()}, {"dingtalk_secret", test::kRobotSecret},
                               {"wecom_webhook", robot.wecom_url()}}
                              .dump(),
                          "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
}

}  // namespace

TEST_CASE("a 48 h stall reminds the rep on DingTalk at level 1, the manager on WeCom 24 h later, and never a third time") {
  test::RobotReceiver robot;
  TestServer s({"--scheduler=off"});
  const auto admin = s.login("admin"), rep1 = s.login("rep1"), manager1 = s.login("manager1");
  set_team_channels(s, admin, "team-1", robot);
  const Instant t0 = at("2026-11-20T02:00:00Z");
  test::insert_record(s, "opportunity", "opp-1", "user-rep1", "team-1", "杭州", encode(opportunity("opp-1", "user-rep1", t0)));
  test::insert_record(s, "customer", "cust-1", "user-rep1", "team-1", "杭州", encode(customer("cust-1", "user-rep1", "杭州市第一人民医院", "KH-1")));

  CHECK(tick(s, admin, t0 + 47 * kHour)["inbox_added"] == 0);
  auto t48 = tick(s, admin, t0 + 48 * kHour);
  CHECK(t48["inbox_added"] == 1);
  CHECK(t48["delivered"] == 1);
  auto rep_inbox = inbox(s, rep1);
  REQUIRE(rep_inbox["items"].size() == 1);
  CHECK(rep_inbox["items"][0]["kind"] == "stall_level1");
  CHECK(rep_inbox["items"][0]["body_zh"].get<std::string>().find("骨科耗材年度采购") != std::string::npos);
  REQUIRE(robot.accepted_count() == 1);  // accepted = the signature checked out
  auto first = robot.accepted_copy()[0];
  CHECK(first["msgtype"] == "markdown");
  const std::string rep1_phone = test::query_text(s, "SELECT phone FROM users WHERE id = 'user-rep1'");
  REQUIRE_FALSE(rep1_phone.empty());
  CHECK(first["at"]["atMobiles"][0] == rep1_phone);  // @-mention of the rep in the team's group
  CHECK(first["markdown"]["text"].get<std::string>().find("@" + rep1_phone) != std::string::npos);
  CHECK(inbox(s, manager1)["items"].empty());

  CHECK(tick(s, admin, t0 + 60 * kHour)["inbox_added"] == 0);
  auto t72 = tick(s, admin, t0 + 72 * kHour);
  CHECK(t72["inbox_added"] == 1);
  auto mgr = inbox(s, manager1);
  REQUIRE(mgr["items"].size() == 1);
  CHECK(mgr["items"][0]["kind"] == "stall_level2");
  REQUIRE(robot.accepted_count() == 2);
  CHECK(robot.accepted_copy()[1]["msgtype"] == "text");
  CHECK(robot.accepted_copy()[1]["text"]["mentioned_mobile_list"][0] ==
        test::query_text(s, "SELECT phone FROM users WHERE id = 'user-manager1'"));

  auto later = tick(s, admin, t0 + 300 * kHour);
  CHECK(later["inbox_added"] == 0);
  CHECK(later["outbox_queued"] == 0);
  CHECK(robot.accepted_count() == 2);
  // R11: both sends are recorded on the stay itself (a new version of the opportunity).
  auto stored = json::parse(test::query_text(s, "SELECT body FROM records WHERE type = 'opportunity' AND id = 'opp-1'"));
  CHECK(stored["stages"][0]["level1_sent_at"] == t0 + 48 * kHour);
  CHECK(stored["stages"][0]["level2_sent_at"] == t0 + 72 * kHour);
  auto outbox = body_json(s.client().Get("/api/v1/admin/outbox?status=delivered", bearer(admin)));
  CHECK(outbox["messages"].size() == 2);
  // The outbox admin view is for admins only.
  CHECK(s.client().Get("/api/v1/admin/outbox", bearer(manager1))->status == 403);
  CHECK(s.client().Post("/api/v1/admin/scheduler/tick", bearer(rep1), "{}", "application/json")->status == 403);
}

TEST_CASE("a reminder whose robot fails is retried with backoff and delivered exactly once") {
  test::RobotReceiver robot;
  robot.fail_first = 2;
  TestServer s({"--scheduler=off"});
  const auto admin = s.login("admin");
  set_team_channels(s, admin, "team-1", robot);
  const Instant t0 = at("2026-11-20T02:00:00Z");
  test::insert_record(s, "opportunity", "opp-2", "user-rep2", "team-1", "", encode(opportunity("opp-2", "user-rep2", t0)));
  auto a = tick(s, admin, t0 + 49 * kHour);
  CHECK(a["retried"] == 1);
  CHECK(tick(s, admin, t0 + 49 * kHour + 30'000)["retried"] == 0);  // backoff: not due yet
  CHECK(tick(s, admin, t0 + 49 * kHour + kMinute)["retried"] == 1);
  CHECK(tick(s, admin, t0 + 49 * kHour + 3 * kMinute)["delivered"] == 1);
  CHECK(tick(s, admin, t0 + 50 * kHour)["delivered"] == 0);
  CHECK(robot.accepted_count() == 1);
  CHECK(robot.requests == 3);
  auto rows = body_json(s.client().Get("/api/v1/admin/outbox", bearer(admin)))["messages"];
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["attempts"] == 3);
  CHECK(rows[0]["status"] == "delivered");
  CHECK(rows[0].dump().find(test::kRobotSecret) == std::string::npos);
}

TEST_CASE("inbox items are acknowledged by their owner only") {
  test::RobotReceiver robot;
  TestServer s({"--scheduler=off"});
  const auto admin = s.login("admin"), rep1 = s.login("rep1"), rep2 = s.login("rep2");
  const Instant t0 = at("2026-11-20T02:00:00Z");
  test::insert_record(s, "opportunity", "opp-3", "user-rep1", "team-1", "", encode(opportunity("opp-3", "user-rep1", t0)));
  tick(s, admin, t0 + 50 * kHour);
  auto items = inbox(s, rep1)["items"];
  REQUIRE(items.size() == 1);
  const std::string id = std::to_string(items[0]["id"].get<long long>());
  CHECK(s.client().Post("/api/v1/inbox/" + id + "/ack", bearer(rep2), "", "application/json")->status == 404);
  auto ok = s.client().Post("/api/v1/inbox/" + id + "/ack", bearer(rep1), "", "application/json");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(body_json(ok)["item"]["acked_at"].is_string());
  CHECK(inbox(s, rep1)["unacked"] == 0);
  CHECK(s.client().Get("/api/v1/inbox")->status == 401);
}

TEST_CASE("evidence upload: mismatch 400, oversize 413, wrong type 415, idempotent re-upload, read only within scope") {
  TestServer s({"--scheduler=off", "--evidence-max-bytes", "4096"});
  const auto rep1 = s.login("rep1"), rep2 = s.login("rep2"), admin = s.login("admin"), manager1 = s.login("manager1");
  std::string png("\x89PNG\r\n\x1A\n", 8);
  png += "pretend image 回单";
  const std::string sha = server::sha256_hex(png);
  auto put = [&](const std::string& token, const std::string& hash, const std::string& bytes) {
    return s.client().Put("/api/v1/evidence/" + hash, bearer(token), bytes, "application/octet-stream");
  };
  CHECK(put(rep1, server::sha256_hex(png + "x"), png)->status == 400);
  const int traversal = put(rep1, "..%2F..%2Fetc%2Fpasswd", png)->status;
  CHECK((traversal == 400 || traversal == 404));  // never a write outside the evidence folder
  std::string big = "%PDF-1.4\n" + std::string(5000, 'a');
  CHECK(put(rep1, server::sha256_hex(big), big)->status == 413);
  std::string html = "<html><script>alert(1)</script></html>";
  CHECK(put(rep1, server::sha256_hex(html), html)->status == 415);
  auto first = put(rep1, sha, png);
  REQUIRE(first);
  CHECK(first->status == 201);
  CHECK(body_json(first)["evidence"]["mime_type"] == "image/png");
  CHECK(put(rep1, sha, png)->status == 200);
  CHECK(test::count_rows(s, "SELECT count(*) FROM evidence_files") == 1);
  auto back = s.client().Get("/api/v1/evidence/" + sha, bearer(rep1));
  REQUIRE(back);
  CHECK(back->status == 200);
  CHECK(back->body == png);
  CHECK(back->get_header_value("Content-Type") == "image/png");
  CHECK(back->get_header_value("X-Content-Type-Options") == "nosniff");
  // rep2 neither uploaded it nor sees a record that references it: 404, as if it did not exist.
  CHECK(s.client().Get("/api/v1/evidence/" + sha, bearer(rep2))->status == 404);
  CHECK(s.client().Get("/api/v1/evidence/" + sha, bearer(admin))->status == 200);
  // Once an opportunity of team 1 references it, the team's manager may read it.
  CHECK(s.client().Get("/api/v1/evidence/" + sha, bearer(manager1))->status == 404);
  auto o = opportunity("opp-e", "user-rep1", at("2026-11-20T02:00:00Z"));
  o.stages[0].evidence.push_back({sha, "回单.png", "image/png", static_cast<std::int64_t>(png.size()), "银行回单", "user-rep1", 0});
  test::insert_record(s, "opportunity", "opp-e", "user-rep1", "team-1", "", encode(o));
  CHECK(s.client().Get("/api/v1/evidence/" + sha, bearer(manager1))->status == 200);
  CHECK(s.client().Get("/api/v1/evidence/" + sha, bearer(rep2))->status == 404);
  CHECK(s.client().Get("/api/v1/evidence/" + sha)->status == 401);
  // Stored content-addressed under evidence/ab/cdef…
  CHECK(std::filesystem::exists(std::filesystem::path(s.data_dir()) / "evidence" / sha.substr(0, 2) / sha.substr(2)));
}

TEST_CASE("share links: a manager shares their team read-only, phones masked, other teams invisible, revocable") {
  TestServer s({"--scheduler=off"});
  const auto manager1 = s.login("manager1"), manager2 = s.login("manager2"), rep1 = s.login("rep1");
  auto create = [&](const std::string& token, const json& body) {
    return s.client().Post("/api/v1/share-links", bearer(token), body.dump(), "application/json");
  };
  CHECK(create(rep1, {{"team_id", "team-1"}})->status == 403);
  CHECK(create(manager1, {{"team_id", "team-2"}})->status == 403);
  CHECK(create(manager1, {{"region", "宁波"}})->status == 403);
  CHECK(create(manager1, {{"team_id", 5}})->status == 400);
  auto created = create(manager1, {{"team_id", "team-1"}, {"label", "给王总"}});
  REQUIRE(created);
  REQUIRE(created->status == 201);
  const std::string token = body_json(created)["token"];
  const std::string id = body_json(created)["link"]["id"];
  CHECK(test::count_rows(s, "SELECT count(*) FROM share_links WHERE token_hash = '" + token + "'") == 0);

  auto view = s.client().Get("/api/v1/shared/" + token);  // no account needed
  REQUIRE(view);
  REQUIRE(view->status == 200);
  auto v = json::parse(view->body);
  CHECK(v["scope"]["team_id"] == "team-1");
  auto reps = v["team_health"]["reps"];
  CHECK(reps.size() >= 5);
  for (const auto& r : reps) {
    CHECK(r["team_id"] == "team-1");
    CHECK(r["phone"].get<std::string>().find("****") == 3);
  }
  const std::string rep1_phone = test::query_text(s, "SELECT phone FROM users WHERE id = 'user-rep1'");
  REQUIRE(rep1_phone.size() == 11);
  CHECK(view->body.find(rep1_phone) == std::string::npos);  // rep1's full number never appears
  CHECK(view->body.find(rep1_phone.substr(0, 3) + "****" + rep1_phone.substr(7)) != std::string::npos);
  CHECK(view->body.find("user-rep8") == std::string::npos);    // team 2 is outside the scope
  // Read-only: every other method is refused.
  CHECK(s.client().Post("/api/v1/shared/" + token, "{}", "application/json")->status == 405);
  CHECK(s.client().Delete("/api/v1/shared/" + token)->status == 405);
  // The list shows it to its creator only; another manager cannot revoke it.
  CHECK(body_json(s.client().Get("/api/v1/share-links", bearer(manager1)))["links"].size() == 1);
  CHECK(body_json(s.client().Get("/api/v1/share-links", bearer(manager2)))["links"].empty());
  CHECK(s.client().Delete("/api/v1/share-links/" + id, bearer(manager2))->status == 404);
  CHECK(s.client().Delete("/api/v1/share-links/" + id, bearer(manager1))->status == 204);
  CHECK(s.client().Get("/api/v1/shared/" + token)->status == 404);
  CHECK(s.client().Get("/api/v1/shared/not-a-real-token")->status == 404);
}

TEST_CASE("an expired share link answers 410") {
  TestServer s({"--scheduler=off"});
  const auto manager1 = s.login("manager1");
  const Instant soon = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch()).count() + 1500;
  auto created = s.client().Post("/api/v1/share-links", bearer(manager1),
                                 json{{"region", "杭州"}, {"expires_at", to_iso_instant(soon)}}.dump(), "application/json");
  REQUIRE(created);
  REQUIRE(created->status == 201);
  const std::string token = body_json(created)["token"];
  CHECK(s.client().Get("/api/v1/shared/" + token)->status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1700));
  CHECK(s.client().Get("/api/v1/shared/" + token)->status == 410);
}

TEST_CASE("a quote PDF is served within scope, extracts its Chinese, and is e-mailed once with the PDF attached") {
  test::SmtpSink sink;
  TestServer s({"--scheduler=off", "--smtp-url", sink.url(), "--company-name", "杭州示例医疗器械有限公司"});
  const auto rep1 = s.login("rep1"), rep2 = s.login("rep2"), admin = s.login("admin");
  test::insert_record(s, "customer", "cust-q", "user-rep1", "team-1", "杭州", encode(customer("cust-q", "user-rep1", "浙江省人民医院", "KH-9")));
  Quote q;
  q.meta.id = "quote-1";
  q.meta.owner_id = "user-rep1";
  q.meta.version = 1;
  q.code = "Q-2026-0007";
  q.customer_id = "cust-q";
  q.opportunity_id = "opp-q";
  q.quote_date = {2026, 11, 27};
  q.valid_until = {2026, 12, 27};
  q.status = QuoteStatus::Approved;
  q.lines = {{"p1", "GK-ZR-2024", "骨科植入耗材", 3, Money{1'280'000}, 1000}};
  test::insert_record(s, "quote", "quote-1", "user-rep1", "team-1", "", encode(q));

  auto pdf = s.client().Get("/api/v1/quotes/quote-1/pdf", bearer(rep1));
  REQUIRE(pdf);
  REQUIRE(pdf->status == 200);
  CHECK(pdf->get_header_value("Content-Type") == "application/pdf");
  auto path = std::filesystem::path(s.data_dir()) / "got.pdf";
  std::ofstream(path, std::ios::binary) << pdf->body;
  auto text = test::run_capture("pdftotext -enc UTF-8 '" + path.string() + "' - 2>&1");
  CHECK(text.find("浙江省人民医院") != std::string::npos);
  CHECK(text.find("Q-2026-0007") != std::string::npos);
  CHECK(text.find("¥34,560.00") != std::string::npos);  // 3 × 12,800.00 − 10 %
  CHECK(s.client().Get("/api/v1/quotes/quote-1/pdf", bearer(rep2))->status == 404);

  auto send = [&] {
    return s.client().Post("/api/v1/quotes/quote-1/pdf", bearer(rep1), json{{"to", "buyer@hospital.example"}}.dump(),
                           "application/json");
  };
  auto sent = send();
  REQUIRE(sent);
  REQUIRE(sent->status == 201);
  CHECK(body_json(sent)["email_queued"] == true);
  CHECK(body_json(sent)["opportunity_id"] == "opp-q");
  CHECK(body_json(send())["email_queued"] == false);  // same PDF, same recipient: once
  auto delivered = s.client().Post("/api/v1/admin/outbox/deliver", bearer(admin), "", "application/json");
  REQUIRE(delivered);
  CHECK(body_json(delivered)["delivered"] == 1);
  auto mails = sink.mails();
  REQUIRE(mails.size() == 1);
  CHECK(mails[0].rcpt_to[0] == "<buyer@hospital.example>");
  CHECK(mails[0].data.find("Content-Type: application/pdf") != std::string::npos);
  // The stored PDF is evidence linked to the quote: its owner may fetch it, rep2 may not.
  const std::string sha = body_json(sent)["sha256"];
  CHECK(s.client().Get("/api/v1/evidence/" + sha, bearer(rep1))->status == 200);
  CHECK(s.client().Get("/api/v1/evidence/" + sha, bearer(rep2))->status == 404);
  CHECK(test::count_rows(s, "SELECT count(*) FROM quote_documents WHERE opportunity_id = 'opp-q'") == 1);
  CHECK(s.client().Post("/api/v1/quotes/quote-1/pdf", bearer(rep1), json{{"to", "not-an-address"}}.dump(), "application/json")->status == 422);
}

TEST_CASE("exports are scoped by role: CSV with BOM and XLSX") {
  TestServer s({"--scheduler=off"});
  const auto rep1 = s.login("rep1"), manager1 = s.login("manager1"), manager2 = s.login("manager2");
  test::insert_record(s, "customer", "c-a", "user-rep1", "team-1", "杭州", encode(customer("c-a", "user-rep1", "甲医院", "KH-A")));
  test::insert_record(s, "customer", "c-b", "user-rep2", "team-1", "杭州", encode(customer("c-b", "user-rep2", "乙医院", "KH-B")));
  test::insert_record(s, "customer", "c-c", "user-rep8", "team-2", "宁波", encode(customer("c-c", "user-rep8", "丙医院", "KH-C")));
  auto csv = [&](const std::string& token) { return s.client().Get("/api/v1/export/customers.csv", bearer(token)); };
  auto r1 = csv(rep1);
  REQUIRE(r1);
  CHECK(r1->status == 200);
  CHECK(r1->body.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(r1->body.find("甲医院") != std::string::npos);
  CHECK(r1->body.find("乙医院") == std::string::npos);
  auto m1 = csv(manager1)->body;
  CHECK(m1.find("甲医院") != std::string::npos);
  CHECK(m1.find("乙医院") != std::string::npos);
  CHECK(m1.find("丙医院") == std::string::npos);
  CHECK(csv(manager2)->body.find("丙医院") != std::string::npos);
  auto x = s.client().Get("/api/v1/export/customers.xlsx", bearer(manager1));
  REQUIRE(x);
  CHECK(x->status == 200);
  CHECK(x->body.rfind("PK", 0) == 0);
  CHECK(s.client().Get("/api/v1/export/users.csv", bearer(manager1))->status == 404);
  CHECK(s.client().Get("/api/v1/export/customers.csv")->status == 401);
}

TEST_CASE("lead import: GB18030 and UTF-8-BOM previews list per-row errors, apply is all or nothing") {
  TestServer s({"--scheduler=off"});
  const auto manager1 = s.login("manager1"), rep1 = s.login("rep1");
  const std::string good = "公司,联系人,电话,来源,区域\n杭州市第一人民医院,王主任,13812345678,2026 医疗展,杭州\n"
                           "\"宁波市中医院, 骨科\",李医生,0574-87654321,官网,宁波\n";
  const std::string gb = test::run_capture("printf '%s' '" + good + "' | iconv -f UTF-8 -t GB18030");
  auto import = [&](const std::string& body, int dry) {
    return s.client().Post("/api/v1/leads/import?dry_run=" + std::to_string(dry), bearer(manager1), body, "text/csv");
  };
  auto preview = import(gb, 1);
  REQUIRE(preview);
  REQUIRE(preview->status == 200);
  auto p = json::parse(preview->body);
  CHECK(p["encoding"] == "gb18030");
  CHECK(p["valid_rows"] == 2);
  CHECK(p["rows"][1]["company"] == "宁波市中医院, 骨科");
  CHECK(test::count_rows(s, "SELECT count(*) FROM records WHERE type = 'lead'") == 0);  // a dry run writes nothing

  const std::string bad = "\xEF\xBB\xBF" + good + ",没有公司,12345,,\n";
  auto bad_preview = json::parse(import(bad, 1)->body);
  CHECK(bad_preview["encoding"] == "utf-8-bom");
  CHECK(bad_preview["invalid_rows"] == 1);
  CHECK(bad_preview["rows"][2]["line"] == 4);
  CHECK(bad_preview["rows"][2]["problems"].size() == 2);  // company missing, phone invalid
  auto rejected = import(bad, 0);
  CHECK(rejected->status == 422);
  CHECK(test::count_rows(s, "SELECT count(*) FROM records WHERE type = 'lead'") == 0);

  auto applied = import(gb, 0);
  REQUIRE(applied);
  CHECK(applied->status == 201);
  CHECK(json::parse(applied->body)["imported"] == 2);
  CHECK(test::count_rows(s, "SELECT count(*) FROM records WHERE type = 'lead' AND team_id = 'team-1'") == 2);
  // The same list again: every phone is already on a lead, so nothing is added (the company match
  // alone would only warn).
  auto again = json::parse(import(gb, 1)->body);
  CHECK(again["rows"][0]["problems"][0]["code"] == "duplicate_existing");
  CHECK(again["rows"][0]["warnings"].size() == 1);
  CHECK(import(gb, 0)->status == 422);
  CHECK(test::count_rows(s, "SELECT count(*) FROM records WHERE type = 'lead'") == 2);
  CHECK(s.client().Post("/api/v1/leads/import?dry_run=1", bearer(rep1), gb, "text/csv")->status == 403);
}

// A pipelined sync push (rules on a helper thread, writes on the transaction's: push_lane.h) must leave
// exactly what the one-thread push leaves. In-process against two real SQLite stores: the same world,
// the same pushes at the same instant, one store's service pipelining every push and the other's none,
// then every response and every table the push writes compared.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time.h"
#include "server/context.h"
#include "server/db.h"
#include "server/sqlite_store.h"
#include "server/sync_service.h"
#include "server_harness.h"
#include "sync/wire.h"

using namespace cl;
using namespace cl::server;
using json = nlohmann::json;

namespace {

const Instant kNow = *parse_iso_instant("2026-11-20T02:00:00Z");

// One world: a store, a service over it, and the people who push.
struct World {
  std::string dir;
  SqliteStore store;
  ServerContext ctx;
  SyncService service;
  User rep, rep2, other_team_rep, admin;

  World(const std::string& name, std::size_t pipeline_min)
      : dir(apitest::make_temp_dir("closeloop-pipe-" + name)),
        store(dir + "/closeloop.db", kNow),
        ctx{config(pipeline_min), store, &store.db()},
        service(ctx) {
    ctx.clock = [] { return kNow; };
    rep = User{"u-rep", "rep", "陈鹏", Role::Rep, "t-1", "13800000001", "", true};
    rep2 = User{"u-rep2", "rep2", "李娜", Role::Rep, "t-1", "13800000002", "", true};
    other_team_rep = User{"u-rep3", "rep3", "赵强", Role::Rep, "t-2", "13800000003", "", true};
    admin = User{"u-admin", "admin", "管理员", Role::Admin, "", "13800000009", "", true};
    store.transaction([&] {
      store.put_team(Team{"t-1", "一组", "杭州", ""});
      store.put_team(Team{"t-2", "二组", "宁波", ""});
      for (const User* u : {&rep, &rep2, &other_team_rep, &admin}) store.insert_user(*u, "x");
    });
  }
  ~World() { std::filesystem::remove_all(dir); }

  static Config config(std::size_t pipeline_min) {
    Config c;
    c.push_pipeline_min = pipeline_min;
    return c;
  }

  // The push's response as JSON, or its error as {"error": code}.
  json push(const User& who, const json& request) {
    auto decoded = sync::push_request_from_json(request);
    REQUIRE(decoded.ok());
    auto out = service.push(who, decoded.value);
    if (out.error) return json{{"error", out.error->code}, {"message", out.error->message}};
    return sync::to_json(*out.value);
  }

  // Every row of what a push writes, as text, in a stable order. Audit ids are random (uuid v7) and
  // left out; everything else about an audit event is compared.
  std::vector<std::string> tables() {
    std::vector<std::string> out;
    const std::pair<const char*, int> queries[] = {
        {"SELECT type, id, owner_id, team_id, region, seq, version, deleted, body, updated_at FROM records ORDER BY seq", 10},
        {"SELECT at, actor_id, entity_type, entity_id, action, changes, evidence FROM audit_events ORDER BY rowid", 7},
        {"SELECT user_id, client_id, mid, name, args, problems, at FROM sync_rejections ORDER BY user_id, client_id, mid", 7},
        {"SELECT user_id, client_id, mid, body, at FROM sync_conflicts ORDER BY id", 5},
        {"SELECT seq, type, id, old_owner_id, old_team_id FROM sync_scope_exits ORDER BY seq", 5},
        {"SELECT user_id, client_id, last_mid FROM sync_clients ORDER BY user_id, client_id", 3},
        {"SELECT key, customer_id FROM customer_match_keys ORDER BY key, customer_id", 2},
        {"SELECT value FROM server_seq", 1},
    };
    store.read([&] {
      for (const auto& [q, n] : queries) {
        auto st = store.db().prepare(q);
        while (st.step()) {
          // Tagged with the table's name: "sync_scope_exits | 42 | customer | …".
          const std::string sql(q);
          const auto from = sql.find(" FROM ") + 6;
          std::string row = sql.substr(from, sql.find(' ', from) - from) + " |";
          for (int i = 0; i < n; ++i) row += " " + st.col_text(i) + " |";
          out.push_back(std::move(row));
        }
      }
    });
    return out;
  }
};

json m(std::int64_t mid, const std::string& name, json args, std::int64_t base_version = 0) {
  return json{{"mid", mid}, {"name", name}, {"args", std::move(args)}, {"base_version", base_version}, {"at", 0}};
}

json customer(const std::string& id, std::uint32_t device, std::uint64_t n, const std::string& phone) {
  return json{{"id", id},
              {"code", customer_code(device, n)},
              {"name", "杭州测试医疗器械有限公司" + id},
              {"decision_maker", "王伟"},
              {"decision_maker_title", "采购科主任"},
              {"phone", phone},
              {"main_business", "骨科耗材"},
              {"tags", {{"customer_type", "三甲医院"}, {"region", "杭州"}, {"first_channel", "展会"}}}};
}

json evidence() {
  return json::array({{{"sha256", std::string(64, 'e')}, {"file_name", "需求确认书.pdf"}, {"mime_type", "application/pdf"},
                       {"size_bytes", 2048}, {"kind", "需求确认书"}}});
}

json request(const std::string& client, const json& mutations) {
  return json{{"client_id", client}, {"schema_version", 1}, {"mutations", mutations}};
}

// The pushes both worlds receive. `device` is the rep's registered device number (the same in both).
std::vector<std::pair<int, json>> pushes(std::uint32_t device) {
  std::vector<std::pair<int, json>> out;  // (0 rep, 1 admin), request
  // 1. A working day's batch: creates, a duplicate phone inside the batch (R5: the second sees the
  //    first's match keys, written by a queued job), an advance and a stale edit (a conflict), edits that
  //    do and do not touch match fields, bad mutations, and an activity id logged twice (taken: the
  //    pipelined push finds out only when the insert runs, and runs the batch again on one thread).
  json b1 = json::array();
  std::int64_t mid = 1;
  for (int i = 0; i < 6; ++i)
    b1.push_back(m(mid++, "customer.create", {{"customer", customer("c" + std::to_string(i), device, i + 1, "1390000000" + std::to_string(i))}}));
  b1.push_back(m(mid++, "customer.create", {{"customer", customer("c-dup", device, 99, "13900000005")}}));  // c5's
  b1.push_back(m(mid++, "opportunity.create",
                 {{"opportunity", {{"id", "o1"}, {"customer_id", "c1"}, {"title", "骨科耗材年度采购"}, {"expected_amount_fen", 100000}}}}));
  b1.push_back(m(mid++, "opportunity.advance", {{"id", "o1"}, {"from_stage", 0}, {"evidence", evidence()}}, 1));
  b1.push_back(m(mid++, "opportunity.update", {{"id", "o1"}, {"set", {{"title", "改过的标题"}, {"expected_amount_fen", 999}}}}, 1));
  for (int i = 0; i < 30; ++i)
    b1.push_back(m(mid++, "activity.log",
                   {{"activity", {{"id", "a" + std::to_string(i)}, {"kind", i % 3 ? "call" : "visit"},
                                  {"customer_id", "c" + std::to_string(i % 6)}, {"summary", "电话跟进：确认需求与预算"}}}}));
  b1.push_back(m(mid++, "customer.update", {{"id", "c2"}, {"set", {{"phone", "13911112222"}}}}, 1));
  b1.push_back(m(mid++, "customer.update", {{"id", "c3"}, {"set", {{"address", "西湖区文三路 1 号"}}}}, 1));
  b1.push_back(m(mid++, "activity.log", {{"activity", {{"id", "a-bad"}, {"kind", "call"}}}}));  // no customer
  b1.push_back(m(mid++, "no.such.mutation", {{"x", 1}}));
  b1.push_back(m(mid++, "activity.log", {{"activity", {{"id", "a5"}, {"kind", "visit"}, {"customer_id", "c0"}}}}));  // taken
  b1.push_back(m(mid++, "activity.log", {{"activity", {{"id", "a-after"}, {"kind", "call"}, {"customer_id", "c4"}}}}));
  out.push_back({0, request("dev-rep", b1)});
  // 2. The same batch again (all skipped) and more: a customer with c2's new phone (refused: the keys
  //    the edit re-derived), a delete of an activity this push logs (found in the database: new
  //    activities are not kept by the push cache), edits of several customers. No id is taken, so
  //    this push stays pipelined to the end.
  json b2 = b1;
  b2.push_back(m(mid++, "customer.create", {{"customer", customer("c-dup2", device, 100, "13911112222")}}));
  b2.push_back(m(mid++, "activity.log", {{"activity", {{"id", "a-del"}, {"kind", "call"}, {"customer_id", "c1"}}}}));
  b2.push_back(m(mid++, "activity.delete", {{"id", "a-del"}}, 1));
  for (int i = 0; i < 40; ++i) {
    if (i % 4 == 3)
      b2.push_back(m(mid++, "customer.update", {{"id", "c" + std::to_string(i % 6)}, {"set", {{"address", "滨江区 " + std::to_string(i)}}}}, 1));
    else
      b2.push_back(m(mid++, "activity.log",
                     {{"activity", {{"id", "b" + std::to_string(i)}, {"kind", "call"}, {"customer_id", "c" + std::to_string(i % 6)}}}}));
  }
  out.push_back({0, request("dev-rep", b2)});
  // 3. The admin moves a customer to the other team (a scope exit for the old owner and team), edits
  //    its guarded owner field with a stale base (conflict or refusal, as the rules say), and logs.
  json b3 = json::array();
  std::int64_t amid = 1;
  b3.push_back(m(amid++, "customer.update", {{"id", "c4"}, {"set", {{"owner_id", "u-rep3"}}}}, 1));
  b3.push_back(m(amid++, "customer.update", {{"id", "c5"}, {"set", {{"owner_id", "u-rep2"}}}}, 1));
  for (int i = 0; i < 10; ++i)
    b3.push_back(m(amid++, "activity.log", {{"activity", {{"id", "adm" + std::to_string(i)}, {"kind", "call"}, {"customer_id", "c4"}}}}));
  out.push_back({1, request("dev-admin", b3)});
  return out;
}

}  // namespace

TEST_CASE("a pipelined push leaves exactly what the one-thread push leaves: responses, records, audit, rejections, keys") {
  World one("one", 0);  // never pipelined
  World two("two", 1);                              // every push pipelined
  std::uint32_t device = 0;
  for (World* w : {&one, &two}) {
    auto reg = w->service.register_device(w->rep, "dev-rep");
    REQUIRE(reg.value);
    const auto no = (*reg.value)["device_no"].get<std::uint32_t>();
    if (device) REQUIRE(no == device);
    device = no;
    REQUIRE(w->service.register_device(w->admin, "dev-admin").value);
  }

  std::vector<json> answers;
  for (const auto& [who, req] : pushes(device)) {
    const json a = one.push(who == 0 ? one.rep : one.admin, req);
    const json b = two.push(who == 0 ? two.rep : two.admin, req);
    CHECK_MESSAGE(a == b, "one thread:\n" << a.dump(1) << "\npipelined:\n" << b.dump(1));
    answers.push_back(a);
  }
  const auto rows_one = one.tables(), rows_two = two.tables();
  CHECK(rows_one.size() == rows_two.size());
  for (std::size_t i = 0; i < std::min(rows_one.size(), rows_two.size()); ++i) CHECK(rows_one[i] == rows_two[i]);

  // Both paths ran: three pushes pipelined, the first of them again on one thread (its taken id).
  CHECK(one.service.push_counts().pipelined == 0);
  CHECK(two.service.push_counts().pipelined == 3);
  CHECK(two.service.push_counts().replayed == 1);

  // And the pushes did what they say, so the comparison is of something.
  REQUIRE(answers.size() == 3);
  auto status = [&](std::size_t push, std::size_t i) { return answers[push]["results"][i]["status"].get<std::string>(); };
  auto code = [&](std::size_t push, std::size_t i) { return answers[push]["results"][i]["problems"][0]["code"].get<std::string>(); };
  const json& r1 = answers[0]["results"];
  REQUIRE(r1.size() == 46);
  for (std::size_t i = 0; i < 6; ++i) CHECK(status(0, i) == "applied");
  CHECK(status(0, 6) == "rejected");  // same phone as c5, the create just before it
  CHECK(status(0, 8) == "applied");
  CHECK(status(0, 9) == "applied");
  CHECK(r1[9]["conflicts"].size() == 1);
  CHECK(status(0, 42) == "rejected");
  CHECK(status(0, 43) == "rejected");
  CHECK(status(0, 44) == "rejected");
  CHECK(code(0, 44) == "record_exists");
  CHECK(status(0, 45) == "applied");
  const json& r2 = answers[1]["results"];
  REQUIRE(r2.size() == 46 + 43);
  for (std::size_t i = 0; i < 46; ++i) CHECK(status(1, i) == "skipped");
  CHECK(status(1, 46) == "rejected");  // c2's new phone
  CHECK(status(1, 47) == "applied");
  CHECK(status(1, 48) == "applied");  // the delete found the activity this push logged
  for (std::size_t i = 49; i < r2.size(); ++i) CHECK(status(1, i) == "applied");
  CHECK(status(2, 0) == "applied");
  std::size_t exits = 0;
  for (const auto& row : rows_two) exits += row.rfind("sync_scope_exits |", 0) == 0;
  CHECK(exits >= 1);
}

TEST_CASE("a storage error in a push — in a queued write or in a read the rules make — fails it whole (503), writes nothing, and the next push runs") {
  World one("err-one", 0);
  World two("err-two", 1);
  std::uint32_t device = 0;
  for (World* w : {&one, &two}) {
    auto reg = w->service.register_device(w->rep, "dev-rep");
    REQUIRE(reg.value);
    device = (*reg.value)["device_no"].get<std::uint32_t>();
  }
  json batch = json::array();
  for (int i = 0; i < 4; ++i)
    batch.push_back(m(i + 1, "customer.create", {{"customer", customer("c" + std::to_string(i), device, i + 1, "1390000000" + std::to_string(i))}}));
  for (int i = 0; i < 20; ++i)
    batch.push_back(m(i + 5, "activity.log", {{"activity", {{"id", "a" + std::to_string(i)}, {"kind", "call"}, {"customer_id", "c" + std::to_string(i % 4)}}}}));
  batch.push_back(m(25, "customer.update", {{"id", "c2"}, {"set", {{"address", "西湖区文三路 1 号"}}}}, 1));

  for (World* w : {&one, &two}) {
    const auto before = w->tables();
    // A write fails: the audit row of c2's edit, the batch's last mutation.
    w->store.transaction([&] {
      w->store.db().exec("CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events WHEN NEW.entity_id = 'c2' AND NEW.action = 'customer.update' "
                         "BEGIN SELECT RAISE(ABORT, 'injected write failure'); END;");
    });
    json failed = w->push(w->rep, request("dev-rep", batch));
    CHECK(failed["error"] == "unavailable");
    CHECK(failed["message"].get<std::string>().find("injected write failure") != std::string::npos);
    w->store.transaction([&] { w->store.db().exec("DROP TRIGGER fail_audit"); });
    CHECK(w->tables() == before);

    // A read only the rules make fails (R5: which device may mint these codes), so it is not the
    // mutation's fault: the push fails, the mutation is not rejected.
    w->store.transaction([&] { w->store.db().exec("ALTER TABLE devices RENAME TO devices_away"); });
    failed = w->push(w->rep, request("dev-rep", batch));
    CHECK(failed["error"] == "unavailable");
    CHECK(failed["message"].get<std::string>().find("devices") != std::string::npos);
    w->store.transaction([&] { w->store.db().exec("ALTER TABLE devices_away RENAME TO devices"); });
    CHECK(w->tables() == before);
  }
  // With storage back, the same push applies everything, the same way in both.
  const json a = one.push(one.rep, request("dev-rep", batch));
  const json b = two.push(two.rep, request("dev-rep", batch));
  CHECK(a == b);
  REQUIRE(a["results"].size() == 25);
  for (const auto& r : a["results"]) CHECK(r["status"] == "applied");
  CHECK(one.tables() == two.tables());
  CHECK(two.service.push_counts().pipelined == 3);
  CHECK(two.service.push_counts().replayed == 0);
}

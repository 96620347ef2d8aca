// Sync test helpers shared by the API tests (sync_api_test.cpp, rules_api_test.cpp): a Device that
// logs in, registers (R5 codes) and pushes/pulls like the app's sync client, plus record builders.
#pragma once

#include <doctest/doctest.h>

#include <cctype>
#include <cstdio>
#include <map>
#include <string>
#include <unistd.h>

#include <chrono>

#include "core/codec.h"
#include "core/ids.h"
#include "core/time.h"
#include "server/sqlite_store.h"
#include "server_harness.h"

namespace cl::apitest::sync_helpers {

using cl::PriceItem;
using cl::PriceList;
using cl::Product;

inline std::string uniq(const std::string& prefix) {
  static int n = 0;
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n);
}

// A device: one login, one client_id, its own increasing mids (what the app's sync client does).
struct Device {
  TestServer& s;
  std::string token;
  std::string client_id;
  std::int64_t next_mid = 1;

  Device(TestServer& server, const std::string& user) : s(server), client_id(uniq("dev-" + user)) {
    auto res = server.client().Post("/api/v1/auth/login", json{{"username", user}, {"password", "demo1234"}}.dump(), "application/json");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, user << ": " << res->body);
    token = body_json(res)["token"];
    // R5: a device registers before it makes customer codes ("KH-<device_code>-<seq>", core ids.h).
    auto reg = server.client().Post("/api/v1/sync/register", bearer(token), json{{"client_id", client_id}}.dump(), "application/json");
    REQUIRE(reg);
    REQUIRE_MESSAGE(reg->status == 200, reg->body);
    device_no = body_json(reg)["device_no"].get<std::uint32_t>();
  }
  std::uint32_t device_no = 0;
  std::uint64_t next_code = 1;

  // A valid new customer from this device: its own code, a name and a phone nobody else has (the
  // server refuses duplicates company-wide, R5).
  json customer(const std::string& id, const std::string& name = "") {
    static int n = 0;
    const long unique = (static_cast<long>(::getpid()) * 1000 + ++n) % 100000000;
    char phone[16];
    std::snprintf(phone, sizeof phone, "139%08ld", unique);
    return json{{"id", id},
                {"code", cl::customer_code(device_no, next_code++)},
                {"name", name.empty() ? "杭州测试医疗器械有限公司" + id : name},
                {"decision_maker", "王伟"},
                {"decision_maker_title", "采购科主任"},
                {"phone", phone},
                {"main_business", "骨科耗材"},
                {"tags", {{"customer_type", "三甲医院"}, {"region", "杭州"}, {"first_channel", "展会"}}}};
  }

  json m(const std::string& name, json args, std::int64_t base_version = 0) {
    return json{{"mid", next_mid++}, {"name", name}, {"args", std::move(args)}, {"base_version", base_version}, {"at", 0}};
  }
  httplib::Result push_raw(json mutations, int schema_version = 1) {
    // {one} in braces is a copy of the element for nlohmann, not a one-element array.
    if (mutations.is_object()) mutations = json::array({mutations});
    return s.client().Post("/api/v1/sync/push", bearer(token),
                           json{{"client_id", client_id}, {"schema_version", schema_version}, {"mutations", mutations}}.dump(),
                           "application/json");
  }
  json push(const json& mutations) {
    auto res = push_raw(mutations);
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    return body_json(res);
  }
  httplib::Result pull_raw(const std::string& cursor, int limit = 500, const std::string& schema = "1") {
    httplib::Params p{{"client_id", client_id}, {"limit", std::to_string(limit)}, {"cursor", cursor}};
    if (!schema.empty()) p.emplace("schema_version", schema);
    return s.client().Get("/api/v1/sync/pull", p, bearer(token));
  }
  json pull(const std::string& cursor = "", int limit = 500) {
    auto res = pull_raw(cursor, limit);
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    return body_json(res);
  }
  // Everything visible from the start, following has_more: (type,id) -> change.
  std::map<std::pair<std::string, std::string>, json> pull_all(int page = 500, std::string* cursor_out = nullptr) {
    std::map<std::pair<std::string, std::string>, json> out;
    std::string cursor;
    for (int i = 0; i < 1000; ++i) {
      json p = pull(cursor, page);
      for (const auto& c : p["changes"]) {
        if (c["deleted"].get<bool>()) out.erase({c["type"], c["id"]});
        else out[{c["type"], c["id"]}] = c;
      }
      cursor = p["cursor"];
      if (!p["has_more"].get<bool>()) break;
    }
    if (cursor_out) *cursor_out = cursor;
    return out;
  }
  httplib::Result get(const std::string& path) { return s.client().Get(path, bearer(token)); }
};

inline json evidence() {
  return json::array({{{"sha256", std::string(64, 'e')}, {"file_name", "需求确认书.pdf"}, {"mime_type", "application/pdf"},
                       {"size_bytes", 2048}, {"kind", "需求确认书"}}});
}

inline std::string pct(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') out.push_back(static_cast<char>(c));
    else { out.push_back('%'); out.push_back(hex[c >> 4]); out.push_back(hex[c & 15]); }
  }
  return out;
}

inline std::string status_of(const json& push_resp, std::size_t i) { return push_resp["results"][i]["status"]; }

// A customer + opportunity + activity owned by `user`, created through sync. Returns their ids.
struct Owned {
  std::string customer, opportunity, activity;
};
inline Owned make_records(Device& d, const std::string& tag, const std::string& id_tag = "r") {
  Owned o{uniq("c-" + id_tag), uniq("o-" + id_tag), uniq("a-" + id_tag)};
  json r = d.push({d.m("customer.create", {{"customer", d.customer(o.customer, "机密客户" + tag)}}),
                   d.m("opportunity.create", {{"opportunity", {{"id", o.opportunity}, {"customer_id", o.customer}, {"title", "机密商机" + tag}, {"expected_amount_fen", 100000}}}}),
                   d.m("activity.log", {{"activity", {{"id", o.activity}, {"kind", "visit"}, {"customer_id", o.customer}, {"summary", "机密拜访" + tag}}}})});
  for (int i = 0; i < 3; ++i) REQUIRE_MESSAGE(status_of(r, i) == "applied", r.dump());
  return o;
}

// Leads come from CSV import (another module); the tests put them straight into the store file.
inline void seed_lead(TestServer& s, const std::string& id, const std::string& owner, const std::string& team,
                      const std::string& status = "assigned", const std::string& company = "机密线索公司") {
  static int n = 0;
  char phone[16];
  std::snprintf(phone, sizeof phone, "137%08ld", (static_cast<long>(::getpid()) * 1000 + ++n) % 100000000);
  cl::server::SqliteStore store(s.data_dir() + "/closeloop.db", 0);
  store.transaction([&] {
    cl::server::RecordRow row;
    row.type = "lead";
    row.id = id;
    row.owner_id = owner;
    row.team_id = team;
    row.seq = store.next_seq();
    row.version = 1;
    row.body = json{{"id", id}, {"owner_id", owner}, {"version", 1}, {"company", company}, {"contact_name", "李娜"},
                    {"phone", phone}, {"status", status}, {"assigned_at", owner.empty() ? 0 : 1}}
                   .dump();
    store.put_record(row);
  });
}

// A product on a price list valid from two days ago for a month (the server prices quotes from it,
// R20), written straight into the store file like an admin import. Returns the product id.
inline std::string seed_priced_product(TestServer& s, std::int64_t list_price_fen) {
  const std::string pid = uniq("prod-q"), plid = uniq("pl-q");
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const cl::Date today = cl::beijing_date(now_ms);
  Product p;
  p.id = pid;
  p.model_code = "GK-" + pid;
  p.name = "骨科植入耗材";
  PriceList pl;
  pl.id = plid;
  pl.name = "本月价目表";
  pl.valid_from = cl::add_days(today, -2);
  pl.valid_to = cl::add_days(today, 30);
  pl.items = {PriceItem{pid, cl::Money{list_price_fen}}};
  cl::server::SqliteStore store(s.data_dir() + "/closeloop.db", 0);
  store.transaction([&] {
    for (const auto& [type, body] : {std::pair<std::string, json>{"product", cl::encode(p)}, {"price_list", cl::encode(pl)}}) {
      cl::server::RecordRow row;
      row.type = type;
      row.id = body["id"];
      row.seq = store.next_seq();
      row.version = 1;
      row.body = body.dump();
      store.put_record(row);
    }
  });
  return pid;
}

inline json quote_args(const std::string& id, const std::string& customer_id, const std::string& product_id, int discount_bp) {
  return {{"quote", {{"id", id}, {"code", "BJ-" + id}, {"customer_id", customer_id},
                     {"lines", json::array({{{"product_id", product_id}, {"quantity", 2}, {"discount_bp", discount_bp}}})}}}};
}

}  // namespace cl::apitest::sync_helpers

// Shared fixtures for the sync unit tests: a small world of two teams, a replica-like view and
// helpers that build mutations the way the app does.
#pragma once

#include <map>
#include <string>

#include <doctest/doctest.h>

#include "core/codec.h"
#include "core/settings.h"
#include "sync/mutations.h"
#include "sync/replica.h"

namespace cl::sync::testing {

inline constexpr Instant kNow = 1'764'200'000'000;  // 2025-11-27

inline Actor rep1() { return {"rep1", Role::Rep, "t1"}; }
inline Actor rep2() { return {"rep2", Role::Rep, "t1"}; }
inline Actor rep8() { return {"rep8", Role::Rep, "t2"}; }
inline Actor manager1() { return {"manager1", Role::Manager, "t1"}; }
inline Actor admin() { return {"admin", Role::Admin, ""}; }

inline std::map<Id, Id> teams() {
  return {{"rep1", "t1"}, {"rep2", "t1"}, {"manager1", "t1"}, {"rep8", "t2"}, {"manager2", "t2"}};
}

inline Settings seed_settings() { return default_settings(); }  // core/settings.h: R4, R9, R10 defaults

inline Json customer_json(const std::string& id, const std::string& code, const std::string& owner = "") {
  Json c = {{"id", id},
            {"code", code},
            {"name", "杭州某医疗器械有限公司"},
            {"decision_maker", "王伟"},
            {"decision_maker_title", "采购科主任"},
            {"phone", "13800000000"},
            {"main_business", "骨科耗材"},
            {"tags", {{"customer_type", "三甲医院"}, {"region", "杭州"}, {"first_channel", "展会"}}}};
  if (!owner.empty()) c["owner_id"] = owner;
  return c;
}

inline Mutation mutation(std::int64_t mid, std::string_view name, Json args, std::int64_t base_version = 0) {
  Mutation m;
  m.client_id = "dev-1";
  m.mid = mid;
  m.name = std::string(name);
  m.schema_version = 1;
  m.base_version = base_version;
  m.args = std::move(args);
  m.at = kNow - 1000;
  return m;
}

inline std::string sha(char c) { return std::string(64, c); }

// Evidence that passes the gate of `stage` under the default settings (R10: each stage names its kinds).
inline Json evidence(char c = 'a', int stage = 0) {
  return Json::array({{{"sha256", sha(c)}, {"file_name", "证据.pdf"}, {"mime_type", "application/pdf"},
                       {"size_bytes", 1234}, {"kind", default_settings().stages.at(stage).evidence_kinds.at(0)}}});
}

// A mutable world the tests apply outcomes to, exactly as the server's transaction would.
struct World {
  RecordMap records;
  Settings settings = seed_settings();
  Instant now = kNow;

  Result<MutationOutcome> apply(const Mutation& m, const Actor& actor) {
    MapView view(records, teams());
    auto r = apply_mutation(m, actor, view, settings, now);
    if (r.ok())
      for (const auto& w : r.value.writes) records[{w.type, w.id}] = w;
    now += 1000;
    return r;
  }
  const StoredRecord& get(std::string_view type, const Id& id) { return records.at({std::string(type), id}); }
  bool has(std::string_view type, const Id& id) { return records.count({std::string(type), id}) != 0; }
};

// A world holding customer c1 of `owner`.
inline World world_with_customer_of(const Actor& owner) {
  World w;
  auto r = w.apply(mutation(1, kCustomerCreate, {{"customer", customer_json("c1", "D1-0001")}}), owner);
  REQUIRE(r.ok());
  return w;
}

inline bool has_code(const Problems& ps, std::string_view code) {
  for (const auto& p : ps)
    if (p.code == code) return true;
  return false;
}

}  // namespace cl::sync::testing

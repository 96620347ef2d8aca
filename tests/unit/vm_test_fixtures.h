// Small builders for the view-model tests (records as the replica holds them).
#pragma once

#include <string>

#include "app/vm/local_replica.h"
#include "core/model.h"

namespace cl::app::test {

inline Customer make_customer(const std::string& id, const std::string& name, const std::string& phone = "",
                              const std::string& owner = "rep1", const std::string& region = "杭州",
                              Instant updated_at = 1000) {
  Customer c;
  c.meta.id = id;
  c.meta.owner_id = owner;
  c.meta.created_at = updated_at;
  c.meta.updated_at = updated_at;
  c.meta.version = 1;
  c.code = "C-" + id;
  c.name = name;
  c.phone = phone;
  c.decision_maker = "张主任";
  c.decision_maker_title = "采购科主任";
  c.main_business = "骨科耗材";
  c.tags["region"] = region;
  c.tags["customer_type"] = "三甲医院";
  c.tags["first_channel"] = "展会";
  return c;
}

inline Activity make_activity(const std::string& id, const std::string& customer_id, ActivityKind kind, Instant at,
                              const std::string& summary = "") {
  Activity a;
  a.meta.id = id;
  a.meta.owner_id = "rep1";
  a.meta.version = 1;
  a.kind = kind;
  a.at = at;
  a.customer_id = customer_id;
  a.summary = summary;
  return a;
}

}  // namespace cl::app::test

#include "server/sync_rules_view.h"

#include <nlohmann/json.hpp>

#include "core/codec.h"
#include "server/catalog_scope.h"
#include "server/customer_match_keys.h"
#include "server/db.h"

namespace cl::server {

std::optional<Id> SyncRulesView::team_of_unowned(std::string_view type, const Id& id) const {
  Id team;  // "" = no team: only an admin acts on it
  lane_.call([&] {
    if (auto row = store_.get_record(std::string(type), id)) team = std::move(row->team_id);
  });
  return team;
}

std::optional<std::uint32_t> SyncRulesView::pushing_device() const {
  if (device_) return device_;
  // Only the user who registered the client id may mint codes with its number (routes register it).
  std::uint32_t device = 0;
  lane_.call([&] {
    auto& st = db_.cached("SELECT device_no FROM devices WHERE client_id = ? AND user_id = ?");
    st.bind_all(client_id_, user_id_);
    if (st.step()) device = static_cast<std::uint32_t>(st.col_int(0));
    st.reset();
  });
  device_ = device;
  return device_;
}

std::optional<User> SyncRulesView::find_user(const Id& id) const {
  std::optional<User> out;
  lane_.call([&] {
    if (auto u = store_.find_user(id)) out = std::move(u->user);
  });
  return out;
}

std::vector<sync::CustomerDuplicate> SyncRulesView::customer_duplicates(const Customer& candidate) const {
  // Only the customers sharing an exact-match key can be a same-phone or same-name hit
  // (customer_match_keys.h); the table already holds this push's earlier creates (same transaction).
  DuplicateIndex index;
  std::map<Id, Id> owner_of;
  std::vector<RecordRow> rows;
  lane_.call([&] {
    for (const auto& id : customers_matching(db_, duplicate_probe_keys(candidate)))
      if (auto row = store_.get_record(std::string(sync::kTypeCustomer), id)) rows.push_back(std::move(*row));
  });
  for (const auto& row : rows) {
    Customer c;
    if (row.deleted || !read_match_fields(row.body, c)) continue;
    c.meta.id = row.id;
    owner_of[c.meta.id] = row.owner_id;
    index.add(c);
  }
  std::vector<sync::CustomerDuplicate> out;
  for (const auto& hit : index.find(candidate)) {
    std::string reason;
    for (auto r : hit.reasons)
      if (r == DuplicateReason::SamePhone || r == DuplicateReason::SameName) {
        reason = std::string(reason_code(r));
        break;  // strongest first
      }
    if (reason.empty()) continue;  // a similar name only warns (the app does that), never refuses
    sync::CustomerDuplicate d;
    d.id = hit.customer_id;
    d.code = hit.code;
    d.name = hit.name;
    d.owner_id = owner_of[hit.customer_id];
    d.reason = reason;
    if (!d.owner_id.empty()) {
      auto it = user_names_.find(d.owner_id);
      if (it == user_names_.end()) {
        std::string name;
        lane_.call([&] {
          if (auto u = store_.find_user(d.owner_id)) name = std::move(u->user.display_name);
        });
        it = user_names_.emplace(d.owner_id, std::move(name)).first;
      }
      d.owner_name = it->second;
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::optional<std::vector<sync::StoredRecord>> SyncRulesView::catalog(std::string_view type) const {
  if (!is_shared_catalog_type(type)) return std::vector<sync::StoredRecord>{};  // only the shared catalog
  auto it = catalog_.find(type);
  if (it == catalog_.end()) {
    std::vector<RecordRow> stored;
    lane_.call([&] { stored = store_.records_of_type(std::string(type), Scope{Scope::Kind::All, {}, {}}); });
    std::vector<sync::StoredRecord> rows;
    for (const auto& row : stored) {
      sync::StoredRecord r;
      r.type = row.type;
      r.id = row.id;
      r.version = row.version;
      r.data = nlohmann::json::parse(row.body, nullptr, false);
      if (r.data.is_discarded()) continue;
      rows.push_back(std::move(r));
    }
    it = catalog_.emplace(std::string(type), std::move(rows)).first;
  }
  return it->second;
}


}  // namespace cl::server

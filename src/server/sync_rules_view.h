// The server's answers to the questions the sync rules ask that a replica cannot answer (record_view.h
// defaults): which team owns an unassigned record (R33), which customers company-wide a new one
// duplicates (R5), which device is pushing (R5 codes), and who the users are (R1 assignment).
// It wraps the push's own RecordView (so it sees this push's earlier writes) and reads the database
// inside the push transaction.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/dedup.h"
#include "server/push_lane.h"
#include "server/store.h"
#include "sync/record_view.h"

namespace cl::server {

class Db;

class SyncRulesView final : public sync::RecordView {
 public:
  // Its own reads go through `lane`, as the base's do (push_record_cache.h).
  SyncRulesView(const sync::RecordView& base, Store& store, Db& db, PushLane& lane, Id user_id, std::string client_id)
      : base_(base), store_(store), db_(db), lane_(lane), user_id_(std::move(user_id)), client_id_(std::move(client_id)) {}

  std::optional<sync::StoredRecord> find(std::string_view type, const Id& id) const override { return base_.find(type, id); }
  std::optional<sync::StoredRecord> find_meta(std::string_view type, const Id& id) const override {
    return base_.find_meta(type, id);
  }
  bool visit(std::string_view type, const Id& id, const std::function<void(const sync::StoredRecord&)>& read) const override {
    return base_.visit(type, id, read);
  }
  Id team_of(const Id& user_id) const override { return base_.team_of(user_id); }
  std::optional<Id> customer_with_code(const std::string& code) const override { return base_.customer_with_code(code); }
  bool keeps_text() const override { return base_.keeps_text(); }

  std::optional<Id> team_of_unowned(std::string_view type, const Id& id) const override;
  std::vector<sync::CustomerDuplicate> customer_duplicates(const Customer& candidate) const override;
  std::optional<std::uint32_t> pushing_device() const override;
  bool knows_users() const override { return true; }
  std::optional<User> find_user(const Id& id) const override;
  std::optional<std::vector<sync::StoredRecord>> catalog(std::string_view type) const override;

 private:
  const sync::RecordView& base_;
  Store& store_;
  Db& db_;
  PushLane& lane_;
  Id user_id_;
  std::string client_id_;
  mutable std::optional<std::uint32_t> device_;
  mutable std::map<Id, std::string> user_names_;
  mutable std::map<std::string, std::vector<sync::StoredRecord>, std::less<>> catalog_;
};

}  // namespace cl::server

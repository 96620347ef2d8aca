// The RecordView a sync push's rules read inside its transaction (sync_service.cpp): every record the
// push reads or writes is kept for the rest of the batch. A batch of 500 field notes touches a handful
// of customers, and each note's scope check (check_link) would otherwise fetch the same customer again.
// Entries are replaced by what the push writes, so the cache never disagrees with the transaction's own
// view. A stored body is parsed only when a rule asks for the record's data (find): existence and scope
// checks (find_meta), most of a batch's reads, need the columns alone.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "server/push_lane.h"
#include "server/store.h"
#include "sync/record_view.h"

namespace cl::server {

class Db;

class PushRecordCache final : public sync::RecordView {
 public:
  // Every read of the store goes through `lane` (push_lane.h): in a pipelined push it runs on the
  // transaction's thread, after the writes queued before it.
  PushRecordCache(Store& store, Db* db, PushLane& lane) : store_(store), db_(db), lane_(lane) {}

  std::optional<sync::StoredRecord> find(std::string_view type, const Id& id) const override;
  std::optional<sync::StoredRecord> find_meta(std::string_view type, const Id& id) const override;
  bool visit(std::string_view type, const Id& id, const std::function<void(const sync::StoredRecord&)>& read) const override;
  Id team_of(const Id& user_id) const override;
  std::optional<Id> customer_with_code(const std::string& code) const override;  // R5, customer_match_keys.h
  bool keeps_text() const override { return true; }  // records are stored as text (wrote takes it)

  // Owner and team of a record as this push last saw it (apply_mutation reads every record it writes
  // first), so the write path needs no second lookup.
  std::optional<std::pair<Id, Id>> owner_and_team(const std::string& type, const Id& id) const;
  // A write the cache keeps for the rest of the batch. One that came as text (a new activity: its data
  // is null) is not kept: the batch rarely reads it again, and a read finds it in the database (the
  // transaction's own write); only an entry the cache already had for it is dropped.
  void wrote(sync::StoredRecord&& w, const Id& team);

  // R5: whether a write of a customer leaves name, phone, contacts and code — the fields its match
  // keys come from (customer_match_keys.h) — as they were in the record this push loaded: the store
  // then keeps the keys it has. Most customer edits (address, tags, stage) do.
  bool match_fields_unchanged(const sync::StoredRecord& w) const;

  // While set, find_meta answers "absent" for this one record without reading the database, unless
  // the push already holds it. For the id a mutation creates: its insert's primary key decides instead
  // (Store::insert_new_record), and when the id turns out taken the mutation runs again without the
  // assumption (sync_service.cpp), so the answer is the one a look-up would have given.
  void assume_absent(std::string_view type, const Id& id);
  void stop_assuming() { assumed_.clear(); }

 private:
  struct Entry {
    std::optional<sync::StoredRecord> record;  // nullopt: not in the database (yet); data null until parsed
    std::string body;                          // the stored text, until a rule needs it parsed
    bool parsed = true;
    Id team;
  };
  // key(type, id) into key_, a buffer kept for look-ups (a push makes a few per mutation).
  void set_key(std::string_view type, const Id& id) const;
  Entry& entry(std::string_view type, const Id& id) const;
  static const nlohmann::json& data_of(Entry& e);  // parses the body the first time

  Store& store_;
  Db* db_;
  PushLane& lane_;
  mutable std::map<Id, Id> teams_;
  mutable std::unordered_map<std::string, Entry> records_;
  mutable std::string key_;
  std::string assumed_;  // key of the record assumed absent, "" for none
};

}  // namespace cl::server

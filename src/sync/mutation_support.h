// Internal to the mutations_*.cpp files: loading a record the actor may touch, storing a typed record
// back, and problem constructors. Not part of the sync API.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/codec.h"
#include "sync/mutations.h"

namespace cl::sync::detail {

inline Problem invalid_args(std::string field, std::string en) {
  return Problem{"invalid_args", std::move(field), "参数无效：" + en, "Invalid arguments: " + en};
}
// R33: outside the scope reads exactly like missing, so a push never reveals another rep's record.
inline Problem not_found(std::string_view type, const Id& id) {
  return Problem{"not_found", "id", "记录不存在：" + std::string(type) + " " + id,
                 "No such record: " + std::string(type) + " " + id};
}
inline Problem forbidden(std::string field, std::string en, std::string zh) {
  return Problem{"forbidden", std::move(field), std::move(zh), std::move(en)};
}

bool valid_id(const std::string& id);

// args[key] as text, "" when absent or not a string (never throws on a client's wrong type).
inline std::string arg_text(const Json& args, const char* key) {
  auto it = args.find(key);
  return it != args.end() && it->is_string() ? it->get<std::string>() : std::string();
}

template <class T>
struct Loaded {
  StoredRecord stored;  // `data` is null unless loaded with_data
  T value;
};

enum class WithData { No, Yes };

// The live record of `type`/`id` if it exists and the actor may touch it, decoded as T. Its tree is
// copied into `stored.data` only when asked (a rule that patches the JSON); otherwise the view lends it
// for the decode (RecordView::visit) and only the columns are kept.
template <class T>
Result<Loaded<T>> load(const RecordView& view, std::string_view type, const Id& id, const Actor& actor,
                       WithData with_data = WithData::No) {
  Result<Loaded<T>> out = Result<Loaded<T>>::failure({not_found(type, id)});
  view.visit(type, id, [&](const StoredRecord& found) {
    if (found.deleted || !actor_may_touch_record(actor, found, view)) return;
    Result<T> decoded = decode<T>(found.data);
    if (!decoded.ok()) {
      out = Result<Loaded<T>>::failure(std::move(decoded.problems));
      return;
    }
    StoredRecord columns{found.type, found.id, found.owner_id, found.version, found.deleted, nullptr, {}};
    if (with_data == WithData::Yes) columns.data = found.data;
    out = Result<Loaded<T>>::success({std::move(columns), std::move(decoded.value)});
  });
  return out;
}

// Bumps meta (version, updated_at, created_at for new records) and fills the store's columns.
template <class T>
StoredRecord stored_columns(std::string_view type, T& record, std::int64_t previous_version, Instant now) {
  record.meta.version = previous_version + 1;
  record.meta.updated_at = now;
  if (record.meta.created_at == 0) record.meta.created_at = now;
  StoredRecord s;
  s.type = std::string(type);
  s.id = record.meta.id;
  s.owner_id = record.meta.owner_id;
  s.version = record.meta.version;
  s.deleted = record.meta.deleted;
  return s;
}

// The record as the store keeps it, encoded as a tree.
template <class T>
StoredRecord store(std::string_view type, T record, std::int64_t previous_version, Instant now) {
  StoredRecord s = stored_columns(type, record, previous_version, now);
  s.data = encode(record);
  return s;
}

// The same record, as text when the view's store keeps text (RecordView::keeps_text) and the type has a
// text encoder (codec.h to_json_text): the same bytes the tree would dump, without the tree.
template <class T>
StoredRecord store_for(const RecordView& view, std::string_view type, T record, std::int64_t previous_version, Instant now) {
  if (!view.keeps_text()) return store(type, std::move(record), previous_version, now);
  StoredRecord s = stored_columns(type, record, previous_version, now);
  s.data = nullptr;
  s.text = to_json_text(record);
  return s;
}

// Reads the embedded new record args[key], checks its id is fresh and fixes its owner: the actor by
// default; another owner only for a manager (within the team) or an admin.
template <class T>
Result<T> read_new_record(const Mutation& m, const char* key, std::string_view type, const Actor& actor,
                          const RecordView& view) {
  if (!m.args.contains(key) || !m.args[key].is_object())
    return Result<T>::failure({invalid_args(key, std::string(key) + " must be an object")});
  Result<T> r = decode<T>(m.args[key]);
  if (!r.ok()) {
    for (auto& p : r.problems) p.field = std::string(key) + "." + p.field;
    return r;
  }
  T& rec = r.value;
  if (!valid_id(rec.meta.id)) return Result<T>::failure({invalid_args(std::string(key) + ".id", "id must be 1-64 printable ASCII characters")});
  if (view.find_meta(type, rec.meta.id))
    return Result<T>::failure({Problem{"record_exists", std::string(key) + ".id", "记录编号已存在", "A record with this id already exists"}});
  if (rec.meta.owner_id.empty()) rec.meta.owner_id = actor.user_id;
  if (rec.meta.owner_id != actor.user_id) {
    if (actor.role == Role::Rep || !actor_may_touch(actor, rec.meta.owner_id, view))
      return Result<T>::failure({forbidden(std::string(key) + ".owner_id", "You may not create records for this owner",
                                           "不能为该负责人创建记录")});
  }
  rec.meta.version = 0;
  rec.meta.deleted = false;
  rec.meta.created_at = 0;
  return r;
}

// The part of args "set" that applies under the conflict rule (conflict_rule.h), as an object of the
// keys and the values they take; a Conflict for each guarded key the server keeps. `server_value(key)`
// is the record's current value of a key, asked for guarded keys only. nullopt with problems when set
// is not a non-empty object or names a key outside `allowed`.
std::optional<Json> patch_changes(const Mutation& m, std::string_view type, const Id& id, std::int64_t version,
                                  const std::vector<std::string_view>& allowed,
                                  const std::function<Json(const std::string&)>& server_value,
                                  std::vector<Conflict>& conflicts, Problems& problems);

// Applies args "set" to a record's JSON field by field under the conflict rule (conflict_rule.h).
// `allowed` lists the settable keys. Returns false with problems on a bad key.
bool apply_patch(const Mutation& m, std::string_view type, const StoredRecord& current,
                 const std::vector<std::string_view>& allowed, Json& data, std::vector<Conflict>& conflicts,
                 Problems& problems);

// R5, new customers (new_customer_rules.cpp): the code is core ids.h's "KH-<device>-<seq>" with the
// pushing device's number (when the view knows it) and not taken by another customer; and the
// customer duplicates nobody company-wide (same phone or name), named only when the actor may see it.
Problems check_new_customer_code(const std::string& code, const Id& own_id, const std::string& field,
                                 const RecordView& view);
Problems check_duplicate_customers(const Customer& c, const Actor& actor, const RecordView& view);

Result<MutationOutcome> apply_customer_create(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_customer_update(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_activity_log(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_activity_delete(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_opportunity_create(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_opportunity_update(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_opportunity_advance(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_opportunity_move_back(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_opportunity_close(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_lead_touch(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_lead_convert(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_lead_assign(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_quote_create(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_quote_submit(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_quote_approve(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
Result<MutationOutcome> apply_quote_reject(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);

}  // namespace cl::sync::detail

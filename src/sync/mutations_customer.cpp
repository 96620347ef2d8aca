// customer.create and customer.update (R4 required fields, R5 unique code, R28/R33 owner changes).
#include "sync/core_rules.h"
#include "sync/mutation_support.h"

namespace cl::sync::detail {

namespace {

// R33: only a manager (inside the team) or an admin reassigns a record.
Problems check_new_owner(const Actor& actor, const Id& new_owner, const RecordView& view) {
  if (actor.role == Role::Rep)
    return {forbidden("owner_id", "A rep cannot reassign records", "销售不能变更负责人")};
  if (new_owner.empty() || !actor_may_touch(actor, new_owner, view))
    return {forbidden("owner_id", "The new owner is outside your scope", "新负责人不在您的管理范围内")};
  return {};
}

}  // namespace

Result<MutationOutcome> apply_customer_create(const Mutation& m, const Actor& actor, const RecordView& view,
                                              const Settings& settings, Instant now) {
  Result<Customer> r = read_new_record<Customer>(m, "customer", kTypeCustomer, actor, view);
  if (!r.ok()) return Result<MutationOutcome>::failure(std::move(r.problems));
  Customer c = std::move(r.value);
  Problems problems = check_customer(c, settings);
  for (auto& p : check_new_customer_code(c.code, c.meta.id, "code", view)) problems.push_back(std::move(p));
  if (!problems.empty()) return Result<MutationOutcome>::failure(std::move(problems));
  problems = check_duplicate_customers(c, actor, view);
  if (!problems.empty()) return Result<MutationOutcome>::failure(std::move(problems));
  c.owner_history.clear();  // history is the server's to write, never the client's
  MutationOutcome out;
  out.writes.push_back(store(kTypeCustomer, std::move(c), 0, now));
  return Result<MutationOutcome>::success(std::move(out));
}

Result<MutationOutcome> apply_customer_update(const Mutation& m, const Actor& actor, const RecordView& view,
                                              const Settings& settings, Instant now) {
  const std::string id = arg_text(m.args, "id");
  auto loaded = load<Customer>(view, kTypeCustomer, id, actor);
  if (!loaded.ok()) return Result<MutationOutcome>::failure(std::move(loaded.problems));
  static const std::vector<std::string_view> kAllowed = {
      "name",    "decision_maker", "decision_maker_title", "phone",    "main_business",     "address",
      "contacts", "tags",          "custom",               "owner_id", "contact_authorised"};
  const Customer& before = loaded.value.value;
  MutationOutcome out;
  Problems problems;
  // Asked only for a guarded key (owner_id, the one a customer has), so the JSON is rarely built.
  const auto server_value = [&](const std::string& key) { return encode(before).value(key, Json()); };
  auto changes = patch_changes(m, kTypeCustomer, loaded.value.stored.id, loaded.value.stored.version, kAllowed,
                               server_value, out.conflicts, problems);
  if (!changes) return Result<MutationOutcome>::failure(std::move(problems));
  // The patched record, typed: what decoding the patched JSON would give (codec.h decode_over).
  Customer c = before;
  problems = decode_over(std::move(*changes), c);
  if (!problems.empty()) return Result<MutationOutcome>::failure(std::move(problems));
  if (c.meta.owner_id != before.meta.owner_id) {
    problems = check_new_owner(actor, c.meta.owner_id, view);
    if (!problems.empty()) return Result<MutationOutcome>::failure(std::move(problems));
    c.owner_history.push_back(OwnerChange{before.meta.owner_id, c.meta.owner_id, now, actor.user_id, "reassign"});
  }
  problems = check_customer(c, settings);
  if (!problems.empty()) return Result<MutationOutcome>::failure(std::move(problems));
  if (c == before) return Result<MutationOutcome>::success(std::move(out));  // nothing changed
  out.writes.push_back(store(kTypeCustomer, std::move(c), loaded.value.stored.version, now));
  return Result<MutationOutcome>::success(std::move(out));
}

}  // namespace cl::sync::detail

// Dispatch of the mutation catalogue (mutations.h) and the shared patch logic.
#include "sync/mutations.h"

#include <algorithm>
#include <functional>

#include "core/settings.h"
#include "sync/conflict_rule.h"
#include "sync/mutation_support.h"

namespace cl::sync {

const std::vector<std::string_view>& mutation_names() {
  static const std::vector<std::string_view> k = {
      kCustomerCreate,     kCustomerUpdate,       kActivityLog,      kActivityDelete,
      kOpportunityCreate,  kOpportunityUpdate,    kOpportunityAdvance, kOpportunityMoveBack,
      kOpportunityClose,   kLeadTouch,            kLeadConvert,        kLeadAssign,
      kQuoteCreate,        kQuoteSubmit,          kQuoteApprove,       kQuoteReject};
  return k;
}

Result<MutationOutcome> apply_mutation(const Mutation& m, const Actor& actor, const RecordView& view,
                                       const Settings& settings, Instant now) {
  using namespace detail;
  using Fn = Result<MutationOutcome> (*)(const Mutation&, const Actor&, const RecordView&, const Settings&, Instant);
  static const std::pair<std::string_view, Fn> kTable[] = {
      {kCustomerCreate, apply_customer_create},       {kCustomerUpdate, apply_customer_update},
      {kActivityLog, apply_activity_log},             {kActivityDelete, apply_activity_delete},
      {kOpportunityCreate, apply_opportunity_create}, {kOpportunityUpdate, apply_opportunity_update},
      {kOpportunityAdvance, apply_opportunity_advance}, {kOpportunityMoveBack, apply_opportunity_move_back},
      {kOpportunityClose, apply_opportunity_close},   {kLeadTouch, apply_lead_touch},
      {kLeadConvert, apply_lead_convert},             {kLeadAssign, apply_lead_assign},
      {kQuoteCreate, apply_quote_create},             {kQuoteSubmit, apply_quote_submit},
      {kQuoteApprove, apply_quote_approve},           {kQuoteReject, apply_quote_reject}};
  if (!m.args.is_object())
    return Result<MutationOutcome>::failure({invalid_args("args", "args must be an object")});
  // R9: a pipeline always has stages. A caller whose settings have not loaded yet (a fresh replica)
  // gets the seed's five, so the stage machine never sees an empty pipeline.
  Settings with_stages;
  const Settings* effective = &settings;
  if (settings.stages.empty()) {
    with_stages = settings;
    with_stages.stages = default_settings().stages;
    effective = &with_stages;
  }
  for (const auto& [name, fn] : kTable)
    if (m.name == name) return fn(m, actor, view, *effective, now);
  return Result<MutationOutcome>::failure(
      {Problem{"unknown_mutation", "name", "未知的操作：" + m.name, "Unknown mutation: " + m.name}});
}

namespace detail {

bool valid_id(const std::string& id) {
  return !id.empty() && id.size() <= 64 &&
         std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f && c != '/' && c != '\\'; });
}

std::optional<Json> patch_changes(const Mutation& m, std::string_view type, const Id& id, std::int64_t version,
                                  const std::vector<std::string_view>& allowed,
                                  const std::function<Json(const std::string&)>& server_value,
                                  std::vector<Conflict>& conflicts, Problems& problems) {
  const Json& set = m.args.contains("set") ? m.args["set"] : Json();
  if (!set.is_object() || set.empty()) {
    problems.push_back(invalid_args("set", "set must be a non-empty object"));
    return std::nullopt;
  }
  const Json empty = Json::object();
  const Json& base = m.args.contains("base") && m.args["base"].is_object() ? m.args["base"] : empty;
  Json changes = Json::object();
  for (const auto& [key, value] : set.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      problems.push_back(invalid_args("set." + key, "field " + key + " cannot be set by " + m.name));
      continue;
    }
    // Only a guarded field's decision reads the server's value (conflict_rule.h): the others apply.
    const Json server = is_guarded_field(type, key) ? server_value(key) : Json();
    const Json* base_value = base.contains(key) ? &base[key] : nullptr;
    if (decide_field(type, key, version, m.base_version, base_value, server, value) == FieldDecision::KeepServer) {
      conflicts.push_back(Conflict{std::string(type), id, key, server, value, "server_kept"});
      continue;
    }
    changes[key] = value;
  }
  if (!problems.empty()) return std::nullopt;
  return changes;
}

bool apply_patch(const Mutation& m, std::string_view type, const StoredRecord& current,
                 const std::vector<std::string_view>& allowed, Json& data, std::vector<Conflict>& conflicts,
                 Problems& problems) {
  const auto value_in_data = [&](const std::string& key) { return data.contains(key) ? data[key] : Json(); };
  auto changes = patch_changes(m, type, current.id, current.version, allowed, value_in_data, conflicts, problems);
  if (!changes) return false;
  for (auto& [key, value] : changes->items()) data[key] = std::move(value);
  return true;
}

}  // namespace detail
}  // namespace cl::sync

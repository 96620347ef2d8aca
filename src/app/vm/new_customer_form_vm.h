// New-customer form (R4, R5, issue 5): the configured required fields and tags, every missing one
// named next to its field; a duplicate warning (normalised name or phone already in the replica)
// before saving; saving works offline — it makes a customer.create mutation, the optimistic record
// and a customer code from this device's number (core/ids.h), all through the sync client.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/vm/id_source.h"
#include "app/vm/intents.h"
#include "app/vm/local_replica.h"
#include "core/dedup.h"
#include "core/model.h"
#include "core/problem.h"
#include <nlohmann/json.hpp>

namespace cl::app {

class SyncClient;

struct DuplicateHit {
  Id id;
  std::string code, name, phone;
  std::string reason_zh, reason_en;  // strongest reason: 电话相同 / 名称相同 / 名称相似
  int similarity_pct = 0;
};

struct FormField {
  std::string key;              // "name", "decision_maker", …, "custom.<key>"
  std::string label_zh, label_en;
  bool required = false;
};

class NewCustomerFormVM {
 public:
  explicit NewCustomerFormVM(const Settings& settings);
  // The company's settings arrived from the server (GET /api/v1/settings): required fields and tag
  // groups follow them; values typed so far are kept.
  void set_settings(const Settings& settings);

  // The editable values (screens bind inputs to these).
  std::string name, decision_maker, decision_maker_title, phone, main_business, address;
  std::map<std::string, std::string> tags;   // group key → value
  std::map<std::string, std::string> custom;

  const std::vector<FormField>& fields() const { return fields_; }
  std::string* value_of(const std::string& key);   // binding for fields(); nullptr for unknown keys
  const std::vector<TagGroup>& tag_groups() const { return settings_.tag_groups; }

  // R4: problems from core's rules; shown only after the first submit attempt (not while typing).
  const Problems& problems() const { return problems_; }
  const Problem* problem_for(const std::string& field) const;
  bool attempted() const { return attempted_; }
  // R5: live duplicate check (call as the user types; cheap: normalised compare over the replica).
  void check_duplicates(const LocalReplica& replica);
  const std::vector<DuplicateHit>& duplicates() const { return duplicates_; }
  void handle(const AcknowledgeDuplicate&) { duplicates_acknowledged_ = true; }

  // Saves. On success returns the new customer id (the screen navigates to its profile).
  Result<Id> handle(const SubmitNewCustomer&, const LocalReplica& replica, SyncClient& sync, IdSource& ids,
                    const Id& owner_id, Instant now);
  // Fills the form from a rejected customer.create (the "fix" action of a sync issue).
  void load_from_args(const nlohmann::json& customer_json, std::int64_t rejected_mid);

  Customer build(const Id& id, const std::string& code, const Id& owner_id, Instant now) const;
  void reset();

 private:
  Settings settings_;
  std::vector<FormField> fields_;
  Problems problems_;
  std::vector<DuplicateHit> duplicates_;
  bool attempted_ = false;
  bool duplicates_acknowledged_ = false;
  Id retry_id_;            // reuse the id/code of a rejected create so the retry replaces it
  std::string retry_code_;
  std::int64_t retry_mid_ = 0;
  std::string dup_checked_name_, dup_checked_phone_;
  std::uint64_t dup_checked_revision_ = ~0ull;
  DuplicateIndex dup_index_;                 // core R5 index over the replica, rebuilt when it changes
  std::uint64_t dup_index_revision_ = ~0ull;
};

}  // namespace cl::app

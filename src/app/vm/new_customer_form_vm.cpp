#include "app/vm/new_customer_form_vm.h"

#include "app/vm/sync_client.h"
#include "core/codec.h"
#include "core/customer_validation.h"
#include "core/settings.h"

namespace cl::app {

NewCustomerFormVM::NewCustomerFormVM(const Settings& settings) { set_settings(settings); }

void NewCustomerFormVM::set_settings(const Settings& settings) {
  settings_ = settings;
  fields_.clear();
  problems_.clear();
  for (const char* key : {"name", "decision_maker", "decision_maker_title", "phone", "main_business", "address"}) {
    FieldLabel label = customer_field_label(key);
    bool required = false;
    for (const auto& r : settings_.required_customer_fields) required |= r == key;
    fields_.push_back({key, label.zh, label.en, required});
  }
  for (const auto& r : settings_.required_customer_fields)
    if (r.rfind("custom.", 0) == 0) {
      FieldLabel label = customer_field_label(r);
      fields_.push_back({r, label.zh, label.en, true});
    }
}

std::string* NewCustomerFormVM::value_of(const std::string& key) {
  if (key == "name") return &name;
  if (key == "decision_maker") return &decision_maker;
  if (key == "decision_maker_title") return &decision_maker_title;
  if (key == "phone") return &phone;
  if (key == "main_business") return &main_business;
  if (key == "address") return &address;
  if (key.rfind("custom.", 0) == 0) return &custom[key.substr(7)];
  return nullptr;
}

const Problem* NewCustomerFormVM::problem_for(const std::string& field) const {
  for (const auto& p : problems_)
    if (p.field == field) return &p;
  return nullptr;
}

Customer NewCustomerFormVM::build(const Id& id, const std::string& code, const Id& owner_id, Instant now) const {
  Customer c;
  c.meta.id = id;
  c.meta.owner_id = owner_id;
  c.meta.created_at = now;
  c.meta.updated_at = now;
  c.code = code;
  c.name = name;
  c.decision_maker = decision_maker;
  c.decision_maker_title = decision_maker_title;
  c.phone = phone;
  c.main_business = main_business;
  c.address = address;
  for (const auto& [k, v] : tags)
    if (!v.empty()) c.tags[k] = v;
  for (const auto& [k, v] : custom)
    if (!v.empty()) c.custom[k] = v;
  return c;
}

void NewCustomerFormVM::check_duplicates(const LocalReplica& replica) {
  if (name == dup_checked_name_ && phone == dup_checked_phone_ && replica.revision() == dup_checked_revision_) return;
  dup_checked_name_ = name;
  dup_checked_phone_ = phone;
  dup_checked_revision_ = replica.revision();
  duplicates_.clear();
  duplicates_acknowledged_ = false;
  if (is_blank(name) && is_blank(phone)) return;
  if (dup_index_revision_ != replica.revision()) {
    dup_index_ = DuplicateIndex();
    for (const auto& [id, c] : replica.customers()) dup_index_.add(c);
    dup_index_revision_ = replica.revision();
  }
  Customer probe = build(retry_id_.empty() ? "__new__" : retry_id_, "", "", 0);
  for (const auto& cand : dup_index_.find(probe, 5)) {
    const Customer* c = replica.customer(cand.customer_id);
    DuplicateHit hit{cand.customer_id, cand.code, cand.name, c ? c->phone : cand.matched_phone, "", "", cand.similarity_pct};
    if (!cand.reasons.empty()) {
      hit.reason_zh = reason_zh(cand.reasons.front());
      hit.reason_en = reason_en(cand.reasons.front());
    }
    duplicates_.push_back(std::move(hit));
  }
}

Result<Id> NewCustomerFormVM::handle(const SubmitNewCustomer&, const LocalReplica& replica, SyncClient& sync,
                                     IdSource& ids, const Id& owner_id, Instant now) {
  attempted_ = true;
  // R4: check with core's rules first, so every missing field is named before anything is queued.
  Customer draft = build(retry_id_.empty() ? "draft" : retry_id_, "KH-000-00000", owner_id, now);
  problems_ = validate_customer(draft, settings_);
  if (!problems_.empty()) return Result<Id>::failure(problems_);
  check_duplicates(replica);
  if (!duplicates_.empty() && !duplicates_acknowledged_) {
    problems_ = {Problem{"possible_duplicate", "name", "可能与已有客户重复，请确认后再保存",
                         "This may duplicate an existing customer; confirm to save anyway"}};
    return Result<Id>::failure(problems_);
  }
  if (ids.device_number() == 0 && retry_code_.empty()) {
    // R5: codes need this device's number, handed out once online (POST /api/v1/sync/register).
    problems_ = {Problem{"device_not_registered", "", "本设备尚未注册，请联网一次后再新建客户",
                         "This device is not registered yet; go online once before creating customers"}};
    return Result<Id>::failure(problems_);
  }
  const Id id = retry_id_.empty() ? ids.new_id(now) : retry_id_;
  const std::string code = retry_code_.empty() ? ids.next_customer_code(replica) : retry_code_;
  Customer c = build(id, code, owner_id, now);
  nlohmann::json customer_json = encode(c);
  auto queued = sync.submit("customer.create", nlohmann::json{{"customer", customer_json}}, 0, now);
  if (!queued.ok()) {
    problems_ = queued.problems;
    // The mutation names fields as "customer.<field>"; the form shows them under the bare field.
    for (auto& p : problems_)
      if (p.field.rfind("customer.", 0) == 0) p.field = p.field.substr(9);
    return Result<Id>::failure(problems_);
  }
  if (retry_mid_ != 0) sync.dismiss(retry_mid_, now);  // the retry replaces the rejected entry
  reset();
  return Result<Id>::success(id);
}

void NewCustomerFormVM::load_from_args(const nlohmann::json& customer_json, std::int64_t rejected_mid) {
  auto r = decode<Customer>(customer_json);
  if (!r.ok()) return;
  const Customer& c = r.value;
  name = c.name;
  decision_maker = c.decision_maker;
  decision_maker_title = c.decision_maker_title;
  phone = c.phone;
  main_business = c.main_business;
  address = c.address;
  tags = {c.tags.begin(), c.tags.end()};
  custom = {c.custom.begin(), c.custom.end()};
  retry_id_ = c.meta.id;
  retry_code_ = c.code;
  retry_mid_ = rejected_mid;
}

void NewCustomerFormVM::reset() {
  name.clear(); decision_maker.clear(); decision_maker_title.clear(); phone.clear(); main_business.clear();
  address.clear(); tags.clear(); custom.clear();
  problems_.clear();
  duplicates_.clear();
  attempted_ = duplicates_acknowledged_ = false;
  retry_id_.clear(); retry_code_.clear(); retry_mid_ = 0;
  dup_checked_name_.clear(); dup_checked_phone_.clear(); dup_checked_revision_ = ~0ull;
}

}  // namespace cl::app

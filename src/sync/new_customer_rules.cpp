// R5 on the server's side of a new customer (customer.create, lead.convert): the human-readable code
// carries the pushing device's number and is free, and the customer duplicates nobody company-wide.
// Both checks ask the RecordView, whose defaults (a replica) skip them — the server overrides them.
#include <string>

#include "core/ids.h"
#include "sync/mutation_support.h"

namespace cl::sync::detail {

Problems check_new_customer_code(const std::string& code, const Id& own_id, const std::string& field,
                                 const RecordView& view) {
  if (code.empty()) return {Problem{"required_field_missing", field, "缺少客户编号", "The customer code is missing"}};
  // core/ids.h: "KH-<device code>-<sequence>". A device can only mint codes with its own number, so two
  // devices never collide offline; a code with another device's number (or none) is refused.
  if (auto device = view.pushing_device()) {
    const auto parts = parse_code(code);
    if (*device == 0)
      return {Problem{"device_not_registered", field, "本设备尚未注册，请联网后重试",
                      "This device is not registered (POST /api/v1/sync/register) and cannot make customer codes"}};
    if (!parts || parts->prefix != "KH" || parts->device_number != *device)
      return {Problem{"invalid_code", field,
                      "客户编号格式不对：应为 KH-" + device_code(*device) + "-<序号>，收到 " + code,
                      "The customer code must be KH-" + device_code(*device) + "-<sequence> (this device's number), got " + code}};
  }
  auto other = view.customer_with_code(code);
  if (other && *other != own_id)
    return {Problem{"duplicate_code", field, "客户编号已被占用：" + code, "Customer code already taken: " + code}};
  return {};
}

Problems check_duplicate_customers(const Customer& c, const Actor& actor, const RecordView& view) {
  Problems out;
  bool hidden_phone = false, hidden_name = false;
  for (const auto& d : view.customer_duplicates(c)) {
    if (d.id == c.meta.id) continue;
    const bool phone = d.reason == "same_phone";
    const std::string field = phone ? "phone" : "name";
    // R33: the existing record is named only to someone who may see it; to anyone else the answer
    // says that it exists and where to go, nothing about whose or what it is.
    if (!actor_may_touch(actor, d.owner_id, view)) {
      (phone ? hidden_phone : hidden_name) = true;
      continue;
    }
    const std::string owner = d.owner_name.empty() ? d.owner_id : d.owner_name;
    out.push_back(Problem{"duplicate_customer", field,
                          std::string(phone ? "电话相同" : "名称相同") + "：已有客户「" + d.name + "」（编号 " + d.code +
                              "，负责人 " + owner + "），请打开该客户，不要重复新建",
                          std::string(phone ? "Same phone" : "Same name") + " as existing customer " + d.name + " (code " +
                              d.code + ", id " + d.id + ", owner " + owner + "): open it instead of creating a duplicate"});
  }
  if (hidden_phone)
    out.push_back(Problem{"duplicate_customer", "phone", "已有相同电话的客户，属于其他团队——请联系您的主管",
                          "A customer with this phone already exists, owned by another team — ask your manager"});
  if (hidden_name)
    out.push_back(Problem{"duplicate_customer", "name", "已有相同名称的客户，属于其他团队——请联系您的主管",
                          "A customer with this name already exists, owned by another team — ask your manager"});
  return out;
}

}  // namespace cl::sync::detail

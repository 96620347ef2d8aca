#include "core/customer_validation.h"

#include "core/phone.h"
#include "core/settings.h"

namespace cl {
namespace {

const std::string* field_value(const Customer& c, const std::string& key) {
  if (key == "name") return &c.name;
  if (key == "decision_maker") return &c.decision_maker;
  if (key == "decision_maker_title") return &c.decision_maker_title;
  if (key == "phone") return &c.phone;
  if (key == "main_business") return &c.main_business;
  if (key == "address") return &c.address;
  if (key.rfind("custom.", 0) == 0) {
    auto it = c.custom.find(key.substr(7));
    return it == c.custom.end() ? nullptr : &it->second;
  }
  return nullptr;
}

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

bool is_blank(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (text.substr(i, 3) == "\u3000") { i += 2; continue; }
    return false;
  }
  return true;
}

Problems validate_customer(const Customer& c, const Settings& s) {
  Problems ps;
  for (const auto& key : s.required_customer_fields) {
    const std::string* v = field_value(c, key);
    if (v == nullptr || is_blank(*v)) {
      FieldLabel label = customer_field_label(key);
      ps.push_back({"required_field_missing", key, "请填写" + label.zh, label.en + " is required"});
    }
  }
  for (const auto& g : s.tag_groups) {
    auto it = c.tags.find(g.key);
    bool missing = it == c.tags.end() || is_blank(it->second);
    std::string field = "tags." + g.key;
    if (missing) {
      if (g.required) ps.push_back({"required_tag_missing", field, "请选择" + g.name_zh, g.name_en + " must be chosen"});
      continue;
    }
    bool known = g.values.empty();
    for (const auto& v : g.values)
      if (v == it->second) known = true;
    if (!known)
      ps.push_back({"invalid_tag_value", field, g.name_zh + "「" + it->second + "」不在可选值中",
                    g.name_en + " \"" + it->second + "\" is not one of the allowed values"});
  }
  if (!is_blank(c.phone) && !normalize_phone(c.phone).valid())
    ps.push_back({"invalid_phone", "phone", "联系电话格式不正确：" + c.phone,
                  "Phone is not a valid Chinese mobile or landline number: " + c.phone});
  for (size_t i = 0; i < c.contacts.size(); ++i) {
    const auto& p = c.contacts[i].phone;
    if (!is_blank(p) && !normalize_phone(p).valid()) {
      std::string field = "contacts[" + std::to_string(i) + "].phone";
      ps.push_back({"invalid_phone", field, "联系人电话格式不正确：" + p, "Contact phone is not a valid number: " + p});
    }
  }
  auto too_long = [&](const std::string& key, const std::string& v, size_t limit) {
    if (utf8_length(v) <= limit) return;
    FieldLabel label = customer_field_label(key);
    ps.push_back({"field_too_long", key, label.zh + "不能超过 " + std::to_string(limit) + " 个字",
                  label.en + " cannot exceed " + std::to_string(limit) + " characters"});
  };
  too_long("name", c.name, 100);
  too_long("decision_maker", c.decision_maker, 200);
  too_long("decision_maker_title", c.decision_maker_title, 200);
  too_long("main_business", c.main_business, 200);
  too_long("address", c.address, 200);
  return ps;
}

}  // namespace cl

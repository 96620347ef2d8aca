#include <utility>

#include "core/customer_import.h"

#include "core/csv.h"
#include "core/customer_validation.h"
#include "core/phone.h"

namespace cl {

namespace {

std::string header_key(std::string_view h) {
  std::string s(h);
  auto strip = [&] {
    for (bool changed = true; changed;) {
      changed = false;
      while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '*' || s.back() == '\r')) { s.pop_back(); changed = true; }
      while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) { s.erase(0, 1); changed = true; }
      if (s.size() >= 3 && s.compare(0, 3, "\xE3\x80\x80") == 0) { s.erase(0, 3); changed = true; }
      if (s.size() >= 3 && s.compare(s.size() - 3, 3, "\xE3\x80\x80") == 0) { s.resize(s.size() - 3); changed = true; }
    }
  };
  strip();
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

const std::map<std::string, std::string>& aliases() {
  static const std::map<std::string, std::string> m = {
      {"机构全称", "name"}, {"机构名称", "name"}, {"客户名称", "name"}, {"公司名称", "name"}, {"公司", "name"},
      {"单位名称", "name"}, {"name", "name"}, {"company", "name"},
      {"决策人", "decision_maker"}, {"决策人姓名", "decision_maker"}, {"联系人", "decision_maker"},
      {"decision_maker", "decision_maker"}, {"decision maker", "decision_maker"}, {"contact", "decision_maker"},
      {"职务", "decision_maker_title"}, {"职位", "decision_maker_title"}, {"title", "decision_maker_title"},
      {"position", "decision_maker_title"},
      {"联系电话", "phone"}, {"电话", "phone"}, {"手机", "phone"}, {"phone", "phone"}, {"mobile", "phone"}, {"tel", "phone"},
      {"主营业务", "main_business"}, {"业务", "main_business"}, {"main_business", "main_business"},
      {"main business", "main_business"}, {"business", "main_business"},
      {"地址", "address"}, {"address", "address"},
      {"客户类型", "tags.customer_type"}, {"类型", "tags.customer_type"}, {"customer_type", "tags.customer_type"},
      {"customer type", "tags.customer_type"}, {"type", "tags.customer_type"},
      {"所属区域", "tags.region"}, {"区域", "tags.region"}, {"地区", "tags.region"}, {"region", "tags.region"},
      {"首次接触渠道", "tags.first_channel"}, {"接触渠道", "tags.first_channel"}, {"渠道", "tags.first_channel"},
      {"来源", "tags.first_channel"}, {"first_channel", "tags.first_channel"}, {"channel", "tags.first_channel"},
      {"source", "tags.first_channel"},
      {"负责人", "owner"}, {"销售", "owner"}, {"owner", "owner"}, {"rep", "owner"},
  };
  return m;
}

std::string trim_cell(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string name_key(const std::string& s) {
  std::string k;
  for (char c : s)
    if (c != ' ') k += c;
  return k;
}

}  // namespace

std::string customer_field_for_header(std::string_view header) {
  auto it = aliases().find(header_key(header));
  return it == aliases().end() ? std::string() : it->second;
}

CustomerImportPreview preview_customer_import(std::string_view csv_text, const Settings& settings,
                                              const std::vector<Customer>& existing) {
  CustomerImportPreview p;
  CsvTable table = parse_csv(csv_text);
  CsvColumns cols = map_csv_columns(table, &customer_field_for_header);
  p.headers = std::move(cols.headers);
  p.column_of = std::move(cols.column_of);
  p.ignored_headers = std::move(cols.ignored_headers);
  p.file_problems = std::move(cols.file_problems);
  if (table.rows.empty()) return p;
  if (!p.column_of.count("name"))
    p.file_problems.push_back({"column_missing", "name", "找不到「机构全称」列", "no name column (机构全称 / name)"});
  if (!p.file_problems.empty()) return p;

  std::map<std::string, std::string> existing_name, existing_phone;
  for (const auto& c : existing) {
    if (c.meta.deleted) continue;
    existing_name[name_key(c.name)] = c.code.empty() ? c.name : c.code;
    auto n = normalize_phone(c.phone);
    if (n.valid()) existing_phone[n.digits] = c.code.empty() ? c.name : c.code;
  }
  std::map<std::string, int> seen_name, seen_phone;
  const size_t width = p.headers.size();
  for (size_t r = 1; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const int row_no = static_cast<int>(r + 1);
    const std::string prefix_zh = "第 " + std::to_string(row_no) + " 行：", prefix_en = "row " + std::to_string(row_no) + ": ";
    auto add = [&](std::vector<RowProblem>& list, Problem prob) {
      prob.message_zh = prefix_zh + prob.message_zh;
      prob.message_en = prefix_en + prob.message_en;
      list.push_back({row_no, std::move(prob)});
    };
    if (row.size() != width)
      add(p.errors, {"csv_ragged_row", "", "有 " + std::to_string(row.size()) + " 列，表头有 " + std::to_string(width) + " 列",
                     std::to_string(row.size()) + " fields, the header has " + std::to_string(width)});
    auto cell = [&](const char* field) {
      auto it = p.column_of.find(field);
      if (it == p.column_of.end() || static_cast<size_t>(it->second) >= row.size()) return std::string();
      return trim_cell(row[static_cast<size_t>(it->second)]);
    };
    Customer c;
    c.name = cell("name");
    c.decision_maker = cell("decision_maker");
    c.decision_maker_title = cell("decision_maker_title");
    c.phone = cell("phone");
    c.main_business = cell("main_business");
    c.address = cell("address");
    for (const char* tag : {"customer_type", "region", "first_channel"}) {
      std::string v = cell((std::string("tags.") + tag).c_str());
      if (!v.empty()) c.tags[tag] = v;
    }
    for (auto& prob : validate_customer(c, settings)) add(p.errors, std::move(prob));
    if (!c.name.empty()) {
      auto [it, fresh] = seen_name.emplace(name_key(c.name), row_no);
      if (!fresh)
        add(p.errors, {"duplicate_in_file", "name", "机构全称与第 " + std::to_string(it->second) + " 行重复",
                       "same name as row " + std::to_string(it->second)});
      else if (auto e = existing_name.find(name_key(c.name)); e != existing_name.end())
        add(p.warnings, {"duplicate_existing", "name", "已存在同名客户 " + e->second, "a customer with this name exists: " + e->second});
    }
    auto n = normalize_phone(c.phone);
    if (n.valid()) {
      auto [it, fresh] = seen_phone.emplace(n.digits, row_no);
      if (!fresh)
        add(p.errors, {"duplicate_in_file", "phone", "联系电话与第 " + std::to_string(it->second) + " 行重复",
                       "same phone as row " + std::to_string(it->second)});
      else if (auto e = existing_phone.find(n.digits); e != existing_phone.end())
        add(p.warnings, {"duplicate_existing", "phone", "电话与已有客户 " + e->second + " 相同", "same phone as customer " + e->second});
    }
    p.owner_usernames.push_back(cell("owner"));
    p.customers.push_back(std::move(c));
    p.customer_rows.push_back(row_no);
  }
  if (p.customers.empty()) p.file_problems.push_back({"no_rows", "", "文件只有表头，没有数据行", "the file has a header but no rows"});
  return p;
}

Result<std::vector<Customer>> apply_customer_import(const CustomerImportPreview& preview, Instant now,
                                                    const Id& default_owner, const std::function<Id()>& make_id,
                                                    const std::function<std::string()>& make_code) {
  if (!preview.can_apply())
    return Result<std::vector<Customer>>::failure(import_refusal(preview.file_problems, preview.errors));
  std::vector<Customer> out = preview.customers;
  for (auto& c : out) {
    c.meta.id = make_id();
    c.code = make_code();
    if (c.meta.owner_id.empty()) c.meta.owner_id = default_owner;
    c.meta.created_at = c.meta.updated_at = now;
  }
  return Result<std::vector<Customer>>::success(std::move(out));
}

}  // namespace cl

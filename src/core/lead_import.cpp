#include <utility>

#include "core/lead_import.h"

#include "core/csv.h"
#include "core/phone.h"

namespace cl {

namespace {

std::string trim(std::string_view s) {
  auto is_space_at = [&](size_t i, size_t& len) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') { len = 1; return true; }
    if (s.substr(i, 3) == "\xE3\x80\x80") { len = 3; return true; }  // U+3000
    return false;
  };
  size_t b = 0, len = 0;
  while (b < s.size() && is_space_at(b, len)) b += len;
  size_t e = s.size();
  while (e > b) {
    if (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n') { --e; continue; }
    if (e - b >= 3 && s.substr(e - 3, 3) == "\xE3\x80\x80") { e -= 3; continue; }
    break;
  }
  return std::string(s.substr(b, e - b));
}

std::string header_key(std::string_view h) {
  std::string s = trim(h);
  while (!s.empty() && s.back() == '*') s.pop_back();
  s = trim(s);
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

const std::map<std::string, std::string>& aliases() {
  static const std::map<std::string, std::string> m = {
      {"公司", "company"}, {"公司名称", "company"}, {"机构名称", "company"}, {"机构全称", "company"},
      {"客户名称", "company"}, {"单位", "company"}, {"单位名称", "company"}, {"医院名称", "company"},
      {"company", "company"}, {"company name", "company"}, {"organization", "company"}, {"organisation", "company"},
      {"联系人", "contact"}, {"联系人姓名", "contact"}, {"姓名", "contact"}, {"决策人", "contact"},
      {"contact", "contact"}, {"contact name", "contact"},
      {"电话", "phone"}, {"手机", "phone"}, {"手机号", "phone"}, {"手机号码", "phone"}, {"联系电话", "phone"},
      {"电话号码", "phone"}, {"phone", "phone"}, {"mobile", "phone"}, {"tel", "phone"}, {"telephone", "phone"},
      {"来源", "source"}, {"线索来源", "source"}, {"渠道", "source"}, {"source", "source"}, {"channel", "source"},
      {"区域", "region"}, {"地区", "region"}, {"所属区域", "region"}, {"城市", "region"}, {"region", "region"},
      {"city", "region"}, {"area", "region"},
      {"备注", "note"}, {"说明", "note"}, {"note", "note"}, {"notes", "note"}, {"remark", "note"},
  };
  return m;
}

const char* field_zh(const std::string& f) {
  if (f == "company") return "公司名称";
  if (f == "contact") return "联系人";
  if (f == "phone") return "电话";
  return f.c_str();
}

std::string company_key(const std::string& s) {
  std::string k;
  for (char c : s)
    if (c != ' ') k += c;
  return k;
}

}  // namespace

std::string lead_field_for_header(std::string_view header) {
  auto it = aliases().find(header_key(header));
  return it == aliases().end() ? std::string() : it->second;
}

LeadImportPreview preview_lead_import(std::string_view csv_text, const std::string& default_source,
                                      const std::vector<Lead>& existing_leads) {
  LeadImportPreview p;
  CsvTable table = parse_csv(csv_text);
  CsvColumns cols = map_csv_columns(table, &lead_field_for_header);
  p.headers = std::move(cols.headers);
  p.column_of = std::move(cols.column_of);
  p.ignored_headers = std::move(cols.ignored_headers);
  p.file_problems = std::move(cols.file_problems);
  if (table.rows.empty()) return p;
  if (!p.column_of.count("company"))
    p.file_problems.push_back({"column_missing", "company", "找不到「公司名称」列（可用：公司 / 机构名称 / company）",
                               "no company column (accepted: 公司 / 机构名称 / company)"});
  if (!p.column_of.count("phone") && !p.column_of.count("contact"))
    p.file_problems.push_back({"column_missing", "phone", "找不到「电话」或「联系人」列", "no phone or contact column"});
  if (!p.file_problems.empty()) return p;

  std::map<std::string, int> existing_phone, existing_company;
  for (const auto& l : existing_leads) {
    if (l.meta.deleted) continue;
    auto n = normalize_phone(l.phone);
    if (n.valid()) existing_phone[n.digits] = 1;
    existing_company[company_key(l.company)] = 1;
  }
  std::map<std::string, int> seen_phone, seen_company;
  const size_t width = p.headers.size();
  for (size_t r = 1; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const int row_no = static_cast<int>(r + 1);
    auto add_error = [&](const std::string& code, const std::string& field, const std::string& zh, const std::string& en) {
      p.errors.push_back({row_no, {code, field, "第 " + std::to_string(row_no) + " 行：" + zh, "row " + std::to_string(row_no) + ": " + en}});
    };
    if (row.size() != width)
      add_error("csv_ragged_row", "", "有 " + std::to_string(row.size()) + " 列，表头有 " + std::to_string(width) + " 列",
                std::to_string(row.size()) + " fields, the header has " + std::to_string(width));
    auto cell = [&](const char* field) {
      auto it = p.column_of.find(field);
      if (it == p.column_of.end() || static_cast<size_t>(it->second) >= row.size()) return std::string();
      return trim(row[static_cast<size_t>(it->second)]);
    };
    Lead l;
    l.company = cell("company");
    l.contact_name = cell("contact");
    l.phone = cell("phone");
    l.source = cell("source");
    if (l.source.empty()) l.source = default_source;
    l.region = cell("region");
    l.note = cell("note");
    if (l.company.empty())
      add_error("required_field_missing", "company", std::string(field_zh("company")) + "为必填", "company is required");
    if (l.contact_name.empty() && l.phone.empty())
      add_error("required_field_missing", "phone", "联系人和电话至少填一项", "a contact or a phone is required");
    std::string phone_digits;
    if (!l.phone.empty()) {
      auto n = normalize_phone(l.phone);
      if (!n.valid()) add_error("invalid_phone", "phone", "电话「" + l.phone + "」格式不正确", "phone \"" + l.phone + "\" is not valid");
      else phone_digits = n.digits;
    }
    if (!phone_digits.empty()) {
      auto [it, fresh] = seen_phone.emplace(phone_digits, row_no);
      if (!fresh)
        add_error("duplicate_in_file", "phone", "电话与第 " + std::to_string(it->second) + " 行重复",
                  "same phone as row " + std::to_string(it->second));
      else if (existing_phone.count(phone_digits))
        p.warnings.push_back({row_no, {"duplicate_existing", "phone", "第 " + std::to_string(row_no) + " 行：电话已存在于现有线索",
                                       "row " + std::to_string(row_no) + ": the phone is already on an existing lead"}});
    }
    if (!l.company.empty()) {
      auto [it, fresh] = seen_company.emplace(company_key(l.company), row_no);
      if (!fresh)
        add_error("duplicate_in_file", "company", "公司名称与第 " + std::to_string(it->second) + " 行重复",
                  "same company as row " + std::to_string(it->second));
      else if (existing_company.count(company_key(l.company)))
        p.warnings.push_back({row_no, {"duplicate_existing", "company", "第 " + std::to_string(row_no) + " 行：公司已存在于现有线索",
                                       "row " + std::to_string(row_no) + ": the company is already on an existing lead"}});
    }
    p.leads.push_back(std::move(l));
    p.lead_rows.push_back(row_no);
  }
  if (p.leads.empty()) p.file_problems.push_back({"no_rows", "", "文件只有表头，没有数据行", "the file has a header but no rows"});
  return p;
}

Problems import_refusal(const Problems& file_problems, const std::vector<RowProblem>& errors) {
  Problems all = file_problems;
  for (const auto& e : errors) {
    Problem p = e.problem;
    p.field = "row " + std::to_string(e.row) + (p.field.empty() ? "" : ": " + p.field);
    all.push_back(std::move(p));
  }
  if (all.empty()) all.push_back({"no_rows", "", "没有可导入的数据", "nothing to import"});
  return all;
}

Result<std::vector<Lead>> apply_lead_import(const LeadImportPreview& preview, const Id& batch_id, Instant now,
                                            const std::function<Id()>& make_id) {
  if (!preview.can_apply()) return Result<std::vector<Lead>>::failure(import_refusal(preview.file_problems, preview.errors));
  std::vector<Lead> out = preview.leads;
  for (auto& l : out) {
    l.meta.id = make_id();
    l.meta.created_at = l.meta.updated_at = now;
    l.status = LeadStatus::Imported;
    l.import_batch_id = batch_id;
    l.imported_at = now;
  }
  return Result<std::vector<Lead>>::success(std::move(out));
}

}  // namespace cl

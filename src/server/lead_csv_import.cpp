#include "server/lead_csv_import.h"

#include <map>
#include <set>

#include "core/codec.h"
#include "core/csv.h"
#include "core/phone.h"
#include "server/text_encoding.h"

namespace cl::server {

namespace {

std::string trim(std::string s) {
  auto issp = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && issp(s.back())) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && issp(s[i])) ++i;
  return s.substr(i);
}

std::string column_key(std::string header) {
  header = trim(header);
  for (auto& c : header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::map<std::string, std::string> names = {
      {"公司", "company"}, {"公司名称", "company"}, {"机构全称", "company"}, {"单位", "company"}, {"company", "company"},
      {"联系人", "contact"}, {"姓名", "contact"}, {"contact", "contact"}, {"contact_name", "contact"},
      {"电话", "phone"}, {"手机", "phone"}, {"联系电话", "phone"}, {"phone", "phone"}, {"mobile", "phone"},
      {"来源", "source"}, {"渠道", "source"}, {"source", "source"},
      {"区域", "region"}, {"地区", "region"}, {"所属区域", "region"}, {"region", "region"},
      {"备注", "note"}, {"note", "note"}, {"notes", "note"}};
  auto it = names.find(header);
  return it == names.end() ? "" : it->second;
}

Problem problem(const std::string& field, const char* code, const std::string& zh, const std::string& en) {
  return Problem{code, field, zh, en};
}

}  // namespace

int LeadImportPreview::valid_rows() const {
  int n = 0;
  for (const auto& r : rows) n += r.problems.empty() ? 1 : 0;
  return n;
}

LeadImportPreview preview_lead_csv(std::string_view bytes, const std::vector<std::string>& existing_phones,
                                   std::size_t max_rows) {
  LeadImportPreview p;
  const TextEncoding enc = detect_text_encoding(bytes);
  p.encoding = encoding_name(enc);
  auto text = to_utf8(bytes, enc);
  if (!text) {
    p.file_problems.push_back(problem("", "invalid_encoding", "文件编码无法识别（支持 UTF-8 与 GB18030/GBK）",
                                      "the file is neither UTF-8 nor GB18030/GBK"));
    return p;
  }
  auto table = parse_csv(*text);
  for (const auto& pr : table.problems)
    if (pr.code != "csv_ragged_row") p.file_problems.push_back(pr);
  if (table.rows.empty()) {
    p.file_problems.push_back(problem("", "empty_file", "文件为空", "the file is empty"));
    return p;
  }
  for (const auto& h : table.rows[0]) p.columns.push_back(column_key(h));
  std::map<std::string, int> col;
  for (int i = 0; i < static_cast<int>(p.columns.size()); ++i)
    if (!p.columns[i].empty() && !col.count(p.columns[i])) col[p.columns[i]] = i;
  if (!col.count("company")) {
    p.file_problems.push_back(problem("company", "missing_column", "缺少“公司”列", "the file has no company column"));
    return p;
  }
  if (table.rows.size() - 1 > max_rows) {
    p.file_problems.push_back(problem("", "too_many_rows", "一次最多导入 " + std::to_string(max_rows) + " 行",
                                      "at most " + std::to_string(max_rows) + " rows per import"));
    return p;
  }
  std::set<std::string> seen(existing_phones.begin(), existing_phones.end());
  std::set<std::string> in_file;
  for (std::size_t r = 1; r < table.rows.size(); ++r) {
    const auto& cells = table.rows[r];
    auto get = [&](const char* key) -> std::string {
      auto it = col.find(key);
      if (it == col.end() || it->second >= static_cast<int>(cells.size())) return "";
      return trim(cells[it->second]);
    };
    LeadImportRow row;
    row.line = static_cast<int>(r + 1);
    Lead& l = row.lead;
    l.company = get("company");
    l.contact_name = get("contact");
    l.phone = get("phone");
    l.source = get("source");
    l.region = get("region");
    l.note = get("note");
    const std::string where = "row " + std::to_string(row.line);
    if (cells.size() != table.rows[0].size())
      row.problems.push_back(problem(where, "csv_ragged_row", "列数与表头不一致", "the row has a different number of fields"));
    if (l.company.empty())
      row.problems.push_back(problem("company", "required_field_missing", "公司名称必填", "company is required"));
    if (l.company.size() > 200 || l.note.size() > 2000)
      row.problems.push_back(problem("company", "too_long", "内容过长", "value too long"));
    if (!l.phone.empty()) {
      auto np = normalize_phone(l.phone);
      if (!np.valid()) {
        row.problems.push_back(problem("phone", "invalid_phone", "电话号码格式不正确", "phone number is not valid"));
      } else if (in_file.count(np.digits)) {
        row.problems.push_back(problem("phone", "duplicate_in_file", "文件中电话重复", "duplicate phone in this file"));
      } else if (seen.count(np.digits)) {
        row.problems.push_back(problem("phone", "duplicate_existing", "该电话的线索已存在", "a lead with this phone already exists"));
      } else {
        in_file.insert(np.digits);
      }
    }
    p.rows.push_back(std::move(row));
  }
  if (p.rows.empty()) p.file_problems.push_back(problem("", "no_rows", "文件只有表头，没有数据行", "the file has a header but no rows"));
  return p;
}

nlohmann::json lead_import_preview_json(const LeadImportPreview& p, std::size_t max_rows_shown) {
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t i = 0; i < p.rows.size() && i < max_rows_shown; ++i) {
    const auto& r = p.rows[i];
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& pr : r.problems)
      problems.push_back({{"field", pr.field}, {"code", pr.code}, {"message_zh", pr.message_zh}, {"message_en", pr.message_en}});
    rows.push_back({{"line", r.line},
                    {"company", r.lead.company},
                    {"contact_name", r.lead.contact_name},
                    {"phone", r.lead.phone},
                    {"source", r.lead.source},
                    {"region", r.lead.region},
                    {"ok", r.problems.empty()},
                    {"problems", problems}});
  }
  nlohmann::json fp = nlohmann::json::array();
  for (const auto& pr : p.file_problems)
    fp.push_back({{"field", pr.field}, {"code", pr.code}, {"message_zh", pr.message_zh}, {"message_en", pr.message_en}});
  return {{"encoding", p.encoding},
          {"columns", p.columns},
          {"total_rows", p.rows.size()},
          {"valid_rows", p.valid_rows()},
          {"invalid_rows", static_cast<int>(p.rows.size()) - p.valid_rows()},
          {"file_problems", fp},
          {"rows", rows}};
}

}  // namespace cl::server

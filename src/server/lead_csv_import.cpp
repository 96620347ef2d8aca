#include "server/lead_csv_import.h"

#include <map>

#include "core/codec.h"
#include "server/text_encoding.h"

namespace cl::server {

namespace {

Problem problem(const std::string& field, const char* code, const std::string& zh, const std::string& en) {
  return Problem{code, field, zh, en};
}

}  // namespace

int LeadImportPreview::valid_rows() const {
  int n = 0;
  for (const auto& r : rows) n += r.problems.empty() ? 1 : 0;
  return n;
}

LeadImportPreview preview_lead_csv(std::string_view bytes, const std::vector<Lead>& existing,
                                   const std::string& default_source, std::size_t max_rows) {
  LeadImportPreview p;
  const TextEncoding enc = detect_text_encoding(bytes);
  p.encoding = encoding_name(enc);
  auto text = to_utf8(bytes, enc);
  if (!text) {
    p.file_problems.push_back(problem("", "invalid_encoding", "文件编码无法识别（支持 UTF-8 与 GB18030/GBK）",
                                      "the file is neither UTF-8 nor GB18030/GBK"));
    return p;
  }
  p.core = preview_lead_import(*text, default_source, existing);
  p.file_problems = p.core.file_problems;
  if (p.core.leads.size() > max_rows) {
    p.file_problems.push_back(problem("", "too_many_rows", "一次最多导入 " + std::to_string(max_rows) + " 行",
                                      "at most " + std::to_string(max_rows) + " rows per import"));
    return p;
  }
  for (const auto& h : p.core.headers) p.columns.push_back(lead_field_for_header(h));
  std::map<int, std::size_t> index_of_row;
  for (std::size_t i = 0; i < p.core.leads.size(); ++i) {
    LeadImportRow row;
    row.line = i < p.core.lead_rows.size() ? p.core.lead_rows[i] : static_cast<int>(i + 2);
    row.lead = p.core.leads[i];
    index_of_row[row.line] = p.rows.size();
    p.rows.push_back(std::move(row));
  }
  for (const auto& e : p.core.errors) {
    auto it = index_of_row.find(e.row);
    if (it != index_of_row.end()) p.rows[it->second].problems.push_back(e.problem);
    else p.file_problems.push_back(e.problem);  // a row core could not turn into a lead
  }
  for (const auto& w : p.core.warnings) {
    auto it = index_of_row.find(w.row);
    if (it == index_of_row.end()) continue;
    // Stricter than core on one point: a phone that is already on a lead blocks the row, so a list
    // uploaded twice never doubles the leads (a company name alone stays a warning: one hospital,
    // many departments).
    if (w.problem.code == "duplicate_existing" && w.problem.field == "phone") p.rows[it->second].problems.push_back(w.problem);
    else p.rows[it->second].warnings.push_back(w.problem);
  }
  if (p.rows.empty() && p.file_problems.empty())
    p.file_problems.push_back(problem("", "no_rows", "文件只有表头，没有数据行", "the file has a header but no rows"));
  return p;
}

LeadImportPreview preview_lead_csv(std::string_view bytes, const std::vector<std::string>& existing_phones) {
  std::vector<Lead> existing;
  for (const auto& phone : existing_phones) {
    Lead l;
    l.phone = phone;
    existing.push_back(std::move(l));
  }
  return preview_lead_csv(bytes, existing);
}

nlohmann::json lead_import_preview_json(const LeadImportPreview& p, std::size_t max_rows_shown) {
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t i = 0; i < p.rows.size() && i < max_rows_shown; ++i) {
    const auto& r = p.rows[i];
    nlohmann::json problems = nlohmann::json::array(), warnings = nlohmann::json::array();
    for (const auto& pr : r.problems)
      problems.push_back({{"field", pr.field}, {"code", pr.code}, {"message_zh", pr.message_zh}, {"message_en", pr.message_en}});
    for (const auto& pr : r.warnings)
      warnings.push_back({{"field", pr.field}, {"code", pr.code}, {"message_zh", pr.message_zh}, {"message_en", pr.message_en}});
    rows.push_back({{"line", r.line},
                    {"company", r.lead.company},
                    {"contact_name", r.lead.contact_name},
                    {"phone", r.lead.phone},
                    {"source", r.lead.source},
                    {"region", r.lead.region},
                    {"ok", r.problems.empty()},
                    {"problems", problems},
                    {"warnings", warnings}});
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

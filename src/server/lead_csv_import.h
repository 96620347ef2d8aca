// R1: a marketing lead list (CSV from Excel, UTF-8 or GB18030) -> leads, with a preview that names
// every bad row and an all-or-nothing apply. Header names are matched in Chinese or English
// (公司/company, 联系人/contact, 电话/phone, 来源/source, 区域/region, 备注/note); column order is free.
// Interim mapping in the server until core B's lead_import.h lands (then this calls it).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl::server {

struct LeadImportRow {
  int line = 0;        // 1-based row number in the file, header = 1
  Lead lead;           // ids and owner left empty for the caller
  Problems problems;   // empty = importable
};

struct LeadImportPreview {
  std::string encoding;              // "utf-8", "utf-8-bom", "gb18030"
  std::vector<std::string> columns;  // recognised column keys in file order ("" = ignored)
  std::vector<LeadImportRow> rows;
  Problems file_problems;            // undecodable bytes, no header, missing company column, ragged rows
  int valid_rows() const;
  bool ok() const { return file_problems.empty() && valid_rows() == static_cast<int>(rows.size()) && !rows.empty(); }
};

// `existing_phones`: normalized phone digits of leads already stored (duplicates are refused).
LeadImportPreview preview_lead_csv(std::string_view bytes, const std::vector<std::string>& existing_phones,
                                   std::size_t max_rows = 10000);

nlohmann::json lead_import_preview_json(const LeadImportPreview& p, std::size_t max_rows_shown = 200);

}  // namespace cl::server

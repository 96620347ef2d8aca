// R1: a marketing lead list (CSV from Excel, UTF-8 or GB18030) -> leads, with a preview that names
// every bad row and an all-or-nothing apply. The server's part is the bytes: detect the encoding and
// convert to UTF-8 (iconv); the rules — header aliases, required fields, phone validity, duplicates
// (in-file: error; against stored leads: warning) — are core's lead_import.h, with one stricter
// server rule: a phone already on a stored lead blocks its row (an upload repeated by mistake must
// not double the list).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/lead_import.h"
#include "core/model.h"
#include "core/problem.h"

namespace cl::server {

struct LeadImportRow {
  int line = 0;        // 1-based row number in the file, header = 1
  Lead lead;           // ids and owner left empty for the caller
  Problems problems;   // errors: empty = importable
  Problems warnings;   // shown, do not block (e.g. a lead with this phone already exists)
};

struct LeadImportPreview {
  std::string encoding;              // "utf-8", "utf-8-bom", "gb18030"
  std::vector<std::string> columns;  // recognised column keys in file order ("" = ignored)
  std::vector<LeadImportRow> rows;
  Problems file_problems;            // undecodable bytes, no header, missing company column
  cl::LeadImportPreview core;        // core's preview, for apply_lead_import
  int valid_rows() const;
  bool ok() const { return file_problems.empty() && valid_rows() == static_cast<int>(rows.size()) && !rows.empty(); }
};

// `existing`: leads already stored (core warns about the same phone or company).
LeadImportPreview preview_lead_csv(std::string_view bytes, const std::vector<Lead>& existing,
                                   const std::string& default_source = "", std::size_t max_rows = 10000);
// Same, with only the phones of stored leads (the CLI's form).
LeadImportPreview preview_lead_csv(std::string_view bytes, const std::vector<std::string>& existing_phones);

nlohmann::json lead_import_preview_json(const LeadImportPreview& p, std::size_t max_rows_shown = 200);

}  // namespace cl::server

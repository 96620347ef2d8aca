// R1: import the marketing team's lead list (CSV exported from Excel; XLSX is converted to rows the
// same way by the caller) with a preview, per-row errors, and no partial import: apply is refused
// while any row has an error, and the caller writes all rows in one transaction.
//
// Header names are matched after trimming spaces (also the ideographic U+3000), a trailing '*'
// (Excel's "required" marker) and ASCII case. Aliases (Chinese and English):
//   company  公司 公司名称 机构名称 机构全称 客户名称 单位 单位名称 医院名称 company "company name" organization
//   contact  联系人 联系人姓名 姓名 决策人 contact "contact name"
//   phone    电话 手机 手机号 手机号码 联系电话 电话号码 phone mobile tel telephone
//   source   来源 线索来源 渠道 source channel
//   region   区域 地区 所属区域 城市 region city area
//   note     备注 说明 note notes remark
// Row errors (row = line number in the file counting the header as row 1):
//   required_field_missing  company empty; or both contact and phone empty (no way to reach them)
//   invalid_phone           phone present but not a Chinese mobile/landline (phone.h)
//   duplicate_in_file       same company name or same phone as an earlier row (that row is named)
//   csv_ragged_row          the row has a different number of fields than the header
// Warnings (do not block): the phone or company already exists among current leads.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl {

struct RowProblem {
  int row = 0;               // 1 = header
  Problem problem;           // field = "company" / "phone" / …
};

// Why an import cannot be applied: the file's problems, then each row error with its row number in
// the field ("row 7: phone"), so the API can answer with every reason at once. Never empty.
Problems import_refusal(const Problems& file_problems, const std::vector<RowProblem>& errors);

struct LeadImportPreview {
  std::vector<std::string> headers;
  std::map<std::string, int> column_of;       // field → column index
  std::vector<std::string> ignored_headers;   // columns we do not import (shown in the preview)
  std::vector<Lead> leads;                    // one per data row, ids empty until apply
  std::vector<int> lead_rows;                 // file row of each lead
  std::vector<RowProblem> errors;             // block apply
  std::vector<RowProblem> warnings;           // shown, do not block
  Problems file_problems;                     // e.g. no company column, empty file
  bool can_apply() const { return errors.empty() && file_problems.empty() && !leads.empty(); }
};

// Maps a header text to a lead field key ("company", …) or "" when unknown.
std::string lead_field_for_header(std::string_view header);

LeadImportPreview preview_lead_import(std::string_view csv_text, const std::string& default_source,
                                      const std::vector<Lead>& existing_leads);

// All-or-nothing: failure (with every error as a Problem, field "row N: company") while the preview
// has errors; otherwise the leads with ids from make_id, status Imported, the batch id and time set.
Result<std::vector<Lead>> apply_lead_import(const LeadImportPreview& preview, const Id& batch_id, Instant now,
                                            const std::function<Id()>& make_id);

}  // namespace cl

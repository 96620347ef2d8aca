// R35/R4: import customers from a CSV (e.g. the old Excel 客户台账) with the same preview / per-row
// errors / all-or-nothing rule as leads (lead_import.h). Every row must pass validate_customer (R4:
// the seed's five fields and three tags, tag values, phone format); duplicates within the file
// (same name or phone) are errors, duplicates of existing customers are warnings with the matching
// customer named (dedup happens in dedup.h for the form; here a plain normalized comparison).
//
// Header aliases (after trimming spaces, '*' and ASCII case):
//   name                 机构全称 机构名称 客户名称 公司名称 公司 单位名称 name company
//   decision_maker       决策人 决策人姓名 联系人 decision_maker "decision maker" contact
//   decision_maker_title 职务 职位 title position
//   phone                联系电话 电话 手机 phone mobile tel
//   main_business        主营业务 业务 main_business "main business" business
//   address              地址 address
//   tags.customer_type   客户类型 类型 customer_type "customer type" type
//   tags.region          所属区域 区域 地区 region
//   tags.first_channel   首次接触渠道 接触渠道 渠道 来源 first_channel channel source
//   owner                负责人 销售 owner rep   (username; resolved by the caller)
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/lead_import.h"
#include "core/model.h"

namespace cl {

struct CustomerImportPreview {
  std::vector<std::string> headers;
  std::map<std::string, int> column_of;
  std::vector<std::string> ignored_headers;
  std::vector<Customer> customers;            // ids/codes empty until apply
  std::vector<std::string> owner_usernames;   // per customer, "" when the column is absent
  std::vector<int> customer_rows;
  std::vector<RowProblem> errors;
  std::vector<RowProblem> warnings;
  Problems file_problems;
  bool can_apply() const { return errors.empty() && file_problems.empty() && !customers.empty(); }
};

std::string customer_field_for_header(std::string_view header);

CustomerImportPreview preview_customer_import(std::string_view csv_text, const Settings& settings,
                                              const std::vector<Customer>& existing);

// make_id and make_code are called once per customer, in file order; owner_id = default_owner unless
// the caller already replaced owner usernames by ids in the preview's customers.
Result<std::vector<Customer>> apply_customer_import(const CustomerImportPreview& preview, Instant now,
                                                    const Id& default_owner, const std::function<Id()>& make_id,
                                                    const std::function<std::string()>& make_code);

}  // namespace cl

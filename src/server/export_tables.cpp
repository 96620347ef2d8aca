#include "server/export_tables.h"

#include <sodium.h>
#include <xlsxwriter.h>

#include <fstream>
#include <map>

#include "core/billing.h"
#include "core/csv.h"
#include "core/enum_names.h"
#include "core/money.h"
#include "core/quotes.h"
#include "core/time.h"

namespace cl::server {

namespace {

std::string instant_text(Instant t) {
  if (t == 0) return "";
  // Beijing civil time for people reading the sheet.
  Instant local = t + kBeijingOffset;
  Date d = civil_from_days(local / kDay);
  Instant ms = local % kDay;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d", to_iso_date(d).c_str(), static_cast<int>(ms / kHour),
                static_cast<int>(ms % kHour / kMinute));
  return buf;
}

std::string date_text(Date d) { return d.year <= 1970 ? "" : to_iso_date(d); }

struct Names {
  std::map<Id, std::string> users, customers;
  explicit Names(const ExportData& d) {
    for (const auto& u : d.users) users[u.id] = u.display_name.empty() ? u.username : u.display_name;
    for (const auto& c : d.customers) customers[c.meta.id] = c.name;
  }
  std::string user(const Id& id) const {
    auto it = users.find(id);
    return it == users.end() ? id : it->second;
  }
  std::string customer(const Id& id) const {
    auto it = customers.find(id);
    return it == customers.end() ? id : it->second;
  }
};

std::string tag(const Customer& c, const char* key) {
  auto it = c.tags.find(key);
  return it == c.tags.end() ? "" : it->second;
}

ExportTable customers(const ExportData& d, const Names& n) {
  ExportTable t{"customers", "客户", {"客户编号", "机构全称", "决策人", "职务", "联系电话", "主营业务", "客户类型", "所属区域",
                                    "首次接触渠道", "地址", "负责人", "创建时间"}, {}};
  for (const auto& c : d.customers)
    t.rows.push_back({c.code, c.name, c.decision_maker, c.decision_maker_title, c.phone, c.main_business,
                      tag(c, "customer_type"), tag(c, "region"), tag(c, "first_channel"), c.address, n.user(c.meta.owner_id),
                      instant_text(c.meta.created_at)});
  return t;
}

ExportTable leads(const ExportData& d, const Names& n) {
  ExportTable t{"leads", "线索", {"公司", "联系人", "电话", "来源", "区域", "状态", "负责销售", "导入时间", "首次跟进时间",
                                "跟进人", "最近结果", "备注"}, {}};
  for (const auto& l : d.leads)
    t.rows.push_back({l.company, l.contact_name, l.phone, l.source, l.region, std::string(enum_name(l.status)),
                      l.meta.owner_id.empty() ? std::string() : n.user(l.meta.owner_id), instant_text(l.imported_at),
                      instant_text(l.first_touched_at), l.first_touched_by.empty() ? std::string() : n.user(l.first_touched_by),
                      l.last_outcome, l.note});
  return t;
}

ExportTable opportunities(const ExportData& d, const Names& n) {
  ExportTable t{"opportunities", "商机", {"商机", "客户", "当前阶段", "进入阶段时间", "预计金额(元)", "状态", "负责销售",
                                         "创建时间"}, {}};
  for (const auto& o : d.opportunities) {
    std::string stage;
    Instant entered = 0;
    if (!o.stages.empty()) {
      int idx = o.stages.back().stage;
      entered = o.stages.back().entered_at;
      stage = idx >= 0 && idx < static_cast<int>(d.settings.stages.size()) ? d.settings.stages[idx].name_zh
                                                                           : "阶段 " + std::to_string(idx + 1);
    }
    t.rows.push_back({o.title, n.customer(o.customer_id), stage, instant_text(entered), o.expected_amount,
                      std::string(enum_name(o.status)), n.user(o.meta.owner_id), instant_text(o.meta.created_at)});
  }
  return t;
}

ExportTable quotes(const ExportData& d, const Names& n) {
  ExportTable t{"quotes", "报价", {"报价单号", "客户", "报价日期", "有效期至", "状态", "原价合计(元)", "优惠(元)", "报价总计(元)",
                                 "审批人", "负责销售"}, {}};
  for (const auto& q : d.quotes) {
    auto totals = quote_totals(q);
    t.rows.push_back({q.code, n.customer(q.customer_id), date_text(q.quote_date), date_text(q.valid_until),
                      std::string(enum_name(q.status)), totals.gross, totals.discount, totals.net,
                      q.approved_by.empty() ? std::string() : n.user(q.approved_by), n.user(q.meta.owner_id)});
  }
  return t;
}

ExportTable invoices(const ExportData& d, const Names& n, Instant now) {
  ExportTable t{"invoices", "开票与回款", {"发票编号", "客户", "金额(元)", "状态", "申请日期", "开票日期", "到期日", "已回款(元)",
                                        "未回款(元)", "逾期天数", "负责销售"}, {}};
  std::map<Id, int> overdue_days;
  for (const auto& o : overdue_invoices(d.invoices, d.payments, now)) overdue_days[o.invoice_id] = o.days_overdue;
  const std::map<Id, Money> paid = paid_by_invoice(d.payments);
  for (const auto& i : d.invoices) {
    auto od = overdue_days.find(i.meta.id);
    auto p = paid.find(i.meta.id);
    const Money paid_on_it = p == paid.end() ? Money{} : p->second;
    t.rows.push_back({i.code, n.customer(i.customer_id), i.amount, std::string(enum_name(i.status)), date_text(i.requested_on),
                      date_text(i.issued_on), date_text(i.due_on), paid_on_it, open_amount(i, paid_on_it),
                      static_cast<std::int64_t>(od == overdue_days.end() ? 0 : od->second), n.user(i.meta.owner_id)});
  }
  return t;
}

ExportTable payments(const ExportData& d, const Names& n) {
  ExportTable t{"payments", "回款明细", {"到账日期", "客户", "金额(元)", "方式", "凭证号", "回款销售"}, {}};
  for (const auto& p : d.payments)
    t.rows.push_back({date_text(p.received_on), n.customer(p.customer_id), p.amount, p.method, p.reference,
                      n.user(p.meta.owner_id)});
  return t;
}

std::string cell_text(const ExportCell& c) {
  if (auto* m = std::get_if<Money>(&c)) return format_plain(*m);
  if (auto* i = std::get_if<std::int64_t>(&c)) return std::to_string(*i);
  const auto& s = std::get<std::string>(c);
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    return "'" + s;
  return s;
}

}  // namespace

const std::vector<std::string>& export_list_names() {
  static const std::vector<std::string> names = {"customers", "leads", "opportunities", "quotes", "invoices", "payments"};
  return names;
}

std::optional<ExportTable> build_export_table(const std::string& list, const ExportData& d, Instant now) {
  Names n(d);
  if (list == "customers") return customers(d, n);
  if (list == "leads") return leads(d, n);
  if (list == "opportunities") return opportunities(d, n);
  if (list == "quotes") return quotes(d, n);
  if (list == "invoices") return invoices(d, n, now);
  if (list == "payments") return payments(d, n);
  return std::nullopt;
}

std::string export_csv(const ExportTable& t) {
  std::vector<CsvRow> rows;
  rows.push_back(t.headers);
  for (const auto& r : t.rows) {
    CsvRow row;
    for (const auto& c : r) row.push_back(cell_text(c));
    rows.push_back(std::move(row));
  }
  CsvWriteOptions opts;
  opts.bom = true;
  opts.crlf = true;
  return write_csv(rows, opts);
}

Result<std::string> export_xlsx(const ExportTable& t, const std::filesystem::path& tmp_dir) {
  auto fail = [](const std::string& en) {
    return Result<std::string>::failure({Problem{"export_failed", "", "导出 Excel 失败", en}});
  };
  std::error_code ec;
  std::filesystem::create_directories(tmp_dir, ec);
  unsigned char rnd[8];
  randombytes_buf(rnd, sizeof rnd);
  char hex[17];
  sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
  const auto path = tmp_dir / (std::string("export-") + hex + ".xlsx");
  struct Cleanup {
    std::filesystem::path p;
    ~Cleanup() {
      std::error_code e;
      std::filesystem::remove(p, e);
    }
  } cleanup{path};

  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return fail("cannot create workbook");
  lxw_worksheet* ws = workbook_add_worksheet(wb, t.sheet_title.c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_bg_color(bold, 0xDDDDDD);
  lxw_format* money = workbook_add_format(wb);
  format_set_num_format(money, "#,##0.00");
  for (std::size_t c = 0; c < t.headers.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), t.headers[c].c_str(), bold);
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), 16, nullptr);
  }
  worksheet_freeze_panes(ws, 1, 0);
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      const auto& cell = t.rows[r][c];
      if (auto* m = std::get_if<Money>(&cell)) {
        // A spreadsheet number; fen / 100 is exact to the cent at these magnitudes (< 2^53 fen).
        worksheet_write_number(ws, row, col, static_cast<double>(m->fen) / 100.0, money);
      } else if (auto* i = std::get_if<std::int64_t>(&cell)) {
        worksheet_write_number(ws, row, col, static_cast<double>(*i), nullptr);
      } else {
        // write_string never evaluates a formula, so no CSV-injection escaping is needed here.
        worksheet_write_string(ws, row, col, std::get<std::string>(cell).c_str(), nullptr);
      }
    }
  }
  if (workbook_close(wb) != LXW_NO_ERROR) return fail("cannot write workbook");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read workbook back");
  return Result<std::string>::success(std::string(std::istreambuf_iterator<char>(in), {}));
}

}  // namespace cl::server

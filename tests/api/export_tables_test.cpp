// R35: lists out to Excel — CSV with a BOM that round-trips through core's parser, formula cells
// neutralised, and an XLSX that a spreadsheet reader (python's zipfile, an independent oracle) opens.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "core/csv.h"
#include "extras_receivers.h"
#include "server/export_tables.h"

using namespace cl;
using namespace cl::server;

namespace {

ExportData sample() {
  ExportData d;
  d.users = {User{"u1", "rep1", "李明", Role::Rep, "t1"}};
  Customer c;
  c.meta.id = "c1";
  c.meta.owner_id = "u1";
  c.code = "KH-0001";
  c.name = "杭州市第一人民医院";
  c.decision_maker = "王主任";
  c.phone = "13812345678";
  c.main_business = "=HYPERLINK(\"http://evil\")";
  c.tags = {{"customer_type", "三甲医院"}, {"region", "杭州"}};
  d.customers = {c};
  Invoice i;
  i.meta.id = "i1";
  i.meta.owner_id = "u1";
  i.code = "INV-1";
  i.customer_id = "c1";
  i.amount = Money{1234567};
  i.status = InvoiceStatus::Issued;
  i.due_on = {2026, 10, 1};
  d.invoices = {i};
  Payment p;
  p.meta.id = "p1";
  p.invoice_id = "i1";
  p.amount = Money{34567};
  d.payments = {p};
  return d;
}

const Instant kNow = 1'795'000'000'000;

}  // namespace

TEST_CASE("a CSV export starts with a BOM, round-trips through the CSV parser and defuses formulas") {
  auto t = build_export_table("customers", sample(), kNow);
  REQUIRE(t);
  auto csv = export_csv(*t);
  CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  auto parsed = parse_csv(csv);
  REQUIRE(parsed.rows.size() == 2);
  CHECK(parsed.rows[0][0] == "客户编号");
  CHECK(parsed.rows[1][1] == "杭州市第一人民医院");
  CHECK(parsed.rows[1][7] == "杭州");
  CHECK(parsed.rows[1][5] == "'=HYPERLINK(\"http://evil\")");
  CHECK(parsed.rows[1][10] == "李明");
}

TEST_CASE("an invoice export shows paid and open amounts to the fen and the days overdue") {
  auto t = build_export_table("invoices", sample(), kNow);  // kNow is 2026-11-18: 48 days after 10-01
  REQUIRE(t);
  auto parsed = parse_csv(export_csv(*t));
  REQUIRE(parsed.rows.size() == 2);
  CHECK(parsed.rows[1][2] == "12345.67");
  CHECK(parsed.rows[1][7] == "345.67");
  CHECK(parsed.rows[1][8] == "12000.00");
  CHECK(parsed.rows[1][9] == "48");
}

TEST_CASE("every list name builds a table and an unknown one does not") {
  for (const auto& name : export_list_names()) CHECK(build_export_table(name, sample(), kNow).has_value());
  CHECK_FALSE(build_export_table("users; DROP TABLE", sample(), kNow).has_value());
}

TEST_CASE("an XLSX export is a workbook whose cells hold the Chinese text and money as numbers") {
  auto dir = std::filesystem::temp_directory_path() / "cl-export-test";
  auto t = build_export_table("invoices", sample(), kNow);
  auto x = export_xlsx(*t, dir);
  REQUIRE(x.ok());
  CHECK(x.value.rfind("PK", 0) == 0);
  int left = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) left += e.is_regular_file();
  CHECK(left == 0);  // the temporary file is gone
  auto path = dir / "check.xlsx";
  std::ofstream(path, std::ios::binary) << x.value;
  auto dump = test::run_capture("python3 -c \"import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); "
                                "print(z.read('xl/sharedStrings.xml').decode()); print(z.read('xl/worksheets/sheet1.xml').decode())\" '" +
                                path.string() + "'");
  CHECK(dump.find("杭州市第一人民医院") != std::string::npos);
  CHECK(dump.find("发票编号") != std::string::npos);
  CHECK(dump.find("<v>12345.67</v>") != std::string::npos);
  std::filesystem::remove_all(dir);
}

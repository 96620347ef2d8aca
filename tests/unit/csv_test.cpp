#include <doctest/doctest.h>

#include "core/csv.h"

using namespace cl;

TEST_CASE("a UTF-8 BOM at the start of a CSV file is not part of the first header") {
  auto t = parse_csv("\xEF\xBB\xBF公司,电话\n杭州市第一人民医院,0571-88888888\n");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][0] == "公司");
  CHECK(t.rows[1][1] == "0571-88888888");
  CHECK(t.problems.empty());
}

TEST_CASE("quoted fields keep commas, doubled quotes and line breaks") {
  auto t = parse_csv("a,b,c\r\n\"杭州, 西湖区\",\"他说\"\"好\"\"\",\"第一行\r\n第二行\"\r\n");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[1][0] == "杭州, 西湖区");
  CHECK(t.rows[1][1] == "他说\"好\"");
  CHECK(t.rows[1][2] == "第一行\r\n第二行");
  CHECK(t.problems.empty());
}

TEST_CASE("CRLF, LF and a missing final line break all end records the same way") {
  auto a = parse_csv("x,y\r\n1,2\r\n");
  auto b = parse_csv("x,y\n1,2\n");
  auto c = parse_csv("x,y\n1,2");
  CHECK(a.rows == b.rows);
  CHECK(b.rows == c.rows);
  CHECK(c.rows.size() == 2);
}

TEST_CASE("empty fields are kept, including a trailing empty field") {
  auto t = parse_csv("a,b,c\n1,,\n");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[1] == CsvRow{"1", "", ""});
}

TEST_CASE("blank lines are skipped rather than read as one-field records") {
  auto t = parse_csv("a,b\n\n1,2\n\n");
  CHECK(t.rows.size() == 2);
  CHECK(t.problems.empty());
}

TEST_CASE("rows with a different number of fields than the header are reported by row number") {
  auto t = parse_csv("a,b,c\n1,2,3\n4,5\n6,7,8,9\n");
  REQUIRE(t.problems.size() == 2);
  CHECK(t.problems[0].code == "csv_ragged_row");
  CHECK(t.problems[0].field == "row 3");
  CHECK(t.problems[1].field == "row 4");
  CHECK(t.rows.size() == 4);
}

TEST_CASE("an unterminated quote is reported with the line it opened on") {
  auto t = parse_csv("a,b\n1,\"open\n2,3\n");
  REQUIRE(!t.problems.empty());
  CHECK(t.problems[0].code == "csv_unterminated_quote");
  CHECK(t.problems[0].field == "line 2");
}

TEST_CASE("the writer quotes only fields that need it and round-trips through the parser") {
  std::vector<CsvRow> rows = {{"公司", "备注"}, {"宁波, 某医院", "说\"急\"\n明天"}, {"plain", " lead space"}};
  std::string text = write_csv(rows);
  CHECK(text.find("plain,") != std::string::npos);
  CHECK(text.find("\"宁波, 某医院\"") != std::string::npos);
  CHECK(text.find("\" lead space\"") != std::string::npos);
  CHECK(parse_csv(text).rows == rows);
}

TEST_CASE("the writer can prefix a BOM for Excel and use LF line ends") {
  std::string text = write_csv({{"a"}}, {.bom = true, .crlf = false});
  CHECK(text == "\xEF\xBB\xBF" "a\n");
}
